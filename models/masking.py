"""What a signed-in person is shown of a client: full values only with ``pii.reveal``.

Every view that leaves models/ (CLI JSON, screens, exports, paper, the audit list) takes its
personal fields from here, so a role without ``pii.reveal`` (front desk, nurse, finance) never
receives a full name, birth date, address or phone: names are masked (张*丽), a birth date is
reduced to the age (the year is never shown beside a masked ID number), the address keeps only
its first characters and the phone its first 3 and last 4 digits. Roles with ``pii.reveal``
(supervisor, administrator) see names and birth dates; ID numbers and phones stay masked for
everybody until revealed one client at a time (models.pii, an audit event).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.permissions import Actor
from models.privacy import mask_address, mask_id, mask_name, mask_phone

# Payload keys of audit events that hold a client's personal data, and how each is masked.
_ALWAYS_MASKED = {"id_number": mask_id, "phone": mask_phone, "address": mask_address}
_PERSON_ENTITIES = frozenset({"client", "episode", "leave_proof", "birth_certificate"})


def sees_pii(actor: Actor | None) -> bool:
    """True for roles holding ``pii.reveal``; everybody else is shown masked values only."""
    return actor is not None and actor.can("pii.reveal")


def shown_name(actor: Actor | None, name: str | None) -> str:
    return (name or "") if sees_pii(actor) else mask_name(name)


def shown_birth_date(actor: Actor | None, birth: dt.date | None) -> dt.date | None:
    """The birth date for roles with ``pii.reveal``; None (show the age) for everybody else."""
    return birth if sees_pii(actor) else None


def shown_address(actor: Actor | None, address: str | None) -> str:
    return (address or "") if sees_pii(actor) else mask_address(address)


def _year_only(value: Any) -> Any:
    text = str(value or "")
    return text[:4] if len(text) >= 4 and text[:4].isdigit() else ("" if value else value)


def mask_payload(actor: Actor | None, entity: str, payload: Any) -> Any:
    """An audit event's before/after as ``actor`` may see it.

    ID numbers, phones and addresses are always masked (the log is not a second copy of the
    personal data); names and birth dates of clients are masked for roles without
    ``pii.reveal`` (a birth date keeps its year only).
    """
    if isinstance(payload, list):
        return [mask_payload(actor, entity, item) for item in payload]
    if not isinstance(payload, dict):
        return payload
    full = sees_pii(actor)
    person = entity in _PERSON_ENTITIES
    out: dict[str, Any] = {}
    for key, value in payload.items():
        if key in _ALWAYS_MASKED and isinstance(value, str):
            out[key] = _ALWAYS_MASKED[key](value)
        elif person and not full and key == "name" and isinstance(value, str):
            out[key] = mask_name(value)
        elif person and not full and key == "birth_date":
            out[key] = _year_only(value)
        else:
            out[key] = mask_payload(actor, entity, value)
    return out
