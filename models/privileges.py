"""PostgreSQL least privilege: the owner role migrates, desks connect as a desk role.

The owner (the role that runs ``ffdesk init``) owns every table, trigger and sequence. A desk
role may read every table, insert and update what the program changes, but only INSERT into the
money trail (``audit_event``, ``ledger_entry``): never UPDATE, DELETE or TRUNCATE them. It owns
nothing, so it cannot ALTER a table or DISABLE/DROP a trigger, and it may not create objects.

Desk roles are recorded outside the schema, as a per-database role setting
(``ALTER ROLE … IN DATABASE … SET ffdesk.desk_role = 'on'``), so that a restore — which drops
and re-creates the schema — and every migration can re-apply the grants with
:func:`apply_desk_grants` without being told the role names again. SQLite has no roles: every
function here does nothing there.
"""

from __future__ import annotations

import re

from models.db import database, is_postgres
from models.errors import InvalidInput, NotPermitted

APPEND_ONLY_TABLES = ("audit_event", "ledger_entry", "chain_head")  # SELECT, INSERT
READ_ONLY_TABLES = ("schema_version",)  # SELECT: only the owner migrates
DELETABLE_TABLES = ("staff_role",)  # SELECT, INSERT, UPDATE, DELETE: roles are taken away
DESK_MARKER = "ffdesk.desk_role"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def check_role_name(name: str) -> str:
    if not ROLE_NAME.match(name or ""):
        raise InvalidInput(
            f"数据库角色名不正确：{name!r}（小写字母、数字和下划线，以字母或下划线开头，最多 63 个字符）",
            field="desk_role",
        )
    return name


def current_tables() -> list[str]:
    rows = database.execute_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [r[0] for r in rows]


def table_privileges(table: str) -> str:
    if table in APPEND_ONLY_TABLES:
        return "SELECT, INSERT"
    if table in READ_ONLY_TABLES:
        return "SELECT"
    if table in DELETABLE_TABLES:
        return "SELECT, INSERT, UPDATE, DELETE"
    return "SELECT, INSERT, UPDATE"


def grant_statements(role: str, tables: list[str]) -> list[str]:
    """The exact SQL that gives ``role`` a desk's privileges on ``tables`` (and nothing more)."""
    r = quote(check_role_name(role))
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {r}",
    ]
    statements += [f"GRANT {table_privileges(t)} ON {quote(t)} TO {r}" for t in tables]
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}")
    return statements


def create_role_statements(role: str, database_name: str, password: str | None = None) -> list[str]:
    """Create ``role`` (if missing) as a plain login role and record it as this database's desk role."""
    r = quote(check_role_name(role))
    attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    create = f"CREATE ROLE {r} {attributes}"
    statements = [
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
        f"{literal(role)}) THEN {create}; END IF; END $$",
        f"ALTER ROLE {r} {attributes}",
    ]
    if password is not None:
        statements.append(f"ALTER ROLE {r} PASSWORD {literal(password)}")
    statements.append(f"ALTER ROLE {r} IN DATABASE {quote(database_name)} SET {DESK_MARKER} = 'on'")
    return statements


def current_database() -> str:
    return database.execute_sql("SELECT current_database()").fetchone()[0]


def recorded_desk_roles() -> list[str]:
    """The roles recorded as desk roles of the current database."""
    if not is_postgres():
        return []
    rows = database.execute_sql(
        "SELECT r.rolname FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
        "JOIN pg_database d ON d.oid = s.setdatabase "
        "WHERE d.datname = current_database() AND s.setconfig @> ARRAY[%s] ORDER BY r.rolname",
        (f"{DESK_MARKER}=on",),
    ).fetchall()
    return [r[0] for r in rows]


