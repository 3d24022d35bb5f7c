"""Browse clients, episodes and issuances: the same windowed lists as the voucher browser.

Personal data is masked; someone holding ``pii.reveal`` can show one client's full ID number and
phone (Ctrl+R) after giving a reason — that goes through ``models.pii.reveal_client`` and is
audited. Keys: F5 reload.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms import messages
from forms.row_table import row_table
from forms.session import Session
from forms.window_model import ID_ROLE, Column, WindowedModel
from models import browse, catalog, clock, pii
from models.browse import ClientFilter, EpisodeFilter, IssuanceFilter
from models.episodes import KIND_LABELS, STATUS_LABELS
from models.errors import FfdeskError, InvalidInput
from models.identity import SEX_LABELS


class ClientModel(WindowedModel):
    context = "ClientModel"
    widths = (80, 190, 190, 110, 50, 100, 80, 140)
    default_sort = "created_at"
    columns = (
        Column("name_masked", QT_TRANSLATE_NOOP("ClientModel", "Name"), "name"),
        Column("id_type_label", QT_TRANSLATE_NOOP("ClientModel", "ID type")),
        Column("id_masked", QT_TRANSLATE_NOOP("ClientModel", "ID number")),
        Column("phone_masked", QT_TRANSLATE_NOOP("ClientModel", "Phone")),
        Column("sex_label", QT_TRANSLATE_NOOP("ClientModel", "Sex")),
        Column("birth_date", QT_TRANSLATE_NOOP("ClientModel", "Birth date / age"), "birth_date"),
        Column("episodes", QT_TRANSLATE_NOOP("ClientModel", "Episodes"), right=True),
        Column("created_at", QT_TRANSLATE_NOOP("ClientModel", "Registered at"), "created_at"),
    )


class EpisodeModel(WindowedModel):
    context = "EpisodeModel"
    widths = (60, 100, 70, 80, 190, 100, 100, 90, 140)
    default_sort = "opened_at"
    columns = (
        Column("id", QT_TRANSLATE_NOOP("EpisodeModel", "No."), None, right=True),
        Column("kind_label", QT_TRANSLATE_NOOP("EpisodeModel", "Kind"), "kind"),
        Column("status_label", QT_TRANSLATE_NOOP("EpisodeModel", "Status"), "status"),
        Column("client_name_masked", QT_TRANSLATE_NOOP("EpisodeModel", "Client")),
        Column("client_id_masked", QT_TRANSLATE_NOOP("EpisodeModel", "ID number")),
        Column("edd", QT_TRANSLATE_NOOP("EpisodeModel", "Due date"), "edd"),
        Column("birth_date", QT_TRANSLATE_NOOP("EpisodeModel", "Birth date")),
        Column("issuances", QT_TRANSLATE_NOOP("EpisodeModel", "Packages issued"), right=True),
        Column("opened_at", QT_TRANSLATE_NOOP("EpisodeModel", "Opened at"), "opened_at"),
    )


class IssuanceModel(WindowedModel):
    context = "IssuanceModel"
    widths = (230, 170, 80, 50, 100, 110, 70, 140)
    default_sort = "issued_at"
    columns = (
        Column("slip_no", QT_TRANSLATE_NOOP("IssuanceModel", "Slip no."), "slip_no"),
        Column("package_name", QT_TRANSLATE_NOOP("IssuanceModel", "Package"), "package"),
        Column("client_name_masked", QT_TRANSLATE_NOOP("IssuanceModel", "Client")),
        Column("vouchers", QT_TRANSLATE_NOOP("IssuanceModel", "Vouchers"), right=True),
        Column("value_text", QT_TRANSLATE_NOOP("IssuanceModel", "Value"), right=True),
        Column("issued_by", QT_TRANSLATE_NOOP("IssuanceModel", "Issued by")),
        Column("print_count", QT_TRANSLATE_NOOP("IssuanceModel", "Prints"), right=True),
        Column("issued_at", QT_TRANSLATE_NOOP("IssuanceModel", "Issued at"), "issued_at"),
    )


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ListTab(QWidget):
    """A filter row over a windowed table with a row count below it."""

    model_class: type[WindowedModel] = WindowedModel

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.filters = QHBoxLayout()
        self.build_filters()
        self.filters.addStretch(1)
        self.model = self.make_model()
        widths = getattr(self.model, "widths", ())
        self.table = row_table(self, self.model, widths, self.model.sort_column())
        self.table.setSortingEnabled(True)
        self.count_label = QLabel(self)
        self.bottom = QHBoxLayout()
        self.bottom.addWidget(self.count_label)
        self.bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.bottom)
        self.model.modelReset.connect(self._update_count)
        QShortcut(
            QKeySequence("F5"),
            self,
            activated=self.model.refresh,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self._update_count()

    def build_filters(self) -> None:
        """Add filter widgets to ``self.filters``; call ``self.apply_filter`` when they change."""

    def current_filter(self):
        raise NotImplementedError

    def make_model(self) -> WindowedModel:
        raise NotImplementedError

    def count_text(self, count: int) -> str:
        return self.tr("%1 rows").replace("%1", f"{count:,}")

    def apply_filter(self, *_args) -> None:
        try:
            self.model.set_filter(self.current_filter())
        except FfdeskError as exc:
            messages.show_error(self, exc)

    def _update_count(self) -> None:
        self.count_label.setText(self.count_text(self.model.rowCount()))

    def _combo(self, label: str, items: list[tuple[str, str | None]]) -> QComboBox:
        combo = QComboBox(self)
        for text, data in items:
            combo.addItem(text, data)
        caption = QLabel(label, self)
        caption.setBuddy(combo)
        self.filters.addWidget(caption)
        self.filters.addWidget(combo)
        combo.currentIndexChanged.connect(self.apply_filter)
        return combo

    def _dates(self, caption: str) -> tuple[QCheckBox, QDateEdit, QDateEdit]:
        use = QCheckBox(caption, self)
        today = clock.local_today()
        first = QDateEdit(_qdate(today - dt.timedelta(days=30)), self)
        last = QDateEdit(_qdate(today), self)
        for edit in (first, last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self.apply_filter)
        use.toggled.connect(first.setEnabled)
        use.toggled.connect(last.setEnabled)
        use.toggled.connect(self.apply_filter)
        self.filters.addWidget(use)
        self.filters.addWidget(first)
        self.filters.addWidget(QLabel(self.tr("to"), self))
        self.filters.addWidget(last)
        return use, first, last

    def activate(self) -> None:
        self.table.setFocus()


class ClientsTab(ListTab):
    def build_filters(self) -> None:
        self.text = QLineEdit(self)
        self.text.setObjectName("clientFilter")
        self.text.setPlaceholderText(self.tr("Name, pinyin initials, ID number or phone"))
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(260)
        self.filters.addWidget(self.text)
        self.sex = self._combo(
            self.tr("Sex:"), [(self.tr("All"), None), *((v, k) for k, v in SEX_LABELS.items())]
        )
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.text.textChanged.connect(lambda _t: self._debounce.start())
        self.text.returnPressed.connect(self.apply_filter)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.reveal_button = QPushButton(self.tr("&Reveal full ID and phone… (Ctrl+R)"), self)
        self.reveal_button.setObjectName("revealButton")
        self.reveal_button.setVisible(session.can("pii.reveal"))
        self.reveal_button.clicked.connect(self.reveal)
        self.bottom.addWidget(self.reveal_button)
        # The revealed values of ONE client, below the table: gone when another client is chosen,
        # the list changes or the desk locks (forget_revealed) — never a window left open.
        self.revealed_label = QLabel(self)
        self.revealed_label.setObjectName("revealedLabel")
        self.revealed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.revealed_label.hide()
        self.layout().insertWidget(2, self.revealed_label)
        self.revealed_for: int | None = None
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.forget_revealed())
        self.model.modelReset.connect(self.forget_revealed)
        if session.can("pii.reveal"):
            QShortcut(
                QKeySequence("Ctrl+R"),
                self,
                activated=self.reveal,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

    def make_model(self) -> WindowedModel:
        return ClientModel(
            self.session.actor, self.current_filter(), browse.client_window, browse.count_clients, self
        )

    def current_filter(self) -> ClientFilter:
        return ClientFilter(text=self.text.text(), sex=self.sex.currentData())

    def count_text(self, count: int) -> str:
        return self.tr("%1 clients").replace("%1", f"{count:,}")

    def activate(self) -> None:
        self.text.setFocus()
        self.text.selectAll()

    def ask_reason(self) -> str | None:
        """The reason for looking at full personal data, chosen from the list or typed; None when
        cancelled (tests replace this). The service refuses a reason shorter than a few characters."""
        text, ok = QInputDialog.getItem(
            self,
            self.tr("Reveal personal data"),
            self.tr("Reason (recorded in the audit log):"),
            list(pii.REVEAL_REASONS),
            0,
            True,
        )
        return text if ok else None

    def show_revealed(self, revealed: pii.RevealedClient) -> None:
        self.revealed_for = revealed.id
        self.revealed_label.setText(
            self.tr("ID number: %1\nPhone: %2")
            .replace("%1", revealed.id_number)
            .replace("%2", revealed.phone)
        )
        self.revealed_label.show()

    def forget_revealed(self) -> None:
        """Take full values off the screen (another client, a new list, the idle lock)."""
        self.revealed_for = None
        self.revealed_label.clear()
        self.revealed_label.hide()

    def reveal(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            messages.show_error(self, InvalidInput(self.tr("Select a client first.")))
            return
        reason = self.ask_reason()
        if reason is None:
            return
        try:
            revealed = pii.reveal_client(self.session.actor, self.model.data(index, ID_ROLE), reason=reason)
        except FfdeskError as exc:
            messages.show_error(self, exc)
            return
        self.show_revealed(revealed)


class EpisodesTab(ListTab):
    def build_filters(self) -> None:
        self.kind = self._combo(
            self.tr("Kind:"), [(self.tr("All"), None), *((v, k) for k, v in KIND_LABELS.items())]
        )
        self.status = self._combo(
            self.tr("Status:"), [(self.tr("All"), None), *((v, k) for k, v in STATUS_LABELS.items())]
        )
        self.use_dates, self.date_from, self.date_to = self._dates(self.tr("Opened from"))

    def make_model(self) -> WindowedModel:
        return EpisodeModel(
            self.session.actor, self.current_filter(), browse.episode_window, browse.count_episodes, self
        )

    def current_filter(self) -> EpisodeFilter:
        dates = self.use_dates.isChecked()
        return EpisodeFilter(
            kind=self.kind.currentData(),
            status=self.status.currentData(),
            opened_from=_pydate(self.date_from.date()) if dates else None,
            opened_to=_pydate(self.date_to.date()) if dates else None,
        )

    def count_text(self, count: int) -> str:
        return self.tr("%1 episodes").replace("%1", f"{count:,}")


class IssuancesTab(ListTab):
    def build_filters(self) -> None:
        self.slip = QLineEdit(self)
        self.slip.setPlaceholderText(self.tr("Slip number contains…"))
        self.slip.setClearButtonEnabled(True)
        self.slip.returnPressed.connect(self.apply_filter)
        self.slip.textChanged.connect(self.apply_filter)
        self.filters.addWidget(self.slip)
        self.package = self._combo(
            self.tr("Package:"),
            [(self.tr("All"), None), *((p.name, p.code) for p in catalog.catalog_views())],
        )
        self.use_dates, self.date_from, self.date_to = self._dates(self.tr("Issued from"))

    def make_model(self) -> WindowedModel:
        return IssuanceModel(
            self.session.actor, self.current_filter(), browse.issuance_window, browse.count_issuances, self
        )

    def current_filter(self) -> IssuanceFilter:
        dates = self.use_dates.isChecked()
        return IssuanceFilter(
            package_code=self.package.currentData(),
            issued_from=_pydate(self.date_from.date()) if dates else None,
            issued_to=_pydate(self.date_to.date()) if dates else None,
            text=self.slip.text(),
        )

    def count_text(self, count: int) -> str:
        return self.tr("%1 issuances").replace("%1", f"{count:,}")
