"""Staff accounts: creation, sign-in with lockout, roles, password changes, disabling.

Sign-in for the desktop and the CLI:

* :func:`authenticate` — the sign-in dialog and "switch user"; returns an :class:`Actor`.
  When ``actor.must_change_password`` is set (after an administrator's reset, or for a new
  account), every service refuses until :func:`change_password` succeeds; the dialog must ask
  for a new password at once.
* :func:`reauthenticate` — the idle lock: the same person types their password again and
  keeps the open screen; failures count towards the lockout like any sign-in.

Five wrong passwords in a row lock the account for 15 minutes. Every change here writes an
audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass

import peewee as pw

from models import audit, clock, search_watch
from models.db import database, run_in_transaction
from models.errors import InvalidInput, NotFound, NotPermitted, Refused
from models.passwords import check_policy, hash_password, verify_password
from models.permissions import ROLE_LABELS, Actor, password_stamp, require, workstation_name
from models.schema import Staff, StaffRole
from models.text import has_control, one_line

MAX_FAILURES = 5
LOCK_MINUTES = 15
IDLE_LOCK_MINUTES = 10
"""Default idle time before the desktop locks and asks for the password (a setting may override it)."""
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so a wrong name costs as long as a wrong password.

    Made on first use, not at import: scrypt takes ~60 ms of the program's start-up.
    """
    return hash_password("ffdesk-dummy-Password-1")


@dataclass(frozen=True)
class StaffView:
    """One account as the staff list shows it (no password hash)."""

    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    role_labels: tuple[str, ...]
    active: bool
    locked: bool
    must_change_password: bool
    last_login_at: dt.datetime | None
    created_at: dt.datetime

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "username": self.username,
            "full_name": self.full_name,
            "roles": list(self.roles),
            "role_labels": list(self.role_labels),
            "active": self.active,
            "locked": self.locked,
            "must_change_password": self.must_change_password,
            "last_login_at": self.last_login_at,
            "created_at": self.created_at,
        }


def parse_roles(text: str | list[str]) -> frozenset[str]:
    items = text if isinstance(text, list) else text.replace("，", ",").split(",")
    roles = frozenset(r.strip().lower() for r in items if r.strip())
    unknown = roles - ROLE_LABELS.keys()
    if unknown or not roles:
        raise InvalidInput(
            f"未知角色：{'、'.join(sorted(unknown)) or '（空）'}；"
            f"可用：{'、'.join(f'{code}（{label}）' for code, label in ROLE_LABELS.items())}"
        )
    return roles


def roles_of(staff: Staff) -> frozenset[str]:
    return frozenset(r.role for r in StaffRole.select(StaffRole.role).where(StaffRole.staff == staff))


def actor_for(staff: Staff, service_point: str | None = None) -> Actor:
    return Actor(
        staff=staff,
        roles=roles_of(staff),
        workstation=workstation_name(),
        service_point=service_point,
        must_change_password=bool(staff.must_change_password),
        password_stamp=password_stamp(staff.password_hash),
    )


def get_staff(username: str) -> Staff:
    staff = Staff.get_or_none(Staff.username == username.strip())
    if staff is None:
        raise NotFound(f"没有用户名为 {username} 的员工")
    return staff


def generate_temporary_password() -> str:
    """A random password that meets the policy (shown once to the administrator)."""
    while True:
        candidate = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(12))
        try:
            check_policy(candidate)
        except InvalidInput:
            continue
        return candidate


def _is_locked(staff: Staff, now: dt.datetime) -> bool:
    return staff.locked_until is not None and staff.locked_until > now


def _view(staff: Staff, roles: frozenset[str], now: dt.datetime) -> StaffView:
    ordered = tuple(r for r in ROLE_LABELS if r in roles)
    return StaffView(
        id=staff.id,
        username=staff.username,
        full_name=staff.full_name,
        roles=ordered,
        role_labels=tuple(ROLE_LABELS[r] for r in ordered),
        active=bool(staff.active),
        locked=_is_locked(staff, now),
        must_change_password=bool(staff.must_change_password),
        last_login_at=staff.last_login_at,
        created_at=staff.created_at,
    )


def _create(
    username: str, full_name: str, roles: frozenset[str], password: str | None, must_change: bool
) -> Staff:
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username) or has_control(username):
        raise InvalidInput("用户名不能为空、不能含空格或控制字符，且不超过 64 个字符")
    if Staff.get_or_none(Staff.username == username) is not None:
        raise Refused(f"用户名 {username} 已存在")
    if password is not None:
        check_policy(password)
    staff = Staff.create(
        username=username,
        full_name=one_line(full_name or username, "full_name", "姓名")[:64],
        password_hash=hash_password(password) if password else "",
        must_change_password=must_change,
        created_at=clock.utcnow(),
    )
    for role in sorted(roles):
        StaffRole.create(staff=staff, role=role)
    return staff


