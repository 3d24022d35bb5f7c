"""Losing the PostgreSQL connection mid-action: reconnect, and the action is done once or not at all."""

from __future__ import annotations

import psycopg
import pytest

from models import audit, db, resilience
from models.schema import AuditEvent, Setting


@pytest.fixture
def admin_conn(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        yield conn


def _my_pid() -> int:
    return db.database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


def _kill(admin_conn, pid: int) -> None:
    """What a server restart does to this session: its backend is terminated."""
    admin_conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _write(key: str) -> str:
    Setting.insert(key=key, value="v").execute()
    audit.record(None, "test.write", "setting", key)
    return key


def _rows(key: str) -> tuple[int, int]:
    return (
        Setting.select().where(Setting.key == key).count(),
        AuditEvent.select().where(AuditEvent.entity_id == key).count(),
    )


@pytest.mark.pg
def test_lost_while_working_is_rerun_once(pg_url, admin_conn):
    calls = []

    def work():
        calls.append(1)
        _write("k1")
        if len(calls) == 1:
            _kill(admin_conn, _my_pid())
        db.database.execute_sql("SELECT 1")  # the dead connection fails here on the first attempt
        return "ok"

    outcome = resilience.with_reconnect(work)
    assert outcome.value == "ok" and outcome.reconnected
    assert "只执行了一次" in outcome.message
    assert len(calls) == 2
    assert _rows("k1") == (1, 1)
    assert audit.verify_chain().ok


@pytest.mark.pg
def test_lost_at_commit_checks_before_rerunning(pg_url, admin_conn):
    calls = []

    def work():
        calls.append(1)
        _write("k2")
        if len(calls) == 1:
            _kill(admin_conn, _my_pid())  # the COMMIT that follows cannot reach the server
        return "ok"

    def check_done():
        return "ok" if _rows("k2")[0] else None

    outcome = resilience.with_reconnect(work, check_done=check_done)
    assert outcome.reconnected and len(calls) == 2, "the check found nothing committed, so it ran again"
    assert _rows("k2") == (1, 1)


@pytest.mark.pg
def test_lost_at_commit_when_the_first_attempt_did_commit(pg_url, admin_conn, monkeypatch):
    """The commit reached the server but its answer was lost: report done, do not redo."""
    calls = []
    real_commit = db.database.obj.commit

    def commit_then_lose():
        real_commit()
        monkeypatch.setattr(db.database.obj, "commit", real_commit)
        _kill(admin_conn, _my_pid())
        db.database.execute_sql("SELECT 1")

    monkeypatch.setattr(db.database.obj, "commit", commit_then_lose)

    def work():
        calls.append(1)
        return _write("k3")

    outcome = resilience.with_reconnect(work, check_done=lambda: "k3" if _rows("k3")[0] else None)
    assert outcome.value == "k3" and len(calls) == 1
    assert "已完成" in outcome.message and "只执行了一次" in outcome.message
    assert _rows("k3") == (1, 1)


@pytest.mark.pg
def test_uncertain_commit_without_a_check_tells_the_user_to_verify(pg_url, admin_conn):
    def work():
        _write("k4")
        _kill(admin_conn, _my_pid())

    with pytest.raises(resilience.ConnectionLost) as info:
        resilience.with_reconnect(work)
    assert info.value.done is None and "核对" in info.value.message
    assert _rows("k4") == (0, 0), "it was in fact not committed, and nothing was redone"
    assert audit.verify_chain().ok


@pytest.mark.pg
def test_server_still_down_means_not_done(pg_url, admin_conn, monkeypatch):
    def work():
        _write("k5")
        _kill(admin_conn, _my_pid())
        db.database.execute_sql("SELECT 1")

    def refuse(*args, **kwargs):
        raise db.peewee.OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    original_connect = db.database.obj.connect
    monkeypatch.setattr(db.database.obj, "connect", refuse)
    with pytest.raises(resilience.ConnectionLost) as info:
        resilience.with_reconnect(work, wait=0.3)
    assert info.value.done is False and "未执行" in info.value.message
    monkeypatch.setattr(db.database.obj, "connect", original_connect)
    resilience.reconnect()
    assert _rows("k5") == (0, 0)


def test_ordinary_errors_pass_through_untouched(sqlite_url):
    from models.errors import Refused

    def work():
        _write("k6")
        raise Refused("不行")

    with pytest.raises(Refused):
        resilience.with_reconnect(work)
    assert _rows("k6") == (0, 0)
    assert resilience.with_reconnect(lambda: _write("k7")).reconnected is False
