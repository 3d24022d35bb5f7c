"""Permission matrix: every service in models/ called as every role, refused or allowed per
ROLE_PERMISSIONS — by the service itself, without leaving an audit event when refused.

Adding a service = one line in ``CASES``: the name, who may call it, how to prepare a fresh
target (as a person holding every role), and the call. ``test_every_service_is_in_the_matrix``
fails when a function taking ``actor`` appears in models/ without a row here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import itertools
import pkgutil
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

import models
from models import staff as staff_service
from models.catalog import default_catalog_path
from models.errors import NotPermitted
from models.permissions import ROLE_LABELS, ROLE_PERMISSIONS, Actor, permissions_of, require
from models.schema import AuditEvent, Staff
from tests.helpers import PASSWORD, make_actor, resident_id
from tests.models.lifecycle import TODAY, freeze

ROLES = tuple(ROLE_LABELS)


class Absent(Exception):
    """The service's module does not exist (yet): the row is reported, not failed."""


def svc(path: str) -> Callable[..., Any]:
    """``"module.function"`` in models/, resolved when called."""
    module, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(f"models.{module}"), name)
    except ModuleNotFoundError as exc:
        raise Absent(path) from exc


# --- who may call: predicates over a set of roles ---------------------------------------------


def perm(name: str) -> Callable[[frozenset[str]], bool]:
    return lambda roles: name in permissions_of(roles)


def all_of(*names: str) -> Callable[[frozenset[str]], bool]:
    return lambda roles: set(names) <= permissions_of(roles)


def any_of(*names: str) -> Callable[[frozenset[str]], bool]:
    return lambda roles: bool(set(names) & permissions_of(roles))


# --- fresh targets, prepared by somebody holding every role ---------------------------------------


class World:
    def __init__(self) -> None:
        freeze()
        self.boss = make_actor(*ROLES, full_name="全能测试员")
        self._n = itertools.count(1)

    def number(self) -> int:
        return next(self._n)

    def woman(self) -> int:
        n = self.number()
        number = resident_id(f"1992{n % 12 + 1:02d}{n % 27 + 1:02d}", "F", rng=random.Random(n))
        return svc("clients.register_client")(
            self.boss, id_type="resident", id_number=number, name="王小红", phone="13812345678"
        ).client.id

    def pregnancy(self, weeks: int = 10) -> int:
        lmp = TODAY - dt.timedelta(days=weeks * 7)
        return svc("episodes.open_pregnancy")(self.boss, self.woman(), lmp).id

    def newborn(self) -> int:
        return svc("clients.register_newborn")(
            self.boss, self.woman(), name="李小宝", sex="M", birth_date=TODAY - dt.timedelta(days=3)
        ).id

    def child_episode(self) -> int:
        return svc("episodes.open_child")(self.boss, self.newborn()).id

    def slip(self):
        return svc("issuance.issue_package")(self.boss, self.pregnancy(), "HN-ZY")

    def voucher(self) -> str:
        return next(v.code for v in self.slip().vouchers if v.item_code == "EARLY_TEST")

    def redeemed(self) -> str:
        code = self.voucher()
        svc("redemption.redeem")(self.boss, code, "LAB")
        return code

    def month(self) -> str:
        """The next month that may be closed: months close in order from the first with data
        (blank forms received in January 2025, long before TODAY)."""
        periods = importlib.import_module("models.periods")
        if periods.first_data_month() != "2025-01":
            svc("certificates.receive")(self.boss, "Z", 1, 1, received_on=dt.date(2025, 1, 15))
        last = periods.last_closed_month()
        return periods.next_month(last) if last else "2025-01"

    def account(self, **changes: Any) -> str:
        name = f"user{self.number()}"
        staff_service.add_staff(self.boss, name, "某员工", frozenset({"nurse"}), PASSWORD)
        if changes.pop("active", True) is False:  # through the service: verify replays staff rows
            staff_service.disable_staff(self.boss, name)
        if changes:
            Staff.update(**changes).where(Staff.username == name).execute()
        return name

    def client_pair(self) -> tuple[int, int]:
        return self.woman(), self.woman()

    def forms(self, count: int = 1) -> list[str]:
        n = self.number() * 10
        first, last = 430000000 + n, 430000000 + n + count - 1
        svc("certificates.receive")(self.boss, "R", first, last)
        return [f"R{i}" for i in range(first, last + 1)]

    def certificate(self) -> str:
        from tests.models.test_certificates import make_child_episode, sample_data

        serial = self.forms()[0]
        svc("certificates.assign")(self.boss, serial, serial, "一号台")
        return svc("certificates.issue")(
            self.boss, make_child_episode().id, "first", sample_data(), desk="一号台", serial=serial
        ).serial

    def voided_form(self) -> str:
        serial = self.forms()[0]
        svc("certificates.void_form")(self.boss, serial, "污损", approver=self.boss)
        return serial


