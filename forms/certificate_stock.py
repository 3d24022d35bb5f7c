"""Birth certificate screen, stock tab: receive a serial range, hand a range to a desk, and the
stock report for a period with its balance check.

Assembled with the other tabs in forms/certificates.py.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.certificate_widgets import ERROR_STYLE, date_edit, fill_table, message_label, read_only_table
from forms.session import Session
from models import certificates, clock
from models.errors import FfdeskError


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
        self.received_on = date_edit(self, today)
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
        self.date_from = date_edit(self, today.replace(day=1))
        self.date_to = date_edit(self, today)
        show = QPushButton(self.tr("Show"), self)
        show.setObjectName("showReport")
        show.clicked.connect(self.show_report)
        period.addWidget(QLabel(self.tr("From:"), self))
        period.addWidget(self.date_from)
        period.addWidget(QLabel(self.tr("to"), self))
        period.addWidget(self.date_to)
        period.addWidget(show)
        period.addStretch(1)
        self.table = read_only_table(
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
        self.balance = message_label(self, "balanceLine")
        self.desks = message_label(self, "deskLine")
        rl.addLayout(period)
        rl.addWidget(self.table, 1)
        rl.addWidget(self.balance)
        rl.addWidget(self.desks)

        self.status = message_label(self, "stockStatus")
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
        fill_table(self.table, rows)
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
