"""Statistics on the reports screen: this month's issued and redeemed vouchers and the package's
redemption rate, equal to the database, drawn in the chart's colours."""

from __future__ import annotations

from PySide6.QtGui import QColor

from desktop import documents, worker
from forms.reports_screen import ReportsScreen
from forms.session import Session
from forms.statistics_view import ISSUED, REDEEMED
from models import clock, redemption
from tests.gui import english_words
from tests.helpers import make_actor


def _colours(widget) -> set[str]:
    image = widget.grab().toImage()
    step = 3
    return {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def test_statistics_tab_shows_the_series_and_the_rate(qtbot, zh_app, db_url, issued):
    nurse = make_actor("nurse", "supervisor")
    plain = [v for v in issued.vouchers if v.result_kind != "screening"]
    redemption.redeem(nurse, plain[0].code, plain[0].service_point)
    finance = make_actor("finance")
    screen = ReportsScreen(Session(actor=finance, db_url=db_url, documents=documents, worker=worker))
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    screen.tabs.setCurrentWidget(screen.statistics)
    tab = screen.statistics
    qtbot.waitUntil(lambda: tab.op is not None and tab.op.done, timeout=30_000)
    data = tab.chart.data
    month = clock.local_today().strftime("%Y-%m")
    assert data.timeline[-1].label == month and len(data.timeline) == 12
    assert (data.timeline[-1].issued, data.timeline[-1].redeemed) == (len(issued.vouchers), 1)
    assert sum(p.issued for p in data.timeline[:-1]) == 0
    [rate] = [r for r in data.per_package if r.package == issued.package_name]
    assert rate.rate_percent == 100.0 / len(issued.vouchers)
    assert (
        f"{len(issued.vouchers)} 张" in tab.summary.text() or str(len(issued.vouchers)) in tab.summary.text()
    )
    assert {ISSUED.name(), REDEEMED.name()} <= _colours(tab.chart)
    assert english_words(screen) == []