def _cert_issue(actor: Actor, episode_id: int) -> Any:
    from tests.models.test_certificates import sample_data

    return svc("certificates.issue")(actor, episode_id, "first", sample_data(), desk="一号台")


def _cert_prepare(world: World) -> int:
    from tests.models.test_certificates import make_child_episode

    serial = world.forms()[0]
    svc("certificates.assign")(world.boss, serial, serial, "一号台")
    return make_child_episode().id


def _application_file(world: World) -> bytes:
    """One fresh online application (HN-ZY, 10 weeks pregnant) as the platform's CSV."""
    n = world.number()
    number = resident_id(f"1991{n % 12 + 1:02d}{n % 27 + 1:02d}", "F", rng=random.Random(1000 + n))
    lmp = (TODAY - dt.timedelta(days=70)).isoformat()
    return (
        "application_no,submitted_at,name,id_type_code,id_number,package_code,lmp\n"
        f"PERM{n:06d},2026-03-01T09:00:00+08:00,赵敏,01,{number},HN-ZY,{lmp}\n"
    ).encode()


def _application(world: World) -> int:
    svc("applications.import_file")(world.boss, _application_file(world), "csv")
    return svc("applications.list_applications")(world.boss)[-1].id


def _follow_up_case(world: World) -> int:
    slip = svc("issuance.issue_package")(world.boss, world.child_episode(), "LYG-XS")
    heart = next(v.code for v in slip.vouchers if v.item_code == "HEART_SCREEN")
    svc("redemption.redeem")(world.boss, heart, "HEART", result="positive")
    return svc("follow_up.worklist")(world.boss)[-1].id


@dataclass(frozen=True)
class Case:
    service: str  # "module.function"
    allowed: Callable[[frozenset[str]], bool]
    prepare: Callable[[World], Any]
    call: Callable[[Actor, Any], Any]


def nothing(world: World) -> None:
    return None


