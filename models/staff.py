"""Staff accounts: creation, sign-in with lockout, roles."""

from __future__ import annotations

import datetime as dt

from models import audit, clock
from models.db import database
from models.errors import InvalidInput, NotFound, NotPermitted, Refused
from models.passwords import check_policy, hash_password, verify_password
from models.permissions import ROLE_LABELS, Actor, require, workstation_name
from models.schema import Staff, StaffRole

MAX_FAILURES = 5
LOCK_MINUTES = 15


def parse_roles(text: str | list[str]) -> frozenset[str]:
    items = text if isinstance(text, list) else text.replace("，", ",").split(",")
    roles = frozenset(r.strip().lower() for r in items if r.strip())
    unknown = roles - ROLE_LABELS.keys()
    if unknown or not roles:
        raise InvalidInput(
            f"未知角色：{'、'.join(sorted(unknown)) or '（空）'}；可用：{', '.join(ROLE_LABELS)}"
        )
    return roles


def roles_of(staff: Staff) -> frozenset[str]:
    return frozenset(r.role for r in StaffRole.select(StaffRole.role).where(StaffRole.staff == staff))


def actor_for(staff: Staff, service_point: str | None = None) -> Actor:
    return Actor(
        staff=staff, roles=roles_of(staff), workstation=workstation_name(), service_point=service_point
    )


def get_staff(username: str) -> Staff:
    staff = Staff.get_or_none(Staff.username == username.strip())
    if staff is None:
        raise NotFound(f"没有用户名为 {username} 的员工")
    return staff


def _create(
    username: str, full_name: str, roles: frozenset[str], password: str | None, must_change: bool
) -> Staff:
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise InvalidInput("用户名不能为空、不能含空格，且不超过 64 个字符")
    if Staff.get_or_none(Staff.username == username) is not None:
        raise Refused(f"用户名 {username} 已存在")
    if password is not None:
        check_policy(password)
    staff = Staff.create(
        username=username,
        full_name=(full_name or username).strip()[:64],
        password_hash=hash_password(password) if password else "",
        must_change_password=must_change,
        created_at=clock.utcnow(),
    )
    for role in sorted(roles):
        StaffRole.create(staff=staff, role=role)
    return staff


def create_first_admin(username: str, password: str, full_name: str = "") -> Staff:
    """``ffdesk init --admin``: only allowed while no administrator exists."""
    with database.atomic():
        if StaffRole.select().where(StaffRole.role == "admin").exists():
            raise Refused("已经存在管理员；请由管理员用 ffdesk staff add 添加员工")
        staff = _create(
            username, full_name or "系统管理员", frozenset({"admin"}), password, must_change=False
        )
        audit.record(
            None, "staff.create", "staff", staff.id, after={"username": staff.username, "roles": ["admin"]}
        )
        return staff


def add_staff(
    actor: Actor, username: str, full_name: str, roles: frozenset[str], password: str | None = None
) -> Staff:
    require(actor, "staff.manage")
    with database.atomic():
        staff = _create(username, full_name, roles, password, must_change=True)
        audit.record(
            actor,
            "staff.create",
            "staff",
            staff.id,
            after={"username": staff.username, "full_name": staff.full_name, "roles": sorted(roles)},
        )
        return staff


def authenticate(username: str, password: str, service_point: str | None = None) -> Actor:
    """Check a password; 5 failures lock the account for 15 minutes. Raises NotPermitted."""
    staff = Staff.get_or_none(Staff.username == username.strip())
    now = clock.utcnow()
    if staff is None:
        raise NotPermitted("用户名或密码错误")
    if not staff.active:
        raise NotPermitted("该账号已停用，请联系管理员")
    if staff.locked_until is not None and staff.locked_until > now:
        minutes = max(1, int((staff.locked_until - now).total_seconds() // 60) + 1)
        raise NotPermitted(f"密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试")
    if not staff.password_hash or not verify_password(password, staff.password_hash):
        with database.atomic():
            failures = staff.failed_logins + 1
            locked = now + dt.timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
            Staff.update(failed_logins=0 if locked else failures, locked_until=locked).where(
                Staff.id == staff.id
            ).execute()
            audit.record(
                None,
                "staff.login_failed",
                "staff",
                staff.id,
                after={"username": staff.username, "locked": bool(locked)},
            )
        if locked:
            raise NotPermitted(f"密码连续错误 {MAX_FAILURES} 次，账号已锁定 {LOCK_MINUTES} 分钟")
        raise NotPermitted("用户名或密码错误")
    with database.atomic():
        Staff.update(failed_logins=0, locked_until=None, last_login_at=now).where(
            Staff.id == staff.id
        ).execute()
        actor = actor_for(Staff.get_by_id(staff.id), service_point)
        audit.record(actor, "staff.login", "staff", staff.id)
    return actor
