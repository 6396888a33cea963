"""Bad input found in review of the member space: overlapping or same-named mandates, the same
person seated twice at once, invitations that defaulted to the director role, activity figures
for a year not begun, counts typed with spaces, « Rôle de agent@… »."""

import datetime as dt
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.activity import latest_activity_year
from tenants.workspace.compliance import current_mandate, mandate_compliance
from tenants.workspace.models import ActivityFigure, BoardMandate, BoardMember
from tenants.workspace.services import MandateClash, create_mandate, update_mandate
from tests.workspace.conftest import make_board
from union.formats import with_de

pytestmark = pytest.mark.django_db

HEADER = "année;pôle;catégorie;nombre;montant"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def field_error(response, name: str) -> str:
    error = soup_of(response).find(id=f"id_{name}_error")
    return error.get_text(" ", strip=True) if error else ""


def typed(response, name: str) -> str:
    return soup_of(response).find("input", attrs={"name": name})["value"]


def mandates(member) -> list[tuple]:
    with schema_context(member.schema_name):
        return list(BoardMandate.objects.order_by("start").values_list("label", "start", "end"))


# --- 1. Mandates follow one another, each under its own label --------------------------------


def test_a_mandate_over_the_running_one_is_refused_with_the_end_date_to_set(bondy, clients):
    mandate = make_board(bondy)  # 2020-2026, from 1 July 2020, no end
    client = clients["director"]
    response = client.post(
        "/conseil/mandats/ajouter/", {"label": "2023-2029", "start": "2023-01-01", "end": ""}
    )
    assert response.status_code == 200
    error = field_error(response, "start")
    assert "La mandature 2020-2026 (depuis le 1er juillet 2020, sans date de fin)" in error
    assert "est encore en cours le 1er janvier 2023" in error
    # The renewal: the previous mandate's end is the eve of the new one, said as a date to set.
    assert "indiquez d'abord la fin de la mandature 2020-2026" in error
    assert "le 31 décembre 2022, veille du début de celle-ci" in error
    assert typed(response, "label") == "2023-2029" and typed(response, "start") == "2023-01-01"
    assert soup_of(response).title.get_text().startswith("Erreur – ")
    assert mandates(bondy) == [("2020-2026", date(2020, 7, 1), None)]
    # The board and the dashboard still show the full board, compliant.
    assert "Aucun membre saisi" not in client.get("/conseil/").content.decode()
    with schema_context(bondy.schema_name):
        assert current_mandate() == mandate
        assert mandate_compliance(current_mandate()).compliant

    # Done as told: the previous mandate ends on the eve, and the new one opens.
    closed = client.post(
        f"/conseil/mandats/{mandate.pk}/modifier/",
        {"label": "2020-2026", "start": "2020-07-01", "end": "2022-12-31", "adjust_seats": "on"},
    )
    assert closed.status_code == 302
    opened = client.post(
        "/conseil/mandats/ajouter/", {"label": "2023-2029", "start": "2023-01-01", "end": ""}
    )
    assert opened.status_code == 302
    assert [label for label, *_ in mandates(bondy)] == ["2020-2026", "2023-2029"]


def test_a_mandate_whose_dates_overlap_another_is_refused_on_the_right_field(bondy, clients):
    make_board(bondy)
    client = clients["director"]  # opening a mandature is the direction's (session 31)
    # Starting earlier without an end, it would run over 2020-2026: the end is what is wrong.
    response = client.post(
        "/conseil/mandats/ajouter/", {"label": "2014-2020", "start": "2014-04-05", "end": ""}
    )
    error = field_error(response, "end")
    assert "Sans date de fin, cette mandature chevaucherait la mandature 2020-2026" in error
    assert "indiquez sa fin, le 30 juin 2020 au plus tard" in error
    assert field_error(response, "start") == ""
    response = client.post(
        "/conseil/mandats/ajouter/",
        {"label": "2014-2020", "start": "2014-04-05", "end": "2020-07-01"},
    )
    assert "finissez-la le 30 juin 2020 au plus tard" in field_error(response, "end")
    # The same first day.
    response = client.post(
        "/conseil/mandats/ajouter/", {"label": "Autre", "start": "2020-07-01", "end": ""}
    )
    assert "commence déjà le 1er juillet 2020" in field_error(response, "start")
    assert len(mandates(bondy)) == 1
    # Right before it: accepted; and then a start inside a closed mandate says both ways out.
    response = client.post(
        "/conseil/mandats/ajouter/",
        {"label": "2014-2020", "start": "2014-04-05", "end": "2020-06-30"},
    )
    assert response.status_code == 302
    response = client.post(
        "/conseil/mandats/ajouter/",
        {"label": "2019", "start": "2019-01-01", "end": "2019-12-31"},
    )
    error = field_error(response, "start")
    assert "La mandature 2014-2020 (du 5 avril 2014 au 30 juin 2020)" in error
    assert "Commencez celle-ci le 1er juillet 2020 au plus tôt" in error
    assert "le 31 décembre 2018, veille du début de celle-ci" in error
    assert len(mandates(bondy)) == 2


