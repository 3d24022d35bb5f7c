"""Audit details read in Chinese: every key the services write has a label, money is formatted,
states and roles are Chinese, and an unknown key shows as 其他 — never an English key."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from desktop import worker
from forms.audit_details import KEY_LABELS, OTHER, details_text
from forms.audit_log import ACTION_LABELS, ENTITY_LABELS, AuditScreen
from forms.session import Session
from models import redemption
from models.money import format_fen
from tests.gui import english_words
from tests.helpers import make_actor

MODELS = Path(__file__).resolve().parents[2] / "models"
ENGLISH_KEY = re.compile(r"[A-Za-z_]{2,}[=：:]")


def _written_by_services() -> tuple[set[str], set[str], set[str]]:
    """(detail keys, actions, entities) in every ``audit.record``/``event`` call and snapshot in models/."""
    keys: set[str] = set()
    actions: set[str] = set()
    entities: set[str] = set()
    for path in MODELS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "_snapshot":
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Dict):
                        keys |= {k.value for k in sub.keys if isinstance(k, ast.Constant)}
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("record", "event")):
                continue
            strings = [
                a.value for a in node.args[:4] if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            actions |= {s for s in strings if "." in s}
            entities |= {s for s in strings if s and "." not in s and s.isidentifier()}
            # ``rows=`` names tables for the row images verify replays: not details people read
            shown = [*node.args, *(k.value for k in node.keywords if k.arg != "rows")]
            for sub in (s for part in shown for s in ast.walk(part)):
                if isinstance(sub, ast.Dict):
                    keys |= {k.value for k in sub.keys if isinstance(k, ast.Constant)}
    return keys, actions, entities


def test_every_key_action_and_object_the_services_write_has_a_chinese_label():
    keys, actions, entities = _written_by_services()
    assert {"state", "code", "point", "amount_fen", "roles", "fields"} <= keys  # the scan finds them
    assert sorted(keys - set(KEY_LABELS)) == []
    assert sorted(actions - set(ACTION_LABELS)) == []
    assert sorted(entities - set(ENTITY_LABELS)) == []
    assert all(not re.search(r"[A-Za-z]", label) for label in KEY_LABELS.values())


def test_values_are_shown_the_chinese_way():
    text = details_text(
        {"state": "redeemed", "amount_fen": 197300, "roles": ["admin", "nurse"], "locked": True}
    )
    assert text == "状态：已核销，金额：¥1,973.00，角色：管理员、核销员，已锁定：是"
    assert details_text({"brand_new_key": "x1"}) == f"{OTHER}：x1"


def test_audit_screen_shows_a_redemption_in_chinese(qtbot, zh_app, db_url, issued):
    nurse = make_actor("nurse")
    voucher = next(v for v in issued.vouchers if v.result_kind != "screening")
    redemption.redeem(nurse, voucher.code, voucher.service_point)
    admin = make_actor("admin")
    screen = AuditScreen(Session(actor=admin, db_url=db_url, worker=worker))
    qtbot.addWidget(screen)
    screen.show()
    details = [screen.table.item(r, 6).text() for r in range(screen.table.rowCount())]
    actions = [screen.table.item(r, 4).text() for r in range(screen.table.rowCount())]
    redeemed = details[actions.index("核销")]
    assert f"金额：{format_fen(voucher.value_fen)}" in redeemed
    assert "状态：已核销（原：" in redeemed and "（原：状态：未使用）" in redeemed
    assert f"服务点：{voucher.service_point_name}" in redeemed
    for text in details:
        assert not ENGLISH_KEY.search(text), text
    assert english_words(screen) == []
