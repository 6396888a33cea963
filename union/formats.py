"""How numbers read in French, on pages and in exports."""

from decimal import ROUND_HALF_UP, Decimal


def french_number(value, decimals: int = 0, thousands: str = "\u202f") -> str:
    """1234.5 -> '1 234,50': decimal comma, a (narrow) no-break space between thousands.

    Halves are rounded up, as people round by hand and as INSEE publishes (14,35 -> 14,4); a float
    goes through its shortest text so that 14.35 is not read as 14.3499999.
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{number:,.{decimals}f}".replace(",", thousands).replace(".", ",")
