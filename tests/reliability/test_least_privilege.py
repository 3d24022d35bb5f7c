"""PostgreSQL least privilege (issue 13 point 4): desks connect as a role that may insert events
and ledger rows but never change or delete them, and cannot touch tables or triggers.

PostgreSQL only. Roles are cluster-wide: every role made here has a name unique to this run and
is dropped at the end, so parallel runs never collide.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from urllib.parse import urlparse

import psycopg
import pytest
from psycopg import errors, sql

from desktop.cli import main as cli_main
from models import (
    backup,
    backup_postgres,
    catalog,
    db,
    issuance,
    migrations,
    privileges,
    redemption,
    vouchers,
)
from models.schema import AuditEvent, LedgerEntry, Voucher
from tests.conftest import reset_pg
from tests.helpers import PASSWORD, make_actor
from tests.reliability import invariants, workers

pytestmark = pytest.mark.pg

# every action an insider with the desk's password would try, and that the server must refuse
FORBIDDEN = {
    "改写审计事件": "UPDATE audit_event SET action = 'forged'",
    "删除审计事件": "DELETE FROM audit_event",
    "清空审计事件": "TRUNCATE audit_event",
    "台账金额 ×100": "UPDATE ledger_entry SET amount_fen = amount_fen * 100",
    "删除台账行": "DELETE FROM ledger_entry",
    "清空台账": "TRUNCATE ledger_entry",
    "改表结构": "ALTER TABLE voucher ADD COLUMN forged INTEGER",
    "停用审计触发器": "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
    "停用全部触发器": "ALTER TABLE audit_event DISABLE TRIGGER ALL",
    "删除审计触发器": "DROP TRIGGER audit_event_append_only ON audit_event",
    "删除台账表": "DROP TABLE ledger_entry",
    "绕过触发器": "SET session_replication_role = replica",
    "建新表": "CREATE TABLE forged (n INTEGER)",
    "改结构版本": "UPDATE schema_version SET version = 1",
    "删除券": "DELETE FROM voucher",
}


def as_user(url: str, user: str) -> str:
    parsed = urlparse(url)
    host = parsed.hostname + (f":{parsed.port}" if parsed.port else "")
    return parsed._replace(netloc=f"{user}@{host}").geturl()


@pytest.fixture
def roles(pg_server_url):
    """Make run-unique role names; drops every role made through it at the end."""
    made: list[str] = []

    def make(kind: str) -> str:
        name = f"ffdesk_{kind}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        made.append(name)
        return name

    yield make
    db.close()
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        for name in made:
            exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            if exists:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,)
                )
                admin.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(name)))
                admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@pytest.fixture
def desk(pg_url, roles):
    """A migrated database with the catalog, the battery's staff and a desk role granted; owner connected."""
    catalog.load_catalog(catalog.default_catalog_path())
    pairs = workers.setup_battery(episodes_count=2, desks=1)
    role = roles("desk")
    privileges.create_desk_role(role, "Desk-Role-Pass")
    assert privileges.apply_desk_grants() == [role], "the new role is recorded as this database's desk role"
    return {"url": as_user(pg_url, role), "role": role, "pairs": pairs, "owner_url": pg_url}


def allowed_forbidden_actions(url: str) -> list[str]:
    """The forbidden actions the server let ``url``'s role do (each rolled back at once)."""
    allowed = []
    with psycopg.connect(url) as conn:
        for name, statement in FORBIDDEN.items():
            try:
                conn.execute(statement)
                allowed.append(name)
            except errors.InsufficientPrivilege:
                pass
            conn.rollback()
    return allowed


