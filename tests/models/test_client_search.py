"""Finding clients the way a counter does: pinyin initials, surname readings, common surnames."""

from __future__ import annotations

import random

import pytest

from models import clients
from models.errors import InvalidInput
from tests.helpers import make_actor, resident_id


@pytest.fixture
def desk(db_url):
    return make_actor("frontdesk")


def register(desk, name: str, seed: int) -> clients.ClientView:
    number = resident_id("19920304", "F", rng=random.Random(seed))
    return clients.register_client(desk, id_type="resident", id_number=number, name=name).client


def test_surnames_are_found_by_how_they_are_said(desk):
    zeng = register(desk, "曾小红", 1)
    shan = register(desk, "单丽", 2)
    assert [c.id for c in clients.find_clients(desk, "zxh")] == [zeng.id]
    assert [c.id for c in clients.find_clients(desk, "zengxiao")] == [zeng.id]
    assert [c.id for c in clients.find_clients(desk, "shanli")] == [shan.id]
    assert clients.find_clients(desk, "cengxiao") == []


def test_prefixes_ending_in_z_still_match(desk):
    zuo = register(desk, "左子", 3)
    assert [c.id for c in clients.find_clients(desk, "zuoz")] == [zuo.id]
    assert [c.id for c in clients.find_clients(desk, "zz")] == [zuo.id]


def test_a_common_surname_returns_the_first_names_in_order_up_to_the_limit(desk):
    given = "丽娜敏静芳燕霞红玲娟"
    made = [register(desk, f"王{ch}", 10 + i) for i, ch in enumerate(given)]
    register(desk, "汪洋", 99)  # same pinyin prefix 'wang', other character
    found = clients.find_clients(desk, "王", limit=5)
    assert len(found) == 5
    everyone = sorted((f"王{ch}", c.id) for ch, c in zip(given, made, strict=True))
    assert [c.id for c in found] == [cid for _, cid in everyone[:5]]
    by_pinyin = clients.find_clients(desk, "wang", limit=50)
    assert len(by_pinyin) == 11


def test_control_characters_from_a_scanner_are_ignored_in_search(desk):
    wang = register(desk, "王小红", 42)
    assert [c.id for c in clients.find_clients(desk, "\x00w\x1bxh\x01")] == [wang.id]
    with pytest.raises(InvalidInput):
        clients.find_clients(desk, "\x00\x01\x1b")
