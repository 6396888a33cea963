"""Leftovers of the review of the member space (session 16): the documents API says what the
documents page shows and filters by category; the activity API's totals say what each key
figure counts; a CIAS's board texts name the président of the EPCI and its council, never the
maire and the conseil municipal.

New names are imported inside the tests, so that each test fails on its own assertion against
the code before these fixes rather than all at once on an import."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from tenants.models import Intercommunality, MemberCCAS
from tenants.workspace.models import BoardMember, Document
from tests.conftest import make_member, make_person, member_client
from tests.workspace.conftest import add_figures, make_board

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4" + b"x" * 2040  # 2 048 bytes


def upload(client, title: str, name: str = "fichier.pdf", content: bytes = PDF, **fields):
    response = client.post(
        "/documents/", {"title": title, "file": SimpleUploadedFile(name, content), **fields}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


# --- 1. The documents API --------------------------------------------------------------------


@pytest.fixture
def filed(two_members):
    """Bondy files a budget (by an agent who gave her name) and a deliberation; Montreuil one
    budget, whose id collides with Bondy's first."""
    bondy, montreuil = two_members
    agent = make_person(bondy, "awa@bondy.test", "agent")
    agent.first_name, agent.last_name = "Awa", "Diallo"
    agent.save()
    director = make_person(bondy, "dir@bondy.test")
    upload(
        member_client(bondy, agent),
        "Budget primitif 2026",
        "budget.pdf",
        category="budget",
        description="Voté le 15 janvier.",
        document_date="2026-01-15",
    )
    upload(
        member_client(bondy, director),
        "Délibération du CA",
        "deliberation.csv",
        b"point;vote\n1;pour\n",
        category="conseil",
    )
    upload(
        member_client(montreuil, make_person(montreuil, "dir@montreuil.test")),
        "Budget de Montreuil",
        "montreuil.pdf",
        category="budget",
    )
    with schema_context(bondy.schema_name):
        budget = Document.objects.get(title="Budget primitif 2026")
    with schema_context(montreuil.schema_name):
        assert Document.objects.get().pk == budget.pk  # the collision
    viewer = make_person(bondy, "lecture@bondy.test", "viewer")
    return bondy, montreuil, budget.pk, member_client(bondy, viewer)


