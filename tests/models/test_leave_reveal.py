"""The leave proof names the mother in full for her employer: an audited reveal, on both databases."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from models import audit, clients, clock, leave_records
from models.errors import NotFound, NotPermitted
from models.leave import LeaveFacts
from tests.helpers import make_actor, resident_id


def _proof(desk):
    number = resident_id("19940512", "F", rng=random.Random(3))
    mother = clients.register_client(desk, id_type="resident", id_number=number, name="李春玥").client
    facts = LeaveFacts(kind="birth", delivery_date=clock.local_today() - dt.timedelta(days=5), mother_age=30)
    return mother, number, leave_records.issue_leave_proof(desk, mother.id, None, "municipal_example", facts)


def test_printing_a_proof_reveals_name_and_id_number_with_an_audit_event(db_url):
    desk = make_actor("frontdesk")
    mother, number, issued = _proof(desk)
    holder = leave_records.reveal_proof_holder(desk, issued.id)
    assert (holder.name, holder.id_number) == ("李春玥", number)
    [event] = audit.list_events(make_actor("supervisor"), action="pii.reveal")
    assert event.entity_id == str(mother.id) and issued.proof_no in event.after["reason"]
    assert event.after["fields"] == ["name", "id_number"]


def test_a_nurse_may_not_and_an_unknown_proof_is_not_found(db_url):
    desk = make_actor("frontdesk")
    _mother, _number, issued = _proof(desk)
    with pytest.raises(NotPermitted):
        leave_records.reveal_proof_holder(make_actor("nurse"), issued.id)
    with pytest.raises(NotFound):
        leave_records.reveal_proof_holder(desk, issued.id + 1000)
    with pytest.raises(NotFound):
        leave_records.reveal_proof_holder(desk, 2**70)
    assert audit.list_events(make_actor("supervisor"), action="pii.reveal") == []
