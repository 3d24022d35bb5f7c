"""Start the desktop program: Qt application, language, font, database, sign-in, main window."""

from __future__ import annotations

import importlib
import logging
import platform
import sys
import traceback
from dataclasses import replace
from types import TracebackType

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from desktop import i18n, qt_workarounds, worker
from desktop.idle_lock import IdleLock
from desktop.logging_setup import log_file, setup_logging
from desktop.main_window import MainWindow
from desktop.settings import DeskSettings
from forms import messages
from forms.login import LoginDialog, UnlockDialog
from forms.session import Session
from models import db, first_start, migrations, permissions, staff
from models.errors import FfdeskError
from models.permissions import Actor

log = logging.getLogger("ffdesk.app")


class LazyModule:
    """A module imported on first attribute access.

    ``desktop.documents`` pulls in reportlab, the charts and openpyxl (about a second on a
    small machine); the sign-in window needs none of them, so screens get this stand-in.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)


# A visible focus ring: desks are driven by keyboard and scanner, so where Enter goes must show.
FOCUS_RING = """
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus, QPlainTextEdit:focus,
QTextEdit:focus { border: 2px solid #1565c0; border-radius: 3px; }
QPushButton:focus, QToolButton:focus, QCheckBox:focus, QRadioButton:focus { outline: 2px solid #1565c0; }
QPushButton { border: 1px solid #9e9e9e; border-radius: 4px; padding: 4px 11px; background: #f7f7f7; }
QPushButton:hover { background: #eef3fb; }
QPushButton:pressed { background: #dde7f6; }
QPushButton:disabled { color: #9e9e9e; border-color: #cfcfcf; }
QPushButton:default { border-color: #1565c0; }
QPushButton:focus { border: 2px solid #1565c0; padding: 3px 10px; }
QTableView:focus, QTableWidget:focus, QListWidget:focus, QTreeView:focus { border: 2px solid #1565c0; }
"""


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with names, translations and the Chinese font (idempotent)."""
    qt_workarounds.guard_emit_refcount()
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("ffdesk")
    app.setApplicationName("ffdesk")
    i18n.install_translators(app)  # before any translate(): window titles in the user's language
    app.setApplicationDisplayName(app.translate("App", "Fertility-friendly service desk"))
    i18n.install_font(app)
    app.setStyleSheet(FOCUS_RING)
    return app  # type: ignore[return-value]


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Uncaught exceptions in slots: log the traceback, show a Chinese message, keep running."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.error("uncaught exception\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
    try:
        parent = QApplication.activeWindow()
        messages.show_error(parent, exc)
    except Exception:  # never let the hook itself raise
        log.exception("could not show the error box")


def install_excepthook() -> None:
    sys.excepthook = _excepthook


def open_database(explicit_url: str | None) -> tuple[str, bool]:
    """Connect, create or upgrade the schema; returns (url, first_start).

    ``first_start`` is true when the embedded default SQLite did not exist: it is then built
    with its demo hospital (all or nothing, see ``models.first_start``) before connecting.
    Another new database gets the schema and the default catalog.
    """
    url = db.resolve_url(explicit_url)
    built = first_start.needs_building(url)
    if built:
        first_start.build_default_database()
    db.connect(url)
    fresh = migrations.current_version() == 0
    if migrations.needs_upgrade():
        migrations.migrate()
    if fresh:
        from models import catalog

        if catalog.active_version() is None:
            catalog.load_catalog(catalog.default_catalog_path())
    return url, built


def build_first_start_database(url: str) -> None:
    """The default database's first start: its demo hospital behind a determinate progress bar."""
    if not first_start.needs_building(url):
        return
    worker.run_blocking_with_progress(
        lambda progress: first_start.build_default_database(lambda done, total: progress.update(done, total)),
        QApplication.translate("App", "Preparing demo data on first start…"),
        reports_progress=True,
    )


def fill_demo_data() -> bool:
    """Demo hospital on first start of the default database, when the demo service exists."""
    try:
        demo = importlib.import_module("models.demo")
    except ModuleNotFoundError as exc:
        if exc.name != "models.demo":
            raise
        return False
    build = getattr(demo, "build_demo", None) or getattr(demo, "fill_demo", None)
    if build is None:
        return False
    build()
    return True


def forget_revealed(root: QWidget) -> None:
    """Every screen drops the full personal data it revealed (the idle lock, a new sign-in)."""
    for widget in root.findChildren(QWidget):
        forget = getattr(widget, "forget_revealed", None)
        if callable(forget):
            forget()


def cover_other_windows(main: QWidget) -> list[QWidget]:
    """Hide the content of every other open window (dialogs, message boxes) while the desk is
    locked; returns what was hidden so that it can be shown again after the password."""
    covered: list[QWidget] = []
    for top in QApplication.topLevelWidgets():
        if top is main or not top.isVisible():
            continue
        forget_revealed(top)
        for child in top.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child.isVisible():
                child.hide()
                covered.append(child)
    return covered


class SessionExpiry(QObject):
    """The thin adapter: models.permissions reports an expired session, Qt gets a signal."""

    expired = Signal(str)


class DeskApp(QObject):
    """Owns the main window and answers its requests (sign-in, switch user, lock, settings)."""

    def __init__(self, url: str, settings: DeskSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.settings = settings
        self.session = Session(
            actor=None,
            db_url=url,
            institution=settings.institution,
            service_point=settings.service_point or None,
            printers=dict(settings.printers),
            papers=dict(settings.papers),
            documents=LazyModule("desktop.documents"),
            worker=worker,
        )
        self.window = MainWindow(self.session)
        self.window.switch_user_requested.connect(self.switch_user)
        self.window.lock_requested.connect(self.lock)
        self.window.settings_requested.connect(self.open_settings)
        self.window.about_requested.connect(self.open_about)
        self.window.restore_requested.connect(self.restore)
        self.locked = False
        self.expiring = False
        self._setup_idle_lock()
        self._watch_session()

    def _watch_session(self) -> None:
        """A service found this desk's session expired (account changed elsewhere): back to sign-in.

        The listener may run on a worker thread; the queued signal brings it to the GUI thread.
        """
        self.expiry = SessionExpiry(self)
        self.expiry.expired.connect(self.session_expired, Qt.ConnectionType.QueuedConnection)
        self._stop_watching = permissions.on_session_expired(
            lambda exc: self.expiry.expired.emit(exc.message)
        )
        self.window.destroyed.connect(lambda *_: self._stop_watching())

    def _setup_idle_lock(self) -> None:
        self.idle_lock = IdleLock(self.settings.idle_minutes, self)
        self.idle_lock.locked.connect(self.lock)
        # The timer and the application-wide event filter outlive a closed window unless stopped.
        self.window.destroyed.connect(self.idle_lock.stop)

    def sign_in(self) -> bool:
        """Ask for a user; False when the dialog was cancelled.

        On a database without any staff the first administrator is created instead.
        """
        if staff.no_staff_yet():
            from forms.first_admin import FirstAdminDialog

            dialog = FirstAdminDialog(self.session.service_point, parent=self.window)
        else:
            dialog = LoginDialog(self.session.service_point, parent=self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
            return False
        chosen = getattr(dialog, "chosen_point", None)
        if chosen:  # a nurse chose where this desk redeems: the desk keeps it for next time
            self.settings.service_point = chosen
            self.settings.save_local()
            self.session.service_point = chosen
        self.set_actor(dialog.actor)
        return True

    def set_actor(self, actor: Actor) -> None:
        self.session.actor = actor
        self.window.set_session(self.session)

    def switch_user(self) -> None:
        previous = self.session.actor
        signed_in = self.sign_in()
        if signed_in and previous is not None and previous.staff.id != self.session.actor.staff.id:
            staff.sign_out(previous, "switch_user")

    def lock(self) -> None:
        """Hide the screen's content, ask for the password, show the same screen again."""
        actor = self.session.actor
        if actor is None or self.locked or not shiboken6.isValid(self.window):
            return
        self.locked = True
        self.idle_lock.pause()
        central = self.window.centralWidget()
        central.hide()
        forget_revealed(self.window)
        covered = cover_other_windows(self.window)
        try:
            dialog = UnlockDialog(actor, parent=self.window)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.session.actor = dialog.actor
                self.window.update_status()
            else:  # "switch user": the next person signs in; nobody → quit
                staff.sign_out(actor, "switch_user")
                if not self.sign_in():
                    self.window.close()
                    return
        finally:
            central.show()
            for widget in covered:
                if shiboken6.isValid(widget):
                    widget.show()
            self.locked = False
            self.idle_lock.resume()
        page = self.window.stack.currentWidget()
        if page is not None and hasattr(page, "activate"):
            page.activate()

    def session_expired(self, message: str) -> None:
        """Hide every screen, say why in Chinese, and ask for a new sign-in (nobody → quit)."""
        if not shiboken6.isValid(self.window):  # this desk's window is gone (closed at exit)
            self._stop_watching()
            return
        actor = self.session.actor
        if actor is None or self.expiring:
            return
        self.expiring = True
        try:
            forget_revealed(self.window)
            for top in QApplication.topLevelWidgets():  # dialogs of the old session
                if top is not self.window and top.isVisible():
                    top.close()
            self.session.actor = None
            self.window.set_session(self.session)
            messages.inform(self.window, self.tr("Please sign in again"), message)
            if not self.sign_in():
                self.window.close()
        finally:
            self.expiring = False

    def open_settings(self) -> None:
        from forms.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self.settings.to_values(), parent=self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.settings = DeskSettings.from_values(dialog.result_values())
            self.settings.save_local()
            self.session.service_point = self.settings.service_point or None
            if self.session.actor is not None:
                self.session.actor = replace(self.session.actor, service_point=self.session.service_point)
            self.session.printers = dict(self.settings.printers)
            self.session.papers = dict(self.settings.papers)
            self.session.institution = self.settings.institution
            self.idle_lock.set_minutes(self.settings.idle_minutes)
            self.window.set_session(self.session)

    def restore(self, path) -> bool:
        """Restore a backup the administrator chose and confirmed on the backup screen.

        Signs the administrator out and drops every screen (they hold data of the old database),
        closes this thread's connection, restores off the GUI thread behind a progress dialog,
        reconnects and asks for a sign-in again — the restored database has its own staff.
        Returns True when the restore succeeded; errors are shown in Chinese.
        """
        from models import backup

        actor = self.session.actor
        if actor is None:
            return False
        staff.sign_out(actor, "restore")
        self.session.actor = None
        self.window.set_session(self.session)
        db.close()
        restored = None
        try:
            restored = worker.run_blocking_with_progress(
                lambda: backup.restore_backup(actor, path, self.url),
                self.tr("Restoring the database from the backup…"),
                parent=self.window,
            )
        except Exception as exc:
            messages.show_error(self.window, exc)
        try:
            db.connect(self.url)
        except Exception as exc:
            messages.show_error(self.window, exc)
            self.window.close()
            return False
        self.window.set_session(self.session)
        if restored is not None:
            messages.inform(
                self.window,
                self.tr("Restore from backup"),
                self.tr("The database was restored from %1. Please sign in again.").replace(
                    "%1", restored.source.name
                ),
            )
            for warning in restored.warnings:  # e.g. an old unencrypted backup
                messages.inform(self.window, self.tr("Restore from backup"), warning)
        if not self.sign_in():
            self.window.close()
        return restored is not None

    def open_about(self) -> None:
        from forms.about import AboutDialog

        AboutDialog(self.session, parent=self.window).exec()


def _fatal(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, FfdeskError):
        text = exc.message
    else:
        log.exception("start-up failed")
        text = QApplication.translate("App", "The program could not start. Details are in the log file:")
        text += f"\n{log_file()}"
    QMessageBox.critical(parent, QApplication.translate("App", "Cannot start"), text)


def _daily_backup(url: str) -> None:
    """Once a day, back up the local SQLite database; a failure is logged, never fatal."""
    from models import backup

    try:
        made = backup.auto_backup_if_due(url=url)
    except Exception:
        log.exception("automatic backup failed")
        return
    if made is not None:
        log.info("automatic backup written to %s", made)


def run_gui(db_url: str | None) -> int:
    """``ffdesk`` without a command: open the desktop program; returns the exit code."""
    setup_logging()
    log.info("desk starting (%s)", platform.platform())
    app = create_application()
    install_excepthook()
    settings = DeskSettings.load()
    try:
        build_first_start_database(db.resolve_url(db_url))
        url, _ = open_database(db_url)
        _daily_backup(url)
        settings = DeskSettings.load()
        desk = DeskApp(url, settings)
    except Exception as exc:
        _fatal(None, exc)
        return exc.exit_code if isinstance(exc, FfdeskError) else 1
    if not desk.sign_in():
        return 0
    desk.window.show()
    code = app.exec()
    log.info("desk closed: exit %d", code)
    db.close()
    return int(code)
