"""Counting client searches of accounts without ``pii.reveal``, and stopping enumeration.

A masked ID number leaves thousands of candidates, but an exact search answers "yes" or "no"
for one of them: walking the candidates one search at a time would give the full number. So
for every account without ``pii.reveal`` each search is counted (per local day, in the
``search_watch`` row of the account), and each *miss* on a well-formed full ID number or mobile
number — one that passes its check character, which is what an enumeration types — counts as
a miss. At :data:`MISS_LIMIT` misses in a day the account's search is locked (audit event
``client.search_locked``) until an administrator unlocks the account. Registering a new client
forgives one miss (the front desk searches a number before registering it); the registration
itself is an audit event, so this cannot hide a walk.

All counting is one atomic UPDATE per search, so searches at two desks add up.
"""

from __future__ import annotations

import peewee as pw

from models import audit, clock, identity
from models.db import database
from models.errors import InvalidInput, NotPermitted
from models.masking import sees_pii
from models.permissions import Actor
from models.schema import SearchWatch

MISS_LIMIT = 5
LOCKED_MESSAGE = "本账号按证件号或手机号查询未命中的次数异常，查询已被锁定，请联系管理员解锁"


def is_full_number(text: str) -> bool:
    """A full resident ID number or mainland mobile number that passes its own checks."""
    try:
        identity.validate_resident_id(text)
        return True
    except InvalidInput:
        pass
    try:
        identity.validate_mobile(text)
        return True
    except InvalidInput:
        return False


def check_not_locked(actor: Actor) -> None:
    """Refuse a search before it runs when the account's search is locked."""
    if sees_pii(actor):
        return
    locked = SearchWatch.select(SearchWatch.locked_at).where(SearchWatch.staff == actor.staff.id).scalar()
    if locked is not None:
        raise NotPermitted(LOCKED_MESSAGE)


def _count(actor: Actor, missed: int) -> tuple[int, bool]:
    """One atomic UPDATE: count the search (and the miss) for today. Returns (misses, locked)."""
    today = clock.local_today()
    SearchWatch.insert(staff=actor.staff.id, day=today, searches=0, misses=0).on_conflict_ignore().execute()
    same_day = SearchWatch.day == today
    rows = list(
        SearchWatch.update(
            searches=pw.Case(None, [(same_day, SearchWatch.searches + 1)], 1),
            misses=pw.Case(None, [(same_day, SearchWatch.misses + missed)], missed),
            day=today,
        )
        .where(SearchWatch.staff == actor.staff.id)
        .returning(SearchWatch.misses, SearchWatch.locked_at)
        .tuples()
        .execute()
    )
    misses, locked_at = rows[0]
    return misses, locked_at is not None


def record_search(actor: Actor, query: str, found: bool) -> None:
    """Count one search by ``actor``; lock the account's search at too many misses (and refuse)."""
    if sees_pii(actor):
        return
    missed = int(not found and is_full_number(query))
    with database.atomic():
        misses, locked = _count(actor, missed)
        if misses < MISS_LIMIT or locked:
            return
        newly = (
            SearchWatch.update(locked_at=clock.utcnow())
            .where(SearchWatch.staff == actor.staff.id, SearchWatch.locked_at.is_null())
            .execute()
        )
        if newly:
            audit.record(
                actor,
                "client.search_locked",
                "staff",
                actor.staff.id,
                after={"misses": misses, "limit": MISS_LIMIT},
            )
    raise NotPermitted(LOCKED_MESSAGE)


def forgive_one_miss(actor: Actor) -> None:
    """A new client registered by ``actor``: the search that preceded it was not a probe."""
    SearchWatch.update(misses=pw.Case(None, [(SearchWatch.misses > 0, SearchWatch.misses - 1)], 0)).where(
        SearchWatch.staff == actor.staff.id, SearchWatch.locked_at.is_null()
    ).execute()


def unlock(staff_id: int) -> bool:
    """Lift a search lock (an administrator's unlock of the account). True when one was lifted."""
    return bool(
        SearchWatch.update(locked_at=None, misses=0)
        .where(SearchWatch.staff == staff_id, SearchWatch.locked_at.is_null(False))
        .execute()
    )
