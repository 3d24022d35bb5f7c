"""The database's own protections (triggers, their functions, indexes) as its schema version has them.

The frozen migration files (``resources/migrations/NNNN.<dialect>.sql``) are the definition: a
database at version N must have every trigger, trigger function and index those files create
up to N, and no other trigger. A restored backup (or a database someone edited) may lack them —
a trigger dropped so that events could be edited, a unique index dropped so that a voucher
code could be doubled — or carry a trigger of its own. :func:`restore_protections` puts back
what is missing from the frozen text and drops triggers that no migration creates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from models.db import database, is_postgres

_OBJECT = re.compile(r'^CREATE\s+(?:UNIQUE\s+)?(TRIGGER|FUNCTION|INDEX)\s+"([^"]+)"', re.IGNORECASE)


@dataclass
class Repair:
    recreated: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.recreated or self.dropped)

    def describe(self) -> str:
        parts = []
        if self.recreated:
            parts.append("按结构定义重建：" + "、".join(self.recreated))
        if self.dropped:
            parts.append("删除了结构定义之外的触发器：" + "、".join(self.dropped))
        return "；".join(parts)


def _dialect() -> str:
    return "postgresql" if is_postgres() else "sqlite"


def frozen_objects(version: int) -> dict[str, tuple[str, str]]:
    """name → (kind, CREATE statement) of every trigger, function and index up to ``version``."""
    found: dict[str, tuple[str, str]] = {}
    folder = resources.files("resources.migrations")
    for number in range(1, version + 1):
        sql_file = folder.joinpath(f"{number:04d}.{_dialect()}.sql")
        if not sql_file.is_file():
            continue
        for statement in (s.strip() for s in sql_file.read_text("utf-8").split(";\n")):
            match = _OBJECT.match(statement)
            if match:
                found[match.group(2)] = (match.group(1).upper(), statement)
    return found


def _present() -> dict[str, str]:
    """name → kind of the triggers, functions and indexes the database has now."""
    if is_postgres():
        rows = database.execute_sql(
            "SELECT tgname, 'TRIGGER' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = current_schema() "
            "UNION ALL SELECT p.proname, 'FUNCTION' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() "
            "UNION ALL SELECT indexname, 'INDEX' FROM pg_indexes WHERE schemaname = current_schema()"
        ).fetchall()
    else:
        rows = database.execute_sql(
            "SELECT name, UPPER(type) FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL"
        ).fetchall()
    return {name: kind for name, kind in rows}


def _trigger_table(name: str) -> str | None:
    if is_postgres():
        row = database.execute_sql(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            (name,),
        ).fetchone()
    else:
        row = database.execute_sql("SELECT tbl_name FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def missing_and_extra(version: int) -> tuple[list[str], list[str]]:
    """(frozen objects the database lacks, triggers no migration creates)."""
    frozen = frozen_objects(version)
    present = _present()
    missing = [name for name in frozen if name not in present]
    extra = [name for name, kind in present.items() if kind == "TRIGGER" and name not in frozen]
    return missing, extra


def restore_protections(version: int) -> Repair:
    """Make the database's triggers and indexes exactly those of ``version`` (one transaction)."""
    repair = Repair()
    frozen = frozen_objects(version)
    with database.atomic():
        missing, extra = missing_and_extra(version)
        for name in extra:
            table = _trigger_table(name)
            if is_postgres():
                database.execute_sql(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            else:
                database.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
            repair.dropped.append(name)
        # functions first: the triggers call them
        for name in sorted(missing, key=lambda n: frozen[n][0] != "FUNCTION"):
            database.execute_sql(frozen[name][1])
            repair.recreated.append(name)
    return repair
