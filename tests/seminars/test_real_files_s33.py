"""Session 33 (H23): the registrations import fed with real files (audit A10, findings 2, 5, 6).

- The platform's own list export (« Commune » and « Code INSEE ») re-imported into another event
  puts everyone back in their commune: the code picks among homonyms (Chelles 77108, not 60145;
  Montreuil 62588, not the union's 93048), a former commune's code leads to the one it joined; a
  code that names another commune than the typed name, or no commune, is its line's error.
- A phone number Excel turned into a number (+33 6 12 34 56 79 → 33612345679) is read back.
- « Adjointe aux affaires sociales » and the like are maires adjoints; « Adjoint administratif »,
  « Adjoint d'animation », « Adjoint technique » (agents' grades) stay « Autre ».

Real files (the export downloaded, XLSX written with openpyxl, CSV as Excel saves them) through
the admin's import page and the API, on the test PostgreSQL with the COG loaded."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from seminars.models import Fonction, Registration, Visibility
from seminars.phones import normalise_phone
from seminars.services import RegistrationData, register_person, resolve_commune
from tests.seminars.conftest import make_seminar

pytestmark = pytest.mark.django_db


def base(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/"


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def admin_import(client, seminar, path):
    with path.open("rb") as handle:
        return client.post(f"{base(seminar)}importer/", {"file": handle})


def refusals(response) -> list[tuple[str, ...]]:
    """The import page's table of errors: (line, column, message) of each."""
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        tuple(text_of(cell) for cell in row.select("th, td"))
        for row in page.select("main table tbody tr")
    ]


def api_import(staff_api, seminar, path):
    with path.open("rb") as handle:
        return staff_api.post(
            f"/api/v1/seminars/{seminar.pk}/registrations/import", {"file": handle}
        )


def csv_file(tmp_path, rows, name="liste.csv"):
    """As a French Excel saves a CSV: Windows-1252, semicolons, CRLF."""
    path = tmp_path / name
    path.write_bytes("".join(";".join(row) + "\r\n" for row in rows).encode("cp1252"))
    return path


