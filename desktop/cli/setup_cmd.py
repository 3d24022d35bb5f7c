"""``ffdesk init``: create or upgrade the database, load the default catalog, first administrator."""

from __future__ import annotations

import argparse

from desktop.cli.common import add_command, emit, new_file_removed_on_failure, read_password


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "init", "创建或升级数据库，载入默认服务包目录", handle_init)
    parser.add_argument("--admin", metavar="用户名", help="创建第一个管理员账号")
    parser.add_argument("--full-name", default="", help="管理员姓名")
    parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")


def initialise(url: str | None) -> dict:
    """Create/upgrade the schema and load the default catalog when none is loaded."""
    from models import catalog, db, migrations

    db.connect(url)
    before = migrations.current_version()
    applied = migrations.migrate()
    loaded = None
    if catalog.active_version() is None:
        loaded = catalog.load_catalog(catalog.default_catalog_path()).label
    return {
        "schema_version_before": before,
        "schema_version": migrations.current_version(),
        "applied": applied,
        "catalog_loaded": loaded,
    }


def handle_init(args: argparse.Namespace) -> int:
    from models import staff

    with new_file_removed_on_failure(args):
        password = read_password("新管理员密码：", stdin=args.password_stdin) if args.admin else ""
        result = initialise(getattr(args, "db", None))
        if args.admin:
            admin = staff.create_first_admin(args.admin, password, args.full_name)
            result["admin"] = admin.username

    def text() -> str:
        lines = [f"数据库结构版本：{result['schema_version']}（本次升级 {len(result['applied'])} 步）"]
        if result["catalog_loaded"]:
            lines.append(f"已载入默认服务包目录 {result['catalog_loaded']}")
        if result.get("admin"):
            lines.append(f"已创建管理员 {result['admin']}")
        return "\n".join(lines)

    emit(args, result, text)
    return 0
