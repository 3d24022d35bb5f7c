"""Masking of personal data for display: names, ID numbers, phone numbers.

Lists, slips and reports show masked values by default (张*丽, 4301**********123X,
138****5678); showing the full value is a permission and an audit event handled by the
caller. Masks keep the length of the original so staff can still tell values apart by shape.
Empty or None input gives '' so callers need not test first.
"""

from __future__ import annotations

STAR = "*"
# Kept visible inside a masked name: the middle dot of transliterated names (阿依古丽·买买提).
_NAME_KEEP = frozenset("·•・ ")


def mask_name(name: str | None) -> str:
    """'张小丽' -> '张*丽', '王五' -> '王*', '欧阳小明' -> '欧**明', '李' -> '*'.

    Two-character names keep only the surname character; longer names keep the first and last
    characters (so a compound surname is partly hidden, as on bank and hospital slips).
    """
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return STAR
    if len(name) == 2:
        return name[0] + STAR
    middle = "".join(ch if ch in _NAME_KEEP else STAR for ch in name[1:-1])
    return name[0] + middle + name[-1]


def mask_id(number: str | None) -> str:
    """Resident-style numbers (15 or 18 characters) keep the first 4 and the last 2 characters:
    '43010219900101123X' -> '4301************3X'. Other documents (passports…) keep the first
    2 and last 2: 'E12345678' -> 'E1*****78'. Numbers of 4 characters or fewer are fully masked.

    Why only the last 2: the check character of an 18-digit number is a function of the other
    17, so each visible digit of the sequence number divides what is left to guess. With the
    birth month and day and two sequence digits hidden, a person who knows the county and the
    birth year still has 365 × 100 / 11 ≈ 3,300 numbers to choose from (proved in
    tests/models/test_masking.py); with the last 4 visible it would be about 33.
    """
    number = (number or "").strip()
    if not number:
        return ""
    head, tail = (4, 2) if len(number) in (15, 18) else (2, 2)
    if len(number) <= head + tail:
        return STAR * len(number)
    return number[:head] + STAR * (len(number) - head - tail) + number[-tail:]


def mask_address(address: str | None) -> str:
    """'湖南省长沙市天心区书院路 9 号' -> '湖南省长沙******': the first 5 characters (province and
    city, roughly) and stars; 5 characters or fewer are fully masked."""
    address = (address or "").strip()
    if not address:
        return ""
    if len(address) <= 5:
        return STAR * len(address)
    return address[:5] + STAR * min(6, len(address) - 5)


def mask_phone(phone: str | None) -> str:
    """'13812345678' -> '138****5678'. Longer numbers keep the first 3 and last 4 characters;
    numbers of 7 characters or fewer keep only the last 2.
    """
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) > 7:
        return phone[:3] + STAR * (len(phone) - 7) + phone[-4:]
    if len(phone) > 2:
        return STAR * (len(phone) - 2) + phone[-2:]
    return STAR * len(phone)
