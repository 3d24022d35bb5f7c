"""Birth medical certificates (出生医学证明): blank-form stock, issuance, void register, statistics.

Blank forms are numbered, controlled stock. Every serial ever received is in exactly one state:
``on_hand`` (in the store room or at a desk) → ``issued`` (consumed by a certificate) or
``voided`` (misprinted or damaged, with reason and approving supervisor) → ``destroyed`` (date and
witness). An issued form that turns out misprinted may be voided too. Nothing is deleted.

A certificate (:class:`BirthCertificate`) belongs to a child episode and is one of: first issue
(首次签发), re-issue of a lost certificate (补发) or replacement of a damaged or corrected one
(换发); the last two name the certificate they supersede and why. Each consumes one serial —
the lowest on-hand serial of the issuing desk unless a serial is given.

Certificate data is stored as JSON (see :func:`validate_data` for its shape) and validated with
messages in Chinese that name the field (``InvalidInput.details['field']``, e.g. ``mother.age``)
so that a screen can put the cursor there.

Parts live in their own modules and are re-exported here, so ``certificates.X`` keeps working:
models/certificate_states.py (states, kinds), models/certificate_serials.py (serial format),
models/certificate_data.py (field validation, print values, draft), models/certificate_calibration.py
(printer offsets), models/certificate_reports.py (stock report, annual usage). This module holds the
blank-form stock movements and issuance.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from models import audit, clock
from models.certificate_calibration import (
    CALIBRATION_KEY,
    MAX_OFFSET_MM,
    Calibration,
    check_offsets,
    get_calibration,
    set_calibration,
)
from models.certificate_data import (
    ETHNIC_GROUPS,
    HEALTH_VALUES,
    _age_on,
    _check_against_episode,
    _child_episode,
    draft_from_episode,
    print_values,
    validate_data,
)
from models.certificate_reports import StockReport, UsageStats, annual_usage, stock_report
from models.certificate_serials import (
    SERIAL_FORMAT_KEY,
    SerialFormat,
    compress_serials,
    normalize_serial,
    serial_format,
    set_serial_format,
    split_serial,
)
from models.certificate_states import (
    DESTROYED,
    FIRST,
    ISSUED,
    KIND_LABELS,
    ON_HAND,
    REISSUE,
    REPLACE,
    STATE_LABELS,
    STATES,
    VOIDED,
    as_date,
    as_datetime,
)
from models.db import database, is_postgres, run_in_transaction
from models.errors import InvalidInput, NotFound, Refused
from models.periods import ensure_open
from models.permissions import Actor, require
from models.schema import BirthCertificate, CertificateBatch, CertificateForm, Episode, Staff
from models.text import one_line

__all__ = [
    "CALIBRATION_KEY",
    "DESTROYED",
    "ETHNIC_GROUPS",
    "FIRST",
    "HEALTH_VALUES",
    "ISSUED",
    "KIND_LABELS",
    "MAX_OFFSET_MM",
    "MAX_RANGE",
    "ON_HAND",
    "REISSUE",
    "REPLACE",
    "SERIAL_FORMAT_KEY",
    "STATES",
    "STATE_LABELS",
    "VOIDED",
    "BatchView",
    "Calibration",
    "CertificateView",
    "FormView",
    "SerialFormat",
    "StockReport",
    "UsageStats",
    "_age_on",
    "annual_usage",
    "assign",
    "certificates_of_episode",
    "chain_head",
    "check_offsets",
    "compress_serials",
    "current_certificate",
    "destroy_form",
    "draft_from_episode",
    "get_calibration",
    "get_certificate",
    "get_form",
    "issue",
    "list_batches",
    "list_forms",
    "next_serial",
    "normalize_serial",
    "print_values",
    "receive",
    "record_print",
    "serial_format",
    "set_calibration",
    "set_serial_format",
    "split_serial",
    "stock_report",
    "superseded_by",
    "validate_data",
    "void_form",
]

MAX_RANGE = 10_000  # forms per receive: a typo such as an extra digit must not create a million rows


# --- views ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchView:
    id: int
    prefix: str
    first_serial: str
    last_serial: str
    count: int
    received_on: dt.date
    received_by: str
    note: str


@dataclass(frozen=True)
class FormView:
    serial: str
    state: str
    state_label: str
    desk: str | None
    received_on: dt.date
    void_reason: str | None = None
    voided_at: dt.datetime | None = None
    void_approved_by: str | None = None
    destroyed_on: dt.date | None = None
    destroy_witness: str | None = None
    certificate_id: int | None = None


@dataclass(frozen=True)
class CertificateView:
    id: int
    serial: str
    episode_id: int
    kind: str
    kind_label: str
    reason: str
    replaces_serial: str | None
    data: dict[str, Any]
    issued_on: dt.date
    issued_at: dt.datetime
    issued_by: str
    form_state: str

    @property
    def valid(self) -> bool:
        """False once its form was voided (a misprint): the family never received it."""
        return self.form_state == ISSUED

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "valid": self.valid}


def _form_view(form: CertificateForm) -> FormView:
    cert = BirthCertificate.get_or_none(BirthCertificate.form == form.id)
    approver = Staff.get_by_id(form.void_approved_by_id).full_name if form.void_approved_by_id else None
    return FormView(
        serial=form.serial,
        state=form.state,
        state_label=STATE_LABELS[form.state],
        desk=form.desk,
        received_on=as_date(form.batch.received_on),
        void_reason=form.void_reason,
        voided_at=form.voided_at,
        void_approved_by=approver,
        destroyed_on=as_date(form.destroyed_on) if form.destroyed_on else None,
        destroy_witness=form.destroy_witness,
        certificate_id=cert.id if cert else None,
    )


def _certificate_view(cert: BirthCertificate) -> CertificateView:
    return CertificateView(
        id=cert.id,
        serial=cert.form.serial,
        episode_id=cert.episode_id,
        kind=cert.kind,
        kind_label=KIND_LABELS[cert.kind],
        reason=cert.reason,
        replaces_serial=cert.replaces.form.serial if cert.replaces_id else None,
        data=json.loads(cert.data),
        issued_on=as_date(cert.issued_on),
        issued_at=as_datetime(cert.issued_at),
        issued_by=cert.issued_by.full_name,
        form_state=cert.form.state,
    )


def get_form(serial: str) -> FormView:
    return _form_view(_form(serial))


def _form(serial: str) -> CertificateForm:
    form = CertificateForm.get_or_none(CertificateForm.serial == normalize_serial(serial))
    if form is None:
        raise NotFound(f"没有编号为 {normalize_serial(serial)} 的出生医学证明空白证件")
    return form


def get_certificate(serial: str) -> CertificateView:
    form = _form(serial)
    cert = BirthCertificate.get_or_none(BirthCertificate.form == form.id)
    if cert is None:
        raise NotFound(f"证件 {form.serial} 未签发（当前状态：{STATE_LABELS[form.state]}）")
    return _certificate_view(cert)


def certificates_of_episode(episode_id: int) -> list[CertificateView]:
    """All certificates of an episode, oldest first (voided misprints included, marked not valid)."""
    query = (
        BirthCertificate.select().where(BirthCertificate.episode == episode_id).order_by(BirthCertificate.id)
    )
    return [_certificate_view(c) for c in query]


def chain_head(episode_id: int) -> CertificateView | None:
    """The newest certificate of the episode that nothing supersedes, valid or voided (a misprint)."""
    views = certificates_of_episode(episode_id)
    superseded = {v.replaces_serial for v in views if v.replaces_serial}
    heads = [v for v in views if v.serial not in superseded]
    return heads[-1] if heads else None


def current_certificate(episode_id: int) -> CertificateView | None:
    """The certificate the family holds now: the head of the chain while its form is valid.

    A superseded certificate never comes back: voiding its replacement (a misprint) leaves the
    child without a valid certificate until a new replacement names the voided one.
    """
    head = chain_head(episode_id)
    return head if head is not None and head.valid else None


def superseded_by(serial: str) -> str | None:
    """The serial of the certificate that re-issued or replaced the one on ``serial``, if any."""
    older = (
        BirthCertificate.select(BirthCertificate.id)
        .join(CertificateForm)
        .where(CertificateForm.serial == normalize_serial(serial))
        .first()
    )
    if older is None:
        return None
    newer = BirthCertificate.select().where(BirthCertificate.replaces == older.id).first()
    return newer.form.serial if newer else None


def list_forms(state: str | None = None, desk: str | None = None) -> list[FormView]:
    query = CertificateForm.select(CertificateForm, CertificateBatch).join(CertificateBatch)
    if state:
        query = query.where(CertificateForm.state == state)
    if desk:
        query = query.where(CertificateForm.desk == desk)
    return [_form_view(f) for f in query.order_by(CertificateForm.serial)]


# --- stock movements --------------------------------------------------------------------------------


def receive(
    actor: Actor,
    prefix: str,
    first: int,
    last: int,
    received_on: dt.date | None = None,
    note: str = "",
) -> BatchView:
    """Record blank forms ``prefix+first`` … ``prefix+last`` as received (on hand, not yet at a desk)."""
    require(actor, "certificate.stock")
    fmt = serial_format()
    prefix = normalize_serial(prefix)
    if not re.fullmatch(rf"[A-Z]{{{fmt.letters}}}", prefix):
        raise InvalidInput(
            f"证件编号前缀“{prefix}”不符合设定格式（{fmt.describe()}，如 {fmt.example()}）", field="prefix"
        )
    limit = 10**fmt.digits - 1
    for value, what in ((first, "起始号"), (last, "终止号")):
        if not isinstance(value, int) or not 0 <= value <= limit:
            raise InvalidInput(f"{what}应为 0–{limit} 之间的整数（{fmt.digits} 位数字）", field="range")
    if first > last:
        raise InvalidInput(f"起始号 {first} 大于终止号 {last}", field="range")
    if last - first + 1 > MAX_RANGE:
        raise InvalidInput(
            f"一次最多入库 {MAX_RANGE} 份，本次为 {last - first + 1} 份，请核对号段", field="range"
        )
    today = clock.server_today()
    received_on = received_on or today
    if received_on > today:
        raise InvalidInput(f"入库日期 {received_on} 晚于今天", field="received_on")

    def work() -> BatchView:
        ensure_open(received_on, "入库")
        overlap = (
            CertificateBatch.select()
            .where(
                (CertificateBatch.prefix == prefix)
                & (CertificateBatch.digits == fmt.digits)
                & (CertificateBatch.first_number <= last)
                & (CertificateBatch.last_number >= first)
            )
            .first()
        )
        if overlap is not None:
            a, b = fmt.format(prefix, overlap.first_number), fmt.format(prefix, overlap.last_number)
            raise Refused(f"号段与已入库的 {a}–{b}（{overlap.received_on} 入库）重叠，不能重复入库")
        batch = CertificateBatch.create(
            prefix=prefix,
            first_number=first,
            last_number=last,
            digits=fmt.digits,
            received_on=received_on,
            received_by=actor.staff.id,
            note=note.strip(),
        )
        now = clock.utcnow()
        rows = [
            {"serial": fmt.format(prefix, n), "batch": batch.id, "state": ON_HAND, "updated_at": now}
            for n in range(first, last + 1)
        ]
        for start in range(0, len(rows), 500):
            CertificateForm.insert_many(rows[start : start + 500]).execute()
        audit.record(
            actor,
            "certificate.receive",
            "certificate_batch",
            batch.id,
            after={
                "from": rows[0]["serial"],
                "to": rows[-1]["serial"],
                "count": len(rows),
                "received_on": received_on,
            },
            rows={
                "certificate_batch": [batch.id],
                "certificate_form": _form_ids(rows[0]["serial"], rows[-1]["serial"]),
            },
        )
        return _batch_view(batch)

    return run_in_transaction(work)


def _form_ids(first_serial: str, last_serial: str) -> list[int]:
    query = CertificateForm.select(CertificateForm.id).where(
        CertificateForm.serial.between(first_serial, last_serial)
    )
    return [f.id for f in query]


def _batch_view(batch: CertificateBatch) -> BatchView:
    return BatchView(
        id=batch.id,
        prefix=batch.prefix,
        first_serial=f"{batch.prefix}{batch.first_number:0{batch.digits}d}",
        last_serial=f"{batch.prefix}{batch.last_number:0{batch.digits}d}",
        count=batch.last_number - batch.first_number + 1,
        received_on=as_date(batch.received_on),
        received_by=Staff.get_by_id(batch.received_by_id).full_name,
        note=batch.note,
    )


def list_batches() -> list[BatchView]:
    return [_batch_view(b) for b in CertificateBatch.select().order_by(CertificateBatch.id)]


def _range_serials(first_serial: str, last_serial: str) -> list[str]:
    p1, n1, d1 = split_serial(first_serial)
    p2, n2, d2 = split_serial(last_serial)
    if (p1, d1) != (p2, d2):
        raise InvalidInput(f"号段首尾格式不一致：{first_serial} 与 {last_serial}", field="range")
    if n1 > n2:
        raise InvalidInput(f"起始编号 {first_serial} 大于终止编号 {last_serial}", field="range")
    if n2 - n1 + 1 > MAX_RANGE:
        raise InvalidInput(f"一次最多处理 {MAX_RANGE} 份", field="range")
    return [f"{p1}{n:0{d1}d}" for n in range(n1, n2 + 1)]


def assign(actor: Actor, first_serial: str, last_serial: str, desk: str) -> int:
    """Hand on-hand forms ``first``…``last`` to ``desk`` (or back to the store room with desk '')."""
    require(actor, "certificate.stock")
    desk = (desk or "").strip()
    if len(desk) > 64:
        raise InvalidInput("服务台名称不超过 64 个字符", field="desk")
    serials = _range_serials(first_serial, last_serial)

    def work() -> int:
        forms = list(CertificateForm.select().where(CertificateForm.serial.in_(serials)))
        found = {f.serial for f in forms}
        missing = [s for s in serials if s not in found]
        if missing:
            raise NotFound(f"以下编号未入库：{'、'.join(compress_serials(missing)[:5])}")
        busy = [f.serial for f in forms if f.state != ON_HAND]
        if busy:
            raise Refused(f"以下证件已不在库存中，不能分配：{'、'.join(compress_serials(busy)[:5])}")
        CertificateForm.update(desk=desk or None, updated_at=clock.utcnow()).where(
            CertificateForm.serial.in_(serials) & (CertificateForm.state == ON_HAND)
        ).execute()
        audit.record(
            actor,
            "certificate.assign",
            "certificate_form",
            f"{serials[0]}–{serials[-1]}",
            before={"desks": sorted({f.desk or "" for f in forms})},
            after={"desk": desk, "count": len(serials)},
            rows={"certificate_form": [f.id for f in forms]},
        )
        return len(serials)

    return run_in_transaction(work)


def void_form(actor: Actor, serial: str, reason: str, approver: Actor) -> FormView:
    """Void a misprinted or damaged form (on hand, or issued but unusable) with a supervisor's approval.

    ``approver`` is an authenticated supervisor (may be ``actor`` itself when the actor holds the
    permission); the desk records, the supervisor answers for it.
    """
    if not (actor and (actor.can("certificate.issue") or actor.can("certificate.stock"))):
        require(actor, "certificate.issue")
    require(approver, "certificate.void")
    reason = one_line(reason, "reason", "原因")
    if len(reason) < 2:
        raise InvalidInput("请填写作废原因（如“打印错位”“污损”）", field="reason")
    normalized = normalize_serial(serial)

    def work() -> FormView:
        form = _form(normalized)
        if form.state not in (ON_HAND, ISSUED):
            raise Refused(f"证件 {form.serial} 当前为“{STATE_LABELS[form.state]}”，不能作废")
        now = clock.server_now()
        ensure_open(clock.local_date_of(now), "作废")
        changed = (
            CertificateForm.update(
                state=VOIDED,
                void_reason=reason,
                voided_at=now,
                void_approved_by=approver.staff.id,
                updated_at=now,
            )
            .where((CertificateForm.id == form.id) & (CertificateForm.state == form.state))
            .execute()
        )
        if changed != 1:
            raise Refused(f"证件 {form.serial} 状态刚被其他人改变，请刷新后重试")
        audit.record(
            actor,
            "certificate.void",
            "certificate_form",
            form.serial,
            before={"state": form.state},
            after={"state": VOIDED, "reason": reason, "approved_by": approver.staff.username},
            rows={"certificate_form": [form.id]},
        )
        return _form_view(CertificateForm.get_by_id(form.id))

    return run_in_transaction(work)


def destroy_form(actor: Actor, serial: str, destroyed_on: dt.date, witness: str) -> FormView:
    """Mark a voided form destroyed (shredded) on ``destroyed_on`` in front of ``witness``."""
    require(actor, "certificate.stock")
    witness = one_line(witness, "witness", "监销人")
    if not witness:
        raise InvalidInput("请填写监销人", field="witness")
    if len(witness) > 64:
        raise InvalidInput("监销人不超过 64 个字符", field="witness")
    if destroyed_on > clock.server_today():
        raise InvalidInput(f"销毁日期 {destroyed_on} 晚于今天", field="destroyed_on")
    normalized = normalize_serial(serial)

    def work() -> FormView:
        ensure_open(destroyed_on, "销毁")
        form = _form(normalized)
        if form.state != VOIDED:
            raise Refused(f"证件 {form.serial} 当前为“{STATE_LABELS[form.state]}”，只有已作废的证件才能销毁")
        voided_on = clock.local_date_of(as_datetime(form.voided_at))
        if destroyed_on < voided_on:
            raise InvalidInput(f"销毁日期 {destroyed_on} 早于作废日期 {voided_on}", field="destroyed_on")
        changed = (
            CertificateForm.update(
                state=DESTROYED, destroyed_on=destroyed_on, destroy_witness=witness, updated_at=clock.utcnow()
            )
            .where((CertificateForm.id == form.id) & (CertificateForm.state == VOIDED))
            .execute()
        )
        if changed != 1:
            raise Refused(f"证件 {form.serial} 状态刚被其他人改变，请刷新后重试")
        audit.record(
            actor,
            "certificate.destroy",
            "certificate_form",
            form.serial,
            before={"state": VOIDED},
            after={"state": DESTROYED, "destroyed_on": destroyed_on, "witness": witness},
            rows={"certificate_form": [form.id]},
        )
        return _form_view(CertificateForm.get_by_id(form.id))

    return run_in_transaction(work)


# --- issuance -----------------------------------------------------------------------------------------------


def issue(
    actor: Actor,
    episode_id: int,
    kind: str,
    data: Mapping[str, Any],
    *,
    desk: str | None = None,
    serial: str | None = None,
    reason: str = "",
    replaces: str | None = None,
) -> CertificateView:
    """Issue a certificate for a child episode on the next on-hand form of ``desk`` (default: the
    actor's workstation) or on ``serial``.

    ``first`` is refused while the episode holds a valid certificate. ``reissue`` (lost) and
    ``replace`` (damaged / corrected) require a reason and name the certificate they supersede
    (``replaces``: its serial), which must be the newest of the child's chain; its form is voided
    in the same transaction with the reason. A second replacement of an already superseded form
    is refused with the number of the current one, and takes no blank form.
    """
    require(actor, "certificate.issue")
    if kind not in KIND_LABELS:
        raise InvalidInput(
            f"签发类型应为 {'、'.join(f'{k}（{v}）' for k, v in KIND_LABELS.items())}", field="kind"
        )
    reason = one_line(reason, "reason", "原因")
    if kind != FIRST and len(reason) < 2:
        raise InvalidInput(f"{KIND_LABELS[kind]}须填写原因", field="reason")
    clean = validate_data(data)
    desk = (desk or actor.workstation).strip()
    wanted = normalize_serial(serial) if serial else None
    named = normalize_serial(replaces) if replaces else None

    def work() -> CertificateView:
        episode = _child_episode(episode_id)
        if is_postgres():  # serialise issues for one child: two desks must not both issue or replace
            Episode.select().where(Episode.id == episode.id).for_update().get()
        _check_against_episode(episode, clean)
        issued_on = dt.date.fromisoformat(clean["issued_on"])
        if issued_on > clock.server_today():
            raise InvalidInput(f"签发日期 {issued_on} 晚于今天", field="issued_on")
        ensure_open(issued_on, "签发")
        head = chain_head(episode.id)
        old = _superseded(kind, head, named)
        form = _take_form(desk, wanted)
        now = clock.server_now()
        cert = BirthCertificate.create(
            form=form.id,
            episode=episode.id,
            kind=kind,
            reason=reason,
            replaces=old.id if old else None,
            data=json.dumps(clean, ensure_ascii=False, sort_keys=True),
            issued_on=issued_on,
            issued_at=now,
            issued_by=actor.staff.id,
        )
        audit.record(
            actor,
            "certificate.issue",
            "birth_certificate",
            cert.id,
            after={
                "serial": form.serial,
                "episode": episode.id,
                "kind": kind,
                "reason": reason,
                "replaces": old.serial if old else None,
                "desk": desk,
            },
            rows={"certificate_form": [form.id]},
        )
        if old is not None and old.valid:
            _void_superseded(
                actor, old.serial, f"已{KIND_LABELS[kind]}，由 {form.serial} 取代：{reason}", now
            )
        return _certificate_view(BirthCertificate.get_by_id(cert.id))

    return run_in_transaction(work)


def _superseded(kind: str, head: CertificateView | None, named: str | None) -> CertificateView | None:
    """The certificate a new one supersedes (None for a first issue); refusals say which is current."""
    valid = head is not None and head.valid
    if kind == FIRST:
        if valid:
            raise Refused(
                f"该新生儿已有出生医学证明 {head.serial}（{head.issued_on} 签发）；遗失请补发，损坏或更正请换发"
            )
        if head is not None and head.kind != FIRST:  # a misprinted replacement: replace it again
            raise Refused(
                f"该新生儿的{head.kind_label}证件 {head.serial} 已作废，请再次{head.kind_label}并注明取代 {head.serial}",
                current=head.serial,
            )
        return None
    label = KIND_LABELS[kind]
    if head is None or (not valid and head.kind == FIRST):
        raise Refused(f"该新生儿尚无有效的出生医学证明，不能{label}，请首次签发")
    if named is None:
        raise InvalidInput(f"{label}须注明被取代的证件编号（当前证件为 {head.serial}）", field="replaces")
    if named != head.serial:
        newer = superseded_by(named)
        why = f"已被 {newer} 取代" if newer else "不是该新生儿的当前证件"
        raise Refused(f"证件 {named} {why}，不能再{label}；当前证件为 {head.serial}", current=head.serial)
    return head


def _void_superseded(actor: Actor, serial: str, reason: str, now: dt.datetime) -> None:
    """Void the form of a superseded certificate (same transaction as its successor's issue)."""
    changed = (
        CertificateForm.update(
            state=VOIDED, void_reason=reason, voided_at=now, void_approved_by=actor.staff.id, updated_at=now
        )
        .where((CertificateForm.serial == serial) & (CertificateForm.state == ISSUED))
        .execute()
    )
    if changed != 1:
        raise Refused(f"证件 {serial} 状态刚被其他人改变，请刷新后重试")
    audit.record(
        actor,
        "certificate.void",
        "certificate_form",
        serial,
        before={"state": ISSUED},
        after={"state": VOIDED, "reason": reason, "approved_by": actor.staff.username},
    )


def _take_form(desk: str, wanted: str | None) -> CertificateForm:
    """Claim one on-hand form with a conditional UPDATE so two desks never print on the same serial."""
    if wanted:
        form = _form(wanted)
        if form.state != ON_HAND:
            raise Refused(f"证件 {form.serial} 当前为“{STATE_LABELS[form.state]}”，不能用于签发")
        if form.desk and form.desk != desk:
            raise Refused(f"证件 {form.serial} 已分配给 {form.desk}，不在本台（{desk}）")
        candidates = [form]
    else:
        candidates = list(
            CertificateForm.select()
            .where((CertificateForm.state == ON_HAND) & (CertificateForm.desk == desk))
            .order_by(CertificateForm.serial)
            .limit(5)
        )
        if not candidates:
            raise Refused(f"本台（{desk}）没有可用的空白出生医学证明，请先由库管分配号段")
    for form in candidates:
        claimed = (
            CertificateForm.update(state=ISSUED, updated_at=clock.utcnow())
            .where((CertificateForm.id == form.id) & (CertificateForm.state == ON_HAND))
            .execute()
        )
        if claimed == 1:
            return CertificateForm.get_by_id(form.id)
    raise Refused("空白证件刚被其他操作占用，请重试")


def _head_serial(view: CertificateView) -> str:
    head = chain_head(view.episode_id)
    return head.serial if head else view.serial


def next_serial(desk: str) -> str | None:
    """The serial the next issue at ``desk`` will consume (to show before printing), or None."""
    form = (
        CertificateForm.select()
        .where((CertificateForm.state == ON_HAND) & (CertificateForm.desk == desk))
        .order_by(CertificateForm.serial)
        .first()
    )
    return form.serial if form else None


def record_print(actor: Actor, serial: str, preview: bool = False) -> CertificateView:
    """The certificate to print; an audit event says who printed it where (full identity is on it)."""
    require(actor, "certificate.issue")
    view = get_certificate(serial)
    newer = superseded_by(view.serial)
    if not preview and newer is not None:
        raise Refused(f"证件 {view.serial} 已被 {newer} 取代，不能打印；当前证件为 {_head_serial(view)}")
    if not preview and not view.valid:
        raise Refused(f"证件 {view.serial} 已作废，不能打印")
    with database.atomic():
        audit.record(
            actor,
            "certificate.print",
            "birth_certificate",
            view.id,
            after={"serial": view.serial, "preview": preview},
        )
    return view
