"""Hospital-wide settings kept in the database (``setting`` table), e.g. the institution name.

Per-workstation settings (database URL, printers, language…) live in the settings file instead;
see ``models.db.read_settings_file``.
"""

from __future__ import annotations

from models import audit
from models.db import database
from models.errors import InvalidInput
from models.permissions import Actor, require
from models.schema import Setting

KNOWN_KEYS: dict[str, str] = {"institution_name": "机构名称"}


def get_setting(key: str, default: str = "") -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else default


def set_setting(actor: Actor, key: str, value: str) -> None:
    """Change one hospital-wide setting (permission ``settings.manage``; audited)."""
    require(actor, "settings.manage")
    if key not in KNOWN_KEYS:
        raise InvalidInput(f"未知的设置项：{key}")
    value = value.strip()
    if len(value) > 200:
        raise InvalidInput(f"{KNOWN_KEYS[key]}不能超过 200 个字符")
    with database.atomic():
        before = get_setting(key, "")
        if before == value:
            return
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}
        ).execute()
        audit.record(actor, "setting.change", "setting", key, before={key: before}, after={key: value})
