"""Log files an IT person can use: in the user's data folder, rotating, no personal data.

Every record carries the program version, the kind of database it is connected to and the
workstation's name, e.g.::

    2026-12-01 21:58:06,935 INFO [ffdesk 0.1.0 sqlite 发券窗口1] ffdesk.cli: command "issue" done: exit 0 in 0.41 s

Tracebacks go here, never to the user. Nothing personal is logged on purpose (commands are
logged by name, not by their arguments); as a second line of defence every record is scrubbed of
what looks like an identity-card or passport number, a mobile number or an e-mail address
before it is written. peewee's SQL (with its parameters) is never logged.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from models.db import data_dir
from models.private_files import private_dir, touch_private

LOG_NAME = "ffdesk.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s [ffdesk %(version)s %(db_kind)s %(workstation)s] %(name)s: %(message)s"

# What a record must never show: e-mail addresses, resident ID numbers (18 or 15 digits),
# residence-permit and passport-like numbers, mobile numbers.
_PERSONAL = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[邮箱]"),
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"), "[证件号]"),
    (re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"), "[证件号]"),
    (re.compile(r"(?<![0-9A-Za-z])[HMhm]\d{8,10}(?![0-9A-Za-z])"), "[证件号]"),
    (re.compile(r"(?<![0-9A-Za-z])[EGPegp]\d{8}(?![0-9A-Za-z])"), "[证件号]"),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "[手机号]"),
]

_configured: logging.Handler | None = None


def scrub(text: str) -> str:
    """``text`` with identity numbers, mobile numbers and e-mail addresses replaced."""
    for pattern, replacement in _PERSONAL:
        text = pattern.sub(replacement, text)
    return text


def log_file() -> Path:
    folder = private_dir(data_dir() / "logs")  # owner-only: rotated files inherit the folder's protection
    return touch_private(folder / LOG_NAME)


def database_kind() -> str:
    from models import db

    obj = db.database.obj
    if obj is None:
        return "no-db"
    return "postgresql" if db.is_postgres() else "sqlite"


class _Context(logging.Filter):
    """Version, database kind and workstation on every record."""

    def __init__(self) -> None:
        super().__init__()
        from desktop import __version__
        from models.permissions import workstation_name

        self.version = __version__
        self.workstation = workstation_name()

    def filter(self, record: logging.LogRecord) -> bool:
        record.version = self.version
        record.db_kind = database_kind()
        record.workstation = self.workstation
        return True


class ScrubbingFormatter(logging.Formatter):
    """The usual record, traceback included, with personal numbers taken out."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to the rotating file in the data folder (once per process); returns its path."""
    global _configured
    path = log_file()
    if _configured is not None:
        return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(ScrubbingFormatter(FORMAT))
    handler.addFilter(_Context())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("peewee").setLevel(logging.WARNING)  # its DEBUG records carry query parameters
    _configured = handler
    return path


def stop_logging() -> None:
    """Close the log file (tests, and a restore that replaces the data folder's files)."""
    global _configured
    if _configured is not None:
        logging.getLogger().removeHandler(_configured)
        _configured.close()
        _configured = None
