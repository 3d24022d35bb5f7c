"""Every earlier schema version, with data, upgrades to the current one intact (kept fixtures).

The fixtures in tests/fixtures/upgrade/ are the rows of a real database at that version
(written once by tests/fixtures/upgrade/make.py and never regenerated).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import peewee as pw
import pytest

from models import audit, audit_key, audit_replay, clock, db, migrations, protections, redemption, staff
from models.schema import ALL_MODELS, Client, LedgerEntry, Period, Voucher

FIXTURES = sorted(Path(__file__).parents[1].joinpath("fixtures", "upgrade").glob("v*.sql"))


def version_of(path: Path) -> int:
    return int(re.match(r"v(\d+)\.sql", path.name).group(1))


SEALED_FROM = 6  # versions whose fixtures carry their own sealed chain and key

APPEND_ONLY_TRIGGERS = {
    "sqlite": ["audit_event_no_delete", "audit_head_forward", "audit_head_no_delete"],
    "postgresql": ['audit_event_append_only" ON "audit_event', 'audit_head_forward" ON "audit_head'],
}


def _drop_the_chain_migrate_began(version: int) -> None:
    """migrate() to a sealed version starts a chain of its own; the fixture holds the real one.

    Test-only: the append-only triggers are lifted, the chain emptied and the triggers put back
    from their frozen definitions, so the database holds exactly what the old one held.
    """
    dialect = "postgresql" if db.is_postgres() else "sqlite"
    with db.database.atomic():
        for trigger in APPEND_ONLY_TRIGGERS[dialect]:
            db.database.execute_sql(f'DROP TRIGGER "{trigger}"')
        db.database.execute_sql('DELETE FROM "audit_event"')
        db.database.execute_sql('UPDATE "audit_head" SET "seq" = 0, "hash" = %s' % ("'" + "0" * 64 + "'"))
        protections.restore_protections(version)


def load_fixture(path: Path) -> None:
    version = version_of(path)
    if version >= SEALED_FROM:
        key = audit_key.key_file()
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_bytes(path.with_suffix(".key.json").read_bytes())
    migrations.migrate(target=version)
    if version >= SEALED_FROM:
        _drop_the_chain_migrate_began(version)
    with db.database.atomic():
        for statement in path.read_text("utf-8").split(";\n"):
            statement = "\n".join(
                line for line in statement.splitlines() if not line.startswith("--")
            ).strip()
            if statement:
                db.database.execute_sql(statement)
        if db.is_postgres():  # a real old database had its sequences advanced by its inserts
            for model in ALL_MODELS:
                table, pk = model._meta.table_name, model._meta.primary_key
                if db.database.table_exists(table) and isinstance(pk, pw.AutoField):
                    db.database.execute_sql(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk.column_name}'), "
                        f'COALESCE((SELECT MAX("{pk.column_name}") FROM "{table}"), 0) + 1, false)'
                    )


def test_there_is_a_fixture_for_every_version_that_has_data():
    versions = [version_of(p) for p in FIXTURES]
    assert versions == sorted(set(versions))
    assert versions[0] == 1
    assert versions[-1] >= migrations.LATEST_VERSION - 1


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_upgrades_to_current_schema_intact(empty_db_url, fixture):
    db.connect(empty_db_url)
    load_fixture(fixture)
    old = audit_replay.verify_all()  # before the upgrade: the chain only, and it says so
    assert old.ok, old.message
    if version_of(fixture) < SEALED_FROM:
        assert "未逐行核对" in old.notes[0]
    before_vouchers = sorted(Voucher.select(Voucher.code, Voucher.state, Voucher.value_fen).tuples())
    before_ledger = list(
        LedgerEntry.select(LedgerEntry.kind, LedgerEntry.amount_fen, LedgerEntry.period).tuples()
    )

    applied = migrations.migrate()
    assert applied == [m.version for m in migrations.MIGRATIONS if m.version > version_of(fixture)]
    assert migrations.current_version() == migrations.LATEST_VERSION

    assert sorted(Voucher.select(Voucher.code, Voucher.state, Voucher.value_fen).tuples()) == before_vouchers
    assert (
        list(LedgerEntry.select(LedgerEntry.kind, LedgerEntry.amount_fen, LedgerEntry.period).tuples())
        == before_ledger
    )
    assert Client.get(Client.name == "升级测试王小红").birth_date.isoformat() == "1993-08-17"
    assert Period.get(Period.month == "2026-02").state == "closed"
    upgraded = audit_replay.verify_all()
    assert upgraded.ok, upgraded.message
    baseline_note = any("基线事件" in note and "此前的改动无法逐行核对" in note for note in upgraded.notes)
    assert baseline_note == (version_of(fixture) < SEALED_FROM)  # sealed since its start: every row proved
    assert [
        p.name for p in FIXTURES if version_of(p) >= SEALED_FROM and not p.with_suffix(".key.json").exists()
    ] == []

    # the upgraded database takes new work: redeem the voucher that was reversed before the upgrade
    nurse = staff.actor_for(staff.get_staff("nurse2"))
    clock.set_now(dt.datetime(2026, 3, 10, 2, 0))  # while the fixture's vouchers are valid
    reversed_code = Voucher.get(Voucher.item_code == "US_SCREEN").code
    result = redemption.redeem(nurse, reversed_code, "US", result="negative")
    assert result.voucher.state == "redeemed"
    assert audit_replay.verify_all().ok


def test_upgrade_to_5_recomputes_surname_readings(empty_db_url):
    db.connect(empty_db_url)
    load_fixture(FIXTURES[[version_of(p) for p in FIXTURES].index(4)])
    client = Client.get(Client.name == "升级测试王小红")
    Client.update(name="曾小红", name_pinyin="cengxiaohong", name_initials="cxh").where(
        Client.id == client.id
    ).execute()
    migrations.migrate()
    assert Client.get_by_id(client.id).name_initials == "zxh"
    assert Client.get_by_id(client.id).name_pinyin == "zengxiaohong"
    assert audit.verify_chain().ok
