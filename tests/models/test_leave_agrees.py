"""A leave proof agrees with the recorded delivery, or says on paper who overrode it and why."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from models import audit, episodes, leave_records
from models.errors import InvalidInput, NotPermitted, Refused
from models.leave import LeaveFacts
from models.schema import Episode, LeaveProof
from reports.leave_proof import LeaveProofData, render_leave_proof
from tests.helpers import make_actor
from tests.models.lifecycle import TODAY, freeze, pregnancy
from tests.reports.helpers import flat_text

DELIVERED = TODAY - dt.timedelta(days=10)
RECORDED = LeaveFacts(kind="birth", delivery_date=DELIVERED, mode="caesarean", babies=2, mother_age=31)


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


def delivered(desk):
    ep = pregnancy(desk, 39)
    episodes.close_pregnancy(desk, ep.id, DELIVERED, "caesarean", babies=2)
    return ep


def test_a_proof_that_matches_the_record_is_issued(desk):
    ep = delivered(desk)
    proof = leave_records.issue_leave_proof(desk, ep.client_id, ep.id, "municipal_example", RECORDED)
    assert proof.differences == () and proof.remarks == ()
    assert proof.result.total_days == 90 + 15 + 30 + 15  # late birth, caesarean, a second baby


def test_a_vaginal_single_birth_on_another_day_is_refused_and_nothing_is_stored(desk):
    ep = delivered(desk)
    wrong = dataclasses.replace(
        RECORDED, mode="vaginal", babies=1, delivery_date=DELIVERED - dt.timedelta(days=2)
    )
    with pytest.raises(Refused) as info:
        leave_records.issue_leave_proof(desk, ep.client_id, ep.id, "municipal_example", wrong)
    message = info.value.message
    assert "分娩方式登记为剖宫产，证明为顺产" in message and "胎数登记为 2，证明为 1" in message
    assert f"分娩日期登记为 {DELIVERED.isoformat()}" in message
    assert LeaveProof.select().count() == 0


def test_without_an_episode_the_nearest_recorded_delivery_is_the_record(desk):
    ep = delivered(desk)
    wrong = dataclasses.replace(RECORDED, mode="vaginal")
    with pytest.raises(Refused):
        leave_records.issue_leave_proof(desk, ep.client_id, None, "municipal_example", wrong)
    proof = leave_records.issue_leave_proof(desk, ep.client_id, None, "municipal_example", RECORDED)
    assert proof.episode_id == ep.id


def test_a_supervisor_override_is_stored_audited_and_printed(desk):
    ep = delivered(desk)
    wrong = dataclasses.replace(RECORDED, babies=1)
    with pytest.raises(NotPermitted):
        leave_records.issue_leave_proof(
            desk, ep.client_id, ep.id, "municipal_example", wrong, override_reason="另一胎为死产"
        )
    boss = make_actor("supervisor", full_name="陈主任")
    proof = leave_records.issue_leave_proof(
        boss, ep.client_id, ep.id, "municipal_example", wrong, override_reason="另一胎为死产"
    )
    assert proof.differences == ("胎数登记为 2，证明为 1",)
    [remark] = proof.remarks
    assert "经陈主任特批，原因：另一胎为死产" in remark
    [event] = audit.list_events(boss, action="leave.issue")
    assert event.after["differences"] == ["胎数登记为 2，证明为 1"]
    assert event.after["override_reason"] == "另一胎为死产"
    pdf = render_leave_proof(
        LeaveProofData(
            institution="示例医院",
            proof_no=proof.proof_no,
            mother_name="王小红",
            mother_id_number="430102199405120000",
            result=proof.result,
            issued_on=proof.issued_on.isoformat(),
            remarks=proof.remarks,
        )
    )
    assert "另一胎为死产" in flat_text(pdf) and "胎数登记为2" in flat_text(pdf).replace(" ", "")


def test_a_miscarriage_takes_its_months_from_the_recorded_lmp(desk):
    ep = pregnancy(desk, 14)  # LMP 98 days ago: 3 completed months today
    facts = LeaveFacts(kind="miscarriage", delivery_date=TODAY, miscarriage_months=4)
    with pytest.raises(Refused) as info:
        leave_records.issue_leave_proof(desk, ep.client_id, ep.id, "municipal_example", facts)
    assert "怀孕满 3 个月，证明为 4 个月" in info.value.message
    ok = leave_records.issue_leave_proof(
        desk, ep.client_id, ep.id, "municipal_example", dataclasses.replace(facts, miscarriage_months=3)
    )
    assert ok.result.total_days == 30


def test_episode_and_rule_sets_share_one_list_of_delivery_modes(desk):
    from models.leave_rules import MODES

    assert episodes.DELIVERY_MODES is MODES
    ep = pregnancy(desk, 39)
    with pytest.raises(InvalidInput) as info:
        episodes.close_pregnancy(desk, ep.id, DELIVERED, "assisted")
    assert "vacuum（吸引产）" in info.value.message
    assert Episode.get_by_id(ep.id).status == "open"
