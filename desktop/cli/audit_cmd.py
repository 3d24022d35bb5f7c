"""``ffdesk audit verify|list``: check the hash chain, read the trail (permission audit.read)."""

from __future__ import annotations

import argparse
import json

from desktop.cli.common import CliParser, acting_user, add_command, emit, open_database
from models.errors import Refused


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效的整数：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("条数至少为 1")
    return value


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "audit", "审计日志")
    sub = parser.add_subparsers(dest="audit_command", metavar="子命令", parser_class=CliParser)
    add_command(
        sub, common, "verify", "校验审计链；被改动、删除或调换的第一条事件以退出码 3 报告", handle_verify
    )
    listing = add_command(sub, common, "list", "列出最近的审计事件", handle_list)
    listing.add_argument("--limit", type=_positive, default=50, help="条数（默认 50）")
    listing.add_argument("--action", help="动作，如 staff.login；以 . 或 * 结尾表示前缀")
    listing.add_argument("--entity", help="对象类型，如 voucher、client、staff")
    listing.add_argument("--entity-id", help="对象编号")


def handle_verify(args: argparse.Namespace) -> int:
    from models import audit

    open_database(args)
    result = audit.verify(acting_user(args))
    if not result.ok:
        raise Refused(result.message, first_bad_seq=result.first_bad_seq, checked=result.checked)
    emit(args, result.to_dict(), result.message)
    return 0


def _short(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def handle_list(args: argparse.Namespace) -> int:
    from models import audit, clock

    open_database(args)
    events = audit.list_events(
        acting_user(args), limit=args.limit, action=args.action, entity=args.entity, entity_id=args.entity_id
    )

    def text() -> str:
        lines = []
        for e in events:
            change = " → ".join(x for x in (_short(e.before), _short(e.after)) if x)
            lines.append(
                f"#{e.seq:<6} {clock.format_local(e.at, seconds=True)}  {e.staff_name}@{e.workstation or '-'}  "
                f"{e.action}  {e.entity}#{e.entity_id}  {change}".rstrip()
            )
        return "\n".join(lines) or "没有符合条件的审计事件"

    emit(args, [e.to_dict() for e in events], text)
    return 0
