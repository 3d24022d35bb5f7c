"""Programme figures (issue 19 point 3, first part): people not vouchers; positive, follow-up and
diagnosis rates — checked against a hand count."""

from __future__ import annotations

import datetime as dt

import pytest

from models import clients, episodes, follow_up, issuance, programme_stats, redemption
from models.errors import NotPermitted
from models.schema import FollowUpCase
from tests.helpers import make_actor
from tests.models.lifecycle import TODAY, freeze, pregnancy, woman


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


def test_people_and_screening_rates_match_a_hand_count(desk):
    nurse, boss = make_actor("nurse"), make_actor("supervisor")
    # woman A: two packages → counted once in the total, once under each package
    a = pregnancy(desk, 10, name="王小红", birth="19940512")
    issuance.issue_package(desk, a.id, "HN-ZY")
    issuance.issue_package(desk, a.id, "HN-YC")
    # woman B: one package
    b = pregnancy(desk, 12, name="李娜", birth="19910203")
    issuance.issue_package(desk, b.id, "HN-ZY")
    # two newborns: heart screen positive for both, hearing negative for one
    slips = []
    for name, birth in (("张敏", "19960720"), ("刘芳", "19930101")):
        mother = woman(desk, name=name, birth=birth)
        baby = clients.register_newborn(desk, mother.id, name="小宝", sex="F", birth_date=TODAY)
        slips.append(issuance.issue_package(desk, episodes.open_child(desk, baby.id).id, "LYG-XS"))
    for slip in slips:
        heart = next(v for v in slip.vouchers if v.item_code == "HEART_SCREEN")
        redemption.redeem(nurse, heart.code, "HEART", result="positive")
    hearing = next(v for v in slips[0].vouchers if v.item_code == "HEARING_SCREEN")
    redemption.redeem(nurse, hearing.code, "HEARING", result="negative")
    first_case = FollowUpCase.select().order_by(FollowUpCase.id).first()
    follow_up.close_case(nurse, first_case.id, "confirmed")

    stats = programme_stats.compute(boss, TODAY.replace(day=1), TODAY)
    assert stats.people_total == 4  # A, B and the two babies (not 5 issuances, not the vouchers)
    assert stats.people_by_package == {"HN-YC": 1, "HN-ZY": 2, "LYG-XS": 2}
    assert stats.people_by_month == {"2026-03": 4}
    assert (stats.screened, stats.positive, stats.positive_rate) == (3, 2, "66.7%")
    assert (stats.cases_opened, stats.cases_closed) == (2, 1)
    assert stats.outcomes["确诊"] == 1 and stats.follow_up_rate == "50.0%" and stats.diagnosis_rate == "50.0%"
    last_month = programme_stats.compute(boss, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert last_month.people_total == 0 and last_month.positive_rate == "-"


def test_front_desk_cannot_read_programme_figures(desk):
    with pytest.raises(NotPermitted):
        programme_stats.compute(desk, TODAY, TODAY)
