"""Money is integer fen (分) everywhere; these helpers format and parse it at the edges only."""

from __future__ import annotations

import re

from models.errors import InvalidInput

_AMOUNT = re.compile(r"^\s*[¥￥]?\s*(-)?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(?:元)?\s*$")


def format_fen(fen: int, symbol: bool = True) -> str:
    """12345 -> '¥123.45'; negative amounts keep the sign before the symbol."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError("money must be integer fen")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{'¥' if symbol else ''}{yuan:,}.{cents:02d}"


def parse_yuan(text: str) -> int:
    """'1,973.00' / '¥19.5' / '20元' -> fen. Raises InvalidInput with a Chinese message."""
    normalised = text.translate(str.maketrans("０１２３４５６７８９．，－", "0123456789.,-"))
    match = _AMOUNT.match(normalised)
    if not match:
        raise InvalidInput(f"金额格式不正确：{text!r}（例如 1973.00）")
    negative, whole, frac = match.groups()
    fen = int(whole.replace(",", "")) * 100 + int((frac or "0").ljust(2, "0"))
    return -fen if negative else fen
