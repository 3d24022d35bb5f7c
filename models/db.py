"""Database connection: one peewee ``DatabaseProxy`` initialised from a URL.

URL resolution order: ``--db`` argument, ``FFDESK_DB``, the settings file, the default SQLite
file in the user's data directory. SQLite gets WAL, foreign keys, a busy timeout and
``synchronous=FULL`` (a commit reported done survives a power loss; ``NORMAL`` in WAL mode may
lose the last commits). Every transaction on SQLite starts with ``BEGIN IMMEDIATE``, however it
is opened (``database.atomic()`` through the proxy, ``transaction()``, ``run_in_transaction``):
two desks then never deadlock on a read-to-write upgrade, which would raise "database is
locked" at once, ignoring the busy timeout. Reads outside a transaction take no write lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, unquote, urlparse

import peewee
import platformdirs

from models.errors import InvalidInput
from models.private_files import private_dir, private_file, write_private

database = peewee.DatabaseProxy()
T = TypeVar("T")

APP_NAME = "ffdesk"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "full",
    "cache_size": -32000,
}


def data_dir() -> Path:
    """Per-user data folder (database, backups, logs), owner-only. ``FFDESK_HOME`` overrides it."""
    override = os.environ.get("FFDESK_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return private_dir(path)


def settings_file() -> Path:
    return data_dir() / "settings.json"


def read_settings_file() -> dict:
    path = settings_file()
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_settings_file(values: dict) -> None:
    """Owner-only; a database password goes to the keyring or key file, never into this file."""
    from models import secrets_store

    if values.get("database_url"):
        values = {**values, "database_url": secrets_store.store(str(values["database_url"]))}
    write_private(settings_file(), json.dumps(values, ensure_ascii=False, indent=2).encode("utf-8"))


def configured_url() -> str | None:
    """The settings file's database URL with its password put back from where it is kept.

    A settings file from an older ffdesk that still holds the password is cleaned here.
    """
    from models import secrets_store

    values = read_settings_file()
    url = str(values.get("database_url") or "")
    if not url:
        return None
    if secrets_store.split_password(url)[1] is not None:
        write_settings_file(values)
    return secrets_store.fill(url)


def default_url() -> str:
    return "sqlite:///" + str(data_dir() / "ffdesk.db")


def resolve_url(explicit: str | None = None) -> str:
    """The database URL: explicit argument, FFDESK_DB, settings file, default SQLite file."""
    return explicit or os.environ.get("FFDESK_DB") or configured_url() or default_url()


class FfdeskSqliteDatabase(peewee.SqliteDatabase):
    """SQLite whose every transaction takes the write lock up front (``BEGIN IMMEDIATE``).

    The lock type is the database's own default, so it holds for transactions opened through
    the ``DatabaseProxy`` too: the proxy's ``atomic()`` calls ``begin()`` without arguments.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("lock_type", "IMMEDIATE")
        super().__init__(*args, **kwargs)

    def begin(self, lock_type: str | None = None) -> None:
        if lock_type is not None and lock_type.upper() == "DEFERRED":
            raise ValueError("ffdesk writes only in BEGIN IMMEDIATE transactions")
        super().begin(lock_type)


def make_database(url: str) -> peewee.Database:
    """Build (not connect) a peewee database for ``sqlite:///path`` or ``postgresql://…``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
        if not path:
            raise InvalidInput(f"数据库地址不正确：{url}（应为 sqlite:///文件路径）")
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            path = str(Path(path).expanduser())
        return FfdeskSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, check_same_thread=False, timeout=10)
    if parsed.scheme in ("postgresql", "postgres"):
        # imported here: psycopg costs ~0.15 s of start-up that a SQLite desk never needs
        from playhouse.postgres_ext import Psycopg3Database

        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return Psycopg3Database(
            unquote(parsed.path.lstrip("/")) or "postgres",
            host=parsed.hostname or None,
            port=parsed.port or None,
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            connect_timeout=int(options.pop("connect_timeout", 5)),
            **options,
        )
    raise InvalidInput(f"不支持的数据库地址：{url}（支持 sqlite:///路径 或 postgresql://用户@主机/库名）")


def connect(url: str | None = None) -> peewee.Database:
    """Initialise the proxy from ``url`` (resolved as documented above) and open the connection."""
    resolved = resolve_url(url)
    close()
    db = make_database(resolved)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        raise DatabaseUnavailable(resolved, exc) from exc
    except peewee.DatabaseError as exc:  # SQLite: "file is not a database", "… malformed"
        with contextlib.suppress(Exception):
            db.close()
        raise DatabaseCorrupt(resolved, exc) from exc
    if isinstance(db, peewee.SqliteDatabase) and db.database != ":memory:":
        for suffix in ("", "-wal", "-shm"):  # SQLite gives later -wal/-shm files the database's mode
            private_file(db.database + suffix)
    return db


def close() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()


def is_postgres() -> bool:
    return isinstance(database.obj, peewee.PostgresqlDatabase)


def describe_url(url: str) -> str:
    """The URL without its password, for status bars and logs."""
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(":" + parsed.password + "@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url


class DatabaseUnavailable(InvalidInput):
    exit_code = 1

    def __init__(self, url: str, exc: Exception) -> None:
        super().__init__(
            f"无法连接数据库 {describe_url(url)}：{str(exc).strip().splitlines()[0] if str(exc) else exc}"
        )


class DatabaseCorrupt(InvalidInput):
    """The SQLite file is damaged or is not a database at all (exit code 2)."""

    def __init__(self, url: str, exc: Exception) -> None:
        super().__init__(
            f"数据库文件已损坏或不是 ffdesk 数据库：{describe_url(url)}（{exc}）。"
            f"请用“ffdesk restore 备份文件”从备份恢复；自动备份在 {data_dir() / 'backups'}"
        )


def is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "could not serialize" in text or "deadlock detected" in text


def run_in_transaction(work: Callable[[], T], attempts: int = 8) -> T:
    """Run ``work`` in one transaction, retrying the WHOLE transaction on lock/serialisation errors.

    SQLite's busy timeout handles most waits; this catches the rest so that "database is
    locked" never reaches a user.
    """
    delay = 0.05
    for attempt in range(attempts):
        try:
            with database.atomic():
                return work()
        except peewee.OperationalError as exc:
            if not is_lock_error(exc) or attempt == attempts - 1:
                raise
        except peewee.InternalError as exc:  # psycopg serialization failure / deadlock
            if not is_lock_error(exc) or attempt == attempts - 1:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 1.0)
    raise AssertionError("unreachable")


@contextlib.contextmanager
def using(url: str) -> Iterator[peewee.Database]:
    """Connect for the duration of a block (scripts, tests)."""
    db = connect(url)
    try:
        yield db
    finally:
        db.close()
