"""Small text helpers shared by the renderers and exporters (pure, no reportlab)."""

from __future__ import annotations

from xml.sax.saxutils import escape

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def esc(text: object) -> str:
    """Escape for reportlab Paragraph mark-up: a name like 'A&B<1>' must print as typed."""
    return escape(str(text))


def fen_to_yuan(fen: int) -> str:
    """12345 -> '123.45' by integer arithmetic (no float, no thousands separator): for CSV/XLSX."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError("money must be integer fen")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def _four_digits(n: int) -> str:
    """0 < n < 10000 in capital numerals, with inner zeros collapsed to one 零."""
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        digit = n // 10**pos % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[pos]
    return out


def fen_to_chinese_upper(fen: int) -> str:
    """Amount in capital numerals as written on Chinese financial documents (人民币大写).

    197300 -> '壹仟玖佰柒拾叁元整'; 100005 -> '壹仟元零伍分'; 0 -> '零元整'.
    """
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError("money must be integer fen")
    prefix = "负" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    jiao, fen_digit = divmod(cents, 10)
    groups: list[int] = []
    while yuan:
        yuan, group = divmod(yuan, 10000)
        groups.append(group)
    text = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or group < 1000):
            text += "零"
        text += _four_digits(group) + _BIG_UNITS[index]
        need_zero = False
    if not text:
        text = "零" if not cents else ""
    if text:
        text += "元"
    if not cents:
        return prefix + text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen_digit:
        text += _DIGITS[fen_digit] + "分"
    else:
        text += "整"
    return prefix + text
