"""The tamper battery: what a hostile insider with raw database access does, and how ffdesk names it.

Each attack drops or disables the database's own guards first (as the owner or a superuser
can), changes money with plain SQL, and then ``ffdesk audit verify`` (``audit_replay.verify_all``)
must name the change: table, record, field, value found, value the events give. Runs on SQLite
and on PostgreSQL (``db_url``).
"""

from __future__ import annotations

import json

import pytest

from models import (
    audit,
    audit_key,
    audit_replay,
    backup,
    backup_postgres,
    backup_sqlite,
    db,
    issuance,
    redemption,
)
from models.audit_key import KeyMissing
from models.db import database, is_postgres
from models.errors import Refused
from models.schema import AuditEvent, AuditHead, LedgerEntry, Voucher
from tests.helpers import make_actor
from tests.models.lifecycle import freeze, pregnancy

GUARDED = ("audit_event", "audit_head", "ledger_entry", "chain_head")


def insider(*statements: str) -> None:
    """Disable every guard trigger, run ``statements``, as someone with the owner's password would."""
    with database.atomic():
        if is_postgres():
            for table in GUARDED:
                database.execute_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        else:
            names = database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
            for (name,) in names:
                database.execute_sql(f'DROP TRIGGER "{name}"')
        for sql in statements:
            database.execute_sql(sql)


@pytest.fixture
def world(db_url):
    """A desk that issued one package and redeemed one voucher; returns what the attacks need."""
    freeze()
    desk = make_actor("frontdesk")
    nurse = make_actor("nurse", full_name="护士李梅")
    admin = make_actor("admin")
    slip = issuance.issue_package(desk, pregnancy(desk, 10).id, "HN-ZY")
    voucher = next(v for v in slip.vouchers if v.item_code == "EARLY_TEST")
    done = redemption.redeem(nurse, voucher.code, "lab")
    assert audit_replay.verify_all().ok
    return {
        "desk": desk,
        "nurse": nurse,
        "admin": admin,
        "slip": slip,
        "voucher": voucher,
        "ledger": done.ledger_id,
    }


def named(result, table: str, record: int, field: str) -> audit_replay.Difference:
    assert not result.ok
    hits = [d for d in result.differences if (d.table, d.record, d.field) == (table, record, field)]
    assert hits, [d.message for d in result.differences]
    return hits[0]


def test_voucher_reset_by_sql_is_named_and_is_not_paid_twice(world):
    v = world["voucher"]
    voucher_id = Voucher.get(Voucher.code == v.code).id
    insider(
        f"UPDATE voucher SET state = 'issued', redeemed_at = NULL, redeemed_by_id = NULL, "
        f"redeemed_point_id = NULL WHERE id = {voucher_id}"
    )
    result = audit_replay.verify_all()
    diff = named(result, "voucher", voucher_id, "state")
    assert (diff.found, diff.expected) == ("issued", "redeemed")
    assert f"电子券（voucher）#{voucher_id} 字段 state" in result.message
    with pytest.raises(Refused) as info:
        redemption.redeem(world["nurse"], v.code, "lab")
    assert "与审计事件不符" in info.value.message
    assert LedgerEntry.select().where(LedgerEntry.voucher == voucher_id).count() == 1, "paid once only"


def test_ledger_amount_multiplied_is_named(world):
    insider(f"UPDATE ledger_entry SET amount_fen = amount_fen * 100 WHERE id = {world['ledger']}")
    diff = named(audit_replay.verify_all(), "ledger_entry", world["ledger"], "amount_fen")
    assert diff.found == diff.expected * 100 and diff.expected == world["voucher"].value_fen


def test_ledger_row_deleted_is_named(world):
    insider(f"DELETE FROM ledger_entry WHERE id = {world['ledger']}")
    result = audit_replay.verify_all()
    diff = named(result, "ledger_entry", world["ledger"], "(整行)")
    assert diff.found is None and diff.expected[2] == world["voucher"].value_fen
    assert "在 ffdesk 之外删除" in diff.message


