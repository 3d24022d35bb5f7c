"""A read-only table model that fetches rows in windows (one COUNT, then pages on demand).

The client, episode and issuance lists use it with their own columns and ``models.browse``
window/count functions; like the voucher model, scrolling a million rows touches only the pages
that are painted, and sorting or filtering asks the database again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from models.permissions import Actor

PAGE_SIZE = 200
MAX_PAGES = 40

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole row dict
ID_ROLE = Qt.ItemDataRole.UserRole + 3  # the row's database id


@dataclass(frozen=True)
class Column:
    key: str  # key in the row dict
    title: str  # English source, translated in the model's context
    sort: str | None = None  # sort key understood by the window function
    right: bool = False


class RowColumnsMixin:
    """Columns, headers and read-only cells of a model whose ``row(i)`` returns a dict or None.

    Shared by the windowed list models and the voucher model, which differ only in how rows
    are fetched. ``key_role`` answers ``row[key_field]`` (the id or the voucher code).
    """

    context = "WindowedModel"
    columns: tuple[Column, ...] = ()
    key_role: int = ID_ROLE
    key_field = "id"

    def row(self, row: int) -> dict | None:
        raise NotImplementedError

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return QCoreApplication.translate(self.context, self.columns[section].title)
            return None
        return str(section + 1)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.right else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ROW_ROLE, self.key_role):
            return None
        values = self.row(index.row())
        if values is None:
            return None
        if role == ROW_ROLE:
            return values
        if role == self.key_role:
            return values[self.key_field]
        return str(values.get(column.key, ""))

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class WindowedModel(RowColumnsMixin, QAbstractTableModel):
    """``window(actor, flt, offset, limit, sort, descending)`` and ``counter(actor, flt)``."""

    default_sort = ""

    def __init__(
        self,
        actor: Actor,
        flt: Any,
        window: Callable[..., list[dict]],
        counter: Callable[..., int],
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.actor = actor
        self.flt = flt
        self.sort_key = self.default_sort
        self.descending = True
        self._window = window
        self._counter = counter
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self.fetches = 0
        self._count = self._counter(self.actor, self.flt)

    def set_filter(self, flt: Any) -> None:
        self.beginResetModel()
        self.flt = flt
        self._pages.clear()
        self._count = self._counter(self.actor, flt)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_filter(self.flt)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].sort is None:
            return
        self.layoutAboutToBeChanged.emit()
        self.sort_key = self.columns[column].sort or self.default_sort
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return next((i for i, c in enumerate(self.columns) if c.sort == self.sort_key), 0)

    def row(self, row: int) -> dict | None:
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
        return page[offset] if offset < len(page) else None

    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self._count