def staff_rows(staff_id: int) -> dict[str, list[int]]:
    """The money rows of one account for its audit event: the account and its role rows."""
    roles = [r.id for r in StaffRole.select(StaffRole.id).where(StaffRole.staff == staff_id)]
    return {"staff": [staff_id], "staff_role": roles}


def no_staff_yet() -> bool:
    """True on a fresh database nobody can sign in to: the desk then asks for the first administrator."""
    return not Staff.select().exists()


def create_first_admin(username: str, password: str, full_name: str = "") -> Staff:
    """``ffdesk init --admin``: only allowed while no administrator exists."""
    with database.atomic():
        if StaffRole.select().where(StaffRole.role == "admin").exists():
            raise Refused("已经存在管理员；请由管理员用 ffdesk staff add 添加员工")
        staff = _create(
            username, full_name or "系统管理员", frozenset({"admin"}), password, must_change=False
        )
        audit.record(
            None,
            "staff.create",
            "staff",
            staff.id,
            after={"username": staff.username, "roles": ["admin"]},
            rows=staff_rows(staff.id),
        )
        return staff


def add_staff(
    actor: Actor, username: str, full_name: str, roles: frozenset[str], password: str | None = None
) -> Staff:
    """Create an account. The administrator chose the password, so the person must change it
    at first sign-in; with no password the account cannot sign in until :func:`reset_password`."""
    require(actor, "staff.manage")
    roles = parse_roles(sorted(roles))
    with database.atomic():
        staff = _create(username, full_name, roles, password, must_change=True)
        audit.record(
            actor,
            "staff.create",
            "staff",
            staff.id,
            after={"username": staff.username, "full_name": staff.full_name, "roles": sorted(roles)},
            rows=staff_rows(staff.id),
        )
        return staff


def list_staff(actor: Actor, include_disabled: bool = True) -> list[StaffView]:
    require(actor, "staff.manage")
    now = clock.utcnow()
    query = Staff.select().order_by(Staff.username)
    if not include_disabled:
        query = query.where(Staff.active == True)
    roles: dict[int, set[str]] = {}
    for row in StaffRole.select(StaffRole.staff, StaffRole.role):
        roles.setdefault(row.staff_id, set()).add(row.role)
    return [_view(s, frozenset(roles.get(s.id, ())), now) for s in query]


def _other_active_admins(staff: Staff) -> int:
    return (
        Staff.select()
        .join(StaffRole)
        .where(StaffRole.role == "admin", Staff.active == True, Staff.id != staff.id)
        .count()
    )


def set_roles(actor: Actor, username: str, roles: frozenset[str] | set[str]) -> Staff:
    """Replace the roles a person holds. The last active administrator keeps the admin role."""
    require(actor, "staff.manage")
    new_roles = parse_roles(sorted(roles))
    with database.atomic():
        staff = get_staff(username)
        old_roles = roles_of(staff)
        if "admin" in old_roles and "admin" not in new_roles and _other_active_admins(staff) == 0:
            raise Refused("不能取消最后一位管理员的管理员角色")
        if old_roles == new_roles:
            return staff
        old_rows = staff_rows(staff.id)["staff_role"]
        StaffRole.delete().where(StaffRole.staff == staff, StaffRole.role.not_in(new_roles)).execute()
        for role in sorted(new_roles - old_roles):
            StaffRole.create(staff=staff, role=role)
        audit.record(
            actor,
            "staff.roles",
            "staff",
            staff.id,
            before={"roles": sorted(old_roles)},
            after={"roles": sorted(new_roles)},
            rows={"staff_role": old_rows + staff_rows(staff.id)["staff_role"]},
        )
        return staff


def disable_staff(actor: Actor, username: str) -> Staff:
    """Disable an account (it is never deleted: audit events and vouchers name it)."""
    require(actor, "staff.manage")
    with database.atomic():
        staff = get_staff(username)
        if staff.id == actor.staff.id:
            raise Refused("不能停用自己的账号")
        if not staff.active:
            raise Refused(f"账号 {staff.username} 已经停用")
        if "admin" in roles_of(staff) and _other_active_admins(staff) == 0:
            raise Refused("不能停用最后一位管理员")
        Staff.update(active=False).where(Staff.id == staff.id).execute()
        audit.record(
            actor,
            "staff.disable",
            "staff",
            staff.id,
            before={"active": True},
            after={"active": False},
            rows={"staff": [staff.id]},
        )
        return Staff.get_by_id(staff.id)