def test_a_label_already_used_is_refused_naming_that_mandate(bondy, clients):
    make_board(bondy)
    client = clients["director"]
    for label in ("2020-2026", " 2020 – 2026 "):  # spaces and dashes do not make another name
        response = client.post(
            "/conseil/mandats/ajouter/",
            {"label": label, "start": "2014-01-01", "end": "2016-12-31"},
        )
        assert response.status_code == 200
        error = field_error(response, "label")
        assert (
            "La mandature 2020-2026 (depuis le 1er juillet 2020, sans date de fin) porte déjà "
            "ce nom" in error
        )
        assert field_error(response, "start") == field_error(response, "end") == ""
    assert len(mandates(bondy)) == 1


def test_editing_a_mandate_follows_the_same_rules(bondy, clients):
    with schema_context(bondy.schema_name):
        old = BoardMandate.objects.create(
            label="2014-2020", start=date(2014, 4, 5), end=date(2020, 6, 30)
        )
    make_board(bondy)
    client = clients["director"]
    path = f"/conseil/mandats/{old.pk}/modifier/"
    response = client.post(path, {"label": "2014-2020", "start": "2014-04-05", "end": ""})
    assert "chevaucherait la mandature 2020-2026" in field_error(response, "end")
    response = client.post(path, {"label": "2020-2026", "start": "2014-04-05", "end": "2020-06-30"})
    assert "porte déjà ce nom" in field_error(response, "label")
    assert mandates(bondy)[0] == ("2014-2020", date(2014, 4, 5), date(2020, 6, 30))
    # Its own label and dates are no clash with itself.
    response = client.post(path, {"label": "2014-2020", "start": "2014-04-01", "end": "2020-06-30"})
    assert response.status_code == 302


def test_the_services_refuse_a_clash_too(bondy):
    mandate = make_board(bondy)
    with schema_context(bondy.schema_name):
        with pytest.raises(MandateClash) as refused:
            create_mandate(bondy, "2026-2032", date(2026, 3, 22))
        assert set(refused.value.errors) == {"start"}
        assert "le 21 mars 2026, veille du début de celle-ci" in refused.value.errors["start"]
        other = create_mandate(bondy, "2008-2014", date(2008, 3, 1), date(2014, 3, 31))
        with pytest.raises(MandateClash) as refused:
            update_mandate(bondy, other, "2020-2026", date(2008, 3, 1), None)
        assert set(refused.value.errors) == {"label", "end"}
        assert BoardMandate.objects.count() == 2
        assert current_mandate() == mandate


# --- 2. One seat at a time per person --------------------------------------------------------

DUPONT = {"first_name": "Jean", "last_name": "Dupont", "seat": "elected"}


