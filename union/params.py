"""Numbers typed in an address (`?annee=`, `?limit=`, an id): read safely, never a 500."""


def parse_digits(raw: str, max_digits: int) -> int | None:
    """`raw` as a non-negative integer when it is 1 to `max_digits` ASCII digits, else None.

    "²" is a digit to str.isdigit() but not to int(), and int() refuses thousands of digits (and
    is slow on them): both would otherwise end in a 500."""
    if raw.isascii() and raw.isdigit() and len(raw) <= max_digits:
        return int(raw)
    return None
