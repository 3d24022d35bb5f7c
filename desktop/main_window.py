"""The main window: navigation by role on the left, one screen at a time, status bar below.

Screens are listed in :data:`PAGES` with the permission that shows them. The window never
decides what a user may do — services refuse; the window only hides what would be refused.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from desktop.settings import qsettings
from forms.session import Session, describe_db
from models import catalog, clock
from models.errors import NotFound
from models.permissions import ROLE_LABELS

log = logging.getLogger("ffdesk.window")


@dataclass(frozen=True)
class Page:
    """``permission``: the page shows for anyone holding it — or any one of a tuple of them."""

    key: str
    title: str  # English source; translated in the MainWindow context
    permission: str | tuple[str, ...] | None
    factory: str  # "module:Class" taking (session, parent)

    def visible_to(self, session: Session) -> bool:
        if self.permission is None or isinstance(self.permission, str):
            return session.can(self.permission)
        return any(session.can(p) for p in self.permission)


PAGES: list[Page] = [
    Page(
        "issue",
        QT_TRANSLATE_NOOP("MainWindow", "Front desk"),
        "voucher.issue",
        "forms.front_desk:FrontDeskScreen",
    ),
    Page(
        "applications",
        QT_TRANSLATE_NOOP("MainWindow", "Online applications"),
        "voucher.issue",
        "forms.applications_screen:ApplicationsScreen",
    ),
    Page("redeem", QT_TRANSLATE_NOOP("MainWindow", "Redeem"), "voucher.redeem", "forms.redeem:RedeemScreen"),
    Page(
        "follow_up",
        QT_TRANSLATE_NOOP("MainWindow", "Follow-up"),
        "voucher.redeem",
        "forms.follow_up_screen:FollowUpScreen",
    ),
    Page("browse", QT_TRANSLATE_NOOP("MainWindow", "Browse"), "client.read", "forms.browse:BrowseScreen"),
    Page(
        "certificates",
        QT_TRANSLATE_NOOP("MainWindow", "Birth certificates"),
        ("certificate.issue", "certificate.stock", "certificate.void"),
        "forms.certificates:CertificatesScreen",
    ),
    Page(
        "leave",
        QT_TRANSLATE_NOOP("MainWindow", "Leave proof"),
        "certificate.issue",
        "forms.leave_proof:LeaveProofScreen",
    ),
    Page(
        "reports",
        QT_TRANSLATE_NOOP("MainWindow", "Reports"),
        "report.read",
        "forms.reports_screen:ReportsScreen",
    ),
    Page("audit", QT_TRANSLATE_NOOP("MainWindow", "Audit log"), "audit.read", "forms.audit_log:AuditScreen"),
    Page("staff", QT_TRANSLATE_NOOP("MainWindow", "Staff"), "staff.manage", "forms.staff_admin:StaffScreen"),
    Page("catalog", QT_TRANSLATE_NOOP("MainWindow", "Catalog"), None, "forms.catalog_admin:CatalogScreen"),
    Page(
        "backup",
        QT_TRANSLATE_NOOP("MainWindow", "Backup"),
        "backup.manage",
        "forms.backup_screen:BackupScreen",
    ),
]


def _exists(factory: str) -> bool:
    """Whether the screen's module is there — found without importing it."""
    module_name = factory.partition(":")[0]
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


def _load(factory: str) -> type[QWidget] | None:
    module_name, _, attr = factory.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None  # that screen is not built yet
        raise
    return getattr(module, attr, None)


