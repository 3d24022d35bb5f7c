"""The voucher browser at scale: keyset windows give the same rows as OFFSET, deep pages are read
from the nearest known row instead of skipping from the top, and the count never holds up the
screen (rows show before it arrives; a count for an old filter is dropped)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import Qt

from forms.voucher_model import COLUMNS, ROW_ROLE, VoucherModel
from models import browse, clients, clock, episodes, issuance
from models.browse import VoucherFilter
from tests.helpers import resident_id

SORTABLE = [i for i, c in enumerate(COLUMNS) if c.sort]


@pytest.fixture
def many(frontdesk):
    """Four pregnancy packages: issued at two whole seconds and two arbitrary instants, so sort
    values repeat (ties broken by id) and stored times with and without microseconds mix."""
    rng = random.Random(11)
    now = clock.utcnow()
    try:
        for k, at in enumerate(
            [now.replace(microsecond=0), now.replace(microsecond=0), now, now + dt.timedelta(microseconds=7)]
        ):
            clock.set_now(at - dt.timedelta(hours=k))
            client = clients.register_client(
                frontdesk, id_type="resident", id_number=resident_id("19930301", "F", rng=rng), name=f"李{k}"
            ).client
            lmp = clock.local_today() - dt.timedelta(weeks=10)
            episode = episodes.open_pregnancy(frontdesk, client.id, lmp)
            issuance.issue_package(frontdesk, episode.id, "HN-ZY")
    finally:
        clock.set_now(None)
    return browse.count_vouchers(frontdesk, VoucherFilter())


def _ids(model: VoucherModel, rows) -> list[int]:
    return [model.data(model.index(r, 0), ROW_ROLE)["id"] for r in rows]


class Deferred:
    """A runner that keeps the work until the test lets it finish (the worker thread stand-in)."""

    def __init__(self) -> None:
        self.jobs: list = []

    def __call__(self, work, on_success=None, on_failure=None, parent=None, **_kw):
        self.jobs.append((work, on_success))
        return self

    def finish(self) -> None:
        work, on_success = self.jobs.pop(0)
        on_success(work(None))


@pytest.mark.parametrize("column", SORTABLE)
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_keyset_pages_match_the_offset_order(zh_app, db_url, frontdesk, many, column, order):
    model = VoucherModel(frontdesk)  # counted at once, every page read on this thread
    model.page_size = 3
    model.sort(column, order)
    expected = [
        r["id"]
        for r in browse.voucher_window(
            frontdesk, VoucherFilter(), 0, many, model.sort_key, order == Qt.SortOrder.DescendingOrder
        )
    ]
    assert len(set(expected)) == many >= 20
    last_page = (many - 1) // 3
    # the last page (from the end), one in the middle (OFFSET from the nearest end), then pages
    # next to known ones in both directions (seeks from their first/last row)
    order_read = [last_page, last_page // 2, last_page // 2 - 1, last_page // 2 + 1, 0, 1, last_page - 1]
    got = {}
    for page in order_read:
        rows = range(page * 3, min(page * 3 + 3, many))
        got.update(zip(rows, _ids(model, rows), strict=True))
    assert [got[r] for r in sorted(got)] == [expected[r] for r in sorted(got)]
    hows = [how for how, _skip in model.seeks[-len(order_read) :]]
    assert hows[0] == "end" and hows[2] == "before" and hows[3] == "after"
    # the rest, sequentially from the top: every page a keyset seek that skips nothing
    model.sort(column, order)
    model.seeks.clear()
    assert _ids(model, range(many)) == expected
    assert [skip for _how, skip in model.seeks[1:]] == [0] * (len(model.seeks) - 1)


def test_rows_show_before_the_count_arrives(qtmodeltester, zh_app, db_url, frontdesk, many):
    runner = Deferred()
    model = VoucherModel(frontdesk, runner=runner, counter=browse.count_vouchers)
    model.page_size = 4  # the first page is read now; the count waits in the "worker"
    model.refresh()
    runner.jobs.clear()
    model.set_filter(VoucherFilter())
    assert model.count_pending() and len(runner.jobs) == 1
    assert model.rowCount() == 4
    assert model.data(model.index(0, 0))
    assert model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 8
    qtmodeltester.check(model)
    shown = model.rowCount()  # the tester may have asked for more pages itself
    assert shown < many
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    runner.finish()
    assert not model.count_pending() and model.rowCount() == many
    assert inserted == [(shown, many - 1)]
    assert not model.canFetchMore(model.index(-1, -1))
    qtmodeltester.check(model)


def test_a_count_for_an_older_filter_is_dropped(zh_app, db_url, frontdesk, many):
    runner = Deferred()
    model = VoucherModel(frontdesk, runner=runner)
    model.set_filter(VoucherFilter(state="redeemed"))  # nothing redeemed: no rows
    runner.finish()  # the first (unfiltered) count arrives late
    assert model.count_pending() and model.rowCount() == 0
    runner.finish()
    assert model.rowCount() == 0 and not model.count_pending()


def test_the_count_runs_in_the_worker_thread(qtbot, zh_app, db_url, frontdesk, many):
    import threading

    from desktop import worker

    threads: list[str] = []

    def counter(actor, flt):
        threads.append(threading.current_thread().name)
        return browse.count_vouchers(actor, flt)

    model = VoucherModel(frontdesk, runner=worker.run_in_background, counter=counter)
    with qtbot.waitSignal(model.count_known, timeout=10_000) as signal:
        pass
    assert signal.args == [many] and model.rowCount() == many
    assert threads and threads[0] != threading.main_thread().name


def _changes(model: VoucherModel) -> list[tuple[int, int]]:
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, _roles=(): changed.append((first.row(), last.row())))
    return changed


def test_pages_of_a_sort_without_index_are_read_in_the_worker(qtmodeltester, zh_app, db_url, frontdesk, many):
    value = next(i for i, c in enumerate(COLUMNS) if c.sort == "value_fen")
    runner = Deferred()
    model = VoucherModel(frontdesk, runner=runner)
    runner.finish()  # the count
    model.sort(value, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) is None  # asked for, not read on this thread
    model.data(model.index(1, 0))
    assert len(runner.jobs) == 1  # one read per page
    model.sort(value, Qt.SortOrder.AscendingOrder)  # the pending page is for the old order
    model.data(model.index(0, 0))
    changed = _changes(model)
    runner.finish()  # the descending page arrives late: dropped
    assert changed == [] and model.data(model.index(0, 0)) is None
    runner.finish()
    assert changed == [(0, many - 1)]
    values = [model.data(model.index(r, 0), ROW_ROLE)["value_fen"] for r in range(many)]
    assert values == sorted(values)
    qtmodeltester.check(model)


def test_a_far_jump_is_read_in_the_worker_and_near_pages_at_once(zh_app, db_url, frontdesk, many):
    runner = Deferred()
    model = VoucherModel(frontdesk, runner=runner)
    runner.finish()
    model.page_size, model.async_skip = 2, 3
    model.sort(model.sort_column(), Qt.SortOrder.DescendingOrder)
    expected = [r["id"] for r in browse.voucher_window(frontdesk, VoucherFilter(), 0, many)]
    assert _ids(model, range(4)) == expected[:4] and runner.jobs == []  # from the top
    middle = many // 2 - (many // 2) % 2  # first row of a page, far from both ends and from row 3
    assert model.data(model.index(middle, 0)) is None and len(runner.jobs) == 1
    changed = _changes(model)
    runner.finish()
    assert changed == [(middle, middle + 1)]
    assert _ids(model, [middle, middle + 1]) == expected[middle : middle + 2]
    assert _ids(model, [middle + 2]) == [expected[middle + 2]] and runner.jobs == []  # next to it: keyset
