"""Root pytest configuration: Qt runs offscreen in every test process."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FFDESK_LANG", "zh_CN")
