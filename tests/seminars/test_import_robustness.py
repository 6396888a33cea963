"""Registration imports from real files, through the organisers' screen and the API: whatever the
file (Mac line endings, Excel's « Texte Unicode », a stray quote, a NUL byte, a value too long for
the database), the import applies whole or not at all and says which line and column, in French;
never a 500."""

import pytest

from seminars.models import Registration

pytestmark = pytest.mark.django_db

HEADER = ["Nom", "Prénom", "Commune", "Fonction", "Email"]
ZOLA = ["Zola", "Émile", "Bondy", "Maire", "emile.zola@exemple.fr"]
ABEL = ["Abel", "Anne", "Montreuil", "DGS", ""]


def lines(*rows, delimiter: str = ";", newline: str = "\n") -> str:
    return "".join(delimiter.join(row) + newline for row in rows)


def admin_import(client, seminar, path):
    with path.open("rb") as upload:
        return client.post(f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload})


def api_import(client, seminar, path):
    with path.open("rb") as upload:
        return client.post(f"/api/v1/seminars/{seminar.pk}/registrations/import", {"file": upload})


def test_a_csv_with_mac_line_endings_imports(organiser_client, staff_api, seminar, tmp_path):
    path = tmp_path / "liste-mac.csv"
    path.write_bytes(lines(HEADER, ZOLA, ABEL, newline="\r").encode("cp1252"))
    assert admin_import(organiser_client, seminar, path).status_code == 302
    assert sorted(Registration.objects.values_list("nom", flat=True)) == ["Abel", "Zola"]
    response = api_import(staff_api, seminar, path)  # the same list again: updated, not doubled
    assert response.status_code == 200, response.content
    assert response.json()["imported"] == 2
    assert Registration.objects.count() == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_excel_unicode_text_utf16_tab_separated_imports(staff_api, seminar, tmp_path, encoding):
    path = tmp_path / "liste.txt"
    text = "\ufeff" + lines(HEADER, ZOLA, ABEL, delimiter="\t", newline="\r\n")
    path.write_bytes(text.encode("utf-16-le" if encoding == "utf-16" else encoding))
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    response = api_import(staff_api, seminar, path)
    assert response.status_code == 200, response.content
    assert response.json()["imported"] == 2
    zola = Registration.objects.get(nom="Zola")
    assert (zola.prenom, zola.commune_id, zola.email) == ("Émile", "93010", "emile.zola@exemple.fr")


def test_a_stray_quote_in_a_big_file_is_refused_in_french(
    organiser_client, staff_api, seminar, tmp_path
):
    rows = [HEADER] + [
        [f"Nom{n}", "Jo", "Noisy-le-Sec", "Conseillère municipale", f"personne{n}@exemple.fr"]
        for n in range(2, 4000)
    ]
    rows[3][1] = '"Jo'  # line 4 opens a quote that is never closed: the rest becomes one cell
    path = tmp_path / "grande-liste.csv"
    path.write_bytes(lines(*rows).encode())
    assert path.stat().st_size > 128 * 1024
    response = api_import(staff_api, seminar, path)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["line"] == 4 and "guillemet" in error["message"]
    page = admin_import(organiser_client, seminar, path)
    assert page.status_code == 400 and "guillemet" in page.content.decode()
    assert Registration.objects.count() == 0


def test_a_nul_byte_is_refused_with_its_line_and_column(
    organiser_client, staff_api, seminar, tmp_path
):
    path = tmp_path / "nul.csv"
    path.write_bytes(lines(HEADER, ZOLA, ["Ab\x00el", "Anne", "Bondy", "DGS", ""]).encode())
    response = api_import(staff_api, seminar, path)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["line"], error["column"]) == (3, "Nom")
    assert "caractère nul" in error["message"]
    page = admin_import(organiser_client, seminar, path)
    assert page.status_code == 400 and "caractère nul" in page.content.decode()
    assert Registration.objects.count() == 0


def test_values_too_long_for_the_database_are_refused_by_line_and_column(
    organiser_client, staff_api, seminar, tmp_path
):
    long_mail = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".fr"  # valid, yet 311 characters
    path = tmp_path / "longs.csv"
    path.write_text(
        lines(
            HEADER,
            ZOLA,
            ["N" * 300, "Anne", "Bondy", "DGS", ""],
            ["Abel", "P" * 151, "C" * 201, "F" * 201, long_mail],
        ),
        "utf-8",
    )
    response = api_import(staff_api, seminar, path)
    assert response.status_code == 400
    errors = {(e["line"], e["column"]): e["message"] for e in response.json()["errors"]}
    assert set(errors) == {(3, "Nom"), (4, "Prénom"), (4, "Commune"), (4, "Fonction"), (4, "Email")}
    assert errors[(3, "Nom")] == "Texte trop long : 300 caractères, 150 au plus."
    page = admin_import(organiser_client, seminar, path)
    assert page.status_code == 400 and "300 caractères, 150 au plus" in page.content.decode()
    assert Registration.objects.count() == 0
    # At the limits, everything goes in.
    path.write_text(lines(HEADER, ["N" * 150, "P" * 150, "C" * 200, "F" * 200, ""]), "utf-8")
    assert admin_import(organiser_client, seminar, path).status_code == 302
    assert Registration.objects.get().fonction_text == "F" * 200
