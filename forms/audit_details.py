"""Audit event details in Chinese: every key the services write has a label; values are shown the
way the rest of the program shows them (money formatted, states and roles in Chinese, dates local).

An unknown key is never shown as English: it reads ``其他：value`` so a new service field is still
visible, and a test lists the keys the services write so the map stays complete.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from models import catalog, clock
from models.certificates import KIND_LABELS as CERT_KIND_LABELS
from models.certificates import STATE_LABELS as CERT_STATE_LABELS
from models.clients import LINK_LABELS, RESIDENCY_LABELS
from models.codes import format_code
from models.episodes import DELIVERY_MODES, STATUS_LABELS
from models.episodes import KIND_LABELS as EPISODE_KIND_LABELS
from models.errors import FfdeskError
from models.identity import ID_TYPE_LABELS, SEX_LABELS
from models.money import format_fen
from models.permissions import ROLE_LABELS
from models.vouchers import RESULT_LABELS
from models.vouchers import STATE_LABELS as VOUCHER_STATE_LABELS

OTHER = "其他"

KEY_LABELS: dict[str, str] = {
    "active": "启用",
    "allowance_fen": "津贴",
    "amount_fen": "金额",
    "note": "说明",
    "key_id": "密钥编号",
    "previous": "原密钥",
    "protections": "数据库保护",
    "approved_by": "批准人",
    "babies": "胎数",
    "birth_date": "出生日期",
    "checksum": "校验值",
    "client": "服务对象",
    "code": "券号",
    "count": "数量",
    "covered": "已由其他服务包覆盖",
    "updated": "更新条数",
    "criteria": "条件",
    "delivery_date": "分娩日期",
    "delivery_mode": "分娩方式",
    "demo": "演示数据",
    "desk": "发放台",
    "desks": "原发放台",
    "destination": "导出位置",
    "destroyed_on": "销毁日期",
    "dx_mm": "水平偏移（毫米）",
    "dy_mm": "垂直偏移（毫米）",
    "edd": "预产期",
    "episode": "服务周期",
    "expires_on": "有效期至",
    "failed_logins": "登录失败次数",
    "failures": "失败次数",
    "limit": "上限",
    "misses": "未命中次数",
    "search_unlocked": "解除查询锁定",
    "fields": "字段",
    "file": "文件",
    "follow_up_of": "原券",
    "from": "起始",
    "full_name": "姓名",
    "id_number": "证件号码",
    "id_type": "证件类型",
    "infertility_history": "不孕史",
    "item": "服务项目",
    "kind": "类型",
    "label": "名称",
    "ledger": "台账号",
    "lmp": "末次月经",
    "locked": "已锁定",
    "locked_until": "锁定至",
    "mother": "母亲",
    "must_change_password": "须修改密码",
    "name": "姓名",
    "not_targeted": "不适用的定向项目",
    "overridden": "越权事项",
    "override_reason": "越权原因",
    "differences": "与登记不一致之处",
    "package": "服务包",
    "partner": "配偶",
    "period": "月份",
    "point": "服务点",
    "preview": "预览",
    "print_count": "打印次数",
    "reason": "原因",
    "received_on": "入库日期",
    "redeemed_at": "核销时间",
    "redeemed_by": "核销人",
    "redeemed_fen": "核销金额",
    "replaces": "替换证件",
    "residency": "户籍",
    "result": "结果",
    "reversed_fen": "冲正金额",
    "roles": "角色",
    "rows": "行数",
    "rule_set": "规则",
    "serial": "证件编号",
    "sex": "性别",
    "size": "大小",
    "slip_no": "券单号",
    "source": "来源",
    "state": "状态",
    "status": "状态",
    "to": "至",
    "total_days": "假期天数",
    "username": "用户名",
    "value": "值",
    "value_fen": "面值",
    "vouchers": "券数",
    "window_no": "年龄段序号",
    "witness": "监销人",
    "application_no": "申请编号",  # issue 19
    "contact": "联系记录号",  # issue 19
    "due_on": "应追踪日期",  # issue 19
    "format": "格式",  # issue 19
    "from_seq": "起始事件号",  # issue 19
    "imported": "新导入条数",  # issue 19
    "method": "联系方式",  # issue 19
    "outcome": "追踪结局",  # issue 19
    "reached": "已联系上",  # issue 19
    "records": "记录数",  # issue 19
    "sha256": "文件校验值",  # issue 19
    "to_seq": "截止事件号",  # issue 19
    "voucher": "券",  # issue 19
}

# Keys whose values are codes with a Chinese label.
_VALUE_LABELS: dict[str, dict[str, str]] = {
    "delivery_mode": DELIVERY_MODES,
    "residency": RESIDENCY_LABELS,
    "sex": SEX_LABELS,
    "id_type": ID_TYPE_LABELS,
    "status": {
        **STATUS_LABELS,
        "pending": "待审核",
        "approved": "已发放",
        "duplicate": "重复申领",
        "rejected": "已驳回",
    },
    "outcome": {"confirmed": "确诊", "excluded": "排除", "referred": "转诊", "lost": "失访"},
    "method": {"phone": "电话", "sms": "短信", "visit": "上门/到院"},
    "result": RESULT_LABELS,
    "roles": ROLE_LABELS,
    "reason": {"logout": "退出登录", "switch_user": "切换用户", "idle": "空闲锁定", "restore": "恢复备份"},
    "fields": {"name": "姓名", "id_number": "证件号码", "phone": "电话", "address": "地址"},
}
_KIND_VALUES = {**EPISODE_KIND_LABELS, **CERT_KIND_LABELS, **LINK_LABELS}
_STATE_VALUES = {**CERT_STATE_LABELS, **VOUCHER_STATE_LABELS, "open": "未结", "closed": "已结"}
_CERT_ENTITIES = ("certificate_form", "birth_certificate", "certificate_batch")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def _catalog_name(key: str, code: str) -> str:
    """A service point's or package's name; the code itself when the catalog no longer has it."""
    try:
        row = catalog.get_service_point(code) if key == "point" else catalog.get_package(code)
    except FfdeskError:
        return code
    return f"{row.name}（{code}）"


def key_label(key: str) -> str:
    return KEY_LABELS.get(key, OTHER)


def value_text(key: str, value: Any, entity: str = "") -> str:
    """One value as a person reads it (``entity`` tells certificate states from voucher states)."""
    if value is None or value == "" or value == []:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value_text(key, v, entity) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{key_label(k)}：{value_text(k, v, entity)}" for k, v in value.items())
    if key.endswith("_fen") and isinstance(value, int):
        return format_fen(value)
    if key == "size" and isinstance(value, int):
        return f"{value / 1024:,.0f} KB" if value >= 1024 else f"{value} 字节"
    if key in ("code", "follow_up_of") and isinstance(value, str) and value.isdigit():
        return format_code(value)
    if key == "state":
        if entity in _CERT_ENTITIES:
            return CERT_STATE_LABELS.get(str(value), str(value))
        return _STATE_VALUES.get(str(value), str(value))
    if key == "kind":
        return _KIND_VALUES.get(str(value), str(value))
    if key in ("point", "package") and isinstance(value, str):
        return _catalog_name(key, value)
    labels = _VALUE_LABELS.get(key)
    if labels is not None:
        return labels.get(str(value), str(value))
    if isinstance(value, dt.datetime):
        return clock.format_local(value)
    if isinstance(value, str) and _DATE.match(value):
        try:
            return clock.format_local(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def details_text(value: Any, entity: str = "") -> str:
    """An event's ``after`` (or ``before``) as ``标签：值，标签：值``."""
    if value in (None, {}, []):
        return ""
    if isinstance(value, dict):
        return "，".join(f"{key_label(k)}：{value_text(k, v, entity)}" for k, v in value.items())
    if isinstance(value, (list, str, int, float, bool)):
        return value_text("", value, entity)
    return json.dumps(value, ensure_ascii=False)
