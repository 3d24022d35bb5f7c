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
from forms.redeem import GREEN, RedeemScreen
from forms.session import DOCUMENT_TYPES, Session
from forms.settings_dialog import SettingsDialog
from models import db
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
    monkeypatch.setattr(printing, "print_direct", lambda pdf, name: sent.append((pdf, name)) or 1)
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
