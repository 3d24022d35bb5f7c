"""One voucher's whole life: issued, redeemed, reversed, voided or expired — who and when."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import vouchers
from models.permissions import Actor
from models.vouchers import VoucherView


class VoucherHistoryDialog(QDialog):
    """Built from ``models.vouchers.get_voucher`` (client masked); Esc or Enter closes it."""

    def __init__(self, actor: Actor, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voucherHistory")
        self.view: VoucherView = vouchers.get_voucher(actor, code)
        v = self.view
        self.setWindowTitle(self.tr("Voucher %1").replace("%1", v.code_display))
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        validity = f"{v.valid_from.isoformat()} – {v.expires_on.isoformat()}"
        rows = [
            ("code", self.tr("Code:"), v.code_display),
            ("item", self.tr("Service item:"), f"{v.item_name}（{v.package_name}）"),
            ("value", self.tr("Value:"), v.value_text),
            ("state", self.tr("State:"), v.state_label + (f"（{v.result_label}）" if v.result_label else "")),
            ("client", self.tr("Client:"), f"{v.client_name_masked}  {v.client_id_masked}"),
            ("point", self.tr("Service point:"), v.service_point_name),
            ("validity", self.tr("Valid:"), validity),
            ("slip", self.tr("Slip:"), v.slip_no),
        ]
        for key, title, value in rows:
            label = QLabel(value, self)
            label.setProperty("data", True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = label
            form.addRow(title, label)
        self.table = QTableWidget(len(v.history), 3, self)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("What"), self.tr("By")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for row, entry in enumerate(v.history):
            for col, text in enumerate((entry.at, entry.what, entry.staff_name)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(self)
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("History"), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 460)

    def history_texts(self) -> list[str]:
        """Each row as one line 'when what by' (what the user reads)."""
        return [
            " ".join(self.table.item(r, c).text() for c in range(self.table.columnCount()))
            for r in range(self.table.rowCount())
        ]
