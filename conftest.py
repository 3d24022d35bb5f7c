"""Root pytest configuration: Qt runs offscreen in every test process."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FFDESK_LANG", "zh_CN")

# CI runs the same hypothesis examples every time (a red CI must mean a regression, not a new
# random draw); developers' runs keep exploring fresh examples.
from hypothesis import settings

from desktop.qt_workarounds import guard_emit_refcount

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")

# PySide6 6.12.0 leaks a reference to True on every emit: the test process is a long desk session.
guard_emit_refcount()