CASES: list[Case] = [
    # clients and episodes
    Case(
        "clients.register_client",
        perm("client.write"),
        lambda w: resident_id("19930303", "F", rng=random.Random(w.number())),
        lambda a, n: svc("clients.register_client")(a, id_type="resident", id_number=n, name="张小丽"),
    ),
    Case(
        "clients.register_newborn",
        perm("client.write"),
        World.woman,
        lambda a, m: svc("clients.register_newborn")(a, m, name="李小宝", sex="F", birth_date=TODAY),
    ),
    Case(
        "clients.link_family",
        perm("client.write"),
        World.client_pair,
        lambda a, p: svc("clients.link_family")(a, "partner", *p),
    ),
    Case(
        "clients.get_client", perm("client.read"), World.woman, lambda a, c: svc("clients.get_client")(a, c)
    ),
    Case(
        "clients.age_on",
        perm("client.read"),
        World.woman,
        lambda a, c: svc("clients.age_on")(a, c, dt.date(2026, 3, 15)),
    ),
    Case(
        "clients.client_detail",
        perm("client.read"),
        World.woman,
        lambda a, c: svc("clients.client_detail")(a, c),
    ),
    Case(
        "clients.find_clients",
        perm("client.read"),
        World.woman,
        lambda a, c: svc("clients.find_clients")(a, "wxh"),
    ),
    Case(
        "clients.resolve_client",
        perm("client.read"),
        World.woman,
        lambda a, c: svc("clients.resolve_client")(a, c),
    ),
    Case(
        "clients.reveal_client",
        perm("pii.reveal"),
        World.woman,
        lambda a, c: svc("clients.reveal_client")(a, c, reason="核对身份"),
    ),
    Case(
        "episodes.open_pregnancy",
        perm("episode.write"),
        World.woman,
        lambda a, c: svc("episodes.open_pregnancy")(a, c, TODAY - dt.timedelta(days=60)),
    ),
    Case(
        "episodes.open_prepregnancy",
        perm("episode.write"),
        World.woman,
        lambda a, c: svc("episodes.open_prepregnancy")(a, c, None),
    ),
    Case(
        "episodes.open_child",
        perm("episode.write"),
        World.newborn,
        lambda a, c: svc("episodes.open_child")(a, c),
    ),
    Case(
        "episodes.record_infertility_history",
        perm("episode.write"),
        lambda w: svc("episodes.open_prepregnancy")(w.boss, w.woman(), None).id,
        lambda a, e: svc("episodes.record_infertility_history")(a, e),
    ),
    Case(
        "entitlements.double_claims",
        perm("report.read"),
        nothing,
        lambda a, _: svc("entitlements.double_claims")(a),
    ),
    Case(
        "episodes.close_pregnancy",
        perm("episode.write"),
        lambda w: w.pregnancy(39),
        lambda a, e: svc("episodes.close_pregnancy")(a, e, TODAY, "vaginal"),
    ),
    Case(
        "episodes.get_episode",
        perm("client.read"),
        World.pregnancy,
        lambda a, e: svc("episodes.get_episode")(a, e),
    ),
    Case(
        "episodes.episodes_of",
        perm("client.read"),
        World.woman,
        lambda a, c: svc("episodes.episodes_of")(a, c),
    ),
    Case(
        "eligibility.check_eligibility",
        perm("client.read"),
        World.pregnancy,
        lambda a, e: svc("eligibility.check_eligibility")(a, e),
    ),
    # vouchers
    Case(
        "issuance.issue_package",
        perm("voucher.issue"),
        World.pregnancy,
        lambda a, e: svc("issuance.issue_package")(a, e, "HN-ZY"),
    ),
    Case(
        "issuance.issue_package+override",
        all_of("voucher.issue", "eligibility.override"),
        lambda w: w.pregnancy(30),
        lambda a, e: svc("issuance.issue_package")(a, e, "HN-ZY", override_reason="孕早期漏发，主管特批"),
    ),
    Case(
        "issuance.get_issuance",
        any_of("client.read", "report.read"),
        World.slip,
        lambda a, s: svc("issuance.get_issuance")(a, s.id),
    ),
    Case(
        "issuance.find_issuance_by_slip",
        any_of("client.read", "report.read"),
        World.slip,
        lambda a, s: svc("issuance.find_issuance_by_slip")(a, s.slip_no),
    ),
    Case(
        "issuance.issuances_of_episode",
        any_of("client.read", "report.read"),
        World.pregnancy,
        lambda a, e: svc("issuance.issuances_of_episode")(a, e),
    ),
    Case(
        "issuance.record_slip_print",
        perm("slip.print"),
        World.slip,
        lambda a, s: svc("issuance.record_slip_print")(a, s.id),
    ),
    Case(
        "issuance.next_slip_print",
        perm("slip.print"),
        World.slip,
        lambda a, s: svc("issuance.next_slip_print")(a, s.id),
    ),
    Case(
        "vouchers.get_voucher",
        any_of("client.read", "report.read"),
        World.voucher,
        lambda a, v: svc("vouchers.get_voucher")(a, v),
    ),
    Case(
        "vouchers.void_voucher",
        perm("voucher.void"),
        World.voucher,
        lambda a, v: svc("vouchers.void_voucher")(a, v, "登记错误"),
    ),
    Case(
        "vouchers.expire_overdue",
        any_of("voucher.void", "settings.manage"),
        nothing,
        lambda a, _: svc("vouchers.expire_overdue")(a),
    ),
    Case(
        "redemption.redeem",
        perm("voucher.redeem"),
        World.voucher,
        lambda a, v: svc("redemption.redeem")(a, v, "LAB"),
    ),
    Case(
        "redemption.reverse",
        perm("voucher.reverse"),
        World.redeemed,
        lambda a, v: svc("redemption.reverse")(a, v, "误扫"),
    ),
    # finance
    Case(
        "finance.reconciliation",
        perm("report.read"),
        nothing,
        lambda a, _: svc("finance.reconciliation")(a, TODAY.replace(day=1), TODAY),
    ),
    Case(
        "finance.daily_close", perm("report.read"), nothing, lambda a, _: svc("finance.daily_close")(a, TODAY)
    ),
    Case(
        "finance.monthly_series",
        perm("report.read"),
        nothing,
        lambda a, _: svc("finance.monthly_series")(a, "2026-01", "2026-03"),
    ),
    Case(
        "finance.redemption_rates",
        perm("report.read"),
        nothing,
        lambda a, _: svc("finance.redemption_rates")(a, TODAY.replace(day=1), TODAY),
    ),
    Case(
        "periods.close_month",
        perm("period.close"),
        World.month,
        lambda a, m: svc("periods.close_month")(a, m),
    ),
    Case(
        "periods.month_report",
        perm("report.read"),
        nothing,
        lambda a, _: svc("periods.month_report")(a, "2026-02"),
    ),
    # certificates
    Case(
        "certificates.receive",
        perm("certificate.stock"),
        lambda w: 430000000 + w.number() * 10,
        lambda a, n: svc("certificates.receive")(a, "R", n, n + 1),
    ),
    Case(
        "certificates.assign",
        perm("certificate.stock"),
        lambda w: w.forms(2),
        lambda a, s: svc("certificates.assign")(a, s[0], s[-1], "二号台"),
    ),
    Case("certificates.issue", perm("certificate.issue"), _cert_prepare, _cert_issue),
    Case(
        "certificates.record_print",
        perm("certificate.issue"),
        World.certificate,
        lambda a, s: svc("certificates.record_print")(a, s),
    ),
    Case(
        "certificates.void_form",
        any_of("certificate.issue", "certificate.stock"),
        lambda w: (w.forms()[0], make_actor("supervisor")),
        lambda a, t: svc("certificates.void_form")(a, t[0], "污损", approver=t[1]),
    ),
    Case(
        "certificates.void_form(approver)",
        perm("certificate.void"),
        lambda w: (w.forms()[0], make_actor("frontdesk")),
        lambda a, t: svc("certificates.void_form")(t[1], t[0], "污损", approver=a),
    ),
    Case(
        "certificates.destroy_form",
        perm("certificate.stock"),
        World.voided_form,
        lambda a, s: svc("certificates.destroy_form")(a, s, TODAY, "见证人孙某"),
    ),
    Case(
        "certificate_calibration.set_calibration",
        perm("certificate.issue"),
        nothing,
        lambda a, _: svc("certificate_calibration.set_calibration")(a, "A4打印机", 1.0, -0.5),
    ),
    Case(
        "certificate_serials.set_serial_format",
        perm("settings.manage"),
        nothing,
        lambda a, _: svc("certificate_serials.set_serial_format")(a, 1, 9),
    ),
    # leave proofs
    Case(
        "leave_records.issue_leave_proof",
        perm("certificate.issue"),
        lambda w: w.woman(),
        lambda a, c: svc("leave_records.issue_leave_proof")(
            a, c, None, "national", svc("leave.LeaveFacts")(kind="birth", delivery_date=TODAY)
        ),
    ),
    Case(
        "leave_records.reveal_proof_holder",
        perm("certificate.issue"),
        lambda w: (
            svc("leave_records.issue_leave_proof")(
                w.boss,
                w.woman(),
                None,
                "national",
                svc("leave.LeaveFacts")(kind="birth", delivery_date=TODAY),
            ).id
        ),
        lambda a, proof_id: svc("leave_records.reveal_proof_holder")(a, proof_id),
    ),
    Case(
        "leave_records.proofs_of_client",
        perm("client.read"),
        lambda w: w.woman(),
        lambda a, c: svc("leave_records.proofs_of_client")(a, c),
    ),
    # settings, staff, privacy, audit
    Case(
        "settings.put",
        perm("settings.manage"),
        nothing,
        lambda a, _: svc("settings.put")(a, "institution_name", "某某市妇幼保健院"),
    ),
    Case(
        "staff.add_staff",
        perm("staff.manage"),
        lambda w: f"new{w.number()}",
        lambda a, u: staff_service.add_staff(a, u, "新员工", frozenset({"nurse"}), PASSWORD),
    ),
    Case("staff.list_staff", perm("staff.manage"), nothing, lambda a, _: staff_service.list_staff(a)),
    Case(
        "staff.disable_staff",
        perm("staff.manage"),
        World.account,
        lambda a, u: staff_service.disable_staff(a, u),
    ),
    Case(
        "staff.enable_staff",
        perm("staff.manage"),
        lambda w: w.account(active=False),
        lambda a, u: staff_service.enable_staff(a, u),
    ),
    Case(
        "staff.set_roles",
        perm("staff.manage"),
        World.account,
        lambda a, u: staff_service.set_roles(a, u, {"finance"}),
    ),
    Case(
        "staff.reset_password",
        perm("staff.manage"),
        World.account,
        lambda a, u: staff_service.reset_password(a, u),
    ),
    Case(
        "staff.unlock_staff",
        perm("staff.manage"),
        World.account,
        lambda a, u: staff_service.unlock_staff(a, u),
    ),
    Case(
        "pii.reveal_client",
        perm("pii.reveal"),
        World.woman,
        lambda a, c: svc("pii.reveal_client")(a, c, reason="核对身份"),
    ),
    Case(
        "pii.authorize_full_export",
        perm("export.full"),
        nothing,
        lambda a, _: svc("pii.authorize_full_export")(a, "clients", 10),
    ),
    Case("audit.list_events", perm("audit.read"), nothing, lambda a, _: svc("audit.list_events")(a)),
    Case("audit.verify", perm("audit.read"), nothing, lambda a, _: svc("audit.verify")(a)),
    Case("audit.rotate_key", perm("settings.manage"), nothing, lambda a, _: svc("audit.rotate_key")(a)),
    Case(
        "catalog_admin.load_catalog_audited",
        perm("catalog.manage"),
        nothing,
        lambda a, _: svc("catalog_admin.load_catalog_audited")(a, default_catalog_path()),
    ),
    Case("backup.create_backup", perm("backup.manage"), nothing, lambda a, _: svc("backup.create_backup")(a)),
    Case(
        "browse.count_vouchers",
        perm("client.read"),
        nothing,
        lambda a, _: svc("browse.count_vouchers")(a, svc("browse.VoucherFilter")()),
    ),
    Case(
        "browse.voucher_window",
        perm("client.read"),
        nothing,
        lambda a, _: svc("browse.voucher_window")(a, svc("browse.VoucherFilter")(), 0, 10),
    ),
    Case(
        "browse.count_clients",
        perm("client.read"),
        nothing,
        lambda a, _: svc("browse.count_clients")(a, svc("browse.ClientFilter")()),
    ),
    Case(
        "browse.client_window",
        perm("client.read"),
        nothing,
        lambda a, _: svc("browse.client_window")(a, svc("browse.ClientFilter")(), 0, 10),
    ),
    Case(
        "browse.count_episodes",
        perm("client.read"),
        nothing,
        lambda a, _: svc("browse.count_episodes")(a, svc("browse.EpisodeFilter")()),
    ),
    Case(
        "browse.episode_window",
        perm("client.read"),
        nothing,
        lambda a, _: svc("browse.episode_window")(a, svc("browse.EpisodeFilter")(), 0, 10),
    ),
    Case(
        "browse.count_issuances",
        perm("client.read"),
        nothing,
        lambda a, _: svc("browse.count_issuances")(a, svc("browse.IssuanceFilter")()),
    ),
    Case(
        "browse.issuance_window",
        perm("client.read"),
        nothing,
        lambda a, _: svc("browse.issuance_window")(a, svc("browse.IssuanceFilter")(), 0, 10),
    ),
    Case(
        "browse.redemptions_today",
        perm("voucher.redeem"),
        nothing,
        lambda a, _: svc("browse.redemptions_today")(a, "LAB"),
    ),
    # online applications, follow-up, programme figures (issue 19)
    Case(
        "applications.import_file",
        perm("voucher.issue"),
        _application_file,
        lambda a, data: svc("applications.import_file")(a, data, "csv"),
    ),
    Case(
        "applications.list_applications",
        perm("client.read"),
        nothing,
        lambda a, _: svc("applications.list_applications")(a),
    ),
    Case(
        "applications.get_application",
        perm("client.read"),
        _application,
        lambda a, i: svc("applications.get_application")(a, i),
    ),
    Case(
        "applications.approve",
        perm("voucher.issue"),
        _application,
        lambda a, i: svc("applications.approve")(a, i),
    ),
    Case(
        "applications.reject",
        perm("voucher.issue"),
        _application,
        lambda a, i: svc("applications.reject")(a, i, "已在外院领取"),
    ),
    Case(
        "applications.export",
        perm("export.full"),
        nothing,
        lambda a, _: svc("applications.export")(a, "json"),
    ),
    Case("follow_up.worklist", perm("client.read"), nothing, lambda a, _: svc("follow_up.worklist")(a)),
    Case(
        "follow_up.record_contact",
        perm("voucher.redeem"),
        _follow_up_case,
        lambda a, c: svc("follow_up.record_contact")(a, c, "phone", True),
    ),
    Case(
        "follow_up.close_case",
        perm("voucher.redeem"),
        _follow_up_case,
        lambda a, c: svc("follow_up.close_case")(a, c, "excluded"),
    ),
    Case(
        "programme_stats.compute",
        perm("report.read"),
        nothing,
        lambda a, _: svc("programme_stats.compute")(a, TODAY, TODAY),
    ),
]

