"""Month close: the list of months and who closed them, and closing a finished month.

Closing freezes the month's figures (models.periods); it asks for a confirmation first, and
the service's refusal (month not over, already closed, the month before still open) is shown in
Chinese. The month proposed is the next one to close, in order.
"""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import messages
from forms.session import Session, run_in_background
from models import clock, periods
from models.money import format_fen


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


class MonthCloseWidget(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthClose")
        self.session = session
        self.op = None
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("periodTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Month"),
                self.tr("State"),
                self.tr("Closed at"),
                self.tr("Closed by"),
                self.tr("Redeemed net"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        first = previous_month(clock.local_today())
        self.month = QDateEdit(QDate(first.year, first.month, 1), self)
        self.month.setObjectName("closeMonth")
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        self.close_button = QPushButton(self.tr("&Close this month…"), self)
        self.close_button.setObjectName("closeMonthButton")
        self.close_button.clicked.connect(self.close_selected_month)
        self.close_button.setEnabled(session.can("period.close"))
        self.note = QLabel(
            self.tr(
                "A closed month's figures are frozen: later reversals post to the open month, "
                "and its reports print the same at any later time."
            ),
            self,
        )
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Month:"), self))
        row.addWidget(self.month)
        row.addWidget(self.close_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.month, self.close_button)
        QWidget.setTabOrder(self.close_button, self.table)
        self.refresh()

    def selected_month(self) -> str:
        value = self.month.date()
        return f"{value.year():04d}-{value.month():02d}"

    def propose_month(self) -> None:
        """Months close in order: propose the next one to close once it is over."""
        proposed = periods.next_to_close()
        if proposed and proposed < clock.month_of(clock.local_today()):
            self.month.setDate(QDate(int(proposed[:4]), int(proposed[5:7]), 1))

    def refresh(self) -> None:
        self.propose_month()
        rows = periods.list_periods()
        self.table.setRowCount(len(rows))
        states = {"closed": self.tr("Closed"), "open": self.tr("Open")}
        for r, period in enumerate(rows):
            net = ""
            if period.snapshot:
                totals = json.loads(period.snapshot).get("totals", {})
                net = format_fen(int(totals.get("redeemed_fen", 0)) - int(totals.get("reversed_fen", 0)))
            values = [
                period.month,
                states.get(period.state, period.state),
                clock.format_local(period.closed_at) if period.closed_at else "",
                period.closed_by.full_name if period.closed_by_id else "",
                net,
            ]
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def confirm(self, month: str) -> bool:
        """Ask before closing (tests replace this)."""
        return messages.confirm(
            self,
            self.tr("Close month"),
            self.tr("Close %1? Its figures will be frozen and cannot be changed afterwards.").replace(
                "%1", month
            ),
        )

    def close_selected_month(self) -> None:
        month = self.selected_month()
        if not self.confirm(month):
            return
        actor = self.session.actor

        def failed(exc: BaseException) -> None:
            messages.show_error(self, exc)

        self.op = run_in_background(self.session)(
            lambda _progress: periods.close_month(actor, month).month,
            on_success=lambda _m: self.refresh(),
            on_failure=failed,
            parent=self,
            label=self.tr("Closing the month…"),
            cancellable=False,
        )
