"""Browse vouchers: filters (state, package, service point, issue dates, code), sortable columns,
a windowed model that stays smooth at a million rows; Enter or double-click shows the history.

Keys: Ctrl+F code filter, F5 reload, Enter on a row opens the voucher's history.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forms import messages
from forms.browse_tabs import ClientsTab, EpisodesTab, IssuancesTab
from forms.row_table import row_table
from forms.scanner_input import scanner_field
from forms.session import Session
from forms.voucher_history import VoucherHistoryDialog
from forms.voucher_model import CODE_ROLE, COLUMNS, VoucherModel
from models import catalog, clock
from models.browse import VoucherFilter
from models.errors import FfdeskError
from models.vouchers import STATE_LABELS


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class BrowseScreen(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browseScreen")
        self.session = session

        self.code = QLineEdit(self)
        self.code.setObjectName("codeFilter")
        self.code.setPlaceholderText(self.tr("Code begins with… (Ctrl+F)"))
        self.code.setClearButtonEnabled(True)
        scanner_field(self.code)  # a scanned voucher code goes past the input method
        self.state = QComboBox(self)
        self.state.addItem(self.tr("All states"), None)
        for key, label in STATE_LABELS.items():
            self.state.addItem(label, key)
        self.package = QComboBox(self)
        self.package.addItem(self.tr("All packages"), None)
        for pkg in catalog.catalog_views():
            self.package.addItem(pkg.name, pkg.code)
        self.point = QComboBox(self)
        self.point.addItem(self.tr("All service points"), None)
        for point in catalog.service_points():
            self.point.addItem(point.name, point.code)
        self.use_dates = QCheckBox(self.tr("&Issued from"), self)
        today = clock.local_today()
        self.date_from = QDateEdit(_qdate(today - dt.timedelta(days=30)), self)
        self.date_to = QDateEdit(_qdate(today), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")

        filters = QGridLayout()
        filters.addWidget(QLabel(self.tr("Code:"), self), 0, 0)
        filters.addWidget(self.code, 0, 1)
        filters.addWidget(QLabel(self.tr("State:"), self), 0, 2)
        filters.addWidget(self.state, 0, 3)
        filters.addWidget(QLabel(self.tr("Package:"), self), 0, 4)
        filters.addWidget(self.package, 0, 5)
        filters.addWidget(QLabel(self.tr("Service point:"), self), 1, 0)
        filters.addWidget(self.point, 1, 1)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("to"), self))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        filters.addLayout(dates, 1, 2, 1, 4)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(5, 1)

        # the exact count runs in the shell's worker; rows show at once (no worker: counted at once)
        runner = session.worker.run_in_background if session.worker is not None else None
        self.model = VoucherModel(session.actor, self._filter(), self, runner=runner)
        widths = (230, 150, 110, 90, 70, 110, 80, 140, 100)
        self.table = row_table(self, self.model, widths, self.model.sort_column())
        self.table.setObjectName("voucherTable")
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sort_changed)
        self.table.doubleClicked.connect(self.open_history)
        self.table.installEventFilter(self)

        hint = QLabel(self.tr("Enter or double-click a row to see the voucher's history."), self)
        self.vouchers_tab = QWidget(self)
        layout = QVBoxLayout(self.vouchers_tab)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(hint)
        layout.addLayout(bottom)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("browseTabs")
        self.tabs.addTab(self.vouchers_tab, self.tr("&Vouchers"))
        self.clients_tab = ClientsTab(session, self.tabs)
        self.episodes_tab = EpisodesTab(session, self.tabs)
        self.issuances_tab = IssuancesTab(session, self.tabs)
        self.tabs.addTab(self.clients_tab, self.tr("C&lients"))
        self.tabs.addTab(self.episodes_tab, self.tr("&Episodes"))
        self.tabs.addTab(self.issuances_tab, self.tr("&Issuances"))
        self.tabs.currentChanged.connect(self._tab_changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.code.textChanged.connect(lambda _t: self._debounce.start())
        self.code.returnPressed.connect(self.apply_filter)
        for combo in (self.state, self.package, self.point):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        for key, slot in (("Ctrl+F", self.activate), ("F5", self.model.refresh)):
            QShortcut(
                QKeySequence(key), self, activated=slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
        QWidget.setTabOrder(self.code, self.state)
        QWidget.setTabOrder(self.state, self.package)
        QWidget.setTabOrder(self.package, self.point)
        QWidget.setTabOrder(self.point, self.use_dates)
        QWidget.setTabOrder(self.use_dates, self.date_from)
        QWidget.setTabOrder(self.date_from, self.date_to)
        QWidget.setTabOrder(self.date_to, self.table)
        self.model.modelReset.connect(self._update_count)
        self.model.count_known.connect(lambda _total: self._update_count())
        self._update_count()

    # --- filters -------------------------------------------------------------------------
    def _filter(self) -> VoucherFilter:
        dates = self.use_dates.isChecked()
        return VoucherFilter(
            state=self.state.currentData(),
            package_code=self.package.currentData(),
            service_point=self.point.currentData(),
            issued_from=_pydate(self.date_from.date()) if dates else None,
            issued_to=_pydate(self.date_to.date()) if dates else None,
            text=self.code.text(),
        )

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filter()

    def apply_filter(self) -> None:
        self._debounce.stop()
        try:
            self.model.set_filter(self._filter())
        except FfdeskError as exc:
            messages.show_error(self, exc)

    def _update_count(self) -> None:
        shown = f"{self.model.rowCount():,}" + ("+" if self.model.count_pending() else "")  # still counting
        self.count_label.setText(self.tr("%1 vouchers").replace("%1", shown))

    def _sort_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if COLUMNS[column].sort is None:  # not sortable: keep showing the real order
            header = self.table.horizontalHeader()
            order = Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), order)
            header.blockSignals(False)

    # --- history -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.open_history(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def open_history(self, index=None) -> None:
        index = index if index is not None and index.isValid() else self.table.currentIndex()
        if not index.isValid():
            return
        code = self.model.data(index, CODE_ROLE)
        if not code:
            return
        try:
            dialog = VoucherHistoryDialog(self.session.actor, code, self)
        except FfdeskError as exc:
            messages.show_error(self, exc)
            return
        self.show_dialog(dialog)

    def show_dialog(self, dialog: QDialog) -> None:
        """Modal; tests replace this to look at the dialog instead."""
        dialog.exec()
        dialog.deleteLater()

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page is not None and page is not self.vouchers_tab and hasattr(page, "activate"):
            page.activate()
        elif page is self.vouchers_tab:
            self.code.setFocus()

    def activate(self) -> None:
        self.tabs.setCurrentWidget(self.vouchers_tab)
        self.code.setFocus()
        self.code.selectAll()