def enable_staff(actor: Actor, username: str) -> Staff:
    require(actor, "staff.manage")
    with database.atomic():
        staff = get_staff(username)
        if staff.active:
            raise Refused(f"账号 {staff.username} 未停用")
        Staff.update(active=True, failed_logins=0, locked_until=None).where(Staff.id == staff.id).execute()
        audit.record(
            actor,
            "staff.enable",
            "staff",
            staff.id,
            before={"active": False},
            after={"active": True},
            rows={"staff": [staff.id]},
        )
        return Staff.get_by_id(staff.id)


def reset_password(actor: Actor, username: str, new_password: str | None = None) -> str:
    """Administrator's reset: sets ``new_password`` (or a generated one, returned) and forces a
    change at next sign-in. Also clears a lockout."""
    require(actor, "staff.manage")
    password = new_password if new_password is not None else generate_temporary_password()
    check_policy(password)
    with database.atomic():
        staff = get_staff(username)
        Staff.update(
            password_hash=hash_password(password),
            must_change_password=True,
            failed_logins=0,
            locked_until=None,
        ).where(Staff.id == staff.id).execute()
        audit.record(
            actor,
            "staff.password_reset",
            "staff",
            staff.id,
            before={"must_change_password": bool(staff.must_change_password)},
            after={"must_change_password": True},
            rows={"staff": [staff.id]},
        )
    return password


def unlock_staff(actor: Actor, username: str) -> Staff:
    """Lift a lockout before its 15 minutes are over, and a lock of the account's client search."""
    require(actor, "staff.manage")
    with database.atomic():
        staff = get_staff(username)
        Staff.update(failed_logins=0, locked_until=None).where(Staff.id == staff.id).execute()
        search_unlocked = search_watch.unlock(staff.id)
        audit.record(
            actor,
            "staff.unlock",
            "staff",
            staff.id,
            before={"locked_until": staff.locked_until, "failed_logins": staff.failed_logins},
            after={"search_unlocked": search_unlocked},
        )
        return Staff.get_by_id(staff.id)


