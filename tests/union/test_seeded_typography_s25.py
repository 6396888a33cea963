"""Text seeded by old migrations (the ABS catalogue, abs_shared 0002; the home page, union 0002)
had an ordinary space before a colon or a semicolon: a phone could open a line on the mark
alone. abs_shared 0007 and union 0007 put a no-break space (U+00A0) there, in the rows still
holding the seeded text only: a text the staff edited is left as they wrote it. Each test
migrates its app back to before the fix, sets the rows as an old database has them, and migrates
forward."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from abs_shared.models import Indicator
from tests.conftest import make_member
from union.models import HomePage

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
FILOSOFI_BREAK = (
    "Filosofi : dernier millésime 2021, INSEE n'a pas produit d'édition 2022 ; "
    "la série est rompue après 2021."
)
D9D1_DEFINITION = (
    "Rapport entre le niveau de vie plancher des 10 % les plus aisés et le niveau de vie plafond "
    "des 10 % les plus modestes : plus il est élevé, plus les inégalités sont fortes."
)
HOME_INTRO = (
    "Le réseau des CCAS et CIAS du département : guides, expériences, rencontres et "
    "indicateurs partagés."
)
HOME_BODY = (
    "<p>L'union départementale fédère les centres communaux et intercommunaux d'action sociale "
    "du département : elle outille leurs équipes, forme leurs élus et mutualise les données de "
    "l'analyse des besoins sociaux.</p>"
)
EDITED_BODY = "<p>Notre union : le réseau des CCAS du département.</p>"
BEFORE = {
    "abs_shared": ("abs_shared", "0006_french_no_break_spaces"),
    "union": ("union", "0006_french_no_break_spaces"),
}
AFTER = {
    "abs_shared": ("abs_shared", "0007_seeded_catalogue_no_break_spaces"),
    "union": ("union", "0007_seeded_home_page_no_break_spaces"),
}


def typeset(text: str) -> str:
    return text.replace(" :", NBSP + ":").replace(" ;", NBSP + ";")


def migrate(target: tuple[str, str]) -> None:
    connection.set_schema_to_public()
    executor = MigrationExecutor(connection)
    executor.migrate([target])


def test_the_seeded_catalogue_gets_its_no_break_spaces_and_an_edited_note_is_kept():
    migrate(BEFORE["abs_shared"])
    Indicator.objects.filter(code__in=["TP60", "D9D1"]).update(break_notes=FILOSOFI_BREAK)
    Indicator.objects.filter(code="D9D1").update(definition=D9D1_DEFINITION)
    edited = "Filosofi : série rompue après 2021 (note de l'union)."
    Indicator.objects.filter(code="MED").update(break_notes=edited)

    migrate(AFTER["abs_shared"])

    for code in ("TP60", "D9D1"):
        assert Indicator.objects.get(code=code).break_notes == typeset(FILOSOFI_BREAK)
    assert NBSP + ":" in Indicator.objects.get(code="TP60").break_notes
    assert Indicator.objects.get(code="D9D1").definition == typeset(D9D1_DEFINITION)
    assert Indicator.objects.get(code="MED").break_notes == edited  # as the staff wrote it


def seed_home(**fields) -> HomePage:
    values = {"intro": HOME_INTRO, "body": HOME_BODY} | fields
    HomePage.objects.update(**values)
    home = HomePage.objects.get()
    home.revisions.all().delete()
    return home


def test_a_home_page_never_edited_gets_its_no_break_spaces_an_edited_text_is_kept():
    migrate(BEFORE["union"])
    home = seed_home(body=EDITED_BODY)  # as 0002 left it (no revision), its body since changed

    migrate(AFTER["union"])

    home.refresh_from_db()
    assert home.intro == typeset(HOME_INTRO)
    assert NBSP + ":" in home.intro and " :" not in home.intro
    assert home.body == EDITED_BODY


def test_a_home_page_with_one_revision_is_fixed_in_the_page_and_the_revision():
    migrate(BEFORE["union"])
    home = seed_home()
    revision = home.save_revision()

    migrate(AFTER["union"])

    home.refresh_from_db()
    revision.refresh_from_db()
    assert (home.intro, home.body) == (typeset(HOME_INTRO), typeset(HOME_BODY))
    assert (revision.content["intro"], revision.content["body"]) == (home.intro, home.body)
    assert home.get_latest_revision_as_object().intro == home.intro


def test_a_home_page_edited_in_the_admin_is_left_alone():
    migrate(BEFORE["union"])
    home = seed_home()
    home.save_revision()
    home.save_revision()  # two revisions: someone worked on the page since 0002

    migrate(AFTER["union"])

    home.refresh_from_db()
    assert (home.intro, home.body) == (HOME_INTRO, HOME_BODY)


def test_the_fix_runs_in_the_public_schema_only():
    """union is a shared app: in a member's schema its migrations are recorded, not run."""
    bondy = make_member("93010")
    seed_home()
    with connection.cursor() as cursor:
        # This migration and the later ones: a later one recorded without it is an inconsistent
        # history, which migrate refuses.
        cursor.execute(
            f'DELETE FROM "{bondy.schema_name}".django_migrations WHERE app = %s AND name >= %s',
            list(AFTER["union"]),
        )
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=bondy.schema_name,
        interactive=False,
        verbosity=0,
    )
    connection.set_schema_to_public()
    assert HomePage.objects.get().intro == HOME_INTRO
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{bondy.schema_name}".django_migrations'
            " WHERE app = %s AND name = %s",
            list(AFTER["union"]),
        )
        assert cursor.fetchone()[0] == 1
