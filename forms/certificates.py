"""Birth medical certificates (出生医学证明): issue onto the numbered form, stock, void and destroy.

Three tabs. **Issue**: find the child (by the child's or the mother's ID, phone or name), the form
is pre-filled from the records (``draft_from_episode``); the service's validation message appears
under the field it names and the cursor goes there. Issuing renders the certificate once *before*
the serial is consumed, so a text that does not fit its box never costs a blank form; then it
issues, records the print and shows the preview with the printer's calibration offsets.
**Stock**: receive a serial range, hand a range to a desk, the stock report for a period with its
balance check. **Void / destroy**: void a form with the approving supervisor's user name and
password; mark voided forms destroyed with date and witness.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forms.session import Session
from models import certificates, clients, clock, episodes, staff
from models.errors import FfdeskError, InvalidInput
from models.identity import ID_NONE, ID_TYPE_LABELS
from reports.certificate import render_certificate

ERROR_STYLE = "color: #b00020;"


def _date_edit(parent: QWidget, value: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def _message_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setProperty("data", True)
    label.setWordWrap(True)
    return label


# --- issue ------------------------------------------------------------------------------------------


class IssueTab(QWidget):
    """Find the child, check and complete the data, preview, issue and print."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificateIssueTab")
        self.session = session
        self.episode_id: int | None = None
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        # hooks tests replace: show a PDF (preview / print dialog), returns whether it was printed
        self.preview: Callable[[bytes, str], bool] = self._preview

        self.search = QLineEdit(self)
        self.search.setObjectName("certSearch")
        self.search.setPlaceholderText(self.tr("Child's or mother's ID number, mobile or name — Enter"))
        self.search.returnPressed.connect(self.do_search)
        self.found = QListWidget(self)
        self.found.setObjectName("childEpisodes")
        self.found.setMaximumHeight(90)
        self.found.hide()
        self.found.itemActivated.connect(lambda item: self.load_episode(item.data(Qt.ItemDataRole.UserRole)))

        newborn = QGroupBox(self.tr("Newborn"), self)
        nf = QFormLayout(newborn)
        self._line(nf, "newborn.name", self.tr("Name:"))
        self._combo(nf, "newborn.sex", self.tr("Sex:"), [(self.tr("Male"), "M"), (self.tr("Female"), "F")])
        self._line(nf, "newborn.birth_time", self.tr("Birth time:"), "2026-03-05 08:30")
        self._line(nf, "newborn.gestational_weeks", self.tr("Gestational weeks:"))
        self._line(nf, "newborn.weight_g", self.tr("Weight (g):"))
        self._line(nf, "newborn.length_cm", self.tr("Length (cm):"))
        self._combo(nf, "newborn.health", self.tr("Health:"), [(v, v) for v in certificates.HEALTH_VALUES])
        self._line(nf, "newborn.birthplace.province", self.tr("Province:"))
        self._line(nf, "newborn.birthplace.city", self.tr("City:"))
        self._line(nf, "newborn.birthplace.county", self.tr("County / district:"))
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
        self._line(xf, "issued_on", self.tr("Issue date:"), "2026-03-06")
        self._combo(xf, "kind", self.tr("Kind:"), [(v, k) for k, v in certificates.KIND_LABELS.items()])
        self._line(xf, "reason", self.tr("Reason (re-issue / replacement):"))
        self.next_serial = _message_label(self, "nextSerial")
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

        self.issued = _table(
            self, [self.tr("Serial"), self.tr("Kind"), self.tr("Issued on"), self.tr("State")]
        )
        self.issued.setObjectName("issuedCertificates")
        self.issued.setMaximumHeight(90)
        self.status = _message_label(self, "certStatus")
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
        self.found.clear()
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

    def load_episode(self, episode_id: int) -> None:
        try:
            draft = certificates.draft_from_episode(episode_id)
        except FfdeskError as exc:
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
        _fill(self.issued, rows)

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
                actor, self.episode_id, self.value("kind"), clean, reason=self.value("reason")
            )
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


# --- stock ----------------------------------------------------------------------------------------------


