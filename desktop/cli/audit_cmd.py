"""``ffdesk audit verify|list|rotate-key|export-key|import-key``: check the sealed chain and the
money rows, read the trail (permission audit.read), look after the sealing key."""

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
    add_command(
        sub, common, "rotate-key", "换用新的审计封印密钥（旧密钥保留用于核对旧事件）", handle_rotate_key
    )
    export = add_command(
        sub, common, "export-key", "把本机的审计密钥文件复制出来，带到其他服务台", handle_export_key
    )
    export.add_argument("--out", required=True, metavar="文件", help="输出的密钥文件（请妥善保管）")
    imported = add_command(
        sub, common, "import-key", "导入其他服务台的审计密钥文件（合并，不覆盖）", handle_import_key
    )
    imported.add_argument("file", metavar="文件", help="export-key 生成的密钥文件")
    listing = add_command(sub, common, "list", "列出最近的审计事件", handle_list)
    listing.add_argument("--limit", type=_positive, default=50, help="条数（默认 50）")
    listing.add_argument("--action", help="动作，如 staff.login；以 . 或 * 结尾表示前缀")
    listing.add_argument("--entity", help="对象类型，如 voucher、client、staff")
    listing.add_argument("--entity-id", help="对象编号")


def handle_verify(args: argparse.Namespace) -> int:
    from models import audit

    open_database(args)
    result = audit.verify(acting_user(args))
    lines = [result.message] + [f"  {d.message}" for d in result.differences[1:]] + result.notes
    if not result.ok:
        details = {k: v for k, v in result.to_dict().items() if k not in ("ok", "message")}
        raise Refused("\n".join(lines), **details)
    emit(args, result.to_dict(), "\n".join(lines))
    return 0


def handle_rotate_key(args: argparse.Namespace) -> int:
    from models import audit, audit_key

    open_database(args)
    new_id, old_id = audit.rotate_key(acting_user(args))
    emit(
        args,
        {"key_id": new_id, "previous": old_id, "key_file": str(audit_key.key_file())},
        f"已换用新的审计封印密钥 {new_id}（旧密钥 {old_id} 保留用于核对旧事件）。"
        f"请把新的密钥文件复制到其他服务台：ffdesk audit export-key --out 文件，再在那里 ffdesk audit import-key 文件",
    )
    return 0


def handle_export_key(args: argparse.Namespace) -> int:
    from pathlib import Path

    from models import audit_key

    path = audit_key.export_to(Path(args.out).expanduser())
    emit(
        args,
        {"out": str(path)},
        f"审计密钥已写入 {path}（仅本人可读）。请用 U 盘等离线方式带到其他服务台后运行 "
        "ffdesk audit import-key 该文件，然后删除副本；密钥泄露后请 ffdesk audit rotate-key",
    )
    return 0


def handle_import_key(args: argparse.Namespace) -> int:
    from pathlib import Path

    from models import audit_key

    ring = audit_key.import_from(Path(args.file).expanduser())
    emit(
        args,
        {"key_file": str(audit_key.key_file()), "current": ring.current, "keys": sorted(ring.keys)},
        f"已导入审计密钥：本机现有 {len(ring.keys)} 把（当前 {ring.current}），密钥文件 {audit_key.key_file()}",
    )
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
