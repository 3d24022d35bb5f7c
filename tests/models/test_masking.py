"""Issue 15 point 1: a role without ``pii.reveal`` never receives full personal data, and cannot
walk a masked ID number's candidates with exact searches."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from models import audit, browse, clients, search_watch, staff
from models.clients import age_years
from models.errors import NotFound, NotPermitted
from models.schema import AuditEvent, Client
from tests.helpers import make_actor, resident_id
from tests.models.lifecycle import TODAY, freeze

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _check(body17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, _WEIGHTS, strict=True)) % 11]


def candidates(region: str, masked: str, age: int, sex: str, today: dt.date) -> list[str]:
    """Every valid ID number agreeing with what a role without reveal is shown, for an attacker
    who also knows the full 6-digit region (the hospital's own county: the worst case)."""
    assert masked.startswith(region[:4]) and len(masked) == 18
    visible = {i: ch for i, ch in enumerate(masked) if ch != "*"}
    found = []
    day = today - dt.timedelta(days=366 * (age + 1) + 1)
    while day <= today:
        if age_years(day, today) == age:
            for seq in range(1000):
                if (seq % 2 == 1) != (sex == "M"):
                    continue
                body = f"{region}{day:%Y%m%d}{seq:03d}"
                number = body + _check(body)
                if all(number[i] == ch for i, ch in visible.items()):
                    found.append(number)
        day += dt.timedelta(days=1)
    return found


@pytest.fixture
def world(db_url):
    freeze()
    desk = make_actor("frontdesk", username="desk")
    number = resident_id("19940512", "F", region="430302", rng=random.Random(7))
    view = clients.register_client(
        desk,
        id_type="resident",
        id_number=number,
        name="王小红",
        phone="13812345678",
        address="湖南省湘潭市雨湖区人民路 12 号 3 栋",
    ).client
    return desk, number, view


def test_a_nurse_sees_no_full_name_birth_date_address_or_phone(world):
    _, number, view = world
    nurse = make_actor("nurse", username="nurse")
    shown = json.dumps(
        [
            clients.client_detail(nurse, view.id).to_dict(),
            [v.to_dict() for v in clients.find_clients(nurse, "wxh")],
        ],
        ensure_ascii=False,
        default=str,
    )
    for secret in ("王小红", "1994-05-12", "19940512", "人民路", "13812345678", number, number[-4:]):
        assert secret not in shown
    assert "王*红" in shown and "138****5678" in shown and "湖南省湘潭" in shown
    detail = clients.client_detail(nurse, view.id)
    assert detail.client.birth_date is None and detail.client.age_years == 31
    row = browse.client_window(nurse, browse.ClientFilter(), 0, 10)[0]
    assert row["birth_date"] == "31岁" and "1994" not in json.dumps(row, ensure_ascii=False)


def test_a_supervisor_sees_name_and_birth_date_but_numbers_stay_masked(world):
    _, number, view = world
    boss = make_actor("supervisor", username="boss")
    detail = clients.client_detail(boss, view.id)
    assert detail.client.name == "王小红" and detail.client.birth_date == dt.date(1994, 5, 12)
    assert "人民路" in detail.address
    assert number not in json.dumps(detail.to_dict(), ensure_ascii=False, default=str)


def test_what_a_nurse_is_shown_leaves_more_than_a_thousand_id_numbers(world):
    _, number, view = world
    nurse = make_actor("nurse", username="nurse")
    shown = clients.get_client(nurse, view.id)
    found = candidates(number[:6], shown.id_number_masked, shown.age_years, shown.sex, TODAY)
    assert number in found
    assert len(found) >= 1000, len(found)
    # The old display (4 + 4 characters beside the full birth date) left a handful: the attack.
    old_mask = number[:4] + "*" * 10 + number[-4:]
    old = [c for c in found if c[6:14] == "19940512" and c[-4:] == old_mask[-4:]]
    assert len(old) <= 11


def test_the_audit_list_is_masked_for_finance(world):
    _, number, _ = world
    finance = make_actor("finance", username="fin")
    events = [e.to_dict() for e in audit.list_events(finance, action="client.create")]
    text = json.dumps(events, ensure_ascii=False, default=str)
    assert "王小红" not in text and "1994-05-12" not in text and number not in text
    assert events[0]["after"]["name"] == "王*红" and events[0]["after"]["birth_date"] == "1994"
    admin = make_actor("admin", username="root")
    assert audit.list_events(admin, action="client.create")[0].after["name"] == "王小红"


def test_number_search_is_exact(world):
    _, number, view = world
    nurse = make_actor("nurse", username="nurse")
    assert [v.id for v in clients.find_clients(nurse, number)] == [view.id]
    assert clients.find_clients(nurse, number[:10]) == []
    assert browse.count_clients(nurse, browse.ClientFilter(text=number[:10])) == 0
    assert browse.count_clients(nurse, browse.ClientFilter(text="13812345678")) == 1
    assert browse.count_clients(nurse, browse.ClientFilter(text="1381234")) == 0


def test_walking_the_check_character_candidates_is_stopped(world):
    """The attack of the issue: birth date known, two digits hidden, 9 candidates, exact search."""
    _, number, view = world
    nurse = make_actor("nurse", username="nurse")
    walk = [
        c for c in (number[:14] + f"{n:02d}" + number[16:] for n in range(100)) if _check(c[:17]) == c[17]
    ]
    walk = [c for c in walk if c != number] + [number]  # the right one last: the worst case for us
    assert len(walk) >= 9
    answers = []
    with pytest.raises(NotPermitted, match="查询已被锁定"):
        for candidate in walk:
            answers.append(clients.find_clients(nurse, candidate))
    assert len(answers) < search_watch.MISS_LIMIT and not any(answers)
    locked = AuditEvent.select().where(AuditEvent.action == "client.search_locked")
    assert [e.staff_id for e in locked] == [nurse.staff.id]
    with pytest.raises(NotPermitted, match="查询已被锁定"):  # even the right number now
        clients.find_clients(nurse, number)
    with pytest.raises(NotPermitted, match="查询已被锁定"):
        clients.resolve_client(nurse, number)
    with pytest.raises(NotPermitted, match="查询已被锁定"):
        browse.count_clients(nurse, browse.ClientFilter(text=number))
    staff.unlock_staff(make_actor("admin", username="root"), nurse.staff.username)
    assert [v.id for v in clients.find_clients(nurse, number)] == [view.id]


def test_show_by_number_is_counted_like_find(world):
    _, number, _ = world
    nurse = make_actor("nurse", username="nurse")
    walk = [
        c for c in (number[:14] + f"{n:02d}" + number[16:] for n in range(100)) if _check(c[:17]) == c[17]
    ]
    misses = 0
    with pytest.raises(NotPermitted, match="查询已被锁定"):
        for candidate in (c for c in walk if c != number):
            try:
                clients.resolve_client(nurse, candidate)
            except NotFound:
                misses += 1
    assert misses == search_watch.MISS_LIMIT - 1


def test_searches_are_counted_typos_are_not_misses_and_registration_forgives(world):
    desk, number, _ = world
    for typo in (number[:17] + ("0" if number[17] != "0" else "1"), "1381234567", "wxh", "王"):
        clients.find_clients(desk, typo)  # not well-formed numbers or names: not probes
    new = resident_id("19960101", "F", region="430302", rng=random.Random(99))
    for _ in range(search_watch.MISS_LIMIT - 1):
        assert clients.find_clients(desk, new) == []
        clients.register_client(
            desk,
            id_type="resident",
            id_number=resident_id("19970101", "F", rng=random.Random(_)),
            name="李丽",
        )
    assert clients.find_clients(desk, new) == []  # the 5th miss, but 4 were followed by registrations
    from models.schema import SearchWatch

    row = SearchWatch.get_by_id(desk.staff.id)
    assert row.searches == 4 + search_watch.MISS_LIMIT and row.locked_at is None


def test_roles_with_reveal_are_not_counted(world):
    del world
    boss = make_actor("supervisor", username="boss")
    for n in range(search_watch.MISS_LIMIT + 2):
        clients.find_clients(boss, resident_id("19800101", "M", rng=random.Random(n)))
    assert Client.select().count() == 1
