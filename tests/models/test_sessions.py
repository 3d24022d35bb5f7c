"""Issue 15 point 2: sessions follow the account. A desk signs in; an administrator at another
desk (its own connection) changes the account; the next action of the open session is refused
with a Chinese message and needs a new sign-in."""

from __future__ import annotations

import random
import threading

import pytest

from models import clients, permissions, pii, staff
from models.db import database
from models.errors import NotPermitted, SessionExpired
from tests.helpers import PASSWORD, make_actor, resident_id


def at_other_desk(work) -> None:
    """Run ``work`` on another thread: peewee gives it its own database connection."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed back to the test
            failure.append(exc)
        finally:
            database.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if failure:
        raise failure[0]


@pytest.fixture
def world(db_url):
    admin = make_actor("admin", username="root")
    make_actor("supervisor", username="sup")
    client = clients.register_client(
        make_actor("frontdesk"),
        id_type="resident",
        id_number=resident_id(rng=random.Random(3)),
        name="王小红",
    ).client
    session = staff.authenticate("sup", PASSWORD)
    assert pii.reveal_client(session, client.id, reason="核对身份证件").id_number  # works before
    return admin, session, client


CHANGES = {
    "roles cut to nurse": (lambda admin: staff.set_roles(admin, "sup", {"nurse"}), "角色已被管理员修改"),
    "password reset": (lambda admin: staff.reset_password(admin, "sup"), "密码已修改或被管理员重置"),
    "account disabled": (lambda admin: staff.disable_staff(admin, "sup"), "已停用"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_next_action_after_a_change_elsewhere_is_refused(world, change):
    admin, session, client = world
    work, message = CHANGES[change]
    at_other_desk(lambda: work(admin))
    with pytest.raises(SessionExpired, match=message) as refused:
        pii.reveal_client(session, client.id, reason="核对身份证件")
    assert refused.value.exit_code == 4 and isinstance(refused.value, NotPermitted)
    with pytest.raises(SessionExpired):  # every service, not only the reveal
        clients.find_clients(session, "wxh")


def test_a_new_sign_in_picks_up_the_new_roles(world):
    admin, _, client = world
    at_other_desk(lambda: staff.set_roles(admin, "sup", {"nurse"}))
    fresh = staff.authenticate("sup", PASSWORD)
    assert fresh.roles == frozenset({"nurse"})
    with pytest.raises(NotPermitted, match="没有“查看完整证件号和电话”的权限"):
        pii.reveal_client(fresh, client.id, reason="核对身份证件")


def test_changing_ones_own_password_keeps_the_new_session_and_ends_the_others(world):
    _, session, _ = world
    other_desk = staff.authenticate("sup", PASSWORD)
    fresh = staff.change_password(session, PASSWORD, "New-Pass-2027")
    assert clients.find_clients(fresh, "wxh")
    with pytest.raises(SessionExpired):
        clients.find_clients(other_desk, "wxh")


def test_listeners_hear_of_an_expired_session(world):
    admin, session, _ = world
    heard: list[str] = []
    stop = permissions.on_session_expired(lambda exc: heard.append(exc.message))
    try:
        at_other_desk(lambda: staff.disable_staff(admin, "sup"))
        with pytest.raises(SessionExpired):
            clients.find_clients(session, "wxh")
    finally:
        stop()
    assert heard and "已停用" in heard[0]
