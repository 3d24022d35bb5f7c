"""``ffdesk followup list|contact|close``: 阳性追踪 — follow-up of positive screening results."""

from __future__ import annotations

import argparse

from desktop.cli.common import acting_user, add_command, emit, open_database


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "followup", "阳性追踪：待追踪个案、联系记录、结案")
    sub = parser.add_subparsers(dest="followup_command", metavar="子命令", parser_class=type(parser))
    list_ = add_command(sub, common, "list", "待追踪个案（逾期的在前）", handle_list)
    list_.add_argument("--all", action="store_true", help="含已结案的个案")
    contact = add_command(sub, common, "contact", "登记一次联系尝试", handle_contact)
    contact.add_argument("case", type=int, metavar="个案编号", help="followup list 列出的个案编号")
    contact.add_argument(
        "--method",
        required=True,
        choices=["phone", "sms", "visit"],
        metavar="方式",
        help="phone 电话、sms 短信、visit 上门或到院",
    )
    reached = contact.add_mutually_exclusive_group(required=True)
    reached.add_argument("--reached", dest="reached", action="store_true", help="已联系上")
    reached.add_argument("--not-reached", dest="reached", action="store_false", help="未联系上")
    contact.add_argument("--note", default="")
    close = add_command(sub, common, "close", "以追踪结局结案", handle_close)
    close.add_argument("case", type=int, metavar="个案编号", help="followup list 列出的个案编号")
    close.add_argument(
        "--outcome",
        required=True,
        choices=["confirmed", "excluded", "referred", "lost"],
        metavar="结局",
        help="confirmed 确诊、excluded 排除、referred 转诊、lost 失访（须先登记联系）",
    )
    close.add_argument("--note", default="")


def case_text(c) -> str:
    overdue = f" 逾期 {c.overdue_days} 天" if c.overdue_days else ""
    return (
        f"{c.id:>5} {c.client_name_masked} {c.phone_masked} {c.item_name} 阳性 {c.result_on} "
        f"应于 {c.due_on} 前追踪{overdue} 联系 {c.attempts} 次 {c.outcome_label}"
    )


def handle_list(args: argparse.Namespace) -> int:
    from models import follow_up

    open_database(args)
    cases = follow_up.worklist(acting_user(args), include_closed=args.all)
    emit(args, [c.to_dict() for c in cases], lambda: "\n".join(map(case_text, cases)) or "没有待追踪的个案")
    return 0


def handle_contact(args: argparse.Namespace) -> int:
    from models import follow_up

    open_database(args)
    view = follow_up.record_contact(acting_user(args), args.case, args.method, args.reached, args.note)
    emit(args, view.to_dict(), case_text(view))
    return 0


def handle_close(args: argparse.Namespace) -> int:
    from models import follow_up

    open_database(args)
    view = follow_up.close_case(acting_user(args), args.case, args.outcome, args.note)
    emit(args, view.to_dict(), case_text(view))
    return 0
