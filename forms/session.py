"""What every screen needs to know about the desk: who is signed in, where, on which database.

One plain object is handed to each screen's constructor (no global main-window singleton).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from models.permissions import Actor

# Printer (and, for slips, paper) remembered per document type on this workstation.
DOCUMENT_TYPES = ("slip", "receipt", "report", "certificate")
SLIP_PAPERS = ("roll80", "a4", "a5")
DIRECT_PRINT = ("slip", "receipt")  # printed at once when this desk has a printer set for them


@dataclass
class Session:
    actor: Actor | None = None
    db_url: str = ""
    institution: str = ""
    service_point: str | None = None  # this workstation's service point code (nurses)
    printers: dict[str, str] = field(default_factory=dict)  # document type -> printer name
    papers: dict[str, str] = field(default_factory=dict)  # document type -> paper (slip: roll80/a4/a5)
    # desktop.documents (PDF glue), handed in by the shell so that forms/ never imports desktop/
    documents: Any = None
    # desktop.worker (run_in_background: long work off the GUI thread), handed in by the shell
    worker: Any = None

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


def run_in_background(session: Session):
    """``session.worker.run_in_background``, or a stand-in that runs the work at once (no shell)."""
    if session.worker is not None:
        return session.worker.run_in_background
    return _run_now


class _Done:
    done = True
    result: Any = None
    error: BaseException | None = None


def _run_now(work, on_success=None, on_failure=None, parent=None, label="", cancellable=True) -> _Done:
    op = _Done()
    try:
        op.result = work(None)
    except Exception as exc:
        op.error = exc
        if on_failure is not None:
            on_failure(exc)
        return op
    if on_success is not None:
        on_success(op.result)
    return op
