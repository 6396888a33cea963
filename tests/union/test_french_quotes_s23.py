"""French quotation marks hold their words with no-break spaces (U+00A0), so that no line, on a
phone, in an e-mail or a PDF, ends on an opening quote or opens on a closing one. The source is written that way; this test
keeps it so."""

import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("abs_shared", "knowledge_base", "seminars", "tenants", "union", "templates", "locale")
SUFFIXES = {".py", ".html", ".txt", ".js", ".po"}
# Written with escapes so that this file does not hold what it looks for.
BREAKABLE_QUOTE = re.compile("\u00ab |\u00ab\t| \u00bb|\t\u00bb")


def breakable_quotes(folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in SUFFIXES or ".venv" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if BREAKABLE_QUOTE.search(line):
                    yield f"{path.relative_to(ROOT)}:{number}: {line.strip()}"


def test_the_source_writes_french_quotes_with_no_break_spaces():
    """Tests are left out: many compare text whose whitespace they collapsed (`str.split`
    reads U+00A0 as a space), so they write plain spaces there."""
    assert list(breakable_quotes(FOLDERS)) == []


@pytest.mark.django_db
def test_a_rendered_error_keeps_its_quotes_with_the_words(portal):
    response = Client().get("/recherche/", {"q": "zzzqqq"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "\u00ab\u00a0zzzqqq\u00a0\u00bb" in body
    assert "\u00ab zzzqqq" not in body