def test_the_same_person_seated_twice_at_once_is_refused(bondy, clients):
    mandate = make_board(bondy)
    client = clients["agent"]
    path = f"/conseil/mandats/{mandate.pk}/ajouter/"
    assert client.post(path, {**DUPONT, "start": "2021-07-04"}).status_code == 302
    # Folded: case, accents and spaces do not make another person; nor does another seat kind.
    again = {
        "first_name": " JEAN ",
        "last_name": "Dupônt",
        "seat": "appointed",
        "category": "family",
        "association": "UDAF",
    }
    response = client.post(path, {**again, "start": "2022-01-01"})
    assert response.status_code == 200
    error = field_error(response, "start")
    assert "Jean Dupont siège déjà au conseil de la mandature 2020-2026" in error
    assert "élu(e) du conseil municipal, depuis le 4 juillet 2021, sans date de fin" in error
    assert "indiquez d'abord la fin de son premier mandat" in error
    assert "le 31 décembre 2021 au plus tard" in error
    assert typed(response, "first_name").strip() == "JEAN"  # what was typed stays
    # Starting before the first seat and running into it: the end is what is wrong.
    response = client.post(path, {**DUPONT, "start": "2021-01-01", "end": ""})
    assert "Finissez ce mandat-ci le 3 juillet 2021 au plus tard" in field_error(response, "end")
    with schema_context(bondy.schema_name):
        assert BoardMember.objects.filter(last_name="Dupont").count() == 1
        assert BoardMember.objects.count() == 10
    # The API says it by field too.
    response = client.post(
        "/api/v1/board/members/", {"first_name": "jean", "last_name": "DUPONT",
                                   "seat": "elected", "start": "2023-02-01"},
    )  # fmt: skip
    assert response.status_code == 400 and "siège déjà" in response.json()["start"][0]


def test_a_second_seat_after_the_first_ended_is_accepted(bondy, clients):
    mandate = make_board(bondy)
    client = clients["agent"]
    path = f"/conseil/mandats/{mandate.pk}/ajouter/"
    client.post(path, {**DUPONT, "start": "2021-07-04"})
    with schema_context(bondy.schema_name):
        first = BoardMember.objects.get(last_name="Dupont")
    # A seat that ended overlaps no longer than its last day.
    response = client.post(
        f"/conseil/membres/{first.pk}/", {**DUPONT, "start": "2021-07-04", "end": "2022-01-01"}
    )
    assert response.status_code == 302
    response = client.post(path, {**DUPONT, "start": "2022-01-01"})
    assert "Commencez ce mandat-ci le 2 janvier 2022 au plus tôt" in field_error(response, "start")
    response = client.post(path, {**DUPONT, "start": "2022-01-02"})
    assert response.status_code == 302
    # Editing a seat is no clash with itself.
    with schema_context(bondy.schema_name):
        second = BoardMember.objects.get(last_name="Dupont", start=date(2022, 1, 2))
    response = client.post(f"/conseil/membres/{second.pk}/", {**DUPONT, "start": "2022-01-03"})
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        sitting = [m.full_name for m in BoardMember.objects.all() if m.sits_on(date(2024, 1, 1))]
        assert sitting.count("Jean Dupont") == 1


# --- 3. An invitation gives the least privilege unless told otherwise ------------------------


def test_the_invitation_role_defaults_to_read_only(bondy, clients):
    page = soup_of(clients["director"].get("/equipe/"))
    select = page.find("select", attrs={"name": "role", "id": "id_role"})
    selected = [
        option["value"] for option in select.find_all("option") if option.has_attr("selected")
    ]
    assert selected == ["viewer"]
    # An explicit choice still counts.
    response = clients["director"].post("/equipe/", {"email": "d2@bondy.test", "role": "director"})
    assert response.status_code == 302
    assert Membership.objects.get(member=bondy, user__email="d2@bondy.test").role == "director"


# --- 4. No activity for a year not begun -----------------------------------------------------


def test_the_latest_year_is_the_current_one_in_paris(monkeypatch):
    # 31 December, 23:30 in UTC is already 1 January in Paris.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC))
    assert latest_activity_year() == 2027
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 31, 22, 30, tzinfo=dt.UTC))
    assert latest_activity_year() == 2026