# Functions taking ``actor`` that are not permission-checked services (with the reason).
NOT_SERVICES = {
    "audit.record": "writes the event for a service that already checked",
    "permissions.require": "the check itself",
    "permissions.check_session": "part of the check itself (tested in test_sessions)",
    "vouchers.require_read": "the check for voucher reads",
    "vouchers.mark_expired": "internal step of expire_overdue / redeem (actor may be the system)",
    "staff.reauthenticate": "idle lock: any signed-in person, tested in test_staff",
    "staff.sign_out": "any signed-in person",
    "backup.restore_backup": "replaces the whole database; checked against the restored staff table",
    "masking.mask_payload": "shapes what a service already allowed; tested in test_masking",
    "masking.sees_pii": "the question itself (pii.reveal)",
    "masking.shown_address": "shapes what a service already allowed",
    "masking.shown_birth_date": "shapes what a service already allowed",
    "masking.shown_name": "shapes what a service already allowed",
    "search_watch.check_not_locked": "step of a client search that already checked client.read",
    "search_watch.forgive_one_miss": "step of register_client that already checked client.write",
    "search_watch.record_search": "step of a client search that already checked client.read",
    "follow_up.open_case": "step of redemption.redeem (positive result) that already checked voucher.redeem",
}


def _call_as(actor: Actor | None, case: Case, world: World) -> tuple[NotPermitted | None, int]:
    target = case.prepare(world)
    events = AuditEvent.select().count()
    try:
        case.call(actor, target)
    except NotPermitted as exc:
        return exc, AuditEvent.select().count() - events
    return None, AuditEvent.select().count() - events


