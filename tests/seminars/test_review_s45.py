"""Session 45's two reviews (helper sessions, read-only): the organisers' registration tools
(import, « Communes à vérifier ») and the public side of events (files, calendar, API, meta).
Each fixed finding with its test."""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from rapidfuzz import process
from wagtail.models import PageViewRestriction

from seminars import importer
from seminars.links import page_path
from seminars.models import ProceedingsPage, Registration, SeminarPage, Visibility
from seminars.services import cancel_event, cancel_registration, register_person
from tenants.matching import SUGGESTION_COUNT, _closest, _similarity, fold, get_index
from tests.conftest import host_client, make_person, member_client
from tests.knowledge_base.conftest import make_document
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_member_cancellation import cancel_url
from tests.seminars.test_member_registration import _form
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

TYPOS = ["Montreul", "Aubervilier", "Bondi", "Noisy le sek", "Pantain", "Bobygny", "Saint Deni"]


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).replace("\xa0", " ").split())


def import_file(client, seminar, rows: list[str]):
    content = ("Nom;Prénom;Commune;Fonction;Email\n" + "\n".join(rows) + "\n").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("liste.csv", content, content_type="text/csv")
    return client.post(f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload}, follow=True)


# --- R1 F1: an import with many unrecognised communes took 0.25 s a line -------------------------


def test_the_closest_names_are_those_the_slow_scorer_gave():
    """_closest reads only the best names by rapidfuzz's own scorers: the same names and scores
    as process.extract with _similarity over every commune and former name."""
    index = get_index()
    limit = SUGGESTION_COUNT * 4
    for typed in [*TYPOS, "Rosni sous bois", "chemille", "Le Blanc Mesnil", "st ouen", "Épinai"]:
        folded = fold(typed)
        for choices in (index.choices, index.alias_choices):
            slow = process.extract(
                folded, choices, scorer=_similarity, limit=limit, score_cutoff=60
            )
            fast = _closest(folded, choices)
            assert sorted((key, round(score, 6)) for _c, score, key in fast) == sorted(
                (key, round(score, 6)) for _c, score, key in slow
            ), typed


def test_an_import_matches_each_commune_text_once(monkeypatch):
    seminar = make_seminar(seats=300)
    calls = []
    real = importer.resolve_commune
    monkeypatch.setattr(
        importer, "resolve_commune", lambda *args: calls.append(args) or real(*args)
    )
    rows = [f"Dupont{n};Jean;{TYPOS[n % 3]};Maire;p{n}@exemple.fr" for n in range(30)]
    content = ("Nom;Prénom;Commune;Fonction;Email\n" + "\n".join(rows) + "\n").encode()
    result = importer.import_registrations(seminar, content, "liste.csv")
    assert result.imported == 30 and result.flagged == 30
    assert len(calls) == 3  # one per distinct text, not one per line
    # Each line keeps its own suggestions (not one list shared by every row).
    flagged = list(seminar.registrations.filter(commune_typed="Montreul"))
    assert len(flagged) == 10
    assert all("93048" in [s["code"] for s in r.commune_suggestions] for r in flagged)


# --- R1 F2: an import over a cancelled registration re-registered her silently -----------------


def test_an_import_leaves_a_cancelled_registration_cancelled_and_names_it(organiser_client):
    seminar = make_seminar()
    aicha, _ = register_person(
        seminar, person(1, nom="Durand", email="aicha@exemple.fr", commune="Bondy")
    )
    cancel_registration(aicha)
    answer = import_file(
        organiser_client,
        seminar,
        [
            "Durand;Prénom1;Bondy;Maire;aicha@exemple.fr",
            "Martin;Paul;Bondy;Maire;paul@exemple.fr",
        ],
    )
    shown = text_of(answer)
    aicha.refresh_from_db()
    assert aicha.status == "cancelled"
    assert "1 personne du fichier avait annulé son inscription : elle n'est pas réinscrite" in shown
    assert "(Prénom1 Durand, ligne 2)" in shown
    assert "1 inscription importée" in shown  # Paul only
    assert Registration.objects.get(email="paul@exemple.fr").status == "confirmed"