def setup_script(role: str, tables: list[str], database_name: str) -> str:
    """What ``ffdesk db grants --print`` shows a DBA: create the role, record it, grant."""
    lines = [
        f"-- ffdesk 桌面角色 {role}：请以数据库 {database_name} 的所有者或超级用户执行",
        f"-- 之后在 psql 中用 \\password {role} 设置它的密码",
    ]
    lines += [s + ";" for s in create_role_statements(role, database_name)]
    lines += [s + ";" for s in grant_statements(role, tables)]
    return "\n".join(lines) + "\n"


def create_desk_role(role: str, password: str | None = None) -> None:
    """Create (or reset the attributes of) ``role`` and record it; needs CREATEROLE or superuser."""
    if not is_postgres():
        raise InvalidInput("只有 PostgreSQL 数据库有桌面角色；SQLite 数据库无需设置", field="desk_role")
    refuse_powerful_role(check_role_name(role))
    name = current_database()
    with database.atomic():
        for statement in create_role_statements(role, name, password):
            database.execute_sql(statement)


def refuse_powerful_role(role: str) -> None:
    """A desk role is made from a new or a plain role, never from the owner or a superuser
    (``ALTER ROLE … NOSUPERUSER`` would otherwise strip the DBA's own account)."""
    row = database.execute_sql(
        "SELECT rolsuper, rolname = current_user, "
        "EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s) "
        "FROM pg_roles WHERE rolname = %s",
        (role, role),
    ).fetchone()
    if row is None:
        return
    superuser, is_me, owner = row
    if superuser or is_me or owner:
        why = "超级用户" if superuser else "当前连接所用的账号" if is_me else "数据库表的所有者"
        raise InvalidInput(
            f"{role} 是{why}，不能用作桌面角色：请另起一个名字（如 ffdesk_desk），由 init 新建",
            field="desk_role",
        )


def apply_desk_grants(role: str | None = None) -> list[str]:
    """(Re)apply the desk privileges for the current schema to ``role``, or to every recorded desk role.

    Run by the owner after every migration and after a restore; returns the roles granted to.
    """
    if not is_postgres():
        return []
    roles = [check_role_name(role)] if role else recorded_desk_roles()
    if not roles:
        return []
    for name in roles:
        refuse_powerful_role(name)
    tables = current_tables()
    with database.atomic():
        for name in roles:
            for statement in grant_statements(name, tables):
                database.execute_sql(statement)
    return roles


def is_privilege_error(exc: Exception) -> bool:
    """PostgreSQL refused for lack of privilege ("permission denied", "must be owner")."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) == "42501" or any(
        marker in str(exc) for marker in ("permission denied", "must be owner")
    )


def cannot_migrate(version: int) -> NotPermitted:
    user = database.execute_sql("SELECT current_user").fetchone()[0]
    return NotPermitted(
        f"数据库需要升级到结构版本 {version}，但当前数据库账号 {user} 无权修改表结构"
        f"（桌面角色只能读写业务数据）。请用数据库所有者账号运行 ffdesk init 升级后再使用",
        db_user=user,
    )


def connection_problems() -> list[str]:
    """Why the current PostgreSQL connection could rewrite history (empty for a proper desk role).

    What ``ffdesk db check`` prints; the owner role naturally has these powers — desks must not.
    """
    if not is_postgres():
        return []
    user, superuser = database.execute_sql(
        "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    found = [f"数据库账号 {user} 是超级用户：可以绕过一切保护"] if superuser else []
    owned = [
        r[0]
        for r in database.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user "
            "ORDER BY tablename"
        ).fetchall()
    ]
    if owned:
        found.append(
            f"数据库账号 {user} 拥有 {len(owned)} 张表（如 {owned[0]}）：可以改表结构、停用或删除触发器"
        )
    for table in (t for t in APPEND_ONLY_TABLES if t in current_tables()):
        for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
            allowed = database.execute_sql(
                "SELECT has_table_privilege(current_user, %s, %s)", (f'public."{table}"', privilege)
            ).fetchone()[0]
            if allowed:
                found.append(f"数据库账号 {user} 可以对 {table} 执行 {privilege}：可以改写或删除历史记录")
    return found
