"""About: program, version, institution, database, data folder."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from forms.messages import log_path
from forms.session import Session, describe_db
from models.db import data_dir


def _version() -> str:
    try:
        return metadata.version("ffdesk")
    except metadata.PackageNotFoundError:
        return "0"


class AboutDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About"))
        title = QLabel(self.tr("Fertility-friendly service desk"), self)
        font = title.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        title.setFont(font)
        blurb = QLabel(
            self.tr(
                "Issues e-vouchers for the free service packages, records their redemption at each "
                "service point, and prints slips, certificates and finance reports."
            ),
            self,
        )
        blurb.setWordWrap(True)
        form = QFormLayout()
        for label, value in (
            (self.tr("Version:"), _version()),
            (self.tr("Institution:"), session.institution or "—"),
            (self.tr("Database:"), describe_db(session.db_url)),
            (self.tr("Data folder:"), str(data_dir())),
            (self.tr("Log file:"), log_path() or "—"),
        ):
            shown = QLabel(value, self)
            shown.setProperty("data", True)
            shown.setWordWrap(True)
            form.addRow(label, shown)
        buttons = QDialogButtonBox(self)
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
