"""The demo hospital keeps every invariant the real services keep."""

from __future__ import annotations

import peewee as pw
import pytest

from models import audit, demo, staff
from models.errors import Refused
from models.schema import Client, FamilyLink, LedgerEntry, Period, Voucher

pytestmark = pytest.mark.slow


def test_demo_is_consistent_and_only_for_a_new_database(db_url):
    summary = demo.build_demo(scale=1, seed=7)
    assert summary.clients >= 200
    assert all(count > 0 for count in summary.by_state.values()), summary.by_state
    used = summary.by_state["redeemed"] / summary.vouchers
    assert 0.4 < used < 0.75
    redeemed = Voucher.select(pw.fn.SUM(Voucher.value_fen)).where(Voucher.state == "redeemed").scalar()
    assert LedgerEntry.select(pw.fn.SUM(LedgerEntry.amount_fen)).scalar() == redeemed
    assert LedgerEntry.select().where(LedgerEntry.kind == "reverse").exists()
    assert FamilyLink.select().where(FamilyLink.kind == "mother_child").exists()
    assert Client.select().where(Client.name_initials == "").count() == 0
    assert Period.select().where(Period.state == "closed").count() == len(summary.closed_months) > 0
    assert audit.verify_chain().ok
    actor = staff.authenticate("supervisor", demo.DEMO_PASSWORD)
    assert "supervisor" in actor.roles
    with pytest.raises(Refused):
        demo.build_demo()
