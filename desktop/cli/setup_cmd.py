"""``ffdesk init``: create or upgrade the database, load the default catalog, first administrator."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import add_command, emit, new_file_removed_on_failure, read_password
from models.errors import InvalidInput, NotPermitted


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "init", "创建或升级数据库，载入默认服务包目录", handle_init)
    parser.add_argument("--admin", metavar="用户名", help="创建第一个管理员账号")
    parser.add_argument("--full-name", default="", help="管理员姓名")
    parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    parser.add_argument(
        "--desk-role",
        metavar="角色名",
        help="PostgreSQL：建立桌面角色（只能插入、不能改删审计与台账，不能改表结构）并授权；"
        "当前账号无权建角色时打印 SQL 供数据库管理员执行",
    )
    parser.add_argument(
        "--desk-password-stdin",
        action="store_true",
        help="从标准输入读取桌面角色的密码（与 --password-stdin 同用时先读管理员密码）",
    )


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


def set_up_desk_role(role: str, password: str | None) -> None:
    """Create and grant the desk role; without CREATEROLE, print the SQL for a DBA and refuse."""
    import peewee

    from models import privileges

    privileges.check_role_name(role)
    try:
        privileges.create_desk_role(role, password)
        privileges.apply_desk_grants(role)
    except peewee.ProgrammingError as exc:
        if not privileges.is_privilege_error(exc):
            raise
        script = privileges.setup_script(role, privileges.current_tables(), privileges.current_database())
        sys.stdout.write(script)
        raise NotPermitted(
            f"数据库结构已就绪，但当前数据库账号无权建立角色 {role}（需要 CREATEROLE 或超级用户）："
            "请数据库管理员执行上面打印的 SQL"
        ) from exc


def handle_init(args: argparse.Namespace) -> int:
    from models import audit_key, db, staff

    with new_file_removed_on_failure(args):  # a refused init on a new file leaves no file
        password = read_password("新管理员密码：", stdin=args.password_stdin) if args.admin else ""
        result = initialise(getattr(args, "db", None))
        result["audit_key_file"] = str(audit_key.key_file())
        if args.desk_role and not db.is_postgres():
            raise InvalidInput("--desk-role 只用于 PostgreSQL 数据库；SQLite 数据库无需桌面角色")
        if args.admin:
            admin = staff.create_first_admin(args.admin, password, args.full_name)
            result["admin"] = admin.username
        if args.desk_role:
            desk_password = None
            if args.desk_password_stdin or sys.stdin.isatty():
                desk_password = read_password(
                    f"桌面角色 {args.desk_role} 的密码：", stdin=args.desk_password_stdin
                )
            set_up_desk_role(args.desk_role, desk_password)
            result["desk_role"] = args.desk_role

    def text() -> str:
        lines = [f"数据库结构版本：{result['schema_version']}（本次升级 {len(result['applied'])} 步）"]
        if result["catalog_loaded"]:
            lines.append(f"已载入默认服务包目录 {result['catalog_loaded']}")
        if result.get("admin"):
            lines.append(f"已创建管理员 {result['admin']}")
        if result.get("desk_role"):
            lines.append(
                f"桌面角色 {result['desk_role']} 已就绪：各服务台用它连接数据库"
                "（可插入审计事件和台账，不能修改或删除它们，不能改表结构或触发器）"
            )
        lines.append(
            f"审计密钥文件：{result['audit_key_file']}（仅本人可读；其他服务台请用 ffdesk audit export-key / "
            "import-key 复制，并另行备份）"
        )
        return "\n".join(lines)

    emit(args, result, text)
    return 0
