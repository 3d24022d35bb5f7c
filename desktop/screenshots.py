"""Save a PNG of every screen on demo data into resources/screenshots/ (for the README).

    python -m desktop.screenshots [--out DIR] [--lang zh_CN|en]

Runs offscreen by default (``QT_QPA_PLATFORM=offscreen``); under ``xvfb-run`` it uses the real
xcb platform. A temporary data folder and SQLite database are used, never the user's own.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "resources" / "screenshots"
SCREENSHOT_PASSWORD = "Shot-Pass-2026"


def _prepare_environment(home: Path, lang: str) -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["FFDESK_HOME"] = str(home)
    os.environ["FFDESK_LANG"] = lang
    os.environ.setdefault("FFDESK_WORKSTATION", "发券窗口1")


def _demo_database(home: Path) -> str:
    from desktop.app import fill_demo_data, open_database

    url = f"sqlite:///{home / 'screenshots.db'}"
    open_database(url)
    fill_demo_data()
    return url


def _actor(roles: frozenset[str], service_point: str | None):
    """A staff member holding every role, created for the screenshots (outside the demo's staff)."""
    from models import audit, staff
    from models.db import database
    from models.schema import Staff

    existing = Staff.get_or_none(Staff.username == "screenshots")
    if existing is None:
        with database.atomic():
            existing = staff._create("screenshots", "李晓红", roles, SCREENSHOT_PASSWORD, must_change=False)
            audit.record(None, "staff.create", "staff", existing.id, after={"username": "screenshots"})
    return staff.authenticate("screenshots", SCREENSHOT_PASSWORD, service_point=service_point)


def grab(widget, path: Path) -> Path:
    import time

    from PySide6.QtWidgets import QApplication

    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    if widget.objectName() == "pdfPreview":  # QPdfView renders pages in a thread: let it finish
        end = time.monotonic() + 2
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.05)
    pixmap = widget.grab()
    path.parent.mkdir(parents=True, exist_ok=True)
    pixmap.save(str(path), "PNG")
    return path


def take_all(out: Path) -> list[Path]:
    from desktop.app import create_application
    from desktop.main_window import MainWindow
    from forms.session import Session
    from models.permissions import ROLE_LABELS

    app = create_application()
    home = Path(os.environ["FFDESK_HOME"])
    url = _demo_database(home)
    point = "LAB"  # 检验科: most packages have a laboratory item
    actor = _actor(frozenset(ROLE_LABELS), point)
    from desktop import documents, worker

    session = Session(
        actor=actor,
        db_url=url,
        institution="示例市妇幼保健院",
        service_point=point,
        documents=documents,
        worker=worker,
    )
    window = MainWindow(session)
    window.resize(1280, 800)
    saved: list[Path] = []
    for key in list(window.pages):
        window.show_page(key)
        prepare = SCENES.get(key)
        if prepare is not None:
            prepare(window.pages[key])
        saved.append(grab(window, out / f"{key}.png"))
    if "reports" in window.pages:  # the month-close and statistics tabs of the finance screen
        reports = window.show_page("reports")
        reports.tabs.setCurrentIndex(1)
        saved.append(grab(window, out / "month_close.png"))
        reports.tabs.setCurrentWidget(reports.statistics)
        _wait(app, lambda: reports.statistics.op is not None and reports.statistics.op.done)
        saved.append(grab(window, out / "statistics.png"))
    if "browse" in window.pages:  # clients, episodes and issuances tabs
        browse = window.show_page("browse")
        for name, tab in (
            ("browse_clients", browse.clients_tab),
            ("browse_episodes", browse.episodes_tab),
            ("browse_issuances", browse.issuances_tab),
        ):
            browse.tabs.setCurrentWidget(tab)
            tab.table.selectRow(0)
            saved.append(grab(window, out / f"{name}.png"))
        browse.tabs.setCurrentIndex(0)
    for name, make in DIALOGS.items():
        dialog = make(session, window)
        if dialog is None:
            continue
        saved.append(grab(dialog, out / f"{name}.png"))
        dialog.close()
    window.close()
    app.processEvents()
    return saved


