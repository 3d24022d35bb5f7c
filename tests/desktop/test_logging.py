"""Logs an IT person can use: rotating, version / database kind / workstation on every record,
and nothing personal about the clients whose work was logged."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest

from desktop import __version__, logging_setup
from desktop.cli import main
from models import clients as client_service
from models import db
from tests.helpers import PASSWORD, make_actor

NAME, ID_NUMBER, PHONE = "王小红", "430102199505121780", "13812345678"


@pytest.fixture
def fresh_log():
    logging_setup.stop_logging()
    yield logging_setup.log_file()
    logging_setup.stop_logging()


def _cli(monkeypatch, capsys, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    capsys.readouterr()
    return code


def test_a_clients_day_leaves_no_personal_data_in_the_log(fresh_log, db_url, monkeypatch, capsys):
    make_actor("frontdesk", "supervisor", username="fd")
    db.close()
    monkeypatch.setenv("FFDESK_DB", db_url)
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    person = ["--id", ID_NUMBER, "--name", NAME, "--phone", PHONE, "--as", "fd"]
    assert _cli(monkeypatch, capsys, "client", "add", *person) == 0
    assert _cli(monkeypatch, capsys, "client", "add", *person) == 0  # already registered
    assert _cli(monkeypatch, capsys, "client", "find", NAME, "--as", "fd") == 0
    assert _cli(monkeypatch, capsys, "client", "find", PHONE, "--as", "fd") == 0
    assert _cli(monkeypatch, capsys, "client", "show", ID_NUMBER, "--as", "fd") == 0
    lmp = (dt.date.today() - dt.timedelta(days=70)).isoformat()
    assert (
        _cli(
            monkeypatch,
            capsys,
            "episode",
            "open",
            ID_NUMBER,
            "--kind",
            "pregnancy",
            "--lmp",
            lmp,
            "--as",
            "fd",
        )
        == 0
    )
    assert (
        _cli(monkeypatch, capsys, "client", "add", "--id", ID_NUMBER[:-1] + "1", "--name", NAME, "--as", "fd")
        == 2
    )

    def failing(*_args, **_kwargs):  # a database error that quotes the row, as PostgreSQL's do
        quoted = f"Key (id_number, phone)=({ID_NUMBER}, {PHONE}) already exists; mail {PHONE}@qq.com"
        raise RuntimeError(quoted)

    monkeypatch.setattr(client_service, "register_client", failing)
    assert _cli(monkeypatch, capsys, "client", "add", *person) == 1
    logging.getLogger().handlers[-1].flush()
    text = fresh_log.read_text(encoding="utf-8")
    assert 'command "client add" done: exit 1' in text
    assert "Traceback" in text and "RuntimeError" in text  # the support person still sees what failed
    for secret in (NAME, ID_NUMBER, PHONE, ID_NUMBER[:-1] + "1", "qq.com"):
        assert secret not in text, f"{secret} is in the log:\n{text}"


def test_every_record_names_version_database_kind_and_workstation(
    fresh_log, empty_db_url, monkeypatch, capsys
):
    monkeypatch.setenv("FFDESK_DB", empty_db_url)
    assert _cli(monkeypatch, capsys, "init") == 0
    logging.getLogger("ffdesk.test").warning("a line from elsewhere")
    kind = "postgresql" if empty_db_url.startswith("postgresql") else "sqlite"
    lines = [line for line in fresh_log.read_text(encoding="utf-8").splitlines() if line[:4].isdigit()]
    assert len(lines) >= 2
    for line in lines:
        assert f"[ffdesk {__version__} {kind} 测试工作站]" in line, line


def test_the_log_rotates(fresh_log, monkeypatch):
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 5_000)
    logging_setup.setup_logging()
    for n in range(200):
        logging.getLogger("ffdesk.test").info("line %d %s", n, "x" * 60)
    rotated = sorted(p.name for p in fresh_log.parent.iterdir())
    assert rotated[:3] == ["ffdesk.log", "ffdesk.log.1", "ffdesk.log.2"]
    assert len(rotated) == logging_setup.BACKUPS + 1  # the oldest ones are dropped
    assert fresh_log.stat().st_size <= 5_000


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("id 430102199505121780 x", "id [证件号] x"),
        ("id 43010219950512178X.", "id [证件号]."),
        ("old id 430102950512178", "old id [证件号]"),
        ("permit H12345678, passport E12345678", "permit [证件号], passport [证件号]"),
        ("call 13812345678 or +86 138-1234-5678", "call [手机号] or [手机号]"),
        ("mail wang.xh@example.com", "mail [邮箱]"),
    ],
)
def test_scrub_takes_out_personal_numbers(text, scrubbed):
    assert logging_setup.scrub(text) == scrubbed


def test_scrub_keeps_what_support_needs():
    line = "voucher 6982-4039-3541-3039-9692 (69824039354130399692) at 2026-12-01 21:58:06,935, issuance 365"
    assert logging_setup.scrub(line) == line
    assert re.search(r"\[证件号\]", logging_setup.scrub("Key (x)=(430102199505121780)"))