def test_ledger_row_inserted_is_named(world):
    insider(
        "INSERT INTO ledger_entry (voucher_id, kind, amount_fen, posted_on, period, created_at, staff_id, "
        "service_point_id, package_code, item_code, reason, workstation) SELECT voucher_id, kind, amount_fen, "
        f"posted_on, period, created_at, staff_id, service_point_id, package_code, item_code, reason, workstation "
        f"FROM ledger_entry WHERE id = {world['ledger']}"
    )
    new_id = LedgerEntry.select().order_by(LedgerEntry.id.desc()).get().id
    diff = named(audit_replay.verify_all(), "ledger_entry", new_id, "(整行)")
    assert "没有任何审计事件记录它" in diff.message


def test_issuance_inserted_is_named(world):
    other = pregnancy(world["desk"], 11, name="李小芳")
    insider(
        "INSERT INTO issuance (episode_id, package_id, package_code, package_name, slip_no, issued_at, "
        f"issued_by_id, workstation, print_count) SELECT {other.id}, package_id, package_code, package_name, "
        f"'FS-FORGED', issued_at, issued_by_id, workstation, 0 FROM issuance WHERE id = {world['slip'].id}"
    )
    forged = database.execute_sql("SELECT id FROM issuance WHERE slip_no = 'FS-FORGED'").fetchone()[0]
    diff = named(audit_replay.verify_all(), "issuance", forged, "(整行)")
    assert "发券记录（issuance）" in diff.message


def test_staff_role_granted_by_sql_is_named(world):
    nurse_id = world["nurse"].staff.id
    insider(f"INSERT INTO staff_role (staff_id, role) VALUES ({nurse_id}, 'admin')")
    role_id = database.execute_sql(
        f"SELECT id FROM staff_role WHERE staff_id = {nurse_id} AND role = 'admin'"
    ).fetchone()[0]
    diff = named(audit_replay.verify_all(), "staff_role", role_id, "(整行)")
    assert diff.found == [nurse_id, "admin"]


def _rebuild_with_public_hash(from_seq: int) -> None:
    """What an insider who read models/audit.py can do without the key file: recompute every
    digest from ``from_seq`` on with SHA-256 and move the head."""
    events = list(AuditEvent.select().where(AuditEvent.seq >= from_seq).order_by(AuditEvent.seq))
    prev = AuditEvent.get(AuditEvent.seq == from_seq - 1).hash
    statements = []
    for e in events:
        digest = audit.event_hash(
            prev, e.seq, e.at, e.staff_id, e.staff_name, e.workstation, e.action, e.entity, e.entity_id,
            e.before, e.after,
        )  # fmt: skip
        statements.append(
            f"UPDATE audit_event SET prev_hash = '{prev}', hash = '{digest}', key_id = NULL, row_state = NULL "
            f"WHERE seq = {e.seq}"
        )
        prev = digest
    statements.append(f"UPDATE audit_head SET seq = {events[-1].seq}, hash = '{prev}' WHERE id = 1")
    insider(*statements)


def _reseal_with_a_guessed_key(from_seq: int) -> None:
    """The same, keeping key ids and row images, with HMAC under a key the insider made up."""
    events = list(AuditEvent.select().where(AuditEvent.seq >= from_seq).order_by(AuditEvent.seq))
    prev = AuditEvent.get(AuditEvent.seq == from_seq - 1).hash
    statements = []
    for e in events:
        digest = audit.sealed_hash(
            b"\0" * 32, prev, e.seq, e.at, e.staff_id, e.staff_name, e.workstation, e.action, e.entity,
            e.entity_id, e.before, e.after, e.key_id, e.row_state,
        )  # fmt: skip
        statements.append(
            f"UPDATE audit_event SET prev_hash = '{prev}', hash = '{digest}' WHERE seq = {e.seq}"
        )
        prev = digest
    statements.append(f"UPDATE audit_head SET seq = {events[-1].seq}, hash = '{prev}' WHERE id = 1")
    insider(*statements)