def _claim_attempt(staff_id: int, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """Count this attempt before the password is checked: one atomic UPDATE … RETURNING.

    An expired lock starts the count again at 1. More attempts in flight at once than
    :data:`MAX_FAILURES` lock the account here already, so a burst of simultaneous guesses
    cannot outrun the counter while the password hashes are being computed. Returns the
    attempts counted and the lock (if any) after this one.
    """
    expired = Staff.locked_until.is_null(False) & (Staff.locked_until <= now)
    too_many = Staff.locked_until.is_null() & (Staff.failed_logins + 1 > MAX_FAILURES)
    lock_end = now + dt.timedelta(minutes=LOCK_MINUTES)
    rows = list(
        Staff.update(
            failed_logins=pw.Case(None, [(expired, 1)], Staff.failed_logins + 1),
            locked_until=pw.Case(None, [(expired, None), (too_many, lock_end)], Staff.locked_until),
        )
        .where(Staff.id == staff_id)
        .returning(Staff.failed_logins, Staff.locked_until)
        .tuples()
        .execute()
    )
    failures, locked_until = rows[0]
    if isinstance(locked_until, str):  # SQLite hands RETURNING values back as text
        locked_until = dt.datetime.fromisoformat(locked_until)
    return failures, locked_until


def _release(staff_id: int, claimed: int, now: dt.datetime) -> bool:
    """The right password: clear the count — only if no other attempt was counted while this
    one was being hashed (a burst of guesses in flight) and no lock was reached meanwhile."""
    open_account = Staff.locked_until.is_null() | (Staff.locked_until <= now)
    unchanged = Staff.failed_logins == claimed
    return bool(Staff.update(failed_logins=0).where(Staff.id == staff_id, unchanged, open_account).execute())


def _locked_message(locked_until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
    return f"密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试"


def _check_password(staff: Staff | None, password: str, now: dt.datetime) -> Staff:
    """Shared by sign-in, idle unlock and password change: lockout, disabled, counting failures.

    Every answer costs one password hash (an unknown name or an account without a password is
    checked against a dummy hash), so the time taken does not tell an unknown name, a wrong
    password, a disabled or a locked account apart. The attempt is counted *before* the hash
    (:func:`_claim_attempt`) and a right password clears the count only if no other attempt was
    counted and no lock reached meanwhile (:func:`_release`).
    """
    stored = staff.password_hash if staff is not None and staff.password_hash else _dummy_hash()
    if staff is None:
        verify_password(password, stored)
        raise NotPermitted("用户名或密码错误")
    failures, locked_until = run_in_transaction(lambda: _claim_attempt(staff.id, now))
    correct = verify_password(password, stored) and bool(staff.password_hash)
    if not staff.active:
        raise NotPermitted("该账号已停用，请联系管理员")
    if locked_until is not None and locked_until > now:
        raise NotPermitted(_locked_message(locked_until, now))
    if correct:
        if run_in_transaction(lambda: _release(staff.id, failures, now)):
            return staff
        locked_until = Staff.get_by_id(staff.id).locked_until
        if locked_until is not None and locked_until > now:
            raise NotPermitted(_locked_message(locked_until, now))
        raise NotPermitted("该账号同时有其他登录尝试，为安全起见本次登录未成功，请稍后重新登录")
    locked = failures >= MAX_FAILURES

    def count_failure() -> None:
        if locked:
            Staff.update(locked_until=now + dt.timedelta(minutes=LOCK_MINUTES)).where(
                Staff.id == staff.id, Staff.locked_until.is_null() | (Staff.locked_until <= now)
            ).execute()
        audit.record(
            None,
            "staff.login_failed",
            "staff",
            staff.id,
            after={"username": staff.username, "failures": failures, "locked": locked},
        )

    run_in_transaction(count_failure)
    if locked:
        raise NotPermitted(f"密码连续错误 {MAX_FAILURES} 次，账号已锁定 {LOCK_MINUTES} 分钟")
    if not staff.password_hash:
        raise NotPermitted("该账号尚未设置密码，请联系管理员重置密码")
    raise NotPermitted("用户名或密码错误")


def authenticate(username: str, password: str, service_point: str | None = None) -> Actor:
    """Sign in. Raises NotPermitted for a wrong password, a disabled or a locked account.

    The returned actor has ``must_change_password`` set when the person must choose a new
    password before doing anything else (see :func:`change_password`).
    """
    now = clock.utcnow()
    staff = _check_password(Staff.get_or_none(Staff.username == username.strip()), password, now)
    with database.atomic():
        Staff.update(last_login_at=now).where(Staff.id == staff.id).execute()
        actor = actor_for(Staff.get_by_id(staff.id), service_point)
        audit.record(actor, "staff.login", "staff", staff.id)
    return actor


def reauthenticate(actor: Actor, password: str) -> Actor:
    """Idle lock: the signed-in person types their password again. Returns a refreshed actor
    (roles and flags re-read); a disabled account or a wrong password raises NotPermitted."""
    now = clock.utcnow()
    staff = _check_password(Staff.get_or_none(Staff.id == actor.staff.id), password, now)
    with database.atomic():
        fresh = actor_for(Staff.get_by_id(staff.id), actor.service_point)
        audit.record(fresh, "staff.unlock_session", "staff", staff.id)
    return fresh


def sign_out(actor: Actor, reason: str = "logout") -> None:
    """Record that a desk session ended (sign-out or switch user)."""
    with database.atomic():
        audit.record(actor, "staff.logout", "staff", actor.staff.id, after={"reason": reason})


def change_password(actor_or_username: Actor | str, old_password: str, new_password: str) -> Actor:
    """Change one's own password (also the forced change after a reset). Returns a fresh actor
    without the must-change flag. The old password is checked like a sign-in (lockout counts)."""
    username = actor_or_username.staff.username if isinstance(actor_or_username, Actor) else actor_or_username
    now = clock.utcnow()
    staff = _check_password(Staff.get_or_none(Staff.username == username.strip()), old_password, now)
    check_policy(new_password)
    if new_password == old_password:
        raise InvalidInput("新密码不能与旧密码相同")
    if staff.username.lower() in new_password.lower():
        raise InvalidInput("新密码不能包含用户名")
    service_point = actor_or_username.service_point if isinstance(actor_or_username, Actor) else None
    with database.atomic():
        Staff.update(
            password_hash=hash_password(new_password),
            must_change_password=False,
        ).where(Staff.id == staff.id).execute()
        fresh = actor_for(Staff.get_by_id(staff.id), service_point)
        audit.record(
            fresh,
            "staff.password_change",
            "staff",
            staff.id,
            before={"must_change_password": bool(staff.must_change_password)},
            after={"must_change_password": False},
            rows={"staff": [staff.id]},
        )
    return fresh
