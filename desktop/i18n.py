"""Language and font for the Qt application.

Source strings are English inside ``tr()``; Simplified Chinese comes from
``resources/i18n/ffdesk_zh_CN.qm`` and is the default. English is chosen with ``FFDESK_LANG=en``
or the ``language`` setting. Qt's own dialogs use ``qtbase_zh_CN.qm`` shipped with PySide6.

Maintainers regenerate the translation with ``python -m desktop.i18n`` (lupdate over desktop/
and forms/, then lrelease); ``python -m desktop.i18n --check`` fails when a string is untranslated.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from models.db import read_settings_file

log = logging.getLogger("ffdesk.i18n")

LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
ROOT = Path(__file__).resolve().parent.parent
I18N_DIR = ROOT / "resources" / "i18n"
TS_FILE = I18N_DIR / "ffdesk_zh_CN.ts"
QM_FILE = I18N_DIR / "ffdesk_zh_CN.qm"
SOURCE_DIRS = ("desktop", "forms")

_installed: list[QTranslator] = []
_font_family: str | None = None


def chosen_language() -> str:
    """``FFDESK_LANG``, else the ``language`` setting, else Simplified Chinese."""
    lang = os.environ.get("FFDESK_LANG") or read_settings_file().get("language") or DEFAULT_LANGUAGE
    lang = lang.replace("-", "_")
    if lang.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def install_translators(app: QCoreApplication, language: str | None = None) -> str:
    """Load Qt's and ffdesk's translations for ``language``; returns the language installed."""
    language = language or chosen_language()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return language
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase_zh_CN", qt_dir), ("ffdesk_zh_CN", str(I18N_DIR))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("translation %s not found in %s", name, folder)
    return language


def install_font(app: QApplication, point_size: int = 11) -> str | None:
    """Make the Chinese TrueType font that reports use the application font (no tofu on a bare PC).

    The same files in the same order as ``reports.fonts.font_path`` (``FFDESK_FONT``, then the
    system fonts), but checked by Qt: reportlab's check parses the whole font, ~0.25 s of
    start-up, and is done anyway when the first PDF is made.
    """
    global _font_family
    from reports.fonts import ENV_VAR, PROBE, SYSTEM_CANDIDATES

    for path in (os.environ.get(ENV_VAR) or "", *SYSTEM_CANDIDATES):
        if not path or not os.path.isfile(path):
            continue
        font_id = QFontDatabase.addApplicationFont(path)
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        metrics = QFontMetrics(QFont(families[0])) if families else None
        if metrics is None or not all(metrics.inFontUcs4(ord(ch)) for ch in PROBE):
            log.warning("font %s has no Chinese glyphs or Qt cannot load it", path)
            if font_id >= 0:
                QFontDatabase.removeApplicationFont(font_id)
            continue
        _font_family = families[0]
        app.setFont(QFont(_font_family, point_size))
        return _font_family
    log.warning("no Chinese font found: Qt uses the system's fonts")
    return None


def font_family() -> str | None:
    return _font_family


# --- maintenance: lupdate / lrelease -------------------------------------------------------


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / f"pyside6-{name}"
    found = str(here) if here.exists() else shutil.which(f"pyside6-{name}")
    if not found:
        raise RuntimeError(f"pyside6-{name} not found (install PySide6-Essentials)")
    return found


def source_files() -> list[str]:
    files: list[str] = []
    for folder in SOURCE_DIRS:
        files += sorted(str(p) for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)
    return files


def update_ts(ts_file: Path = TS_FILE) -> None:
    """Run lupdate over desktop/ and forms/: new strings appear as unfinished, translations are kept."""
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            _tool("lupdate"),
            "-silent",
            "-locations",
            "none",
            "-no-obsolete",
            *source_files(),
            "-ts",
            str(ts_file),
        ],
        check=True,
    )


def release_qm(ts_file: Path = TS_FILE, qm_file: Path = QM_FILE) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)], check=True)


def _unfinished(translation: ET.Element | None) -> bool:
    if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
        return True
    return not (translation.text or "").strip() and translation.find("numerusform") is None


def untranslated(ts_file: Path = TS_FILE) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    tree = ET.parse(ts_file)
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if _unfinished(translation):
                missing.append((name, message.findtext("source") or ""))
    return missing


def fill_translations(mapping: dict[str, str], ts_file: Path = TS_FILE) -> int:
    """Fill unfinished messages whose source text is a key of ``mapping``; returns how many."""
    tree = ET.parse(ts_file)
    filled = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or source not in mapping:
            continue
        if translation.get("type") == "unfinished" or not (translation.text or "").strip():
            translation.text = mapping[source]
            translation.attrib.pop("type", None)
            filled += 1
    tree.write(ts_file, encoding="utf-8", xml_declaration=True)
    return filled


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    update_ts()
    missing = untranslated()
    for context, source in missing:
        print(f"untranslated: [{context}] {source}")
    release_qm()
    return 1 if ("--check" in argv and missing) else 0


if __name__ == "__main__":
    sys.exit(main())
