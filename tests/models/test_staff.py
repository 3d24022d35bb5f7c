"""Staff accounts: password policy, sign-in and lockout, reset and forced change, disabling."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from models import clock, staff
from models.errors import InvalidInput, NotFound, NotPermitted, Refused
from models.passwords import check_policy, hash_password, verify_password
from models.schema import AuditEvent, Staff
from tests.helpers import PASSWORD, make_actor

T0 = dt.datetime(2026, 3, 2, 1, 0, 0)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.seq))


# --- password policy and hashing (no database) ------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["Abcdefg1", "abcdefg1!", "ABCDEFG1!", "Abcdefgh!", "密码Pass-1", "Desk-Pass-2026"],
)
def test_policy_accepts_eight_characters_of_three_classes(password: str) -> None:
    check_policy(password)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Abcde1!", "8"),  # 7 characters
        ("abcdefgh1", "三类"),  # two classes
        ("ABCDEFGH", "三类"),
        ("12345678!", "三类"),
        ("", "8"),
    ],
)
def test_policy_rejects_short_or_simple_passwords(password: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        check_policy(password)


def test_hash_is_salted_and_verifies_only_the_right_password() -> None:
    first, second = hash_password("Desk-Pass-2026"), hash_password("Desk-Pass-2026")
    assert first != second
    assert first.startswith("scrypt$")
    assert verify_password("Desk-Pass-2026", first)
    assert verify_password("Desk-Pass-2026", second)
    assert not verify_password("desk-pass-2026", first)
    assert not verify_password("Desk-Pass-2026", "not-a-hash")


# --- first administrator and sign-in ----------------------------------------------------------------


def test_first_admin_only_once_and_can_sign_in(db_url):
    admin = staff.create_first_admin("boss", "Admin-Pass-1")
    assert admin.full_name == "系统管理员"
    with pytest.raises(Refused):
        staff.create_first_admin("boss2", "Admin-Pass-1")
    actor = staff.authenticate("boss", "Admin-Pass-1")
    assert actor.roles == {"admin"}
    assert not actor.must_change_password
    assert Staff.get_by_id(admin.id).last_login_at is not None
    login = events("staff.login")[-1]
    assert login.staff_id == admin.id
    assert login.workstation == "测试工作站"


def test_first_admin_password_must_meet_policy(db_url):
    with pytest.raises(InvalidInput):
        staff.create_first_admin("boss", "password")
    assert Staff.select().count() == 0


def test_unknown_user_and_wrong_password_give_the_same_answer(db_url):
    make_actor("nurse", username="nurse1")
    with pytest.raises(NotPermitted) as unknown:
        staff.authenticate("nobody", PASSWORD)
    with pytest.raises(NotPermitted) as wrong:
        staff.authenticate("nurse1", "Wrong-Pass-1")
    assert unknown.value.message == wrong.value.message
    assert unknown.value.exit_code == 4


def test_five_failures_lock_for_fifteen_minutes(db_url):
    make_actor("nurse", username="nurse1")
    clock.set_now(T0)
    for _ in range(4):
        with pytest.raises(NotPermitted, match="用户名或密码错误"):
            staff.authenticate("nurse1", "Wrong-Pass-1")
    with pytest.raises(NotPermitted, match="锁定"):
        staff.authenticate("nurse1", "Wrong-Pass-1")
    # now even the right password is refused
    clock.set_now(T0 + dt.timedelta(minutes=14, seconds=59))
    with pytest.raises(NotPermitted, match="锁定"):
        staff.authenticate("nurse1", PASSWORD)
    clock.set_now(T0 + dt.timedelta(minutes=15, seconds=1))
    assert staff.authenticate("nurse1", PASSWORD).username == "nurse1"
    failed = events("staff.login_failed")
    assert len(failed) == 5
    assert [json.loads(e.after)["locked"] for e in failed] == [False] * 4 + [True]


def test_a_successful_sign_in_resets_the_failure_count(db_url):
    make_actor("nurse", username="nurse1")
    for _ in range(4):
        with pytest.raises(NotPermitted):
            staff.authenticate("nurse1", "Wrong-Pass-1")
    staff.authenticate("nurse1", PASSWORD)
    for _ in range(4):
        with pytest.raises(NotPermitted, match="用户名或密码错误"):
            staff.authenticate("nurse1", "Wrong-Pass-1")
    assert staff.authenticate("nurse1", PASSWORD).username == "nurse1"


def test_admin_unlocks_a_locked_account(db_url):
    admin = make_actor("admin")
    make_actor("nurse", username="nurse1")
    clock.set_now(T0)
    for _ in range(5):
        with pytest.raises(NotPermitted):
            staff.authenticate("nurse1", "Wrong-Pass-1")
    assert next(v for v in staff.list_staff(admin) if v.username == "nurse1").locked
    staff.unlock_staff(admin, "nurse1")
    assert staff.authenticate("nurse1", PASSWORD).username == "nurse1"


# --- accounts managed by an administrator -----------------------------------------------------------


def test_new_account_must_change_password_before_doing_anything(db_url):
    admin = make_actor("admin")
    staff.add_staff(admin, "fd1", "李发券", frozenset({"frontdesk"}), "First-Pass-1")
    actor = staff.authenticate("fd1", "First-Pass-1")
    assert actor.must_change_password
    assert not actor.can("client.read")
    from models.pii import authorize_full_export  # any service: the flag blocks them all

    with pytest.raises(NotPermitted, match="修改密码"):
        staff.list_staff(actor)
    with pytest.raises(NotPermitted, match="修改密码"):
        authorize_full_export(actor, "clients", 1)
    fresh = staff.change_password(actor, "First-Pass-1", "Second-Pass-2")
    assert not fresh.must_change_password
    assert fresh.can("client.read")
    assert not staff.authenticate("fd1", "Second-Pass-2").must_change_password
    with pytest.raises(NotPermitted):
        staff.authenticate("fd1", "First-Pass-1")


def test_account_without_password_cannot_sign_in_until_reset(db_url):
    admin = make_actor("admin")
    staff.add_staff(admin, "nopw", "无密码", frozenset({"nurse"}))
    with pytest.raises(NotPermitted):
        staff.authenticate("nopw", "")
    temporary = staff.reset_password(admin, "nopw")
    check_policy(temporary)
    assert staff.authenticate("nopw", temporary).must_change_password


def test_reset_password_forces_change_at_next_sign_in(db_url):
    admin = make_actor("admin")
    make_actor("nurse", username="nurse1")
    staff.reset_password(admin, "nurse1", "Reset-Pass-9")
    with pytest.raises(NotPermitted):
        staff.authenticate("nurse1", PASSWORD)
    actor = staff.authenticate("nurse1", "Reset-Pass-9")
    assert actor.must_change_password
    with pytest.raises(InvalidInput):
        staff.change_password("nurse1", "Reset-Pass-9", "weakpass")
    with pytest.raises(InvalidInput, match="相同"):
        staff.change_password("nurse1", "Reset-Pass-9", "Reset-Pass-9")
    with pytest.raises(NotPermitted):
        staff.change_password("nurse1", "Wrong-Pass-1", "Brand-New-7")
    assert not staff.change_password("nurse1", "Reset-Pass-9", "Brand-New-7").must_change_password
    reset = events("staff.password_reset")[-1]
    assert reset.staff_id == admin.staff.id
    assert json.loads(reset.after) == {"must_change_password": True}
    # the hash of the new password never appears in the trail
    assert all("scrypt" not in (e.after or "") for e in AuditEvent.select())


def test_change_password_refuses_the_user_name_inside(db_url):
    make_actor("nurse", username="wanghong")
    with pytest.raises(InvalidInput, match="用户名"):
        staff.change_password("wanghong", PASSWORD, "Wanghong-2026")


def test_wrong_old_password_counts_towards_lockout(db_url):
    make_actor("nurse", username="nurse1")
    for _ in range(5):
        with pytest.raises(NotPermitted):
            staff.change_password("nurse1", "Wrong-Pass-1", "Brand-New-7")
    with pytest.raises(NotPermitted, match="锁定"):
        staff.authenticate("nurse1", PASSWORD)


def test_disabled_account_cannot_sign_in_and_its_open_session_is_refused(db_url):
    admin = make_actor("admin")
    second_admin = make_actor("admin", username="admin_b")
    nurse = staff.authenticate(make_actor("nurse", username="nurse1").username, PASSWORD)
    staff.disable_staff(admin, "admin_b")
    staff.disable_staff(admin, "nurse1")
    with pytest.raises(NotPermitted, match="停用"):
        staff.authenticate("nurse1", PASSWORD)
    with pytest.raises(NotPermitted, match="停用"):
        staff.reauthenticate(nurse, PASSWORD)
    with pytest.raises(NotPermitted, match="停用"):
        staff.list_staff(second_admin)  # signed in before being disabled
    views = {v.username: v for v in staff.list_staff(admin)}
    assert not views["nurse1"].active
    assert [v.username for v in staff.list_staff(admin, include_disabled=False)] == [admin.username]
    staff.enable_staff(admin, "nurse1")
    assert staff.authenticate("nurse1", PASSWORD).username == "nurse1"


def test_the_last_administrator_stays(db_url):
    admin = make_actor("admin")
    other = make_actor("admin", username="admin_b")
    with pytest.raises(Refused, match="自己"):
        staff.disable_staff(admin, admin.username)
    staff.disable_staff(other, admin.username)
    with pytest.raises(Refused, match="最后一位管理员"):
        staff.set_roles(other, "admin_b", {"finance"})
    assert staff.roles_of(Staff.get_by_id(other.staff.id)) == {"admin"}


def test_set_roles_changes_what_a_person_may_do(db_url):
    admin = make_actor("admin")
    make_actor("nurse", username="nurse1")
    staff.set_roles(admin, "nurse1", {"nurse", "frontdesk"})
    actor = staff.authenticate("nurse1", PASSWORD)
    assert actor.roles == {"nurse", "frontdesk"}
    assert actor.can("voucher.issue") and actor.can("voucher.redeem")
    event = events("staff.roles")[-1]
    assert json.loads(event.before) == {"roles": ["nurse"]}
    assert json.loads(event.after) == {"roles": ["frontdesk", "nurse"]}
    with pytest.raises(InvalidInput, match="未知角色"):
        staff.set_roles(admin, "nurse1", {"doctor"})
    with pytest.raises(NotFound):
        staff.set_roles(admin, "ghost", {"nurse"})


def test_add_staff_refuses_duplicates_and_bad_names(db_url):
    admin = make_actor("admin")
    staff.add_staff(admin, "fd1", "李发券", frozenset({"frontdesk"}), "First-Pass-1")
    with pytest.raises(Refused, match="已存在"):
        staff.add_staff(admin, "fd1", "另一个", frozenset({"nurse"}), "First-Pass-1")
    with pytest.raises(InvalidInput):
        staff.add_staff(admin, "with space", "某", frozenset({"nurse"}), "First-Pass-1")
    with pytest.raises(InvalidInput):
        staff.add_staff(admin, "fd2", "某", frozenset({"nurse"}), "short")
    assert Staff.select().where(Staff.username.in_(["fd2", "with space"])).count() == 0


def test_reauthenticate_for_the_idle_lock(db_url):
    nurse = staff.authenticate(make_actor("nurse", username="nurse1").username, PASSWORD)
    assert staff.reauthenticate(nurse, PASSWORD).staff.id == nurse.staff.id
    for _ in range(5):
        with pytest.raises(NotPermitted):
            staff.reauthenticate(nurse, "Wrong-Pass-1")
    with pytest.raises(NotPermitted, match="锁定"):
        staff.reauthenticate(nurse, PASSWORD)


def test_every_account_change_names_the_administrator(db_url):
    admin = make_actor("admin")
    staff.add_staff(admin, "fd1", "李发券", frozenset({"frontdesk"}), "First-Pass-1")
    staff.set_roles(admin, "fd1", {"frontdesk", "nurse"})
    staff.reset_password(admin, "fd1")
    staff.disable_staff(admin, "fd1")
    staff.enable_staff(admin, "fd1")
    fd1 = Staff.get(Staff.username == "fd1")
    rows = list(
        AuditEvent.select()
        .where(AuditEvent.entity == "staff", AuditEvent.entity_id == str(fd1.id))
        .order_by(AuditEvent.seq)
    )
    assert [e.action for e in rows] == [
        "staff.create",
        "staff.roles",
        "staff.password_reset",
        "staff.disable",
        "staff.enable",
    ]
    assert {e.staff_id for e in rows} == {admin.staff.id}
    assert {e.staff_name for e in rows} == {admin.name}