def test_the_api_import_says_which_lines_were_left_cancelled(staff_api):
    seminar = make_seminar()
    aicha, _ = register_person(seminar, person(1, nom="Durand", email="aicha@exemple.fr"))
    cancel_registration(aicha)
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"Nom;Pr\xc3\xa9nom;Commune;Fonction;Email\nDurand;Pr\xc3\xa9nom1;Bondy;Maire;aicha@exemple.fr\n"
    answer = staff_api.post(
        f"/api/v1/seminars/{seminar.pk}/registrations/import",
        {"file": SimpleUploadedFile("liste.csv", content, content_type="text/csv")},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["imported"] == 0
    assert answer.json()["left_cancelled"] == [{"line": 2, "name": "Prénom1 Durand"}]


def test_an_import_of_the_same_list_says_no_new_registration_in_words(organiser_client):
    seminar = make_seminar()
    rows = ["Martin;Paul;Bondy;Maire;paul@exemple.fr"]
    import_file(organiser_client, seminar, rows)
    again = text_of(import_file(organiser_client, seminar, rows))
    assert "Aucune nouvelle inscription ; 1 personne déjà inscrite, inchangée." in again


# --- R1 F3: « Communes à vérifier » from a page loaded before a correction ----------------------


def flagged_row(seminar, typed="Montreul"):
    registration, _ = register_person(seminar, person(1, commune=typed))
    assert registration.commune_status == "flagged"
    return registration


def test_a_flagged_commune_corrected_twice_keeps_the_first_correction(organiser_client):
    seminar = make_seminar()
    row = flagged_row(seminar)
    url = f"/admin/inscriptions/{seminar.pk}/communes/"
    first = organiser_client.post(url, {"registration": row.pk, "code": "93048"}, follow=True)
    assert "corrigée : Montreuil" in text_of(first)
    # Another tab, loaded before: Montreuil of the Pas-de-Calais.
    second = organiser_client.post(url, {"registration": row.pk, "code": "62588"}, follow=True)
    shown = text_of(second)
    assert "a déjà été corrigée (Montreuil" in shown and "rien n'a été changé" in shown
    row.refresh_from_db()
    assert row.commune_id == "93048"
    fixes = AuditEntry.objects.filter(action="seminar.registration.commune_fixed")
    assert fixes.count() == 1


def test_a_cancelled_registration_is_not_corrected_from_a_page_loaded_before(organiser_client):
    seminar = make_seminar()
    row = flagged_row(seminar)
    cancel_registration(row)
    url = f"/admin/inscriptions/{seminar.pk}/communes/"
    answer = organiser_client.post(url, {"registration": row.pk, "code": "93048"}, follow=True)
    assert "a été annulée : sa commune n'est plus à vérifier" in text_of(answer)
    row.refresh_from_db()
    assert row.commune_id is None and row.commune_status == "flagged"


# --- R2 1: the files of invitation-only proceedings were public ----------------------------------


def proceedings_with_a_file(event, title="compte-rendu"):
    document = make_document(title)
    proceedings = ProceedingsPage(
        title=f"Actes – {event.title}",
        slug="actes",
        downloads=[{"type": "download", "value": {"document": document.pk, "title": ""}}],
    )
    event.add_child(instance=proceedings)
    proceedings.save_revision().publish()
    return proceedings, document


def test_the_files_of_invitation_only_proceedings_go_to_invited_readers_only(portal):
    secret = make_seminar("Réunion CAF", days_ahead=-10, visibility=Visibility.INVITATION)
    proceedings, document = proceedings_with_a_file(secret)
    # Anyone counting ids: neither the file nor its address (the old-name redirect).
    assert portal.get(document.download_url).status_code != 200
    guessed = portal.get(f"/documents/{document.pk}/x.pdf")
    assert document.filename not in guessed.get("Location", "")
    # The invited reader opens the proceedings with the key, then the file.
    invited = host_client("localhost")
    opened = invited.get(page_path(proceedings), {"invitation": secret.invitation_key})
    assert opened.status_code == 200
    assert invited.get(document.download_url).status_code == 200
    # The event's own page with the key opens them too (a programme's document).
    other = host_client("localhost")
    assert other.get(page_path(secret), {"invitation": secret.invitation_key}).status_code == 200
    assert other.get(document.download_url).status_code == 200
    # A wrong key opens nothing.
    stranger = host_client("localhost")
    stranger.get(page_path(secret), {"invitation": "faux"})
    assert stranger.get(document.download_url).status_code != 200


def test_the_files_of_an_unpublished_events_proceedings_are_not_served(portal):
    event = make_seminar("Séminaire retiré", days_ahead=-10)
    _proceedings, document = proceedings_with_a_file(event, "support-retire")
    assert portal.get(document.download_url).status_code == 200  # public while it is live
    SeminarPage.objects.filter(pk=event.pk).update(live=False)
    assert portal.get(document.download_url).status_code != 200


# --- R2 2: the .ics of a restricted event was a 404 for readers it admits ----------------------


def test_a_restricted_events_ics_is_served_to_a_reader_it_admits(bondy, portal):
    event = make_seminar("Réservé aux connectés", days_ahead=5)
    PageViewRestriction.objects.create(page=event, restriction_type="login")
    reader = host_client("localhost", make_person(bondy, "direction@bondy.test"))
    page = reader.get(page_path(event))
    assert page.status_code == 200
    ics = re.search(r'href="(/evenements/ics/[^"]+)"', page.content.decode()).group(1)
    assert reader.get(ics).status_code == 200
    assert portal.get(ics).status_code == 404  # an anonymous visitor still gets nothing


# --- R2 3: invitation-only proceedings were indexable, their Open Graph carried the key --------


def test_invitation_only_pages_say_noindex_and_give_no_open_graph_address(portal):
    secret = make_seminar("Réunion fermée", days_ahead=-10, visibility=Visibility.INVITATION)
    proceedings, _document = proceedings_with_a_file(secret)
    key = secret.invitation_key
    for page in (secret, proceedings):
        shown = portal.get(page_path(page), {"invitation": key}).content.decode()
        assert '<meta name="robots" content="noindex, nofollow">' in shown
        assert "og:url" not in shown and key not in shown.split("</head>")[0]
    public = make_seminar("Séminaire public", days_ahead=-10)
    shown = portal.get(page_path(public)).content.decode()
    assert "noindex" not in shown and 'property="og:url"' in shown


# --- R2 4: API pages repeated or skipped events starting together ------------------------------


def test_api_pages_list_events_starting_together_once_each(portal):
    first = make_seminar("Ensemble 0")
    for n in range(1, 6):
        make_seminar(f"Ensemble {n}")
    SeminarPage.objects.update(start=first.start, end=first.end)
    seen = []
    for offset in range(6):
        answer = portal.get("/api/v1/seminars/", {"limit": 1, "offset": offset})
        seen += [event["id"] for event in answer.json()["results"]]
    assert sorted(seen) == sorted(SeminarPage.objects.values_list("pk", flat=True))


# --- R2 5 and 6: the month view's today, and its edges -------------------------------------------


def test_the_month_view_marks_today_in_words_and_for_screen_readers(portal):
    make_seminar("Ancre")
    page = portal.get("/evenements/", {"vue": "mois"}).content.decode()
    (cell,) = re.findall(r'<td class="[^"]*today"[^>]*>', page)
    assert 'aria-current="date"' in cell
    assert page.count('aria-current="date"') == 1
    assert "aujourd'hui" in html.unescape(page)
    # Another month has no today.
    assert (
        'aria-current="date"'
        not in portal.get("/evenements/", {"mois": "2020-01"}).content.decode()
    )


def test_the_month_view_offers_no_link_to_a_month_it_cannot_show(portal):
    make_seminar("Ancre")
    first = portal.get("/evenements/", {"mois": "0002-01"}).content.decode()
    assert 'rel="prev"' not in first and 'href="?mois=0002-02"' in first
    last = portal.get("/evenements/", {"mois": "9998-12"}).content.decode()
    assert 'rel="next"' not in last and 'href="?mois=9998-11"' in last
    # Years before 1000 are written on four digits, which the page reads back.
    early = portal.get("/evenements/", {"mois": "0999-01"}).content.decode()
    assert 'href="?mois=0998-12"' in early


# --- R2 7: two syntheses of one atelier ----------------------------------------------------------


def synthesis(atelier: str) -> dict:
    return {
        "type": "synthesis",
        "value": {"atelier": atelier, "question": "?", "key_points": ["Un point"], "proposals": []},
    }


def test_two_syntheses_of_one_atelier_are_refused():
    event = make_seminar("Séminaire", days_ahead=-10)
    proceedings = ProceedingsPage(
        title="Actes",
        slug="actes",
        syntheses=[synthesis("Accès aux droits"), synthesis("accès aux  droits")],
    )
    with pytest.raises(ValidationError) as refused:
        event.add_child(instance=proceedings)
    (message,) = refused.value.message_dict["syntheses"]
    assert "Deux synthèses portent sur l'atelier « Accès aux droits »" in message.replace(
        "\xa0", " "
    )
    other = ProceedingsPage(title="Actes", slug="actes", syntheses=[synthesis("A"), synthesis("B")])
    event.add_child(instance=other)  # two ateliers, two syntheses: accepted
    assert [block.value["atelier"] for block in other.syntheses] == ["A", "B"]


# --- R4: a member CCAS and its people -------------------------------------------------------------


def test_a_member_cannot_register_and_withdraw_someone_in_a_loop(
    bondy, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Séminaire ABS")
    client = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))
    url = f"/evenements/{seminar.pk}/inscrire/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, _form(email="lucie@exemple.fr")).status_code == 302
        registration = Registration.objects.get(email="lucie@exemple.fr")
        assert client.post(cancel_url(registration)).status_code == 302
        again = client.post(url, _form(email="lucie@exemple.fr"))
    assert again.status_code == 400
    assert "a été annulée il y a moins de dix minutes" in text_of(again)
    assert 'value="Lucie"' in again.content.decode()  # what was typed is kept
    sent = [message.subject for message in mail.outbox if message.to == ["lucie@exemple.fr"]]
    assert len(sent) == 2  # « confirmée », « annulée »; not a third
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    # Ten minutes later, she may be registered again (a mistake put right).
    Registration.objects.filter(pk=registration.pk).update(
        cancelled_at=registration.cancelled_at - timedelta(minutes=11)
    )
    assert client.post(url, _form(email="lucie@exemple.fr")).status_code == 302


