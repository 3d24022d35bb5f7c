"""Birth certificate serial numbers (证件编号): the configured format, normalising what a user
types, splitting a serial into prefix and number, and writing runs of serials as ranges.

Pure string work plus one setting; kept apart from the stock services in models/certificates.py
because the CLI, the reports and the screens use it without touching stock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from models import settings
from models.errors import InvalidInput
from models.permissions import Actor

SERIAL_FORMAT_KEY = "certificate_serial_format"


@dataclass(frozen=True)
class SerialFormat:
    """How a serial is written: ``letters`` upper-case letters then ``digits`` digits (R430000001)."""

    letters: int = 1
    digits: int = 9

    def describe(self) -> str:
        return f"{self.letters} 位字母 + {self.digits} 位数字"

    def example(self) -> str:
        return "R" * self.letters + "4300000001"[-self.digits :].rjust(self.digits, "0")

    def format(self, prefix: str, number: int) -> str:
        return f"{prefix}{number:0{self.digits}d}"


def normalize_serial(text: str | None) -> str:
    """Full-width to half-width, spaces and dashes removed, upper case: ' r43-000 0001' -> 'R430000001'."""
    cleaned = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\-_]", "", cleaned).upper()


def split_serial(serial: str) -> tuple[str, int, int]:
    """(prefix, number, digits) of a stored or typed serial; InvalidInput when it has no such shape."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", normalize_serial(serial))
    if not match:
        raise InvalidInput(f"证件编号“{serial}”格式不正确：应为字母加数字，如 R430000001", field="serial")
    return match.group(1), int(match.group(2)), len(match.group(2))


_FORMAT_SHAPE = re.compile(r"\^?\[A-Z\](?:\{(\d+)\})?\\d\{(\d+)\}\$?")


def serial_format() -> SerialFormat:
    """The configured format: setting ``certificate_serial_format`` (a regular expression of the
    shape ``^[A-Z]{n}\\d{m}$``, see models/settings.py); default one letter + 9 digits."""
    pattern = settings.get(SERIAL_FORMAT_KEY) or r"^[A-Z]\d{9}$"
    match = _FORMAT_SHAPE.fullmatch(pattern.strip())
    if not match:
        raise InvalidInput(
            f"出生医学证明编号格式设置“{pattern}”无法用于号段入库：应形如 ^[A-Z]{{1}}\\d{{9}}$（字母位数、数字位数）",
            field="serial_format",
        )
    return SerialFormat(int(match.group(1) or 1), int(match.group(2)))


def set_serial_format(actor: Actor, letters: int, digits: int) -> SerialFormat:
    """Store the format as the regular expression the settings screen shows."""
    if not 1 <= letters <= 4 or not 4 <= digits <= 12:
        raise InvalidInput("证件编号格式应为 1–4 位字母加 4–12 位数字", field="serial_format")
    settings.put(actor, SERIAL_FORMAT_KEY, f"^[A-Z]{{{letters}}}\\d{{{digits}}}$")
    return SerialFormat(letters, digits)


def compress_serials(serials: Iterable[str]) -> list[str]:
    """Consecutive serials as ranges for reading: ['R01','R02','R03','R07'] -> ['R01–R03', 'R07']."""
    ranges: list[list[Any]] = []  # [prefix, digits, first, last]
    for serial in sorted(serials, key=lambda s: split_serial(s)):
        prefix, number, digits = split_serial(serial)
        last = ranges[-1] if ranges else None
        if last and last[0] == prefix and last[1] == digits and last[3] + 1 == number:
            last[3] = number
        else:
            ranges.append([prefix, digits, number, number])
    out = []
    for prefix, digits, first, last in ranges:
        a, b = f"{prefix}{first:0{digits}d}", f"{prefix}{last:0{digits}d}"
        out.append(a if first == last else f"{a}–{b}")
    return out
