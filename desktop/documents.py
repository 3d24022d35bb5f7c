"""Glue between models/ (figures from the database) and reports/ (PDF, CSV, XLSX renderers).

No Qt here: the CLI and the GUI both build their documents through these functions, so a
printed page, a preview and an export always carry the same figures.
"""

from __future__ import annotations

import datetime as dt

from models import chain_heads, clock, episodes, finance, issuance, periods
from models import settings as db_settings
from models.episodes import EpisodeView
from models.errors import InvalidInput
from models.finance import FinanceReport, Tally
from models.issuance import IssuanceView
from models.permissions import Actor
from models.redemption import RedemptionResult
from reports import exports
from reports.charts import PackageRate, StatisticsData, TimePoint, render_statistics
from reports.figures import DailyCloseData, Figures, ReconciliationData, Row, SettlementData
from reports.receipt import ReceiptData, render_receipt
from reports.reconciliation import render_daily_close, render_reconciliation, render_settlement
from reports.slip import SlipData, SlipVoucher, UpgradeItem, render_slip

FORMATS = ("pdf", "csv", "xlsx")


def _figures(tally: Tally) -> Figures:
    return Figures(**tally.as_dict())


def _rows(mapping: dict) -> list[Row]:
    return [Row(tuple(keys), _figures(tally)) for keys, tally in mapping.items()]


def reconciliation_data(actor: Actor, first: dt.date, last: dt.date) -> ReconciliationData:
    """Any period; a whole closed month is printed from its frozen snapshot."""
    if first > last:
        raise InvalidInput("开始日期不能晚于结束日期")
    month = clock.month_of(first)
    report: FinanceReport
    closed = False
    period = None
    generated = clock.format_local(clock.utcnow(), seconds=True)
    label = f"{first.isoformat()} 至 {last.isoformat()}"
    if (first, last) == finance.month_bounds(month):
        report, period = periods.month_report(actor, month)
        label = f"{month} 月"
        if period is not None and period.state == "closed":
            closed = True
            generated = clock.format_local(period.closed_at, seconds=True)
    else:
        report = finance.reconciliation(actor, first, last)
    return ReconciliationData(
        institution=periods.closed_header(period, "institution_name"),
        period_label=label,
        date_from=first,
        date_to=last,
        generated_at=generated,
        closed=closed,
        by_item=_rows(report.by_item),
        by_point=_rows(report.by_point),
        by_operator=_rows(report.by_operator),
        totals=_figures(report.totals()),
    )


def settlement_data(actor: Actor, month: str, prepared_by: str = "") -> SettlementData:
    month = periods.parse_month(month)
    first, last = finance.month_bounds(month)
    report, period = periods.month_report(actor, month)
    closed = period is not None and period.state == "closed"
    generated = clock.format_local(period.closed_at if closed else clock.utcnow(), seconds=True)
    return SettlementData(
        institution=periods.closed_header(period, "institution_name"),
        commission=periods.closed_header(period, "commission_name"),
        period_label=f"{month} 月",
        date_from=first,
        date_to=last,
        generated_at=generated,
        closed=closed,
        rows=_rows(report.by_item),
        totals=_figures(report.totals()),
        prepared_by=prepared_by,
        chain_head=_month_close_head(month) if closed else "",
    )


def _month_close_head(month: str) -> str:
    head = chain_heads.head_of("month_close", month)
    return head.text if head else ""


def daily_close_data(actor: Actor, day: dt.date) -> DailyCloseData:
    """The daily close; it records the audit chain head it was made at and prints it."""
    by_operator = _rows(finance.daily_close(actor, day))
    head = chain_heads.record_close_head("daily_close", day.isoformat())
    return DailyCloseData(
        institution=db_settings.institution_name(),
        day=day,
        generated_at=clock.format_local(clock.utcnow(), seconds=True),
        by_operator=by_operator,
        chain_head=head.text,
    )


def statistics_data(actor: Actor, first_month: str, last_month: str) -> StatisticsData:
    first_month, last_month = periods.parse_month(first_month), periods.parse_month(last_month)
    if first_month > last_month:
        raise InvalidInput("开始月份不能晚于结束月份")
    series = finance.monthly_series(actor, first_month, last_month)
    first, _ = finance.month_bounds(first_month)
    _, last = finance.month_bounds(last_month)
    rates = finance.redemption_rates(actor, first, last)
    return StatisticsData(
        institution=db_settings.institution_name(),
        period_label=f"{first_month} 至 {last_month}",
        generated_at=clock.format_local(clock.utcnow(), seconds=True),
        timeline=[TimePoint(p.month, p.issued_count, p.redeemed_count) for p in series],
        per_package=[PackageRate(r.package_name, r.issued_count, r.redeemed_count) for r in rates],
    )


