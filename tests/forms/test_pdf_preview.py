"""Slip preview: the 80 mm page is visible (zoom set by hand) and prints to a PDF file on white."""

from __future__ import annotations

import io

from pypdf import PdfReader

from forms.pdf_preview import PdfPreviewDialog, load_document, render_page
from reports.slip import render_slip
from tests.reports.helpers import require_font
from tests.reports.samples import slip as slip_sample


def test_preview_zooms_the_narrow_roll_and_prints_it(qtbot, zh_app, tmp_path):
    require_font()
    pdf = render_slip(slip_sample(), "roll80")
    out = tmp_path / "printed.pdf"
    dialog = PdfPreviewDialog(pdf, "券单", parent=None, pdf_output=str(out))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.view.zoomFactor() > 0.5  # not a blank sliver
    dialog.print_button.click()
    assert dialog.printed
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == len(PdfReader(io.BytesIO(pdf)).pages)


def test_rendered_page_is_opaque_white_with_ink(qapp):
    require_font()
    document, _buffer = load_document(render_slip(slip_sample(), "roll80"))
    image = render_page(document, 0, 72)
    corner = image.pixelColor(0, 0)
    assert (corner.red(), corner.green(), corner.blue(), corner.alpha()) == (255, 255, 255, 255)
    dark = sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if image.pixelColor(x, y).lightness() < 100
    )
    assert dark > 50
