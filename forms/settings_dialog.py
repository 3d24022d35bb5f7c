"""Settings: database, institution, this desk's service point, printers, idle lock, language.

Works on a plain dict (keys of ``desktop.settings.DeskSettings``) so that forms/ does not
depend on the shell. The institution name is hospital-wide: it is saved through
``models.settings`` and only editable with the ``settings.manage`` permission.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forms.session import DOCUMENT_TYPES, SLIP_PAPERS, Session
from models import catalog, settings
from models.errors import FfdeskError, InvalidInput

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}


class SettingsDialog(QDialog):
    def __init__(self, session: Session, values: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.session = session
        self.initial = dict(values)

        self.database_url = QLineEdit(str(values.get("database_url", "")), self)
        self.database_url.setObjectName("databaseUrl")
        self.database_url.setPlaceholderText(self.tr("Empty: the embedded database in the data folder"))
        self.institution = QLineEdit(str(values.get("institution", "")), self)
        self.institution.setObjectName("institution")
        self.institution.setEnabled(session.can("settings.manage"))
        self.service_point = QComboBox(self)
        self.service_point.setObjectName("servicePoint")
        self.service_point.addItem(self.tr("(none: front desk or office)"), "")
        for point in catalog.service_points():
            self.service_point.addItem(point.name, point.code)
        index = self.service_point.findData(values.get("service_point", "") or "")
        self.service_point.setCurrentIndex(max(index, 0))

        printers = values.get("printers", {}) or {}
        self.printer_boxes: dict[str, QComboBox] = {}
        names = QPrinterInfo.availablePrinterNames()
        for doc in DOCUMENT_TYPES:
            box = QComboBox(self)
            box.setObjectName(f"printer_{doc}")
            box.addItem(self.tr("(system default)"), "")
            for name in names:
                box.addItem(name, name)
            chosen = printers.get(doc, "")
            if chosen and box.findData(chosen) < 0:
                box.addItem(chosen, chosen)
            box.setCurrentIndex(max(box.findData(chosen), 0))
            self.printer_boxes[doc] = box
        papers = values.get("papers", {}) or {}
        self.slip_paper = QComboBox(self)
        self.slip_paper.setObjectName("slipPaper")
        paper_labels = {"roll80": self.tr("80 mm receipt roll"), "a4": "A4", "a5": "A5"}
        for paper in SLIP_PAPERS:
            self.slip_paper.addItem(paper_labels[paper], paper)
        self.slip_paper.setCurrentIndex(max(self.slip_paper.findData(papers.get("slip", "roll80")), 0))

        self.idle_minutes = QSpinBox(self)
        self.idle_minutes.setObjectName("idleMinutes")
        self.idle_minutes.setRange(0, 240)
        self.idle_minutes.setSuffix(self.tr(" min"))
        self.idle_minutes.setSpecialValueText(self.tr("never"))
        self.idle_minutes.setValue(int(values.get("idle_minutes", 10)))
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(self.language.findData(values.get("language", "zh_CN")), 0))

        desk = QGroupBox(self.tr("This desk"), self)
        desk_form = QFormLayout(desk)
        desk_form.addRow(self.tr("&Database:"), self.database_url)
        desk_form.addRow(self.tr("Service &point:"), self.service_point)
        desk_form.addRow(self.tr("&Slip printer:"), self.printer_boxes["slip"])
        desk_form.addRow(self.tr("Slip pape&r:"), self.slip_paper)
        desk_form.addRow(self.tr("Rece&ipt printer (80 mm):"), self.printer_boxes["receipt"])
        desk_form.addRow(self.tr("Rep&ort printer (A4):"), self.printer_boxes["report"])
        desk_form.addRow(self.tr("&Certificate printer:"), self.printer_boxes["certificate"])
        desk_form.addRow(self.tr("&Lock after idle:"), self.idle_minutes)
        desk_form.addRow(self.tr("Lan&guage:"), self.language)
        hospital = QGroupBox(self.tr("Hospital"), self)
        hospital_form = QFormLayout(hospital)
        hospital_form.addRow(self.tr("&Institution name:"), self.institution)

        self.note = QLabel(
            self.tr("A new database or language takes effect after the program restarts."), self
        )
        self.note.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setProperty("data", True)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        save = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setObjectName("saveButton")
        save.setDefault(True)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(desk)
        layout.addWidget(hospital)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self._result: dict[str, Any] = dict(values)

    def values(self) -> dict[str, Any]:
        return {
            "database_url": self.database_url.text().strip(),
            "service_point": self.service_point.currentData() or "",
            "printers": {doc: box.currentData() or "" for doc, box in self.printer_boxes.items()},
            "papers": {"slip": self.slip_paper.currentData() or "roll80"},
            "idle_minutes": self.idle_minutes.value(),
            "language": self.language.currentData(),
            "institution": self.institution.text().strip(),
        }

    def result_values(self) -> dict[str, Any]:
        return dict(self._result)

    def save(self) -> None:
        values = self.values()
        url = values["database_url"]
        try:
            if url and not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
                raise InvalidInput(
                    self.tr("The database address must start with sqlite:/// or postgresql://")
                )
            if self.institution.isEnabled() and values["institution"] != self.initial.get("institution", ""):
                assert self.session.actor is not None
                settings.put(self.session.actor, "institution_name", values["institution"])
        except FfdeskError as exc:
            self.error.setText(exc.message)
            return
        self._result = values
        self.accept()
