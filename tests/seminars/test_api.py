"""The seminars API through real HTTP on the portal: public reads and registrations, staff writes."""

import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from seminars.models import Registration, SeminarPage, Visibility
from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def registration_body(**overrides) -> dict:
    body = {
        "nom": "Durand",
        "prenom": "Aïcha",
        "email": "aicha@exemple.fr",
        "commune": "93053",
        "fonction": "maire_adjoint",
        "ateliers": [],
        "needs": "",
        "consent": True,
    }
    body.update(overrides)
    return body


def test_list_shows_public_fields_seats_left_and_ateliers(portal, seminar):
    a = seminar.ateliers.get(title="Atelier A")
    register_person(seminar, person(1, ateliers=[a.pk]))
    make_seminar("Sur invitation", visibility=Visibility.INVITATION)
    response = portal.get("/api/v1/seminars/")
    assert response.status_code == 200
    (event,) = response.json()["results"]
    assert event["id"] == seminar.pk and event["kind"] == "seminaire"
    assert (event["seats"], event["seats_left"]) == (50, 49)
    atelier = next(x for x in event["ateliers"] if x["id"] == a.pk)
    assert (atelier["seats"], atelier["seats_left"]) == (3, 2)
    assert event["url"].endswith("/evenements/seminaire-de-test/")
    assert "registrations" not in event and "invitation_key" not in json.dumps(event)


def test_staff_creates_a_published_event_under_the_calendar(staff_api, portal, seminar):
    body = {
        "title": "Commission solidarités",
        "kind": "commission",
        "start": "2027-03-04T09:30:00+01:00",
        "end": "2027-03-04T12:00:00+01:00",
        "venue": "Maison des associations",
        "seats": 25,
    }
    response = post_json(staff_api, "/api/v1/seminars/", body)
    assert response.status_code == 201, response.content
    page = SeminarPage.objects.get(pk=response.json()["id"])
    assert page.live and page.get_parent().specific_class.__name__ == "SeminarIndexPage"
    assert (page.kind, page.seats, page.venue_name) == ("commission", 25, "Maison des associations")
    assert portal.get(response.json()["url"].removeprefix("http://localhost")).status_code == 200
    assert post_json(portal, "/api/v1/seminars/", body).status_code in (401, 403)
    bad = post_json(
        staff_api, "/api/v1/seminars/", {**body, "kind": "fete", "end": "2020-01-01T00:00Z"}
    )
    assert bad.status_code == 400 and {"kind"} <= set(bad.json())


def test_registration_rules_over_the_api(portal, seminar):
    a, b, c = seminar.ateliers.order_by("sort_order")
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    created = post_json(portal, url, registration_body(ateliers=[a.pk, c.pk]))
    assert created.status_code == 201
    assert created.json()["status"] == "confirmed" and created.json()["ateliers"] == sorted(
        [a.pk, c.pk]
    )
    # The same person (under another name the address is refused: test_review_s15_public.py).
    again = post_json(portal, url, registration_body(commune="Pantin", ateliers=[c.pk]))
    assert again.status_code == 200 and again.json()["created"] is False
    (registration,) = Registration.objects.filter(seminar=seminar)
    assert registration.pk == created.json()["id"] and registration.commune_id == "93055"
    errors = post_json(
        portal, url, registration_body(email="x", fonction="autre", ateliers=[a.pk, b.pk])
    )
    assert errors.status_code == 400
    body = errors.json()
    assert set(body) >= {"email", "fonction_text", "ateliers"}
    assert "en même temps" in body["ateliers"][0]
    typed = post_json(
        portal, url, registration_body(email="c@exemple.fr", fonction="Conseillère municipale")
    )
    registration = Registration.objects.get(pk=typed.json()["id"])
    assert (registration.fonction, registration.fonction_text) == (
        "conseiller_municipal",
        "Conseillère municipale",
    )


def test_full_event_waitlists_over_the_api(portal):
    seminar = make_seminar(seats=1)
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    assert post_json(portal, url, registration_body()).json()["status"] == "confirmed"
    second = post_json(portal, url, registration_body(email="b@exemple.fr"))
    assert second.status_code == 201 and second.json()["status"] == "waitlisted"