def _wait(app, done: Callable[[], bool], seconds: float = 30) -> None:
    import time

    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _front_desk_scene(screen) -> None:
    """A new pregnant client found by ID number: the packages with eligibility."""
    import datetime as dt

    from models import clients, clock, episodes

    actor = screen.session.actor
    number = "430102199405120027"
    found = clients.find_by_id_number("resident", number)
    if found is None:
        view = clients.register_client(
            actor, id_type="resident", id_number=number, name="王小红", phone="13812345678"
        ).client
        episodes.open_pregnancy(actor, view.id, clock.local_today() - dt.timedelta(weeks=9))
    screen.search.setText(number)
    screen.do_search()


def _redeem_scene(screen) -> None:
    """A voucher of this service point scanned and waiting for Enter."""
    from models import browse

    flt = browse.VoucherFilter(state="issued", service_point=screen.session.service_point)
    rows = browse.voucher_window(screen.session.actor, flt, 0, 1)
    if rows:
        screen.code.setText(rows[0]["code"])
        screen.submit()


def _settings_dialog(session, window):
    from desktop.settings import DeskSettings
    from forms.settings_dialog import SettingsDialog

    return SettingsDialog(session, DeskSettings.load().to_values(), window)


def _about_dialog(session, window):
    from forms.about import AboutDialog

    return AboutDialog(session, window)


def _login_dialog(session, window):
    from forms.login import LoginDialog

    return LoginDialog(session.service_point, window)


def _unlock_dialog(session, window):
    from forms.login import UnlockDialog

    return UnlockDialog(session.actor, window)


MOTHER_ID = "430102199405120027"


def _mother(actor):
    from models import clients

    found = clients.find_by_id_number("resident", MOTHER_ID)
    if found is not None:
        return clients.get_client(actor, found.id)
    return clients.register_client(
        actor, id_type="resident", id_number=MOTHER_ID, name="王小红", phone="13812345678"
    ).client


def _baby_with_forms(actor) -> None:
    """王小红's son born 3 days ago with his child episode, and blank forms at this desk."""
    import datetime as dt

    from models import certificates, clients, clock, episodes

    mother = _mother(actor)
    if not any(link.role == "子女" for link in clients.client_detail(actor, mother.id).links):
        born = clock.local_today() - dt.timedelta(days=3)
        child = clients.register_newborn(actor, mother.id, name="王小宝", sex="M", birth_date=born)
        episodes.open_child(actor, child.id)
    if not certificates.list_batches():
        batch = certificates.receive(actor, "R", 430000001, 430000050)
        certificates.assign(actor, batch.first_serial, "R430000020", actor.workstation)


def _certificates_scene(screen) -> None:
    """The issue tab for a newborn found through the mother, with one message under a field."""
    _baby_with_forms(screen.session.actor)
    tab = screen.issue_tab
    tab.search.setText(MOTHER_ID)
    tab.do_search()
    for key, value in (
        ("newborn.gestational_weeks", "39"),
        ("newborn.weight_g", "3300"),
        ("newborn.length_cm", "50"),
        ("newborn.birthplace.province", "湖南省"),
        ("newborn.birthplace.city", "长沙市"),
        ("newborn.birthplace.county", "岳麓区"),
        ("mother.ethnicity", "汉"),
    ):
        tab.fields[key].setText(value)
    tab.preview = lambda pdf, title: False
    tab.preview_draft()  # birth time without the hour: shows the message under that field


def _certificates_tab(index: int):
    def make(session, window):
        from forms.certificates import CertificatesScreen

        _baby_with_forms(session.actor)
        screen = CertificatesScreen(session)
        screen.resize(1200, 720)
        screen.tabs.setCurrentIndex(index)
        return screen

    return make


def _leave_scene(screen) -> None:
    """Municipal rules, a late first birth by caesarean of twins, with wages: every line worked out."""
    import datetime as dt

    from models import clock

    _mother(screen.session.actor)
    screen.rule_set.setCurrentIndex(screen.rule_set.findData("municipal_example"))
    screen.delivery_date.setDate(clock.local_today() - dt.timedelta(days=10))
    screen.search.setText(MOTHER_ID)
    screen.do_search()
    screen.mode.setCurrentIndex(screen.mode.findData("caesarean"))
    screen.babies.setValue(2)
    screen.employer.setText("示例市某某科技有限公司")
    screen.wage.setText("6000.00")
    screen.city_wage.setText("7500.00")


def _calibration_dialog(session, window):
    from forms.calibration import CalibrationDialog

    return CalibrationDialog(session, "证件打印机", window)


def _newborn_dialog(session, window):
    from forms.episode_dialogs import NewbornDialog

    dialog = NewbornDialog(session, _mother(session.actor), parent=window)
    dialog.name.setText("王小宝")
    return dialog


