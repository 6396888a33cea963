"""Organisers correct a registration: the admin's « Modifier » page and the API's PATCH, through
update_registration, with the rules of registering; and an import no longer renames the person
registered with an address."""

import html
import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from seminars.check_in import check_in_code
from seminars.importer import import_registrations
from seminars.links import make_token
from seminars.models import Registration
from seminars.services import (
    RegistrationError,
    cancel_registration,
    fix_commune,
    register_person,
)
from tests.conftest import host_client, make_person
from tests.seminars.conftest import make_seminar, organiser, person
from union import roles
from union.models import AuditEntry
from union.spreadsheets import ImportRejected

pytestmark = pytest.mark.django_db
Status = Registration.Status
TAKEN_MESSAGE = (
    "Cette adresse est déjà celle de l'inscription de Prénom2 Abel (Bondy) : une adresse ne sert "
    "qu'à une inscription par événement. Saisissez une autre adresse."
)


def edit_url(registration, seminar=None) -> str:
    seminar_pk = seminar.pk if seminar is not None else registration.seminar_id
    return f"/admin/inscriptions/{seminar_pk}/{registration.pk}/modifier/"


def api_url(registration, seminar=None) -> str:
    seminar_pk = seminar.pk if seminar is not None else registration.seminar_id
    return f"/api/v1/seminars/{seminar_pk}/registrations/{registration.pk}/"


def page(response) -> str:
    return html.unescape(response.content.decode())


def atelier(seminar, title: str):
    return seminar.ateliers.get(title=title)


def edited(registration, **overrides) -> dict:
    """The edit form as posted: what is registered, with `overrides`."""
    data = {
        "nom": registration.nom,
        "prenom": registration.prenom,
        "email": registration.email,
        "commune": registration.commune.nom if registration.commune_id else "",
        "fonction": registration.fonction,
        "ateliers": [str(pk) for pk in registration.ateliers.values_list("pk", flat=True)],
        "needs": registration.needs,
    }
    if registration.consent:
        data["consent"] = "on"
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def zola(seminar):
    """Confirmed in Atelier A, with needs and consent; Abel registered too."""
    data = person(1, nom="Zola", ateliers=[atelier(seminar, "Atelier A").pk])
    data.needs = "Rampe d'accès"
    registration, _ = register_person(seminar, data, notify=False)
    register_person(seminar, person(2, nom="Abel"), notify=False)
    return registration


def fill(target, title: str, count: int) -> None:
    """`count` confirmed people in the atelier `title`."""
    for number in range(count):
        register_person(
            target,
            person(f"plein{title[-1]}{number}", ateliers=[atelier(target, title).pk]),
            notify=False,
        )


# --- The admin's page ---------------------------------------------------------------------------


def test_the_edit_page_shows_what_is_registered(organiser_client, seminar, zola):
    response = organiser_client.get(edit_url(zola))
    assert response.status_code == 200
    content = page(response)
    assert "<title>Modifier l'inscription de Prénom1 Zola" in content
    assert 'value="Zola"' in content and 'value="personne1@exemple.fr"' in content
    assert 'value="Bondy"' in content and "Rampe d'accès" in content
    a = atelier(seminar, "Atelier A")
    assert re.search(rf'value="{a.pk}"[^>]*checked', content)
    assert 'name="consent"' in content and re.search(r'name="consent"[^>]*checked', content)


