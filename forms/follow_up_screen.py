"""阳性追踪: the follow-up nurse's worklist (overdue first), contact attempts and closing a case.

Each open case of a positive screening result is a row: who (masked), what, when due and how
overdue, how often contacted, and the diagnostic voucher it issued. A contact attempt is
recorded with its method and whether the family was reached; a case closes only with an
outcome (确诊, 排除, 转诊, 失访).
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.session import Session
from models import follow_up
from models.codes import format_code
from models.errors import FfdeskError

OVERDUE = QColor("#b00020")


class FollowUpScreen(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpScreen")
        self.session = session
        self.cases: list[follow_up.CaseView] = []
        self.show_closed = QCheckBox(self.tr("Show closed cases"), self)
        self.show_closed.toggled.connect(self.refresh)
        self.table = QTableWidget(0, 8, self)
        self.table.setObjectName("followUpTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Case"),
                self.tr("Name"),
                self.tr("Phone"),
                self.tr("Positive result"),
                self.tr("Due"),
                self.tr("Contacts"),
                self.tr("Diagnostic voucher"),
                self.tr("Outcome"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.contact_button = QPushButton(self.tr("Record a &contact…"), self)
        self.contact_button.setObjectName("recordContact")
        self.contact_button.clicked.connect(self.record_contact)
        self.close_button = QPushButton(self.tr("C&lose with outcome…"), self)
        self.close_button.setObjectName("closeCase")
        self.close_button.clicked.connect(self.close_case)
        self.message = QLabel(self)
        self.message.setObjectName("followUpMessage")
        self.message.setProperty("data", True)
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.show_closed)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.contact_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.refresh()

    def activate(self) -> None:
        self.refresh()

    def say(self, text: str) -> None:
        self.message.setText(text)

    def refresh(self) -> None:
        self.cases = follow_up.worklist(self.session.actor, include_closed=self.show_closed.isChecked())
        self.table.setRowCount(len(self.cases))
        for r, case in enumerate(self.cases):
            due = case.due_on.isoformat()
            if case.overdue_days:
                due += self.tr(" (overdue %1 days)").replace("%1", str(case.overdue_days))
            values = [
                str(case.id),
                case.client_name_masked,
                case.phone_masked,
                f"{case.item_name} {case.result_on}",
                due,
                f"{case.attempts}  {case.last_contact}".strip(),
                "、".join(format_code(c) for c in case.diagnostic_vouchers),
                case.outcome_label,
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if case.overdue_days and c == 4:
                    item.setForeground(QBrush(OVERDUE))
                self.table.setItem(r, c, item)
        if self.cases and not self.table.selectedItems():
            self.table.selectRow(0)

    def selected(self) -> follow_up.CaseView | None:
        row = self.table.currentRow()
        return self.cases[row] if 0 <= row < len(self.cases) else None

    def ask_choice(self, title: str, label: str, choices: list[str]) -> tuple[str, bool]:
        """One of ``choices`` (tests replace this)."""
        return QInputDialog.getItem(self, title, label, choices, 0, False)

    def ask_text(self, title: str, label: str) -> tuple[str, bool]:
        """A free-text note (tests replace this)."""
        return QInputDialog.getText(self, title, label)

    def record_contact(self) -> None:
        case = self.selected()
        if case is None:
            return
        methods = list(follow_up.METHODS.items())
        results = [self.tr("Reached"), self.tr("Not reached")]
        title = self.tr("Record a contact")
        method, ok = self.ask_choice(title, self.tr("How:"), [label for _, label in methods])
        if not ok:
            return
        reached, ok = self.ask_choice(title, self.tr("Result:"), results)
        if not ok:
            return
        note, ok = self.ask_text(title, self.tr("Note:"))
        if not ok:
            return
        code = next(key for key, label in methods if label == method)
        try:
            view = follow_up.record_contact(self.session.actor, case.id, code, reached == results[0], note)
        except FfdeskError as exc:
            self.say(exc.message)
            return
        self.say(
            self.tr("Case %1: contact recorded (%2 so far).")
            .replace("%1", str(view.id))
            .replace("%2", str(view.attempts))
        )
        self.refresh()

    def close_case(self) -> None:
        case = self.selected()
        if case is None:
            return
        outcomes = list(follow_up.OUTCOMES.items())
        title = self.tr("Close the case")
        outcome, ok = self.ask_choice(title, self.tr("Outcome:"), [label for _, label in outcomes])
        if not ok:
            return
        note, ok = self.ask_text(title, self.tr("Note:"))
        if not ok:
            return
        code = next(key for key, label in outcomes if label == outcome)
        try:
            view = follow_up.close_case(self.session.actor, case.id, code, note)
        except FfdeskError as exc:
            self.say(exc.message)
            return
        self.say(self.tr("Case %1 closed: %2.").replace("%1", str(view.id)).replace("%2", view.outcome_label))
        self.refresh()
