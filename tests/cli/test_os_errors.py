"""Operating-system errors are input errors (issue 13 point 8): an argument that is not UTF-8,
``--out`` naming a folder, a missing folder, a file where a folder should be, a place even root
cannot write — every command that writes or reads a file answers in Chinese with exit 2, writes
no file (not even a half one) and changes nothing in the database.

The checks run before any database work, so one backend (SQLite) is enough here.
"""

from __future__ import annotations

import errno
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from models import catalog, db, files, migrations
from models.errors import InvalidInput
from models.schema import AuditEvent
from tests.helpers import PASSWORD, make_actor

CJK = re.compile(r"[\u4e00-\u9fff]")
ROOT = Path(__file__).resolve().parents[2]
# sysfs refuses new files to everyone, root included: a path that really cannot be written
UNWRITABLE = "/sys/ffdesk-dbhard-test.pdf"
ENTRY = "import sys; from desktop.cli import main; sys.exit(main())"

WRITERS = {
    "slip": ["slip", "1", "--out", "{out}"],
    "report reconciliation": ["report", "reconciliation", "--from", "2026-03-01", "--to", "2026-03-31", "--out", "{out}"],
    "report settlement": ["report", "settlement", "--month", "2026-02", "--format", "xlsx", "--out", "{out}"],
    "report daily-close": ["report", "daily-close", "--format", "csv", "--out", "{out}"],
    "report stats": ["report", "stats", "--from-month", "2026-01", "--to-month", "2026-02", "--out", "{out}"],
    "leave issue": ["leave", "issue", "1", "--rules", "national", "--delivery-date", "2026-03-01", "--out", "{out}"],
    "cert issue": ["cert", "issue", "1", "--data", "{data}", "--out", "{out}"],
    "cert print": ["cert", "print", "A0000001", "--out", "{out}"],
    "cert grid": ["cert", "grid", "--out", "{out}"],
    "backup": ["backup", "--out", "{out}"],
}  # fmt: skip

READERS = {
    "catalog load": ["catalog", "load", "{file}"],
    "restore": ["restore", "{file}", "--yes"],
    "cert issue --data": ["cert", "issue", "1", "--data", "{file}", "--out", "{out}"],
    "cert grid --layout": ["cert", "grid", "--layout", "{file}", "--out", "{out}"],
    "leave compute --rules": ["leave", "compute", "--rules", "{file}", "--delivery-date", "2026-03-01"],
    "leave rules --dir": ["leave", "rules", "--dir", "{file}"],
}


def bad_outputs(tmp: Path) -> dict[str, str]:
    (tmp / "folder").mkdir()
    (tmp / "plain.txt").write_text("x")
    return {
        "a folder": str(tmp / "folder"),
        "a missing folder": str(tmp / "missing" / "x.pdf"),
        "a file where a folder should be": str(tmp / "plain.txt" / "x.pdf"),
        "a place root cannot write": UNWRITABLE,
        "a name that is not UTF-8": str(tmp / "b\udcffd.pdf"),  # how Python passes argv bytes 0xff
    }


def bad_inputs(tmp: Path, wants_folder: bool) -> dict[str, str]:
    (tmp / "folder.toml").mkdir()
    (tmp / "plain.toml").write_text("x")
    return {
        "the wrong kind (folder for a file, file for a folder)": str(
            tmp / ("plain.toml" if wants_folder else "folder.toml")
        ),
        "a missing file": str(tmp / "missing" / "x.toml"),
        "a name that is not UTF-8": str(tmp / "b\udcffd.toml"),
    }


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """A SQLite database with an administrator ``admin``; run(argv) → (exit code, stdout, stderr)."""
    url = f"sqlite:///{tmp_path / 'db' / 'ffdesk.db'}"
    db.connect(url)
    migrations.migrate()
    catalog.load_catalog(catalog.default_catalog_path())
    make_actor("admin", "supervisor", "frontdesk", "finance", username="admin")
    db.close()
    monkeypatch.setenv("FFDESK_DB", url)
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    def invoke(argv: list[str]) -> tuple[int, str, str]:
        try:
            code = main([*argv, "--as", "admin"])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    invoke.url = url
    return invoke


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "db" not in p.relative_to(folder).parts}


