"""``ffdesk db grants``: the PostgreSQL desk role's privileges — apply them, or print the SQL for a DBA.

Run as the owner role (the one that ran ``ffdesk init``); no ffdesk sign-in: the database
account is the authority here, as for ``init``.
"""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import CliParser, add_command, emit, open_database
from models.errors import InvalidInput, NotPermitted, Refused


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "db", "数据库管理（PostgreSQL 角色与权限）")
    sub = parser.add_subparsers(dest="db_command", metavar="子命令", parser_class=CliParser)
    grants = add_command(
        sub,
        common,
        "grants",
        "给桌面角色授予最小权限（可插入、不可改删审计与台账）；--print 只打印 SQL 供数据库管理员执行",
        handle_grants,
    )
    grants.add_argument(
        "--desk-role", metavar="角色名", help="桌面角色；省略时对已登记的全部桌面角色重新授权"
    )
    grants.add_argument("--print", action="store_true", help="只打印 SQL（建角色、登记、授权），不执行")
    add_command(
        sub,
        common,
        "check",
        "检查当前数据库账号能否改写历史（超级用户、表的所有者、可改删审计或台账）；有则退出码 3",
        handle_check,
    )


def require_postgres() -> None:
    from models import db

    if not db.is_postgres():
        raise InvalidInput("只有 PostgreSQL 数据库有桌面角色；SQLite 数据库无需设置")


def handle_grants(args: argparse.Namespace) -> int:
    from models import migrations, privileges

    open_database(args, migrate=False)
    require_postgres()
    if migrations.current_version() == 0:
        raise InvalidInput("数据库尚未初始化：请先以所有者账号运行 ffdesk init")
    if args.print:
        if not args.desk_role:
            raise InvalidInput("打印 SQL 需要 --desk-role 角色名")
        script = privileges.setup_script(
            privileges.check_role_name(args.desk_role),
            privileges.current_tables(),
            privileges.current_database(),
        )
        sys.stdout.write(script)
        return 0
    roles = grant_or_explain(args.desk_role)
    emit(
        args,
        {"desk_roles": roles},
        f"已为桌面角色 {'、'.join(roles)} 重新授予最小权限"
        if roles
        else "没有登记的桌面角色：请用 --desk-role 指定",
    )
    return 0


def grant_or_explain(role: str | None) -> list[str]:
    """Apply the grants; without the privilege to do so, a Chinese refusal pointing at --print."""
    import peewee

    from models import privileges

    try:
        return privileges.apply_desk_grants(role)
    except peewee.ProgrammingError as exc:
        if not privileges.is_privilege_error(exc):
            raise
        raise NotPermitted(
            "当前数据库账号无权授予这些权限（需要表的所有者或超级用户）。"
            f"请数据库管理员执行 ffdesk db grants --print --desk-role {role or '角色名'} 打印的 SQL"
        ) from exc


def handle_check(args: argparse.Namespace) -> int:
    from models import privileges

    open_database(args, migrate=False)
    require_postgres()
    problems = privileges.connection_problems()
    if problems:
        emit(
            args,
            {"ok": False, "problems": problems},
            "\n".join(problems) + "\n各服务台应使用桌面角色连接（见 ffdesk init --desk-role）",
        )
        return Refused.exit_code
    emit(
        args, {"ok": True, "problems": []}, "当前数据库账号是最小权限的桌面角色：不能改写或删除审计事件和台账"
    )
    return 0
