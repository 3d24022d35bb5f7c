"""Full personal data: revealing a client's ID number or phone, and full-data exports.

Everything else shows masked values (models.privacy). Seeing the full value is the
``pii.reveal`` permission and leaves an audit event written in the same transaction as the
read, so there is never a full value on screen without a trace. The event records WHICH
fields were shown and why — never the values themselves, so the audit trail does not become
a second copy of the personal data.

Exports that carry full personal data go through :func:`authorize_full_export` (permission
``export.full``: finance or administrator) before the file is written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from models import audit
from models.db import database
from models.errors import InvalidInput, NotFound
from models.permissions import Actor, require
from models.privacy import mask_id, mask_name, mask_phone
from models.schema import Client
from models.text import one_line

REVEALABLE_FIELDS = ("id_number", "phone")
REVEAL_REASONS = ("核对身份证件", "服务对象来电核实", "办理出生医学证明", "联系服务对象", "更正登记信息")
"""The reasons a desk offers in its list; any other reason may be typed."""
MIN_REASON_CHARS = 4
FIELD_LABELS = {"id_number": "证件号码", "phone": "电话"}


@dataclass(frozen=True)
class MaskedClient:
    """A client as lists and slips show them."""

    id: int
    name: str
    id_type: str
    id_number: str
    phone: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RevealedClient:
    """The full values of the fields revealed; other fields stay masked."""

    id: int
    name: str
    id_type: str
    id_number: str
    phone: str
    revealed: tuple[str, ...]
    audit_seq: int

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "revealed": list(self.revealed)}


def masked_client(client: Client) -> MaskedClient:
    return MaskedClient(
        id=client.id,
        name=mask_name(client.name),
        id_type=client.id_type,
        id_number=mask_id(client.id_number),
        phone=mask_phone(client.phone),
    )


def reveal_reason(reason: str | None) -> str:
    """A reveal is deliberate: a reason of at least :data:`MIN_REASON_CHARS` characters."""
    text = one_line(reason, "reason", "查看原因")
    if len(text) < MIN_REASON_CHARS:
        raise InvalidInput(
            f"请选择或填写查看完整信息的原因（至少 {MIN_REASON_CHARS} 个字），原因会记入审计日志",
            field="reason",
        )
    return text


def reveal_client(
    actor: Actor,
    client_id: int,
    fields: tuple[str, ...] | list[str] = REVEALABLE_FIELDS,
    reason: str = "",
) -> RevealedClient:
    """Show the full ID number and/or phone of one client (permission ``pii.reveal``).

    The audit event ``pii.reveal`` (with the reason) commits in the same transaction as the
    read: if it cannot be written, nothing is revealed. The reason must say why
    (:func:`reveal_reason`).
    """
    require(actor, "pii.reveal")
    reason = reveal_reason(reason)
    wanted = tuple(f for f in REVEALABLE_FIELDS if f in set(fields))
    unknown = set(fields) - set(REVEALABLE_FIELDS)
    if unknown or not wanted:
        raise InvalidInput(f"只能查看这些字段的完整值：{'、'.join(FIELD_LABELS.values())}")
    with database.atomic():
        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            raise NotFound(f"没有编号为 {client_id} 的服务对象")
        event = audit.record(
            actor,
            "pii.reveal",
            "client",
            client.id,
            after={"fields": list(wanted), "reason": reason},
        )
    masked = masked_client(client)
    return RevealedClient(
        id=client.id,
        name=client.name,
        id_type=client.id_type,
        id_number=(client.id_number or "") if "id_number" in wanted else masked.id_number,
        phone=(client.phone or "") if "phone" in wanted else masked.phone,
        revealed=wanted,
        audit_seq=event.seq,
    )


def authorize_full_export(
    actor: Actor, kind: str, row_count: int, criteria: dict[str, Any] | None = None, destination: str = ""
) -> int:
    """Check ``export.full`` and record the export; call it right before writing the file.

    ``kind`` names the export (e.g. ``"clients"``, ``"health_commission_monthly"``),
    ``criteria`` the filters used (period, package…), ``destination`` the file name. Returns
    the audit event's ``seq`` (print it in the file's footer so the file can be traced).
    """
    require(actor, "export.full")
    if not kind.strip():
        raise InvalidInput("导出类型不能为空")
    if row_count < 0:
        raise InvalidInput("导出行数不能为负数")
    with database.atomic():
        event = audit.record(
            actor,
            "export.full",
            "export",
            kind.strip(),
            after={"rows": row_count, "criteria": criteria or {}, "destination": destination},
        )
    return event.seq
