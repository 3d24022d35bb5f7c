"""One word for one thing: every translation, every Chinese text in the code and every rendered
slip, receipt and report uses the glossary's words (resources/glossary.toml), never the words it
lists to avoid; expiry is always 有效期至 YYYY-MM-DD; shortcut keys sit in full-width brackets."""

from __future__ import annotations

import ast
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop import i18n
from reports.receipt import ReceiptData, render_receipt
from reports.reconciliation import render_reconciliation
from reports.slip import render_slip
from tests.reports.helpers import flat_text, require_font
from tests.reports.samples import recon, slip

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "resources" / "glossary.toml"
CODE_DIRS = ("forms", "desktop", "models", "reports")
CJK = re.compile(r"[\u4e00-\u9fff]")
HALF_WIDTH_SHORTCUT = re.compile(r"\((?:Ctrl|Shift|Alt|F\d{1,2}|Enter|Esc|Del)\b[^)]*\)")
EXPIRY_WITHOUT_ZHI = re.compile(r"有效期[：:\s]*\d{4}|\d{4}-\d{2}-\d{2}\s*前有效")


def terms() -> list[dict]:
    return tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))["term"]


def translations() -> list[str]:
    tree = ET.parse(i18n.TS_FILE)
    return [t.text or "" for t in tree.getroot().iter("translation")]


def code_texts() -> list[tuple[str, str]]:
    """(file, text) of every string constant with Chinese in it in the program's code."""
    found = []
    for folder in CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and node.body
                and isinstance(node.body[0], ast.Expr)
            }  # the developer's notes, not what users read
            for node in ast.walk(tree):
                if id(node) in docstrings:
                    continue
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value):
                    found.append((str(path.relative_to(ROOT)), node.value))
    return found


def documents() -> dict[str, str]:
    require_font()
    receipt = ReceiptData(
        institution="连云港市妇幼保健院", service_point="超声科", item_name="胎儿超声筛查", value_fen=35_000,
        code_display="1234-5678-9012-3456-7890", client_name_masked="张*喆", nurse="赵护士",
        redeemed_at="2025-03-12 10:02", receipt_no="HX00000001", package_name="孕期免费筛查包", result="",
    )  # fmt: skip
    docs = {f"券单 {paper}": flat_text(render_slip(slip(), paper)) for paper in ("roll80", "a5", "a4")}
    docs["核销回单"] = flat_text(render_receipt(receipt))
    docs["对账报表"] = flat_text(render_reconciliation(recon()))
    return docs


def _offences(texts: list[tuple[str, str]]) -> list[str]:
    bad = []
    for where, text in texts:
        for term in terms():
            bad += [
                f"{where}: “{word}” (say “{term['word']}”): {text[:60]}"
                for word in term["avoid"]
                if word in text
            ]
        if EXPIRY_WITHOUT_ZHI.search(text):
            bad.append(f"{where}: expiry not written 有效期至 YYYY-MM-DD: {text[:60]}")
    return bad


def test_the_glossary_is_well_formed():
    words = [t["word"] for t in terms()]
    assert {"券单", "电子券", "核销", "冲正", "作废", "有效期至"} <= set(words)
    assert len(words) == len(set(words))
    for term in terms():
        assert term["meaning"] and term["avoid"]
        assert not any(a in words for a in term["avoid"])  # nothing is both said and avoided


def test_screens_and_messages_use_the_glossary_words():
    texts = [("translation", t) for t in translations()] + code_texts()
    assert _offences(texts) == []


def test_slips_receipts_and_reports_use_the_glossary_words():
    assert _offences(list(documents().items())) == []
    assert "有效期至2025-12-31" in documents()["券单 roll80"]


def test_shortcuts_are_in_full_width_brackets():
    texts = [("translation", t) for t in translations()] + code_texts()
    bad = [f"{where}: {text[:60]}" for where, text in texts if HALF_WIDTH_SHORTCUT.search(text)]
    assert bad == []


def test_the_glossary_test_catches_a_word_to_avoid(monkeypatch):
    """Attack: a slip printed as 凭条 with a date '前有效' is named, twice."""
    bad = _offences([("券单", "生育友好服务电子券凭条 2026-12-02 前有效")])
    assert len(bad) >= 2 and "凭条" in bad[0] and any("前有效" in b for b in bad)


@pytest.mark.parametrize("text", ["发券并打印 (Enter)", "打印 (F9)"])
def test_the_shortcut_check_catches_half_width_brackets(text):
    assert HALF_WIDTH_SHORTCUT.search(text)
