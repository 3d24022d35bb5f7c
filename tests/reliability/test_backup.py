"""Backups and restores: verified round trips on both databases, refusals that change nothing."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3

import psycopg
import pytest

from desktop.cli import main as cli_main
from models import audit, backup, backup_crypto, backup_postgres, db, migrations
from models.errors import InvalidInput, NotPermitted, Refused
from models.schema import AuditEvent, Staff
from tests.helpers import PASSWORD, make_actor
from tests.reliability import workers


def _events() -> int:
    return AuditEvent.select().count()


@pytest.mark.slow
def test_sqlite_backup_while_another_process_writes(sqlite_url, tmp_path):
    """Each backup taken while a second process commits events is a consistent, verifiable snapshot."""
    db_url = sqlite_url
    ctx = multiprocessing.get_context("spawn")
    started = ctx.Event()
    writer = ctx.Process(target=workers.keep_writing, args=(db_url, 1.5, started))
    writer.start()
    try:
        assert started.wait(20)
        counts = []
        for i in range(4):
            result = backup.backup_database(db_url, tmp_path / f"b{i}.db")
            check = backup.check_backup(result.path)
            assert check.ok, check.problems
            assert check.integrity == "ok"
            counts.append(check.audit_events)
    finally:
        writer.join(30)
    assert writer.exitcode == 0
    assert counts == sorted(counts) and counts[-1] > counts[0], (
        "the writer kept committing during the backups"
    )
    assert not list(tmp_path.glob("*.part")), "no half-written backup left behind"
    # the backup is one self-contained file: no -wal beside it is needed to read it
    with backup_crypto.plain_copy(tmp_path / "b3.db") as (plain, _):  # backups are encrypted
        conn = sqlite3.connect(plain)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT COUNT(*) FROM audit_event").fetchone()[0] == counts[-1]
        conn.close()


def test_round_trip_restores_exactly_the_backup_and_keeps_a_safety_copy(db_url, tmp_path):
    admin = make_actor("admin")
    result = backup.create_backup(admin, tmp_path / "before.dump")
    events_at_backup = _events()
    assert result.path.exists()
    make_actor("frontdesk", username="after_backup")
    assert Staff.get_or_none(Staff.username == "after_backup") is not None

    restored = backup.restore_backup(admin, result.path, url=db_url)

    assert Staff.get_or_none(Staff.username == "after_backup") is None, "the restore brought back the backup"
    assert restored.schema_version == migrations.LATEST_VERSION
    assert audit.verify_chain().ok
    # the backup's own "backup.create" event is not in it (it was written after the snapshot);
    # the restore appends one "backup.restore" event
    assert _events() == events_at_backup
    assert AuditEvent.select().order_by(AuditEvent.seq.desc()).get().action == "backup.restore"
    # the safety copy holds the database as it was just before the restore
    assert restored.safety_copy is not None and restored.safety_copy.exists()
    backup.restore_database(restored.safety_copy, db_url)
    assert Staff.get_or_none(Staff.username == "after_backup") is not None


def test_tampered_backup_is_refused_and_nothing_changes(sqlite_url, tmp_path):
    db_url = sqlite_url
    make_actor("admin")
    sealed, out = tmp_path / "sealed.db", tmp_path / "b.db"
    backup.backup_database(db_url, sealed)
    backup_crypto.decrypt_file(sealed, out)  # an insider holding the key edits the plain copy
    conn = sqlite3.connect(out)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("UPDATE audit_event SET after = '{\"forged\": 1}' WHERE seq = 1")
    conn.commit()
    conn.close()
    staff_before = Staff.select().count()
    head_before = audit.verify_chain()

    with pytest.raises(Refused) as info:
        backup.restore_database(out, db_url)
    assert "审计" in info.value.message and "未做任何改动" in info.value.message
    db.connect(db_url)
    assert Staff.select().count() == staff_before
    assert audit.verify_chain() == head_before
    assert not list(backup.backup_dir().glob("before-restore-*")), "no safety copy: nothing was touched"


def test_backup_of_the_other_kind_is_refused(db_url, tmp_path):
    other = tmp_path / ("x.dump" if db_url.startswith("sqlite") else "x.db")
    if db_url.startswith("sqlite"):
        other.write_bytes(b"PGDMP" + b"\0" * 200)
        with pytest.raises((Refused, InvalidInput)):
            backup.restore_database(other, db_url)
    else:
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TEXT)")
        con.commit()
        con.close()
        with pytest.raises(Refused) as info:
            backup.restore_database(other, db_url)
        assert "SQLite" in info.value.message and "PostgreSQL" in info.value.message


def test_garbage_file_is_not_a_backup(tmp_path):
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8)
    with pytest.raises(InvalidInput) as info:
        backup.check_backup(junk)
    assert "不是 ffdesk 备份文件" in info.value.message


def test_backup_needs_the_backup_permission(db_url, tmp_path):
    desk = make_actor("frontdesk")
    with pytest.raises(NotPermitted):
        backup.create_backup(desk, tmp_path / "x")
    assert not (tmp_path / "x").exists()


@pytest.mark.pg
def test_missing_pg_tools_give_a_clear_message(pg_url, tmp_path, monkeypatch):
    db_url = pg_url
    monkeypatch.setattr(backup_postgres, "find_tool", lambda name: None)
    with pytest.raises(backup.BackupToolMissing) as info:
        backup.backup_database(db_url, tmp_path / "x.dump")
    assert "pg_dump" in info.value.message and "安装" in info.value.message
    assert not (tmp_path / "x.dump").exists()


@pytest.mark.pg
def test_postgres_restore_is_one_transaction(pg_url, tmp_path, monkeypatch):
    """A restore that fails at its very end leaves the database exactly as it was."""
    pg_server_url = pg_url
    dump = tmp_path / "ok.dump"
    backup.backup_database(pg_server_url, dump)
    make_actor("admin", username="survivor")  # only in the live database, not in the dump
    db.close()
    original_run = backup_postgres._run

    def failing_at_the_end(cmd, env, what, stdin=None):
        if stdin is not None:  # the psql load: append a failing statement
            stdin = stdin + b"\nSELECT 1/0;\n"
        return original_run(cmd, env, what, stdin)

    monkeypatch.setattr(backup_postgres, "_run", failing_at_the_end)
    with pytest.raises(Refused) as info:
        backup.restore_database(dump, pg_server_url)
    assert "恢复失败" in info.value.message
    with psycopg.connect(pg_server_url) as conn:
        assert conn.execute("SELECT 1 FROM staff WHERE username = 'survivor'").fetchone()
        assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == migrations.LATEST_VERSION


# --- automatic daily backup ----------------------------------------------------------------------------


def _utc(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour)) - dt.timedelta(hours=8)


def test_auto_backup_once_a_day_with_retention(tmp_path):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    db.connect(url)
    migrations.migrate()
    db.close()
    backup.set_keep_days(3)
    manual = backup.backup_dir() / "ffdesk-manual.db"
    backup.backup_database(url, manual)
    first = dt.date(2026, 3, 1)
    made = []
    for offset in range(6):
        day = first + dt.timedelta(days=offset)
        created = backup.auto_backup_if_due(_utc(day), url)
        assert created is not None and created.name == f"auto-{day.isoformat()}.db"
        assert backup.auto_backup_if_due(_utc(day, 20), url) is None, "only once per local day"
        made.append(created)
    kept = sorted(p.name for p in backup.backup_dir().glob("auto-*.db"))
    assert kept == [p.name for p in made[-3:]]
    assert manual.exists(), "manual backups are never pruned"
    assert backup.check_backup(made[-1]).ok


def test_auto_backup_skips_postgres_and_missing_files(tmp_path):
    assert backup.auto_backup_if_due(None, "postgresql://nobody@127.0.0.1:1/x") is None
    assert backup.auto_backup_if_due(None, f"sqlite:///{tmp_path / 'none.db'}") is None
    with pytest.raises(InvalidInput):
        backup.set_keep_days(0)


# --- the CLI -------------------------------------------------------------------------------------------


def test_cli_backup_and_restore_round_trip(db_url, tmp_path, monkeypatch, capsys):
    make_actor("admin", username="boss")
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    out = tmp_path / "cli.bak"
    assert cli_main(["--db", db_url, "backup", "--out", str(out), "--as", "boss"]) == 0
    assert "已备份" in capsys.readouterr().out
    db.connect(db_url)
    make_actor("nurse", username="later")
    db.close()

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli_main(["--db", db_url, "restore", str(out), "--as", "boss"]) == 2
    assert "--yes" in capsys.readouterr().err
    db.connect(db_url)
    assert Staff.get_or_none(Staff.username == "later") is not None, "without --yes nothing changed"
    db.close()

    assert cli_main(["--db", db_url, "restore", str(out), "--as", "boss", "--yes"]) == 0
    assert "已从" in capsys.readouterr().out
    db.connect(db_url)
    assert Staff.get_or_none(Staff.username == "later") is None


def test_cli_backup_refused_without_permission(db_url, tmp_path, monkeypatch, capsys):
    make_actor("frontdesk", username="desk")
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    assert cli_main(["--db", db_url, "backup", "--out", str(tmp_path / "x"), "--as", "desk"]) == 4
    assert "备份与恢复" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_cli_restores_a_damaged_database_without_sign_in(tmp_path, monkeypatch, capsys):
    """When the database file is garbage nobody can sign in; restore is the way back."""
    good = f"sqlite:///{tmp_path / 'good.db'}"
    db.connect(good)
    migrations.migrate()
    make_actor("admin", username="boss")
    db.close()
    out = tmp_path / "good.bak"
    backup.backup_database(good, out)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"\x00garbage" * 1000)
    url = f"sqlite:///{broken}"

    assert cli_main(["--db", url, "audit", "verify", "--as", "boss"]) == 2
    err = capsys.readouterr().err
    assert "已损坏" in err and "ffdesk restore" in err and "Traceback" not in err

    assert cli_main(["--db", url, "restore", str(out), "--yes"]) == 0
    capsys.readouterr()
    db.connect(url)
    assert Staff.get_or_none(Staff.username == "boss") is not None
    safety = sorted(backup.backup_dir().glob("before-restore-*"))
    assert safety and safety[0].read_bytes().startswith(b"\x00garbage"), "the damaged file was kept"


def test_cli_auto_backup_sets_retention(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    db.connect(url)
    migrations.migrate()
    db.close()
    assert cli_main(["--db", url, "backup", "auto", "--keep-days", "5"]) == 0
    out = capsys.readouterr().out
    assert "已自动备份" in out and "5 天" in out
    assert backup.keep_days() == 5
    assert cli_main(["--db", url, "backup", "auto"]) == 0
    assert "未重复备份" in capsys.readouterr().out
    assert cli_main(["--db", url, "backup", "auto", "--keep-days", "0"]) == 2
    assert "保留天数" in capsys.readouterr().err