def xlsx_file(tmp_path, rows, name="liste.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def communes_of(seminar) -> dict[str, tuple[str | None, str]]:
    return {
        r.nom: (r.commune_id, r.commune_status)
        for r in Registration.objects.filter(seminar=seminar)
    }


# 1. The list export re-imported ----------------------------------------------------------------

# (nom, commune as a person types it, the département that tells homonyms apart, code, fonction)
PEOPLE = [
    ("Legrand", "Chelles", "77", "77108", "maire"),
    ("Payet", "Saint-Denis", "974", "97411", "conseiller_municipal"),
    ("Lefebvre", "Montreuil", "62", "62588", "maire_adjoint"),
    ("Benali", "Montreuil", "", "93048", "directeur_ccas"),
    ("Roux", "Bondy", "", "93010", "maire"),
    ("Garcia", "Pierrefitte-sur-Seine", "", "93066", "dgs"),  # joined Saint-Denis in 2025
    ("Martin", "Paris 15e", "", "75056", "agent_action_sociale"),
    ("Colin", "Chelles", "60", "60145", "membre_ca"),
]


@pytest.fixture
def exported_list(organiser_client, tmp_path):
    """The list workbook of an event with people from six départements, downloaded as an
    organiser does, its title row deleted (the import reads the column titles on line 1)."""
    first = make_seminar("Journée des élus")
    for number, (nom, commune, departement, _code, fonction) in enumerate(PEOPLE):
        data = RegistrationData(
            nom=nom,
            prenom="Anne",
            email=f"personne{number}@exemple.fr",
            commune=resolve_commune(commune, departement or None),
            fonction=fonction,
        )
        register_person(first, data, notify=False)
    expected = {nom.upper(): (code, "matched") for nom, _c, _d, code, _f in PEOPLE}
    assert {nom.upper(): found for nom, found in communes_of(first).items()} == expected

    response = organiser_client.get(f"{base(first)}liste.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    if sheet.cell(1, 1).value != "Nom":
        sheet.delete_rows(1)
    assert [cell.value for cell in sheet[1]][3:5] == ["Commune", "Code INSEE"]
    path = tmp_path / "inscriptions-journee-des-elus.xlsx"
    workbook.save(path)
    return path, expected


def test_the_list_export_reimported_puts_everyone_back_in_their_commune(
    organiser_client, exported_list
):
    path, expected = exported_list
    second = make_seminar("Commission action sociale")

    response = admin_import(organiser_client, second, path)

    assert response.status_code == 302, refusals(response)
    assert communes_of(second) == expected  # Chelles 77108 and 60145, Montreuil 62588 and 93048
    shown = BeautifulSoup(
        organiser_client.get(response["Location"]).content.decode(), "html.parser"
    )
    said = text_of(shown)
    assert "0 commune à vérifier" in said
    assert "Code INSEE" not in said.split("Colonnes ignorées")[-1].split(".")[0]


def test_the_api_reads_the_code_column_too(exported_list, staff_api):
    path, expected = exported_list
    second = make_seminar("Commission action sociale")

    response = api_import(staff_api, second, path)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["imported"], body["flagged"]) == (len(PEOPLE), 0)
    assert "Code INSEE" not in body["ignored_columns"]
    assert communes_of(second) == expected


def test_a_code_picks_the_homonym_and_a_former_communes_code_its_successor(
    organiser_client, tmp_path
):
    """Other titles of the column (« CODGEO », as INSEE's files title it); a code a spreadsheet
    read as a number (01004 → 1004); a former commune's code (Pierrefitte-sur-Seine, 93059)."""
    seminar = make_seminar("Journée des élus")
    path = csv_file(
        tmp_path,
        [
            ("Nom", "Prénom", "Ville", "CODGEO", "Fonction"),
            ("Legrand", "Anne", "Montreuil", "62588", "Maire"),
            ("Payet", "Jean", "Saint-Denis", "97411", "Maire"),
            ("Garcia", "Inès", "Pierrefitte-sur-Seine", "93059", "DGS"),
            ("Morel", "Luc", "Ambérieu-en-Bugey", "1004", "Maire"),
            ("Roux", "Léa", "ST OUEN", "93070", "Maire"),
        ],
    )

    response = admin_import(organiser_client, seminar, path)

    assert response.status_code == 302, refusals(response)
    assert communes_of(seminar) == {
        "Legrand": ("62588", "matched"),
        "Payet": ("97411", "matched"),
        "Garcia": ("93066", "matched"),
        "Morel": ("01004", "matched"),
        "Roux": ("93070", "matched"),
    }
    assert Registration.objects.get(nom="Garcia").commune_typed == "Pierrefitte-sur-Seine"


def test_a_code_of_another_commune_or_no_commune_is_its_lines_error(organiser_client, tmp_path):
    seminar = make_seminar("Journée des élus")
    path = csv_file(
        tmp_path,
        [
            ("Nom", "Prénom", "Commune", "Code INSEE", "Fonction"),
            ("Legrand", "Anne", "Bondy", "93048", "Maire"),
            ("Payet", "Jean", "Chelles", "", "Maire"),  # no code: the name, as before
            ("Roux", "Léa", "Bondy", "99999", "Maire"),
            ("Morel", "Luc", "Paris", "62588", "Maire"),
            ("Colin", "Agnès", "Bondy", "abc", "Maire"),
        ],
    )

    response = admin_import(organiser_client, seminar, path)

    assert response.status_code == 400
    keep = "corrigez le code ou la commune, ou videz la cellule du code pour que la commune soit lue par son nom."
    unknown = (
        "Indiquez le code INSEE de la commune, à 5 caractères (93010 pour Bondy), ou videz la "
        "cellule pour que la commune soit lue par son nom."
    )
    assert refusals(response) == [
        (
            "2",
            "Code INSEE",
            f"Le code INSEE 93048 (Montreuil, 93) ne correspond pas à la commune « Bondy » "
            f"(93010) : {keep}",
        ),
        ("4", "Code INSEE", f"Code INSEE inconnu : « 99999 ». {unknown}"),
        (
            "5",
            "Code INSEE",
            f"Le code INSEE 62588 (Montreuil-sur-Mer, 62) ne correspond pas à la commune « Paris » "
            f"(75056) : {keep}",
        ),
        ("6", "Code INSEE", f"Code INSEE inconnu : « abc ». {unknown}"),
    ]
    assert not Registration.objects.filter(seminar=seminar).exists()


def test_the_api_refuses_a_code_of_another_commune_at_its_line(tmp_path, staff_api):
    seminar = make_seminar("Journée des élus")
    path = xlsx_file(
        tmp_path,
        [
            ["Nom", "Prénom", "Commune", "Code commune", "Fonction"],
            ["Legrand", "Anne", "Chelles", "60145", "Maire"],
            ["Payet", "Jean", "Bondy", "77108", "Maire"],
        ],
    )

    response = api_import(staff_api, seminar, path)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["line"], error["column"]) == (3, "Code commune")
    assert error["message"].startswith(
        "Le code INSEE 77108 (Chelles, 77) ne correspond pas à la commune «\u00a0Bondy\u00a0» "
        "(93010)\u00a0: corrigez le code ou la commune"
    )
    assert not Registration.objects.filter(seminar=seminar).exists()


