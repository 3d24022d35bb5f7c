"""The shell: first start, idle lock keeping the screen, settings, errors without tracebacks."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from desktop import app as desk_app
from desktop.settings import DeskSettings
from forms import messages
from forms.login import UnlockDialog
from forms.settings_dialog import SettingsDialog
from models import catalog, db, first_start, staff
from models import settings as hospital_settings
from models.errors import Refused
from tests.helpers import PASSWORD, make_actor


def _desk(qtbot, db_url, actor) -> desk_app.DeskApp:
    desk = desk_app.DeskApp(db_url, DeskSettings(idle_minutes=10))
    qtbot.addWidget(desk.window)
    desk.set_actor(actor)
    desk.window.show()
    return desk


def _when_modal(qtbot, action) -> None:
    """Run ``action(dialog)`` on the modal dialog as soon as it is shown."""

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        action(dialog)

    QTimer.singleShot(0, poll)


def test_first_start_of_the_default_database_creates_it_with_the_catalog(qapp):
    url, first_start = desk_app.open_database(None)
    try:
        assert url == db.default_url() and first_start
        assert len(catalog.catalog_views()) == 8
        assert not staff.no_staff_yet()  # the demo hospital, never a database without staff
    finally:
        db.close()
    url, first_start = desk_app.open_database(None)
    db.close()
    assert not first_start


def test_first_start_shows_a_determinate_progress_bar(qtbot, zh_app):
    bars: list[tuple[int, int, str]] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible():
                bars.append((widget.value(), widget.maximum(), widget.labelText()))
        if not first_start.default_path().exists():
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    desk_app.build_first_start_database(db.default_url())
    assert first_start.default_path().exists()
    assert bars, "no progress dialog was shown"
    assert {maximum for _, maximum, _ in bars} == {first_start.STEPS}
    assert any(0 < value < first_start.STEPS for value, _, _ in bars)
    assert bars[0][2] == "首次启动，正在准备演示数据…"


def test_idle_lock_hides_the_screen_and_gives_it_back_after_the_password(qtbot, zh_app, db_url):
    actor = make_actor("nurse")
    desk = _desk(qtbot, db_url, actor)
    page = desk.window.show_page("catalog")
    seen: list[bool] = []

    def unlock(dialog):
        assert isinstance(dialog, UnlockDialog)
        seen.append(desk.window.centralWidget().isVisible())
        dialog.password.setText(PASSWORD)
        dialog.unlock_button.click()

    _when_modal(qtbot, unlock)
    desk.idle_lock.set_interval_ms(30)
    qtbot.waitUntil(lambda: seen == [False], timeout=3000)
    qtbot.waitUntil(lambda: not desk.locked)
    assert desk.window.centralWidget().isVisible()
    assert desk.window.stack.currentWidget() is page
    assert desk.session.actor.staff.id == actor.staff.id
    desk.idle_lock.stop()


def test_a_closed_window_is_never_locked_afterwards(qtbot, zh_app, db_url):
    """The idle timer dies with its window: no lock fires on a deleted window later on."""
    desk = desk_app.DeskApp(db_url, DeskSettings(idle_minutes=10))
    desk.set_actor(make_actor("nurse"))
    desk.window.show()
    desk.idle_lock.set_interval_ms(20)
    window = desk.window
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))
    assert not desk.idle_lock.timer.isActive()
    desk.idle_lock.timer.start(1)  # even a timer started by a stray input event
    qtbot.wait(50)  # pytest-qt fails the test on an exception in the event loop
    assert not desk.locked


def test_settings_dialog_saves_this_desks_settings(qtbot, zh_app, db_url):
    admin = make_actor("admin")
    desk = _desk(qtbot, db_url, admin)

    def fill(dialog):
        assert isinstance(dialog, SettingsDialog)
        dialog.idle_minutes.setValue(3)
        dialog.service_point.setCurrentIndex(dialog.service_point.findData("LAB"))
        dialog.institution.setText("长沙市妇幼保健院")
        dialog.save()

    _when_modal(qtbot, fill)
    desk.open_settings()
    saved = DeskSettings.load()
    assert saved.idle_minutes == 3 and saved.service_point == "LAB"
    assert desk.idle_lock.interval_ms == 3 * 60_000
    assert desk.session.actor.service_point == "LAB"
    assert hospital_settings.institution_name() == "长沙市妇幼保健院"
    assert "检验" in desk.window.point_label.text()
    desk.idle_lock.stop()


def test_unexpected_errors_show_a_chinese_message_and_the_log_not_a_traceback(
    qtbot, zh_app, monkeypatch, caplog
):
    shown: list[str] = []
    monkeypatch.setattr(
        messages, "show_error", lambda parent, exc, title=None: shown.append(messages.error_text(exc))
    )
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        with caplog.at_level(logging.ERROR):
            desk_app._excepthook(type(exc), exc, exc.__traceback__)
    assert len(shown) == 1 and "意外错误" in shown[0] and "Traceback" not in shown[0]
    assert "ZeroDivisionError" in caplog.text


def test_service_refusals_show_their_own_message(zh_app):
    assert messages.error_text(Refused("该券已于 2026-03-01 核销")) == "该券已于 2026-03-01 核销"


def test_the_application_title_is_chinese_because_the_translator_comes_first(qapp, monkeypatch):
    """Setting the display name before installing the translator left every window title English."""
    from desktop import i18n

    monkeypatch.delenv("FFDESK_LANG", raising=False)
    i18n.install_translators(qapp, "en")  # as a fresh process: no translator yet
    qapp.setApplicationDisplayName("")
    app = desk_app.create_application()
    try:
        assert app.applicationDisplayName() == "生育友好服务台"
        assert desk_app.FOCUS_RING in app.styleSheet()  # where Enter goes is visible
    finally:
        i18n.install_translators(qapp, "zh_CN")
        qapp.setStyleSheet("")


def test_every_window_title_is_chinese(qtbot, zh_app, db_url):
    """The main window, its pages and the dialogs a desk opens: titles without English words."""
    import re

    from forms.episode_dialogs import DeliveryDialog, NewbornDialog, PregnancyDialog
    from forms.front_desk import RegisterDialog
    from forms.pdf_preview import PdfPreviewDialog
    from forms.session import Session
    from models import clients, clock, episodes
    from reports.slip import render_slip
    from tests.helpers import resident_id
    from tests.reports.samples import slip

    actor = make_actor("frontdesk", "admin")
    desk = _desk(qtbot, db_url, actor)
    session = Session(actor=actor, db_url=db_url)
    client = clients.register_client(actor, id_type="resident", id_number=resident_id(), name="王小红").client
    episode = episodes.open_pregnancy(actor, client.id, clock.local_today())
    windows = [
        desk.window,
        RegisterDialog(session),
        PregnancyDialog(session, client),
        DeliveryDialog(session, episode),
        NewbornDialog(session, client),
        PdfPreviewDialog(render_slip(slip()), "电子券券单"),
    ]
    for window in windows:
        title = window.windowTitle()
        assert title and not re.search(r"[A-Za-z]{2,}", title), title


def test_window_titles_carry_the_chinese_program_name(qapp):
    app = desk_app.create_application()
    try:
        assert app.applicationDisplayName() == "生育友好服务台"
    finally:
        app.setApplicationDisplayName("")
