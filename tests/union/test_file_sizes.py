"""File sizes as French readers know them: « Ko », « Mo », not Django's « Kio »."""

import pytest
from django.template import Context, Template

from union.formats import file_size


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 octet"),
        (1, "1 octet"),
        (812, "812 octets"),
        (1024, "1,0\u00a0Ko"),
        (26_317, "25,7\u00a0Ko"),
        (1_048_535, "1,0\u00a0Mo"),  # 1 023,96 Ko: not « 1 024,0 Ko »
        (3_565_158, "3,4\u00a0Mo"),
        (5 * 1024**4, "5\u202f120,0\u00a0Go"),
    ],
)
def test_a_file_size_in_french_units(size, shown):
    assert file_size(size) == shown


def test_the_template_filter():
    template = Template("{% load french %}{{ size|file_size }}|{{ missing|file_size }}")
    assert template.render(Context({"size": 26_317, "missing": None})) == "25,7\u00a0Ko|"
