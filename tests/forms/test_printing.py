"""Printing: printer and paper remembered per document type, slips and receipts straight to the
configured printer (no dialog), the preview otherwise; a receipt from the redeem screen."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from desktop import documents
from desktop.settings import DeskSettings
from forms import pdf_preview, printing
from forms.front_desk import FrontDeskScreen
from forms.pdf_preview import PrintOutcome
from forms.redeem import GREEN, RedeemScreen
from forms.session import DOCUMENT_TYPES, Session
from forms.settings_dialog import SettingsDialog
from models import db, issuance
from tests.forms.test_front_desk import _pregnant_client
from tests.gui import english_words
from tests.helpers import make_actor
from tests.reports.helpers import flat_text

REAL_MAKE_PRINTER = pdf_preview.make_printer  # a PDF file stands in for the printer


def test_printer_and_paper_are_remembered_per_document_type(qtbot, zh_app, db_url):
    admin = make_actor("admin")
    printers = {
        "slip": "小票机",
        "receipt": "护士站小票机",
        "report": "财务激光",
        "certificate": "证件打印机",
    }
    dialog = SettingsDialog(
        Session(actor=admin, db_url=db_url), {"printers": printers, "papers": {"slip": "a5"}}
    )
    qtbot.addWidget(dialog)
    assert set(dialog.printer_boxes) == set(DOCUMENT_TYPES)
    assert dialog.values()["printers"] == printers and dialog.values()["papers"] == {"slip": "a5"}
    dialog.slip_paper.setCurrentIndex(dialog.slip_paper.findData("a4"))
    DeskSettings.from_values({**dialog.values(), "institution": ""}).save_local()
    loaded = DeskSettings.load()
    assert loaded.printers == printers and loaded.papers == {"slip": "a4"}
    dialog.show()
    assert english_words(dialog) == []


def test_an_older_single_a4_printer_serves_reports_and_certificates(db_url):
    raw = db.read_settings_file()
    raw["printers"] = {"slip": "小票机", "a4": "激光打印机"}
    db.write_settings_file(raw)
    assert DeskSettings.load().printers == {
        "slip": "小票机",
        "report": "激光打印机",
        "certificate": "激光打印机",
    }


@pytest.fixture
def no_preview(monkeypatch):
    def refuse(self):
        raise AssertionError("no dialog may open when a printer is set")

    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", refuse)


def test_slip_prints_directly_on_the_configured_printer_and_paper(
    qtbot, zh_app, db_url, frontdesk, tmp_path, monkeypatch, no_preview
):
    asked: list[str] = []
    out = tmp_path / "printed.pdf"

    def printer(name="", pdf_path=""):
        asked.append(name)
        return REAL_MAKE_PRINTER(pdf_path=str(out))

    monkeypatch.setattr(pdf_preview, "make_printer", printer)
    monkeypatch.setattr(pdf_preview, "printer_problem", lambda name: ("", name))  # ready and online
    number, _client = _pregnant_client(frontdesk)
    session = Session(
        actor=frontdesk,
        db_url=db_url,
        documents=documents,
        printers={"slip": "小票机"},
        papers={"slip": "a4"},
    )
    screen = FrontDeskScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.keyClicks(screen.search, number)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    qtbot.keyClick(screen.packages, Qt.Key.Key_Return)  # issue: the slip goes to the printer at once
    assert asked == ["小票机"]
    page = PdfReader(str(out)).pages[0]
    assert abs(float(page.mediabox.width) - 595) < 3  # A4, the paper chosen for slips


def test_without_a_printer_the_slip_opens_the_preview(qtbot, zh_app, db_url, frontdesk, monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        printing, "preview", lambda parent, pdf, title, name: shown.append((title, name)) or True
    )
    monkeypatch.setattr(printing, "print_direct", lambda pdf, name: pytest.fail("printed without a printer"))
    number, _client = _pregnant_client(frontdesk)
    screen = FrontDeskScreen(Session(actor=frontdesk, db_url=db_url, documents=documents))
    qtbot.addWidget(screen)
    screen.search.setText(number)
    screen.do_search()
    screen.issue_selected()
    assert shown == [("电子券券单", "")]


def test_redeem_screen_prints_the_receipt(qtbot, zh_app, db_url, issued, monkeypatch, no_preview):
    sent: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        printing, "print_direct", lambda pdf, name: sent.append((pdf, name)) or PrintOutcome(True, name)
    )
    nurse = make_actor("nurse", full_name="赵护士")
    voucher = next(v for v in issued.vouchers if v.result_kind != "screening")
    session = Session(
        actor=nurse,
        db_url=db_url,
        service_point=voucher.service_point,
        documents=documents,
        printers={"receipt": "护士站小票机"},
    )
    screen = RedeemScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    assert not screen.receipt_button.isEnabled()
    qtbot.keyClicks(screen.code, voucher.code)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    assert screen.banner.property("colour") == GREEN and screen.receipt_button.isEnabled()
    qtbot.keyClick(screen.code, Qt.Key.Key_F9)
    [(pdf, name)] = sent
    text = flat_text(pdf)
    assert name == "护士站小票机" and voucher.item_name in text and "赵护士" in text
    assert english_words(screen) == []


# --- printing tells the truth ------------------------------------------------------------------
PROBLEM_WORDS = {
    pdf_preview.CANCELLED: "取消",
    pdf_preview.NO_PRINTER: "找不到",
    pdf_preview.OFFLINE: "脱机",
    pdf_preview.OUT_OF_PAPER: "缺纸",
}


class FakePrinter:
    """Stands in for ``pdf_preview.send_to_printer``: answers with the outcome a test sets."""

    def __init__(self, problem: str = "") -> None:
        self.problem = problem
        self.jobs: list[str] = []

    def __call__(self, document, printer_name="", pdf_output=""):
        self.jobs.append(printer_name)
        if self.problem:
            return PrintOutcome(False, printer_name, self.problem)
        return PrintOutcome(True, printer_name, pages=document.pageCount())


def _desk(qtbot, db_url, frontdesk, monkeypatch, problem: str):
    fake = FakePrinter(problem)
    monkeypatch.setattr(pdf_preview, "send_to_printer", fake)
    offered: list[str] = []
    monkeypatch.setattr(
        printing,
        "ask_after_failure",
        lambda parent, outcome, title: offered.append(outcome.message) or "close",
    )
    number, _client = _pregnant_client(frontdesk)
    session = Session(actor=frontdesk, db_url=db_url, documents=documents, printers={"slip": "小票机"})
    screen = FrontDeskScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    screen.ask_text = lambda title, label: pytest.fail("no reprint reason before a real print")
    screen.search.setText(number)
    screen.do_search()
    return screen, fake, offered


@pytest.mark.parametrize(
    "problem", ["", pdf_preview.NO_PRINTER, pdf_preview.OFFLINE, pdf_preview.OUT_OF_PAPER, pdf_preview.FAILED]
)
def test_a_slip_counts_as_printed_only_when_the_printer_accepts_it(
    qtbot, zh_app, db_url, frontdesk, monkeypatch, problem
):
    screen, fake, offered = _desk(qtbot, db_url, frontdesk, monkeypatch, problem)
    qtbot.keyClick(screen.packages, Qt.Key.Key_Return)  # issue and print at once
    [view] = issuance.issuances_of_episode(frontdesk, screen.current_episode_id())
    assert fake.jobs == ["小票机"]
    if not problem:
        assert view.print_count == 1 and offered == []
        assert view.slip_no in screen.status.text() and "未打印" not in screen.status.text()
        return
    assert view.print_count == 0  # nothing came out: not counted
    [message] = offered  # the desk is offered the preview and "另存为 PDF"
    assert "小票机" in message and PROBLEM_WORDS.get(problem, "没有接受") in message
    assert "未打印" in screen.status.text() and "小票机" in screen.status.text()
    assert "未打印" in screen.issued.item(0, 0).text()
    # the printer is fixed: Ctrl+P prints the first slip, no reason asked, no "补打" on it
    fake.problem = ""
    monkeypatch.setattr(printing, "print_direct", _direct_keeping(screen))
    screen.issued.selectRow(0)
    screen.reprint_selected()  # Ctrl+P
    [view] = issuance.issuances_of_episode(frontdesk, screen.current_episode_id())
    assert view.print_count == 1
    assert "补打（" not in flat_text(screen.last_pdf)
    assert english_words(screen) == []


def _direct_keeping(screen):
    real = printing.print_direct

    def direct(pdf, name):
        screen.last_pdf = pdf
        return real(pdf, name)

    return direct


def test_the_reprint_reason_is_asked_only_after_a_real_print(qtbot, zh_app, db_url, frontdesk, monkeypatch):
    screen, fake, _offered = _desk(qtbot, db_url, frontdesk, monkeypatch, "")
    monkeypatch.setattr(printing, "print_direct", _direct_keeping(screen))
    screen.issue_selected()
    asked: list[str] = []
    screen.ask_text = lambda title, label: asked.append(label) or ("", False)  # the desk cancels
    screen.issued.selectRow(0)
    screen.reprint_selected()
    assert len(asked) == 1 and len(fake.jobs) == 1  # cancelled: nothing printed, nothing counted
    screen.ask_text = lambda title, label: ("客户遗失券单", True)
    fake.problem = pdf_preview.OUT_OF_PAPER
    screen.reprint_selected()  # the reprint fails: still one print
    [view] = issuance.issuances_of_episode(frontdesk, screen.current_episode_id())
    assert view.print_count == 1 and "缺纸" in screen.status.text()
    fake.problem = ""
    screen.reprint_selected()
    [view] = issuance.issuances_of_episode(frontdesk, screen.current_episode_id())
    assert view.print_count == 2 and "补打（第 2 次打印）" in flat_text(screen.last_pdf).replace(
        "第2次", "第 2 次"
    )


def test_after_a_failed_print_the_desk_can_save_a_pdf_or_print_from_the_preview(
    qtbot, zh_app, db_url, frontdesk, monkeypatch, tmp_path
):
    screen, fake, _offered = _desk(qtbot, db_url, frontdesk, monkeypatch, pdf_preview.OFFLINE)
    target = tmp_path / "券单.pdf"
    monkeypatch.setattr(pdf_preview, "ask_pdf_path", lambda parent, suggested: str(target))
    monkeypatch.setattr(printing, "ask_after_failure", lambda parent, outcome, title: printing.SAVE)
    screen.issue_selected()
    assert target.exists() and "湘护早孕包" in flat_text(target.read_bytes())
    [view] = issuance.issuances_of_episode(frontdesk, screen.current_episode_id())
    assert view.print_count == 0  # a PDF on disk is not a printed slip

    problems: list[str] = []

    def exec_preview(dialog):
        problems.append(dialog.problem.text())
        assert dialog.save_button.text() == "另存为 PDF"
        fake.problem = ""  # the nurse switches the printer on and presses Enter
        qtbot.keyClick(dialog.print_button, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", exec_preview)
    monkeypatch.setattr(printing, "ask_after_failure", lambda parent, outcome, title: printing.PREVIEW)
    fake.problem = pdf_preview.OFFLINE
    screen.issued.selectRow(0)
    screen.reprint_selected()
    assert "脱机" in problems[0] and "小票机" in problems[0]
    [view] = issuance.issuances_of_episode(frontdesk, screen.current_episode_id())
    assert view.print_count == 1


def test_closing_the_preview_is_not_a_print(qtbot, zh_app, db_url, frontdesk, monkeypatch):
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", lambda dialog: dialog.reject())
    number, _client = _pregnant_client(frontdesk)
    screen = FrontDeskScreen(Session(actor=frontdesk, db_url=db_url, documents=documents))
    qtbot.addWidget(screen)
    screen.search.setText(number)
    screen.do_search()
    screen.issue_selected()
    [view] = issuance.issuances_of_episode(frontdesk, screen.current_episode_id())
    assert view.print_count == 0 and "取消" in screen.status.text()


def test_the_real_print_path_names_a_printer_that_is_not_there(zh_app):
    """Offscreen there is no printer at all: the real path says so, with the printer's name."""
    from reports.slip import render_slip
    from tests.reports.samples import slip

    outcome = printing.print_direct(render_slip(slip(), "roll80"), "前台小票机")
    assert not outcome and outcome.problem == pdf_preview.NO_PRINTER
    assert "前台小票机" in outcome.message and "找不到" in outcome.message


