"""Message boxes for errors: the service's Chinese message, or a pointer to the log file.

A traceback never reaches the user; it goes to the log (see ``desktop.logging_setup``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from models.errors import FfdeskError

log = logging.getLogger("ffdesk.gui")


def log_path() -> str:
    """The file the root logger writes to (empty when logging is not set up)."""
    for handler in logging.getLogger().handlers:
        name = getattr(handler, "baseFilename", None)
        if name:
            return str(name)
    return ""


def error_text(exc: BaseException) -> str:
    if isinstance(exc, FfdeskError):
        return exc.message
    text = QCoreApplication.translate(
        "Messages", "An unexpected error occurred. The details were written to the log file:"
    )
    where = log_path() or QCoreApplication.translate("Messages", "(no log file)")
    return f"{text}\n{where}"


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    """Modal box for ``exc``: domain errors as a warning, anything else as an unexpected error."""
    if not isinstance(exc, FfdeskError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(parent)
    box.setObjectName("errorBox")
    box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, FfdeskError) else QMessageBox.Icon.Critical)
    box.setWindowTitle(
        title
        or (
            QCoreApplication.translate("Messages", "Cannot do that")
            if isinstance(exc, FfdeskError)
            else QCoreApplication.translate("Messages", "Error")
        )
    )
    box.setText(error_text(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(QCoreApplication.translate("Messages", "Yes"), QMessageBox.ButtonRole.YesRole)
    box.addButton(QCoreApplication.translate("Messages", "No"), QMessageBox.ButtonRole.NoRole)
    box.exec()
    return box.clickedButton() is yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """An information box (tests replace this to read the text)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.setObjectName("infoBox")
    box.addButton(QCoreApplication.translate("Messages", "OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
