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
from models.errors import InvalidInput, NotFound
from models.leave import LeaveFacts, LeaveResult, compute, load_rule_set
from models.permissions import Actor, require
from models.schema import Client, Episode, LeaveProof


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


def proof_number(proof_id: int, issued_on: dt.date) -> str:
    return f"SJ{issued_on.year}-{proof_id:06d}"


def _facts_json(facts: LeaveFacts) -> str:
    plain = {
        k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in dataclasses.asdict(facts).items()
    }
    return json.dumps(plain, ensure_ascii=False, sort_keys=True)


def issue_leave_proof(
    actor: Actor, client_id: int, episode_id: int | None, rule_set: str, facts: LeaveFacts
) -> IssuedProof:
    """Compute under ``rule_set`` (name or path), store the proof and audit it (``certificate.issue``)."""
    require(actor, "certificate.issue")
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
    now = clock.utcnow()

    def work() -> LeaveProof:
        row = LeaveProof.create(
            client=client.id,
            episode=episode_id,
            rule_set=rules.name,
            facts=_facts_json(facts),
            result=json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True),
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
            },
        )
        return row

    row = run_in_transaction(work)
    issued_on = clock.local_date_of(now)
    return IssuedProof(
        id=row.id,
        proof_no=proof_number(row.id, issued_on),
        client_id=client.id,
        episode_id=episode_id,
        issued_at=now,
        issued_on=issued_on,
        issued_by=actor.staff.full_name,
        result=result,
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
