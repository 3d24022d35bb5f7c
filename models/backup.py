"""Backups and restores of the ffdesk database, and the automatic daily backup.

SQLite: ``sqlite3.Connection.backup`` copies a consistent snapshot in one read transaction
while other desks keep writing (WAL: readers never block writers). The copy is switched to a
single self-contained file (journal_mode=DELETE), checked with ``PRAGMA integrity_check`` and
only then renamed to its final name, so a half-written backup never carries the real name.

PostgreSQL: ``pg_dump -Fc`` when it is on PATH (or beside the server's binaries); a restore
drops the ``public`` schema and loads the dump in ONE transaction through ``psql`` (or
``pg_restore --single-transaction`` when psql is missing), so a failed restore changes nothing.

A restore first checks the backup itself (integrity, schema version, audit chain) on a
temporary copy, then keeps a safety copy of the current database, then overwrites it, then
checks the result again. The target database is left connected as the current database.

The backend-specific steps are in models/backup_sqlite.py (snapshot, file check, copy back) and
models/backup_postgres.py (client tools, dump, restore); this module holds the public API (with
their public names re-exported) and the automatic daily backup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from models import backup_crypto, backup_postgres, backup_sqlite, chain_heads, clock, files
from models import db as dbmod
from models.backup_postgres import PG_DUMP_MAGIC, BackupToolMissing, find_tool
from models.backup_sqlite import SQLITE_MAGIC, sqlite_path
from models.errors import InvalidInput, Refused
from models.permissions import Actor, require
from models.private_files import private_dir, private_file, touch_private

__all__ = [
    "AUTO_PREFIX",
    "DEFAULT_KEEP_DAYS",
    "PG_DUMP_MAGIC",
    "SQLITE_MAGIC",
    "BackupCheck",
    "BackupResult",
    "BackupToolMissing",
    "RestoreResult",
    "auto_backup_enabled",
    "auto_backup_if_due",
    "backend_of",
    "backup_database",
    "backup_dir",
    "check_backup",
    "connected_url",
    "create_backup",
    "current_database_usable",
    "file_kind",
    "find_tool",
    "keep_days",
    "prune_auto_backups",
    "restore_backup",
    "restore_database",
    "set_keep_days",
    "sqlite_path",
]

DEFAULT_KEEP_DAYS = 14
AUTO_PREFIX = "auto-"


@dataclass
class BackupResult:
    path: Path
    backend: str  # sqlite | postgresql
    size: int
    schema_version: int
    audit_events: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "backend": self.backend,
            "size": self.size,
            "schema_version": self.schema_version,
            "audit_events": self.audit_events,
        }


@dataclass
class BackupCheck:
    """What a backup file holds, checked on a temporary copy (never the file itself)."""

    backend: str
    schema_version: int
    audit_events: int
    integrity: str = "ok"
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class RestoreResult:
    source: Path
    backend: str
    safety_copy: Path | None
    schema_version_in_backup: int
    schema_version: int
    audit_events: int
    protections_repaired: str = ""  # triggers/indexes put back or dropped (empty: none were needed)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "protections_repaired": self.protections_repaired,
            "warnings": list(self.warnings),
            "source": str(self.source),
            "backend": self.backend,
            "safety_copy": str(self.safety_copy) if self.safety_copy else None,
            "schema_version_in_backup": self.schema_version_in_backup,
            "schema_version": self.schema_version,
            "audit_events": self.audit_events,
        }


# --- helpers -----------------------------------------------------------------------------------------


def backend_of(url: str) -> str:
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgresql", "postgres"):
        return "postgresql"
    raise InvalidInput(f"不支持的数据库地址：{url}")


def connected_url() -> str | None:
    """The URL of the database the proxy is connected to now (None when not initialised)."""
    obj = dbmod.database.obj
    if obj is None:
        return None
    if dbmod.is_postgres():
        params = obj.connect_params
        user = quote(str(params.get("user") or ""), safe="")
        password = params.get("password")
        auth = f"{user}:{quote(str(password), safe='')}@" if password else (f"{user}@" if user else "")
        host = params.get("host") or "localhost"
        port = f":{params['port']}" if params.get("port") else ""
        return f"postgresql://{auth}{host}{port}/{quote(obj.database, safe='')}"
    return f"sqlite:///{obj.database}"


def _url(url: str | None) -> str:
    return url or connected_url() or dbmod.resolve_url(None)


def backup_dir() -> Path:
    """Where automatic backups and safety copies go: settings ``backup_dir`` or <data>/backups."""
    configured = str(dbmod.read_settings_file().get("backup_dir") or "").strip()
    path = Path(configured).expanduser() if configured else dbmod.data_dir() / "backups"
    return private_dir(path)


def _stamp(now: dt.datetime | None = None) -> str:
    return clock.to_local(now or clock.utcnow()).strftime("%Y%m%d-%H%M%S")


def _unused(path: Path) -> Path:
    """``path``, or ``path`` with -2, -3… before the suffix when a file of that name exists."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _verify_connected(problems: list[str], full: bool = True) -> tuple[int, int]:
    """Schema version and audit chain of the database the proxy is connected to now (``full``:
    and every money row replayed from the chain)."""
    from models import migrations

    version = migrations.current_version()
    if version > migrations.LATEST_VERSION:
        problems.append(
            f"备份来自更新版本的 ffdesk（数据库结构版本 {version}），本程序只支持到 {migrations.LATEST_VERSION}："
            "请先升级程序"
        )
        return version, 0
    if version == 0:
        problems.append("不是 ffdesk 数据库（没有结构版本）")
        return version, 0
    return version, _verify_money(problems, full)


