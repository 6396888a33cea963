"""Activity imports from real files, through the page and the API, and the entry form: Mac line
endings, Excel's « Texte Unicode », a stray quote, a NUL byte, numbers the database can't hold.
The import applies whole or not at all and says which line and column, in French; never a 500."""

import pytest
from django_tenants.utils import schema_context

from tenants.workspace.models import ActivityFigure

pytestmark = pytest.mark.django_db

HEADER = "année;pôle;catégorie;nombre;montant"


def figures(member) -> list[tuple]:
    with schema_context(member.schema_name):
        return list(
            ActivityFigure.objects.values_list("year", "pole", "category", "count", "amount")
        )


def page_import(client, path):
    with path.open("rb") as handle:
        return client.post("/activite/importer/", {"file": handle})


def api_import(client, path):
    with path.open("rb") as handle:
        return client.post("/api/v1/activity/import", {"file": handle})


def test_mac_line_endings_and_utf16_unicode_text_import(bondy, clients, tmp_path):
    mac = tmp_path / "activite-mac.csv"
    mac.write_bytes(f"{HEADER}\r2024;Secours;Transports;10;1 234,50\r".encode("cp1252"))
    response = page_import(clients["agent"], mac)
    assert response.status_code == 302, response.content.decode()[-2000:]
    unicode_text = tmp_path / "activite.txt"
    unicode_text.write_bytes(
        (
            "\ufeffannée\tpôle\tcatégorie\tnombre\tmontant\r\n"
            "2024\tSecours\tObsèques\t3\t1 200,00\r\n"
        ).encode("utf-16-le")
    )
    response = api_import(clients["agent"], unicode_text)
    assert response.status_code == 201, response.content
    assert sorted(row[2] for row in figures(bondy)) == ["Obsèques", "Transports"]


def test_a_stray_quote_in_a_big_file_is_refused(bondy, clients, tmp_path):
    lines = [HEADER] + [f"2024;Secours;Catégorie numéro {n};{n};" for n in range(2, 5000)]
    lines[2] = '2024;Secours;"Catégorie ouverte;3;'
    path = tmp_path / "activite.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert path.stat().st_size > 128 * 1024
    response = api_import(clients["agent"], path)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["line"] == 3 and "guillemet" in error["message"]
    page = page_import(clients["agent"], path)
    assert page.status_code == 200 and "guillemet" in page.content.decode()
    assert figures(bondy) == []


def test_a_nul_byte_is_refused_with_its_line_and_column(bondy, clients, tmp_path):
    path = tmp_path / "activite.csv"
    path.write_bytes(
        f"{HEADER}\n2024;Secours;Transports;10;\n2024;Sec\x00ours;Obsèques;3;\n".encode()
    )
    response = api_import(clients["agent"], path)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["line"], error["column"]) == (3, "pôle")
    assert "caractère nul" in error["message"]
    page = page_import(clients["agent"], path)
    assert page.status_code == 200 and "caractère nul" in page.content.decode()
    assert figures(bondy) == []


def test_numbers_too_large_for_the_database_are_refused_by_line_and_column(
    bondy, clients, tmp_path
):
    path = tmp_path / "activite.csv"
    path.write_text(
        f"{HEADER}\n"
        "2024;Secours;Transports;2147483647;999 999 999 999,99\n"  # the largest that fit
        "2024;Secours;Obsèques;2147483648;\n"
        "2024;Secours;Énergie;;1 000 000 000 000\n"
        "2024;Secours;Permis;99999999999999999999999999999999999;1E+999999\n"
        "99999999999;Secours;Loyer;1;\n",
        "utf-8",
    )
    response = api_import(clients["agent"], path)
    assert response.status_code == 400
    errors = {(e["line"], e["column"]): e["message"] for e in response.json()["errors"]}
    assert set(errors) == {
        (3, "nombre"),
        (4, "montant"),
        (5, "nombre"),
        (5, "montant"),
        (6, "année"),
    }
    assert errors[(3, "nombre")] == "Nombre trop grand : au plus 2\u202f147\u202f483\u202f647."
    assert (
        errors[(4, "montant")]
        == "Montant trop grand : au plus 999\u202f999\u202f999\u202f999,99 €."
    )
    page = page_import(clients["agent"], path)
    assert page.status_code == 200 and "Nombre trop grand" in page.content.decode()
    assert figures(bondy) == []
    path.write_text(f"{HEADER}\n2024;Secours;Transports;2147483647;999 999 999 999,99\n", "utf-8")
    assert api_import(clients["agent"], path).status_code == 201
    ((*_, count, amount),) = figures(bondy)
    assert (count, str(amount)) == (2147483647, "999999999999.99")


@pytest.mark.parametrize(
    "field, typed",
    [("count", "2147483648"), ("amount", "1 000 000 000 000"), ("amount", "1E+999999")],
)
def test_the_entry_form_refuses_numbers_too_large_and_keeps_them(bondy, clients, field, typed):
    data = {"year": 2024, "pole": "Secours", "category": "Transports", field: typed}
    response = clients["agent"].post("/activite/saisir/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{typed}"' in page
    if field == "amount":
        assert "Montant trop grand" in page
    assert figures(bondy) == []