def test_each_row_of_the_list_and_the_scan_page_link_to_it(organiser_client, seminar, zola):
    content = page(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/"))
    assert f'href="{edit_url(zola)}"' in content
    assert 'Modifier<span class="w-sr-only"> l\'inscription de Prénom1 Zola</span>' in content
    # The filters are kept for the way back.
    filtered = page(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/?status=confirmed"))
    assert f'href="{edit_url(zola)}?query=status%3Dconfirmed"' in filtered
    scan = page(organiser_client.get(f"/admin/inscriptions/emargement/{check_in_code(zola)}/"))
    assert f'href="{edit_url(zola)}"' in scan


def test_saving_changes_the_fields_is_audited_and_goes_back_to_the_filtered_list(
    organiser_client, seminar, zola, mailoutbox, django_capture_on_commit_callbacks
):
    old_token = make_token(zola)
    c = atelier(seminar, "Atelier C")
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            edit_url(zola) + "?query=status%3Dconfirmed",
            {
                "nom": "Zola-Martin",
                "prenom": "Émilie",
                "email": "EMILIE.ZOLA@exemple.fr",
                "commune": "Montreuil",
                "fonction": "autre",
                "fonction_autre": "Conseillère départementale",
                "ateliers": [str(c.pk)],
                "needs": "",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/inscriptions/{seminar.pk}/?status=confirmed"
    zola.refresh_from_db()
    assert (zola.nom, zola.prenom, zola.email) == (
        "Zola-Martin",
        "Émilie",
        "emilie.zola@exemple.fr",
    )
    assert (zola.commune_id, zola.commune_status) == ("93048", "matched")
    assert (zola.fonction, zola.fonction_text) == ("autre", "Conseillère départementale")
    assert list(zola.ateliers.all()) == [c]
    assert (zola.needs, zola.consent, zola.status) == ("", False, Status.CONFIRMED)
    entry = AuditEntry.objects.get(action="seminar.registration.edited")
    assert entry.actor.email == "orga@union.test"
    assert entry.details["registration"] == zola.pk
    assert set(entry.details["fields"]) == {
        "nom",
        "prenom",
        "email",
        "commune",
        "fonction",
        "needs",
        "consent",
        "ateliers",
    }
    assert "Zola-Martin" in entry.target
    listed = page(organiser_client.get(response["Location"]))
    assert "Inscription d'Émilie Zola-Martin modifiée (confirmée)." in listed
    # Told at the new address, as an organiser's re-registration does, with a link that works:
    # the link signed with the former address does not (the former address is told: see
    # test_the_former_address_is_told_it_no_longer_receives_anything).
    (mail,) = [m for m in mailoutbox if m.to == ["emilie.zola@exemple.fr"]]
    assert mail.subject == f"Inscription mise à jour : {seminar.title}"
    token = re.search(r"/evenements/inscription/([^/\s]+)/", mail.body).group(1)
    portal = host_client("localhost")
    assert portal.get(f"/evenements/inscription/{token}/").status_code == 200
    assert portal.get(f"/evenements/inscription/{old_token}/").status_code == 404


def test_saving_without_a_change_writes_and_sends_nothing(
    organiser_client, zola, mailoutbox, django_capture_on_commit_callbacks
):
    zola.refresh_from_db()
    before = zola.updated_at
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(edit_url(zola), edited(zola))
    assert response.status_code == 302
    zola.refresh_from_db()
    assert zola.updated_at == before and mailoutbox == []
    assert not AuditEntry.objects.filter(action="seminar.registration.edited").exists()


def test_another_registrations_address_is_refused_and_what_was_typed_is_kept(
    organiser_client, zola
):
    before = (zola.nom, zola.email)
    response = organiser_client.post(
        edit_url(zola), edited(zola, nom="Tapé", email="PERSONNE2@exemple.fr")
    )
    assert response.status_code == 400
    content = page(response)
    assert "<title>Erreur – Modifier l'inscription de Prénom1 Zola" in content
    assert "L'inscription n'est pas modifiée : des informations sont à corriger" in content
    assert f'<a href="#id_email">Adresse e-mail : {TAKEN_MESSAGE}</a>' in content
    assert 'id="id_email_error"' in content
    assert 'value="Tapé"' in content and 'value="PERSONNE2@exemple.fr"' in content
    zola.refresh_from_db()
    assert (zola.nom, zola.email) == before


def test_a_full_atelier_is_refused_as_on_the_public_form(organiser_client, seminar, zola):
    fill(seminar, "Atelier C", 10)
    c = atelier(seminar, "Atelier C")
    response = organiser_client.post(edit_url(zola), edited(zola, ateliers=[str(c.pk)]))
    assert response.status_code == 400
    assert "Plus de place dans l'atelier « Atelier C » : choisissez-en un autre." in page(response)
    assert list(zola.ateliers.all()) == [atelier(seminar, "Atelier A")]
    # The seat held in a full atelier is kept when something else is corrected.
    fill(seminar, "Atelier A", 2)
    response = organiser_client.post(edit_url(zola), edited(zola, nom="Zolà"))
    assert response.status_code == 302
    assert list(zola.ateliers.all()) == [atelier(seminar, "Atelier A")]


def test_overlapping_ateliers_are_refused(organiser_client, seminar, zola):
    a, b = atelier(seminar, "Atelier A"), atelier(seminar, "Atelier B")
    response = organiser_client.post(edit_url(zola), edited(zola, ateliers=[str(a.pk), str(b.pk)]))
    assert response.status_code == 400
    assert "ont lieu en même temps : choisissez-en un seul." in page(response)
    assert list(zola.ateliers.all()) == [a]


def test_a_waiting_persons_ateliers_are_wishes_and_the_queue_moves(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_seminar(
        "Petit", seats=2, ateliers=(("Atelier A", 1, 2, 1), ("Atelier C", 4, 2, 5))
    )
    a, c = atelier(event, "Atelier A"), atelier(event, "Atelier C")
    first, _ = register_person(event, person(1, ateliers=[a.pk]), notify=False)
    second, _ = register_person(event, person(2), notify=False)
    roux, _ = register_person(event, person(3, nom="Roux"), notify=False)
    assert roux.status == Status.WAITLISTED
    # Waiting, Roux may wish for the full atelier: only a seat held is refused a full one.
    response = organiser_client.post(edit_url(roux), edited(roux, ateliers=[str(a.pk)]))
    assert response.status_code == 302
    roux.refresh_from_db()
    assert roux.status == Status.WAITLISTED and list(roux.ateliers.all()) == [a]
    cancel_registration(second)
    roux.refresh_from_db()
    assert roux.status == Status.WAITLISTED  # a seat is free, not in Atelier A
    # The first person moves to Atelier C: A's seat goes to Roux, who is told.
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(edit_url(first), edited(first, ateliers=[str(c.pk)]))
    assert response.status_code == 302
    roux.refresh_from_db()
    assert roux.status == Status.CONFIRMED
    assert sorted((m.to[0], m.subject.split(" :")[0]) for m in mailoutbox) == [
        ("personne1@exemple.fr", "Inscription mise à jour"),
        ("personne3@exemple.fr", "Une place s'est libérée"),
    ]


def test_a_commune_not_recognised_is_kept_and_flagged_and_one_left_as_shown_keeps_its_fix(
    organiser_client, seminar, zola
):
    response = organiser_client.post(edit_url(zola), edited(zola, commune="Villetrucmuche"))
    assert response.status_code == 302
    zola.refresh_from_db()
    assert (zola.commune_id, zola.commune_typed, zola.commune_status) == (
        None,
        "Villetrucmuche",
        "flagged",
    )
    listed = page(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/"))
    assert 'Villetrucmuche <span class="status-tag">à vérifier</span>' in listed
    # The organiser resolves it; correcting the name afterwards keeps that commune.
    fix_commune(zola, "93001")
    zola.refresh_from_db()
    response = organiser_client.post(edit_url(zola), edited(zola, nom="Zolà"))
    assert response.status_code == 302
    zola.refresh_from_db()
    assert (zola.nom, zola.commune_id, zola.commune_status) == ("Zolà", "93001", "matched")


def test_only_organisers_open_it(seminar, zola):
    anonymous = host_client("localhost").get(edit_url(zola))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    editor = host_client("localhost", organiser(roles.EDITOR, "editrice@union.test"))
    assert editor.get(edit_url(zola)).status_code in (302, 403)
    response = editor.post(edit_url(zola), edited(zola, nom="Piraté"))
    assert response.status_code in (302, 403)
    zola.refresh_from_db()
    assert zola.nom == "Zola"


def test_a_cancelled_or_anonymised_registration_is_not_edited_and_the_page_says_why(
    organiser_client, zola
):
    cancel_registration(zola)
    for response in (
        organiser_client.get(edit_url(zola)),
        organiser_client.post(edit_url(zola), edited(zola, nom="Revenu")),
    ):
        assert response.status_code == 409
        content = page(response)
        assert "<title>Erreur – Modification impossible" in content
        assert "L'inscription de Prénom1 Zola est annulée : elle ne peut plus être modifiée." in (
            content
        )
        assert f'href="/admin/inscriptions/{zola.seminar_id}/"' in content
    zola.refresh_from_db()
    assert zola.nom == "Zola"
    listed = page(organiser_client.get(f"/admin/inscriptions/{zola.seminar_id}/"))
    assert edit_url(zola) not in listed
    Registration.objects.filter(pk=zola.pk).update(
        status=Status.CONFIRMED, anonymised_at=timezone.now()
    )
    response = organiser_client.get(edit_url(zola))
    assert response.status_code == 409 and "anonymisée" in page(response)


def test_a_registration_of_another_event_is_not_found_under_this_one(organiser_client, zola):
    """Isolation: event B's address never opens (nor changes) a registration of event A."""
    other = make_seminar("Commission solidarités")
    for response in (
        organiser_client.get(edit_url(zola, other)),
        organiser_client.post(edit_url(zola, other), edited(zola, nom="Ailleurs")),
    ):
        assert response.status_code == 404
        content = page(response)
        assert "Cette page n'existe pas ou plus" in content
        assert f'href="/admin/inscriptions/{other.pk}/"' in content
    zola.refresh_from_db()
    assert zola.nom == "Zola"


# --- The API's PATCH ------------------------------------------------------------------------------


def token_client(user) -> Client:
    token = Token.objects.create(user=user)
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def staff_api(db) -> Client:
    return token_client(organiser())


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_patch_changes_the_fields_sent_and_answers_as_the_staff_list(
    staff_api, seminar, zola, mailoutbox, django_capture_on_commit_callbacks
):
    c = atelier(seminar, "Atelier C")
    with django_capture_on_commit_callbacks(execute=True):
        response = patch(
            staff_api, api_url(zola), {"nom": "Zola-Martin", "ateliers": [c.pk], "consent": False}
        )
    assert response.status_code == 200
    body = response.json()
    listed = staff_api.get(f"/api/v1/seminars/{seminar.pk}/registrations/").json()
    assert body == next(item for item in listed if item["id"] == zola.pk)
    assert (body["nom"], body["ateliers"], body["consent"]) == ("Zola-Martin", [c.pk], False)
    # What was not sent is kept.
    assert (body["email"], body["needs"], body["commune"]["code"]) == (
        "personne1@exemple.fr",
        "Rampe d'accès",
        "93010",
    )
    assert AuditEntry.objects.get(action="seminar.registration.edited").details["fields"] == [
        "nom",
        "consent",
        "ateliers",
    ]
    assert [m.subject for m in mailoutbox] == [f"Inscription mise à jour : {seminar.title}"]


def test_patch_a_commune_or_a_fonction_label(staff_api, zola):
    response = patch(staff_api, api_url(zola), {"commune": "Villetrucmuche", "fonction": "DGS"})
    assert response.status_code == 200
    body = response.json()
    assert (body["commune"], body["commune_typed"], body["commune_status"]) == (
        None,
        "Villetrucmuche",
        "flagged",
    )
    assert (body["fonction"], body["fonction_text"]) == ("dgs", "DGS")


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"email": "personne2@exemple.fr"}, {"email": [TAKEN_MESSAGE]}),
        ({"nom": ""}, {"nom": ["Champ requis."]}),
        ({"nom": 12}, {"nom": ["Texte attendu."]}),
        (
            {"fonction": "autre"},
            {"fonction_text": ["À écrire, puisque la fonction choisie est « Autre »."]},
        ),
        (
            {"status": "confirmed"},
            {
                "status": [
                    "Champ inconnu ou non modifiable : modifiables : nom, prenom, email, "
                    "commune, fonction, fonction_text, ateliers, ateliers_waiting, needs, "
                    "consent, phone."
                ]
            },
        ),
    ],
)
def test_patch_refusals_are_400_per_field_in_french(staff_api, zola, body, errors):
    response = patch(staff_api, api_url(zola), body)
    assert response.status_code == 400
    assert response.json() == errors
    zola.refresh_from_db()
    assert (zola.nom, zola.email) == ("Zola", "personne1@exemple.fr")


def test_patch_a_full_or_overlapping_atelier_is_400(staff_api, seminar, zola):
    fill(seminar, "Atelier C", 10)
    a, b, c = (atelier(seminar, title) for title in ("Atelier A", "Atelier B", "Atelier C"))
    full = patch(staff_api, api_url(zola), {"ateliers": [c.pk]})
    assert full.status_code == 400
    assert full.json() == {
        "ateliers": ["Plus de place dans l'atelier « Atelier C » : choisissez-en un autre."]
    }
    overlap = patch(staff_api, api_url(zola), {"ateliers": [a.pk, b.pk]})
    assert overlap.status_code == 400 and "même temps" in overlap.json()["ateliers"][0]
    assert list(zola.ateliers.all()) == [a]


def test_patch_is_for_organisers_only(bondy, zola):
    director = make_person(bondy, "direction@ccas-bondy.test")
    refused = {
        "anonymous": (host_client("localhost"), (401, 403)),
        "member director": (token_client(director), (403,)),
        "union editor": (token_client(organiser(roles.EDITOR, "editrice@union.test")), (403,)),
    }
    for who, (client, statuses) in refused.items():
        response = patch(client, api_url(zola), {"nom": "Piraté"})
        assert response.status_code in statuses, who
        assert "detail" in response.json()
    zola.refresh_from_db()
    assert zola.nom == "Zola"
    admin = token_client(organiser(roles.UNION_ADMIN, "admin@union.test"))
    assert patch(admin, api_url(zola), {"nom": "Zolà"}).status_code == 200


def test_patch_unknown_ids_and_another_events_registration_are_404(staff_api, zola):
    other = make_seminar("Commission solidarités")
    response = patch(staff_api, api_url(zola, other), {"nom": "Ailleurs"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Inscription introuvable pour cet événement."}
    missing = patch(staff_api, f"/api/v1/seminars/99999999/registrations/{zola.pk}/", {})
    assert missing.status_code == 404 and missing.json() == {"detail": "Événement introuvable."}
    unknown = patch(staff_api, f"/api/v1/seminars/{zola.seminar_id}/registrations/99999999/", {})
    assert unknown.status_code == 404
    zola.refresh_from_db()
    assert zola.nom == "Zola"


def test_patch_a_cancelled_registration_is_409(staff_api, zola):
    cancel_registration(zola)
    response = patch(staff_api, api_url(zola), {"nom": "Revenu"})
    assert response.status_code == 409
    assert "est annulée : elle ne peut plus être modifiée" in response.json()["detail"]


def test_the_schema_documents_the_patch(portal):
    paths = portal.get("/api/schema/", {"format": "json"}).json()["paths"]
    operation = paths["/api/v1/seminars/{id}/registrations/{registration_id}/"]["patch"]
    assert set(operation["responses"]) >= {"200", "400", "404", "409"}
    assert "Modifier une inscription" in operation["description"]


# --- The import never renames anyone ------------------------------------------------------------


def import_csv(seminar, content: str):
    return import_registrations(seminar, content.encode(), "liste.csv")


def test_an_imported_address_under_another_name_is_refused_and_nothing_imported(seminar, zola):
    content = (
        "Nom;Prénom;Commune;Fonction;Courriel\n"
        "Neuve;Anne;Pantin;Maire;anne.neuve@exemple.fr\n"
        "Dupont;Jeanne;Montreuil;DGS;personne1@exemple.fr\n"
    )
    with pytest.raises(ImportRejected) as failure:
        import_csv(seminar, content)
    ((line, column, message),) = [(e.line, e.column, e.message) for e in failure.value.errors]
    assert (line, column) == (3, "Courriel")
    assert message == (
        "Cette adresse est déjà inscrite au nom de Prénom1 Zola (Bondy) : corrigez l'adresse "
        "dans le fichier ou, s'il s'agit de cette personne, corrigez son inscription avec "
        "« Modifier » dans la liste des inscriptions (ou son nom dans le fichier)."
    )
    zola.refresh_from_db()
    assert (zola.nom, zola.prenom, zola.commune_id) == ("Zola", "Prénom1", "93010")
    assert not seminar.registrations.filter(nom="Neuve").exists()


def test_the_admin_import_shows_the_renaming_line(organiser_client, seminar, zola, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text(
        "Nom;Prénom;Commune;Fonction;Email\nDupont;Jeanne;Montreuil;DGS;personne1@exemple.fr\n",
        "utf-8",
    )
    with path.open("rb") as upload:
        response = organiser_client.post(
            f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload}
        )
    assert response.status_code == 400
    content = page(response)
    assert "Rien n'a été importé : 1 erreur" in content
    assert '<th scope="row">2</th><td>Email</td>' in content
    assert "déjà inscrite au nom de Prénom1 Zola (Bondy)" in content and "« Modifier »" in content


def test_the_same_name_folded_still_updates_from_an_import(seminar):
    registration, _ = register_person(
        seminar, person(1, nom="Lefèvre-Dupont", commune="Pantin"), notify=False
    )
    content = (
        "Nom;Prénom;Commune;Fonction;Email\n"
        "LEFEVRE DUPONT; prénom1 ;Bondy;DGS;personne1@exemple.fr\n"
    )
    result = import_csv(seminar, content)
    assert result.imported == 1
    registration.refresh_from_db()
    assert (registration.nom, registration.commune_id, registration.fonction) == (
        "LEFEVRE DUPONT",
        "93010",
        "dgs",
    )
    assert seminar.registrations.count() == 1


def test_one_address_on_two_lines_of_a_file_is_refused(seminar):
    content = (
        "Nom;Prénom;Commune;Fonction;Email\n"
        "Martin;Anne;Bondy;Maire;partage@exemple.fr\n"
        "Durand;Paul;Pantin;Maire;partage@exemple.fr\n"
    )
    with pytest.raises(ImportRejected) as failure:
        import_csv(seminar, content)
    assert [(e.line, e.column, e.message) for e in failure.value.errors] == [
        (3, "Email", "Adresse déjà présente ligne 2.")
    ]
    assert seminar.registrations.count() == 0


# --- A changed address, a lost link, a waiting person's wish -------------------------------------


def test_the_former_address_is_told_it_no_longer_receives_anything(
    organiser_client, seminar, zola, mailoutbox, django_capture_on_commit_callbacks
):
    seminar.organiser_name = "Claire Martin"
    seminar.organiser_email = "claire.martin@udccas.test"
    seminar.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(edit_url(zola), edited(zola, email="zola@exemple.fr"))
    assert response.status_code == 302
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("personne1@exemple.fr", f"Adresse de votre inscription modifiée : {seminar.title}"),
        ("zola@exemple.fr", f"Inscription mise à jour : {seminar.title}"),
    ]
    (notice,) = [m for m in mailoutbox if m.to == ["personne1@exemple.fr"]]
    # Nothing personal: the former address may have been a typo, someone else's.
    assert "Zola" not in notice.body and "zola@exemple.fr" not in notice.body
    assert "ne recevra plus les messages de cette inscription" in notice.body
    assert "claire.martin@udccas.test" in notice.body
    assert notice.reply_to == ["claire.martin@udccas.test"]
    # In HTML too (s23), as personal-free as the text, the contact in the frame's foot.
    (html,) = [a.content for a in notice.alternatives if a.mimetype == "text/html"]
    assert "ne recevra plus les messages de cette inscription" in html
    assert "Zola" not in html and "zola@exemple.fr" not in html
    assert 'href="mailto:claire.martin@udccas.test"' in html
    assert "Adresse de votre inscription modifiée" in html  # the title and heading


def test_an_edit_that_keeps_the_address_tells_only_the_person(
    staff_api, zola, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert patch(staff_api, api_url(zola), {"nom": "Zola-Martin"}).status_code == 200
    assert [m.to for m in mailoutbox] == [["personne1@exemple.fr"]]


def resend_url(registration) -> str:
    return f"/admin/inscriptions/{registration.seminar_id}/{registration.pk}/lien/"


def test_an_organiser_sends_a_fresh_personal_link(
    organiser_client, seminar, zola, mailoutbox, django_capture_on_commit_callbacks
):
    listed = page(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/?status=confirmed"))
    assert f'action="{resend_url(zola)}"' in listed
    assert 'Renvoyer le lien<span class="w-sr-only"> personnel à Prénom1 Zola</span>' in listed
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(resend_url(zola), {"query": "status=confirmed"})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/inscriptions/{seminar.pk}/?status=confirmed"
    (mail,) = mailoutbox
    assert mail.to == ["personne1@exemple.fr"]
    assert mail.subject == f"Votre lien d'inscription : {seminar.title}"
    token = re.search(r"/evenements/inscription/([^/\s]+)/", mail.body).group(1)
    assert host_client("localhost").get(f"/evenements/inscription/{token}/").status_code == 200
    entry = AuditEntry.objects.get(action="seminar.registration.link_sent")
    assert (entry.actor.email, entry.details["registration"]) == ("orga@union.test", zola.pk)
    shown = page(organiser_client.get(response["Location"]))
    assert "Lien personnel envoyé à Prénom1 Zola (personne1@exemple.fr)." in shown
    # Organisers are not limited as the public « lien perdu » is: a second one goes too.
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(resend_url(zola))
    assert len(mailoutbox) == 2


def test_no_link_for_a_cancelled_registration_or_one_without_address(
    organiser_client, seminar, zola, mailoutbox, django_capture_on_commit_callbacks
):
    nobody, _ = register_person(seminar, person(3, email=""), notify=False)
    cancel_registration(zola)
    listed = page(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/"))
    assert resend_url(zola) not in listed and resend_url(nobody) not in listed
    with django_capture_on_commit_callbacks(execute=True):
        refused = organiser_client.post(resend_url(zola), follow=True)
        without = organiser_client.post(resend_url(nobody), follow=True)
    assert mailoutbox == []
    assert "L'inscription de Prénom1 Zola est annulée" in page(refused)
    assert (
        "L'inscription de Prénom3 Nom3 n'a pas d'adresse e-mail : ajoutez-en une avec "
        "« Modifier », le lien lui sera envoyé." in page(without)
    )
    assert not AuditEntry.objects.filter(action="seminar.registration.link_sent").exists()


def test_resending_a_link_is_a_post_by_an_organiser_of_this_event(seminar, zola, mailoutbox):
    other = make_seminar("Autre")
    organiser_client = host_client("localhost", organiser())
    assert organiser_client.get(resend_url(zola)).status_code == 405
    wrong_event = f"/admin/inscriptions/{other.pk}/{zola.pk}/lien/"
    assert organiser_client.post(wrong_event).status_code == 404
    editor = host_client("localhost", organiser(roles.EDITOR, email="editrice@union.test"))
    assert editor.post(resend_url(zola)).status_code in (302, 403)
    assert mailoutbox == []


def test_patch_fonction_autre_without_text_keeps_the_registrations_text(staff_api, seminar):
    data = person(4, fonction="autre")
    data.fonction_text = "Conseillère départementale"
    registration, _ = register_person(seminar, data, notify=False)
    response = patch(staff_api, api_url(registration), {"fonction": "autre", "nom": "Durand"})
    assert response.status_code == 200, response.json()
    assert (response.json()["fonction"], response.json()["fonction_text"]) == (
        "autre",
        "Conseillère départementale",
    )
    # A new text replaces it; another fonction drops it.
    response = patch(staff_api, api_url(registration), {"fonction_text": "Élue référente"})
    assert response.json()["fonction_text"] == "Élue référente"
    response = patch(staff_api, api_url(registration), {"fonction": "maire"})
    assert (response.json()["fonction"], response.json()["fonction_text"]) == ("maire", "")


def test_someone_waiting_who_registers_again_may_wish_for_a_full_atelier(seminar):
    event = make_seminar("Petit", seats=2, ateliers=(("Atelier A", 1, 2, 1),))
    a = atelier(event, "Atelier A")
    register_person(event, person(1, ateliers=[a.pk]), notify=False)
    second, _ = register_person(event, person(2), notify=False)
    roux, _ = register_person(event, person(3, nom="Roux", ateliers=[a.pk]), notify=False)
    cancel_registration(second)  # a seat is free, not in Atelier A
    roux.refresh_from_db()
    assert roux.status == Status.WAITLISTED
    data = person(3, nom="Roux", ateliers=[a.pk])
    data.needs = "Fauteuil roulant"
    again, created = register_person(event, data, notify=False)
    assert not created and again.status == Status.WAITLISTED and again.needs == "Fauteuil roulant"
    assert list(again.ateliers.all()) == [a]
    # Someone new is still told the atelier is full: they hold no place in the queue.
    with pytest.raises(RegistrationError) as refused:
        register_person(event, person(5, ateliers=[a.pk]), notify=False)
    assert "ateliers" in refused.value.errors