class _Pages(Mapping[str, QWidget]):
    """The window's screens by key; a screen is imported and built when first asked for.

    Start-up and sign-in import no screen module; switching to a page (or ``pages[key]``)
    builds it in place of its empty placeholder in the stack.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.defs: dict[str, Page] = {}
        self.built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        if key not in self.built:
            self.built[key] = self._window._build_page(self.defs[key])
        return self.built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.defs)

    def __len__(self) -> int:
        return len(self.defs)

    def __contains__(self, key: object) -> bool:
        return key in self.defs

    def clear(self) -> None:
        self.defs.clear()
        self.built.clear()


class MainWindow(QMainWindow):
    """Emits ``switch_user_requested`` / ``lock_requested``; the application answers them."""

    switch_user_requested = Signal()
    lock_requested = Signal()
    settings_requested = Signal()
    about_requested = Signal()
    restore_requested = Signal(object)  # a screen asks the shell to restore this backup file

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Fertility-friendly service desk"))
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget(self)
        self.pages = _Pages(self)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._on_row)
        self._build_menus()
        self._build_status_bar()
        self.build_pages()
        self._clock = QTimer(self)
        self._clock.timeout.connect(self.update_status)
        self._clock.start(60_000)
        self.restore_state()

    # --- pages ------------------------------------------------------------------------
    def visible_pages(self) -> list[Page]:
        return [p for p in PAGES if p.visible_to(self.session) and _exists(p.factory)]

    def build_pages(self) -> None:
        """(Re)build navigation for the signed-in roles — called again after a user switch.

        Each page gets an empty placeholder; the screen itself is built when first shown.
        """
        self.nav.blockSignals(True)  # no page is built while the list is refilled
        self.nav.clear()
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.pages.clear()
        for index, page in enumerate(self.visible_pages()):
            self.pages.defs[page.key] = page
            self.stack.addWidget(QWidget(self.stack))
            item = QListWidgetItem(QCoreApplication.translate("MainWindow", page.title))
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            if index < 9:
                item.setToolTip(
                    QKeySequence(f"Ctrl+{index + 1}").toString(QKeySequence.SequenceFormat.NativeText)
                )
            self.nav.addItem(item)
        self.nav.setCurrentRow(-1)
        self.nav.blockSignals(False)
        if self.nav.count() and self.session.actor is not None:
            self.nav.setCurrentRow(0)
        self.update_status()

    def _build_page(self, page: Page) -> QWidget:
        """Import and build one screen, replacing its placeholder at the same stack index."""
        index = list(self.pages.defs).index(page.key)
        cls = _load(page.factory)
        if cls is None:
            raise LookupError(page.factory)
        widget = cls(self.session, self.stack)  # type: ignore[call-arg]
        if hasattr(widget, "restore_requested"):
            widget.restore_requested.connect(self.restore_requested)
        if hasattr(widget, "count_changed"):
            widget.count_changed.connect(lambda count, key=page.key: self.show_count(key, count))
        placeholder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, widget)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.setCurrentIndex(current)
        return widget

    def show_page(self, key: str) -> QWidget:
        widget = self.pages[key]
        self.nav.setCurrentRow(self.stack.indexOf(widget))
        return widget

    def show_count(self, key: str, count: int) -> None:
        """A page's navigation entry with a count of waiting work, e.g. 线上申领（3）."""
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                title = QCoreApplication.translate("MainWindow", self.pages.defs[key].title)
                item.setText(f"{title}（{count}）" if count else title)

    def update_counts(self) -> None:
        """Counts shown in the navigation without building the screens (one indexed COUNT)."""
        if self.session.actor is None or "applications" not in self.pages:
            return
        from models.schema import Application

        self.show_count("applications", Application.select().where(Application.status == "pending").count())

    def current_key(self) -> str | None:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _on_row(self, row: int) -> None:
        """Show the page of navigation row ``row``, building its screen the first time."""
        item = self.nav.item(row)
        if item is None:
            return
        if self.session.actor is None:  # signed out (sign-in pending, restore running): build nothing
            self.stack.setCurrentIndex(row)
            return
        widget = self.pages[item.data(Qt.ItemDataRole.UserRole)]
        self.stack.setCurrentIndex(row)
        if hasattr(widget, "activate"):
            widget.activate()

    # --- menus and shortcuts ------------------------------------------------------------
    def _build_menus(self) -> None:
        desk = self.menuBar().addMenu(self.tr("&Desk"))
        self.switch_action = QAction(self.tr("Switch user…"), self)
        self.switch_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.switch_action.triggered.connect(self.switch_user_requested)
        self.lock_action = QAction(self.tr("Lock screen"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested)
        self.settings_action = QAction(self.tr("Settings…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.settings_requested)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        for action in (self.switch_action, self.lock_action, self.settings_action):
            desk.addAction(action)
        desk.addSeparator()
        desk.addAction(quit_action)

        go = self.menuBar().addMenu(self.tr("&Go"))
        for index in range(9):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self._go(i))
            self.addAction(action)
        self.go_menu = go
        go.aboutToShow.connect(self._fill_go_menu)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("About"), self)
        about.setShortcut(QKeySequence("F1"))
        about.triggered.connect(self.about_requested)
        help_menu.addAction(about)

    def _fill_go_menu(self) -> None:
        self.go_menu.clear()
        for index in range(self.nav.count()):
            action = self.go_menu.addAction(self.nav.item(index).text())
            if index < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self._go(i))

    def _go(self, index: int) -> None:
        if 0 <= index < self.nav.count():
            self.nav.setCurrentRow(index)

    # --- status bar ---------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.staff_label = QLabel(self)
        self.workstation_label = QLabel(self)
        self.point_label = QLabel(self)
        self.db_label = QLabel(self)
        self.date_label = QLabel(self)
        for name, label in (
            ("statusStaff", self.staff_label),
            ("statusWorkstation", self.workstation_label),
            ("statusPoint", self.point_label),
            ("statusDb", self.db_label),
            ("statusDate", self.date_label),
        ):
            label.setObjectName(name)
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)

    def update_status(self) -> None:
        actor = self.session.actor
        if actor is None:
            self.staff_label.setText(self.tr("Not signed in"))
            self.workstation_label.setText("")
        else:
            roles = "、".join(ROLE_LABELS.get(r, r) for r in sorted(actor.roles))
            self.staff_label.setText(self.tr("Staff: %1 (%2)").replace("%1", actor.name).replace("%2", roles))
            self.workstation_label.setText(self.tr("Workstation: %1").replace("%1", actor.workstation))
        self.point_label.setText(self.tr("Service point: %1").replace("%1", self._point_name()))
        self.db_label.setText(self.tr("Database: %1").replace("%1", describe_db(self.session.db_url)))
        self.date_label.setText(clock.local_today().isoformat())
        self.update_counts()

    def _point_name(self) -> str:
        code = self.session.service_point
        if not code:
            return self.tr("none")
        try:
            return catalog.get_service_point(code).name
        except NotFound:
            return code

    def set_session(self, session: Session) -> None:
        self.session = session
        self.build_pages()

    # --- window state -------------------------------------------------------------------
    def restore_state(self) -> None:
        settings = qsettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    def save_state(self) -> None:
        settings = qsettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