# --- issue 13: backups must agree with their sealed chain; restores get their protections back -------


def _verify_money(problems: list[str], full: bool = True) -> int:
    """The sealed chain and (``full``) every money row replayed from it (models.audit_replay); the
    head file is not consulted (it describes the database being replaced, not this one). A new
    backup checks the chain only: its rows are replayed when it is restored."""
    from models import audit, audit_replay
    from models.audit_key import KeyMissing

    try:
        result = audit_replay.verify_all(use_head_file=False) if full else audit.verify_chain()
    except KeyMissing as exc:
        problems.append(str(exc))
        return 0
    if not result.ok:
        problems.append(f"审计校验失败：{result.message}")
    return result.checked


def _check_pg_dump(path: Path, url: str | None, full: bool = True) -> BackupCheck:
    """Load the dump into a throw-away database on the same server and verify it there, so a
    bad backup is refused before anything of the current database is touched."""
    import secrets as _secrets

    import psycopg
    from psycopg import sql

    problems = backup_postgres.dump_problems(path)
    if problems or not full or not url or backend_of(url) != "postgresql":
        return BackupCheck("postgresql", 0, 0, problems=problems)
    parsed = urlparse(url)
    scratch = f"ffdesk_check_{os.getpid()}_{_secrets.token_hex(3)}"
    admin_url = parsed._replace(path="/postgres").geturl()
    scratch_url = parsed._replace(path=f"/{scratch}").geturl()
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        return BackupCheck("postgresql", 0, 0, problems=[f"无法连接服务器建立临时库核对备份：{exc}"])
    try:
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        except psycopg.Error as exc:
            return BackupCheck(
                "postgresql", 0, 0, problems=[f"无法建立临时库核对备份（需要 CREATEDB 权限）：{exc}"]
            )
        try:
            backup_postgres.restore_dump(path, scratch_url)
            version, events = _verify_at(scratch_url, problems)
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
    finally:
        admin.close()
    return BackupCheck("postgresql", version, events, problems=problems)