def test_the_documents_api_says_what_the_page_shows(filed):
    bondy, montreuil, pk, viewer = filed
    data = viewer.get("/api/v1/documents/").json()
    assert data["count"] == 2
    by_title = {document["title"]: document for document in data["results"]}
    assert by_title["Budget primitif 2026"] == {
        "id": pk,
        "title": "Budget primitif 2026",
        "category": "budget",
        "category_label": "Budget et finances",
        "description": "Voté le 15 janvier.",
        "document_date": "2026-01-15",
        "file_format": "PDF",
        "content_type": "application/pdf",
        "size": 2048,
        "uploaded_at": by_title["Budget primitif 2026"]["uploaded_at"],
        "uploaded_by": "Awa Diallo",
        "replaced_at": None,
        "replaced_by": None,
        "url": f"http://{bondy.domain_name}/documents/{pk}/",
    }
    deliberation = by_title["Délibération du CA"]
    assert deliberation["category"] == "conseil"
    assert (
        deliberation["category_label"] == "Conseil d'administration (délibérations, procès-verbaux)"
    )
    assert deliberation["document_date"] is None and deliberation["description"] == ""
    assert (deliberation["file_format"], deliberation["content_type"]) == ("CSV", "text/csv")
    assert deliberation["uploaded_by"] == "dir@bondy.test"  # no name given: the address

    # The page shows the same things.
    page = BeautifulSoup(viewer.get("/documents/").content.decode(), "html.parser")
    row = page.find(id=f"document-{pk}").get_text(" ", strip=True)
    assert "Voté le 15 janvier." in row and "15 janvier 2026" in row and "par Awa Diallo" in row

    # `url` fetches the file, on this member's host only.
    download = viewer.get(f"/documents/{pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    other = member_client(montreuil, make_person(montreuil, "lecture@montreuil.test", "viewer"))
    (theirs,) = other.get("/api/v1/documents/").json()["results"]
    assert theirs["id"] == pk and theirs["title"] == "Budget de Montreuil"
    assert theirs["url"] == f"http://{montreuil.domain_name}/documents/{pk}/"


def test_a_replaced_file_says_who_replaced_it_and_a_lost_one_has_no_size(filed):
    bondy, _, pk, viewer = filed
    director = member_client(bondy, make_person(bondy, "dir2@bondy.test"))
    replaced = director.post(
        f"/documents/{pk}/remplacer/",
        {"file": SimpleUploadedFile("budget-v2.pdf", b"%PDF-1.7" + b"y" * 100)},
    )
    assert replaced.status_code == 302
    budget = next(d for d in viewer.get("/api/v1/documents/").json()["results"] if d["id"] == pk)
    assert budget["replaced_by"] == "dir2@bondy.test" and budget["replaced_at"]
    assert budget["size"] == 108

    with schema_context(bondy.schema_name):
        Document.objects.get(pk=pk).file.delete(save=False)
    response = viewer.get("/api/v1/documents/")
    assert response.status_code == 200
    budget = next(d for d in response.json()["results"] if d["id"] == pk)
    assert budget["size"] is None  # « introuvable » on the page


def test_the_documents_api_filters_by_category_and_refuses_an_unknown_one_in_french(filed):
    _, _, pk, viewer = filed
    budget = viewer.get("/api/v1/documents/?category=budget").json()
    assert [d["id"] for d in budget["results"]] == [pk] and budget["count"] == 1
    council = viewer.get("/api/v1/documents/", {"category": "conseil"}).json()["results"]
    assert [d["title"] for d in council] == ["Délibération du CA"]
    assert viewer.get("/api/v1/documents/?category=abs").json()["results"] == []
    assert viewer.get("/api/v1/documents/?category=").json()["count"] == 2  # as no filter

    wrong = viewer.get("/api/v1/documents/?category=Budget")
    assert wrong.status_code == 400
    assert wrong.json() == {
        "category": [
            "Catégorie inconnue « Budget » : conseil, budget, reglements, abs, rapports, "
            "conventions ou autres."
        ]
    }


# --- 2. What each pole's key figure counts, in the activity API ------------------------------


def test_each_total_of_the_activity_api_says_what_it_measures(bondy):
    for year, transports in ((2024, 10), (2025, 12)):
        add_figures(
            bondy,
            (year, "Secours", "Transports", transports, None),
            (year, "Secours", "Commissions de secours", 4, None),
            (year, "Élection de domicile", "Domiciliations actives au 31 décembre", 400, None),
            (year, "Élection de domicile", "Courriers reçus", 5000, None),
            (year, "Jardins partagés", "Parcelles", 30, None),
            (year, "Jardins partagés", "Ateliers", 12, None),
        )
    client = member_client(bondy, make_person(bondy, "lecture@bondy.test", "viewer"))
    totals = {
        total["pole"]: total for total in client.get("/api/v1/activity/?year=2025").json()["totals"]
    }
    domiciliation = totals["Élection de domicile"]
    assert domiciliation["measure"] == "Domiciliations actives au 31 décembre"
    assert (domiciliation["summed"], domiciliation["left_out"]) == (False, [])
    assert domiciliation["count"] == 400
    secours = totals["Secours"]
    assert secours["measure"] == "Secours accordés (total)"
    assert (secours["summed"], secours["left_out"]) == (True, ["Commissions de secours"])
    assert (secours["count"], secours["count_evolution_pct"]) == (12, 20.0)
    own = totals["Jardins partagés"]  # two categories of the member's own: no key figure
    assert (own["measure"], own["summed"], own["count"]) == (None, False, None)

    # The names the report page gives.
    page = client.get("/activite/?annee=2025").content.decode()
    for measure in ("Domiciliations actives au 31 décembre", "Secours accordés (total)"):
        assert f"Chiffre clé : <strong>{measure}</strong>" in page


# --- 3. A CIAS's board: the président of the EPCI and its council ----------------------------


def cias_of(kind: str) -> MemberCCAS:
    grouping = Intercommunality.objects.filter(kind=kind).order_by("siren").first()
    seat = grouping.communes.order_by("code").first()
    return make_member(seat.code, kind=MemberCCAS.Kind.CIAS, epci_siren=grouping.siren)


def compliance_of(member, client) -> dict:
    rules = client.get("/api/v1/board/compliance/").json()["rules"]
    return {rule["code"]: rule for rule in rules}


def without_president(member) -> None:
    with schema_context(member.schema_name):
        BoardMember.objects.filter(seat=BoardMember.Seat.PRESIDENT).delete()


def test_the_board_rules_name_the_president_of_the_epci_for_a_cias_and_the_maire_for_a_ccas(
    bondy,
):
    cias = cias_of(Intercommunality.Kind.CA)
    ccas_board, cias_board = make_board(bondy), make_board(cias)
    assert ccas_board.pk == cias_board.pk  # each host judges its own board
    ccas_client = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    cias_client = member_client(cias, make_person(cias, "dir@cias.test"))

    ccas = compliance_of(bondy, ccas_client)
    assert ccas["president"]["label"] == "Le maire préside le conseil d'administration"
    epci = compliance_of(cias, cias_client)
    assert epci["president"]["label"] == (
        "Le président de l'EPCI préside le conseil d'administration"
    )

    without_president(bondy)
    without_president(cias)
    ccas = compliance_of(bondy, ccas_client)
    assert ccas["president"]["detail"] == (
        "Aucun président de droit : le maire préside le conseil d'administration."
    )
    epci = compliance_of(cias, cias_client)
    assert epci["president"]["detail"] == (
        "Aucun président de droit : le président de l'EPCI préside le conseil d'administration."
    )
    for rule in epci.values():
        text = f"{rule['label']} {rule['detail']}"
        assert "maire" not in text and "conseil municipal" not in text, rule["code"]


def test_the_renewal_alert_of_a_cias_names_the_epci_and_counts_from_its_council(bondy):
    from tenants.workspace.compliance import board_authorities, renewal_due, term_warnings

    cias = cias_of(Intercommunality.Kind.CA)
    april = date(2026, 4, 1)
    ccas_board, cias_board = make_board(bondy), make_board(cias)

    # The CCAS: the texts the alert has always shown.
    with schema_context(bondy.schema_name):
        renewal = renewal_due(ccas_board, april)
    assert (renewal.installed_by, renewal.due) == (date(2026, 3, 29), date(2026, 5, 29))
    assert renewal.deadline == (
        "Après chaque renouvellement du conseil municipal, celui-ci élit ses représentants au "
        "conseil d'administration et le maire nomme les autres membres, dans les deux mois "
        "suivant l'installation du conseil municipal (CASF R123-10) : au plus tard le 29 mai "
        "2026 pour un conseil municipal installé le 29 mars 2026, dernier jour possible."
    )
    assert renewal.presidency_check == (
        "Le maire, président de droit, a pu changer avec les élections : vérifiez la présidence."
    )
    assert renewal.presidency_changed == "Le maire, président de droit, a pu changer."

    # The CIAS: its council, installed at the latest on Friday 24 April 2026 (CGCT L5211-8: the
    # Friday of the fourth week after the maires' election, 29 March at the latest).
    with schema_context(cias.schema_name):
        renewal = renewal_due(cias_board, april)
        assert term_warnings(cias_board, april).renewal.due == date(2026, 6, 24)
    assert (renewal.installed_by, renewal.due) == (date(2026, 4, 24), date(2026, 6, 24))
    assert renewal.when == "dans 84 jours"
    assert renewal.deadline == (
        "Après chaque renouvellement général des conseils municipaux, le conseil communautaire, "
        "renouvelé avec eux, élit ses représentants au conseil d'administration et le président "
        "de l'EPCI nomme les autres membres, dans les deux mois suivant l'installation du "
        "conseil communautaire (CASF R123-10 et R123-27) : au plus tard le 24 juin 2026 pour un "
        "conseil communautaire installé le 24 avril 2026 (CGCT L5211-8), dernier jour possible."
    )
    assert renewal.presidency_check == (
        "Le président de l'EPCI, président de droit, a pu changer avec les élections : "
        "vérifiez la présidence."
    )
    for text in (renewal.deadline, renewal.presidency_check, renewal.presidency_changed):
        assert "maire" not in text and "conseil municipal" not in text

    # The council's name follows the intercommunality: an EPT's is its conseil de territoire.
    est_ensemble = make_member("93010", kind=MemberCCAS.Kind.CIAS)  # Est Ensemble (EPT)
    assert board_authorities(est_ensemble).council == "conseil de territoire"
    assert board_authorities(bondy).council == "conseil municipal"
