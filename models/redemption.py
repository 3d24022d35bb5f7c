"""Redemption and reversal: the only writers of the redemption ledger.

Redeeming is ONE conditional UPDATE (``… WHERE state = 'issued' AND expires_on >= today``):
two desks scanning the same voucher at the same moment give exactly one redemption, and the
other learns who redeemed it, where and when. The ledger row and the audit event commit in
the same transaction. Ledger rows are posted on the local day by the database server's clock;
their period is that month, or — when finance has closed that month — the next open month, so
a closed month never changes (see :func:`models.periods.posting_period`: the month is locked
against its close until the posting commits).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from models import audit, clock
from models.audit_replay import voucher_disagreement
from models.catalog import get_service_point
from models.certificate_states import as_date
from models.codes import format_code, new_code
from models.db import is_postgres, run_in_transaction
from models.errors import InvalidInput, Refused
from models.money import format_fen
from models.periods import posting_period
from models.permissions import Actor, require
from models.schema import Issuance, LedgerEntry, ServiceItem, Voucher
from models.text import one_line
from models.vouchers import (
    RESULT_LABELS,
    STATE_LABELS,
    VoucherView,
    find_voucher,
    load_view,
    mark_expired,
    state_refusal,
)

_RESULT_ALIASES = {
    "negative": "negative",
    "neg": "negative",
    "-": "negative",
    "阴性": "negative",
    "positive": "positive",
    "pos": "positive",
    "+": "positive",
    "阳性": "positive",
}


@dataclass
class RedemptionResult:
    """What the nurse sees after a redemption: the client (masked) to check against the person."""

    voucher: VoucherView
    ledger_id: int
    amount_fen: int
    posted_on: dt.date
    period: str
    follow_ups: list[VoucherView] = field(default_factory=list)
    message: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReversalResult:
    voucher: VoucherView
    ledger_id: int
    amount_fen: int  # negative
    posted_on: dt.date
    period: str
    message: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _posting_note(entry: LedgerEntry) -> str:
    """Says so when a ledger row went to a later month because its own month was closed."""
    own = clock.month_of(as_date(entry.posted_on))
    if entry.period == own:
        return ""
    return f"；{own} 已月结，记入 {entry.period}"


def normalize_result(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    key = str(value).strip().lower()
    if key not in _RESULT_ALIASES:
        raise InvalidInput("筛查结果应为 negative（阴性）或 positive（阳性）", field="result")
    return _RESULT_ALIASES[key]


def _issue_follow_ups(actor: Actor, voucher: Voucher, today: dt.date, now: dt.datetime) -> list[Voucher]:
    """Vouchers for items of the same package that follow a positive ``voucher`` (once per issuance)."""
    issuance: Issuance = voucher.issuance
    items = ServiceItem.select().where(
        (ServiceItem.package == issuance.package_id)
        & (ServiceItem.follow_up_of == voucher.item_code)
        & (ServiceItem.tier == "basic")
    )
    created: list[Voucher] = []
    validity = issuance.package.validity_days
    for item in items:
        already = (
            Voucher.select(Voucher.id)
            .where((Voucher.issuance == issuance.id) & (Voucher.item == item.id))
            .exists()
        )
        if already:
            continue
        for sequence in range(1, item.quantity + 1):
            follow = Voucher.create(
                code=new_code(),
                issuance=issuance,
                item=item,
                item_code=item.code,
                item_name=item.name,
                value_fen=item.price_fen,
                service_point=item.service_point_id,
                result_kind=item.result_kind,
                sequence=sequence,
                state="issued",
                valid_from=today,
                expires_on=today + dt.timedelta(days=validity),
                issued_at=now,
                follow_up_of=voucher,
                version=0,
            )
            audit.record(
                actor,
                "voucher.follow_up",
                "voucher",
                follow.id,
                rows={"voucher": [follow.id]},
                after={"code": follow.code, "item": item.code, "follow_up_of": voucher.code},
            )
            created.append(follow)
    return created


def refuse_if_tampered(voucher: Voucher, doing: str) -> None:
    """Inside the transaction: refuse to pay (or reverse) a voucher whose row disagrees with its own
    latest audit event — e.g. set back to 未使用 by SQL after it was paid."""
    if not audit.sealing_active():
        return
    if is_postgres():  # row and events read at one moment: another desk's change is all or nothing
        Voucher.select(Voucher.id).where(Voucher.id == voucher.id).for_update().execute()
    tampered = voucher_disagreement(voucher.id, voucher.issuance_id)
    if tampered:
        raise Refused(
            f"该券的数据库记录与审计事件不符（{tampered[0].message}），已拒绝{doing}；"
            "请管理员运行 ffdesk audit verify 核查",
            code=voucher.code,
            differences=[d.to_dict() for d in tampered],
        )


def redeem(actor: Actor, code: str, point_code: str, result: str | None = None) -> RedemptionResult:
    """Redeem a voucher at a service point (nurse or supervisor).

    Refusals: wrong check digit → InvalidInput(typo=True); unknown code → NotFound; item not
    served at this point, already redeemed (at <point> by <staff> at <time>), voided or
    expired → Refused. Screening items need ``result`` (negative/positive); a positive result
    issues the package's follow-up voucher (e.g. echocardiography), once.
    """
    require(actor, "voucher.redeem")
    voucher = find_voucher(code)
    point = get_service_point(point_code)
    result = normalize_result(result)
    if voucher.service_point_id != point.id:
        raise Refused(
            f"“{voucher.item_name}”应在{voucher.service_point.name}核销，不在本服务点（{point.name}）",
            expected_point=voucher.service_point.code,
            code=voucher.code,
        )
    if voucher.result_kind == "screening" and result is None and voucher.state == "issued":
        raise InvalidInput(f"“{voucher.item_name}”是筛查项目，核销时请录入结果：阴性或阳性", field="result")
    if voucher.result_kind != "screening" and result is not None:
        raise InvalidInput(f"“{voucher.item_name}”不是筛查项目，无需录入结果", field="result")
    now = clock.server_now()
    today = clock.local_date_of(now)

    def work():
        refuse_if_tampered(voucher, "核销")
        changed = (
            Voucher.update(
                state="redeemed",
                redeemed_at=now,
                redeemed_by=actor.staff,
                redeemed_point=point,
                result=result,
                version=Voucher.version + 1,
            )
            .where((Voucher.id == voucher.id) & (Voucher.state == "issued") & (Voucher.expires_on >= today))
            .execute()
        )
        if not changed:
            fresh = Voucher.get_by_id(voucher.id)
            mark_expired(actor, fresh, today)
            return Voucher.get_by_id(voucher.id)
        period = posting_period(today)
        entry = LedgerEntry.create(
            voucher=voucher,
            kind="redeem",
            amount_fen=voucher.value_fen,
            posted_on=today,
            period=period,
            created_at=now,
            staff=actor.staff,
            service_point=point,
            package_code=voucher.issuance.package_code,
            item_code=voucher.item_code,
            workstation=actor.workstation[:64],
        )
        audit.record(
            actor,
            "voucher.redeem",
            "voucher",
            voucher.id,
            rows={"voucher": [voucher.id], "ledger_entry": [entry.id]},
            before={"state": "issued"},
            after={
                "state": "redeemed",
                "code": voucher.code,
                "point": point.code,
                "result": result,
                "ledger": entry.id,
                "amount_fen": voucher.value_fen,
                "period": period,
            },
        )
        follow_ups = _issue_follow_ups(actor, voucher, today, now) if result == "positive" else []
        return entry, follow_ups

    outcome = run_in_transaction(work)
    if isinstance(outcome, Voucher):
        raise state_refusal(outcome, today)
    entry, follow_ups = outcome
    view = load_view(voucher.id)
    message = f"已核销：{view.item_name} {view.value_text}，服务对象 {view.client_name_masked}（{view.client_id_masked}）"
    if result:
        message += f"，结果{RESULT_LABELS[result]}"
    message += _posting_note(entry)
    if follow_ups:
        message += "；已追加：" + "、".join(f"{f.item_name}（{format_code(f.code)}）" for f in follow_ups)
    return RedemptionResult(
        voucher=view,
        ledger_id=entry.id,
        amount_fen=entry.amount_fen,
        posted_on=entry.posted_on,
        period=entry.period,
        follow_ups=[load_view(f.id) for f in follow_ups],
        message=message,
    )


def reverse(actor: Actor, code: str, reason: str) -> ReversalResult:
    """Reverse a redemption (supervisor, reason required): a negative ledger row, voucher usable again."""
    require(actor, "voucher.reverse")
    reason = one_line(reason, "reason", "冲正原因")
    if not reason:
        raise InvalidInput("冲正必须填写原因", field="reason")
    voucher = find_voucher(code)
    now = clock.server_now()
    today = clock.local_date_of(now)

    def work():
        refuse_if_tampered(voucher, "冲正")
        fresh = Voucher.get_by_id(voucher.id)
        if fresh.state != "redeemed":
            return fresh
        last = (
            LedgerEntry.select()
            .where((LedgerEntry.voucher == voucher.id) & (LedgerEntry.kind == "redeem"))
            .order_by(LedgerEntry.id.desc())
            .first()
        )
        changed = (
            Voucher.update(
                state="issued",
                redeemed_at=None,
                redeemed_by=None,
                redeemed_point=None,
                result=None,
                version=Voucher.version + 1,
            )
            .where(
                (Voucher.id == voucher.id)
                & (Voucher.state == "redeemed")
                & (Voucher.version == fresh.version)
            )
            .execute()
        )
        if not changed:
            return Voucher.get_by_id(voucher.id)
        period = posting_period(today)
        entry = LedgerEntry.create(
            voucher=voucher,
            kind="reverse",
            amount_fen=-(last.amount_fen if last else fresh.value_fen),
            posted_on=today,
            period=period,
            created_at=now,
            staff=actor.staff,
            service_point=fresh.redeemed_point_id,
            package_code=last.package_code if last else fresh.issuance.package_code,
            item_code=fresh.item_code,
            reason=reason,
            workstation=actor.workstation[:64],
        )
        audit.record(
            actor,
            "voucher.reverse",
            "voucher",
            voucher.id,
            rows={"voucher": [voucher.id], "ledger_entry": [entry.id]},
            before={
                "state": "redeemed",
                "redeemed_at": fresh.redeemed_at,
                "redeemed_by": fresh.redeemed_by_id,
                "point": fresh.redeemed_point.code,
                "result": fresh.result,
            },
            after={
                "state": "issued",
                "code": fresh.code,
                "reason": reason,
                "ledger": entry.id,
                "period": period,
            },
        )
        return entry

    outcome = run_in_transaction(work)
    if isinstance(outcome, Voucher):
        label = STATE_LABELS.get(outcome.state, outcome.state)
        raise Refused(
            f"该券当前状态为“{label}”，只有已核销的券可以冲正（{format_code(outcome.code)}）",
            state=outcome.state,
            code=outcome.code,
        )
    view = load_view(voucher.id, detail=True)
    return ReversalResult(
        voucher=view,
        ledger_id=outcome.id,
        amount_fen=outcome.amount_fen,
        posted_on=outcome.posted_on,
        period=outcome.period,
        message=f"已冲正：{view.item_name} {format_fen(outcome.amount_fen)}{_posting_note(outcome) or f'，记入 {outcome.period}'}，券恢复为未使用",
    )
