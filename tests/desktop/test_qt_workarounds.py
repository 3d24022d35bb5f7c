"""A long desk session survives PySide6's emit() reference leak (6.12.0)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.qt_workarounds import emit_leaks_true

ROOT = Path(__file__).resolve().parents[2]
SESSION = """
import sys
EMITS = sys.getrefcount(True) + 1000  # more emits than True has references
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
if sys.argv[1] == "guarded":
    from desktop.app import create_application
    create_application()
else:
    QApplication([])

class Model(QObject):
    changed = Signal(int)

model = Model()
model.changed.connect(lambda n: None)
for n in range(EMITS):
    model.changed.emit(n)
print("still running")
"""


def _session(mode: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", SESSION, mode], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )


def test_many_emits_in_the_program_neither_abort_nor_crash_at_exit():
    done = _session("guarded")
    assert done.returncode == 0, done.stderr
    assert "still running" in done.stdout


def test_without_the_guard_the_same_session_aborts_where_the_leak_exists():
    if not emit_leaks_true():
        pytest.skip("this PySide6 does not leak on emit")
    done = _session("bare")
    assert done.returncode != 0
    assert "bool_dealloc" in done.stderr
