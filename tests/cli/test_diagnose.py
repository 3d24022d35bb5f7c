"""``ffdesk diagnose``: a support zip with what support asks first, and no secrets or personal data."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from desktop import __version__, logging_setup
from desktop.cli import main
from models import clients, db, migrations
from models.db import data_dir, write_settings_file
from models.schema import AuditEvent
from tests.helpers import PASSWORD, make_actor

NAME, ID_NUMBER, PHONE = "王小红", "430102199505121780", "13812345678"


def _cli(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _read(path) -> tuple[dict, str, str]:
    with zipfile.ZipFile(path) as archive:
        everything = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
        return (
            json.loads(archive.read("diagnose.json")),
            archive.read("ffdesk.log").decode("utf-8"),
            everything,
        )


@pytest.fixture
def fresh_log():
    logging_setup.stop_logging()
    yield
    logging_setup.stop_logging()


def test_the_zip_has_versions_schema_and_audit_head_but_no_secret_or_client(
    fresh_log, db_url, monkeypatch, capsys, tmp_path
):
    actor = make_actor("frontdesk", username="fd")
    clients.register_client(actor, id_type="resident", id_number=ID_NUMBER, name=NAME, phone=PHONE)
    db.close()
    secret_url = "postgresql://ffdesk:S3cret-Pw@dbserver/ffdesk"
    write_settings_file({"database_url": secret_url, "service_point": "PND", "mail_password": "Mail-Pw-9"})
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("FFDESK_DB", db_url)
    _cli(monkeypatch, capsys, "client", "find", NAME, "--as", "fd")  # something in the log
    out = tmp_path / "support" / "diag.zip"
    code, stdout, _ = _cli(monkeypatch, capsys, "diagnose", "--out", str(out))
    assert code == 0
    assert "已写入诊断包" in stdout
    info, log_text, everything = _read(out)
    db.connect(db_url)
    head = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    db.close()
    assert info["ffdesk"] == __version__
    assert info["libraries"]["peewee"] != "-"
    assert info["database"]["kind"] == ("postgresql" if db_url.startswith("postgresql") else "sqlite")
    assert info["database"]["schema_version"] == migrations.LATEST_VERSION
    assert info["database"]["audit_head"]["seq"] == head.seq
    assert info["database"]["audit_head"]["hash"] == head.hash
    assert info["settings"]["database_url"] in (
        "postgresql://ffdesk:***@dbserver/ffdesk",  # masked here
        "postgresql://ffdesk@dbserver/ffdesk",  # or the settings file keeps no password at all
    )
    assert info["settings"]["mail_password"] == "***"
    assert info["settings"]["service_point"] == "PND"
    assert info["environment"]["FFDESK_PASSWORD"] == "***"
    assert 'command "client find" done: exit 0' in log_text
    for secret in ("S3cret-Pw", "Mail-Pw-9", PASSWORD, NAME, ID_NUMBER, PHONE):
        assert secret not in everything, secret
    assert not out.with_name("diag.zip.partial").exists()


def test_a_missing_database_is_reported_not_created(fresh_log, monkeypatch, capsys, tmp_path):
    out = tmp_path / "d.zip"
    code, _, _ = _cli(monkeypatch, capsys, "diagnose", "--out", str(out))
    assert code == 0
    info, _, _ = _read(out)
    assert info["database"]["error"] == "数据库文件不存在"
    assert list(data_dir().glob("ffdesk.db*")) == []


def test_a_damaged_database_is_named_in_the_zip(fresh_log, monkeypatch, capsys, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    out = tmp_path / "d.zip"
    code, stdout, _ = _cli(monkeypatch, capsys, "--db", f"sqlite:///{broken}", "diagnose", "--out", str(out))
    assert code == 0
    assert "数据库无法打开" in stdout
    info, _, _ = _read(out)
    assert "error" in info["database"]
    assert "schema_version" not in info["database"]
