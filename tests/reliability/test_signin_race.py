"""Issue 15 point 3: sign-in that holds under parallel attempts, answered in the same time."""

from __future__ import annotations

import threading
import time

import pytest

from models import passwords, staff
from models.db import database
from models.errors import NotPermitted
from models.schema import AuditEvent, Staff
from tests.helpers import PASSWORD, make_actor

WRONG = "Wrong-Pass-1"


def _attempt(password: str, barrier: threading.Barrier, results: list, index: int) -> None:
    """One desk: its own connection (peewee connects per thread), all starting at the same moment."""
    try:
        barrier.wait()
        staff.authenticate("nurse1", password)
        results[index] = "signed in"
    except NotPermitted as exc:
        results[index] = exc.message
    finally:
        database.close()


def test_sixteen_simultaneous_attempts_with_fifteen_wrong_leave_the_account_locked(db_url):
    make_actor("nurse", username="nurse1")
    database.close()  # the test's own connection is not shared with the threads
    guesses = [WRONG] * 15 + [PASSWORD]
    results: list[str | None] = [None] * len(guesses)
    barrier = threading.Barrier(len(guesses))
    threads = [
        threading.Thread(target=_attempt, args=(pw, barrier, results, i)) for i, pw in enumerate(guesses)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert time.monotonic() - started < 30
    assert results[-1] != "signed in", results
    assert all(isinstance(r, str) for r in results), results  # every desk got a Chinese answer
    row = Staff.get(Staff.username == "nurse1")
    assert row.locked_until is not None
    with pytest.raises(NotPermitted, match="锁定"):  # and afterwards too
        staff.authenticate("nurse1", PASSWORD)
    assert AuditEvent.select().where(AuditEvent.action == "staff.login").count() == 0


def test_a_right_password_never_clears_a_lock_reached_while_it_was_hashed(db_url, monkeypatch):
    """The race of the issue, made deterministic: five failures land while the right one hashes."""
    make_actor("nurse", username="nurse1")
    real_verify = passwords.verify_password
    fired = []

    def verify(password: str, stored: str) -> bool:
        if password == PASSWORD and not fired:
            fired.append(True)
            for _ in range(staff.MAX_FAILURES):
                with pytest.raises(NotPermitted):
                    staff.authenticate("nurse1", WRONG)
        return real_verify(password, stored)

    monkeypatch.setattr(staff, "verify_password", verify)
    with pytest.raises(NotPermitted, match="锁定"):
        staff.authenticate("nurse1", PASSWORD)
    assert Staff.get(Staff.username == "nurse1").locked_until is not None


@pytest.mark.parametrize("case", ["unknown", "wrong", "disabled", "locked", "no password"])
def test_every_refusal_computes_one_password_hash(db_url, monkeypatch, case):
    admin = make_actor("admin", username="root")
    make_actor("nurse", username="nurse1")
    if case == "disabled":
        staff.disable_staff(admin, "nurse1")
    if case == "locked":
        for _ in range(staff.MAX_FAILURES):
            with pytest.raises(NotPermitted):
                staff.authenticate("nurse1", WRONG)
    if case == "no password":
        staff.add_staff(admin, "nurse2", "护士二", frozenset({"nurse"}))
    calls = []
    real_verify = passwords.verify_password
    monkeypatch.setattr(staff, "verify_password", lambda p, s: calls.append(s) or real_verify(p, s))
    name = {"unknown": "nobody", "no password": "nurse2"}.get(case, "nurse1")
    with pytest.raises(NotPermitted):
        staff.authenticate(name, PASSWORD if case in ("disabled", "locked") else WRONG)
    assert len(calls) == 1
