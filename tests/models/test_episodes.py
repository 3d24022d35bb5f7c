"""Episodes: pregnancy dating (gestational age, Naegele's EDD), delivery, couples, children."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import clients, episodes
from models.errors import InvalidInput, Refused
from tests.helpers import make_actor, resident_id
from tests.models.lifecycle import TODAY, freeze, woman


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


def test_pregnancy_gestation_and_edd(desk):
    mother = woman(desk)
    view = episodes.open_pregnancy(desk, mother.id, dt.date(2025, 12, 20))
    assert view.gestation_days == 85
    assert view.gestation_label == "12+1周"
    assert view.edd == dt.date(2026, 9, 26)
    assert view.status_label == "进行中"
    assert view.summary == "孕产期 王*红 孕12+1周"


@pytest.mark.parametrize(
    "lmp",
    [TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=44 * 7 + 1)],
    ids=["future", "over-44-weeks"],
)
def test_impossible_lmp_is_invalid(desk, lmp):
    mother = woman(desk)
    with pytest.raises(InvalidInput):
        episodes.open_pregnancy(desk, mother.id, lmp)


def test_second_open_pregnancy_is_refused_but_a_later_one_is_fine(desk):
    mother = woman(desk)
    first = episodes.open_pregnancy(desk, mother.id, TODAY - dt.timedelta(days=250))
    with pytest.raises(Refused):
        episodes.open_pregnancy(desk, mother.id, TODAY - dt.timedelta(days=10))
    closed = episodes.close_pregnancy(desk, first.id, TODAY - dt.timedelta(days=5), "caesarean", babies=2)
    assert closed.status == "closed" and closed.status_label == "已分娩"
    assert closed.gestation_label == "35+0周"  # frozen at delivery
    assert closed.days_since_delivery == 5 and closed.delivery_mode_label == "剖宫产"
    with pytest.raises(Refused):
        episodes.close_pregnancy(desk, first.id, TODAY, "vaginal")
    later = episodes.open_pregnancy(desk, mother.id, TODAY - dt.timedelta(days=3))
    assert [e.id for e in episodes.episodes_of(desk, mother.id)] == [later.id, first.id]


def test_delivery_outside_20_to_44_weeks_is_invalid(desk):
    mother = woman(desk)
    ep = episodes.open_pregnancy(desk, mother.id, TODAY - dt.timedelta(days=100))
    with pytest.raises(InvalidInput):
        episodes.close_pregnancy(desk, ep.id, TODAY, "vaginal")
    with pytest.raises(InvalidInput):
        episodes.close_pregnancy(desk, ep.id, TODAY, "by-magic")


def test_pregnancy_only_for_women(desk):
    man = clients.register_client(
        desk, id_type="resident", id_number=resident_id("19900101", "M", rng=random.Random(1)), name="张伟"
    ).client
    with pytest.raises(InvalidInput):
        episodes.open_pregnancy(desk, man.id, TODAY - dt.timedelta(days=30))


def test_prepregnancy_couple_and_child_with_mother(desk):
    wife = woman(desk)
    husband = clients.register_client(
        desk, id_type="resident", id_number=resident_id("19900101", "M", rng=random.Random(2)), name="张伟"
    ).client
    couple = episodes.open_prepregnancy(desk, wife.id, husband.id)
    assert couple.partner_name_masked == "张*"
    assert couple.summary == "备孕（夫妻） 王*红 配偶 张*"
    baby = clients.register_newborn(
        desk, wife.id, name="张小宝", sex="M", birth_date=TODAY - dt.timedelta(days=12)
    )
    child = episodes.open_child(desk, baby.id)
    assert child.mother_id == wife.id
    assert child.age_days == 12 and child.age_label == "12天"
    with pytest.raises(Refused):
        episodes.open_child(desk, baby.id)


@given(days=st.integers(0, 44 * 7))
def test_gestation_label_round_trips(days):
    weeks, rest = episodes.gestation_label(days)[:-1].split("+")
    assert int(weeks) * 7 + int(rest) == days and 0 <= int(rest) < 7
