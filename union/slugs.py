"""Names that must be unique among their siblings: page slugs, theme slugs, anchors on a page."""

from collections.abc import Callable


def first_free(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or the first of « base-2 », « base-3 »… that is not `taken`."""
    name, number = base, 2
    while taken(name):
        name, number = f"{base}-{number}", number + 1
    return name