def test_a_figure_for_next_year_is_refused_by_the_form_and_the_import(bondy, clients, tmp_path):
    this_year = timezone.localdate().year
    client = clients["agent"]
    figure = {"pole": "Secours", "category": "Transports", "count": "3", "amount": ""}
    response = client.post("/activite/saisir/", {**figure, "year": this_year + 1})
    assert response.status_code == 200
    assert field_error(response, "year") == (
        f"L'année {this_year + 1} n'a pas commencé : saisissez une année entre 1990 et "
        f"{this_year}, l'année en cours."
    )
    assert soup_of(response).find("input", attrs={"name": "year"})["max"] == str(this_year)
    # An absurd year: the same French range, not Django's « Assurez-vous que… ».
    response = client.post("/activite/saisir/", {**figure, "year": 99999})
    assert field_error(response, "year") == f"Année entre 1990 et {this_year}."
    path = tmp_path / "activite.csv"
    path.write_text(
        f"{HEADER}\n{this_year};Secours;Transports;3;\n{this_year + 1};Secours;Obsèques;1;\n",
        "utf-8",
    )
    with path.open("rb") as handle:
        response = client.post("/api/v1/activity/import", {"file": handle})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "line": 3,
            "column": "année",
            "message": f"L'année {this_year + 1} n'a pas commencé : saisissez une année entre "
            f"1990 et {this_year}, l'année en cours.",
        }
    ]
    with path.open("rb") as handle:
        page = soup_of(client.post("/activite/importer/", {"file": handle})).get_text(" ")
    assert f"L'année {this_year + 1} n'a pas commencé" in page
    with schema_context(bondy.schema_name):
        assert not ActivityFigure.objects.exists()
    response = client.post("/activite/saisir/", {**figure, "year": this_year})
    assert response.status_code == 302


# --- 5. Counts typed as French writes them ---------------------------------------------------


@pytest.mark.parametrize("count", ["1 234", "1\u00a0234", "1\u202f234", " 1234 "])
def test_the_entry_form_reads_counts_with_spaces(bondy, clients, count):
    response = clients["agent"].post(
        "/activite/saisir/",
        {"year": 2025, "pole": "Secours", "category": "Transports", "count": count, "amount": ""},
    )
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.get().count == 1234


@pytest.mark.parametrize(
    "count, message",
    [
        ("3 000 000 000", "Nombre trop grand : au plus 2\u202f147\u202f483\u202f647."),
        (
            "12,5",
            "Nombre invalide : « 12,5 » (attendu : un entier positif ou nul, par exemple 1 234).",
        ),
        ("-3", "Nombre invalide : « -3 » (attendu : un entier positif ou nul, par exemple 1 234)."),
    ],
)
def test_the_entry_form_refuses_counts_as_the_import_does(bondy, clients, tmp_path, count, message):
    data = {"year": 2025, "pole": "Secours", "category": "Transports", "count": count}
    response = clients["agent"].post("/activite/saisir/", {**data, "amount": ""})
    assert response.status_code == 200
    assert field_error(response, "count") == message
    assert typed(response, "count") == count
    path = tmp_path / "activite.csv"
    path.write_text(f"{HEADER}\n2025;Secours;Transports;{count};\n", "utf-8")
    with path.open("rb") as handle:
        errors = clients["agent"].post("/api/v1/activity/import", {"file": handle}).json()
    assert errors["errors"] == [{"line": 2, "column": "nombre", "message": message}]
    with schema_context(bondy.schema_name):
        assert not ActivityFigure.objects.exists()


# --- 6. « de » elided ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("agent@bondy.test", "d'agent@bondy.test"),
        ("Émilie", "d'Émilie"),
        ("Œdipe", "d'Œdipe"),
        ("Yves", "d'Yves"),
        ("Yannick", "de Yannick"),
        ("Hugues", "de Hugues"),
        ("viewer@bondy.test", "de viewer@bondy.test"),
        ("2020-2026", "de 2020-2026"),
        ("", "de "),
    ],
)
def test_de_is_elided_before_a_vowel(text, expected):
    assert with_de(text) == expected


def test_the_team_page_elides_de_before_an_address(bondy, clients, people):
    page = soup_of(clients["director"].get("/equipe/"))
    labels = {label.get_text(strip=True) for label in page.find_all("label")}
    assert "Rôle d'agent@bondy.test" in labels and "Rôle de viewer@bondy.test" in labels
    assert not any("de agent@" in label for label in labels)
    text = " ".join(page.get_text(" ").split())
    assert "le rôle d'agent@bondy.test" in text and "Retirer l'accès d'agent@bondy.test" in text
    assert "rôle de agent@" not in text and "accès de agent@" not in text
    agent = Membership.objects.get(member=bondy, user=people["agent"])
    response = clients["director"].post(f"/equipe/{agent.pk}/role/", {"role": "chef"}, follow=True)
    messages = soup_of(response).find(class_="messages").get_text(" ", strip=True)
    assert "celui d'agent@bondy.test ne change pas" in messages
