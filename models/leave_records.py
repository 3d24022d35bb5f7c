"""Issued maternity leave proofs (生育（产假）证明), stored and audited.

The computation itself is :func:`models.leave.compute` (pure); issuing a proof stores the facts,
the full result and the rule set's name in ``LeaveProof`` so that the desk can show later exactly
what it certified, and writes an audit event in the same transaction. The proof number shown on
paper is derived from the row: ``SJ`` + year of issue + the row id (``SJ2026-000123``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from models import audit, clock
from models.db import run_in_transaction
from models.errors import InvalidInput, NotFound, Refused
from models.leave import LeaveFacts, LeaveResult, compute, load_rule_set
from models.leave_rules import KINDS, MODES
from models.permissions import Actor, require
from models.schema import Client, Episode, LeaveProof
from models.text import one_line

MATCH_WINDOW_DAYS = 300  # a recorded delivery this close to the proof's date is the same pregnancy


@dataclass(frozen=True)
class IssuedProof:
    id: int
    proof_no: str
    client_id: int
    episode_id: int | None
    issued_at: dt.datetime
    issued_on: dt.date  # local date
    issued_by: str
    result: LeaveResult
    differences: tuple[str, ...] = ()  # where the proof departs from the recorded delivery
    override_reason: str | None = None  # the supervisor's reason for those differences
    override_by: str | None = None

    @property
    def remarks(self) -> tuple[str, ...]:
        """What the proof prints about a departure from the record (nothing when it agrees)."""
        if not self.differences:
            return ()
        return (
            "本证明与服务周期登记的分娩信息不一致："
            + "；".join(self.differences)
            + f"。经{self.override_by}特批，原因：{self.override_reason}",
        )


def _months_between(start: dt.date, end: dt.date) -> int:
    """Completed calendar months from ``start`` to ``end`` (怀孕满几个月)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def recorded_episode(client: Client, episode_id: int | None, facts: LeaveFacts) -> Episode | None:
    """The pregnancy the proof is about: the one given, else the client's nearest recorded delivery."""
    if episode_id is not None:
        return Episode.get_by_id(episode_id)
    rows = Episode.select().where(
        (Episode.client == client.id) & (Episode.kind == "pregnancy") & Episode.delivery_date.is_null(False)
    )
    near = [e for e in rows if abs((e.delivery_date - facts.delivery_date).days) <= MATCH_WINDOW_DAYS]
    return min(near, key=lambda e: abs((e.delivery_date - facts.delivery_date).days), default=None)


def differences(episode: Episode | None, facts: LeaveFacts) -> list[str]:
    """Where the proof's facts differ from what the episode recorded (mode, babies, date, gestation)."""
    if episode is None or episode.kind != "pregnancy" or facts.kind == "family_planning":
        return []
    out: list[str] = []
    if episode.delivery_date is not None:
        if facts.kind != "birth":
            return [
                f"登记为{episode.delivery_date.isoformat()}分娩，证明为{KINDS.get(facts.kind, facts.kind)}"
            ]
        if facts.delivery_date != episode.delivery_date:
            out.append(
                f"分娩日期登记为 {episode.delivery_date.isoformat()}，证明为 {facts.delivery_date.isoformat()}"
            )
        if episode.delivery_mode in MODES and facts.mode != episode.delivery_mode:
            out.append(
                f"分娩方式登记为{MODES[episode.delivery_mode]}，证明为{MODES.get(facts.mode, facts.mode)}"
            )
        if episode.babies is not None and facts.babies != episode.babies:
            out.append(f"胎数登记为 {episode.babies}，证明为 {facts.babies}")
        return out
    if facts.kind == "miscarriage" and episode.lmp is not None and facts.miscarriage_months is not None:
        months = _months_between(episode.lmp, facts.delivery_date)
        if months != facts.miscarriage_months:
            out.append(
                f"按登记的末次月经 {episode.lmp.isoformat()} 计，流产时怀孕满 {months} 个月，证明为 {facts.miscarriage_months} 个月"
            )
    return out


def proof_number(proof_id: int, issued_on: dt.date) -> str:
    return f"SJ{issued_on.year}-{proof_id:06d}"


def _facts_json(facts: LeaveFacts) -> str:
    plain = {
        k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in dataclasses.asdict(facts).items()
    }
    return json.dumps(plain, ensure_ascii=False, sort_keys=True)


