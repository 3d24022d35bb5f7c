"""Shared test helpers and fakes (all of them live here)."""

from __future__ import annotations

import itertools
import random

from models import staff as staff_service
from models.permissions import Actor

PASSWORD = "Desk-Pass-2026"
_counter = itertools.count(1)


def make_actor(*roles: str, username: str | None = None, full_name: str | None = None) -> Actor:
    """Create a staff member holding ``roles`` directly in the database and return their Actor."""
    from models import audit
    from models.db import database

    name = username or f"{'_'.join(roles) or 'none'}{next(_counter)}"
    with database.atomic():
        staff = staff_service._create(
            name, full_name or f"测试{name}", frozenset(roles), PASSWORD, must_change=False
        )
        audit.record(
            None,
            "staff.create",
            "staff",
            staff.id,
            after={"username": name, "roles": sorted(roles)},
            rows=staff_service.staff_rows(staff.id),
        )
    return staff_service.actor_for(staff)


def resident_id(
    birth: str = "19900101", sex: str = "F", region: str = "430102", rng: random.Random | None = None
) -> str:
    """A valid 18-character resident ID (check character computed with the GB 11643 weights)."""
    rng = rng or random.Random()
    seq = rng.randrange(0, 99)
    sex_digit = rng.choice("02468" if sex == "F" else "13579")
    body = f"{region}{birth}{seq:02d}{sex_digit}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]
