"""Counts in French: 0 and 1 take the singular (« 0 rencontre tenue »), where Django's
`pluralize` writes « 0 places ». Every template goes through the `french` library's filters."""


def test_no_template_uses_django_s_pluralize():
    """Django's `pluralize` writes « 0 places »: every template uses the `french` library's
    `french_pluralize` or `count`."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR) / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "|pluralize" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_count_and_french_pluralize():
    from union.templatetags.french import count, french_pluralize

    assert count(0, "rencontre tenue,rencontres tenues") == "0 rencontre tenue"
    assert count(1, "rencontre tenue,rencontres tenues") == "1 rencontre tenue"
    assert count(1200, "place,places") == "1\u202f200 places"
    assert [french_pluralize(n) for n in (0, 1, 2)] == ["", "", "s"]
    assert [french_pluralize(n, "a,ont") for n in (0, 1, 2)] == ["a", "a", "ont"]
    assert count(None, "place,places") == "" and french_pluralize("", "a,ont") == ""