def test_a_members_withdrawal_e_mail_names_the_member(bondy, django_capture_on_commit_callbacks):
    seminar = make_seminar("Séminaire ABS")
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/evenements/{seminar.pk}/inscrire/", _form(email="lucie@exemple.fr"))
    registration = Registration.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_url(registration))
    (message,) = mail.outbox
    said = " ".join(message.body.replace("\xa0", " ").split())
    assert f"L'équipe du {bondy.name} vous a désinscrit(e)" in said
    # Her own cancellation says nothing of the kind.
    other, _ = register_person(seminar, person(2, email="paul@exemple.fr"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(other)
    (message,) = mail.outbox
    assert "vous a désinscrit" not in message.body


def test_a_member_using_tagged_addresses_is_limited_as_the_public_form(bondy):
    seminar = make_seminar("Séminaire ABS")
    client = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))
    url = f"/evenements/{seminar.pk}/inscrire/"
    for n in range(5):
        form = _form(email=f"victime+{n}@exemple.fr", nom=f"Nom{n}")
        assert client.post(url, form).status_code == 302
    refused = client.post(url, _form(email="victime+5@exemple.fr", nom="Nom5"))
    assert refused.status_code == 400
    assert "arrivent déjà dans cette boîte aux lettres" in text_of(refused)
    assert Registration.objects.count() == 5