def test_printer_states_and_cups_reasons_map_to_the_right_message():
    from PySide6.QtPrintSupport import QPrinter

    state = QPrinter.PrinterState
    assert pdf_preview.problem_from_state(state.Idle, "") == ""
    assert pdf_preview.problem_from_state(state.Idle, "Alerts: media-empty-error") == pdf_preview.OUT_OF_PAPER
    assert pdf_preview.problem_from_state(state.Idle, "reasons: offline-report") == pdf_preview.OFFLINE
    assert pdf_preview.problem_from_state(state.Error, "") == pdf_preview.OFFLINE


def test_a_receipt_that_did_not_print_says_so_on_the_redeem_screen(
    qtbot, zh_app, db_url, issued, monkeypatch
):
    monkeypatch.setattr(
        printing, "print_direct", lambda pdf, name: PrintOutcome(False, name, pdf_preview.OUT_OF_PAPER)
    )
    monkeypatch.setattr(printing, "ask_after_failure", lambda parent, outcome, title: printing.CLOSE)
    nurse = make_actor("nurse")
    voucher = next(v for v in issued.vouchers if v.result_kind != "screening")
    session = Session(
        actor=nurse, db_url=db_url, service_point=voucher.service_point, documents=documents,
        printers={"receipt": "护士站小票机"},
    )  # fmt: skip
    screen = RedeemScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    screen.code.setText(voucher.code)
    screen.submit()
    screen.submit()
    assert screen.banner.property("colour") == GREEN
    assert screen.print_receipt() is False
    assert (
        "未打印" in screen.banner.text()
        and "护士站小票机" in screen.banner.text()
        and "缺纸" in screen.banner.text()
    )