class StockTab(QWidget):
    """Receive a range, assign a range to a desk, and the period's stock report with its balance."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificateStockTab")
        self.session = session
        today = clock.local_today()

        receive = QGroupBox(self.tr("Receive blank forms"), self)
        rf = QFormLayout(receive)
        self.prefix = QLineEdit(self)
        self.prefix.setObjectName("prefix")
        self.first = QLineEdit(self)
        self.first.setObjectName("firstNumber")
        self.last = QLineEdit(self)
        self.last.setObjectName("lastNumber")
        self.received_on = _date_edit(self, today)
        self.note = QLineEdit(self)
        receive_button = QPushButton(self.tr("Receive"), self)
        receive_button.setObjectName("receiveButton")
        receive_button.clicked.connect(self.receive)
        rf.addRow(self.tr("Prefix letters:"), self.prefix)
        rf.addRow(self.tr("First number:"), self.first)
        rf.addRow(self.tr("Last number:"), self.last)
        rf.addRow(self.tr("Received on:"), self.received_on)
        rf.addRow(self.tr("Note:"), self.note)
        rf.addRow("", receive_button)

        assign = QGroupBox(self.tr("Hand forms to a desk"), self)
        af = QFormLayout(assign)
        self.assign_first = QLineEdit(self)
        self.assign_first.setObjectName("assignFirst")
        self.assign_last = QLineEdit(self)
        self.assign_last.setObjectName("assignLast")
        self.desk = QLineEdit(session.actor.workstation if session.actor else "", self)
        self.desk.setObjectName("desk")
        self.desk.setPlaceholderText(self.tr("empty: back to the store room"))
        assign_button = QPushButton(self.tr("Assign"), self)
        assign_button.setObjectName("assignButton")
        assign_button.clicked.connect(self.assign)
        af.addRow(self.tr("First serial:"), self.assign_first)
        af.addRow(self.tr("Last serial:"), self.assign_last)
        af.addRow(self.tr("Desk:"), self.desk)
        af.addRow("", assign_button)
        for widget in (receive, assign):
            widget.setEnabled(session.can("certificate.stock"))

        report = QGroupBox(self.tr("Stock report"), self)
        rl = QVBoxLayout(report)
        period = QHBoxLayout()
        self.date_from = _date_edit(self, today.replace(day=1))
        self.date_to = _date_edit(self, today)
        show = QPushButton(self.tr("Show"), self)
        show.setObjectName("showReport")
        show.clicked.connect(self.show_report)
        period.addWidget(QLabel(self.tr("From:"), self))
        period.addWidget(self.date_from)
        period.addWidget(QLabel(self.tr("to"), self))
        period.addWidget(self.date_to)
        period.addWidget(show)
        period.addStretch(1)
        self.table = _table(
            self,
            [
                self.tr("State"),
                self.tr("Opening"),
                self.tr("In period"),
                self.tr("Closing"),
                self.tr("Serials"),
            ],
        )
        self.table.setObjectName("stockTable")
        self.balance = _message_label(self, "balanceLine")
        self.desks = _message_label(self, "deskLine")
        rl.addLayout(period)
        rl.addWidget(self.table, 1)
        rl.addWidget(self.balance)
        rl.addWidget(self.desks)

        self.status = _message_label(self, "stockStatus")
        left = QVBoxLayout()
        left.addWidget(receive)
        left.addWidget(assign)
        left.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left)
        row.addWidget(report, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.status)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    def receive(self) -> certificates.BatchView | None:
        try:
            first, last = (int(w.text().strip() or "-1") for w in (self.first, self.last))
        except ValueError:
            self._say(self.tr("First and last number must be digits."), True)
            return None
        try:
            batch = certificates.receive(
                self.session.actor,
                self.prefix.text(),
                first,
                last,
                self.received_on.date().toPython(),
                self.note.text(),
            )
        except FfdeskError as exc:
            self._say(exc.message, True)
            return None
        self._say(
            self.tr("Received %1–%2: %3 forms.")
            .replace("%1", batch.first_serial)
            .replace("%2", batch.last_serial)
            .replace("%3", str(batch.count))
        )
        self.assign_first.setText(batch.first_serial)
        self.assign_last.setText(batch.last_serial)
        self.show_report()
        return batch

    def assign(self) -> int:
        try:
            count = certificates.assign(
                self.session.actor, self.assign_first.text(), self.assign_last.text(), self.desk.text()
            )
        except FfdeskError as exc:
            self._say(exc.message, True)
            return 0
        desk = self.desk.text().strip() or self.tr("store room")
        self._say(self.tr("%1 forms handed to %2.").replace("%1", str(count)).replace("%2", desk))
        self.show_report()
        return count

    def show_report(self) -> certificates.StockReport | None:
        try:
            report = certificates.stock_report(
                self.date_from.date().toPython(), self.date_to.date().toPython()
            )
        except FfdeskError as exc:
            self._say(exc.message, True)
            return None
        opening, closing = report.count(report.opening), report.count(report.closing)
        moves = {k: len(v) for k, v in report.movements.items()}
        rows = [[self.tr("Received"), "", str(moves["received"]), str(report.received_total), ""]]
        for state in certificates.STATES:
            rows.append(
                [
                    certificates.STATE_LABELS[state],
                    str(opening[state]),
                    str(moves.get(state, "")) if state != certificates.ON_HAND else "",
                    str(closing[state]),
                    "、".join(certificates.compress_serials(report.closing[state])[:6]),
                ]
            )
        _fill(self.table, rows)
        sums = " + ".join(f"{certificates.STATE_LABELS[s]} {closing[s]}" for s in certificates.STATES)
        if report.balanced:
            self.balance.setStyleSheet("color: #1b7f3b; font-weight: bold;")
            self.balance.setText(
                self.tr("Balanced: received %1 = %2")
                .replace("%1", str(report.received_total))
                .replace("%2", sums)
            )
        else:
            self.balance.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
            self.balance.setText(
                self.tr("NOT balanced: received %1 ≠ %2")
                .replace("%1", str(report.received_total))
                .replace("%2", sums)
            )
        desks = "；".join(
            f"{desk or self.tr('store room')} {n}" for desk, n in sorted(report.on_hand_by_desk.items())
        )
        self.desks.setText(self.tr("On hand now: %1").replace("%1", desks or "0"))
        return report


# --- void and destroy -------------------------------------------------------------------------------------


class VoidTab(QWidget):
    """Void a form with a supervisor's approval (user name + password); destroy voided forms."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificateVoidTab")
        self.session = session
        void = QGroupBox(self.tr("Void a form"), self)
        vf = QFormLayout(void)
        self.void_serial = QLineEdit(self)
        self.void_serial.setObjectName("voidSerial")
        self.void_reason = QLineEdit(self)
        self.void_reason.setObjectName("voidReason")
        self.void_reason.setPlaceholderText(self.tr("e.g. misaligned print, smudged"))
        self.void_reason.setMinimumWidth(220)
        self.approver = QLineEdit(self)
        self.approver.setObjectName("approver")
        self.approver_password = QLineEdit(self)
        self.approver_password.setObjectName("approverPassword")
        self.approver_password.setEchoMode(QLineEdit.EchoMode.Password)
        void_button = QPushButton(self.tr("Void"), self)
        void_button.setObjectName("voidButton")
        void_button.clicked.connect(self.void)
        self.approver_password.returnPressed.connect(self.void)
        vf.addRow(self.tr("Serial:"), self.void_serial)
        vf.addRow(self.tr("Reason:"), self.void_reason)
        vf.addRow(self.tr("Approving supervisor:"), self.approver)
        vf.addRow(self.tr("Supervisor's password:"), self.approver_password)
        vf.addRow("", void_button)

        destroy = QGroupBox(self.tr("Destroy a voided form"), self)
        df = QFormLayout(destroy)
        self.destroy_serial = QLineEdit(self)
        self.destroy_serial.setObjectName("destroySerial")
        self.destroyed_on = _date_edit(self, clock.local_today())
        self.witness = QLineEdit(self)
        self.witness.setObjectName("witness")
        destroy_button = QPushButton(self.tr("Mark destroyed"), self)
        destroy_button.setObjectName("destroyButton")
        destroy_button.clicked.connect(self.destroy)
        df.addRow(self.tr("Serial:"), self.destroy_serial)
        df.addRow(self.tr("Destroyed on:"), self.destroyed_on)
        df.addRow(self.tr("Witness:"), self.witness)
        df.addRow("", destroy_button)
        destroy.setEnabled(session.can("certificate.stock"))

        self.table = _table(
            self,
            [
                self.tr("Serial"),
                self.tr("State"),
                self.tr("Reason"),
                self.tr("Approved by"),
                self.tr("Destroyed"),
            ],
        )
        self.table.setObjectName("voidRegister")
        self.table.itemActivated.connect(
            lambda item: self.destroy_serial.setText(self.table.item(item.row(), 0).text())
        )
        self.status = _message_label(self, "voidStatus")
        left = QVBoxLayout()
        left.addWidget(void)
        left.addWidget(destroy)
        left.addStretch(1)
        register = QGroupBox(self.tr("Void register"), self)
        QVBoxLayout(register).addWidget(self.table)
        row = QHBoxLayout()
        row.addLayout(left)
        row.addWidget(register, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.status)
        self.refresh()

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    def refresh(self) -> None:
        rows = []
        for state in (certificates.VOIDED, certificates.DESTROYED):
            for form in certificates.list_forms(state):
                destroyed = f"{form.destroyed_on or ''} {form.destroy_witness or ''}".strip()
                rows.append(
                    [
                        form.serial,
                        form.state_label,
                        form.void_reason or "",
                        form.void_approved_by or "",
                        destroyed,
                    ]
                )
        _fill(self.table, rows)

    def void(self) -> certificates.FormView | None:
        actor = self.session.actor
        username = self.approver.text().strip()
        password = self.approver_password.text()
        self.approver_password.clear()
        try:
            if not username or username == actor.staff.username:
                approver = staff.reauthenticate(actor, password)
            else:
                approver = staff.authenticate(username, password)
            view = certificates.void_form(actor, self.void_serial.text(), self.void_reason.text(), approver)
        except FfdeskError as exc:
            self._say(exc.message, True)
            return None
        self._say(
            self.tr("Form %1 voided (approved by %2).")
            .replace("%1", view.serial)
            .replace("%2", view.void_approved_by or "")
        )
        self.destroy_serial.setText(view.serial)
        self.refresh()
        return view

    def destroy(self) -> certificates.FormView | None:
        try:
            view = certificates.destroy_form(
                self.session.actor,
                self.destroy_serial.text(),
                self.destroyed_on.date().toPython(),
                self.witness.text(),
            )
        except FfdeskError as exc:
            self._say(exc.message, True)
            return None
        self._say(self.tr("Form %1 marked destroyed.").replace("%1", view.serial))
        self.refresh()
        return view