@pytest.mark.parametrize("rebuild", [_rebuild_with_public_hash, _reseal_with_a_guessed_key])
def test_chain_rebuilt_without_the_key_fails_at_its_first_rebuilt_event(world, rebuild):
    redeem_event = AuditEvent.get(AuditEvent.action == "voucher.redeem")
    image = json.loads(redeem_event.row_state)
    image["ledger_entry"][str(world["ledger"])][2] *= 100  # the events now "give" the forged amount
    forged = json.dumps(image, ensure_ascii=False, sort_keys=True).replace("'", "''")
    insider(
        f"UPDATE ledger_entry SET amount_fen = amount_fen * 100 WHERE id = {world['ledger']}",
        f"UPDATE audit_event SET row_state = '{forged}' WHERE seq = {redeem_event.seq}",
    )
    rebuild(redeem_event.seq)
    result = audit_replay.verify_all()
    assert not result.ok
    assert result.first_bad_seq == redeem_event.seq
    assert f"#{redeem_event.seq}" in result.message


def test_newest_events_deleted_and_head_rewound_is_seen_by_the_head_file(world, tmp_path):
    backup.create_backup(
        world["admin"], tmp_path / "evening.db" if not is_postgres() else tmp_path / "e.dump"
    )
    last = AuditHead.get_by_id(1)
    keep = last.seq - 3
    kept_hash = AuditEvent.get(AuditEvent.seq == keep).hash
    insider(
        f"DELETE FROM audit_event WHERE seq > {keep}",
        f"UPDATE audit_head SET seq = {keep}, hash = '{kept_hash}' WHERE id = 1",
    )
    result = audit_replay.verify_all()
    assert not result.ok
    assert f"#{last.seq}" in result.message and "删除" in result.message  # the backup's chain_head row
    # the insider also removes the recorded heads: the head file beside the backups still knows
    insider("DELETE FROM chain_head")
    result = audit_replay.verify_all()
    assert not result.ok
    assert "链头文件" in result.message and f"#{last.seq}" in result.message and f"#{keep}" in result.message


def test_month_close_prints_and_records_its_head(world, capsys):
    import datetime as dt

    from models import clock, periods
    from tests.models.lifecycle import at_local

    clock.set_now(at_local(dt.date(2026, 4, 2)))
    finance = make_actor("finance", username="fin1")
    periods.close_month(finance, "2026-03")
    head = AuditHead.get_by_id(1)
    from models import chain_heads

    recorded = chain_heads.head_of("month_close", "2026-03")
    assert recorded.seq == head.seq and head.hash.startswith(recorded.digest)
    assert chain_heads.file_head()["seq"] == head.seq


def _craft(url: str, out, *statements: str) -> None:
    """A backup of the database after ``statements`` (written without ffdesk's check), then the
    database put back as it was."""
    insider(*statements)
    if is_postgres():
        backup_postgres.dump(url, out)
    else:
        db.close()
        backup_sqlite.snapshot(backup_sqlite.sqlite_path(url), out)
        db.connect(url)


def test_crafted_backup_is_refused_with_the_difference_and_nothing_changes(world, db_url, tmp_path):
    out = tmp_path / ("crafted.dump" if is_postgres() else "crafted.db")
    amount = world["voucher"].value_fen
    _craft(db_url, out, f"UPDATE ledger_entry SET amount_fen = {amount * 100} WHERE id = {world['ledger']}")
    insider(
        f"UPDATE ledger_entry SET amount_fen = {amount} WHERE id = {world['ledger']}"
    )  # the live one is honest
    events = AuditEvent.select().count()
    with pytest.raises(Refused) as info:
        backup.restore_database(out, db_url)
    assert "核销台账（ledger_entry）" in info.value.message and "amount_fen" in info.value.message
    assert str(amount * 100) in info.value.message
    db.connect(db_url)
    assert AuditEvent.select().count() == events
    assert LedgerEntry.get_by_id(world["ledger"]).amount_fen == amount
    assert not list(backup.backup_dir().glob("before-restore-*")), "refused before anything was touched"


def test_restore_brings_back_the_triggers_of_the_schema_version(world, db_url, tmp_path):
    from models import migrations, protections

    out = tmp_path / ("bare.dump" if is_postgres() else "bare.db")
    if is_postgres():
        _craft(db_url, out, 'DROP TRIGGER "ledger_entry_append_only" ON "ledger_entry"',
               'DROP TRIGGER "audit_event_append_only" ON "audit_event"')  # fmt: skip
    else:
        _craft(db_url, out)  # insider() drops every SQLite trigger
        database.execute_sql('CREATE TRIGGER "sneaky" AFTER INSERT ON "voucher" BEGIN SELECT 1; END')
    restored = backup.restore_database(out, db_url)
    assert "ledger_entry" in restored.protections_repaired
    assert protections.missing_and_extra(migrations.current_version()) == ([], [])
    with pytest.raises(Exception, match="append-only"), database.atomic():
        database.execute_sql(f"UPDATE ledger_entry SET amount_fen = 1 WHERE id = {world['ledger']}")
    assert audit_replay.verify_all().ok


