"""First start of the default database: a demo hospital in a few seconds, all or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models import audit, db, demo, first_start, staff
from models.schema import Client, Staff

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from models import first_start

def report(done, total):
    print(done, flush=True)

first_start.build_default_database(report)
"""


def test_first_start_builds_a_signed_in_ready_demo_hospital_quickly():
    assert first_start.needs_building(db.default_url())
    seen: list[tuple[int, int]] = []
    cpu = time.process_time()
    summary = first_start.build_default_database(lambda done, total: seen.append((done, total)))
    cpu = time.process_time() - cpu
    assert cpu <= 5.0, f"the first start took {cpu:.1f} s of CPU"
    # a determinate bar: a fixed total, steps that only go forward, ending full
    assert {total for _, total in seen} == {first_start.STEPS}
    steps = [done for done, _ in seen]
    assert steps == sorted(set(steps)) and steps[0] == 0 and steps[-1] == first_start.STEPS
    assert len(steps) > first_start.STEPS // 3
    assert not first_start.needs_building(db.default_url())
    assert not first_start.building_path(first_start.default_path()).exists()
    db.connect()
    try:
        assert summary.clients == Client.select().count() > 30
        assert staff.authenticate("frontdesk", demo.DEMO_PASSWORD).staff.username == "frontdesk"
        assert audit.verify_chain().ok
    finally:
        db.close()


def test_a_failure_half_way_leaves_no_database_and_the_next_start_builds_it():
    def fail_half_way(done: int, total: int) -> None:
        if done > total // 2:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        first_start.build_default_database(fail_half_way)
    final = first_start.default_path()
    assert not final.exists()
    assert not first_start.building_path(final).exists()
    assert first_start.needs_building(db.default_url())


def test_killed_half_way_the_next_start_builds_the_whole_hospital_again():
    """kill -9 in the middle of the demo: no database (never one without staff), then a full one."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    try:
        for line in proc.stdout:
            if int(line) >= first_start.STEPS // 2:
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    final = first_start.default_path()
    assert not final.exists(), "a half-made database was left under the final name"
    assert first_start.leftovers(final) == [first_start.building_path(final, proc.pid)]
    assert first_start.needs_building(db.default_url())

    first_start.build_default_database()
    assert list(final.parent.glob("ffdesk.db.building*")) == []
    db.connect()
    try:
        assert Staff.select().count() == len(demo.DEMO_STAFF)
        assert audit.verify_chain().ok
    finally:
        db.close()


def test_an_empty_default_file_counts_as_first_start_but_another_database_never_does(tmp_path):
    final = first_start.default_path()
    final.parent.mkdir(parents=True, exist_ok=True)
    final.write_bytes(b"")
    assert first_start.needs_building(db.default_url())
    assert not first_start.needs_building(f"sqlite:///{tmp_path / 'other.db'}")
    assert not first_start.needs_building("postgresql://nobody@127.0.0.1/none")


def test_two_first_starts_at_once_share_one_database(tmp_path):
    """A double click: both build, the first to finish names the file, the other keeps it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
        for _ in range(2)
    ]
    assert [proc.wait(120) for proc in procs] == [0, 0]
    final = first_start.default_path()
    assert list(final.parent.glob("ffdesk.db.building*")) == []
    db.connect()
    try:
        assert Staff.select().count() == len(demo.DEMO_STAFF)
        assert audit.verify_chain().ok
    finally:
        db.close()


def test_a_build_of_a_running_process_is_no_leftover():
    final = first_start.default_path()
    final.parent.mkdir(parents=True, exist_ok=True)
    mine = first_start.building_path(final, os.getppid())  # the test runner's parent is alive
    mine.write_bytes(b"building")
    dead = first_start.building_path(final, 2**22 + 12345)
    dead.write_bytes(b"stopped")
    assert first_start.leftovers(final) == [dead]
