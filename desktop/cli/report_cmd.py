"""``ffdesk report …``: reconciliation, settlement, daily close, statistics, month close."""

from __future__ import annotations

import argparse
import datetime as dt

from desktop.cli.common import acting_user, add_command, emit, open_database, output_path, write_output
from models.errors import InvalidInput
from models.money import format_fen


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(
            text.strip().translate(str.maketrans("０１２３４５６７８９／", "0123456789-")).replace("/", "-")
        )
    except ValueError as exc:
        raise InvalidInput(f"日期格式不正确：{text}（例如 2026-10-01）") from exc


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "report", "财务报表与月结")
    sub = parser.add_subparsers(dest="report_command", metavar="子命令", parser_class=type(parser))
    rec = add_command(sub, common, "reconciliation", "对账报表（任意期间）", handle_reconciliation)
    rec.add_argument("--from", dest="date_from", required=True, metavar="开始日期")
    rec.add_argument("--to", dest="date_to", required=True, metavar="结束日期")
    _output_args(rec)
    settle = add_command(sub, common, "settlement", "月度结算表（报卫生健康委）", handle_settlement)
    settle.add_argument("--month", required=True, metavar="YYYY-MM")
    _output_args(settle)
    daily = add_command(sub, common, "daily-close", "操作员日结单", handle_daily_close)
    daily.add_argument("--date", metavar="日期", help="默认今天")
    _output_args(daily)
    stats = add_command(sub, common, "stats", "发放与核销统计图表（PDF）", handle_stats)
    stats.add_argument("--from-month", required=True, metavar="YYYY-MM")
    stats.add_argument("--to-month", required=True, metavar="YYYY-MM")
    stats.add_argument("--out", required=True, metavar="文件")
    programme = add_command(
        sub, common, "programme", "项目统计：发券人数、筛查阳性率、追踪率与确诊率", handle_programme
    )
    programme.add_argument("--from", dest="date_from", required=True, metavar="开始日期")
    programme.add_argument("--to", dest="date_to", required=True, metavar="结束日期")
    close = add_command(sub, common, "close-month", "月结：冻结该月数据", handle_close_month)
    close.add_argument("month", metavar="YYYY-MM")
    add_command(sub, common, "periods", "列出已月结的月份", handle_periods)


def _output_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["pdf", "csv", "xlsx"], default="pdf")
    parser.add_argument("--out", metavar="文件", help="输出文件；省略时只显示合计")


def _check_out(args: argparse.Namespace) -> None:
    """Refuse a ``--out`` that cannot be written before anything is read or recorded."""
    args.out_path = output_path(args.out, "报表文件") if args.out else None


def _write(args: argparse.Namespace, data, summary: dict) -> int:
    from desktop import documents

    if args.out:
        payload = documents.render(data, args.format)
        write_output(args.out_path, payload, "报表文件")
        summary["out"] = str(args.out)
        summary["bytes"] = len(payload)
    totals = data.totals if getattr(data, "totals", None) is not None else None
    if totals is not None:
        summary["totals"] = {
            "issued_count": totals.issued_count,
            "issued_fen": totals.issued_fen,
            "redeemed_count": totals.redeemed_count,
            "redeemed_fen": totals.redeemed_fen,
            "reversed_count": totals.reversed_count,
            "reversed_fen": totals.reversed_fen,
            "voided_count": totals.voided_count,
            "voided_fen": totals.voided_fen,
            "expired_count": totals.expired_count,
            "expired_fen": totals.expired_fen,
            "outstanding_count": totals.outstanding_count,
            "outstanding_fen": totals.outstanding_fen,
            "settled_fen": totals.settled_fen,
        }

    def text() -> str:
        lines = []
        if totals is not None:
            lines.append(
                f"发放 {totals.issued_count} 张 {format_fen(totals.issued_fen)}；核销 {totals.redeemed_count} 张 "
                f"{format_fen(totals.redeemed_fen)}；冲正 {totals.reversed_count} 张 {format_fen(totals.reversed_fen)}；"
                f"应结算 {format_fen(totals.settled_fen)}；期末未核销 {format_fen(totals.outstanding_fen)}"
            )
        if args.out:
            lines.append(f"已写入 {args.out}")
        return "\n".join(lines) or "完成"

    emit(args, summary, text)
    return 0