def desk_day(pairs) -> dict:
    """Issue, redeem, reverse, redeem again and void as the connected (desk) role."""
    actor = workers._actor(0)
    episode_id, package = pairs[0]
    view = issuance.issue_package(actor, episode_id, package)
    codes = [v.code for v in vouchers.views_of_issuance(view.id)]
    first = Voucher.get(Voucher.code == codes[0])
    point, result = first.service_point.code, "negative" if first.result_kind == "screening" else None
    redemption.redeem(actor, codes[0], point, result)
    redemption.reverse(actor, codes[0], "录入错误")
    redemption.redeem(actor, codes[0], point, result)
    vouchers.void_voucher(actor, codes[1], "重复发放")
    return {"issuance": view.id, "codes": codes}


def test_desk_role_does_a_day_s_work_and_is_refused_every_forbidden_action(desk):
    db.connect(desk["url"])
    assert db.database.execute_sql("SELECT current_user").fetchone()[0] == desk["role"]
    done = desk_day(desk["pairs"])
    assert (
        LedgerEntry.select().count() == 3 and Voucher.get(Voucher.code == done["codes"][1]).state == "voided"
    )
    events, ledger = AuditEvent.select().count(), list(LedgerEntry.select().tuples())
    db.close()

    assert allowed_forbidden_actions(desk["url"]) == [], "the desk role may not rewrite history"
    with psycopg.connect(desk["url"]) as conn:
        flags = conn.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        owned = conn.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user").fetchone()[0]
    assert flags == (False, False, False, False) and owned == 0, "not a superuser, owns nothing"

    db.connect(desk["owner_url"])
    assert AuditEvent.select().count() == events and list(LedgerEntry.select().tuples()) == ledger
    assert invariants.problems() == []


def test_the_check_notices_a_desk_role_that_may_change_the_ledger(desk, capsys):
    """Self-test: grant UPDATE on the ledger by mistake, and both checks name exactly that."""
    db.database.execute_sql(f'GRANT UPDATE, DELETE ON "ledger_entry" TO "{desk["role"]}"')
    db.close()
    assert allowed_forbidden_actions(desk["url"]) == ["台账金额 ×100", "删除台账行"]
    assert cli_main(["--db", desk["url"], "db", "check"]) == 3
    out = capsys.readouterr().out
    assert (
        "ledger_entry 执行 UPDATE" in out and "ledger_entry 执行 DELETE" in out and "audit_event" not in out
    )


def test_db_check_tells_a_desk_role_from_an_account_that_can_rewrite_history(desk, capsys):
    db.close()
    assert cli_main(["--db", desk["url"], "db", "check"]) == 0
    assert "最小权限的桌面角色" in capsys.readouterr().out
    assert cli_main(["--db", desk["owner_url"], "db", "check", "--json"]) == 3  # the superuser the tests use
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert any("超级用户" in p for p in problems) and any("拥有" in p for p in problems)


def test_grants_come_back_after_the_schema_is_dropped_and_rebuilt(desk):
    """What a restore does (drop and re-create the schema, migrate): the recorded desk role works again."""
    db.close()
    reset_pg(desk["owner_url"])
    db.connect(desk["owner_url"])
    migrations.migrate()  # re-applies the grants of every recorded desk role
    catalog.load_catalog(catalog.default_catalog_path())
    pairs = workers.setup_battery(episodes_count=1, desks=1)
    db.close()

    db.connect(desk["url"])
    desk_day(pairs)
    db.close()
    assert allowed_forbidden_actions(desk["url"]) == []
    db.connect(desk["owner_url"])
    assert privileges.apply_desk_grants() == [desk["role"]]  # the function restore calls


def test_desks_keep_working_after_a_restore(desk, tmp_path):
    """A restore drops and re-creates the schema; the desk role's grants come back with it."""
    admin = make_actor("admin")
    made = backup.create_backup(admin, tmp_path / "before.dump")
    backup.restore_backup(admin, made.path)
    db.close()
    db.connect(desk["url"])
    desk_day(desk["pairs"])
    db.close()
    assert allowed_forbidden_actions(desk["url"]) == []


