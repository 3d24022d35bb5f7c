"""Eligibility per package: kind, window, residency, once per episode — reasons in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import catalog, clients, episodes, issuance
from models.eligibility import check_eligibility, evaluate
from models.schema import Client, Episode, Package
from tests.helpers import make_actor
from tests.models.lifecycle import TODAY, freeze, pregnancy, woman


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


def by_code(results):
    return {r.package_code: r for r in results}


def test_early_pregnancy_sees_pregnancy_packages_and_why_not_the_others(desk):
    ep = pregnancy(desk, 10)
    results = by_code(check_eligibility(desk, ep.id))
    assert len(results) == len(catalog.active_packages())
    assert {c for c, r in results.items() if r.eligible} == {"HN-ZY", "HN-YC", "LYG-CQ"}
    assert "备孕" in results["HN-BY"].reasons[0]
    assert "尚未登记分娩" in results["HN-CK"].reasons[0]
    assert "儿童" in results["HN-XS"].reasons[0]
    assert all(r.reasons for r in results.values() if not r.eligible)


def test_gestation_window_edges(desk):
    # HN-ZY: up to 13+6 (97 days).
    ok = pregnancy(desk, 13, 6)
    late = pregnancy(desk, 14, 0, name="李丽", birth="19950101")
    assert check_eligibility(desk, ok.id, "HN-ZY")[0].eligible
    result = check_eligibility(desk, late.id, "HN-ZY")[0]
    assert not result.eligible
    assert result.reasons == ["当前孕14+0周，已超过发放时间（孕0+0周至孕13+6周）"]


def test_postpartum_window_is_42_days_after_delivery(desk):
    ep = pregnancy(desk, 39)
    episodes.close_pregnancy(desk, ep.id, TODAY - dt.timedelta(days=42), "vaginal")
    assert check_eligibility(desk, ep.id, "HN-CK")[0].eligible
    result = check_eligibility(desk, ep.id, "HN-YC")[0]
    assert not result.eligible and "分娩" in result.reasons[0]
    later = check_eligibility(desk, ep.id, "HN-CK", today=TODAY + dt.timedelta(days=1))[0]
    assert not later.eligible and "已分娩43天" in later.reasons[0]


def test_residency_local_package_for_nonlocal_client(desk):
    ep = pregnancy(desk, 10, residency="nonlocal")
    result = check_eligibility(desk, ep.id, "LYG-CQ")[0]
    assert not result.eligible
    assert "本地户籍或持本地居住证" in result.reasons[0]
    permit = pregnancy(desk, 10, residency="permit", name="赵敏", birth="19960202")
    assert check_eligibility(desk, permit.id, "LYG-CQ")[0].eligible


def test_once_per_episode(desk):
    ep = pregnancy(desk, 10)
    issued = issuance.issue_package(desk, ep.id, "HN-ZY")
    result = check_eligibility(desk, ep.id, "HN-ZY")[0]
    assert not result.eligible
    assert result.already_issued == issued.id
    assert issued.slip_no in result.reasons[0]


def test_child_age_windows(desk):
    mother = woman(desk)
    newborn = clients.register_newborn(
        desk, mother.id, name="小宝", sex="F", birth_date=TODAY - dt.timedelta(days=28)
    )
    ep = episodes.open_child(desk, newborn.id)
    results = by_code(check_eligibility(desk, ep.id))
    assert results["HN-XS"].eligible and results["LYG-XS"].eligible and results["HN-CZ"].eligible
    tomorrow = by_code(check_eligibility(desk, ep.id, today=TODAY + dt.timedelta(days=1)))
    assert not tomorrow["HN-XS"].eligible and tomorrow["HN-CZ"].eligible


@given(age_days=st.integers(0, 20 * 366))
def test_years_window_ends_on_the_18th_birthday(age_days):
    birth = dt.date(2000, 2, 29)
    today = birth + dt.timedelta(days=age_days)
    pkg = Package(
        code="X",
        name="X",
        episode_kind="child",
        window_basis="age",
        window_from_days=0,
        window_to_days=18,
        window_unit="years",
        residency="any",
        validity_days=1,
    )
    client = Client(residency="local", birth_date=birth)
    episode = Episode(kind="child", birth_date=birth)
    result = evaluate(pkg, episode, client, today)
    eighteenth = dt.date(2018, 3, 1)  # born on 29 February: the birthday falls on 1 March
    assert result.eligible == (today < eighteenth)