def check_case(case: Case, world: World, actors: dict[str, Actor | None]) -> list[str]:
    """Every mismatch between what the service did and what ROLE_PERMISSIONS says."""
    problems = []
    for label, actor in actors.items():
        if case.service == "vouchers.expire_overdue" and actor is None:
            continue  # None means the system itself at start-up
        expected = actor is not None and case.allowed(actor.roles)
        try:
            refusal, new_events = _call_as(actor, case, world)
        except Absent:
            raise
        except Exception as exc:
            problems.append(f"{label}: {type(exc).__name__}: {exc}")
            continue
        if expected and refusal is not None:
            problems.append(f"{label}: refused although allowed ({refusal.message})")
        if not expected and refusal is None:
            problems.append(f"{label}: allowed although ROLE_PERMISSIONS refuses it")
        if refusal is not None and new_events:
            problems.append(f"{label}: refused but wrote {new_events} audit event(s)")
    return [f"{case.service} as {p}" for p in problems]


def test_every_service_refuses_or_allows_every_role(db_url) -> None:
    """One database per backend; every row prepares fresh targets, so rows do not interfere."""
    world = World()
    actors: dict[str, Actor | None] = {role: make_actor(role) for role in ROLES}
    actors["no role"] = make_actor()
    actors["not signed in"] = None
    problems, absent = [], []
    for case in CASES:
        try:
            problems += check_case(case, world, actors)
        except Absent as exc:
            absent.append(str(exc))
    assert not problems, "\n".join(problems)
    assert len(absent) < len(CASES) // 2, f"most services missing: {absent}"