def render(data: ReconciliationData | SettlementData | DailyCloseData, fmt: str) -> bytes:
    """The document in ``fmt`` (pdf, csv or xlsx), same figures in each."""
    if fmt not in FORMATS:
        raise InvalidInput(f"不支持的格式：{fmt}（可选 pdf、csv、xlsx）")
    if fmt == "csv":
        return exports.to_csv(data)
    if fmt == "xlsx":
        return exports.to_xlsx(data)
    if isinstance(data, ReconciliationData):
        return render_reconciliation(data)
    if isinstance(data, SettlementData):
        return render_settlement(data)
    return render_daily_close(data)


def statistics_pdf(actor: Actor, first_month: str, last_month: str) -> bytes:
    return render_statistics(statistics_data(actor, first_month, last_month))


EPISODE_LABELS = {"prepregnancy": "备孕", "pregnancy": "孕期", "child": "儿童"}


def episode_label(episode: EpisodeView) -> str:
    """What the slip says about the episode: stable over reprints (no 'weeks as of today')."""
    label = f"{episode.kind_label} #{episode.id}"
    if episode.kind == "pregnancy" and episode.edd:
        label += f"（预产期 {episode.edd.isoformat()}）"
    elif episode.kind == "child" and episode.birth_date:
        label += f"（出生 {episode.birth_date.isoformat()}）"
    return label


def slip_data(view: IssuanceView, reprint_note: str = "", episode_text: str = "") -> SlipData:
    """The printable slip of an issuance (client masked; only vouchers that can still be used or were).

    When the vouchers serve more than one person (each partner of a couple), each names its person.
    """
    several = len({v.client_id for v in view.vouchers}) > 1
    vouchers = [
        SlipVoucher(
            item_name=f"{v.item_name}（{v.client_name_masked}）" if several else v.item_name,
            value_fen=v.value_fen,
            code=v.code,
            code_display=v.code_display,
            valid_until=v.expires_on,
            service_point_name=v.service_point_name,
        )
        for v in view.vouchers
        if v.state != "voided"
    ]
    upgrades = [
        UpgradeItem(f"{i.name}" + (f" ×{i.quantity}" if i.quantity > 1 else ""), i.price_fen)
        for i in view.self_paid
    ]
    return SlipData(
        institution=db_settings.institution_name(),
        slip_no=view.slip_no,
        client_name_masked=view.client_name_masked,
        client_id_masked=view.client_id_masked,
        episode_label=episode_text or f"服务周期 #{view.episode_id}",
        package_name=view.package_name,
        issued_by=view.issued_by,
        issued_at=view.issued_at,
        vouchers=vouchers,
        upgrades=upgrades,
        reprint_note=reprint_note,
        extra=_slip_notes(view),
    )


def _slip_notes(view: IssuanceView) -> dict[str, str]:
    """Lines under the slip's header: follow-ups awaiting a result, items covered elsewhere."""
    notes = {
        "年龄段": view.window_label,
        "条件项目": "；".join(view.conditional),
        "未发放": "；".join(view.covered + view.not_targeted),
    }
    return {label: text for label, text in notes.items() if text}


def slip_pdf(actor: Actor, issuance_id: int, paper: str = "roll80", reprint_reason: str = "") -> bytes:
    """Render the slip and count the print (a reprint needs a reason; both are audited)."""
    if paper not in ("roll80", "a4", "a5"):
        raise InvalidInput(f"不支持的纸张：{paper}（可选 roll80、a4、a5）")
    view = issuance.get_issuance(actor, issuance_id)
    episode_text = episode_label(episodes.get_episode(actor, view.episode_id))
    count = issuance.record_slip_print(actor, issuance_id, reprint_reason)
    note = f"补打（第 {count} 次打印）" if count > 1 else ""
    return render_slip(slip_data(view, note, episode_text), paper)


def slip_pdf_to_print(
    actor: Actor, issuance_id: int, paper: str = "roll80", reprint_reason: str = ""
) -> bytes:
    """The slip as the next print would carry it, *not yet counted*: the desk counts the print
    (``issuance.record_slip_print``) only after the printer accepted it."""
    if paper not in ("roll80", "a4", "a5"):
        raise InvalidInput(f"不支持的纸张：{paper}（可选 roll80、a4、a5）")
    count = issuance.next_slip_print(actor, issuance_id, reprint_reason)
    view = issuance.get_issuance(actor, issuance_id)
    episode_text = episode_label(episodes.get_episode(actor, view.episode_id))
    note = f"补打（第 {count} 次打印）" if count > 1 else ""
    return render_slip(slip_data(view, note, episode_text), paper)


def receipt_pdf(result: RedemptionResult, nurse: str) -> bytes:
    """The 80 mm redemption receipt (client copy and service-point copy)."""
    v = result.voucher
    return render_receipt(
        ReceiptData(
            institution=db_settings.institution_name(),
            service_point=v.redeemed_point_name or v.service_point_name,
            item_name=v.item_name,
            value_fen=v.value_fen,
            code_display=v.code_display,
            client_name_masked=v.client_name_masked,
            nurse=nurse,
            redeemed_at=v.redeemed_at or "",
            receipt_no=f"HX{result.ledger_id:08d}",
            package_name=v.package_name,
            result=v.result_label,
        )
    )
