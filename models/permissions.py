"""Roles, permissions and the acting staff member passed into every service.

Services call :func:`require` themselves; the GUI only hides what a service would refuse
(use :meth:`Actor.can` for that). A person may hold several roles; their permissions are the
union. Policy the issue fixes: a nurse cannot issue, the front desk cannot close a month, only
a supervisor reverses a redemption, full-data exports need finance or administrator rights.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from models.errors import NotPermitted, SessionExpired
from models.schema import Staff, StaffRole

ROLE_LABELS: dict[str, str] = {
    "frontdesk": "发券员",
    "nurse": "核销员",
    "finance": "财务",
    "supervisor": "主管",
    "admin": "管理员",
}

PERMISSION_LABELS: dict[str, str] = {
    "client.read": "查询服务对象",
    "client.write": "登记和修改服务对象",
    "episode.write": "建立和关闭服务周期",
    "voucher.issue": "发放电子券",
    "voucher.void": "作废未使用的券",
    "voucher.redeem": "核销电子券",
    "voucher.reverse": "冲正已核销的券",
    "eligibility.override": "资格不符时特批发券",
    "slip.print": "打印和补打券单",
    "report.read": "查看和打印财务报表",
    "period.close": "月结",
    "export.full": "导出含完整个人信息的数据",
    "pii.reveal": "查看完整证件号和电话",
    "audit.read": "查看审计日志",
    "staff.manage": "管理员工和角色",
    "catalog.manage": "管理服务包目录和价格",
    "backup.manage": "备份与恢复",
    "settings.manage": "修改系统设置",
    "certificate.issue": "签发出生医学证明和生育假证明",
    "certificate.stock": "管理出生医学证明空白证件库存",
    "certificate.void": "批准作废出生医学证明",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "frontdesk": frozenset(
        {
            "client.read",
            "client.write",
            "episode.write",
            "voucher.issue",
            "voucher.void",
            "slip.print",
            "certificate.issue",
        }
    ),
    "nurse": frozenset({"client.read", "voucher.redeem"}),
    "finance": frozenset({"report.read", "period.close", "export.full", "audit.read"}),
    "supervisor": frozenset(
        {
            "client.read",
            "client.write",
            "episode.write",
            "voucher.issue",
            "voucher.void",
            "voucher.redeem",
            "voucher.reverse",
            "eligibility.override",
            "slip.print",
            "report.read",
            "pii.reveal",
            "audit.read",
            "certificate.issue",
            "certificate.stock",
            "certificate.void",
        }
    ),
    "admin": frozenset(
        {
            "client.read",
            "staff.manage",
            "catalog.manage",
            "backup.manage",
            "settings.manage",
            "audit.read",
            "report.read",
            "export.full",
            "pii.reveal",
            "certificate.stock",
        }
    ),
}


def workstation_name() -> str:
    """The desk's name written into every audit event: ``FFDESK_WORKSTATION`` or the host name."""
    name = (os.environ.get("FFDESK_WORKSTATION") or "").strip() or socket.gethostname()
    return name[:64]


@dataclass(frozen=True)
class Actor:
    """Who is acting, with which roles, from which workstation (and optionally at which service point)."""

    staff: Staff
    roles: frozenset[str]
    workstation: str = field(default_factory=workstation_name)
    service_point: str | None = None
    must_change_password: bool = False
    """Set after an administrator's reset: every service refuses until the password is changed."""
    password_stamp: str = ""
    """A digest of the password hash the session signed in with (:func:`password_stamp`):
    a reset or change of the password ends every session that carries the old one."""

    @property
    def name(self) -> str:
        return self.staff.full_name

    @property
    def username(self) -> str:
        return self.staff.username

    def can(self, permission: str) -> bool:
        """Whether the roles grant ``permission`` (for hiding GUI actions; services use :func:`require`)."""
        if self.must_change_password:
            return False
        return any(permission in ROLE_PERMISSIONS.get(role, ()) for role in self.roles)


def permissions_of(roles: frozenset[str] | set[str]) -> frozenset[str]:
    result: set[str] = set()
    for role in roles:
        result |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(result)


def roles_with(permission: str) -> frozenset[str]:
    """The roles that grant ``permission`` (for messages such as "需要主管权限")."""
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if permission in perms)


def password_stamp(password_hash: str | None) -> str:
    """What a session remembers of the password it signed in with (never the hash itself)."""
    return hashlib.sha256((password_hash or "").encode("utf-8")).hexdigest()[:16]


_expiry_listeners: list[Callable[[SessionExpired], None]] = []


def on_session_expired(listener: Callable[[SessionExpired], None]) -> Callable[[], None]:
    """Call ``listener`` whenever a session is found expired (the desktop's Qt adapter turns it
    into a signal that takes the desk back to the sign-in). Returns a function that removes it."""
    _expiry_listeners.append(listener)
    return lambda: _expiry_listeners.remove(listener) if listener in _expiry_listeners else None


def _expired(message: str) -> SessionExpired:
    exc = SessionExpired(message)
    for listener in list(_expiry_listeners):
        with contextlib.suppress(Exception):  # a listener's failure must not change the answer
            listener(exc)
    return exc


def check_session(actor: Actor) -> None:
    """The account as it is now must still be the one this session signed in as.

    Two indexed reads on every service call: the account's active flag and password (as a
    stamp), and its roles. A disabled account, a password reset or changed elsewhere, or roles
    changed by an administrator end the session: :class:`SessionExpired`, a new sign-in.
    """
    row = Staff.select(Staff.active, Staff.password_hash).where(Staff.id == actor.staff.id).tuples().first()
    who = actor.staff.username
    if row is None or not row[0]:
        raise _expired(f"账号 {who} 已停用，请联系管理员")
    if password_stamp(row[1]) != actor.password_stamp:
        raise _expired(f"账号 {who} 的密码已修改或被管理员重置，请重新登录")
    roles = frozenset(
        r for (r,) in StaffRole.select(StaffRole.role).where(StaffRole.staff == actor.staff.id).tuples()
    )
    if roles != actor.roles:
        raise _expired(f"账号 {who} 的角色已被管理员修改，请重新登录")


def require(actor: Actor | None, permission: str) -> Actor:
    """Raise NotPermitted (exit code 4) unless ``actor`` is signed in and holds ``permission``.

    The account is read again from the database on every call (:func:`check_session`), so a
    change made by an administrator at another desk takes effect on the next action of every
    open session.
    """
    if permission not in PERMISSION_LABELS:
        raise ValueError(f"unknown permission {permission!r}")
    if actor is None:
        raise NotPermitted("请先登录")
    check_session(actor)
    if actor.must_change_password:
        raise NotPermitted(f"{actor.name} 须先修改密码（密码由管理员设置或重置）")
    if not actor.can(permission):
        roles = "、".join(ROLE_LABELS.get(r, r) for r in sorted(actor.roles)) or "无角色"
        raise NotPermitted(
            f"{actor.name}（{roles}）没有“{PERMISSION_LABELS.get(permission, permission)}”的权限"
        )
    return actor