def issue_leave_proof(
    actor: Actor,
    client_id: int,
    episode_id: int | None,
    rule_set: str,
    facts: LeaveFacts,
    override_reason: str | None = None,
) -> IssuedProof:
    """Compute under ``rule_set`` (name or path), store the proof and audit it (``certificate.issue``).

    The proof must agree with the recorded delivery (mode, babies, date; a miscarriage's months
    from the LMP): of ``episode_id``, or else of the client's pregnancy delivered nearest the
    proof's date. A difference is refused unless a supervisor gives ``override_reason``; the
    differences and the reason are stored, audited and printed on the proof.
    """
    require(actor, "certificate.issue")
    reason = one_line(override_reason, "override_reason", "特批原因") or None
    # a huge typed id is no row (SQLite would overflow)
    client = Client.get_or_none(Client.id == client_id) if 0 < client_id < 2**62 else None
    if client is None:
        raise NotFound(f"没有编号为 {client_id} 的服务对象")
    if client.sex != "F":
        raise InvalidInput("生育（产假）证明的对象应为女性（生育者本人）", field="client")
    if episode_id is not None:
        # a huge typed id is no row (SQLite would overflow)
        episode = Episode.get_or_none(Episode.id == episode_id) if 0 < episode_id < 2**62 else None
        if episode is None:
            raise NotFound(f"没有编号为 {episode_id} 的服务周期")
        if episode.client_id != client.id:
            raise InvalidInput(f"服务周期 {episode_id} 不属于该服务对象", field="episode")
    rules = load_rule_set(rule_set)
    result = compute(rules, facts)
    episode_row = recorded_episode(client, episode_id, facts)
    found = differences(episode_row, facts)
    if found and reason is None:
        raise Refused(
            "证明信息与服务周期登记的分娩不一致："
            + "；".join(found)
            + "。请按登记信息出具，或由主管填写原因后出具",
            differences=found,
            episode_id=episode_row.id,
        )
    if found:
        require(actor, "eligibility.override")
    else:
        reason = None  # nothing to override
    stored = {**result.to_dict(), "differences": found, "override_reason": reason}
    now = clock.utcnow()

    def work() -> LeaveProof:
        row = LeaveProof.create(
            client=client.id,
            episode=episode_row.id if episode_row is not None else None,
            rule_set=rules.name,
            facts=_facts_json(facts),
            result=json.dumps(stored, ensure_ascii=False, sort_keys=True),
            total_days=result.total_days,
            allowance_fen=result.allowance_fen or 0,
            issued_at=now,
            issued_by=actor.staff.id,
        )
        audit.record(
            actor,
            "leave.issue",
            "leave_proof",
            row.id,
            after={
                "client": client.id,
                "episode": episode_id,
                "rule_set": rules.name,
                "total_days": result.total_days,
                "allowance_fen": result.allowance_fen,
                "differences": found,
                "override_reason": reason,
            },
        )
        return row

    row = run_in_transaction(work)
    issued_on = clock.local_date_of(now)
    return IssuedProof(
        id=row.id,
        proof_no=proof_number(row.id, issued_on),
        client_id=client.id,
        episode_id=episode_row.id if episode_row is not None else None,
        issued_at=now,
        issued_on=issued_on,
        issued_by=actor.staff.full_name,
        result=result,
        differences=tuple(found),
        override_reason=reason,
        override_by=actor.staff.full_name if reason else None,
    )


def proofs_of_client(actor: Actor, client_id: int) -> list[dict[str, Any]]:
    """The proofs issued to a client, oldest first: number, date, rule set, days, allowance (fen)."""
    require(actor, "client.read")
    rows = LeaveProof.select().where(LeaveProof.client == client_id).order_by(LeaveProof.id)
    out = []
    for row in rows:
        issued_at = (
            row.issued_at
            if isinstance(row.issued_at, dt.datetime)
            else dt.datetime.fromisoformat(str(row.issued_at))
        )
        issued_on = clock.local_date_of(issued_at)
        out.append(
            {
                "id": row.id,
                "proof_no": proof_number(row.id, issued_on),
                "issued_on": issued_on.isoformat(),
                "rule_set": row.rule_set,
                "total_days": row.total_days,
                "allowance_fen": row.allowance_fen,
            }
        )
    return out


@dataclass(frozen=True)
class ProofHolder:
    """The mother as her employer must read her on the proof: full name and ID number."""

    name: str
    id_number: str


def reveal_proof_holder(actor: Actor, proof_id: int) -> ProofHolder:
    """The full name and ID number for printing a leave proof, an audited reveal (``pii.reveal``
    naming the proof): the proof is for her employer, who must see who she is. The desk that may
    issue proofs may print them; the event commits before anything is returned."""
    require(actor, "certificate.issue")

    def work() -> ProofHolder:
        proof = LeaveProof.get_or_none(LeaveProof.id == proof_id) if 0 < proof_id < 2**62 else None
        if proof is None:
            raise NotFound(f"没有编号为 {proof_id} 的生育（产假）证明")
        client = Client.get_by_id(proof.client_id)
        number = proof_number(proof.id, clock.local_date_of(proof.issued_at))
        audit.record(
            actor,
            "pii.reveal",
            "client",
            client.id,
            after={"fields": ["name", "id_number"], "reason": f"打印生育（产假）证明 {number}"},
        )
        return ProofHolder(name=client.name, id_number=client.id_number or "")

    return run_in_transaction(work)
