"""A date field that is empty until someone types or picks a date: no invented medical facts.

A ``QDateEdit`` always holds some date, so a dialog that opens on "today − 60 days" offers a last
menstrual period nobody said, and Enter accepts it. This field is a line edit (YYYY-MM-DD, also
2026/10/01, 20261001 or full-width digits) with a calendar button; the calendar opens on today
(or on the date already typed). :meth:`DateField.value` returns ``None`` while it is empty and
raises the Chinese :class:`InvalidInput` for text that is no date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QToolButton, QWidget

from models import clock
from models.errors import InvalidInput

_DATE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")


def parse_date(text: str, what: str) -> dt.date | None:
    """``None`` for an empty field; the date typed; or a Chinese message naming ``what``."""
    plain = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if not plain:
        return None
    match = _DATE.match(plain)
    if match is None:
        raise InvalidInput(f"{what}应写成 年-月-日，例如 2026-10-01（收到“{text.strip()}”）")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise InvalidInput(f"{what}不是有效日期：{text.strip()}") from None


class DateField(QWidget):
    """Empty until typed; Enter in it reaches the dialog's default button like any line edit."""

    changed = Signal()

    def __init__(self, what: str, parent: QWidget | None = None, value: dt.date | None = None) -> None:
        super().__init__(parent)
        self.what = what
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("year-month-day, e.g. 2026-10-01"))
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
        self.edit.setMaxLength(16)
        self.edit.textChanged.connect(self.changed)
        self.pick = QToolButton(self)
        self.pick.setObjectName("calendarButton")
        self.pick.setText(self.tr("Calendar…"))
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pick.clicked.connect(self.open_calendar)
        self.calendar: QCalendarWidget | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.pick)
        self.setFocusProxy(self.edit)
        if value is not None:
            self.set_value(value)

    def setObjectName(self, name: str) -> None:
        super().setObjectName(name)
        self.edit.setObjectName(f"{name}Edit")

    def value(self) -> dt.date | None:
        return parse_date(self.edit.text(), self.what)

    def required(self) -> dt.date:
        """The date, or a Chinese message saying it is missing."""
        day = self.value()
        if day is None:
            raise InvalidInput(f"请填写{self.what}", field=self.objectName())
        return day

    def set_value(self, day: dt.date | None) -> None:
        self.edit.setText("" if day is None else day.isoformat())

    def setDate(self, day: dt.date | QDate) -> None:
        self.set_value(day.toPython() if isinstance(day, QDate) else day)

    def text(self) -> str:
        return self.edit.text()

    def open_calendar(self) -> QCalendarWidget:
        """The calendar pops up on the date typed, else on today (never on an invented date)."""
        try:
            shown = self.value() or clock.local_today()
        except InvalidInput:
            shown = clock.local_today()
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        calendar.activated.connect(self._picked)
        calendar.clicked.connect(self._picked)
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        self.calendar = calendar
        return calendar

    def _picked(self, date: QDate) -> None:
        self.set_value(date.toPython())
        if self.calendar is not None:
            self.calendar.close()
            self.calendar.deleteLater()
            self.calendar = None
        self.edit.setFocus()
