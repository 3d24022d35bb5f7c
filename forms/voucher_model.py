"""A table model over the vouchers that never loads them all.

``rowCount`` is the filtered count (one COUNT query); rows are fetched on demand in pages of
:data:`PAGE_SIZE` through ``models.browse.voucher_window`` and kept in a small cache of recent
pages, so scrolling through a million vouchers touches only the pages that are painted.
Sorting and filtering ask the database again (sorted by whitelisted columns, see models.browse).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from models import browse
from models.browse import VoucherFilter
from models.permissions import Actor

PAGE_SIZE = 200
MAX_PAGES = 40  # at most 8,000 rows in memory

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole row dict
CODE_ROLE = Qt.ItemDataRole.UserRole + 2  # the voucher code (digits)


@dataclass(frozen=True)
class Column:
    key: str  # key in the row dict
    title: str  # English source, translated in the VoucherModel context
    sort: str | None  # sort key of models.browse.VOUCHER_SORT, None when not sortable
    right: bool = False


COLUMNS: list[Column] = [
    Column("code_display", QT_TRANSLATE_NOOP("VoucherModel", "Code"), "code"),
    Column("item_name", QT_TRANSLATE_NOOP("VoucherModel", "Service item"), "item_name"),
    Column("package_name", QT_TRANSLATE_NOOP("VoucherModel", "Package"), None),
    Column("value_text", QT_TRANSLATE_NOOP("VoucherModel", "Value"), "value_fen", right=True),
    Column("state_label", QT_TRANSLATE_NOOP("VoucherModel", "State"), "state"),
    Column("service_point_name", QT_TRANSLATE_NOOP("VoucherModel", "Service point"), None),
    Column("client_name_masked", QT_TRANSLATE_NOOP("VoucherModel", "Client"), None),
    Column("issued_at", QT_TRANSLATE_NOOP("VoucherModel", "Issued at"), "issued_at"),
    Column("expires_on", QT_TRANSLATE_NOOP("VoucherModel", "Valid until"), "expires_on"),
]


class VoucherModel(QAbstractTableModel):
    """Read-only, sortable, filterable; ``fetches`` counts database windows (for tests)."""

    def __init__(
        self,
        actor: Actor,
        flt: VoucherFilter | None = None,
        parent=None,
        window: Callable[..., list[dict]] = browse.voucher_window,
        counter: Callable[..., int] = browse.count_vouchers,
    ) -> None:
        super().__init__(parent)
        self.actor = actor
        self.flt = flt or VoucherFilter()
        self.sort_key = "issued_at"
        self.descending = True
        self._window = window
        self._counter = counter
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self._count = 0
        self.fetches = 0
        self._count = self._counter(self.actor, self.flt)

    # --- filtering and sorting ---------------------------------------------------------
    def set_filter(self, flt: VoucherFilter) -> None:
        self.beginResetModel()
        self.flt = flt
        self._pages.clear()
        self._count = self._counter(self.actor, flt)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_filter(self.flt)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort is None:
            return
        self.layoutAboutToBeChanged.emit()
        self.sort_key = COLUMNS[column].sort or "issued_at"
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.sort == self.sort_key)

    # --- rows ----------------------------------------------------------------------------
    def row(self, row: int) -> dict | None:
        """The row dict at ``row`` (fetching its page if needed)."""
        if not 0 <= row < self._count:
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self._window(
                self.actor, self.flt, page_no * PAGE_SIZE, PAGE_SIZE, self.sort_key, self.descending
            )
            self.fetches += 1
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = row - page_no * PAGE_SIZE
        return page[offset] if offset < len(page) else None  # rows deleted since the count

    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    # --- QAbstractTableModel -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(COLUMNS):
                return QCoreApplication.translate("VoucherModel", COLUMNS[section].title)
            return None
        return str(section + 1)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.column() < len(COLUMNS):
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.right else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ROW_ROLE, CODE_ROLE):
            return None
        values = self.row(index.row())
        if values is None:
            return None
        if role == ROW_ROLE:
            return values
        if role == CODE_ROLE:
            return values["code"]
        return str(values.get(column.key, ""))

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