def handle_reconciliation(args: argparse.Namespace) -> int:
    from desktop import documents

    _check_out(args)
    open_database(args)
    actor = acting_user(args)
    data = documents.reconciliation_data(actor, _date(args.date_from), _date(args.date_to))
    return _write(
        args,
        data,
        {"report": "reconciliation", "from": args.date_from, "to": args.date_to, "closed": data.closed},
    )


def handle_settlement(args: argparse.Namespace) -> int:
    from desktop import documents

    _check_out(args)
    open_database(args)
    actor = acting_user(args)
    data = documents.settlement_data(actor, args.month, prepared_by=actor.name)
    return _write(args, data, {"report": "settlement", "month": args.month, "closed": data.closed})


def handle_daily_close(args: argparse.Namespace) -> int:
    from desktop import documents
    from models import clock

    _check_out(args)
    open_database(args)
    actor = acting_user(args)
    day = _date(args.date) if args.date else clock.local_today()
    data = documents.daily_close_data(actor, day)
    summary = {
        "report": "daily-close",
        "date": day.isoformat(),
        "operators": [
            {
                "operator": row.keys[0],
                "issued_count": row.figures.issued_count,
                "issued_fen": row.figures.issued_fen,
                "redeemed_count": row.figures.redeemed_count,
                "redeemed_fen": row.figures.redeemed_fen,
                "reversed_count": row.figures.reversed_count,
                "voided_count": row.figures.voided_count,
            }
            for row in data.by_operator
        ],
    }
    return _write(args, data, summary)


def handle_stats(args: argparse.Namespace) -> int:
    from desktop import documents

    _check_out(args)
    open_database(args)
    actor = acting_user(args)
    payload = documents.statistics_pdf(actor, args.from_month, args.to_month)
    write_output(args.out_path, payload, "报表文件")
    emit(args, {"out": args.out, "bytes": len(payload)}, f"已写入 {args.out}")
    return 0


def handle_programme(args: argparse.Namespace) -> int:
    from models import programme_stats

    first, last = _date(args.date_from), _date(args.date_to)
    if last < first:
        raise InvalidInput("结束日期不能早于开始日期")
    open_database(args)
    stats = programme_stats.compute(acting_user(args), first, last)

    def text() -> str:
        lines = [f"{stats.first} 至 {stats.last}", f"发券人数 {stats.people_total}"]
        lines += [f"  {code} {n} 人" for code, n in stats.people_by_package.items()]
        lines += [f"  {month} {n} 人" for month, n in stats.people_by_month.items()]
        lines.append(f"筛查 {stats.screened} 例，阳性 {stats.positive} 例，阳性率 {stats.positive_rate}")
        lines.append(
            f"追踪个案 {stats.cases_opened} 例，已结案 {stats.cases_closed} 例（追踪率 {stats.follow_up_rate}），"
            f"确诊率 {stats.diagnosis_rate}"
        )
        lines.append("结局：" + "、".join(f"{k} {v}" for k, v in stats.outcomes.items()))
        return "\n".join(lines)

    emit(args, stats.to_dict(), text)
    return 0


def handle_close_month(args: argparse.Namespace) -> int:
    from models import chain_heads, clock, periods

    open_database(args)
    actor = acting_user(args)
    period = periods.close_month(actor, args.month)
    head = chain_heads.head_of("month_close", period.month)
    emit(
        args,
        {
            "month": period.month,
            "state": period.state,
            "closed_at": clock.format_local(period.closed_at, seconds=True),
            "chain_head": head.text if head else None,
        },
        f"{period.month} 已月结（{clock.format_local(period.closed_at)}），该月数据已冻结；"
        f"审计链头 {head.text if head else '-'}（请抄录或随结算表存档）",
    )
    return 0


def handle_periods(args: argparse.Namespace) -> int:
    from models import clock, periods

    open_database(args)
    rows = periods.list_periods()
    emit(
        args,
        [
            {"month": p.month, "state": p.state, "closed_at": clock.format_local(p.closed_at, seconds=True)}
            for p in rows
        ],
        lambda: (
            "\n".join(
                f"{p.month}  {'已月结' if p.state == 'closed' else '未月结'}  {clock.format_local(p.closed_at)}"
                for p in rows
            )
            or "尚无月结记录"
        ),
    )
    return 0
