"""One way to print a document from any screen: straight to this desk's printer for the document
type, or through the preview — and an honest answer whether paper came out.

Slips and receipts print directly (no dialog) when a printer is set for them in Settings — the
desk has a queue; everything else, and slips on a desk without a configured printer, opens the
preview where the person presses Enter to print.

A document counts as printed only when the printer accepted the job
(``pdf_preview.send_to_printer``, the one real print path). A missing, offline or empty printer,
or a cancelled preview, gives a :class:`PrintOutcome` that is false and carries a Chinese message
naming the printer; after a failed direct print the desk is offered the preview and "另存为 PDF".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from forms import pdf_preview
from forms.pdf_preview import CANCELLED, PrintOutcome
from forms.session import DIRECT_PRINT, Session

PREVIEW, SAVE, CLOSE = "preview", "save", "close"


def printer_for(session: Session, doc_type: str) -> str:
    return session.printers.get(doc_type, "") or ""


def paper_for(session: Session, doc_type: str, default: str = "roll80") -> str:
    return session.papers.get(doc_type, "") or default


def print_direct(pdf: bytes, printer_name: str) -> PrintOutcome:
    """Every page to ``printer_name`` at once, through the one real print path."""
    document, _buffer = pdf_preview.load_document(pdf)
    try:
        return pdf_preview.send_to_printer(document, printer_name)
    finally:
        document.close()


def preview(
    parent: QWidget | None, pdf: bytes, title: str, printer_name: str, problem: str = ""
) -> PrintOutcome:
    """The preview; ``problem`` (why a direct print failed) is shown above its buttons."""
    dialog = pdf_preview.PdfPreviewDialog(pdf, title, printer_name, parent)
    if problem:
        dialog.show_problem(problem)
    dialog.exec()
    if dialog.printed:
        return dialog.outcome
    if dialog.outcome.problem != CANCELLED:
        return dialog.outcome  # tried and failed: keep the printer's reason
    return PrintOutcome(False, printer_name, CANCELLED)


def ask_after_failure(parent: QWidget | None, outcome: PrintOutcome, title: str) -> str:
    """Preview, save as PDF or close, after a direct print failed (tests replace this)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("Printing", "Not printed"),
        outcome.message,
        parent=parent,
    )
    box.setObjectName("printFailedBox")
    show = box.addButton(QCoreApplication.translate("Printing", "Preview"), QMessageBox.ButtonRole.AcceptRole)
    save = box.addButton(
        QCoreApplication.translate("Printing", "Save as PDF"), QMessageBox.ButtonRole.ActionRole
    )
    box.addButton(QCoreApplication.translate("Printing", "Close"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(show)
    box.exec()
    clicked = box.clickedButton()
    return PREVIEW if clicked is show else SAVE if clicked is save else CLOSE


def print_or_preview(
    parent: QWidget | None, session: Session, doc_type: str, pdf: bytes, title: str
) -> PrintOutcome:
    """Truthy only when the printer accepted the document."""
    printer = printer_for(session, doc_type)
    if not (printer and doc_type in DIRECT_PRINT):
        return preview(parent, pdf, title, printer)
    outcome = print_direct(pdf, printer)
    if outcome.printed:
        return outcome
    choice = ask_after_failure(parent, outcome, title)
    if choice == PREVIEW:
        return preview(parent, pdf, title, printer, outcome.message)
    if choice == SAVE:
        pdf_preview.save_as_pdf(parent, pdf, title)
    return outcome
