"""Statistics on screen: vouchers issued and redeemed per month, and the redemption rate per
package, drawn with QPainter (QtCharts is not installed). The figures are the same
``StatisticsData`` the statistics PDF prints (``session.documents.statistics_data``).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPaintEvent, QShortcut
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from forms import messages
from forms.session import Session, run_in_background
from models import clock

ISSUED = QColor("#3c6eb4")
REDEEMED = QColor("#2e9b4f")
GRID = QColor("#d0d0d0")


class StatisticsChart(QWidget):
    """Grouped monthly bars (issued, redeemed) above horizontal redemption-rate bars per package."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsChart")
        self.data = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(360)

    def sizeHint(self) -> QSize:
        return QSize(800, 520)

    def set_data(self, data) -> None:
        self.data = data
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if self.data is None:
            painter.end()
            return
        line = self.fontMetrics().height()
        width, height = self.width(), self.height()
        rates = list(self.data.per_package)
        rate_height = min(height * 0.45, (len(rates) + 1) * (line + 8) + line)
        self._timeline(painter, QRectF(8, 4, width - 16, height - rate_height - 12), line)
        self._rates(painter, QRectF(8, height - rate_height, width - 16, rate_height - 4), line)
        painter.end()

    def _timeline(self, painter: QPainter, area: QRectF, line: int) -> None:
        points = list(self.data.timeline)
        painter.setPen(QColor("black"))
        painter.drawText(
            QRectF(area.left(), area.top(), area.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            self.tr("Vouchers per month"),
        )
        legend_x = area.right()
        for label, colour in ((self.tr("Redeemed"), REDEEMED), (self.tr("Issued"), ISSUED)):
            text_w = self.fontMetrics().horizontalAdvance(label)
            legend_x -= text_w + 26
            painter.fillRect(QRectF(legend_x, area.top() + 3, 14, line - 6), colour)
            painter.drawText(
                QRectF(legend_x + 18, area.top(), text_w + 4, line), Qt.AlignmentFlag.AlignLeft, label
            )
        top = area.top() + line + 6
        axis_w = self.fontMetrics().horizontalAdvance("000000") + 6
        plot = QRectF(area.left() + axis_w, top, area.width() - axis_w, area.bottom() - top - line - 4)
        peak = max([max(p.issued, p.redeemed) for p in points] + [1])
        painter.setPen(GRID)
        for i in range(5):
            y = plot.bottom() - plot.height() * i / 4
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(QColor("#555"))
            painter.drawText(
                QRectF(area.left(), y - line / 2, axis_w - 4, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{round(peak * i / 4):,}",
            )
            painter.setPen(GRID)
        if not points:
            return
        slot = plot.width() / len(points)
        bar = max(1.0, slot * 0.36)
        step = max(
            1, -(-len(points) * self.fontMetrics().horizontalAdvance("2026-00 ") // int(plot.width() or 1))
        )
        for i, p in enumerate(points):
            x = plot.left() + i * slot + slot * 0.14
            for j, (value, colour) in enumerate(((p.issued, ISSUED), (p.redeemed, REDEEMED))):
                h = plot.height() * value / peak
                painter.fillRect(QRectF(x + j * bar, plot.bottom() - h, bar, h), colour)
            if i % step == 0:
                painter.setPen(QColor("black"))
                painter.drawText(
                    QRectF(plot.left() + i * slot - slot, plot.bottom() + 2, slot * 3, line),
                    Qt.AlignmentFlag.AlignHCenter,
                    p.label,
                )

    def _rates(self, painter: QPainter, area: QRectF, line: int) -> None:
        painter.setPen(QColor("black"))
        painter.drawText(
            QRectF(area.left(), area.top(), area.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            self.tr("Redemption rate per package"),
        )
        rates = list(self.data.per_package)
        name_w = max([self.fontMetrics().horizontalAdvance(r.package) for r in rates] + [40]) + 10
        value_w = self.fontMetrics().horizontalAdvance("100.0%（00000/00000）") + 10
        bar_w = max(40.0, area.width() - name_w - value_w)
        y = area.top() + line + 6
        for r in rates:
            painter.setPen(QColor("black"))
            painter.drawText(
                QRectF(area.left(), y, name_w - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                r.package,
            )
            painter.fillRect(QRectF(area.left() + name_w, y + 2, bar_w, line - 4), QColor("#eeeeee"))
            painter.fillRect(
                QRectF(area.left() + name_w, y + 2, bar_w * r.rate_percent / 100, line - 4), REDEEMED
            )
            painter.drawText(
                QRectF(area.left() + name_w + bar_w + 6, y, value_w, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{r.rate_percent:.1f}%（{r.redeemed:,}/{r.issued:,}）",
            )
            y += line + 8


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    month = day.year * 12 + day.month - 1 - back
    return dt.date(month // 12, month % 12 + 1, 1)


class StatisticsTab(QWidget):
    """Month range, Show (F5), and the chart; the query runs off the GUI thread."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsTab")
        self.session = session
        self.op = None
        today = clock.local_today()
        self.first = QDateEdit(self._qdate(_month_start(today, 11)), self)
        self.last = QDateEdit(self._qdate(_month_start(today)), self)
        for edit in (self.first, self.last):
            edit.setDisplayFormat("yyyy-MM")
            edit.setCalendarPopup(True)
        self.show_button = QPushButton(self.tr("&Show (F5)"), self)
        self.show_button.clicked.connect(self.refresh)
        self.summary = QLabel(self)
        self.summary.setObjectName("statisticsSummary")
        self.summary.setProperty("data", True)
        self.chart = StatisticsChart(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("From month:"), self))
        row.addWidget(self.first)
        row.addWidget(QLabel(self.tr("to"), self))
        row.addWidget(self.last)
        row.addWidget(self.show_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 1)
        QShortcut(
            QKeySequence("F5"),
            self,
            activated=self.refresh,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    @staticmethod
    def _qdate(day: dt.date) -> QDate:
        return QDate(day.year, day.month, day.day)

    def months(self) -> tuple[str, str]:
        return self.first.date().toString("yyyy-MM"), self.last.date().toString("yyyy-MM")

    def refresh(self) -> None:
        documents = self.session.documents
        if documents is None or (self.op is not None and not self.op.done):
            return
        actor = self.session.actor
        first, last = self.months()
        self.op = run_in_background(self.session)(
            lambda _progress: documents.statistics_data(actor, first, last),
            on_success=self.show_data,
            on_failure=lambda exc: messages.show_error(self, exc),
            parent=self,
            label=self.tr("Counting vouchers…"),
        )

    def show_data(self, data) -> None:
        issued = sum(p.issued for p in data.timeline)
        redeemed = sum(p.redeemed for p in data.timeline)
        self.summary.setText(
            self.tr("%1: %2 vouchers issued, %3 redeemed.")
            .replace("%1", data.period_label)
            .replace("%2", f"{issued:,}")
            .replace("%3", f"{redeemed:,}")
        )
        self.chart.set_data(data)
