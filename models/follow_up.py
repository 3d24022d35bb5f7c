"""阳性追踪: a positive or high-risk screening result opens a follow-up case.

:func:`open_case` is called by the redemption that records a positive result, inside its
transaction (one call from :mod:`models.redemption`). The case is due a fixed number of days
after the result (:data:`DUE_DAYS`, per screening item, default :data:`DEFAULT_DUE_DAYS`); the
follow-up nurse's worklist shows open cases overdue first, records each contact attempt and
closes the case with an outcome (确诊, 排除, 转诊, 失访) — never without one. The diagnostic voucher
a positive result issues (a follow-up item of the package) is shown on the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from models import audit, clock
from models.db import run_in_transaction
from models.errors import InvalidInput, NotFound, Refused
from models.permissions import Actor, require
from models.privacy import mask_id, mask_name, mask_phone
from models.schema import FollowUpCase, FollowUpContact, Voucher
from models.text import one_line

DEFAULT_DUE_DAYS = 14
DUE_DAYS: dict[str, int] = {"HEART_SCREEN": 7, "HEARING_SCREEN": 30, "METABOLIC_SCREEN": 7}
OUTCOMES: dict[str, str] = {"confirmed": "确诊", "excluded": "排除", "referred": "转诊", "lost": "失访"}
METHODS: dict[str, str] = {"phone": "电话", "sms": "短信", "visit": "上门/到院"}


@dataclass
class CaseView:
    id: int
    client_name_masked: str
    client_id_masked: str
    phone_masked: str
    item_name: str
    result_on: str  # local date of the positive result
    due_on: dt.date
    overdue_days: int  # 0 when not overdue
    status: str
    outcome: str | None
    outcome_label: str
    attempts: int
    last_contact: str
    diagnostic_vouchers: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


def due_days(item_code: str) -> int:
    return DUE_DAYS.get(item_code, DEFAULT_DUE_DAYS)


def open_case(actor: Actor, voucher: Voucher, today: dt.date, now: dt.datetime) -> FollowUpCase:
    """Open (or return) the case of a positive result; call inside the redemption's transaction."""
    existing = FollowUpCase.get_or_none(FollowUpCase.voucher == voucher.id)
    if existing is not None:  # redeemed again after a reversal: the same case
        return existing
    case = FollowUpCase.create(
        voucher=voucher.id,
        client=voucher.issuance.episode.client_id,
        item_code=voucher.item_code,
        item_name=voucher.item_name,
        opened_at=now,
        due_on=today + dt.timedelta(days=due_days(voucher.item_code)),
        status="open",
    )
    audit.record(
        actor,
        "follow_up.open",
        "follow_up_case",
        case.id,
        after={"voucher": voucher.code, "item": voucher.item_code, "due_on": case.due_on},
    )
    return case


def _view(case: FollowUpCase, today: dt.date) -> CaseView:
    contacts = list(case.contacts.order_by(FollowUpContact.at))
    last = contacts[-1] if contacts else None
    diagnostic = Voucher.select(Voucher.code).where(Voucher.follow_up_of == case.voucher_id)
    client = case.client
    return CaseView(
        id=case.id,
        client_name_masked=mask_name(client.name),
        client_id_masked=mask_id(client.id_number),
        phone_masked=mask_phone(client.phone),
        item_name=case.item_name,
        result_on=clock.local_date_of(case.opened_at).isoformat(),
        due_on=case.due_on,
        overdue_days=max(0, (today - case.due_on).days) if case.status == "open" else 0,
        status=case.status,
        outcome=case.outcome,
        outcome_label=OUTCOMES.get(case.outcome or "", "未结案"),
        attempts=len(contacts),
        last_contact=(
            f"{clock.format_local(last.at)} {METHODS.get(last.method, last.method)}"
            f"{'，已联系上' if last.reached else '，未联系上'}"
            if last
            else ""
        ),
        diagnostic_vouchers=[v.code for v in diagnostic],
    )


def worklist(actor: Actor, include_closed: bool = False) -> list[CaseView]:
    """Open cases, the most overdue first (earliest due date), then closed ones if asked."""
    require(actor, "client.read")
    today = clock.local_today()
    query = FollowUpCase.select().order_by(FollowUpCase.status.desc(), FollowUpCase.due_on, FollowUpCase.id)
    if not include_closed:
        query = query.where(FollowUpCase.status == "open")
    return [_view(c, today) for c in query]


def _get(case_id: int) -> FollowUpCase:
    case = FollowUpCase.get_or_none(FollowUpCase.id == case_id) if 0 < case_id < 2**62 else None
    if case is None:
        raise NotFound(f"没有编号为 {case_id} 的阳性追踪个案")
    return case


def _require_open(case: FollowUpCase) -> None:
    if case.status != "open":
        raise Refused(f"追踪个案 {case.id} 已结案（{OUTCOMES.get(case.outcome or '', case.outcome)}）")


def record_contact(actor: Actor, case_id: int, method: str, reached: bool, note: str = "") -> CaseView:
    require(actor, "voucher.redeem")
    if method not in METHODS:
        raise InvalidInput(f"联系方式应为 {'、'.join(METHODS)} 之一", field="method")
    note = one_line(note, "note", "备注")

    def work() -> FollowUpCase:
        case = _get(case_id)
        _require_open(case)
        contact = FollowUpContact.create(
            case=case, at=clock.server_now(), staff=actor.staff, method=method, reached=reached, note=note
        )
        audit.record(
            actor,
            "follow_up.contact",
            "follow_up_case",
            case.id,
            after={"contact": contact.id, "method": method, "reached": reached, "note": note},
        )
        return case

    return _view(run_in_transaction(work), clock.local_today())


def close_case(actor: Actor, case_id: int, outcome: str | None, note: str = "") -> CaseView:
    """Close with an outcome; 失访 only after at least one recorded contact attempt."""
    require(actor, "voucher.redeem")
    if not outcome:
        raise InvalidInput("结案需要填写追踪结局（确诊、排除、转诊、失访）", field="outcome")
    if outcome not in OUTCOMES:
        raise InvalidInput(f"追踪结局应为 {'、'.join(OUTCOMES)} 之一", field="outcome")
    note = one_line(note, "note", "备注")

    def work() -> FollowUpCase:
        case = _get(case_id)
        _require_open(case)
        if outcome == "lost" and not case.contacts.exists():
            raise Refused("尚无联系记录，不能以失访结案：请先登记联系尝试")
        changed = (
            FollowUpCase.update(
                status="closed",
                outcome=outcome,
                note=note,
                closed_at=clock.server_now(),
                closed_by=actor.staff,
            )
            .where((FollowUpCase.id == case.id) & (FollowUpCase.status == "open"))
            .execute()
        )
        if not changed:
            _require_open(_get(case_id))
        audit.record(
            actor,
            "follow_up.close",
            "follow_up_case",
            case.id,
            before={"status": "open"},
            after={"status": "closed", "outcome": outcome, "note": note},
        )
        return _get(case_id)

    return _view(run_in_transaction(work), clock.local_today())