def test_another_montreuil_by_its_code_is_not_let_into_a_members_only_event(
    organiser_client, two_members, tmp_path
):
    """Montreuil (93048) is a member: read by its name alone in a union of the 93, Montreuil-sur-
    Mer (62588, « Montreuil » in many lists) came in as a member commune."""
    seminar = make_seminar("Commission", visibility=Visibility.MEMBERS)
    path = csv_file(
        tmp_path,
        [
            ("Nom", "Prénom", "Commune", "Code INSEE", "Fonction"),
            ("Roux", "Léa", "Bondy", "93010", "Maire"),
            ("Legrand", "Anne", "Montreuil", "62588", "Maire"),
        ],
    )

    response = admin_import(organiser_client, seminar, path)

    assert response.status_code == 400
    [(line, column, message)] = refusals(response)
    # In the cell the commune was read from, the code's (session 35: what to correct there).
    assert (line, column) == ("3", "Code INSEE")
    assert message.startswith("Montreuil-sur-Mer (62) n'est pas une commune membre de l'union")
    assert message.endswith("corrigez son code INSEE.")
    assert not Registration.objects.filter(seminar=seminar).exists()


# 2. A phone number Excel turned into a number --------------------------------------------------


def test_a_french_number_whose_plus_excel_dropped_is_read_back(organiser_client, tmp_path):
    seminar = make_seminar("Journée des élus")
    path = xlsx_file(
        tmp_path,
        [
            ["Nom", "Prénom", "Commune", "Fonction", "Téléphone"],
            ["Legrand", "Anne", "Bondy", "Maire", 33612345679],  # typed +33612345679
            ["Payet", "Jean", "Pantin", "Maire", 612345678],  # typed 0612345678
            ["Roux", "Léa", "Bobigny", "Maire", "+33 1 48 30 12 34"],
        ],
    )

    response = admin_import(organiser_client, seminar, path)

    assert response.status_code == 302, refusals(response)
    phones = dict(Registration.objects.filter(seminar=seminar).values_list("nom", "phone"))
    assert phones == {
        "Legrand": "06 12 34 56 79",
        "Payet": "06 12 34 56 78",
        "Roux": "01 48 30 12 34",
    }


def test_other_country_codes_are_not_guessed_nor_a_form_s_eleven_digits():
    with pytest.raises(ValidationError):
        normalise_phone("33612345679")  # typed on a form: the person can add the +
    for digits in ("3221234567", "447911123456", "4915112345678", "3361234567"):
        with pytest.raises(ValidationError):
            normalise_phone(digits, spreadsheet=True)
    assert normalise_phone("+32 2 123 45 67", spreadsheet=True) == "+32 2 123 45 67"


# 3. An adjoint's delegation ---------------------------------------------------------------------

ELUS = [
    "Adjointe aux affaires sociales",
    "Adjoint à l'action sociale",
    "adjointe aux solidarités",
    "Adjoint au maire chargé des affaires sociales",
    "Maire-adjointe déléguée aux seniors",
    "Adjoint(e) aux affaires sociales",
    "Adjointe à la petite enfance",
    "Adjoint au logement",
    "Adjointe chargée des personnes âgées",
    "Adjoint en charge de la santé",
]
GRADES = [
    "Adjoint administratif",
    "Adjoint d'animation",
    "Adjoint technique",
    "Adjoint administratif principal de 2e classe",
    "Adjoint du patrimoine",
    # A deputy on the staff, not an élu's delegation.
    "Adjointe au directeur du CCAS",
    "Adjoint à la responsable du pôle solidarités",
    "Adjoint chargé de mission",
]


def test_an_adjoints_delegation_is_a_maire_adjoint_and_a_grade_stays_autre(
    organiser_client, tmp_path
):
    seminar = make_seminar("Journée des élus")
    rows = [["Nom", "Prénom", "Commune", "Fonction"]]
    rows += [[f"Nom{n}", "Anne", "Bondy", typed] for n, typed in enumerate(ELUS + GRADES)]

    response = admin_import(organiser_client, seminar, xlsx_file(tmp_path, rows))

    assert response.status_code == 302, refusals(response)
    saved = dict(
        Registration.objects.filter(seminar=seminar).values_list("fonction_text", "fonction")
    )
    assert saved == {
        **dict.fromkeys(ELUS, Fonction.MAIRE_ADJOINT),
        **dict.fromkeys(GRADES, Fonction.AUTRE),
    }


def test_the_public_api_reads_an_adjoints_delegation_the_same_way(portal):
    """The public registration API maps a typed fonction (seminars.api.form_data_from_body)."""
    seminar = make_seminar("Journée des élus")
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    for number, fonction in enumerate(ELUS + GRADES):
        body = {
            "nom": f"Nom{number}",
            "prenom": "Anne",
            "email": f"api{number}@exemple.fr",
            "commune": "Bondy",
            "fonction": fonction,
        }
        response = portal.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content
    saved = dict(seminar.registrations.values_list("fonction_text", "fonction"))
    assert saved == {
        **dict.fromkeys(ELUS, Fonction.MAIRE_ADJOINT),
        **dict.fromkeys(GRADES, Fonction.AUTRE),
    }