def _delivery_dialog(session, window):
    from forms.episode_dialogs import DeliveryDialog
    from models import episodes

    mother = _mother(session.actor)
    views = [e for e in episodes.episodes_of(session.actor, mother.id) if e.kind == "pregnancy"]
    return DeliveryDialog(session, views[0], window) if views else None


def _pregnancy_dialog(session, window):
    from forms.episode_dialogs import PregnancyDialog

    return PregnancyDialog(session, _mother(session.actor), window)  # LMP empty until typed


def _login_point_dialog(session, window):
    """A nurse at a desk without a service point: she chooses one before she starts."""
    from forms.login import LoginDialog
    from models import staff

    dialog = LoginDialog(None, window)
    dialog.username.setText("nurse")
    dialog._finish(staff.actor_for(staff.get_staff("nurse")))
    return dialog


def _prepregnancy_dialog(session, window):
    from forms.episode_dialogs import PrepregnancyDialog

    return PrepregnancyDialog(session, _mother(session.actor), window)


def _browse_scene(screen) -> None:
    """Redeemed vouchers, newest first, the first one selected."""
    screen.state.setCurrentIndex(screen.state.findData("redeemed"))
    screen.table.selectRow(0)


def _voucher_history_dialog(session, window):
    from forms.voucher_history import VoucherHistoryDialog
    from models import browse

    rows = browse.voucher_window(session.actor, browse.VoucherFilter(state="redeemed"), 0, 1)
    return VoucherHistoryDialog(session.actor, rows[0]["code"], window) if rows else None


def _staff_dialog(session, window):
    from forms.staff_admin import StaffDialog

    dialog = StaffDialog(window)
    dialog.username.setText("zhouhs")
    dialog.full_name.setText("周护士")
    dialog.roles["nurse"].setChecked(True)
    return dialog


def _first_admin_dialog(session, window):
    from forms.first_admin import FirstAdminDialog

    dialog = FirstAdminDialog(None, window)
    dialog.full_name.setText("郑管理")
    return dialog


def _register_dialog(session, window):
    from forms.front_desk import RegisterDialog

    dialog = RegisterDialog(session, "430102199602140048")
    dialog.name.setText("周子涵")
    return dialog


def _slip_preview_dialog(session, window):
    from forms.pdf_preview import PdfPreviewDialog
    from models import browse

    rows = browse.issuance_window(session.actor, browse.IssuanceFilter(), 0, 1)
    if not rows:
        return None
    pdf = session.documents.slip_pdf(session.actor, rows[0]["id"], "roll80", "截图")
    return PdfPreviewDialog(pdf, "电子券券单", "", window)


# Per-screen set-up before the picture (fill a search, scan a code…).
def _applications_scene(screen) -> None:
    """The example file of the exchange format imported: three applications waiting."""
    import tempfile
    from importlib import resources

    folder = Path(tempfile.mkdtemp())
    path = folder / "example.csv"
    path.write_bytes(resources.files("resources.applications").joinpath("example.csv").read_bytes())
    screen.import_path(str(path))
    from PySide6.QtWidgets import QApplication

    _wait(QApplication.instance(), lambda: screen.op is None or screen.op.done)
    screen.refresh()


SCENES: dict[str, Callable] = {
    "issue": _front_desk_scene,
    "redeem": _redeem_scene,
    "certificates": _certificates_scene,
    "leave": _leave_scene,
    "browse": _browse_scene,
    "applications": _applications_scene,
}
DIALOGS: dict[str, Callable] = {
    "login": _login_dialog,
    "unlock": _unlock_dialog,
    "settings": _settings_dialog,
    "about": _about_dialog,
    "certificates_stock": _certificates_tab(1),
    "certificates_void": _certificates_tab(2),
    "calibration": _calibration_dialog,
    "prepregnancy": _prepregnancy_dialog,
    "pregnancy": _pregnancy_dialog,
    "login_service_point": _login_point_dialog,
    "newborn": _newborn_dialog,
    "delivery": _delivery_dialog,
    "voucher_history": _voucher_history_dialog,
    "staff_dialog": _staff_dialog,
    "first_admin": _first_admin_dialog,
    "register": _register_dialog,
    "slip_preview": _slip_preview_dialog,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ffdesk-shots-") as tmp:
        _prepare_environment(Path(tmp), args.lang)
        for path in take_all(args.out):
            print(path)
        from models import db

        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
