"""Lock the desk after N minutes without keyboard or mouse input (default 10; 0 = never).

An application-wide event filter restarts a single-shot timer on every input event. When it
fires, ``locked`` is emitted; the application hides the screen's content behind the unlock
dialog and shows it again, untouched, after the password (see ``desktop.app``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.InputMethod,
}


class IdleLock(QObject):
    locked = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)
        self.paused = False
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.set_interval_ms(max(0, int(minutes)) * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        self.interval_ms = ms
        self.timer.stop()
        if ms > 0 and not self.paused:
            self.timer.start(ms)

    def restart(self) -> None:
        if self.interval_ms > 0 and not self.paused:
            self.timer.start(self.interval_ms)

    def pause(self) -> None:
        """While the unlock dialog is up the timer does not run."""
        self.paused = True
        self.timer.stop()

    def resume(self) -> None:
        self.paused = False
        self.restart()

    def _fire(self) -> None:
        if not self.paused:
            self.locked.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and not self.paused:
            self.restart()
        return False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
