"""Voucher codes: 20 decimal digits, the last one a Damm check digit.

Digits only, so a code can be typed on a numeric keypad and read aloud over the phone;
19 random digits from :mod:`secrets` give about 63 bits, enough that guessing a valid code is
hopeless. The Damm check digit catches every single-digit error and every swap of two adjacent
digits, the two mistakes people make most when they copy a number.

Codes are stored and compared in their canonical form (20 bare digits); they are shown grouped
(``1234-5678-9012-3456-7890``). Input is normalised first because barcode scanners and people
type them with full-width digits, spaces or dashes (see :func:`normalize_code`).
"""

from __future__ import annotations

import secrets

from stdnum import damm

from models.errors import InvalidInput

CODE_LENGTH = 20
GROUP = 4

# Full-width digits (Chinese input methods in full-width mode) become ASCII digits.
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Separators people and scanners put between groups; all are dropped.
_SEPARATORS = frozenset("-‐‑‒–—―－−_＿.．·・。")
_ASCII_DIGITS = frozenset("0123456789")


def new_code() -> str:
    """A fresh random voucher code: 19 random digits and a Damm check digit.

    The first digit is never 0, so a code survives tools that treat it as a number
    (a spreadsheet column, an ``int()``) without silently losing a leading zero;
    9 x 10^18 possibilities is still about 63 bits.
    """
    body = str(10**18 + secrets.randbelow(9 * 10**18))
    return body + damm.calc_check_digit(body)


def normalize_code(text: str) -> str:
    """The bare 20-digit string from what a scanner or a person typed.

    Accepts full-width digits, any whitespace (including the ideographic space U+3000),
    dashes of every kind, underscores and dots. Does not check the check digit
    (:func:`check_code` does). Raises :class:`InvalidInput` for letters or other characters
    and for a wrong number of digits.
    """
    cleaned = "".join(
        ch for ch in text.translate(_FULLWIDTH_DIGITS) if not ch.isspace() and ch not in _SEPARATORS
    )
    if not cleaned:
        raise InvalidInput("请输入券码", field="code")
    bad = sorted({ch for ch in cleaned if ch not in _ASCII_DIGITS})
    if bad:
        shown = "、".join(f"“{ch}”" for ch in bad[:5])
        raise InvalidInput(f"券码只能包含数字，输入中有不允许的字符：{shown}", field="code")
    if len(cleaned) != CODE_LENGTH:
        raise InvalidInput(
            f"券码应为 {CODE_LENGTH} 位数字，您输入了 {len(cleaned)} 位", field="code", length=len(cleaned)
        )
    return cleaned


def is_valid_code(text: str) -> bool:
    """True when ``text`` normalises to a code with a correct check digit."""
    try:
        check_code(text)
    except InvalidInput:
        return False
    return True


def check_code(text: str) -> str:
    """Normalise ``text`` and verify its Damm check digit; returns the canonical code.

    A wrong check digit raises :class:`InvalidInput` with ``details['typo'] = True`` so the
    caller can tell a mistyped code (ask the user to re-type) from an unknown one.
    """
    code = normalize_code(text)
    if damm.checksum(code) != 0:
        raise InvalidInput(
            "券码校验位不符，可能输错了一位或两位颠倒，请核对后重新输入", field="code", typo=True
        )
    return code


def format_code(code: str) -> str:
    """The code in groups of four joined by '-' for reading: ``1234-5678-9012-3456-7890``."""
    bare = normalize_code(code)
    return "-".join(bare[i : i + GROUP] for i in range(0, len(bare), GROUP))
