"""Functions that run in child processes (multiprocessing "spawn" imports them by name).

Each child connects on its own; results travel back through a Queue as plain data.
"""

from __future__ import annotations

import os
import time

from models import audit, db


def keep_writing(url: str, seconds: float, started) -> None:
    """Append audit events (each in its own transaction) for ``seconds``; sets ``started`` first."""
    os.environ.setdefault("FFDESK_WORKSTATION", f"writer-{os.getpid()}")
    db.connect(url)
    started.set()
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        db.run_in_transaction(lambda n=n: audit.record(None, "test.write", "test", n, after={"n": n}))
    db.close()


def long_transaction(url: str, rows: int, ready) -> None:
    """One transaction writing ``rows`` audit events slowly; ``ready`` is set half-way (then kill -9)."""
    db.connect(url)

    def work() -> None:
        for i in range(rows):
            audit.record(None, "test.partial", "test", i, after={"i": i})
            if i == rows // 2:
                db.database.execute_sql("SELECT 1")
                ready.set()
            time.sleep(0.01)

    db.run_in_transaction(work)
    db.close()
