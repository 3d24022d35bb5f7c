"""Long work off the GUI thread: one helper with success/failure callbacks, progress and cancel.

Modelled on Anki's ``aqt.operations``: the work function runs in a thread pool and gets a
:class:`Progress` to report to and to ask whether the user cancelled; the callbacks run back on
the GUI thread. A progress dialog appears only if the work takes longer than a moment.

Each worker thread has its own database connection (peewee keeps connection state per thread);
it is closed when the work ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger("ffdesk.worker")


class Cancelled(Exception):
    """Raised inside the work function by :meth:`Progress.check` after the user pressed cancel."""


class Progress:
    """Handed to the work function: report progress, check for cancellation (thread-safe)."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def update(self, done: int, total: int = 0, text: str = "") -> None:
        self.check()
        self._emit(int(done), int(total), text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class _Signals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, progress: Progress) -> None:
        super().__init__()
        self.work = work
        self.signals = signals
        self.progress = progress
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)
        finally:
            _close_thread_connection()


def _close_thread_connection() -> None:
    try:
        from models.db import database

        if database.obj is not None and not database.is_closed():
            database.close()
    except Exception:  # closing is best effort
        log.debug("closing the worker connection failed", exc_info=True)


class BackgroundOp(QObject):
    """One running piece of work. Keep a reference or let the parent keep it alive."""

    finished = Signal()

    def __init__(
        self,
        work: Callable[[Progress], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        parent: QWidget | None = None,
        label: str = "",
        cancellable: bool = True,
        show_after_ms: int = 400,
    ) -> None:
        super().__init__(parent)
        self.on_success = on_success
        self.on_failure = on_failure
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.signals = _Signals()
        self.progress = Progress(self.signals.progress.emit)
        self.dialog: QProgressDialog | None = None
        if label:
            self.dialog = QProgressDialog(label, "", 0, 0, parent)
            self.dialog.setObjectName("progressDialog")
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(show_after_ms)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            if cancellable:
                self.dialog.setCancelButtonText(QCoreApplication.translate("Worker", "Cancel"))
                self.dialog.canceled.connect(self.progress.cancel)
            else:
                self.dialog.setCancelButton(None)
            self.dialog.setValue(0)
        self.signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.signals.succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        QThreadPool.globalInstance().start(_Runnable(work, self.signals, self.progress))

    def cancel(self) -> None:
        self.progress.cancel()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if text:
            self.dialog.setLabelText(text)

    def _finish(self) -> None:
        self.done = True
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.finished.emit()

    def _on_succeeded(self, result: Any) -> None:
        self.result = result
        self._finish()
        if self.on_success is not None:
            self.on_success(result)

    def _on_failed(self, exc: BaseException) -> None:
        self.error = exc
        self._finish()
        if isinstance(exc, Cancelled):
            return
        if self.on_failure is not None:
            self.on_failure(exc)
        else:
            from forms import messages

            messages.show_error(self.parent() if isinstance(self.parent(), QWidget) else None, exc)


def run_in_background(
    work: Callable[[Progress], Any],
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    parent: QWidget | None = None,
    label: str = "",
    cancellable: bool = True,
) -> BackgroundOp:
    """Run ``work(progress)`` in a worker thread; callbacks run on the GUI thread.

    Without ``on_failure`` a failure shows the standard error box (cancellation shows nothing).
    """
    return BackgroundOp(work, on_success, on_failure, parent, label, cancellable)


def run_blocking_with_progress(
    fn: Callable[..., Any], label: str, parent: QWidget | None = None, reports_progress: bool = False
) -> Any:
    """Run ``fn()`` off the GUI thread while a (non-cancellable) progress dialog keeps painting.

    For start-up work before the main window exists. With ``reports_progress`` the function is
    called as ``fn(progress)`` and its ``progress.update(done, total)`` fills the bar.
    Re-raises the function's exception.
    """
    loop = QEventLoop()
    op = run_in_background(
        fn if reports_progress else (lambda _progress: fn()),
        on_success=lambda _r: None,
        on_failure=lambda _e: None,
        parent=parent,
        label=label,
        cancellable=False,
    )
    op.finished.connect(loop.quit)
    if not op.done:
        loop.exec()
    if op.error is not None:
        raise op.error
    return op.result
