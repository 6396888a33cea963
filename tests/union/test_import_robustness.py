"""The one reader of uploaded spreadsheets, on the files people really send: Mac line endings,
Excel's « Texte Unicode » (UTF-16, tabs), a stray quote, a NUL byte; and the ABS imports (references
in the admin, observations in the member space) on those files and on numbers too large to store.
An import applies whole or not at all and says which line and column, in French; never a 500."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from abs_shared.models import ReferenceValue
from tests.abs_shared.conftest import observations_of
from tests.conftest import PASSWORD, host_client, make_person, member_client
from union import roles
from union.spreadsheets import ImportRejected, column_letter, read_rows

EXPECTED = [(1, ["Nom", "Commune"]), (2, ["Lefèvre", "Épinay"]), (3, []), (4, ["Durand", "Bondy"])]


def test_mac_line_endings_are_lines():
    content = "Nom;Commune\rLefèvre;Épinay\r\rDurand;Bondy\r".encode("cp1252")
    assert read_rows(content, "inscrits.csv") == EXPECTED


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_utf16_with_tabs(encoding):
    text = "\ufeffNom\tCommune\r\nLefèvre\tÉpinay\r\n\r\nDurand\tBondy\r\n"
    assert read_rows(text.encode(encoding), "inscrits.txt") == EXPECTED
    # Without its BOM, the NUL byte beside every letter still gives UTF-16 away.
    assert read_rows(text[1:].encode(encoding), "inscrits.txt") == EXPECTED


def test_a_cell_on_several_lines_is_not_a_stray_quote():
    content = b'Nom;Note\nDurand;"ligne 1\nligne 2 avec ""guillemets"""\n'
    assert read_rows(content, "x.csv")[1] == (2, ["Durand", 'ligne 1\nligne 2 avec "guillemets"'])
    # A quote inside a cell that didn't open with one is a character like any other.
    assert read_rows(b'Nom;Note\nDurand;12" ecran\n', "x.csv")[1] == (2, ["Durand", '12" ecran'])


@pytest.mark.parametrize("size", ["small", "beyond csv's 128 KB field limit"])
def test_a_quote_never_closed_is_refused_with_its_line(size):
    rows = ["Nom;Note"] + [f"Durand{n};note {n}" for n in range(2, 6 if size == "small" else 9000)]
    rows[2] = 'Martin;"note ouverte'
    with pytest.raises(ImportRejected) as refusal:
        read_rows(("\n".join(rows) + "\n").encode(), "notes.csv")
    (issue,) = refusal.value.errors
    assert issue.line == 3 and "guillemet" in issue.message and "jamais refermé" in issue.message


def test_nul_characters_are_refused_with_line_and_column():
    with pytest.raises(ImportRejected) as refusal:
        read_rows(b"Nom;Commune;\nDu\x00rand;Bondy;x\x00\n", "x.csv")
    assert [issue.as_dict() for issue in refusal.value.errors] == [
        {"line": 2, "column": "Nom", "message": refusal.value.errors[0].message},
        {"line": 2, "column": "colonne C", "message": refusal.value.errors[0].message},
    ]
    assert "caractère nul" in refusal.value.errors[0].message
    # NULs everywhere: not a text file; one message rather than thousands.
    with pytest.raises(ImportRejected) as refusal:
        read_rows(b"a;b\n" + b"\x00\x01;\x00\x02\n" * 100, "x.csv")
    (issue,) = refusal.value.errors
    assert "n'est pas un texte CSV" in issue.message


def test_column_letters():
    assert [column_letter(i) for i in (0, 2, 25, 26, 27, 701, 702)] == [
        "A",
        "C",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


# --- ABS: references in the admin, observations in the member space --------------------------


def admin_client():
    user = get_user_model().objects.create_user("abs@union.test", "abs@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return host_client("localhost", user)


def post_references(client, path):
    with path.open("rb") as handle:
        return client.post("/admin/abs/references/", {"file": handle, "source": "Test"})


REFERENCES = "level;code;indicator;year;value;source\n"


@pytest.mark.django_db
def test_references_from_mac_and_unicode_text_files(tmp_path):
    client = admin_client()
    mac = tmp_path / "refs.csv"
    mac.write_bytes((REFERENCES + "france;FRM;CHOM;2021;12,4;INSEE\r").replace("\n", "\r").encode())
    assert post_references(client, mac).status_code == 302
    unicode_text = tmp_path / "refs.txt"
    unicode_text.write_bytes(
        ("\ufeff" + REFERENCES + "france;FRM;CHOM;2020;11,9;INSEE\n")
        .replace(";", "\t")
        .replace("\n", "\r\n")
        .encode("utf-16-le")
    )
    assert post_references(client, unicode_text).status_code == 302
    assert sorted(ReferenceValue.objects.values_list("year", "value")) == [
        (2020, Decimal("11.9")),
        (2021, Decimal("12.4")),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row, column, message",
    [
        ("france;FRM;CHOM;2021;12,4;IN\x00SEE", "source", "caractère nul"),
        ("france;FRM;MED;2021;1 000 000 000 000;", "value", "trop grand"),
        ("france;FRM;MED;2021;999999999999,99999;", "value", "trop grand"),
        ("france;FRM;MED;2021;1E+999999;", "value", "trop grand"),
    ],
)
def test_references_that_cant_be_stored_are_refused_by_line_and_column(
    tmp_path, row, column, message
):
    path = tmp_path / "refs.csv"
    path.write_bytes((REFERENCES + "france;FRM;CHOM;2020;12;\n" + row + "\n").encode())
    response = post_references(admin_client(), path)
    page = response.content.decode()
    assert response.status_code == 400 and "rien n'a été importé" in page
    assert f"<td>{column}</td>" in page and message in page
    assert not ReferenceValue.objects.exists()


@pytest.mark.django_db
def test_observations_refused_by_line_and_column_never_a_500(bondy, tmp_path):
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    path = tmp_path / "abs.csv"

    def post(content: bytes):
        path.write_bytes(content)
        with path.open("rb") as handle:
            return client.post("/api/v1/observations/import", {"file": handle})

    header = b"indicator;year;value;numerator;denominator;source;comment\n"
    for row, column, message in [
        (b"TP60;2021;26,5;;;;note\x00", "comment", "caractère nul"),
        (b"TP60;2021;26,5;1E+999999;;;", "numerator", "trop grand"),
        (b"TP60;2021;26,5;;99999999999999;;", "denominator", "trop grand"),
        (b"MED;2021;999999999999,99999;;;;", "value", "trop grand"),
        ("TP60;²;26,5;;;;".encode(), "year", "n'est pas une année"),
        (b"TP60;" + b"2" * 5000 + b";26,5;;;;", "year", "n'est pas une année"),
    ]:
        response = post(header + b"TP60;2020;27;;;;\n" + row + b"\n")
        assert response.status_code == 400, row
        (error,) = response.json()["errors"]
        assert (error["line"], error["column"]) == (3, column), row
        assert message in error["message"], row
    assert observations_of(bondy) == []
    mac = post((header + b"TP60;2021;26,5;;;INSEE;\r").replace(b"\n", b"\r"))
    assert mac.status_code == 201 and mac.json()["imported"] == 1
    unicode_text = post(
        ("\ufeff" + (header + b"TP60;2020;27;;;;\n").decode())
        .replace(";", "\t")
        .encode("utf-16-le")
    )
    assert unicode_text.status_code == 201 and unicode_text.json()["imported"] == 1
    assert len(observations_of(bondy)) == 2