def test_invitation_only_event_needs_the_key(portal):
    seminar = make_seminar(visibility=Visibility.INVITATION)
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    assert post_json(portal, url, registration_body()).status_code == 404
    ok = post_json(portal, url, registration_body(invitation=seminar.invitation_key))
    assert ok.status_code == 201


def test_staff_lists_registrations_with_commune_status(staff_api, portal, seminar):
    register_person(seminar, person(1, commune="Bondy"))
    register_person(seminar, person(2, commune="Aubervillier"))
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    assert portal.get(url).status_code in (401, 403)
    rows = {row["nom"]: row for row in staff_api.get(url).json()}
    assert rows["Nom1"]["commune"] == {"code": "93010", "nom": "Bondy"}
    assert rows["Nom1"]["commune_status"] == "matched"
    flagged = rows["Nom2"]
    assert flagged["commune"] is None and flagged["commune_typed"] == "Aubervillier"
    assert flagged["commune_status"] == "flagged"
    assert {"code": "93001", "nom": "Aubervilliers"} in flagged["commune_suggestions"]
    assert set(flagged) >= {"id", "prenom", "email", "fonction", "status", "ateliers"}


def test_import_and_export_over_the_api(staff_api, portal, seminar, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text(
        "Nom;Prénom;Commune;Fonction;Email\nZola;Émile;Bondy;Maire;\nAbel;Anne;Aubervillier;DGS;\n",
        "utf-8",
    )
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    with path.open("rb") as upload:
        response = staff_api.post(f"{url}import", {"file": upload, "hint": "93"})
    assert response.status_code == 200, response.content
    assert (response.json()["imported"], response.json()["flagged"]) == (2, 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("Nom;Prénom;Commune;Fonction\nZola;;Bondy;Maire\n", "utf-8")
    with bad.open("rb") as upload:
        refused = staff_api.post(f"{url}import", {"file": upload})
    assert refused.status_code == 400
    assert refused.json() == {
        "errors": [{"line": 2, "column": "Prénom", "message": "Prénom manquant."}]
    }
    with path.open("rb") as upload:
        assert portal.post(f"{url}import", {"file": upload}).status_code in (401, 403)

    xlsx = staff_api.get(f"{url}export", {"format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["ABEL", "ZOLA"]
    pdf = staff_api.get(f"{url}export", {"format": "pdf"})
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "ABEL" in text and "Aubervillier" in text and "Signature" in text
    csv_text = staff_api.get(f"{url}export", {"format": "csv"}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "Nom;Prénom;Commune;Fonction;Signature"
    assert portal.get(f"{url}export", {"format": "csv"}).status_code in (401, 403)


def test_openapi_schema_documents_the_routes(portal):
    schema = portal.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/seminars/{id}/registrations/" in paths or any(
        p.startswith("/api/v1/seminars/") and "registrations" in p for p in paths
    )


def test_malformed_bodies_get_a_400_not_a_500(portal, seminar):
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    assert post_json(portal, url, ["pas", "un", "objet"]).status_code == 400
    one = post_json(portal, url, registration_body(ateliers=999999))
    assert one.status_code == 400 and "ateliers" in one.json()
    form_encoded = portal.post(url, {**registration_body(), "ateliers": []})
    assert form_encoded.status_code == 201
    assert Registration.objects.get(pk=form_encoded.json()["id"]).consent is True


def test_an_unknown_event_is_a_french_404_on_every_organisers_route(staff_api):
    """One look-up (`_event`) for every route of an event: get_object_or_404's own message
    named the code's model (« Aucun objet SeminarPage ne correspond à cette requête. »)."""
    base = "/api/v1/seminars/999999"
    for method, path in (
        ("get", f"{base}/registrations/"),
        ("post", f"{base}/registrations/import"),
        ("get", f"{base}/registrations/export?format=csv"),
        ("get", f"{base}/evaluations/"),
        ("post", f"{base}/evaluations/remind"),
    ):
        response = getattr(staff_api, method)(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Événement introuvable."}, path
