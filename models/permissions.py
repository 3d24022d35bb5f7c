"""Roles, permissions and the acting staff member passed into every service.

Services call :func:`require` themselves; the GUI only hides what a service would refuse
(use :meth:`Actor.can` for that). A person may hold several roles; their permissions are the
union. Policy the issue fixes: a nurse cannot issue, the front desk cannot close a month, only
a supervisor reverses a redemption, full-data exports need finance or administrator rights.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

from models.errors import NotPermitted
from models.schema import Staff

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


def require(actor: Actor | None, permission: str) -> Actor:
    """Raise NotPermitted (exit code 4) unless ``actor`` is signed in and holds ``permission``.

    The account's ``active`` flag is read again from the database, so an account disabled
    while its owner is signed in at a desk is refused at once.
    """
    if permission not in PERMISSION_LABELS:
        raise ValueError(f"unknown permission {permission!r}")
    if actor is None:
        raise NotPermitted("请先登录")
    active = Staff.select(Staff.active).where(Staff.id == actor.staff.id).scalar()
    if not active:
        raise NotPermitted(f"账号 {actor.staff.username} 已停用")
    if actor.must_change_password:
        raise NotPermitted(f"{actor.name} 须先修改密码（密码由管理员设置或重置）")
    if not actor.can(permission):
        roles = "、".join(ROLE_LABELS.get(r, r) for r in sorted(actor.roles)) or "无角色"
        raise NotPermitted(
            f"{actor.name}（{roles}）没有“{PERMISSION_LABELS.get(permission, permission)}”的权限"
        )
    return actor
