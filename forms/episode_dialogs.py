"""Front desk episode dialogs: pre-pregnancy couple, child episode, newborn, delivery.

The front desk screen owns one :class:`EpisodeActions`: a button with a menu (Ctrl+E) that
opens these dialogs for the client on screen and reopens the client page afterwards. Each
dialog calls exactly one service (plus a family link for the couple) and shows the service's
Chinese message in the dialog when it refuses, so the desk can correct and retry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forms.date_field import DateField
from forms.scanner_input import scanner_field
from forms.session import Session
from models import clients, episodes
from models.errors import FfdeskError, InvalidInput


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("dialogError")
    label.setProperty("data", True)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


class _ServiceDialog(QDialog):
    """A form, an error line and OK / Cancel; ``save`` calls the service and accepts on success."""

    def __init__(self, session: Session, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = _error_label(self)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setDefault(True)
        self.buttons.addButton(
            QCoreApplication.translate("EpisodeDialogs", "Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)

    def finish_layout(self) -> None:
        self.body.addWidget(self.error)
        self.body.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def save(self) -> None:
        try:
            self.apply()
        except FfdeskError as exc:
            self.error.setText(exc.message)
            field = exc.details.get("field") if isinstance(exc, InvalidInput) else None
            widget = self.findChild(QWidget, field) if field else None
            if widget is not None:
                widget.setFocus()
            return
        self.accept()

    def apply(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class PregnancyDialog(_ServiceDialog):
    """A pregnancy episode from the last menstrual period: empty until the desk types or picks it."""

    def __init__(self, session: Session, client: clients.ClientView, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("New pregnancy episode"), self.tr("Open"), parent)
        self.setObjectName("pregnancyDialog")
        self.client = client
        self.result_view: episodes.EpisodeView | None = None
        name = QLabel(f"{client.name_masked}　{client.id_number_masked}", self)
        name.setProperty("data", True)
        self.form.addRow(self.tr("Client:"), name)
        self.lmp = DateField(self.tr("the last menstrual period"), self)
        self.lmp.setObjectName("lmp")
        self.form.addRow(self.tr("&Last menstrual period:"), self.lmp)
        self.finish_layout()
        self.lmp.setFocus()

    def apply(self) -> None:
        self.result_view = episodes.open_pregnancy(self.session.actor, self.client.id, self.lmp.required())


class PrepregnancyDialog(_ServiceDialog):
    """A couple's pre-pregnancy episode: find the partner (or register them) and open it."""

    def __init__(self, session: Session, client: clients.ClientView, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("Pre-pregnancy episode (couple)"), self.tr("Open"), parent)
        self.setObjectName("prepregnancyDialog")
        self.client = client
        self.partner: clients.ClientView | None = None
        self.result_view: episodes.EpisodeView | None = None
        # a hook tests replace: registering the partner in the front desk's RegisterDialog
        self.register_partner: Callable[[str], clients.ClientView | None] = self._register_partner
        self.form.addRow(
            self.tr("Client:"), self._data_label(f"{client.name_masked}　{client.id_number_masked}")
        )
        self.search = QLineEdit(self)
        self.search.setObjectName("partnerSearch")
        self.search.setPlaceholderText(self.tr("Partner's ID number, mobile or name — Enter to search"))
        self.search.returnPressed.connect(self.find_partner)
        scanner_field(self.search)  # the partner's ID card through the reader
        register = QPushButton(self.tr("Register partner…"), self)
        register.setObjectName("registerPartner")
        register.clicked.connect(self._register_clicked)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(register)
        self.form.addRow(self.tr("&Partner:"), row)
        self.found = QListWidget(self)
        self.found.setObjectName("partnerList")
        self.found.setMaximumHeight(100)
        self.found.currentItemChanged.connect(self._chosen)
        self.found.itemActivated.connect(lambda _item: self.save())
        self.form.addRow("", self.found)
        self.chosen = self._data_label(
            self.tr("No partner chosen: the episode is opened for the client alone.")
        )
        self.chosen.setObjectName("partnerChosen")
        self.form.addRow("", self.chosen)
        self.note = QLineEdit(self)
        self.form.addRow(self.tr("N&ote:"), self.note)
        self.finish_layout()
        self.setMinimumWidth(580)
        self.search.setFocus()

    def _data_label(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setProperty("data", True)
        label.setWordWrap(True)
        return label

    def find_partner(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        try:
            found = [c for c in clients.find_clients(self.session.actor, text) if c.id != self.client.id]
        except FfdeskError as exc:
            self.error.setText(exc.message)
            return
        self.found.clear()
        for view in found:
            item = QListWidgetItem(f"{view.name_masked}　{view.sex_label}　{view.id_number_masked}")
            item.setData(Qt.ItemDataRole.UserRole, view)
            self.found.addItem(item)
        if found:
            self.found.setCurrentRow(0)
            self.found.setFocus()
            self.error.setText("")
        else:
            self.error.setText(self.tr("Nobody found: register the partner first."))

    def _chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        self.set_partner(item.data(Qt.ItemDataRole.UserRole) if item else None)

    def set_partner(self, view: clients.ClientView | None) -> None:
        self.partner = view
        if view is None:
            self.chosen.setText(self.tr("No partner chosen: the episode is opened for the client alone."))
        else:
            self.chosen.setText(
                self.tr("Partner: %1").replace("%1", f"{view.name_masked}　{view.id_number_masked}")
            )

    def _register_clicked(self) -> None:
        text = self.search.text().strip()
        view = self.register_partner(text if any(c.isdigit() for c in text) else "")
        if view is not None:
            self.set_partner(view)

    def _register_partner(self, id_number: str) -> clients.ClientView | None:
        from forms.front_desk import RegisterDialog

        dialog = RegisterDialog(self.session, id_number, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.result_view
        return None

    def apply(self) -> None:
        actor = self.session.actor
        partner_id = self.partner.id if self.partner else None
        self.result_view = episodes.open_prepregnancy(
            actor, self.client.id, partner_id, self.note.text().strip()
        )
        if partner_id is not None:
            clients.link_family(actor, "partner", self.client.id, partner_id)


class ChildEpisodeDialog(_ServiceDialog):
    """A child episode for the client on screen (birth date from the record when it has one)."""

    def __init__(self, session: Session, child: clients.ClientView, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("Child episode"), self.tr("Open"), parent)
        self.setObjectName("childEpisodeDialog")
        self.child = child
        self.result_view: episodes.EpisodeView | None = None
        name = QLabel(f"{child.name_masked}　{child.sex_label}", self)
        name.setProperty("data", True)
        self.form.addRow(self.tr("Child:"), name)
        self.birth_date = DateField(self.tr("the birth date"), self, child.birth_date)
        self.birth_date.setObjectName("birthDate")
        self.birth_date.setEnabled(not child.birth_date_known)
        if child.birth_date_known and child.birth_date is None:  # registered, but this role sees the age only
            self.birth_date.edit.setPlaceholderText(self.tr("Registered"))
        self.form.addRow(self.tr("&Birth date:"), self.birth_date)
        self.note = QLineEdit(self)
        self.form.addRow(self.tr("N&ote:"), self.note)
        self.finish_layout()
        self.ok_button.setFocus()

    def apply(self) -> None:
        birth = None if self.child.birth_date_known else self.birth_date.required()
        self.result_view = episodes.open_child(
            self.session.actor, self.child.id, birth, self.note.text().strip()
        )


class NewbornDialog(_ServiceDialog):
    """A newborn without papers yet (ID type 'none'), linked to the mother; optionally opens the
    child episode at once so the newborn package can be issued."""

    def __init__(
        self,
        session: Session,
        mother: clients.ClientView,
        birth_date: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, self.tr("Register a newborn"), self.tr("Register"), parent)
        self.setObjectName("newbornDialog")
        self.mother = mother
        self.result_view: clients.ClientView | None = None
        self.episode_view: episodes.EpisodeView | None = None
        label = QLabel(f"{mother.name_masked}　{mother.id_number_masked}", self)
        label.setProperty("data", True)
        self.form.addRow(self.tr("Mother:"), label)
        self.name = QLineEdit(self)
        self.name.setObjectName("newbornName")
        self.name.setPlaceholderText(self.tr("Until the baby is named: the mother's surname + baby"))
        self.form.addRow(self.tr("&Name:"), self.name)
        self.sex = QComboBox(self)
        self.sex.setObjectName("newbornSex")
        self.sex.addItem(self.tr("Female"), "F")
        self.sex.addItem(self.tr("Male"), "M")
        self.form.addRow(self.tr("&Sex:"), self.sex)
        self.birth_date = DateField(self.tr("the birth date"), self, birth_date)  # the delivery on record
        self.birth_date.setObjectName("birthDate")
        self.form.addRow(self.tr("&Birth date:"), self.birth_date)
        self.open_episode = QCheckBox(self.tr("Open the child episode now"), self)
        self.open_episode.setChecked(True)
        self.form.addRow("", self.open_episode)
        self.finish_layout()
        self.name.setFocus()

    def apply(self) -> None:
        actor = self.session.actor
        if self.result_view is None:  # a retry after a refused episode must not register twice
            self.result_view = clients.register_newborn(
                actor,
                self.mother.id,
                name=self.name.text(),
                sex=self.sex.currentData(),
                birth_date=self.birth_date.required(),
            )
        if self.open_episode.isChecked():
            self.episode_view = episodes.open_child(actor, self.result_view.id)


class DeliveryDialog(_ServiceDialog):
    """Record the delivery of an open pregnancy: date, mode, number of babies (closes it)."""

    def __init__(
        self, session: Session, episode: episodes.EpisodeView, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, self.tr("Record delivery"), self.tr("Record"), parent)
        self.setObjectName("deliveryDialog")
        self.episode = episode
        self.result_view: episodes.EpisodeView | None = None
        edd = self.tr("EDD")
        info = QLabel(f"{episode.summary}　{edd} {episode.edd or ''}", self)
        info.setProperty("data", True)
        self.form.addRow(self.tr("Pregnancy:"), info)
        self.delivery_date = DateField(self.tr("the delivery date"), self)
        self.delivery_date.setObjectName("deliveryDate")
        self.form.addRow(self.tr("&Delivery date:"), self.delivery_date)
        self.mode = QComboBox(self)
        self.mode.setObjectName("deliveryMode")
        for code, label in episodes.DELIVERY_MODES.items():
            self.mode.addItem(label, code)
        self.form.addRow(self.tr("&Mode:"), self.mode)
        self.babies = QSpinBox(self)
        self.babies.setObjectName("babies")
        self.babies.setRange(1, episodes.MAX_BABIES)
        self.form.addRow(self.tr("Number of &babies:"), self.babies)
        self.finish_layout()
        self.delivery_date.setFocus()

    def apply(self) -> None:
        self.result_view = episodes.close_pregnancy(
            self.session.actor,
            self.episode.id,
            self.delivery_date.required(),
            self.mode.currentData(),
            self.babies.value(),
        )


class EpisodeActions:
    """The front desk's "More episodes" button and menu (Ctrl+E).

    ``screen`` is the FrontDeskScreen: this reads ``screen.client`` / ``screen.episode_views``
    and calls ``screen.open_client`` and ``screen.say``. ``run`` shows a dialog modally and is
    replaced in tests by a function that fills and saves it.
    """

    def __init__(self, screen) -> None:
        self.screen = screen
        self.run: Callable[[QDialog], bool] = lambda d: d.exec() == QDialog.DialogCode.Accepted
        self.button = QPushButton(
            QCoreApplication.translate("EpisodeActions", "More episodes… (Ctrl+E)"), screen
        )
        self.button.setObjectName("episodeActions")
        self.menu = QMenu(self.button)
        self.prepregnancy_action = self.menu.addAction(
            QCoreApplication.translate("EpisodeActions", "Pre-pregnancy episode (couple)…")
        )
        self.child_action = self.menu.addAction(
            QCoreApplication.translate("EpisodeActions", "Child episode…")
        )
        self.newborn_action = self.menu.addAction(
            QCoreApplication.translate("EpisodeActions", "Register a newborn…")
        )
        self.delivery_action = self.menu.addAction(
            QCoreApplication.translate("EpisodeActions", "Record delivery…")
        )
        self.prepregnancy_action.triggered.connect(self.open_prepregnancy)
        self.child_action.triggered.connect(self.open_child)
        self.newborn_action.triggered.connect(self.register_newborn)
        self.delivery_action.triggered.connect(self.record_delivery)
        self.menu.aboutToShow.connect(self.update_actions)
        self.button.setMenu(self.menu)
        shortcut = QShortcut(QKeySequence("Ctrl+E"), screen)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.button.showMenu)

    # --- what applies to the client on screen --------------------------------------------------
    def open_pregnancy_episode(self) -> episodes.EpisodeView | None:
        return next(
            (e for e in self.screen.episode_views if e.kind == "pregnancy" and e.status == "open"),
            None,
        )

    def latest_delivery(self) -> dt.date | None:
        dates = [
            e.delivery_date for e in self.screen.episode_views if e.kind == "pregnancy" and e.delivery_date
        ]
        return max(dates) if dates else None

    def update_actions(self) -> None:
        client = self.screen.client
        own = [e for e in self.screen.episode_views if client and e.client_id == client.id]
        self.prepregnancy_action.setEnabled(client is not None)
        self.child_action.setEnabled(client is not None and not any(e.kind == "child" for e in own))
        self.newborn_action.setEnabled(client is not None and client.sex == "F")
        self.delivery_action.setEnabled(self.open_pregnancy_episode() is not None)

    # --- actions ------------------------------------------------------------------------------
    def open_prepregnancy(self) -> None:
        client = self.screen.client
        if client is None:
            return
        dialog = PrepregnancyDialog(self.screen.session, client, self.screen)
        if self.run(dialog) and dialog.result_view is not None:
            self.screen.open_client(client.id)
            self.screen.say(QCoreApplication.translate("EpisodeActions", "Pre-pregnancy episode opened."))

    def open_child(self) -> None:
        client = self.screen.client
        if client is None:
            return
        dialog = ChildEpisodeDialog(self.screen.session, client, self.screen)
        if self.run(dialog) and dialog.result_view is not None:
            self.screen.open_client(client.id)
            self.screen.say(QCoreApplication.translate("EpisodeActions", "Child episode opened."))

    def register_newborn(self) -> None:
        client = self.screen.client
        if client is None:
            return
        dialog = NewbornDialog(self.screen.session, client, self.latest_delivery(), self.screen)
        if self.run(dialog) and dialog.result_view is not None:
            self.screen.open_client(dialog.result_view.id)
            self.screen.say(
                QCoreApplication.translate("EpisodeActions", "Newborn registered and linked to the mother.")
            )

    def record_delivery(self) -> None:
        episode = self.open_pregnancy_episode()
        if episode is None or self.screen.client is None:
            self.screen.say(
                QCoreApplication.translate("EpisodeActions", "No open pregnancy to record a delivery for.")
            )
            return
        dialog = DeliveryDialog(self.screen.session, episode, self.screen)
        if self.run(dialog) and dialog.result_view is not None:
            self.screen.open_client(self.screen.client.id)
            self.screen.say(
                QCoreApplication.translate(
                    "EpisodeActions", "Delivery recorded. Ctrl+E registers the newborn."
                )
            )
