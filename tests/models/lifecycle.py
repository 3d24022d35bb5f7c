"""Helpers shared by the voucher-lifecycle tests: a fixed clock and ready-made clients/episodes."""

from __future__ import annotations

import datetime as dt
import random

from models import clients, clock, episodes
from models.permissions import Actor
from tests.helpers import resident_id

# 2026-03-15 10:00 in Asia/Shanghai.
NOW = dt.datetime(2026, 3, 15, 2, 0)
TODAY = dt.date(2026, 3, 15)


def freeze(at: dt.datetime = NOW) -> None:
    clock.set_now(at)


def at_local(day: dt.date, hour: int = 10) -> dt.datetime:
    """Naive UTC for ``hour`` o'clock local time on ``day``."""
    return dt.datetime.combine(day, dt.time(hour)) - dt.timedelta(hours=8)


def woman(
    actor: Actor,
    name: str = "王小红",
    birth: str = "19940512",
    residency: str = "local",
    rng: random.Random | None = None,
) -> clients.ClientView:
    number = resident_id(birth, "F", rng=rng or random.Random(name + birth))
    return clients.register_client(
        actor, id_type="resident", id_number=number, name=name, phone="13812345678", residency=residency
    ).client


def pregnancy(actor: Actor, weeks: int, days: int = 0, **kwargs) -> episodes.EpisodeView:
    """A woman pregnant ``weeks``+``days`` as of today."""
    client = woman(actor, **kwargs)
    lmp = clock.local_today() - dt.timedelta(days=weeks * 7 + days)
    return episodes.open_pregnancy(actor, client.id, lmp)
