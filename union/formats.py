"""How numbers read in French, on pages and in exports."""


def french_number(value, decimals: int = 0, thousands: str = "\u202f") -> str:
    """1234.5 -> '1 234,50': decimal comma, a (narrow) no-break space between thousands."""
    return f"{value:,.{decimals}f}".replace(",", thousands).replace(".", ",")