def test_withdrawing_from_a_cancelled_event_says_it_is_cancelled(bondy):
    seminar = make_seminar("Séminaire ABS", days_ahead=30)
    registration, _ = register_person(
        seminar, person(1, email=""), source=Registration.Source.MEMBER, member=bondy
    )
    cancel_event(seminar, by=None, message="")
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    page = text_of(client.get(cancel_url(registration)))
    assert "L'union a annulé cet événement" in page and "closes depuis" not in page
    api = client.post(f"/api/v1/seminars/{seminar.pk}/registrations/{registration.pk}/cancel")
    assert api.status_code == 409 and "annulé" in api.json()["detail"]


def test_the_members_form_promises_no_withdrawal_after_the_cut_off(bondy):
    seminar = make_seminar("Séminaire ABS", days_ahead=10)
    seminar.changes_until = timezone.now() - timedelta(days=1)
    seminar.registration_closes = timezone.now() + timedelta(days=5)
    seminar.save()
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    page = text_of(client.get(f"/evenements/{seminar.pk}/inscrire/"))
    assert "pouvez l'y désinscrire jusqu'au" not in page
    assert "la date limite des désinscriptions est passée" in page
    assert "(changer d'ateliers, se désinscrire)" not in page


def test_a_person_without_address_registered_by_another_is_refused_on_her_name(two_members):
    bondy, montreuil = two_members
    seminar = make_seminar("Séminaire ABS")
    url = f"/evenements/{seminar.pk}/inscrire/"
    first = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    assert first.post(url, _form()).status_code == 302
    other = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))
    refused = other.post(url, _form())
    assert refused.status_code == 400
    shown = text_of(refused)
    assert "déjà inscrite à cet événement, sans adresse e-mail" in shown
    assert "lien personnel reçu par e-mail" not in shown
    assert Registration.objects.get().registered_by == bondy  # Montreuil changed nothing