class CertificatesScreen(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificatesScreen")
        self.session = session
        self.tabs = QTabWidget(self)
        # Only the tabs this person may use: administrators keep the stock, the desk issues.
        may_issue = session.can("certificate.issue")
        may_stock = session.can("certificate.stock")
        self.issue_tab = IssueTab(session, self) if may_issue else None
        self.stock_tab = StockTab(session, self) if may_issue or may_stock else None
        self.void_tab = VoidTab(session, self) if may_issue or may_stock else None
        for tab, title in (
            (self.issue_tab, self.tr("&Issue")),
            (self.stock_tab, self.tr("&Stock")),
            (self.void_tab, self.tr("&Void and destroy")),
        ):
            if tab is not None:
                self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(self._tab_changed)
        calibrate = QPushButton(self.tr("Printer calibration…"), self)
        calibrate.setObjectName("calibrateButton")
        calibrate.clicked.connect(self.calibrate)
        calibrate.setVisible(may_issue)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(calibrate)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def activate(self) -> None:
        if self.issue_tab is not None:
            self.issue_tab.search.setFocus()
            self.issue_tab.search.selectAll()
        elif self.stock_tab is not None:
            self.stock_tab.show_report()

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is None:
            return
        if widget is self.stock_tab:
            self.stock_tab.show_report()
        elif widget is self.void_tab:
            self.void_tab.refresh()
        elif (
            widget is self.issue_tab and self.issue_tab is not None and self.issue_tab.episode_id is not None
        ):
            self.issue_tab.refresh()

    def calibrate(self) -> None:
        from forms.calibration import CalibrationDialog

        CalibrationDialog(self.session, parent=self).exec()
