"""阳性追踪 (issue 19 point 4): a positive result opens a case; worklist overdue first; outcomes."""

from __future__ import annotations

import datetime as dt

import pytest

from models import audit, clients, episodes, follow_up, issuance, redemption
from models.errors import InvalidInput, NotPermitted, Refused
from models.schema import AuditEvent, FollowUpCase
from tests.helpers import make_actor
from tests.models.lifecycle import NOW, TODAY, freeze, woman


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


@pytest.fixture
def nurse(desk):
    return make_actor("nurse")


def newborn_slip(desk, name: str = "王小红", birth: str = "19940512"):
    mother = woman(desk, name=name, birth=birth)
    baby = clients.register_newborn(desk, mother.id, name="小宝", sex="F", birth_date=TODAY)
    return issuance.issue_package(desk, episodes.open_child(desk, baby.id).id, "LYG-XS")


def screen(nurse, slip, item: str, point: str, result: str):
    voucher = next(v for v in slip.vouchers if v.item_code == item)
    return redemption.redeem(nurse, voucher.code, point, result=result)


def test_positive_result_opens_a_case_with_its_due_date_and_diagnostic_voucher(desk, nurse):
    slip = newborn_slip(desk)
    screen(nurse, slip, "HEARING_SCREEN", "HEARING", "negative")
    assert FollowUpCase.select().count() == 0  # negative: nothing to follow
    done = screen(nurse, slip, "HEART_SCREEN", "HEART", "positive")
    [case] = follow_up.worklist(nurse)
    assert case.item_name.startswith("先天性心脏病") and case.due_on == TODAY + dt.timedelta(days=7)
    assert case.diagnostic_vouchers == [done.follow_ups[0].code]  # the echo voucher, on the case
    assert case.client_name_masked == "小*" and case.overdue_days == 0 and case.outcome_label == "未结案"
    assert AuditEvent.select().where(AuditEvent.action == "follow_up.open").count() == 1
    assert audit.verify_chain().ok


def test_worklist_overdue_first(desk, nurse):
    early = newborn_slip(desk)
    screen(nurse, early, "HEARING_SCREEN", "HEARING", "positive")  # due in 30 days
    freeze(NOW + dt.timedelta(days=5))
    late = newborn_slip(desk, name="李娜", birth="19910203")
    screen(nurse, late, "HEART_SCREEN", "HEART", "positive")  # due in 7 days from day 5: day 12
    freeze(NOW + dt.timedelta(days=20))
    cases = follow_up.worklist(nurse)
    assert [c.item_name[:3] for c in cases] == ["先天性", "新生儿"]
    assert [c.overdue_days for c in cases] == [8, 0]


def test_contacts_and_outcome_close_the_case(desk, nurse):
    screen(nurse, newborn_slip(desk), "HEART_SCREEN", "HEART", "positive")
    case_id = FollowUpCase.get().id
    with pytest.raises(InvalidInput, match="结局"):
        follow_up.close_case(nurse, case_id, None)
    with pytest.raises(Refused, match="不能以失访结案"):
        follow_up.close_case(nurse, case_id, "lost")
    with pytest.raises(InvalidInput, match="联系方式"):
        follow_up.record_contact(nurse, case_id, "pigeon", False)
    view = follow_up.record_contact(nurse, case_id, "phone", False, "无人接听")
    assert view.attempts == 1 and "未联系上" in view.last_contact
    view = follow_up.close_case(nurse, case_id, "referred", "转省儿童医院心脏中心")
    assert view.status == "closed" and view.outcome_label == "转诊"
    assert follow_up.worklist(nurse) == []
    with pytest.raises(Refused, match="已结案"):
        follow_up.record_contact(nurse, case_id, "phone", True)
    with pytest.raises(Refused, match="已结案"):
        follow_up.close_case(nurse, case_id, "confirmed")
    assert [c.outcome for c in follow_up.worklist(nurse, include_closed=True)] == ["referred"]
    assert AuditEvent.select().where(AuditEvent.action.startswith("follow_up.")).count() == 3


def test_front_desk_cannot_record_contacts(desk, nurse):
    screen(nurse, newborn_slip(desk), "HEART_SCREEN", "HEART", "positive")
    with pytest.raises(NotPermitted):
        follow_up.record_contact(desk, FollowUpCase.get().id, "phone", True)


def test_the_case_commits_with_the_redemption_or_neither_does(desk, nurse, monkeypatch):
    from models.schema import LedgerEntry, Voucher

    slip = newborn_slip(desk)

    def broken(*_args, **_kwargs):
        raise RuntimeError("case table unavailable")

    monkeypatch.setattr(follow_up, "open_case", broken)
    with pytest.raises(RuntimeError):
        screen(nurse, slip, "HEART_SCREEN", "HEART", "positive")
    heart = next(v for v in slip.vouchers if v.item_code == "HEART_SCREEN")
    assert Voucher.get(Voucher.code == heart.code).state == "issued"
    assert LedgerEntry.select().count() == 0 and FollowUpCase.select().count() == 0