def test_without_the_key_file_nothing_is_written_and_the_message_says_what_to_do(world):
    path = audit_key.key_file()
    saved = path.read_bytes()
    path.unlink()
    with pytest.raises(KeyMissing) as info:
        redemption.redeem(
            world["nurse"], world["slip"].vouchers[1].code, world["slip"].vouchers[1].service_point
        )
    assert "import-key" in info.value.message and "不要新建密钥" in info.value.message
    result = audit_replay.verify_all()
    assert not result.ok and "审计密钥" in result.message
    path.write_bytes(saved)
    assert audit_replay.verify_all().ok


def test_key_rotation_keeps_old_events_verifiable(world, tmp_path):
    old = audit_key.load().current
    new, previous = audit.rotate_key(world["admin"])
    assert previous == old and new != old
    redemption.redeem(world["nurse"], world["slip"].vouchers[1].code, world["slip"].vouchers[1].service_point)
    assert AuditEvent.select().order_by(AuditEvent.seq.desc()).get().key_id == new
    assert audit_replay.verify_all().ok
    # another desk that only has the old key cannot verify the new events until it imports the file
    exported = audit_key.export_to(tmp_path / "key.json")
    audit_key.key_file().unlink()
    audit_key._write(audit_key.KeyRing(old, {old: audit_key.load(exported).keys[old]}))
    result = audit_replay.verify_all()
    assert not result.ok and new in result.message
    audit_key.import_from(exported)
    assert audit_replay.verify_all().ok


def test_daily_close_records_and_prints_its_head(world):
    from desktop import documents
    from models import chain_heads
    from reports.reconciliation import render_daily_close
    from tests.models.lifecycle import TODAY

    finance = make_actor("finance", username="fin2")
    data = documents.daily_close_data(finance, TODAY)
    head = AuditHead.get_by_id(1)
    assert data.chain_head == f"#{head.seq} · " + " ".join(head.hash[i : i + 4] for i in range(0, 16, 4))
    assert ("审计链头", data.chain_head) in data.meta()
    assert chain_heads.head_of("daily_close", TODAY.isoformat()).seq == head.seq
    assert chain_heads.file_head()["seq"] == head.seq
    from tests.reports.helpers import flat_text

    assert data.chain_head.replace(" ", "") in flat_text(render_daily_close(data)).replace(" ", "")


def test_voucher_marked_redeemed_by_sql_cannot_be_reversed_into_a_refund(world):
    other = next(v for v in world["slip"].vouchers if v.code != world["voucher"].code)
    voucher_id = Voucher.get(Voucher.code == other.code).id
    insider(f"UPDATE voucher SET state = 'redeemed' WHERE id = {voucher_id}")
    boss = make_actor("supervisor")
    with pytest.raises(Refused) as info:
        redemption.reverse(boss, other.code, "误扫")
    assert "已拒绝冲正" in info.value.message and "state" in info.value.message
    assert LedgerEntry.select().where(LedgerEntry.voucher == voucher_id).count() == 0


def test_a_password_set_by_sql_is_named_without_copying_hashes_into_the_trail(world):
    from models.passwords import hash_password

    nurse_id = world["nurse"].staff.id
    for event in AuditEvent.select().where(AuditEvent.row_state.is_null(False)):
        assert "scrypt$" not in event.row_state  # the account's image holds a digest of its hash
    insider(f"UPDATE staff SET password_hash = '{hash_password('Known-Pass-1')}' WHERE id = {nurse_id}")
    diff = named(audit_replay.verify_all(), "staff", nurse_id, "password_hash")
    assert (
        diff.found.startswith("sha256:")
        and diff.expected.startswith("sha256:")
        and diff.found != diff.expected
    )
