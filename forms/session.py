"""What every screen needs to know about the desk: who is signed in, where, on which database.

One plain object is handed to each screen's constructor (no global main-window singleton).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from models.permissions import Actor


@dataclass
class Session:
    actor: Actor | None = None
    db_url: str = ""
    institution: str = ""
    service_point: str | None = None  # this workstation's service point code (nurses)
    printers: dict[str, str] = field(default_factory=dict)  # document type -> printer name
    # desktop.documents (PDF glue), handed in by the shell so that forms/ never imports desktop/
    documents: Any = None

    def can(self, permission: str | None) -> bool:
        if permission is None:
            return True
        return self.actor is not None and self.actor.can(permission)


def describe_db(url: str) -> str:
    """A short, password-free label for the status bar."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return "SQLite " + url[len("sqlite:///") :]
    if parsed.scheme in ("postgresql", "postgres"):
        host = parsed.hostname or "localhost"
        port = f":{parsed.port}" if parsed.port else ""
        return f"PostgreSQL {host}{port}/{parsed.path.lstrip('/')}"
    return parsed.scheme or url
