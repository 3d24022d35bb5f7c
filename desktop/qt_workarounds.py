"""Work-arounds for defects of the installed Qt for Python, applied only where the defect shows.

PySide6 6.12.0: every ``SignalInstance.emit()`` returns ``True`` without taking a reference to
it, so each emit from Python lowers the reference count of ``True`` by one. After a few thousand
emits (a busy afternoon at the desk: each background operation, each page of the voucher list)
the count reaches zero and Python aborts with "Fatal Python error: bool_dealloc"; fewer emits
still abort the process when it exits. :func:`guard_emit_refcount` checks one emit and, when it
leaks, gives ``True`` a reference count no program can use up (Python 3.12 makes ``True``
immortal the same way).
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("ffdesk.qt")

_RESERVE = 1 << 40
_checked = False


class _Probe(QObject):
    fired = Signal()


def emit_leaks_true() -> bool:
    """Whether an emit lowers the reference count of ``True`` (PySide6 6.12.0)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    probe.fired.emit()
    return sys.getrefcount(True) < before


def guard_emit_refcount() -> bool:
    """Once per process: protect ``True`` when emits leak; returns whether it was needed."""
    global _checked
    if _checked:
        return False
    _checked = True
    if not emit_leaks_true():
        return False
    refcount = ctypes.c_ssize_t.from_address(id(True))
    refcount.value += _RESERVE
    log.info("PySide6 emit() reference leak on True detected: work-around applied")
    return True
