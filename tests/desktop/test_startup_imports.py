"""Start-up imports: the sign-in window loads none of the heavy libraries; the CLI never loads Qt.

Each check runs in a fresh interpreter, so what this test process imported does not count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Needed only after sign-in (documents, Excel export, pinyin search, PostgreSQL) or by one screen.
HEAVY = ("reportlab", "openpyxl", "pypinyin", "playhouse.postgres_ext", "desktop.documents", "models.clients")


def _modules_after(code: str, tmp_path: Path) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FFDESK_HOME=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_sign_in_window_imports_no_report_excel_pinyin_or_screen_module(tmp_path):
    loaded = _modules_after(
        f"""
from desktop.app import DeskApp, create_application, open_database
from desktop.settings import DeskSettings
from forms.login import LoginDialog
app = create_application()
url, _ = open_database("sqlite:///{tmp_path}/desk.db")
desk = DeskApp(url, DeskSettings.load())
dialog = LoginDialog(None, parent=desk.window)
dialog.show()
app.processEvents()
""",
        tmp_path,
    )
    assert [m for m in HEAVY if m in loaded] == []
    screens = sorted(
        m for m in loaded if m.startswith("forms.") and m not in {"forms.login", "forms.session"}
    )
    assert screens == ["forms.messages"]


def test_every_cli_command_module_imports_no_qt(tmp_path):
    loaded = _modules_after(
        """
import importlib, pkgutil
import desktop.cli
for info in pkgutil.iter_modules(desktop.cli.__path__):
    importlib.import_module("desktop.cli." + info.name)
""",
        tmp_path,
    )
    assert "desktop.cli.voucher_cmd" in loaded
    assert [m for m in loaded if m.startswith("PySide6")] == []


def test_application_font_is_the_font_the_reports_embed(qapp):
    from PySide6.QtGui import QFontDatabase

    from desktop import i18n
    from reports.fonts import font_path

    family = i18n.install_font(qapp)
    assert family is not None
    assert qapp.font().family() == family
    reports_font = QFontDatabase.addApplicationFont(font_path())
    assert family == QFontDatabase.applicationFontFamilies(reports_font)[0]
