"""``ffdesk backup [--out F]``, ``ffdesk backup auto [--keep-days N]``, ``ffdesk restore F [--yes]``."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import acting_user, add_command, emit
from models.errors import InvalidInput


def register(subparsers, common: argparse.ArgumentParser) -> None:
    backup = add_command(subparsers, common, "backup", "备份数据库（需“备份与恢复”权限）", handle_backup)
    backup.add_argument(
        "mode",
        nargs="?",
        choices=["auto"],
        metavar="auto",
        help="auto：今天还没有自动备份时才备份，并按保留天数清理",
    )
    backup.add_argument("--out", metavar="文件", help="备份文件路径（默认写入数据文件夹的 backups 目录）")
    backup.add_argument("--keep-days", type=int, metavar="天数", help="自动备份保留天数（写入本机设置）")
    restore = add_command(
        subparsers, common, "restore", "从备份文件恢复数据库（覆盖当前数据库）", handle_restore
    )
    restore.add_argument("file", metavar="备份文件")
    restore.add_argument("--yes", action="store_true", help="不再询问，直接覆盖当前数据库")


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def handle_backup(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_database, output_path
    from models import backup, backup_crypto, db

    if args.mode == "auto":
        if args.out:
            raise InvalidInput("自动备份写入固定的备份文件夹，不能与 --out 同时使用")
        if args.keep_days is not None:
            backup.set_keep_days(args.keep_days)
        created = backup.auto_backup_if_due(url=getattr(args, "db", None))
        payload = {
            "created": str(created) if created else None,
            "backup_dir": str(backup.backup_dir()),
            "keep_days": backup.keep_days(),
        }
        text = (
            f"已自动备份到 {created}"
            if created
            else "今天已有自动备份（或当前数据库不是本机 SQLite），未重复备份"
        )
        emit(args, payload, f"{text}\n自动备份保留 {payload['keep_days']} 天：{payload['backup_dir']}")
        return 0
    if args.keep_days is not None:
        raise InvalidInput("--keep-days 只用于 ffdesk backup auto")
    if args.out:
        output_path(args.out, "备份文件")  # a folder, a missing folder, no permission: refused first
    open_database(args)
    actor = acting_user(args)
    result = backup.create_backup(actor, args.out, url=getattr(args, "db", None))
    db.close()
    emit(
        args,
        result.to_dict(),
        f"已备份到 {result.path}（{_size(result.size)}，已校验，已加密；恢复时需要密钥文件 {backup_crypto.key_file()}）",
    )
    return 0


def handle_restore(args: argparse.Namespace) -> int:
    from models import backup, db

    url = db.resolve_url(getattr(args, "db", None))
    check = backup.check_backup(args.file)  # a bad file is refused before anything else happens
    if not check.ok:
        raise InvalidInput(f"备份文件 {args.file} 不能用于恢复：" + "；".join(check.problems))
    actor = None
    if backup.current_database_usable(url):
        from desktop.cli.common import open_database

        open_database(args)
        actor = acting_user(args)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InvalidInput("恢复会覆盖当前数据库：确认无误后请加 --yes 重新运行")
        answer = input(f"恢复会用 {args.file} 覆盖当前数据库 {db.describe_url(url)}，确定吗？输入 是 继续：")
        if answer.strip() not in ("是", "y", "yes"):
            sys.stderr.write("已取消，未做任何改动\n")
            return 3
    result = backup.restore_backup(actor, args.file, url=url)
    lines = [
        f"已从 {result.source} 恢复，数据库结构版本 {result.schema_version}，审计链完整（{result.audit_events} 条），"
        "金额数据与审计事件一致"
    ]
    if result.protections_repaired:
        lines.append(f"数据库保护措施：{result.protections_repaired}")
    if result.safety_copy:
        lines.append(f"恢复前的数据库已保存为 {result.safety_copy}")
    lines += [f"提示：{w}" for w in result.warnings]
    emit(args, result.to_dict(), "\n".join(lines))
    return 0
