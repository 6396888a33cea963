"""An ABS import says what it did to the values already entered (audit A10 #7): a value it
changes is counted, a validated or published one said to be a draft again; a value the file
gives as it is saved is left alone, its state with it (the same file sent twice turned the
direction's validated values back into drafts)."""

from html import unescape

import pytest
from django_tenants.utils import schema_context

from abs_shared.local.models import Observation
from abs_shared.local.services import validate_observations
from tests.abs_shared.conftest import observe, observe_and_publish, write_file
from tests.abs_shared.test_audit_fixes_s31 import post_file
from tests.conftest import make_person, member_client, plain

pytestmark = pytest.mark.django_db

HEADER = "indicateur;année;valeur;source\n"


def states(member) -> dict[tuple[str, int], tuple[str, str, bool]]:
    with schema_context(member.schema_name):
        return {
            (o.indicator_id, o.year): (
                o.state,
                f"{o.value.normalize():f}",
                o.published_at is not None,
            )
            for o in Observation.objects.all()
        }


def test_an_import_counts_what_it_replaced_and_leaves_equal_values_validated(two_members, tmp_path):
    bondy, montreuil = two_members
    observe_and_publish(bondy, "TP60", 2021, 21.5, source="INSEE Filosofi 2021")
    observe(bondy, "CHOM", 2021, 14, source="INSEE RP 2021")
    validate_observations(bondy, year=2021, indicators=["CHOM"])
    observe(bondy, "FAMMONO", 2021, 20, source="INSEE RP 2021")
    # Montreuil's rows have the same primary keys, other values: never read for Bondy.
    observe(montreuil, "TP60", 2021, 40, source="INSEE Filosofi 2021")
    observe(montreuil, "CHOM", 2021, 30, source="INSEE RP 2021")
    before_montreuil = states(montreuil)
    path = write_file(
        tmp_path,
        "abs.csv",
        HEADER + "TP60;2021;23,0;INSEE Filosofi 2021\n"  # published, changed
        "CHOM;2021;14;INSEE RP 2021\n"  # validated, as saved
        "FAMMONO;2021;20;INSEE RP 2021\n"  # draft, as saved
        "SUROCC;2021;9;INSEE RP 2021\n",  # new
    )

    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    page = plain(unescape(post_file(client, "/abs/importer/", path).content.decode()))

    assert (
        "2 valeurs importées comme brouillons, à valider. Dont 1 remplaçant une valeur déjà "
        "saisie (dont 1 validée ou publiée, redevenue brouillon ; une valeur publiée reste sur "
        "le portail jusqu'à la prochaine publication). 2 valeurs du fichier identiques à celles "
        "déjà saisies, laissées telles quelles." in page
    )
    after = states(bondy)
    assert after[("CHOM", 2021)] == ("validated", "14", False)  # kept validated
    assert after[("FAMMONO", 2021)] == ("draft", "20", False)
    assert after[("TP60", 2021)] == ("draft", "23", False)
    assert after[("SUROCC", 2021)] == ("draft", "9", False)
    assert states(montreuil) == before_montreuil

    again = plain(unescape(post_file(client, "/abs/importer/", path).content.decode()))
    assert (
        "Rien n'est modifié : 4 valeurs du fichier sont identiques à celles déjà saisies "
        "(leur état est gardé)." in again
    )
