"""``ffdesk diagnose``: one zip for support, with what they ask first and nothing personal.

``diagnose.json`` holds the versions (ffdesk, Python, Qt and the libraries), the system, this
desk's settings without passwords, the ``FFDESK_*`` environment without secrets, the database
(address without password, kind, schema version, head of the audit chain, or why it could not be
opened), the Chinese font and whether a window can open. ``ffdesk.log`` holds the last lines of
the log (which never carries personal data; scrubbed again here). No Qt is imported.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from desktop import __version__
from desktop.logging_setup import log_file, scrub

LOG_LINES = 2000
LIBRARIES = (
    "PySide6-Essentials",
    "PySide6-Pdf",
    "shiboken6",
    "peewee",
    "reportlab",
    "psycopg",
    "psycopg-binary",
    "openpyxl",
    "platformdirs",
    "python-stdnum",
    "pypinyin",
)
_SECRET_WORDS = ("password", "passwd", "secret", "token", "key")


@dataclass
class Written:
    path: Path
    database_ok: bool
    log_lines: int


def _version_of(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _qt_version() -> str:
    """Qt's own version from the installed PySide6 files (no Qt library is loaded)."""
    try:
        import PySide6

        return str(getattr(PySide6, "__version__", "-"))
    except ImportError:
        return "-"


def redact(value: Any, key: str = "") -> Any:
    """Settings without secrets: password-like keys hidden, database URLs without password."""
    from models.db import describe_url

    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key) for v in value]
    if any(word in key.lower() for word in _SECRET_WORDS):
        return "***" if value else value
    if isinstance(value, str) and "://" in value:
        return describe_url(value)
    return value


def _environment() -> dict[str, str]:
    return {k: redact(v, k) for k, v in sorted(os.environ.items()) if k.startswith(("FFDESK_", "QT_"))}


def _database(url: str) -> dict[str, Any]:
    """What support needs to know of the database; never its rows."""
    from models import db, migrations

    info: dict[str, Any] = {
        "url": db.describe_url(url),
        "kind": "sqlite" if url.startswith("sqlite") else "postgresql",
    }
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :]).expanduser()
        info["file_exists"] = path.exists()
        if not path.exists():  # never create a database while looking at it
            info["error"] = "数据库文件不存在"
            return info
        info["file_bytes"] = path.stat().st_size
    try:
        db.connect(url)
        info["schema_version"] = migrations.current_version()
        info["schema_version_of_this_program"] = migrations.LATEST_VERSION
        info["audit_head"] = _audit_head()
    except Exception as exc:  # a broken database is exactly what support wants to hear about
        info["error"] = scrub(f"{type(exc).__name__}: {exc}")
    finally:
        db.close()
    return info


def _audit_head() -> dict[str, Any] | None:
    from models.schema import AuditEvent

    last = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    if last is None:
        return None
    return {"seq": last.seq, "at_utc": str(last.at), "action": last.action, "hash": last.hash}


def _font() -> str:
    from reports.fonts import font_path

    try:
        return font_path()
    except Exception as exc:
        return f"-（{exc}）"


def _display() -> str:
    from desktop import display_check

    return display_check.problem() or "ok"


def report(url: str) -> dict[str, Any]:
    from models.db import data_dir, read_settings_file

    return {
        "made_at_utc": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "ffdesk": __version__,
        "python": sys.version,
        "qt": _qt_version(),
        "libraries": {name: _version_of(name) for name in LIBRARIES},
        "system": platform.platform(),
        "machine": platform.machine(),
        "frozen_bundle": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "data_folder": str(data_dir()),
        "settings": redact(read_settings_file()),
        "environment": _environment(),
        "database": _database(url),
        "font": _font(),
        "display": _display(),
    }


def last_log_lines(limit: int = LOG_LINES) -> list[str]:
    path = log_file()
    if not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace") as handle:
        lines = handle.readlines()[-limit:]
    return [scrub(line) for line in lines]


def write_zip(out: Path, url: str) -> Written:
    """Write the support zip to ``out`` (beside it first, then renamed: never half a zip)."""
    info = report(url)
    lines = last_log_lines()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("diagnose.json", json.dumps(info, ensure_ascii=False, indent=2, default=str))
        archive.writestr("ffdesk.log", "".join(lines))
    partial.replace(out)
    return Written(out, "error" not in info["database"], len(lines))
