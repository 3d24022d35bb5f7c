"""Free text typed at the desk: one line, no control characters.

PostgreSQL refuses NUL in text, and escape sequences or other control characters are never
part of a name, an address or a reason, so they are refused with a Chinese message (the same
on both databases) instead of surfacing as a driver error.
"""

from __future__ import annotations

import unicodedata

from models.errors import InvalidInput


def has_control(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in text)


def no_control(text: str, field_name: str, label: str) -> str:
    """``text`` unchanged, or InvalidInput when it holds a control character."""
    if has_control(text):
        raise InvalidInput(f"{label}中不能含有控制字符", field=field_name)
    return text


def one_line(text: str | None, field_name: str, label: str) -> str:
    """Whitespace collapsed to single spaces; control characters refused."""
    return no_control(" ".join((text or "").split()), field_name, label)


def strip_control(text: str | None) -> str:
    """For search boxes: a scanner's stray control characters are dropped, not refused."""
    return "".join(c for c in (text or "") if unicodedata.category(c) != "Cc")
