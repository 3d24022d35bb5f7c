"""One way to print a document from any screen: straight to this desk's printer for the document
type, or through the preview.

Slips and receipts print directly (no dialog) when a printer is set for them in Settings — the
desk has a queue; everything else, and slips on a desk without a configured printer, opens the
preview where the person presses Enter to print.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from forms import pdf_preview
from forms.session import DIRECT_PRINT, Session


def printer_for(session: Session, doc_type: str) -> str:
    return session.printers.get(doc_type, "") or ""


def paper_for(session: Session, doc_type: str, default: str = "roll80") -> str:
    return session.papers.get(doc_type, "") or default


def print_direct(pdf: bytes, printer_name: str) -> int:
    """Every page to ``printer_name`` at once; returns the pages printed."""
    document, _buffer = pdf_preview.load_document(pdf)
    try:
        return pdf_preview.print_document(document, pdf_preview.make_printer(printer_name))
    finally:
        document.close()


def preview(parent: QWidget | None, pdf: bytes, title: str, printer_name: str) -> bool:
    dialog = pdf_preview.PdfPreviewDialog(pdf, title, printer_name, parent)
    dialog.exec()
    return dialog.printed


def print_or_preview(parent: QWidget | None, session: Session, doc_type: str, pdf: bytes, title: str) -> bool:
    """True when the document went to the printer."""
    printer = printer_for(session, doc_type)
    if printer and doc_type in DIRECT_PRINT:
        return print_direct(pdf, printer) > 0
    return preview(parent, pdf, title, printer)
