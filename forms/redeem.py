"""Nurse's redeem screen, made for a barcode scanner that types the code and presses Enter.

The code field always holds the focus. First Enter: look the voucher up and show item, value
and the client's masked name and ID. Enter again on the same code: redeem. The result is shown
large, green when redeemed, red with the service's reason otherwise (already redeemed where,
when and by whom; expired; voided; wrong service point; typo). Screening items need a result:
F5 negative, F6 positive. Today's redemptions at this point are listed below; a supervisor
can reverse one (F8) with a reason.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import printing
from forms.actions import redeemed_by_me, reversed_by_me, run_action, run_read
from forms.scanner_input import scanner_field
from forms.session import Session
from models import browse, catalog, redemption, vouchers
from models.codes import normalize_code
from models.errors import FfdeskError, NotFound
from models.vouchers import VoucherView

GREEN = "#1b7f3b"
RED = "#b00020"
NEUTRAL = "#37474f"


def _normal(text: str) -> str:
    try:
        return normalize_code(text)
    except Exception:
        return text.strip()


class RedeemScreen(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redeemScreen")
        self.session = session
        self.pending: VoucherView | None = None

        self.point_label = QLabel(self)
        self.point_label.setObjectName("pointLabel")
        big = QFont(self.font())
        big.setPointSize(big.pointSize() + 10)
        self.code = QLineEdit(self)
        self.code.setObjectName("codeField")
        self.code.setFont(big)
        self.code.setPlaceholderText(self.tr("Scan or type the voucher code, then press Enter"))
        scanner_field(self.code)  # the scanner's digits never go to the input method
        self.code.returnPressed.connect(self.submit)

        self.details = QGroupBox(self.tr("Voucher"), self)
        form = QFormLayout(self.details)
        self.item_label = self._data_label()
        self.value_label = self._data_label()
        self.client_label = self._data_label()
        self.state_label = self._data_label()
        form.addRow(self.tr("Service item:"), self.item_label)
        form.addRow(self.tr("Value:"), self.value_label)
        form.addRow(self.tr("Client:"), self.client_label)
        form.addRow(self.tr("State:"), self.state_label)
        self.result_box = QWidget(self)
        result_layout = QHBoxLayout(self.result_box)
        result_layout.setContentsMargins(0, 0, 0, 0)
        self.negative = QRadioButton(self.tr("Negative (F5)"), self.result_box)
        self.positive = QRadioButton(self.tr("Positive (F6)"), self.result_box)
        for button in (self.negative, self.positive):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            result_layout.addWidget(button)
        result_layout.addStretch(1)
        self.result_group = QButtonGroup(self)
        self.result_group.addButton(self.negative)
        self.result_group.addButton(self.positive)
        form.addRow(self.tr("Screening result:"), self.result_box)
        self.result_box.setEnabled(False)

        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setProperty("data", True)
        self.banner.setWordWrap(True)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setMinimumHeight(96)
        banner_font = QFont(self.font())
        banner_font.setPointSize(banner_font.pointSize() + 8)
        banner_font.setBold(True)
        self.banner.setFont(banner_font)

        self.today = QTableWidget(0, 5, self)
        self.today.setObjectName("todayTable")
        self.today.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Code"), self.tr("Service item"), self.tr("Amount"), self.tr("By")]
        )
        self.today.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.today.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.today.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.today.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.today.verticalHeader().hide()
        self.today.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.today.horizontalHeader().setStretchLastSection(True)
        self.reverse_button = QPushButton(self.tr("Reverse selected (F8)"), self)
        self.reverse_button.setObjectName("reverseButton")
        self.reverse_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reverse_button.clicked.connect(self.reverse_selected)
        self.reverse_button.setVisible(session.can("voucher.reverse"))

        today_box = QGroupBox(self.tr("Today at this service point"), self)
        today_layout = QVBoxLayout(today_box)
        today_layout.addWidget(self.today)
        today_layout.addWidget(self.reverse_button, 0, Qt.AlignmentFlag.AlignRight)

        layout = QVBoxLayout(self)
        layout.addWidget(self.point_label)
        layout.addWidget(self.code)
        layout.addWidget(self.details)
        layout.addWidget(self.banner)
        self.receipt_button = QPushButton(self.tr("Print receipt (F9)"), self)
        self.receipt_button.setObjectName("receiptButton")
        self.receipt_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.receipt_button.setEnabled(False)
        self.receipt_button.clicked.connect(self.print_receipt)
        self.last_outcome = None  # the last redemption at this screen: its receipt can be printed
        layout.addWidget(self.receipt_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(today_box, 1)

        # The code field always has the focus, so its key presses carry the shortcuts.
        self._keys = {
            Qt.Key.Key_F5: lambda: self.negative.setChecked(True),
            Qt.Key.Key_F6: lambda: self.positive.setChecked(True),
            Qt.Key.Key_F8: self.reverse_selected,
            Qt.Key.Key_F9: self.print_receipt,
            Qt.Key.Key_Escape: self.clear,
        }
        self.code.installEventFilter(self)
        self.clear()
        self.refresh_today()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.code and event.type() == QEvent.Type.KeyPress:
            action = self._keys.get(event.key())
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)

    def _data_label(self) -> QLabel:
        label = QLabel(self)
        label.setProperty("data", True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # --- focus: the code field always has it ------------------------------------------
    def activate(self) -> None:
        self.update_point()
        QTimer.singleShot(0, self.code.setFocus)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.activate()

    def update_point(self) -> None:
        code = self.session.service_point
        if not code:
            self.point_label.setText(self.tr("This desk has no service point: choose one in Settings."))
            self.code.setEnabled(False)
            return
        try:
            name = catalog.get_service_point(code).name
        except NotFound:
            name = code
        self.point_label.setText(self.tr("Service point: %1").replace("%1", name))
        self.code.setEnabled(True)

    # --- flow ---------------------------------------------------------------------------
    def clear(self) -> None:
        self.pending = None
        self.code.clear()
        for label in (self.item_label, self.value_label, self.client_label, self.state_label):
            label.clear()
        self.result_group.setExclusive(False)
        self.negative.setChecked(False)
        self.positive.setChecked(False)
        self.result_group.setExclusive(True)
        self.result_box.setEnabled(False)
        self.show_banner(self.tr("Ready: scan a voucher"), NEUTRAL)
        self.code.setFocus()

    def show_banner(self, text: str, colour: str) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(f"background: {colour}; color: white; border-radius: 6px; padding: 12px;")
        self.banner.setProperty("colour", colour)

    def submit(self) -> None:
        text = self.code.text().strip()
        if not text:
            return
        if self.pending is not None and _normal(text) == self.pending.code:
            self.confirm()
        else:
            self.look_up(text)
        self.code.selectAll()
        self.code.setFocus()

    def look_up(self, text: str) -> None:
        self.pending = None
        self.result_box.setEnabled(False)
        self.last_outcome = None  # the receipt belongs to a voucher that is no longer on screen
        self.receipt_button.setEnabled(False)
        actor = self.session.actor
        try:
            view = run_read(lambda: vouchers.get_voucher(actor, text))
        except FfdeskError as exc:
            self._show_voucher(None)
            self.show_banner(exc.message, RED)
            return
        self._show_voucher(view)
        if view.state != "issued" or view.expires_on < _today():
            self.show_banner(vouchers.state_refusal(vouchers.find_voucher(view.code)).message, RED)
            return
        if view.service_point != self.session.service_point:
            self.show_banner(
                self.tr("This item is redeemed at %1, not here.").replace("%1", view.service_point_name), RED
            )
            return
        self.pending = view
        if view.result_kind == "screening":
            self.result_box.setEnabled(True)
            self.show_banner(self.tr("Enter the screening result (F5/F6), then press Enter"), NEUTRAL)
        else:
            self.show_banner(self.tr("Check the person, then press Enter to redeem"), NEUTRAL)

    def _show_voucher(self, view: VoucherView | None) -> None:
        if view is None:
            for label in (self.item_label, self.value_label, self.client_label, self.state_label):
                label.clear()
            return
        self.item_label.setText(f"{view.item_name}（{view.package_name}）")
        self.value_label.setText(view.value_text)
        self.client_label.setText(f"{view.client_name_masked}　{view.client_id_masked}")
        self.state_label.setText(f"{view.state_label}，有效期至 {view.expires_on.isoformat()}")

    def confirm(self) -> None:
        view = self.pending
        if view is None:
            return
        result = None
        if view.result_kind == "screening":
            if self.negative.isChecked():
                result = "negative"
            elif self.positive.isChecked():
                result = "positive"
            else:
                self.show_banner(self.tr("Choose the screening result first: F5 negative, F6 positive"), RED)
                return
        actor, point = self.session.actor, self.session.service_point or ""
        try:
            outcome = run_action(
                self,
                lambda: redemption.redeem(actor, view.code, point, result),
                check_done=redeemed_by_me(actor, view, point),
            )
        except FfdeskError as exc:
            self.pending = None
            self.show_banner(exc.message, RED)
            return
        self.pending = None
        self.result_box.setEnabled(False)
        self._show_voucher(outcome.voucher)
        self.show_banner(outcome.message, GREEN)
        self.last_outcome = outcome
        self.receipt_button.setEnabled(self.session.documents is not None)
        self.refresh_today()

    # --- today's list and reversal ----------------------------------------------------------
    def refresh_today(self) -> None:
        self.today.setRowCount(0)
        if not self.session.service_point or not self.session.can("voucher.redeem"):
            return
        actor, point = self.session.actor, self.session.service_point
        rows = run_read(lambda: browse.redemptions_today(actor, point))
        self.today.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [
                row["at"][-5:],
                row["code_display"],
                row["item_name"],
                row["amount_text"],
                row["staff_name"],
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row["code"])
                if c == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.today.setItem(r, c, item)

    def reverse_selected(self) -> None:
        if not self.session.can("voucher.reverse"):
            return
        row = self.today.currentRow()
        if row < 0:
            self.show_banner(self.tr("Select a redemption in today's list first"), RED)
            return
        code = self.today.item(row, 0).data(Qt.ItemDataRole.UserRole)
        reason, ok = self.ask_reason()
        if not ok:
            self.code.setFocus()
            return
        actor = self.session.actor
        try:
            seen = run_read(lambda: vouchers.get_voucher(actor, code))
            result = run_action(
                self,
                lambda: redemption.reverse(actor, code, reason),
                check_done=reversed_by_me(actor, seen, reason),
            )
        except FfdeskError as exc:
            self.show_banner(exc.message, RED)
        else:
            self.show_banner(result.message or self.tr("Reversed"), GREEN)
            self.refresh_today()
        self.code.setFocus()

    def print_receipt(self) -> bool:
        """The last redemption's receipt: straight to the receipt printer when one is set."""
        outcome, documents = self.last_outcome, self.session.documents
        if outcome is None or documents is None:
            return False
        try:
            pdf = documents.receipt_pdf(outcome, self.session.actor.name)
        except FfdeskError as exc:
            self.show_banner(exc.message, RED)
            return False
        printed = printing.print_or_preview(self, self.session, "receipt", pdf, self.tr("Redemption receipt"))
        if not printed:
            why = getattr(printed, "message", "")
            self.show_banner(self.tr("The receipt was NOT printed. %1").replace("%1", why), RED)
        self.code.setFocus()
        return bool(printed)

    def ask_reason(self) -> tuple[str, bool]:
        """Overridable in tests: the reversal reason typed by the supervisor."""
        return QInputDialog.getText(self, self.tr("Reverse redemption"), self.tr("Reason:"))


def _today():
    from models import clock

    return clock.local_today()
