"""湘助成长包 follows the child health-management schedule: each age window issued once."""

from __future__ import annotations

import datetime as dt
import itertools
import textwrap

import pytest

from models import clients, eligibility, episodes, issuance
from models.catalog_file import CatalogError, parse_catalog
from models.errors import Refused
from models.schedules import add_months, windows
from models.schema import Issuance
from tests.helpers import make_actor
from tests.models.lifecycle import TODAY, at_local, freeze, woman

SCHEDULE = {
    "months": [1, 3, 6, 8, 12, 18, 24, 30, 36],
    "years": [4, 5, 6],
    "school_years": list(range(7, 18)),
    "until_years": 18,
}


def test_windows_follow_the_national_schedule_to_the_day_before_18():
    birth = dt.date(2026, 1, 31)
    ws = windows(SCHEDULE, birth)
    assert [w.label for w in ws[:10]] == [
        "1月龄", "3月龄", "6月龄", "8月龄", "12月龄", "18月龄", "24月龄", "30月龄", "36月龄", "4岁",
    ]  # fmt: skip
    assert ws[12].label == "7岁（学龄期）" and len(ws) == 9 + 3 + 11
    assert ws[0].starts == dt.date(2026, 2, 28)  # a month after 1-31 is the month's last day
    assert ws[0].ends == dt.date(2026, 4, 29)  # the day before 3 months (4-30)
    assert all(a.ends + dt.timedelta(days=1) == b.starts for a, b in itertools.pairwise(ws))
    assert ws[-1].ends == dt.date(2044, 1, 30)


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 15), 3) == dt.date(2025, 2, 15)


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


def child(desk, days_old: int):
    mother = woman(desk)
    baby = clients.register_newborn(
        desk, mother.id, name="小宝", sex="M", birth_date=TODAY - dt.timedelta(days=days_old)
    )
    return episodes.open_child(desk, baby.id)


def test_each_age_window_is_issued_once_valid_for_that_window(desk):
    ep = child(desk, 100)  # born 2025-12-05: in the 3-month window
    [before] = eligibility.check_eligibility(desk, ep.id, "HN-CZ")
    assert before.eligible and before.window_no == 2
    assert (
        before.window_text
        == "本年龄段：3月龄（2026-03-05 至 2026-06-04）；下一次：6月龄（2026-06-05 至 2026-08-04）"
    )
    first = issuance.issue_package(desk, ep.id, "HN-CZ")
    assert first.window_label == "3月龄（2026-03-05 至 2026-06-04）"
    assert {v.expires_on for v in first.vouchers} == {dt.date(2026, 6, 4)}
    assert [v.item_code for v in first.vouchers].count("GROWTH_MONITOR") == 1
    again = issuance.issue_package(make_actor("frontdesk"), ep.id, "HN-CZ")
    assert not again.created and again.id == first.id
    [after] = eligibility.check_eligibility(desk, ep.id, "HN-CZ")
    assert not after.eligible
    assert after.reasons[0].startswith(f"本年龄段（3月龄）已发放（券单号 {first.slip_no}），每个年龄段限一次")
    assert "下一次：6月龄（2026-06-05 至 2026-08-04）" in after.reasons[0]

    freeze(at_local(dt.date(2026, 6, 5)))  # the next window opens
    second = issuance.issue_package(desk, ep.id, "HN-CZ")
    assert second.created and second.id != first.id
    assert {v.expires_on for v in second.vouchers} == {dt.date(2026, 8, 4)}
    assert sorted(Issuance.select(Issuance.window_no).tuples()) == [(2,), (3,)]


def test_before_the_first_visit_the_desk_is_told_when(desk):
    ep = child(desk, 10)
    [result] = eligibility.check_eligibility(desk, ep.id, "HN-CZ")
    assert not result.eligible
    assert result.reasons == ["今天不在健康监测年龄段内；下一次：1月龄（2026-04-05 至 2026-06-04）"]
    with pytest.raises(Refused):
        issuance.issue_package(make_actor("supervisor"), ep.id, "HN-CZ", override_reason="家长要求提前")
    assert Issuance.select().count() == 0


def test_a_bad_schedule_in_the_catalog_is_named(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        textwrap.dedent(
            """\
            [catalog]
            label = "t"
            [[service_points]]
            code = "CHILDCARE"
            name = "儿童保健科"
            [[packages]]
            code = "P1"
            name = "成长"
            episode_kind = "child"
            validity_days = 30
            schedule = { months = [3, 1], until_years = 18 }
            [[packages.items]]
            code = "CHECK"
            name = "监测"
            price_yuan = 10
            service_point = "CHILDCARE"
            """
        ),
        "utf-8",
    )
    with pytest.raises(CatalogError) as info:
        parse_catalog(path)
    assert "packages[P1].schedule: 各年龄应从小到大、不重复" in info.value.problems[0]
