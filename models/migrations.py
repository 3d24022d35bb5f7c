"""Ordered schema migrations; each step and its version bump commit in one transaction.

Steps 1 and 2 are frozen DDL (``resources/migrations/NNNN.<dialect>.sql``) so that a later
change to ``models.schema`` can never alter what an old step creates. Later steps may be SQL
files too, or Python callables using ``playhouse.migrate.SchemaMigrator``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import peewee

from models import clock, privileges
from models.db import database, is_postgres
from models.schema import AuditHead, SchemaVersion

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    python_step: Callable[[], None] | None = None


def _sql_file_step(version: int) -> Callable[[], None]:
    def run() -> None:
        dialect = "postgresql" if is_postgres() else "sqlite"
        text = (
            resources.files("resources.migrations")
            .joinpath(f"{version:04d}.{dialect}.sql")
            .read_text("utf-8")
        )
        for statement in (s.strip() for s in text.split(";\n")):
            if statement:
                database.execute_sql(statement)

    return run


def _seed_audit_head() -> None:
    AuditHead.insert(id=1, seq=0, hash=GENESIS_HASH).on_conflict_ignore().execute()


def _step_1() -> None:
    _sql_file_step(1)()
    _seed_audit_head()


def _step_5_surname_readings() -> None:
    """Recompute the pinyin search keys of clients whose surname reads differently (曾 → zeng)."""
    from models import audit  # late: audit imports this module
    from models.pinyin import SURNAME_READINGS, pinyin_keys
    from models.schema import Client

    updated = 0
    for surname in SURNAME_READINGS:
        for client in Client.select(Client.id, Client.name).where(Client.name.startswith(surname)):
            pinyin, initials = pinyin_keys(client.name)
            updated += (
                Client.update(name_pinyin=pinyin, name_initials=initials)
                .where(Client.id == client.id)
                .execute()
            )
    if updated:  # a new or unaffected database gets no event
        audit.record(None, "migration.search_keys", "client", "", after={"updated": updated})


def _step_6_sealed_chain() -> None:
    """Seal the chain from here on, and record every money row as the starting point.

    Events written before this version carry no row contents, so the rows as they are now are
    taken as the baseline (``audit.baseline`` events, 1 000 rows each); changes made before the
    upgrade cannot be told apart from the original rows, and verify says so.
    """
    from models import audit, audit_key, audit_rows  # late: audit imports this module

    _sql_file_step(SEAL_VERSION)()
    audit_key.ensure_key()
    audit.record(
        None,
        "audit.seal_start",
        "database",
        "",
        after={"note": "自此审计事件以本机外的密钥封印（HMAC-SHA256），并记录所写金额行的内容"},
        _force_seal=True,
    )
    for table in audit_rows.COLUMNS:
        batch: list[int] = []
        for row_id, _ in audit_rows.stream(table):
            batch.append(row_id)
            if len(batch) == 1000:
                _baseline(table, batch)
                batch = []
        if batch:
            _baseline(table, batch)


def _baseline(table: str, ids: list[int]) -> None:
    from models import audit

    audit.record(
        None,
        "audit.baseline",
        table,
        f"{ids[0]}-{ids[-1]}",
        after={"rows": len(ids), "note": "升级到封印审计链时的行内容基线"},
        rows={table: ids},
        _force_seal=True,
    )


MIGRATIONS: list[Migration] = [
    Migration(1, "核心表：员工、目录、服务对象、服务周期、发券、核销台账、会计期间、审计", _step_1),
    Migration(2, "出生医学证明库存与签发、生育假证明", _sql_file_step(2)),
    Migration(3, "审计表只可追加：数据库触发器拒绝修改和删除审计事件", _sql_file_step(3)),
    Migration(4, "查询索引：发券时间、券状态与有效期、作废时间、核销与台账、审计对象", _sql_file_step(4)),
    Migration(5, "按姓氏读音重算服务对象的拼音检索键（曾 zeng、单 shan…）", _step_5_surname_readings),
    Migration(6, "审计链以库外密钥封印并记录金额行内容；链头记录表；核销台账只可追加", _step_6_sealed_chain),
    Migration(7, "查询计数：无查看权限的账号按证件号、手机号查询的次数与未命中次数", _sql_file_step(7)),
]
LATEST_VERSION = MIGRATIONS[-1].version
# from this version events are sealed and carry row images (models.audit); renumbering the
# migration moves it with it (the SQL files are NNNN.<dialect>.sql of the same number)
SEAL_VERSION = next(m.version for m in MIGRATIONS if m.python_step is _step_6_sealed_chain)


def current_version() -> int:
    """0 for an empty database."""
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    value = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar()
    return int(value or 0)


def migrate(target: int | None = None) -> list[int]:
    """Apply every pending step up to ``target`` (default: latest). Returns the versions applied.

    On PostgreSQL only the owner role can migrate; afterwards the desk roles get their
    privileges on the new schema (:func:`models.privileges.apply_desk_grants`).
    """
    target = LATEST_VERSION if target is None else target
    applied: list[int] = []
    for step in MIGRATIONS:
        if step.version > target:
            break
        try:
            with database.atomic():
                if step.version <= current_version():
                    continue
                if step.python_step is not None:
                    step.python_step()
                SchemaVersion.create(version=step.version, applied_at=clock.utcnow())
        except peewee.ProgrammingError as exc:
            if is_postgres() and privileges.is_privilege_error(exc):
                raise privileges.cannot_migrate(step.version) from exc
            raise
        applied.append(step.version)
    if applied:
        privileges.apply_desk_grants()
    return applied


def needs_upgrade() -> bool:
    return current_version() < LATEST_VERSION
