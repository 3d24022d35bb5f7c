"""The embedded default database on the program's first start: a demo hospital, all or nothing.

The database is built in a file beside the final one (``ffdesk.db.building-PID``): schema,
default catalog and a small demo hospital. Only when all of it is written is the file closed and
given its final name, so a program stopped half-way leaves no half-made database — the next start
finds no database, removes the leftover and builds it again. Two first starts at once (a double
click) each build their own file; the first to finish names it, the other keeps that one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from models import db

log = logging.getLogger("ffdesk.first_start")

Progress = Callable[[int, int], None]
STEPS = 100  # per cent; each step is reported once (a signal per step reaches the GUI thread)
BUILDING_SUFFIX = ".building"
STALE_SECONDS = 3600
# share of the progress bar for each stage (the demo hospital takes nearly all of the time)
SCHEMA_DONE = 6
CATALOG_DONE = 10


def default_path() -> Path:
    return Path(db.default_url()[len("sqlite:///") :])


def needs_building(url: str) -> bool:
    """True for the default SQLite database when it does not exist yet (or is an empty file)."""
    if url != db.default_url():
        return False
    path = default_path()
    return not path.exists() or path.stat().st_size == 0


def building_path(path: Path, pid: int | None = None) -> Path:
    return path.with_name(f"{path.name}{BUILDING_SUFFIX}-{os.getpid() if pid is None else pid}")


def leftovers(path: Path) -> list[Path]:
    """Files of builds that are not running any more (a stopped first start)."""
    found = []
    for candidate in path.parent.glob(f"{path.name}{BUILDING_SUFFIX}-*"):
        pid = candidate.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _running(int(pid), candidate):
            found.append(candidate)
    return found


def _running(pid: int, candidate: Path) -> bool:
    if pid == os.getpid():
        return False
    if os.name == "posix":
        try:
            os.kill(pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    try:  # elsewhere: a build touches its file every moment; one idle for an hour is dead
        return time.time() - candidate.stat().st_mtime < STALE_SECONDS
    except FileNotFoundError:
        return False


def _remove_journals(path: Path) -> None:
    """SQLite's side files of ``path`` (write-ahead log, shared memory, rollback journal)."""
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _remove_with_journals(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    _remove_journals(path)


def build_default_database(progress: Progress | None = None, path: Path | None = None):
    """Build the default database with its demo hospital, atomically; returns the demo summary.

    ``progress(done, total)`` is called as the work goes on (``total`` is :data:`STEPS`).
    The connection of the calling thread is closed at the end; the caller connects to the
    finished database.
    """
    from models import catalog, demo, migrations

    report = _forward_only(progress)
    final = path or default_path()
    temp = building_path(final)
    for leftover in [*leftovers(final), temp]:
        _remove_with_journals(leftover)
    report(0, STEPS)
    try:
        db.connect(f"sqlite:///{temp}")
        migrations.migrate()
        report(SCHEMA_DONE, STEPS)
        catalog.load_catalog(catalog.default_catalog_path())
        report(CATALOG_DONE, STEPS)
        span = STEPS - CATALOG_DONE - 1
        summary = demo.build_demo(
            small=True,
            progress=lambda done, total: report(CATALOG_DONE + done * span // max(total, 1), STEPS),
        )
        db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        db.close()
        _remove_with_journals(temp)
        raise
    db.close()  # the last connection: SQLite folds the write-ahead log into the file
    _publish(temp, final)
    report(STEPS, STEPS)
    log.info("first start: demo database built in %.1f s", summary.seconds)
    return summary


def _publish(temp: Path, final: Path) -> None:
    """Give the finished file its final name, unless another first start already did."""
    if final.exists() and final.stat().st_size == 0:  # an empty file is no database: replace it
        final.unlink()
        _remove_journals(final)
    try:
        os.link(temp, final)  # never replaces: a database another desk process opened stays
    except FileExistsError:
        log.info("first start: another process built the database first; keeping that one")
    except OSError:  # a file system without hard links
        if not final.exists():
            os.replace(temp, final)
    _remove_with_journals(temp)
    _sync_folder(final.parent)


def _forward_only(progress: Progress | None) -> Progress:
    """``progress`` called only when the bar moves forward."""
    shown = -1

    def report(done: int, total: int) -> None:
        nonlocal shown
        if progress is not None and done > shown:
            shown = done
            progress(done, total)

    return report


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