def test_a_desk_role_cannot_upgrade_the_schema_and_says_who_can(pg_server_url, roles, capsys, monkeypatch):
    db.close()
    reset_pg(pg_server_url)
    db.connect(pg_server_url)
    migrations.migrate(target=migrations.LATEST_VERSION - 1)
    role = roles("desk")
    privileges.create_desk_role(role)
    privileges.apply_desk_grants()
    db.close()

    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    code = cli_main(["--db", as_user(pg_server_url, role), "audit", "verify", "--as", "nobody"])
    err = capsys.readouterr().err
    assert code == 4
    assert "所有者" in err and "ffdesk init" in err and "Traceback" not in err
    db.connect(pg_server_url)
    assert migrations.current_version() == migrations.LATEST_VERSION - 1, "nothing half-upgraded"


def test_init_sets_up_the_desk_role_and_grants_prints_the_same(pg_server_url, roles, capsys, monkeypatch):
    db.close()
    reset_pg(pg_server_url)
    role = roles("desk")
    monkeypatch.setattr("sys.stdin", _Lines("Admin-Pass-2026\nDesk-Role-Pass\n"))
    admin = ["--admin", "admin", "--password-stdin"]
    code = cli_main(["--db", pg_server_url, "init", *admin, "--desk-role", role, "--desk-password-stdin"])
    out = capsys.readouterr().out
    assert code == 0 and f"桌面角色 {role} 已就绪" in out
    assert allowed_forbidden_actions(as_user(pg_server_url, role)) == []

    code = cli_main(["--db", pg_server_url, "db", "grants", "--print", "--desk-role", role])
    script = capsys.readouterr().out
    assert code == 0
    assert f'GRANT SELECT, INSERT ON "ledger_entry" TO "{role}";' in script
    assert f'GRANT SELECT, INSERT ON "audit_event" TO "{role}";' in script
    assert "UPDATE" not in script.split('ON "ledger_entry"')[0].rsplit("\n", 1)[-1]
    code = cli_main(["--db", pg_server_url, "db", "grants", "--json"])
    assert code == 0 and role in capsys.readouterr().out


def test_an_owner_without_createrole_gets_the_sql_for_the_dba(pg_server_url, roles, capsys):
    """Migrations run as a plain owner role; the desk role it cannot create is printed as SQL that works."""
    db.close()
    reset_pg(pg_server_url)
    owner, role = roles("owner"), roles("desk")
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(owner)))
        admin.execute(sql.SQL("GRANT CREATE, USAGE ON SCHEMA public TO {}").format(sql.Identifier(owner)))

    code = cli_main(["--db", as_user(pg_server_url, owner), "init", "--desk-role", role])
    captured = capsys.readouterr()
    assert code == 4
    assert "CREATEROLE" in captured.err and "Traceback" not in captured.err
    assert captured.out.count(f'TO "{role}";') >= 10

    psql = backup_postgres.find_tool("psql")
    assert psql, "the PostgreSQL client tools are installed on the test machine"
    run = subprocess.run(  # what the DBA does with the printed script
        [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", pg_server_url],
        input=captured.out.encode(),
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert allowed_forbidden_actions(as_user(pg_server_url, role)) == []


class _Lines:
    """A stdin that is not a terminal and hands out the given lines."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)

    def readline(self) -> str:
        return self.lines.pop(0) if self.lines else ""

    def isatty(self) -> bool:
        return False


def test_the_owner_or_a_superuser_is_never_turned_into_a_desk_role(pg_url, capsys):
    """``--desk-role postgres`` would otherwise strip the DBA's own account of its powers."""
    owner = db.database.execute_sql("SELECT current_user").fetchone()[0]
    db.close()
    code = cli_main(["--db", pg_url, "init", "--desk-role", owner])
    assert code == 2 and "不能用作桌面角色" in capsys.readouterr().err
    assert cli_main(["--db", pg_url, "db", "grants", "--desk-role", owner]) == 2  # no REVOKE from the owner
    assert "不能用作桌面角色" in capsys.readouterr().err
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (owner,)).fetchone() == (
            True,
        )
    db.connect(pg_url)
    assert owner not in privileges.recorded_desk_roles()
