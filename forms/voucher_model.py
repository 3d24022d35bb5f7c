"""A table model over the vouchers that never loads them all, and never waits for a count.

Rows are fetched on demand in pages of :data:`PAGE_SIZE` through ``models.browse.voucher_window``
and kept in a small cache of recent pages, so scrolling through a million vouchers touches only
the pages that are painted. The exact ``COUNT`` runs off the GUI thread (``runner``, the shell's
``run_in_background``): until it arrives the model shows the first page and grows a page at a
time as the view asks for more (``canFetchMore``/``fetchMore``); then it grows to the full count.

Deep pages are found by key, not by a large OFFSET: every fetched page leaves the sort keys of
its first and last row, and a page is read by seeking from the nearest such anchor (or from
either end of the list) so the database skips at most the rows between them. A jump far from
any anchor (dragging the scroll bar to the middle) still uses OFFSET from the nearest end.
Sorting and filtering ask the database again (sorted by whitelisted columns, see models.browse).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from forms.window_model import Column, RowColumnsMixin
from models import browse
from models.browse import VoucherFilter
from models.permissions import Actor

log = logging.getLogger("ffdesk.browse")

PAGE_SIZE = 200
ASYNC_SKIP = 20_000  # a read that must skip more rows than this goes to the worker
MAX_PAGES = 40  # at most 8,000 rows in memory

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole row dict
CODE_ROLE = Qt.ItemDataRole.UserRole + 2  # the voucher code (digits)


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


class VoucherModel(RowColumnsMixin, QAbstractTableModel):
    """Read-only, sortable, filterable; ``fetches`` counts database windows (for tests).

    ``runner(work, on_success=…, on_failure=…, parent=…)`` runs the count off the GUI thread
    (``desktop.worker.run_in_background``); without one the count runs at once. A custom
    ``window(actor, flt, offset, limit, sort, descending)`` is asked by offset only.
    ``count_known`` is emitted with the exact number of rows once the count has arrived.
    """

    count_known = Signal(int)
    context = "VoucherModel"
    columns = tuple(COLUMNS)
    key_role = CODE_ROLE
    key_field = "code"

    def __init__(
        self,
        actor: Actor,
        flt: VoucherFilter | None = None,
        parent=None,
        window: Callable[..., list[dict]] | None = None,
        counter: Callable[..., int] = browse.count_vouchers,
        runner: Callable[..., object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.actor = actor
        self.flt = flt or VoucherFilter()
        self.sort_key = "issued_at"
        self.descending = True
        self.page_size = PAGE_SIZE
        self.async_skip = ASYNC_SKIP
        self._loading: set[int] = set()  # pages being read in the worker
        self._keyset = window is None
        self._window = window or browse.voucher_window
        self._counter = counter
        self._runner = runner
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self._anchors: dict[int, tuple[tuple, tuple]] = {}  # page -> sort keys of first, last row
        self._count = 0  # rows shown now
        self._total: int | None = None  # the exact count, once it has arrived
        self._more = False  # before the count: the last page read was full
        self._generation = 0  # a count for an older filter is dropped
        self._ops: list = []  # running counts (kept alive until they report)
        self.fetches = 0
        self.seeks: list[tuple[str, int]] = []  # (how, rows skipped by OFFSET) per fetch, for tests
        self._start()
        self._count_in_background()

    # --- filtering and sorting ---------------------------------------------------------
    def _start(self) -> None:
        """With a runner: the first page now (cheap, served by an index), the count later."""
        self._pages.clear()
        self._anchors.clear()
        self._loading.clear()
        self._generation += 1
        self._total = None
        if self._runner is None:
            self._total = self._count = self._counter(self.actor, self.flt)
            self._more = False
            return
        if self.sort_key not in browse.VOUCHER_SORT_INDEXED:  # rows come with the count, pages later
            self._count = 0
            self._more = False
            return
        first = self._fetch(0)
        self._count = len(first)
        self._more = len(first) == self.page_size

    def _count_in_background(self) -> None:
        generation, actor, flt = self._generation, self.actor, self.flt

        def done(total: int) -> None:
            if generation == self._generation:
                self._set_total(int(total))

        def failed(exc: BaseException) -> None:  # rows stay browsable a page at a time
            log.warning("counting vouchers failed: %s", exc)

        if self._runner is None:
            self.count_known.emit(self._count)
            return
        self._ops = [op for op in self._ops if not getattr(op, "done", True)]
        op = self._runner(lambda _progress: self._counter(actor, flt), on_success=done, on_failure=failed)
        self._ops.append(op)

    def _set_total(self, total: int) -> None:
        self._total = total
        self._more = False
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()
        elif total < self._count:  # rows went away since the pages were read
            self.beginRemoveRows(QModelIndex(), total, self._count - 1)
            self._count = total
            self.endRemoveRows()
        self.count_known.emit(total)

    def count_pending(self) -> bool:
        return self._total is None

    def set_filter(self, flt: VoucherFilter) -> None:
        self.beginResetModel()
        self.flt = flt
        self._start()
        self.endResetModel()
        self._count_in_background()

    def refresh(self) -> None:
        self.set_filter(self.flt)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort is None:
            return
        self.layoutAboutToBeChanged.emit()
        self.sort_key = COLUMNS[column].sort or "issued_at"
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self._anchors.clear()
        self._loading.clear()
        self._generation += 1  # pages still being read are for the old order
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.sort == self.sort_key)

    # --- rows ----------------------------------------------------------------------------
    def _fetch(self, page_no: int) -> list[dict]:
        """Read one page, seeking from the nearest anchor; remember its boundary keys."""
        size = self.page_size
        start = page_no * size
        self.fetches += 1
        if not self._keyset:
            page = self._window(self.actor, self.flt, start, size, self.sort_key, self.descending)
            self.seeks.append(("offset", start))
        else:
            how, skip, limit, kwargs = self._plan(page_no)
            page = self._window(self.actor, self.flt, skip, limit, self.sort_key, self.descending, **kwargs)
            self.seeks.append((how, skip))
            if page and "sort_key" in page[0]:
                self._anchors[page_no] = (page[0]["sort_key"], page[-1]["sort_key"])
        self._pages[page_no] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _slow(self, page_no: int) -> bool:
        """Whether reading this page would hold up the GUI thread (no index, or a long skip)."""
        if self._runner is None or not self._keyset:
            return False
        return self.sort_key not in browse.VOUCHER_SORT_INDEXED or self._plan(page_no)[1] > self.async_skip

    def _fetch_in_background(self, page_no: int) -> None:
        if page_no in self._loading:
            return
        self._loading.add(page_no)
        how, skip, limit, kwargs = self._plan(page_no)
        generation, actor, flt, sort, descending = (
            self._generation,
            self.actor,
            self.flt,
            self.sort_key,
            self.descending,
        )

        def arrived(page: list[dict]) -> None:
            if generation != self._generation:
                return
            self._loading.discard(page_no)
            self.fetches += 1
            self.seeks.append((how, skip))
            if page and "sort_key" in page[0]:
                self._anchors[page_no] = (page[0]["sort_key"], page[-1]["sort_key"])
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
            first = page_no * self.page_size
            last = min(first + self.page_size, self._count) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

        def failed(exc: BaseException) -> None:
            self._loading.discard(page_no)
            log.warning("reading vouchers failed: %s", exc)

        work = lambda _progress: self._window(actor, flt, skip, limit, sort, descending, **kwargs)  # noqa: E731
        self._ops = [op for op in self._ops if not getattr(op, "done", True)]
        self._ops.append(self._runner(work, on_success=arrived, on_failure=failed))

    def _plan(self, page_no: int) -> tuple[str, int, int, dict]:
        """The cheapest way to read page ``page_no``: (how, rows to skip, limit, window arguments)."""
        size = self.page_size
        start = page_no * size
        best: tuple[str, int, int, dict] = ("start", start, size, {})
        if self._total is not None and start < self._total:  # from the end of the list, backwards
            end = min(start + size, self._total)
            skip = self._total - end
            if skip < best[1]:
                best = ("end", skip, end - start, {"backward": True})
        before = max((p for p in self._anchors if p < page_no), default=None)
        if before is not None:
            skip = start - (before + 1) * size
            if skip < best[1]:
                best = ("after", skip, size, {"after": self._anchors[before][1]})
        after = min((p for p in self._anchors if p > page_no), default=None)
        if after is not None:
            skip = (after - page_no - 1) * size
            if skip < best[1]:
                best = ("before", skip, size, {"after": self._anchors[after][0], "backward": True})
        return best

    def row(self, row: int) -> dict | None:
        """The row dict at ``row`` (fetching its page if needed)."""
        if not 0 <= row < self._count:
            return None
        page_no = row // self.page_size
        page = self._pages.get(page_no)
        if page is None:
            if self._slow(page_no):
                self._fetch_in_background(page_no)
                return None  # an empty row until the page arrives
            page = self._fetch(page_no)
        else:
            self._pages.move_to_end(page_no)
        offset = row - page_no * self.page_size
        return page[offset] if offset < len(page) else None  # rows deleted since the count

    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._total is None and self._more

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        """Before the count arrives: one more page after the rows shown (a keyset seek)."""
        if not self.canFetchMore(parent):
            return
        page = self._fetch(self._count // self.page_size)
        self._more = len(page) == self.page_size
        if page:
            self.beginInsertRows(QModelIndex(), self._count, self._count + len(page) - 1)
            self._count += len(page)
            self.endInsertRows()

    # --- QAbstractTableModel -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self._count
