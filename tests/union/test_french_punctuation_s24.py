"""French typography puts a space before « : ; ? ! ». An ordinary space there lets a line, on a
phone, in an e-mail or a PDF, open on the mark alone; the source writes a no-break space (U+00A0)
instead, and this test keeps it so.

It reads what people read: Python string literals (not docstrings, comments, raw strings or
migrations, which record past states), templates outside their tags, <script> and <style>, and the
translations (msgstr). Tests are left out: many compare text whose whitespace they collapsed
(`str.split` reads U+00A0 as a space), so they write plain spaces there."""

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest
from django.test import Client
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("abs_shared", "knowledge_base", "seminars", "tenants", "union", "templates", "locale")
# A mark after an ordinary space that follows a word, and itself followed by a space, the end of
# the text, markup, a template tag or a closing character. "http://", "a:b" or an indented line
# do not match.
BREAKABLE = re.compile(r"(?<=[^\s]) (?=[:;?!]+(?:[\s\"'<\u00bb)\]\\{]|$))")
TEMPLATE_CODE = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}"
    r"|<script\b.*?</script>|<style\b.*?</style>",
    re.S,
)


def _docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                yield first.value.lineno


def python_texts(source):
    """(line, text) of each string literal people may read; f-strings whole."""
    docstrings = set(_docstrings(ast.parse(source)))
    depth = 0
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.FSTRING_START:
            depth += 1
            if depth == 1:
                line, parts = token.start[0], [token.string]
        elif depth and token.type == tokenize.FSTRING_END:
            depth -= 1
            parts.append(token.string)
            if depth == 0:
                yield line, "".join(parts)
        elif depth:
            parts.append(token.string)
        elif token.type == tokenize.STRING and token.start[0] not in docstrings:
            prefix = re.match(r"[A-Za-z]*", token.string).group(0).lower()
            if "r" not in prefix and "b" not in prefix:
                yield token.start[0], token.string


def template_texts(source):
    yield from enumerate(TEMPLATE_CODE.sub("{}", source).splitlines(), 1)


def translation_texts(source):
    entries = source.split("\n\n")[1:]  # the first entry is the catalogue's header
    for entry in entries:
        for line in entry.splitlines():
            if line.startswith(("msgstr", '"')):
                yield 0, line


READERS = {
    ".py": python_texts,
    ".html": template_texts,
    ".txt": template_texts,
    ".po": translation_texts,
}


def breakable_marks(folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            read = READERS.get(path.suffix)
            if read is None or "migrations" in path.parts or ".venv" in path.parts:
                continue
            for number, text in read(path.read_text(encoding="utf-8")):
                if BREAKABLE.search(text):
                    yield f"{path.relative_to(ROOT)}:{number}: {text.strip()[:120]}"


def test_the_source_writes_no_break_spaces_before_french_marks():
    assert list(breakable_marks(FOLDERS)) == []


def test_the_reader_finds_an_ordinary_space_in_each_kind_of_text():
    """The guard above would pass on nothing; here each reader is shown a mistake."""
    assert BREAKABLE.search(list(python_texts('x = f"Total : {n}"'))[0][1])
    assert not list(python_texts('"""Docstring : for developers."""'))
    assert [t for _, t in template_texts("<p>Adresse : {{ a }}</p>") if BREAKABLE.search(t)]
    assert not [
        t for _, t in template_texts("{% if a %}<script>a ? b : c</script>") if BREAKABLE.search(t)
    ]
    assert [
        t
        for _, t in translation_texts('h\n\nmsgid "a"\nmsgstr "Statut : "\n')
        if BREAKABLE.search(t)
    ]
    assert not BREAKABLE.search("https://exemple.fr a:b")


def breakable_translations(catalogue):
    """The msgids whose French, as the site shows it, breaks before a mark or inside « »."""
    # Iterating a TranslationCatalog also yields the keys that a higher catalogue overrides;
    # catalogue[key] is the text the site shows.
    for key in sorted(set(catalogue.keys()) - {""}, key=str):
        text = catalogue[key]
        if BREAKABLE.search(text) or re.search("\u00ab | \u00bb", text):
            yield key if isinstance(key, str) else key[0]


def test_every_french_translation_keeps_its_marks_with_their_words():
    """The libraries' catalogues too (Wagtail, Django, Django REST framework): locale/fr/ gives
    the strings whose French has an ordinary space there the same text with U+00A0. A library
    upgrade that brings a new one is listed here: copy its entry into locale/fr/, fix the spaces,
    and compile."""
    assert sorted(set(breakable_translations(trans_real.translation("fr")._catalog))) == []


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_keeps_its_colon(portal):
    """Wagtail's JavaScript strings (`djangojs`) are served by the admin's catalogue view, which
    reads locale/fr/ too: its one French string with a colon, in the time-zone list."""
    response = Client().get("/admin/jsi18n/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "%(time_zone_option)s\\u00a0: %(localized_time_zone_label)s" in body
    assert "%(time_zone_option)s : " not in body


def test_the_translation_reader_finds_a_library_string_left_as_it_was():
    catalogue = {
        "Toggle": "Changer de thème (actuellement : clair)",
        "Quote": "l'en-tête « Referer »",
    }
    assert sorted(breakable_translations(catalogue)) == ["Quote", "Toggle"]


@pytest.mark.django_db
def test_a_rendered_page_keeps_the_colon_with_its_word(portal):
    response = Client().get("/recherche/", {"q": "zzzqqq"})
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r"\w\u00a0[:?]", body)
    assert not re.search(r"\w [:;?!](\s|<)", body)
