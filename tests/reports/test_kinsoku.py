"""Chinese line breaking on paper: no line starts with ，。、）】 and no line ends with （【."""

from __future__ import annotations

from dataclasses import replace

from reportlab.platypus import Paragraph, paragraph

from reports import kinsoku
from reports.base import make_styles
from reports.slip import render_slip
from tests.reports.helpers import page_texts, require_font
from tests.reports.samples import slip

NO_START, NO_END = "，。、）】", "（【"
TEXTS = [
    "所列基础服务由政府免费提供，请持本券单到对应服务点使用（每张券限用一次）。【注意】请在有效期内使用，"
    "逾期作废、不予补发。券单号FQ20250312-0007。",
    "产前筛查门诊（3楼）、超声科（2楼）、检验科（1楼），【温馨提示】空腹抽血、带好证件。",
]


def _lines(para: Paragraph) -> list[str]:
    out = []
    for line in para.blPara.lines:
        if isinstance(line, tuple):  # one-fragment paragraphs: (extra space, [text])
            out.append("".join(line[1]))
        else:
            out.append("".join(getattr(word, "text", "") for word in line.words))
    return out


def _violations(texts: list[str], markup: str = "") -> list[tuple[int, str]]:
    styles = make_styles(10)
    bad = []
    for text in texts:
        for width in range(40, 320, 3):
            para = Paragraph(markup + text, styles.body)
            para.wrap(width, 100_000)
            lines = [line for line in _lines(para) if line]
            assert "".join(lines).endswith(text[-5:])  # nothing lost
            bad += [(width, line) for line in lines if line[0] in NO_START or line[-1] in NO_END]
    return bad


def test_no_line_starts_or_ends_with_the_wrong_punctuation_at_any_width():
    require_font()
    assert _violations(TEXTS) == []
    assert _violations(TEXTS, markup="<b>注</b>") == []  # paragraphs of several fragments too


def test_the_rules_hold_on_a_printed_slip():
    require_font()
    data = replace(slip(), instructions=tuple(TEXTS * 2))
    for paper in ("roll80", "a5", "a4"):
        for page in page_texts(render_slip(data, paper)):
            for line in (x.strip() for x in page.splitlines()):
                assert not line or (line[0] not in NO_START and line[-1] not in NO_END), (paper, line)


def test_without_the_rules_reportlab_breaks_them(monkeypatch):
    """Attack: reportlab's own CJK wrapping puts a comma at the start of a line and leaves an
    opening bracket at the end of one; the test above would notice."""
    require_font()
    from reportlab.lib import textsplit

    monkeypatch.setattr(paragraph, "cjkFragSplit", kinsoku.ORIGINAL_FRAG_SPLIT)
    monkeypatch.setattr(paragraph, "wordSplit", textsplit.wordSplit)
    bad = _violations(TEXTS)
    assert any(line[0] == "，" for _w, line in bad) and any(line[-1] in NO_END for _w, line in bad)