def test_every_service_is_in_the_matrix() -> None:
    covered = {c.service.split("+")[0].split("(")[0] for c in CASES} | set(NOT_SERVICES)
    missing = []
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"models.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:1] == ["actor"] and f"{info.name}.{name}" not in covered:
                missing.append(f"{info.name}.{name}")
    assert not missing, f"add a row to CASES (or NOT_SERVICES) for: {', '.join(missing)}"


# --- the policy the issue fixes, independent of how the table is written ---------------------------


@pytest.mark.parametrize(
    ("role", "permission", "granted"),
    [
        ("nurse", "voucher.issue", False),
        ("nurse", "voucher.redeem", True),
        ("frontdesk", "period.close", False),
        ("frontdesk", "voucher.issue", True),
        ("frontdesk", "voucher.reverse", False),
        ("nurse", "voucher.reverse", False),
        ("finance", "voucher.reverse", False),
        ("admin", "voucher.reverse", False),
        ("supervisor", "voucher.reverse", True),
        ("finance", "period.close", True),
        ("finance", "export.full", True),
        ("admin", "export.full", True),
        ("frontdesk", "export.full", False),
        ("nurse", "export.full", False),
        ("supervisor", "export.full", False),
        ("admin", "staff.manage", True),
        ("supervisor", "staff.manage", False),
        ("nurse", "pii.reveal", False),
        ("finance", "voucher.issue", False),
    ],
)
def test_policy_from_the_issue(role: str, permission: str, granted: bool) -> None:
    assert (permission in ROLE_PERMISSIONS[role]) is granted


def test_several_roles_add_up(db_url) -> None:
    both = make_actor("frontdesk", "nurse")
    assert both.can("voucher.issue") and both.can("voucher.redeem")
    assert not both.can("voucher.reverse")
    require(both, "voucher.redeem")
    with pytest.raises(NotPermitted, match="冲正"):
        require(both, "voucher.reverse")


def test_refusal_message_names_the_person_roles_and_permission(db_url) -> None:
    nurse = make_actor("nurse", full_name="王护士")
    with pytest.raises(NotPermitted) as info:
        require(nurse, "voucher.issue")
    assert info.value.message == "王护士（核销员）没有“发放电子券”的权限"
    assert info.value.exit_code == 4


def test_unknown_permission_is_a_programming_error(db_url) -> None:
    with pytest.raises(ValueError):
        require(make_actor("admin"), "voucher.isue")


def test_workstation_name_comes_from_the_environment(monkeypatch) -> None:
    from models.permissions import workstation_name

    monkeypatch.setenv("FFDESK_WORKSTATION", "  B超室-2 ")
    assert workstation_name() == "B超室-2"
    monkeypatch.setenv("FFDESK_WORKSTATION", "")
    assert workstation_name()  # falls back to the host name
