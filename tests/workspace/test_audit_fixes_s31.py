"""Session 31 audit of a member's space: the union's staff kept out of it, mandatures opened
and dated by the direction only, counts written in French, a key figure's own name refused as a
category, the key figure's label the same on screen and in the exports."""

import io
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tenants.utils import schema_context
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from tenants.models import Membership
from tenants.services import grant_membership
from tenants.workspace.compliance import check_board
from tenants.workspace.models import ActivityFigure, BoardMandate
from tests.conftest import PASSWORD, host_client, make_person, member_client, plain
from tests.workspace.conftest import add_figures, compliant_board, make_board
from union import roles

pytestmark = pytest.mark.django_db
User = get_user_model()


def union_staff_account(email: str = "admin@udccas93.demo", group: str = roles.UNION_ADMIN):
    user = User.objects.create_user(email, email, PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


# 1. The union's staff does not enter a member's space, even invited by its direction.


@pytest.mark.parametrize("group", [roles.UNION_ADMIN, roles.EDITOR])
def test_a_director_cannot_invite_the_unions_staff(bondy, group):
    union_staff_account(group=group)
    director = make_person(bondy, "direction@bondy.test")
    response = member_client(bondy, director).post(
        "/equipe/", {"email": "Admin@UDCCAS93.demo", "role": "agent", "first_name": "Ada"}
    )
    # As every refused form of the space (tests/workspace/test_review_fixes.py): 200.
    assert response.status_code == 200
    form = response.context["form"]
    assert plain(form.errors["email"][0]) == (
        "admin@udccas93.demo est un compte de l'équipe de l'union : l'union n'entre pas dans "
        "les espaces de ses membres. Invitez une personne de votre CCAS avec sa propre adresse."
    )
    assert 'value="Admin@UDCCAS93.demo"' in response.content.decode()
    assert 'value="Ada"' in response.content.decode()
    assert not Membership.objects.filter(member=bondy, user__email="admin@udccas93.demo").exists()


def test_a_django_staff_account_is_refused_too(bondy):
    staff = User.objects.create_user("staff@udccas93.demo", "staff@udccas93.demo", PASSWORD)
    staff.is_staff = True
    staff.save()
    director = make_person(bondy, "direction@bondy.test")
    response = member_client(bondy, director).post(
        "/equipe/", {"email": "staff@udccas93.demo", "role": "viewer"}
    )
    assert "est un compte de l'équipe de l'union" in response.context["form"].errors["email"][0]
    assert not Membership.objects.filter(member=bondy, user=staff).exists()


def test_an_access_given_to_the_unions_staff_before_opens_nothing(bondy):
    """A membership made before the team page refused it (or by any other way) lets the union's
    account in neither the pages nor the API."""
    admin = union_staff_account()
    grant_membership(bondy, admin.email, Membership.Role.DIRECTOR)
    response = member_client(bondy, admin).get("/")
    assert response.status_code == 403
    assert "Votre compte est un compte de l'équipe de l'union : l'union n'entre pas" in plain(
        response.content.decode()
    )
    assert member_client(bondy, admin).get("/conseil/").status_code == 403
    token = Token.objects.create(user=admin)
    api = host_client(bondy.domain_name).get(
        "/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert api.status_code == 403
    # An ordinary person of the team still enters.
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    assert member_client(bondy, agent).get("/").status_code == 200
    token = Token.objects.create(user=agent)
    api = host_client(bondy.domain_name).get(
        "/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert api.status_code == 200


# 2. Opening a mandature and changing its dates are the direction's, as the renewal.


def test_agents_neither_open_nor_date_a_mandature(bondy, clients):
    mandate = make_board(bondy)
    agent = clients["agent"]
    edit = f"/conseil/mandats/{mandate.pk}/modifier/"
    for path, data in [
        ("/conseil/mandats/ajouter/", {"label": "2026-2032", "start": "2026-04-01"}),
        (edit, {"label": "2020-2026", "start": "2020-07-01", "end": "2026-03-31"}),
    ]:
        assert agent.get(path).status_code == 403, path
        refused = agent.post(path, data)
        assert refused.status_code == 403, path
        assert plain(refused.content.decode()).count(
            "Seule la direction du CCAS ouvre une mandature ou en change les dates"
        ), path
    with schema_context(bondy.schema_name):
        assert list(BoardMandate.objects.values_list("label", "end")) == [("2020-2026", None)]
    # No link leads there; the agent keeps the board's members.
    page = agent.get("/conseil/").content.decode()
    assert "/conseil/mandats/ajouter/" not in page and edit not in page
    assert f"/conseil/mandats/{mandate.pk}/ajouter/" in page
    seat = agent.post(
        f"/conseil/mandats/{mandate.pk}/ajouter/",
        {"first_name": "Ana", "last_name": "Neuve", "seat": "elected", "start": "2024-01-01"},
    )
    assert seat.status_code == 302
    viewer_page = clients["viewer"].get("/conseil/").content.decode()
    assert "/conseil/mandats/ajouter/" not in viewer_page and edit not in viewer_page
    # The direction does both.
    director = clients["director"]
    assert director.get("/conseil/").content.decode().count("/conseil/mandats/ajouter/") == 1
    assert director.get(edit).status_code == 200
    saved = director.post(edit, {"label": "2020-2026", "start": "2020-07-01", "end": "2026-03-31"})
    assert saved.status_code == 302
    opened = director.post(
        "/conseil/mandats/ajouter/", {"label": "2026-2032", "start": "2026-04-01"}
    )
    assert opened.status_code == 302


def test_with_no_mandature_an_agent_is_told_the_direction_opens_it(bondy, clients):
    page = plain(clients["agent"].get("/conseil/").content.decode())
    assert "/conseil/mandats/ajouter/" not in page
    assert "La direction du CCAS ouvre la mandature ; vous en saisissez ensuite les membres." in (
        page
    )


# 3. A known count is written in French: « 6 élus », « 1 élu », « 0 élu ».


@pytest.mark.parametrize(
    ("elected", "appointed", "expected"),
    [(6, 6, "6 élus et 6 nommés."), (1, 0, "1 élu et 0 nommé."), (0, 2, "0 élu et 2 nommés.")],
)
def test_parity_counts_in_french(elected, appointed, expected):
    members = compliant_board(None, elected=elected, appointed=appointed)
    assert check_board(members).rules[1].detail.startswith(expected)


def test_group_sizes_and_missing_categories_in_french():
    members = compliant_board(None, elected=1, appointed=3)
    rules = {rule.code: rule.detail for rule in check_board(members).rules}
    assert plain(rules["group_sizes"]) == (
        "1 élu et 3 nommés : chaque groupe doit compter entre 4 et 8 membres."
    )
    assert plain(rules["associations"]) == (
        "Catégorie absente parmi les nommés : Personnes handicapées."
    )
    two_missing = compliant_board(None, elected=4, appointed=2)
    detail = {rule.code: rule.detail for rule in check_board(two_missing).rules}["associations"]
    assert plain(detail).startswith("Catégories absentes parmi les nommés : ")


def test_the_board_page_says_six_elus(bondy, clients):
    make_board(bondy, elected=6, appointed=6)
    page = plain(clients["viewer"].get("/conseil/").content.decode())
    assert "6 élus et 6 nommés." in page and "(s)" not in page


# 4. A key figure's own name is not a category: it is the sum of the pole's categories.

SECOURS_PARTS = (
    "Urgence alimentaire et hygiène, Transports, Permis de conduire, Obsèques, Énergie, eau, "
    "loyer, Aides aux enfants et étudiants et Fêtes de fin d'année"
)


@pytest.mark.parametrize(
    "typed", ["Secours accordés (total)", "SECOURS ACCORDES", "secours accordés"]
)
def test_the_form_refuses_the_key_figures_name_as_a_category(bondy, clients, typed):
    response = clients["agent"].post(
        "/activite/saisir/", {"year": 2026, "pole": "Secours", "category": typed, "count": "12"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["category"]
    message = plain(errors["category"][0])
    assert errors["category"][0].startswith(f"« {typed} » est le chiffre clé du pôle Secours")
    assert SECOURS_PARTS in message
    assert f'value="{typed}"' in response.content.decode()
    with schema_context(bondy.schema_name):
        assert not ActivityFigure.objects.exists()


def test_an_import_refuses_the_key_figures_name_by_line_and_column(bondy, clients, tmp_path):
    path = tmp_path / "activite.csv"
    path.write_text(
        "année;pôle;catégorie;nombre;montant\n"
        "2025;Secours;Transports;10;\n"
        "2025;Secours;Secours accordés;40;\n"
        "2025;Aides légales;Dossiers instruits (total);7;\n"
    )
    with open(path, "rb") as handle:
        response = clients["agent"].post("/api/v1/activity/import", {"file": handle})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [(3, "catégorie"), (4, "catégorie")]
    assert SECOURS_PARTS in plain(errors[0]["message"])
    assert "Dossiers d'aide sociale, Dossiers ASPA et Obligations alimentaires" in plain(
        errors[1]["message"]
    )
    with schema_context(bondy.schema_name):
        assert not ActivityFigure.objects.exists()


# 5. The key figure's label is the screen's in the exports; counts and changes formatted alike.


def test_exports_name_the_key_figure_as_the_screen_does(bondy, clients):
    add_figures(
        bondy,
        (2024, "Secours", "Transports", 2000, None),
        (2025, "Secours", "Transports", 1500, None),
        (2025, "Secours", "Commissions de secours", 12, None),
        (2024, "Aides légales", "Dossiers ASPA", 10, None),
        (2025, "Aides légales", "Dossiers ASPA", 12, None),
    )
    client = clients["viewer"]
    page = plain(client.get("/activite/?annee=2025").content.decode())
    assert "Chiffre clé : <strong>Secours accordés (total)</strong>" in page
    assert "Chiffre clé : <strong>Dossiers instruits (total)</strong>" in page
    csv_text = client.get("/activite/export.csv?annee=2025").content.decode("utf-8-sig")
    assert "Total du pôle" not in csv_text
    assert "Secours;Secours accordés (total) (hors Commissions de secours);1500;2000" in csv_text
    assert "Aides légales;Dossiers instruits (total);12;10" in csv_text
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/activite/export.xlsx?annee=2025").content)
    ).active
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=3) if row[1].value}
    total = rows["Secours accordés (total) (hors Commissions de secours)"]
    assert [cell.value for cell in total[2:4]] == [1500, 2000]
    assert {cell.number_format for cell in total[2:4]} == {"#,##0"}
    assert rows["Transports"][2].number_format == "#,##0"
    assert "Dossiers instruits (total)" in rows
    pdf = PdfReader(io.BytesIO(client.get("/activite/export.pdf?annee=2025").content))
    text = pdf.pages[0].extract_text()
    assert "Secours accordés (total)" in text and "Total du pôle" not in text
    assert "−25,0 %" in text.replace("\xa0", " ")  # the screen's minus sign
    assert "+20,0 %" in text.replace("\xa0", " ")


# 6. The domiciliation reminder names the deadline's year; a year not over says its figures are
# provisional.


@pytest.mark.parametrize(
    "today,year_not_over", [(date(2026, 12, 4), True), (date(2027, 1, 15), False)]
)
def test_the_domiciliation_reminder_names_the_deadlines_year(
    monkeypatch, bondy, today, year_not_over
):
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, *args: today if value is None else real(value)
    )
    add_figures(bondy, (2026, "Domiciliation", "Élections de domicile actives", 12, None))
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))
    assert "au préfet avant le 31 janvier 2027 : " in plain(client.get("/").content.decode())
    page = plain(client.get("/activite/domiciliation/?annee=2026").content.decode())
    assert ("L'année 2026 n'est pas finie" in page) is year_not_over
