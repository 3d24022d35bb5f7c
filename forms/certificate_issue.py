"""Birth certificate screen, issue tab: find the child (by the child's or the mother's ID, phone or
name), complete the data pre-filled from the records, preview, issue and print.

The service's validation message appears under the field it names and the cursor goes there.
Issuing renders the certificate once *before* the serial is consumed, so a text that does not fit
its box never costs a blank form; then it issues, records the print and shows the preview with the
printer's calibration offsets. Assembled with the other tabs in forms/certificates.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forms.certificate_widgets import ERROR_STYLE, fill_table, message_label, read_only_table
from forms.scanner_input import scanner_field
from forms.session import Session
from models import certificates, clients, episodes
from models.errors import FfdeskError, InvalidInput
from models.identity import ID_NONE, ID_TYPE_LABELS
from reports.certificate import render_certificate


class IssueTab(QWidget):
    """Find the child, check and complete the data, preview, issue and print."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificateIssueTab")
        self.session = session
        self.episode_id: int | None = None
        self.supersedes: str | None = None  # the certificate a re-issue or replacement names
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        # hooks tests replace: show a PDF (preview / print dialog), returns whether it was printed
        self.preview: Callable[[bytes, str], bool] = self._preview

        self.search = QLineEdit(self)
        self.search.setObjectName("certSearch")
        self.search.setPlaceholderText(self.tr("Child's or mother's ID number, mobile or name — Enter"))
        self.search.returnPressed.connect(self.do_search)
        scanner_field(self.search)  # the ID card reader types here, past the input method
        self.found = QListWidget(self)
        self.found.setObjectName("childEpisodes")
        self.found.setMaximumHeight(90)
        self.found.hide()
        self.found.itemActivated.connect(lambda item: self.load_episode(item.data(Qt.ItemDataRole.UserRole)))

        newborn = QGroupBox(self.tr("Newborn"), self)
        nf = QFormLayout(newborn)
        self._line(nf, "newborn.name", self.tr("Name:"))
        self._combo(nf, "newborn.sex", self.tr("Sex:"), [(self.tr("Male"), "M"), (self.tr("Female"), "F")])
        self._line(nf, "newborn.birth_time", self.tr("Birth time:"), self.tr("year-month-day hour:minute"))
        self._line(nf, "newborn.gestational_weeks", self.tr("Gestational weeks:"))
        self._line(nf, "newborn.weight_g", self.tr("Weight (g):"))
        self._line(nf, "newborn.length_cm", self.tr("Length (cm):"))
        self._combo(nf, "newborn.health", self.tr("Health:"), [(v, v) for v in certificates.HEALTH_VALUES])
        # the form prints 省 / 市 / 县（区） after these boxes: the name alone goes in
        self._line(nf, "newborn.birthplace.province", self.tr("Province:"), self.tr("name only, e.g. Hunan"))
        self._line(nf, "newborn.birthplace.city", self.tr("City:"), self.tr("name only, e.g. Changsha"))
        self._line(
            nf, "newborn.birthplace.county", self.tr("County / district:"), self.tr("name only, e.g. Tianxin")
        )
        parents = []
        for who, title in (("mother", self.tr("Mother")), ("father", self.tr("Father (optional)"))):
            box = QGroupBox(title, self)
            pf = QFormLayout(box)
            self._line(pf, f"{who}.name", self.tr("Name:"))
            self._line(pf, f"{who}.age", self.tr("Age:"))
            self._line(pf, f"{who}.nationality", self.tr("Nationality:"))
            self._line(pf, f"{who}.ethnicity", self.tr("Ethnicity:"))
            self._combo(
                pf,
                f"{who}.id_type",
                self.tr("ID type:"),
                [(v, k) for k, v in ID_TYPE_LABELS.items() if k != ID_NONE],
            )
            self._line(pf, f"{who}.id_number", self.tr("ID number:"))
            parents.append(box)
        issue_box = QGroupBox(self.tr("Issue"), self)
        xf = QFormLayout(issue_box)
        self._line(xf, "institution", self.tr("Delivering institution:"))
        self._line(xf, "issued_on", self.tr("Issue date:"), self.tr("year-month-day"))
        self._combo(xf, "kind", self.tr("Kind:"), [(v, k) for k, v in certificates.KIND_LABELS.items()])
        self._line(xf, "reason", self.tr("Reason (re-issue / replacement):"))
        self.next_serial = message_label(self, "nextSerial")
        xf.addRow(self.tr("Next form:"), self.next_serial)

        grid = QGridLayout()
        grid.addWidget(newborn, 0, 0, 2, 1)
        grid.addWidget(parents[0], 0, 1)
        grid.addWidget(parents[1], 0, 2)
        grid.addWidget(issue_box, 1, 1, 1, 2)
        inner = QWidget(self)
        inner.setLayout(grid)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)

        self.issued = read_only_table(
            self, [self.tr("Serial"), self.tr("Kind"), self.tr("Issued on"), self.tr("State")]
        )
        self.issued.setObjectName("issuedCertificates")
        self.issued.setMaximumHeight(90)
        self.status = message_label(self, "certStatus")
        self.preview_button = QPushButton(self.tr("Preview (Ctrl+R)"), self)
        self.preview_button.clicked.connect(self.preview_draft)
        self.issue_button = QPushButton(self.tr("Issue and print (Ctrl+Enter)"), self)
        self.issue_button.setObjectName("issueCertificate")
        self.issue_button.clicked.connect(self.issue_and_print)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.issue_button)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.found)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.issued)
        layout.addLayout(buttons)
        for key, slot in (("Ctrl+R", self.preview_draft), ("Ctrl+Return", self.issue_and_print)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._enable(False)

    # --- field helpers ------------------------------------------------------------------------
    def _add(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        widget.setObjectName(key)
        error = QLabel(self)
        error.setObjectName(f"error:{key}")
        error.setProperty("data", True)
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        cell = QWidget(self)
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(widget)
        box.addWidget(error)
        form.addRow(label, cell)
        self.fields[key] = widget
        self.errors[key] = error

    def _line(self, form: QFormLayout, key: str, label: str, placeholder: str = "") -> None:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        self._add(form, key, label, edit)

    def _combo(self, form: QFormLayout, key: str, label: str, items: list[tuple[str, str]]) -> None:
        combo = QComboBox(self)
        for text, data in items:
            combo.addItem(text, data)
        self._add(form, key, label, combo)

    def value(self, key: str) -> str:
        widget = self.fields[key]
        if isinstance(widget, QComboBox):
            return widget.currentData() or ""
        assert isinstance(widget, QLineEdit)
        return widget.text().strip()

    def set_value(self, key: str, value: Any) -> None:
        widget = self.fields.get(key)
        if widget is None:
            return
        text = "" if value is None else str(value)
        if isinstance(widget, QComboBox):
            index = widget.findData(text)
            widget.setCurrentIndex(index if index >= 0 else 0)
        else:
            assert isinstance(widget, QLineEdit)
            widget.setText(text)

    def _enable(self, enabled: bool) -> None:
        for widget in (*self.fields.values(), self.preview_button, self.issue_button):
            widget.setEnabled(enabled)

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.status.setStyleSheet("")
        self.status.clear()

    def show_error(self, exc: FfdeskError) -> None:
        """The message under the field it names (cursor there), else in the status line."""
        key = exc.details.get("field") if isinstance(exc, InvalidInput) else None
        if key in self.errors:
            self.errors[key].setText(exc.message)
            self.errors[key].show()
            self.fields[key].setFocus()
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(exc.message)

    # --- finding the child ---------------------------------------------------------------------
    def do_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        actor = self.session.actor
        self.clear_record()  # whatever the search finds, the previous child is gone
        try:
            seen: set[int] = set()
            for client in clients.find_clients(actor, text):
                people = [client.id] + [
                    link.client.id
                    for link in clients.client_detail(actor, client.id).links
                    if link.kind in ("mother_child", "father_child") and link.role == "子女"
                ]
                for person in people:
                    for ep in episodes.episodes_of(actor, person):
                        if ep.kind != "child" or ep.client_id != person or ep.id in seen:
                            continue
                        seen.add(ep.id)
                        current = certificates.current_certificate(ep.id)
                        held = current.serial if current else self.tr("no certificate yet")
                        item = QListWidgetItem(
                            f"{ep.client_name_masked}　{ep.birth_date or ''}　{ep.age_label or ''}　{held}"
                        )
                        item.setData(Qt.ItemDataRole.UserRole, ep.id)
                        self.found.addItem(item)
        except FfdeskError as exc:
            self.show_error(exc)
            return
        self.found.setVisible(self.found.count() > 1)
        if self.found.count() == 1:
            self.load_episode(self.found.item(0).data(Qt.ItemDataRole.UserRole))
        elif self.found.count():
            self.found.setCurrentRow(0)
            self.found.setFocus()
        else:
            self.status.setText(self.tr("No child episode found: open one at the front desk first."))

    def clear_record(self) -> None:
        """No child on screen: empty fields, no issued list, nothing to preview or issue."""
        self.episode_id = None
        self.found.clear()
        self.found.hide()
        for key in self.fields:
            self.set_value(key, "")
        self.clear_errors()
        fill_table(self.issued, [])
        self._enable(False)

    def load_episode(self, episode_id: int) -> None:
        try:
            draft = certificates.draft_from_episode(episode_id)
        except FfdeskError as exc:
            self.clear_record()
            self.show_error(exc)
            return
        self.episode_id = episode_id
        for key in self.fields:
            self.set_value(key, "")
        self.set_value("newborn.health", certificates.HEALTH_VALUES[0])
        self.set_value("mother.nationality", "中国")
        for section in ("newborn", "mother", "father"):
            for key, value in (draft.get(section) or {}).items():
                self.set_value(f"{section}.{key}", value)
        self.set_value("mother.id_type", (draft.get("mother") or {}).get("id_type") or "resident")
        self.set_value("father.id_type", (draft.get("father") or {}).get("id_type") or "resident")
        self.set_value("institution", draft.get("institution"))
        self.set_value("issued_on", draft.get("issued_on"))
        current = certificates.current_certificate(episode_id)
        head = certificates.chain_head(episode_id)
        # a re-issue or replacement names the certificate shown here: if another desk replaced it
        # meanwhile, the service refuses and says which one is current
        self.supersedes = head.serial if head else None
        self.set_value("kind", certificates.REISSUE if current else certificates.FIRST)
        self._enable(True)
        self.clear_errors()
        self.refresh()
        first_empty = next(
            (
                k
                for k, w in self.fields.items()
                if isinstance(w, QLineEdit) and not w.text() and k != "reason"
            ),
            "newborn.birth_time",
        )
        self.fields[first_empty].setFocus()

    def refresh(self) -> None:
        desk = self.session.actor.workstation if self.session.actor else ""
        serial = certificates.next_serial(desk)
        self.next_serial.setText(
            serial or self.tr("none at this desk (%1): ask for forms to be assigned").replace("%1", desk)
        )
        rows = []
        if self.episode_id is not None:
            for view in certificates.certificates_of_episode(self.episode_id):
                state = self.tr("valid") if view.valid else self.tr("voided")
                rows.append([view.serial, view.kind_label, view.issued_on.isoformat(), state])
        fill_table(self.issued, rows)

    def collect(self) -> dict[str, Any]:
        data: dict[str, Any] = {"newborn": {"birthplace": {}}, "mother": {}, "father": {}}
        for key in self.fields:
            parts = key.split(".")
            if parts[0] in ("institution", "issued_on", "kind", "reason"):
                continue
            target = data
            for part in parts[:-1]:
                target = target[part]
            target[parts[-1]] = self.value(key)
        father = data["father"]
        if not any(v for k, v in father.items() if k not in ("id_type", "nationality")):
            data["father"] = None
        data["institution"] = self.value("institution")
        data["issued_on"] = self.value("issued_on")
        return data

    # --- printing ------------------------------------------------------------------------------
    def offsets(self) -> tuple[str, float, float]:
        printer = self.session.printers.get("certificate", "")
        calibration = certificates.get_calibration(printer) if printer else certificates.Calibration()
        return printer, calibration.dx_mm, calibration.dy_mm

    def render(self, clean: dict[str, Any], serial: str, preview: bool) -> bytes:
        _printer, dx, dy = self.offsets()
        return render_certificate(
            certificates.print_values(clean, serial), dx_mm=dx, dy_mm=dy, preview=preview
        )

    def preview_draft(self) -> bytes | None:
        if self.episode_id is None:
            return None
        self.clear_errors()
        try:
            clean = certificates.validate_data(self.collect())
            desk = self.session.actor.workstation
            pdf = self.render(clean, certificates.next_serial(desk) or "", preview=True)
        except FfdeskError as exc:
            self.show_error(exc)
            return None
        self.preview(pdf, self.tr("Certificate preview"))
        return pdf

    def issue_and_print(self) -> certificates.CertificateView | None:
        if self.episode_id is None:
            return None
        self.clear_errors()
        actor = self.session.actor
        try:
            clean = certificates.validate_data(self.collect())
            # everything must fit its box before a serial is consumed
            self.render(clean, certificates.next_serial(actor.workstation) or "", preview=False)
            view = certificates.issue(
                actor,
                self.episode_id,
                self.value("kind"),
                clean,
                reason=self.value("reason"),
                replaces=self.supersedes,
            )
            self.supersedes = view.serial  # the next re-issue from this screen replaces this one
            certificates.record_print(actor, view.serial)
            pdf = self.render(view.data, view.serial, preview=False)
        except FfdeskError as exc:
            self.show_error(exc)
            self.refresh()
            return None
        self.refresh()
        self.status.setText(
            self.tr("%1 issued on form %2: put that blank form into the printer.")
            .replace("%1", view.kind_label)
            .replace("%2", view.serial)
        )
        self.preview(pdf, self.tr("Birth medical certificate %1").replace("%1", view.serial))
        return view

    def _preview(self, pdf: bytes, title: str) -> bool:
        from forms.pdf_preview import PdfPreviewDialog

        printer, _dx, _dy = self.offsets()
        dialog = PdfPreviewDialog(pdf, title, printer, self)
        dialog.exec()
        return dialog.printed
