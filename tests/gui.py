"""Helpers for GUI tests: a Chinese application, what the user sees, and no English left in it."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)

# Words that are the same in the Chinese UI: product and format names.
ALLOWED_WORDS = {
    "SQLite",
    "PostgreSQL",
    "PDF",
    "CSV",
    "XLSX",
    "Excel",
    "ID",
    "Ctrl",
    "Shift",
    "Enter",
    "Esc",
    "F1",
    "ffdesk",
    "Qt",
    "A4",
    "mm",
}
_WORD = re.compile(r"[A-Za-z]{2,}")


def chrome_texts(root: QWidget) -> list[str]:
    """Every piece of interface text (not data) visible in ``root`` and its children."""
    texts = [root.windowTitle()]
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisibleTo(root) and w is not root:
            continue
        if w.objectName() in ("statusDb",):
            continue  # shows a path
        if (isinstance(w, QLabel) and not w.property("data")) or isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, (QTableView, QTreeView)) and w.model() is not None:
            model = w.model()
            texts += [
                str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())
            ]
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            texts.append(action.text())
            if action.menu():
                texts += [a.text() for a in action.menu().actions()]
    return [t for t in texts if t]


def english_words(root: QWidget) -> list[str]:
    found = []
    for text in chrome_texts(root):
        plain = re.sub(r"<[^>]+>", "", text)  # rich text tags
        plain = re.sub(r"&(?=\w)", "", plain)
        found += [w for w in _WORD.findall(plain) if w not in ALLOWED_WORDS]
    return found
