"""The organisers' import page says the file's columns once: required ones, optional ones (the
Département or Région column and the form's default hint explained together), then what the
import does; the file input is described by a short help pointing to them. Real HTTP through
the test client as an organiser."""

import pytest
from bs4 import BeautifulSoup

from tests.seminars.conftest import make_seminar

pytestmark = pytest.mark.django_db


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def test_the_import_page_lists_each_column_once(organiser_client):
    seminar = make_seminar(ateliers=(("Budget", 1, 2, 10),))
    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/importer/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    main = soup.find("main") or soup
    text = words(main)
    for column in ("Prénom", "Fonction", "Téléphone", "Email", "Besoins particuliers", "Atelier…"):
        assert text.count(column) == 1, (column, text.count(column))

    section = main.find("section", attrs={"aria-labelledby": "import-columns"})
    assert words(section.find(id="import-columns")) == "Colonnes attendues"
    lists = {
        words(h3): [words(li.strong) for li in h3.find_next_sibling("ul").find_all("li")]
        for h3 in section.find_all("h3")
        if h3.find_next_sibling("ul").find("strong")
    }
    assert lists["Obligatoires"] == ["Nom", "Prénom", "Commune", "Fonction"]
    assert lists["Facultatives"] == ["Email", "Téléphone", "Département", "Besoins", "Atelier…"]
    assert "« Budget »" in words(section)
    # The hint's own help says that a column wins over it.
    assert "(voir aussi « Département ou région par défaut » ci-dessous)" in words(section)

    # The file input is described by the short help, which exists; the hint keeps its own.
    upload = main.find("input", attrs={"type": "file"})
    described = main.find(id=upload["aria-describedby"])
    assert words(described) == "Ses colonnes sont décrites ci-dessus (« Colonnes attendues »)."
    hint = main.find("input", attrs={"name": "hint"})
    assert "homonymes" in words(main.find(id=hint["aria-describedby"]))


def test_a_refused_file_is_shown_with_the_columns_once(organiser_client):
    seminar = make_seminar()
    response = organiser_client.post(f"/admin/inscriptions/{seminar.pk}/importer/", {"hint": ""})
    assert response.status_code == 400
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    main = soup.find("main") or soup
    assert words(main).count("Prénom") == 1
    upload = main.find("input", attrs={"type": "file"})
    assert "id_file_error" in upload["aria-describedby"]
    assert main.find(id="id_file_error") is not None


def test_a_file_wrong_on_every_line_is_counted_whole_and_listed_up_to_a_hundred(
    organiser_client,
):
    """ImportRejected keeps the first hundred errors (union.spreadsheets.reported_issues): the
    caption still says how many the file has."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    seminar = make_seminar()
    lines = "".join(f"Nom{n};Prénom{n};Bondy;\n" for n in range(150))  # no fonction: 1 each
    upload = SimpleUploadedFile("liste.csv", ("Nom;Prénom;Commune;Fonction\n" + lines).encode())
    response = organiser_client.post(
        f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload, "hint": ""}
    )
    assert response.status_code == 400
    alert = BeautifulSoup(response.content.decode(), "html.parser").find("div", role="alert")
    table = alert.find("table")
    assert words(table.caption) == "Rien n'a été importé : 150 erreurs"
    assert len(table.tbody.find_all("tr")) == 101
