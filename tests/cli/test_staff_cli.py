"""``ffdesk init --admin``, ``ffdesk staff …`` and ``ffdesk audit …`` as a user runs them."""

from __future__ import annotations

import io
import json

import pytest

from desktop.cli import main
from models import db
from models.db import database, is_postgres

ADMIN_PW = "Admin-Pass-1"


@pytest.fixture
def cli(empty_db_url, monkeypatch, capsys):
    """Run ``ffdesk`` in-process: returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("FFDESK_DB", empty_db_url)

    def run(*argv: str, stdin: str = "", password: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        if password is None:
            monkeypatch.delenv("FFDESK_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("FFDESK_PASSWORD", password)
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def admin_cli(cli):
    code, out, _ = cli("init", "--admin", "boss", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert code == 0, out
    return cli


def as_admin(cli, *argv: str, stdin: str = ""):
    return cli(*argv, "--as", "boss", stdin=stdin, password=ADMIN_PW)


def test_init_creates_the_first_admin_once(cli):
    code, out, _ = cli("init", "--admin", "boss", "--password-stdin", "--json", stdin=ADMIN_PW + "\n")
    assert code == 0
    assert json.loads(out)["admin"] == "boss"
    code, _, err = cli("init", "--admin", "boss2", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert code == 3
    assert "已经存在管理员" in err
    code, out, _ = cli("staff", "list", "--as", "boss", "--json", password=ADMIN_PW)
    assert code == 0
    assert [s["username"] for s in json.loads(out)] == ["boss"]


def test_init_refuses_a_weak_admin_password(cli):
    code, _, err = cli("init", "--admin", "boss", "--password-stdin", stdin="password\n")
    assert code == 2
    assert "密码" in err


def test_add_staff_then_first_sign_in_must_change_password(admin_cli):
    code, out, _ = as_admin(
        admin_cli,
        "staff",
        "add",
        "nurse1",
        "--role",
        "nurse",
        "--full-name",
        "王护士",
        "--password-stdin",
        stdin="Nurse-Pass-1\n",
    )
    assert code == 0, out
    assert "nurse1" in out
    # a nurse who has not changed the initial password can do nothing yet
    code, _, err = admin_cli("audit", "list", "--as", "nurse1", password="Nurse-Pass-1")
    assert code == 4
    assert "修改密码" in err
    code, _, _ = admin_cli(
        "staff",
        "passwd",
        "--as",
        "nurse1",
        "--password-stdin",
        stdin="Nurse-Pass-2\n",
        password="Nurse-Pass-1",
    )
    assert code == 0
    # signed in properly now, but the nurse role still may not read the audit trail
    code, _, err = admin_cli("audit", "list", "--as", "nurse1", password="Nurse-Pass-2")
    assert code == 4
    assert "没有" in err and "权限" in err


def test_add_staff_without_a_password_prints_a_temporary_one(admin_cli):
    code, out, _ = as_admin(admin_cli, "staff", "add", "fd1", "--role", "frontdesk,supervisor", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["roles"] == ["frontdesk", "supervisor"]
    temporary = payload["temporary_password"]
    code, _, _ = admin_cli(
        "staff", "passwd", "--as", "fd1", "--password-stdin", stdin="Front-Desk-3\n", password=temporary
    )
    assert code == 0


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("staff", "add", "x1", "--role", "doctor"), 2),
        (("staff", "add", "boss", "--role", "nurse"), 3),
        (("staff", "disable", "ghost"), 5),
        (("staff", "disable", "boss"), 3),
        (("audit", "list", "--limit", "0"), 2),
    ],
)
def test_exit_codes(admin_cli, argv, code):
    assert as_admin(admin_cli, *argv)[0] == code


def test_wrong_password_or_no_user_is_exit_4(admin_cli):
    assert admin_cli("staff", "list", "--as", "boss", password="Wrong-Pass-1")[0] == 4
    code, _, err = admin_cli("staff", "list")
    assert code == 4
    assert "--as" in err


def test_disable_and_reset_password(admin_cli):
    as_admin(
        admin_cli, "staff", "add", "nurse1", "--role", "nurse", "--password-stdin", stdin="Nurse-Pass-1\n"
    )
    admin_cli(
        "staff",
        "passwd",
        "--as",
        "nurse1",
        "--password-stdin",
        stdin="Nurse-Pass-2\n",
        password="Nurse-Pass-1",
    )
    code, out, _ = as_admin(admin_cli, "staff", "reset-password", "nurse1", "--json")
    assert code == 0
    temporary = json.loads(out)["temporary_password"]
    assert admin_cli("audit", "list", "--as", "nurse1", password="Nurse-Pass-2")[0] == 4
    code, out, _ = as_admin(admin_cli, "staff", "list", "--json")
    nurse = next(s for s in json.loads(out) if s["username"] == "nurse1")
    assert nurse["must_change_password"] is True
    assert (
        admin_cli(
            "staff",
            "passwd",
            "--as",
            "nurse1",
            "--password-stdin",
            stdin="Nurse-Pass-3\n",
            password=temporary,
        )[0]
        == 0
    )
    assert as_admin(admin_cli, "staff", "disable", "nurse1")[0] == 0
    code, _, err = admin_cli(
        "staff",
        "passwd",
        "--as",
        "nurse1",
        "--password-stdin",
        stdin="Nurse-Pass-4\n",
        password="Nurse-Pass-3",
    )
    assert code == 4
    assert "停用" in err
    code, out, _ = as_admin(admin_cli, "staff", "list", "--json")
    assert next(s for s in json.loads(out) if s["username"] == "nurse1")["active"] is False


def test_audit_list_shows_who_and_where(admin_cli, monkeypatch):
    monkeypatch.setenv("FFDESK_WORKSTATION", "前台-1")
    as_admin(admin_cli, "staff", "add", "fd1", "--role", "frontdesk")
    code, out, _ = as_admin(admin_cli, "audit", "list", "--action", "staff.create", "--json")
    assert code == 0
    events = json.loads(out)
    assert [e["after"]["username"] for e in events] == ["fd1", "boss"]
    assert events[0]["staff_name"] == "系统管理员"
    assert events[0]["workstation"] == "前台-1"
    code, out, _ = as_admin(admin_cli, "audit", "list", "--limit", "2")
    assert code == 0
    assert len(out.strip().splitlines()) == 2


def test_audit_verify_exit_3_names_the_changed_event(admin_cli, empty_db_url):
    as_admin(admin_cli, "staff", "add", "fd1", "--role", "frontdesk")
    code, out, _ = as_admin(admin_cli, "audit", "verify")
    assert code == 0
    assert "完整" in out
    db.connect(empty_db_url)
    with database.atomic():
        if is_postgres():
            database.execute_sql('ALTER TABLE "audit_event" DISABLE TRIGGER USER')
        else:
            database.execute_sql('DROP TRIGGER "audit_event_no_update"')
        database.execute_sql("UPDATE audit_event SET after = '{}' WHERE seq = 2")
    db.close()
    code, out, err = as_admin(admin_cli, "audit", "verify", "--json")
    assert code == 3
    assert json.loads(out)["first_bad_seq"] == 2
    assert "#2" in err


def test_audit_verify_names_a_role_granted_by_sql(admin_cli, empty_db_url):
    as_admin(admin_cli, "staff", "add", "fd1", "--role", "frontdesk")
    db.connect(empty_db_url)
    staff_id = database.execute_sql("SELECT id FROM staff WHERE username = 'fd1'").fetchone()[0]
    with database.atomic():
        database.execute_sql(f"INSERT INTO staff_role (staff_id, role) VALUES ({staff_id}, 'admin')")
    db.close()
    code, out, err = as_admin(admin_cli, "audit", "verify")
    assert code == 3
    assert "员工角色（staff_role）" in err and "没有任何审计事件记录它" in err
    code, out, _ = as_admin(admin_cli, "audit", "verify", "--json")
    differences = json.loads(out)["differences"]
    assert differences[0]["table"] == "staff_role" and differences[0]["found"] == [staff_id, "admin"]


def test_audit_key_rotate_export_import(admin_cli, tmp_path, monkeypatch):
    from models import audit_key

    old = audit_key.load().current
    code, out, _ = as_admin(admin_cli, "audit", "rotate-key", "--json")
    assert code == 0 and json.loads(out)["previous"] == old
    new = json.loads(out)["key_id"]
    carried = tmp_path / "carry" / "key.json"
    assert admin_cli("audit", "export-key", "--out", str(carried))[0] == 2  # no such folder: nothing written
    carried.parent.mkdir()
    code, out, _ = admin_cli("audit", "export-key", "--out", str(carried))
    assert code == 0 and "import-key" in out
    assert carried.stat().st_mode & 0o777 == 0o600
    # another desk (another data folder) without the key: refused, told what to do; then imported
    monkeypatch.setenv("FFDESK_HOME", str(tmp_path / "desk2"))
    code, _, err = as_admin(admin_cli, "audit", "verify")
    assert code == 3 and "import-key" in err
    code, out, _ = admin_cli("audit", "import-key", str(carried), "--json")
    assert code == 0 and json.loads(out)["current"] == new and old in json.loads(out)["keys"]
    key_file = audit_key.key_file()
    assert key_file.stat().st_mode & 0o777 == 0o600 and key_file.parent.stat().st_mode & 0o777 == 0o700
    code, out, _ = as_admin(admin_cli, "audit", "verify")
    assert code == 0 and "一致" in out
