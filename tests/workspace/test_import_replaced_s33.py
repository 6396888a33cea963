"""An activity import says how many figures it replaced with other numbers (audit A10 #7):
sending a file again could overwrite figures corrected by hand without a word."""

import pytest

from tests.abs_shared.conftest import write_file
from tests.abs_shared.test_audit_fixes_s31 import post_file
from tests.conftest import make_person, member_client, plain
from tests.workspace.conftest import add_figures

pytestmark = pytest.mark.django_db

HEADER = "année;pôle;catégorie;nombre;montant\n"


def test_an_activity_import_says_what_it_replaced(two_members, tmp_path):
    bondy, montreuil = two_members
    add_figures(bondy, (2025, "Accueil", "Premiers accueils", 120, None))
    add_figures(bondy, (2025, "Accueil", "Rendez-vous", 40, None))
    # Montreuil has figures of the same year (same primary keys): not Bondy's.
    add_figures(montreuil, (2025, "Accueil", "Orientations", 7, None))
    path = write_file(
        tmp_path,
        "activite.csv",
        HEADER + "2025;Accueil;Premiers accueils;135;\n"
        "2025;Accueil;Rendez-vous;40;\n"
        "2025;Accueil;Orientations;12;\n",
    )
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))

    page = plain(post_file(client, "/activite/importer/", path).content.decode())

    assert (
        "3 chiffres importés : 1 nouveau, 1 remplaçant un chiffre déjà saisi (valeurs "
        "différentes) et 1 identique au chiffre déjà saisi." in page
    )


def test_a_first_import_says_only_how_many(bondy, tmp_path):
    path = write_file(tmp_path, "activite.csv", HEADER + "2025;Accueil;Premiers accueils;135;\n")
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    page = plain(post_file(client, "/activite/importer/", path).content.decode())
    assert "1 chiffre importé." in page and "remplaçant" not in page