def _verify_at(url: str, problems: list[str], full: bool = True) -> tuple[int, int]:
    """:func:`_verify_connected` on another database, the current one reconnected afterwards."""
    saved = dbmod.database.obj
    probe = dbmod.make_database(url)
    dbmod.database.initialize(probe)
    try:
        probe.connect()
        return _verify_connected(problems, full)
    finally:
        probe.close()
        dbmod.database.initialize(saved)


def _restore_protections(problems: list[str]) -> str:
    """After a restore: the triggers and indexes of the schema version, exactly (see models.protections)."""
    from models import migrations, protections

    repair = protections.restore_protections(migrations.current_version())
    missing, extra = protections.missing_and_extra(migrations.current_version())
    if missing or extra:
        problems.append("数据库保护措施无法恢复：缺少 " + "、".join(missing) + "；多出 " + "、".join(extra))
    return repair.describe()


# --- backup ------------------------------------------------------------------------------------------


def backup_database(url: str, out: Path | str) -> BackupResult:
    """Write a verified backup of the database at ``url`` to ``out`` (no permission check, no audit).

    The file appears under its final name only when complete and checked.
    """
    out = Path(out).expanduser()
    if out.is_dir():
        raise InvalidInput(f"备份文件路径是一个文件夹：{out}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"无法建立备份文件夹 {out.parent}：{files.reason(exc)}") from None
    out = files.output_file(str(out), "备份文件")  # no permission, a read-only disk: refused before any work
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    touch_private(part)  # the plain snapshot lives here until it is encrypted: owner-only meanwhile
    backend = backend_of(url)
    try:
        if backend == "sqlite":
            backup_sqlite.snapshot(sqlite_path(url), part)
            check = check_backup(part, full=False)
        else:
            backup_postgres.dump(url, part)
            check = check_backup(part, full=False)
        if not check.ok:
            raise Refused("备份文件校验失败：" + "；".join(check.problems))
        backup_crypto.seal_backup(part, out)
    finally:
        part.unlink(missing_ok=True)
    return BackupResult(out, backend, out.stat().st_size, check.schema_version, check.audit_events)


def create_backup(actor: Actor, out: Path | str | None = None, url: str | None = None) -> BackupResult:
    """``ffdesk backup``: permission ``backup.manage``; the event is audited in the database."""
    from models import audit
    from models.db import database, run_in_transaction

    require(actor, "backup.manage")
    url = _url(url)
    if out is None:
        suffix = ".db" if backend_of(url) == "sqlite" else ".dump"
        out = _unused(backup_dir() / f"ffdesk-{_stamp()}{suffix}")
    result = backup_database(url, out)
    if database.obj is not None:

        def work() -> None:
            audit.record(
                actor, "backup.create", "database", "", after={"file": result.path.name, "size": result.size}
            )
            chain_heads.record_head("backup", result.path.name)

        run_in_transaction(work)
        chain_heads.update_head_file("backup")
    return result


# --- checking a backup file ----------------------------------------------------------------------------


def file_kind(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise InvalidInput(f"无法读取备份文件 {path}：{files.reason(exc)}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise InvalidInput(f"{path.name} 不是 ffdesk 备份文件（既不是 SQLite 数据库，也不是 pg_dump 备份）")


def check_backup(path: Path | str, url: str | None = None, full: bool = True) -> BackupCheck:
    """Integrity, schema version, sealed audit chain and (``full``) money rows of a backup file
    (decrypted first when encrypted), checked on a temporary copy (PostgreSQL, ``full``: a
    throw-away database on the server of ``url``; otherwise the dump's table of contents)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InvalidInput(f"备份文件不存在：{path}")
    with backup_crypto.plain_copy(path) as (plain, _warning):
        return _check_plain_backup(plain, url, full)


def _check_plain_backup(path: Path, url: str | None, full: bool = True) -> BackupCheck:
    """Integrity, schema version, sealed chain and (``full``) money rows of a plain backup file."""
    kind = file_kind(path)
    if kind == "postgresql":
        return _check_pg_dump(path, url or connected_url(), full)
    with tempfile.TemporaryDirectory(prefix="ffdesk-check-") as tmp:
        copy = Path(tmp) / "check.db"
        shutil.copyfile(path, copy)
        integrity, version, _, problems = backup_sqlite.file_check(copy)
        events = 0
        if not problems:
            version, events = _verify_at(f"sqlite:///{copy}", problems, full)
        return BackupCheck("sqlite", version, events, integrity, problems)


# --- restore -------------------------------------------------------------------------------------------


def _safety_copy(url: str, backend: str) -> Path | None:
    """Keep the database about to be overwritten (even a damaged one, byte for byte)."""
    target_dir = backup_dir()
    if backend == "sqlite":
        path = sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return None
        dest = _unused(target_dir / f"before-restore-{_stamp()}.db")
        try:
            backup_sqlite.snapshot(path, dest)
            backup_crypto.seal_backup(dest, dest)
        except InvalidInput:  # damaged: keep the raw bytes (and its WAL) instead
            dest.unlink(missing_ok=True)
            for suffix in ("", "-wal"):
                src = Path(str(path) + suffix)
                if src.exists():
                    shutil.copyfile(src, Path(str(dest) + suffix))
                    private_file(Path(str(dest) + suffix))
        return dest
    dest = _unused(target_dir / f"before-restore-{_stamp()}.dump")
    backup_database(url, dest)
    return dest


def restore_database(source: Path | str, url: str | None = None) -> RestoreResult:
    """Overwrite the database at ``url`` with the backup ``source`` (no permission check).

    An encrypted backup is decrypted to a private temporary file first; an old unencrypted one
    is restored with a warning in the result (models.backup_crypto).
    """
    source = Path(source).expanduser()
    with backup_crypto.plain_copy(source) as (plain, warning):
        result = _restore_plain(plain, url)
    return replace(result, source=source, warnings=[warning] if warning else [])


def _restore_plain(source: Path, url: str | None = None) -> RestoreResult:
    """Overwrite the database at ``url`` with the plain backup ``source``.

    Checks the backup first (nothing is changed when it fails), keeps a safety copy of the
    current database, restores, upgrades an older schema, verifies, and leaves the restored
    database connected.
    """
    from models import audit, migrations, privileges

    source = Path(source).expanduser()
    url = _url(url)
    backend = backend_of(url)
    check = check_backup(source, url)
    if check.backend != backend:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise Refused(f"备份是 {names[check.backend]} 数据库的，当前数据库是 {names[backend]}：不能直接恢复")
    if not check.ok:
        raise Refused(f"备份文件 {source.name} 校验失败，未做任何改动：" + "；".join(check.problems))
    dbmod.close()
    safety = _safety_copy(url, backend)
    if backend == "sqlite":
        backup_sqlite.restore_file(source, sqlite_path(url))
    else:
        backup_postgres.restore_dump(source, url)
    dbmod.connect(url)
    problems: list[str] = []
    repaired = ""
    in_backup = migrations.current_version()
    if in_backup > migrations.LATEST_VERSION:
        problems.append(f"数据库结构版本 {in_backup} 比本程序新")
    else:
        migrations.migrate()
        repaired = _restore_protections(problems)
        privileges.apply_desk_grants()  # the re-created schema lost the desk roles' grants
    if backend == "sqlite":
        rows = [r[0] for r in dbmod.database.execute_sql("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            problems.append("完整性检查未通过：" + "; ".join(map(str, rows[:5])))
    version, events = _verify_connected(problems)
    if problems:
        where = f"，恢复前的数据库已保存在 {safety}" if safety else ""
        raise Refused("恢复后的数据库校验失败：" + "；".join(problems) + where)
    dbmod.run_in_transaction(
        lambda: audit.record(
            None,
            "backup.restore",
            "database",
            "",
            after={"file": source.name, "protections": repaired or None},
        )
    )
    chain_heads.update_head_file("restore", allow_rewind=True)
    return RestoreResult(source, backend, safety, in_backup, version, events + 1, repaired)


def restore_backup(actor: Actor | None, source: Path | str, url: str | None = None) -> RestoreResult:
    """``ffdesk restore``: ``backup.manage`` is checked against the CURRENT database.

    ``actor`` may be None only when the current database cannot be used at all (missing,
    empty or damaged): there is then nobody to sign in as, and the restore is the way back.
    """
    url = _url(url)
    if actor is not None:
        require(actor, "backup.manage")
    elif current_database_usable(url):
        raise InvalidInput("恢复会覆盖当前数据库：需要有“备份与恢复”权限的员工登录（--as 用户名）")
    return restore_database(source, url)


def current_database_usable(url: str | None = None) -> bool:
    """Whether the configured database opens and has an ffdesk schema (staff can sign in)."""
    from models import migrations

    url = dbmod.resolve_url(url)
    if backend_of(url) == "sqlite" and not sqlite_path(url).exists():
        return False
    try:
        dbmod.connect(url)
        return migrations.current_version() > 0
    except Exception:
        return False
    finally:
        dbmod.close()


# --- automatic daily backup ----------------------------------------------------------------------------


def _remember_head(url: str) -> None:
    """The automatic backup also moves the head file forward (when this database is connected)."""
    if dbmod.database.obj is not None and connected_url() == url:
        with contextlib.suppress(Exception):  # the backup itself is done; the witness is best effort
            chain_heads.update_head_file("backup")


def keep_days() -> int:
    """Retention of automatic backups in days (settings file ``backup_keep_days``, default 14)."""
    raw = dbmod.read_settings_file().get("backup_keep_days", DEFAULT_KEEP_DAYS)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_KEEP_DAYS
    return value if value >= 1 else DEFAULT_KEEP_DAYS


def set_keep_days(days: int) -> None:
    """Change the retention (this workstation's settings file)."""
    if not 1 <= days <= 3650:
        raise InvalidInput("自动备份保留天数应在 1 到 3650 之间")
    values = dbmod.read_settings_file()
    values["backup_keep_days"] = days
    dbmod.write_settings_file(values)


def auto_backup_enabled() -> bool:
    return bool(dbmod.read_settings_file().get("auto_backup", True))


def _auto_name(day: dt.date) -> str:
    return f"{AUTO_PREFIX}{day.isoformat()}.db"


def prune_auto_backups(today: dt.date, days: int | None = None) -> list[Path]:
    """Delete automatic backups older than ``days`` local days (manual backups are never touched)."""
    days = keep_days() if days is None else days
    oldest = today - dt.timedelta(days=days - 1)
    removed: list[Path] = []
    for path in backup_dir().glob(f"{AUTO_PREFIX}*.db"):
        try:
            day = dt.date.fromisoformat(path.stem[len(AUTO_PREFIX) :])
        except ValueError:
            continue
        if day < oldest:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def auto_backup_if_due(now: dt.datetime | None = None, url: str | None = None) -> Path | None:
    """Once per local day, back up the configured SQLite database; then apply the retention.

    Called by the GUI at start (and ``ffdesk backup auto``). Returns the new file, or None when
    today's backup exists already, automatic backup is off, or the database is PostgreSQL
    (whose backups belong to the server: use ``ffdesk backup`` or the server's own schedule).
    """
    url = dbmod.resolve_url(url)
    if not auto_backup_enabled() or backend_of(url) != "sqlite":
        return None
    source = sqlite_path(url)
    if not source.exists():
        return None
    today = clock.local_date_of(now or clock.utcnow())
    target = backup_dir() / _auto_name(today)
    created = None
    if not target.exists():
        created = backup_database(url, target).path
        _remember_head(url)
    prune_auto_backups(today)
    return created
