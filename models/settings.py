"""Institution-wide settings kept in the database (shared by every desk)."""

from __future__ import annotations

from models import audit
from models.db import database
from models.errors import InvalidInput
from models.permissions import Actor, require
from models.schema import Setting

DEFAULTS: dict[str, str] = {
    "institution_name": "示例市妇幼保健院",
    "commission_name": "示例市卫生健康委员会",
    "certificate_serial_format": "^[A-Z]\\d{9}$",
}
LABELS: dict[str, str] = {
    "institution_name": "机构名称",
    "commission_name": "结算报送单位（卫生健康委员会）",
    "certificate_serial_format": "出生医学证明编号格式（正则表达式）",
}


def get(key: str) -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else DEFAULTS.get(key, "")


def put(actor: Actor, key: str, value: str) -> None:
    require(actor, "settings.manage")
    if key not in DEFAULTS:
        raise InvalidInput(f"未知设置项：{key}")
    value = value.strip()
    if not value or len(value) > 200:
        raise InvalidInput(f"{LABELS[key]}不能为空，且不超过 200 个字符")
    with database.atomic():
        before = get(key)
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}
        ).execute()
        audit.record(
            actor, "setting.change", "setting", key, before={"value": before}, after={"value": value}
        )


def institution_name() -> str:
    return get("institution_name")
