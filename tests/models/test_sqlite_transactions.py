"""SQLite: durable commits (synchronous=FULL) on every connection, and every transaction
``BEGIN IMMEDIATE`` however it is opened (issue 13 points 6 and 7).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time

import peewee
import pytest

from models import catalog, db, migrations, redemption
from models.schema import Setting
from tests.helpers import make_actor

FULL = 2


@pytest.fixture
def sqlite_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'ffdesk.db'}"
    db.connect(url)
    migrations.migrate()
    catalog.load_catalog(catalog.default_catalog_path())
    yield url
    db.close()


def synchronous() -> int:
    return db.database.execute_sql("PRAGMA synchronous").fetchone()[0]


def test_every_sqlite_connection_commits_durably(tmp_path):
    """synchronous=FULL on the first connection, after a reconnect and in worker threads."""
    url = f"sqlite:///{tmp_path / 'd.db'}"
    db.connect(url)
    seen = [synchronous()]
    db.close()
    db.connect(url)  # a reconnect
    seen.append(synchronous())
    db.database.close()
    db.database.connect()  # the same database object opening a new connection
    seen.append(synchronous())

    def in_thread() -> None:
        seen.append(synchronous())  # peewee gives each thread its own connection
        db.database.close()

    threads = [threading.Thread(target=in_thread) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.close()
    assert seen == [FULL] * 6, "a redemption reported done must survive a power loss on every connection"


def test_every_transaction_begins_immediate(sqlite_url):
    """The proxy's atomic(), transaction(), nested blocks, run_in_transaction and a real service."""
    actor = make_actor("nurse", "supervisor")
    statements: list[str] = []
    db.database.connection().set_trace_callback(statements.append)

    with db.database.atomic():
        Setting.select().count()
        with db.database.atomic():  # a savepoint inside, no second BEGIN
            Setting.select().count()
    with db.database.transaction():
        Setting.select().count()
    db.run_in_transaction(lambda: Setting.select().count())
    db.database.obj.atomic().__enter__().__exit__(None, None, None)
    with pytest.raises(Exception):  # noqa: B017 - any refusal; the transaction opened all the same
        redemption.reverse(actor, "0000-0000-0000-0000-0000", "测试")

    db.database.connection().set_trace_callback(None)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert len(begins) >= 4
    assert set(begins) == {"BEGIN IMMEDIATE"}, begins


def other_connection(path: str) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=0, isolation_level=None)


def test_a_transaction_holds_the_write_lock_from_its_begin(sqlite_url):
    """Another desk cannot start writing while our (still empty) transaction is open."""
    path = sqlite_url[len("sqlite:///") :]
    other = other_connection(path)
    try:
        with db.database.atomic(), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after our commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def plain_begin_database(path: str) -> peewee.SqliteDatabase:
    """What the proxy gave before: peewee's SqliteDatabase sends a bare ``BEGIN``."""
    return peewee.SqliteDatabase(path, pragmas=db.SQLITE_PRAGMAS, check_same_thread=False, timeout=10)


@pytest.mark.parametrize("kind", ["ffdesk", "plain BEGIN"])
def test_two_read_then_write_transactions_wait_for_each_other(tmp_path, kind):
    """Two desks each read, then write, in one transaction. With ``BEGIN IMMEDIATE`` the second
    waits for the first and both succeed; with a plain ``BEGIN`` the second fails with
    "database is locked" at once, busy timeout or not — the failure this test guards against.
    """
    path = str(tmp_path / "race.db")
    url = f"sqlite:///{path}"
    database = db.make_database(url) if kind == "ffdesk" else plain_begin_database(path)
    database.connect()
    database.execute_sql("CREATE TABLE counter (n INTEGER NOT NULL)")
    database.execute_sql("INSERT INTO counter VALUES (0)")
    database.close()
    failures: list[str] = []
    both_read = threading.Barrier(2, timeout=0.5)

    def desk() -> None:
        try:
            with database.atomic():
                (n,) = database.execute_sql("SELECT n FROM counter").fetchone()
                # plain BEGIN: both snapshots are open after this; BEGIN IMMEDIATE: the other
                # desk is still waiting for the lock, so the barrier breaks after its timeout
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait()
                time.sleep(0.05)
                database.execute_sql("UPDATE counter SET n = ?", (n + 1,))
        except peewee.OperationalError as exc:
            failures.append(str(exc))
        finally:
            database.close()

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    database.connect()
    total = database.execute_sql("SELECT n FROM counter").fetchone()[0]
    database.close()
    if kind == "ffdesk":
        assert failures == [] and total == 2, "the second desk waited and then counted on"
    else:
        assert failures and "locked" in failures[0], "a plain BEGIN upgrades late and fails"


def test_a_deferred_transaction_cannot_be_asked_for(sqlite_url):
    """A write transaction that could upgrade late is refused in code, not found in production."""
    with pytest.raises(ValueError, match="BEGIN IMMEDIATE"), db.database.atomic(lock_type="DEFERRED"):
        pass
    assert db.database.transaction_depth() == 0
    with db.database.atomic(lock_type="EXCLUSIVE"):  # stricter is fine
        Setting.select().count()
