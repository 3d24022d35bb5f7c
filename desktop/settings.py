"""Settings of this desk.

Two places, on purpose:
- per workstation, in the settings file of the user's data folder (``models.db`` reads the same
  file for the database URL): database URL, this desk's service point, printers per document
  type, idle-lock minutes, language. Window geometry goes to an INI file beside it (QSettings).
- per hospital, in the database (``models.settings``): the institution name.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

from PySide6.QtCore import QSettings

from forms.session import DOCUMENT_TYPES
from models import db

DEFAULT_IDLE_MINUTES = 10


def qsettings() -> QSettings:
    """Window state and other UI memory, kept with the other per-user data (isolated in tests)."""
    return QSettings(str(db.data_dir() / "ui.ini"), QSettings.Format.IniFormat)


@dataclass
class DeskSettings:
    database_url: str = ""
    service_point: str = ""
    printers: dict[str, str] = field(default_factory=dict)
    papers: dict[str, str] = field(default_factory=dict)  # document type -> paper (slips: roll80/a4/a5)
    idle_minutes: int = DEFAULT_IDLE_MINUTES
    language: str = "zh_CN"
    institution: str = ""

    @classmethod
    def load(cls) -> DeskSettings:
        raw = db.read_settings_file()
        try:
            idle = int(raw.get("idle_minutes", DEFAULT_IDLE_MINUTES))
        except (TypeError, ValueError):
            idle = DEFAULT_IDLE_MINUTES
        env_idle = os.environ.get("FFDESK_IDLE_MINUTES")
        if env_idle and env_idle.isdigit():
            idle = int(env_idle)
        return cls(
            database_url=str(raw.get("database_url", "")),
            service_point=str(raw.get("service_point", "")),
            printers=_printers(dict(raw.get("printers", {}))),
            papers={str(k): str(v) for k, v in dict(raw.get("papers", {})).items()},
            idle_minutes=max(0, idle),
            language=str(raw.get("language", "zh_CN")),
            institution=_institution(),
        )

    def to_values(self) -> dict:
        return asdict(self)

    @classmethod
    def from_values(cls, values: dict) -> DeskSettings:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in values.items() if k in known})

    def save_local(self) -> None:
        """Write the per-workstation part (keeps keys other parts of the program wrote)."""
        raw = db.read_settings_file()
        if self.database_url:
            raw["database_url"] = self.database_url
        else:
            raw.pop("database_url", None)
        raw["service_point"] = self.service_point
        raw["printers"] = dict(self.printers)
        raw["papers"] = dict(self.papers)
        raw["idle_minutes"] = int(self.idle_minutes)
        raw["language"] = self.language
        db.write_settings_file(raw)


def _printers(raw: dict) -> dict[str, str]:
    """Printers per document type; an older settings file's single "a4" printer serves reports and
    certificates until they are set on their own."""
    printers = {str(k): str(v) for k, v in raw.items() if k in DOCUMENT_TYPES}
    legacy = str(raw.get("a4", ""))
    for doc in ("report", "certificate"):
        if legacy and not printers.get(doc):
            printers[doc] = legacy
    return printers


def _institution() -> str:
    try:
        from models import settings

        return settings.institution_name()
    except Exception:  # no database yet, or an old one: the name is cosmetic
        return ""
