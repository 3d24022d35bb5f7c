"""Birth medical certificates (出生医学证明): issue onto the numbered form, stock, void and destroy.

Three tabs. **Issue**: find the child (by the child's or the mother's ID, phone or name), the form
is pre-filled from the records (``draft_from_episode``); the service's validation message appears
under the field it names and the cursor goes there. Issuing renders the certificate once *before*
the serial is consumed, so a text that does not fit its box never costs a blank form; then it
issues, records the print and shows the preview with the printer's calibration offsets.
**Stock**: receive a serial range, hand a range to a desk, the stock report for a period with its
balance check. **Void / destroy**: void a form with the approving supervisor's user name and
password; mark voided forms destroyed with date and witness.

Each tab is its own module: forms/certificate_issue.py (IssueTab), forms/certificate_stock.py
(StockTab), forms/certificate_void.py (VoidTab); this module assembles them into the screen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from forms.certificate_issue import IssueTab
from forms.certificate_stock import StockTab
from forms.certificate_void import VoidTab
from forms.session import Session

__all__ = ["CertificatesScreen", "IssueTab", "StockTab", "VoidTab"]


class CertificatesScreen(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificatesScreen")
        self.session = session
        self.tabs = QTabWidget(self)
        # Only the tabs this person may use: administrators keep the stock, the desk issues.
        may_issue = session.can("certificate.issue")
        may_stock = session.can("certificate.stock")
        self.issue_tab = IssueTab(session, self) if may_issue else None
        self.stock_tab = StockTab(session, self) if may_issue or may_stock else None
        self.void_tab = VoidTab(session, self) if may_issue or may_stock else None
        for tab, title in (
            (self.issue_tab, self.tr("&Issue")),
            (self.stock_tab, self.tr("&Stock")),
            (self.void_tab, self.tr("&Void and destroy")),
        ):
            if tab is not None:
                self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(self._tab_changed)
        calibrate = QPushButton(self.tr("Printer calibration…"), self)
        calibrate.setObjectName("calibrateButton")
        calibrate.clicked.connect(self.calibrate)
        calibrate.setVisible(may_issue)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(calibrate)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def activate(self) -> None:
        if self.issue_tab is not None:
            self.issue_tab.search.setFocus()
            self.issue_tab.search.selectAll()
        elif self.stock_tab is not None:
            self.stock_tab.show_report()

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is None:
            return
        if widget is self.stock_tab:
            self.stock_tab.show_report()
        elif widget is self.void_tab:
            self.void_tab.refresh()
        elif (
            widget is self.issue_tab and self.issue_tab is not None and self.issue_tab.episode_id is not None
        ):
            self.issue_tab.refresh()

    def calibrate(self) -> None:
        from forms.calibration import CalibrationDialog

        CalibrationDialog(self.session, parent=self).exec()
