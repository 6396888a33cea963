"""How numbers read in French, on pages and in exports."""

from decimal import ROUND_HALF_UP, Decimal, localcontext


def french_number(value, decimals: int = 0, thousands: str = "\u202f") -> str:
    """1234.5 -> '1 234,50': decimal comma, a (narrow) no-break space between thousands.

    Halves are rounded up, as people round by hand and as INSEE publishes (14,35 -> 14,4); a float
    goes through its shortest text so that 14.35 is not read as 14.3499999.

    Never raises on a large number of decimals (an indicator saved with 30 before the catalogue
    limited them): the rounding works with as many digits as the result needs, where the default
    context (28 digits) would refuse.
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    decimals = max(int(decimals), 0)
    if number.is_finite():
        with localcontext() as context:
            context.prec = max(context.prec, number.adjusted() + decimals + 2)
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{number:,.{decimals}f}".replace(",", thousands).replace(".", ",")