def events(url: str) -> int:
    db.connect(url)
    try:
        return AuditEvent.select().count()
    finally:
        db.close()


def assert_input_error(code: int, err: str) -> None:
    assert code == 2, err
    assert CJK.search(err) and "Traceback" not in err and "意外错误" not in err, err


@pytest.mark.parametrize("command", list(WRITERS))
def test_every_out_that_cannot_be_written_is_an_input_error(run, tmp_path, command):
    work = tmp_path / "work"
    work.mkdir()
    data = work / "cert.json"
    data.write_text("{}")
    before_events = events(run.url)
    for what, out in bad_outputs(work).items():
        before = files_under(work)
        argv = [a.format(out=out, data=data) for a in WRITERS[command]]
        code, _, err = run(argv)
        assert_input_error(code, err)
        assert files.shown(out) in err or (what == "a name that is not UTF-8" and "UTF-8" in err), (what, err)
        assert files_under(work) == before, f"{command} with {what}: no file written, not even a partial one"
        assert not os.path.lexists(UNWRITABLE)
    assert events(run.url) == before_events, "nothing was recorded: the path was refused before any work"


@pytest.mark.parametrize("command", list(READERS))
def test_every_file_argument_that_cannot_be_read_is_an_input_error(run, tmp_path, command):
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out.pdf"
    before_events = events(run.url)
    for what, path in bad_inputs(work, wants_folder="--dir" in command).items():
        argv = [a.format(file=path, out=out) for a in READERS[command]]
        code, _, err = run(argv)
        assert_input_error(code, err)
        assert not out.exists(), f"{command} with {what} wrote its output all the same"
    assert events(run.url) == before_events


def test_a_good_path_still_writes_the_whole_file(run, tmp_path):
    out = tmp_path / "report.csv"
    code, _, err = run(["report", "daily-close", "--format", "csv", "--out", str(out)])
    assert code == 0, err
    assert out.read_bytes() and not list(tmp_path.glob(".*.part"))


def test_a_write_that_fails_late_leaves_no_partial_file_and_the_old_one_intact(tmp_path, monkeypatch):
    """Disk full in the middle of writing: the error is Chinese and the earlier file is untouched."""
    target = tmp_path / "slip.pdf"
    target.write_bytes(b"old")
    checked = files.output_file(str(target))

    real_write = Path.write_bytes

    def disk_full(self, data):
        real_write(self, data[:4])  # half written, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    with pytest.raises(InvalidInput, match="磁盘空间不足"):
        files.write_file(checked, b"new content")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slip.pdf"]


def test_a_device_is_not_an_output_file(tmp_path):
    with pytest.raises(InvalidInput, match="不是普通文件"):
        files.output_file("/dev/null")


def test_text_arguments_that_are_not_utf8_are_refused_before_anything_happens(run):
    before = events(run.url)
    code, _, err = run(["client", "add", "--id", "430102199505121780", "--name", "王\udcff红"])
    assert_input_error(code, err)
    assert "UTF-8" in err and "王\ufffd红" in err
    assert events(run.url) == before


def test_real_argv_bytes_that_are_not_utf8(tmp_path):
    """The real process: the operating system hands over the byte 0xff inside an argument."""
    env = {**os.environ, "FFDESK_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", ENTRY, "slip", "1", "--out", os.fsencode(tmp_path) + b"/\xff.pdf"],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    assert "UTF-8" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == []


def test_a_backup_where_nothing_can_be_written_is_refused_in_chinese(run, tmp_path):
    """The backup screen calls the service directly: the same checks hold there."""
    from models import backup

    (tmp_path / "plain.txt").write_text("x")
    for out, reason in [
        (UNWRITABLE, "没有权限"),
        (tmp_path / "plain.txt" / "sub" / "b.db", "无法建立备份文件夹"),
    ]:
        with pytest.raises(InvalidInput, match=reason):
            backup.backup_database(run.url, out)
    assert not os.path.lexists(UNWRITABLE)
