"""A4 maternity leave and allowance proof (生育 / 产假证明).

Plain data in, PDF bytes out.  The computation comes in as a :class:`models.leave.LeaveResult`
(pure data, no database); this module only lays it out: the institution, the mother (masked
unless the caller asks for the full identity — revealing it is the caller's permission check and
audit event), the medical facts, every applied rule with its days, the total and dates, the
allowance arithmetic line by line, notes, the legal basis, and signature / stamp lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from models.leave import KINDS, MODES, TEAR_LABELS, LeaveResult
from models.money import format_fen
from models.privacy import mask_id, mask_name
from reports.base import Styles, make_styles, render_pages
from reports.text import esc

PROOF_TITLE = "生育（产假）证明"


def _disclaimer(money_items: Sequence[str]) -> str:
    text = "本证明所列产假天数按所示规则计算"
    if money_items:
        text += f"；{'、'.join(money_items)}为按所填工资估算的金额，以社会保险经办机构核定为准"
    return text + "。"


def _fen_working(line: str) -> bool:
    """A line of integer-fen working, e.g. '（600,000 分 × 150 = …）'."""
    return " 分 ×" in line or " 分 ÷" in line


@dataclass(frozen=True)
class LeaveProofData:
    institution: str
    proof_no: str
    mother_name: str
    mother_id_number: str
    result: LeaveResult
    issued_on: str  # local date, formatted by the caller
    issued_by: str = ""
    employer: str = ""
    show_full_identity: bool = False  # False: 张*丽 / 4301************3X
    remarks: Sequence[str] = ()


def render_leave_proof(data: LeaveProofData, font_file: str | None = None) -> bytes:
    """The proof as A4 PDF bytes."""
    st = make_styles(9.5, font_file)
    return render_pages(
        lambda: _story(data, st),
        institution=data.institution,
        title=PROOF_TITLE,
        footer_note=f"证明编号 {data.proof_no}",
        font_file=font_file,
    )


_WIDTH = 180 * mm  # A4 210 mm minus the 15 mm margins of reports.base


def _grid(rows: list[list[object]], widths: list[float], header: bool = False) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)))
    table.setStyle(TableStyle(commands))
    return table


def _basis_style(st: Styles) -> ParagraphStyle:
    """The quoted legal text: smaller and grey, so the proof stays on one A4 page."""
    size = st.small.fontSize * 0.92
    return ParagraphStyle(
        "basis", parent=st.small, fontSize=size, leading=size * 1.3, textColor=colors.dimgrey
    )


def _facts_rows(result: LeaveResult, st: Styles) -> list[list[object]]:
    facts = result.facts
    pairs: list[tuple[str, str]] = [
        ("类别", KINDS.get(facts.kind, facts.kind)),
        (
            {"birth": "分娩日期", "family_planning": "手术日期"}.get(facts.kind, "流产日期"),
            facts.delivery_date.isoformat(),
        ),
    ]
    if facts.kind == "birth":
        pairs += [
            ("分娩方式", MODES.get(facts.mode, facts.mode)),
            ("会阴裂伤", TEAR_LABELS.get(facts.tear_degree, str(facts.tear_degree))),
            ("婴儿数", f"{facts.babies} 个"),
            ("是否初育", "是" if facts.first_birth else "否"),
            ("独生子女优待证", "已领取" if facts.one_child_certificate else "未领取"),
        ]
    elif facts.kind == "family_planning":
        pairs.append(("手术假天数", f"{facts.surgery_days} 天（按手术证明）"))
    else:
        pairs.append(("怀孕月数", f"满 {facts.miscarriage_months} 个月"))
    if result.mother_age_at_delivery is not None:
        pairs.append(("分娩时年龄", f"{result.mother_age_at_delivery} 周岁"))
    cells = [Paragraph(esc(text), st.cell) for pair in pairs for text in pair]
    while len(cells) % 4:
        cells.append(Paragraph("", st.cell))
    return [cells[i : i + 4] for i in range(0, len(cells), 4)]


def _story(data: LeaveProofData, st: Styles) -> list[Flowable]:
    result = data.result
    name = data.mother_name if data.show_full_identity else mask_name(data.mother_name)
    id_number = data.mother_id_number if data.show_full_identity else mask_id(data.mother_id_number)
    out: list[Flowable] = [
        Paragraph(esc(data.institution), st.center),
        Paragraph(PROOF_TITLE, st.title),
        Paragraph(f"证明编号：{esc(data.proof_no)}　　适用规则：{esc(result.rule_set_title)}", st.small),
        Spacer(1, 3 * mm),
    ]
    person: list[list[object]] = [
        [
            Paragraph("姓名", st.cell),
            Paragraph(esc(name), st.cell),
            Paragraph("证件号码", st.cell),
            Paragraph(esc(id_number), st.cell),
        ]
    ]
    if data.employer:
        person.append(
            [Paragraph("工作单位", st.cell), Paragraph(esc(data.employer), st.cell), "", ""],
        )
    person_table = _grid(person, [30 * mm, 60 * mm, 30 * mm, 60 * mm])
    if data.employer:
        person_table.setStyle(TableStyle([("SPAN", (1, 1), (3, 1))]))
    out += [Paragraph("一、产妇", st.heading), person_table]

    out += [
        Paragraph("二、医学情况", st.heading),
        _grid(_facts_rows(result, st), [30 * mm, 60 * mm, 30 * mm, 60 * mm]),
    ]

    rows: list[list[object]] = [
        [Paragraph("序号", st.cell), Paragraph("适用条款", st.cell), Paragraph("天数", st.cell_right)]
    ]
    for number, rule in enumerate(result.applied, start=1):
        label = esc(rule.label) + (f"（{esc(rule.detail)}）" if rule.detail else "")
        rows.append(
            [
                Paragraph(str(number), st.cell),
                Paragraph(label, st.cell),
                Paragraph(f"{rule.days} 天", st.cell_right),
            ]
        )
    rows.append(
        [
            Paragraph("", st.cell),
            Paragraph("合计产假", st.cell),
            Paragraph(f"{result.total_days} 天", st.cell_right),
        ]
    )
    table = _grid(rows, [14 * mm, _WIDTH - 40 * mm, 26 * mm], header=True)
    out += [Paragraph("三、产假天数", st.heading), table, Spacer(1, 2 * mm)]
    out.append(
        Paragraph(
            f"产假自 {result.start_date.isoformat()} 起至 {result.end_date.isoformat()} 止，"
            f"共 {result.total_days} 天"
            + (f"（其中产前 {result.prenatal_days} 天）" if result.prenatal_days else "")
            + "。",
            st.body,
        )
    )

    money: list[Flowable] = [Paragraph("四、待遇计算", st.heading)]
    money.append(Paragraph(f"依据：{esc(result.allowance_label)}", st.small))
    if result.nutrition_label:
        money.append(Paragraph(f"依据：{esc(result.nutrition_label)}", st.small))
    if result.spouse_label:
        money.append(Paragraph(f"依据：{esc(result.spouse_label)}", st.small))
    money.append(Spacer(1, 1.5 * mm))
    # on paper the money in yuan only: the working in fen (for the desk and the CLI) stays off it
    money += [Paragraph(esc(line), st.body) for line in result.money_lines if not _fen_working(line)]
    summary = [
        ("生育津贴", result.allowance_fen),
        ("单位补足差额", result.employer_top_up_fen),
        ("营养补助", result.nutrition_fen),
        ("医疗补助金", result.medical_subsidy_fen),
    ]
    if result.spouse_days:
        summary.append((f"男配偶假期工资（{result.spouse_days} 天）", result.spouse_pay_fen))
    shown = [(k, v) for k, v in summary if v is not None]
    if shown:
        money.append(Spacer(1, 1.5 * mm))
        cells = [[Paragraph(esc(k), st.cell), Paragraph(format_fen(v), st.cell_right)] for k, v in shown]
        if len(cells) > 2:  # two amounts a row, so that the proof keeps to one page
            cells = [
                left + (cells[i + 1] if i + 1 < len(cells) else ["", ""])
                for i, left in enumerate(cells)
                if i % 2 == 0
            ]
            money.append(_grid(cells, [50 * mm, 35 * mm, 50 * mm, 35 * mm]))
        else:
            money.append(_grid(cells, [60 * mm, 40 * mm]))
    out += money

    notes = [*result.notes, *data.remarks, _disclaimer([k.split("（")[0] for k, _ in shown])]
    out.append(Paragraph("五、说明", st.heading))
    out += [Paragraph(f"{i}. {esc(note)}", st.small) for i, note in enumerate(notes, start=1)]
    out.append(Spacer(1, 3 * mm))
    signatures = Table(
        [
            [
                Paragraph(f"经办人：{esc(data.issued_by) or '______________'}", st.body),
                Paragraph("医师签名：______________", st.body),
                Paragraph("（医疗机构盖章）", st.body),
            ],
            [
                Paragraph(f"开具日期：{esc(data.issued_on)}", st.body),
                Paragraph("", st.body),
                Paragraph("______年____月____日", st.body),
            ],
        ],
        colWidths=[_WIDTH / 3] * 3,
        rowHeights=[11 * mm, 7 * mm],
        hAlign="LEFT",
    )
    out.append(KeepTogether([signatures]))
    out.append(Spacer(1, 2 * mm))
    out.append(Paragraph("附：规则原文（" + esc(result.rule_set_title) + "）", _basis_style(st)))
    out.append(Paragraph(esc(result.basis).replace("\n", "<br/>"), _basis_style(st)))
    return out
