"""Maternity leave and allowance proof (生育（产假）证明): facts in, leave days and money live.

The desk finds the mother, chooses the rule set (data files in resources/leave_rules), enters the
medical facts and wages; every change recomputes (``models.leave.compute``, pure) and the right
pane lists each rule that applied with its days, the total, the dates and the allowance
arithmetic — or the rule engine's Chinese message when a fact is missing. Print (Ctrl+P) stores
and audits the proof (``models.leave_records``) and shows the A4 proof in the print preview.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forms.date_field import DateField
from forms.scanner_input import scanner_field
from forms.session import Session
from models import clients, leave, leave_records, settings
from models.errors import FfdeskError, InvalidInput
from models.money import format_fen, parse_yuan
from reports.leave_proof import LeaveProofData, render_leave_proof

ERROR_STYLE = "color: #b00020;"


class LeaveProofScreen(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leaveProofScreen")
        self.session = session
        self.client: clients.ClientView | None = None
        self.result: leave.LeaveResult | None = None
        self.issued: leave_records.IssuedProof | None = None
        # a hook tests replace: the print preview; returns whether it was printed
        self.preview: Callable[[bytes, str], bool] = self._preview

        self.search = QLineEdit(self)
        self.search.setObjectName("leaveSearch")
        self.search.setPlaceholderText(self.tr("Mother's ID number, mobile or name — Enter"))
        self.search.returnPressed.connect(self.do_search)
        scanner_field(self.search)  # the ID card reader types here, past the input method
        self.mother = QLabel(self.tr("No mother chosen"), self)
        self.mother.setObjectName("leaveMother")
        self.mother.setProperty("data", True)
        self.found = QListWidget(self)
        self.found.setMaximumHeight(80)
        self.found.hide()
        self.found.itemActivated.connect(lambda item: self.set_client(item.data(Qt.ItemDataRole.UserRole)))

        self.rule_set = QComboBox(self)
        self.rule_set.setObjectName("ruleSet")
        for info in leave.list_rule_sets():
            if info.error is None:
                self.rule_set.addItem(info.title, info.name)
        self.employer = QLineEdit(self)
        self.employer.setObjectName("employer")
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for code, label in leave.KINDS.items():
            self.kind.addItem(label, code)
        # a medical fact: empty until typed (no "today" to accept by accident)
        self.delivery_date = DateField(self.tr("the date of delivery or miscarriage"), self)
        self.delivery_date.setObjectName("deliveryDate")
        self.mode = QComboBox(self)
        self.mode.setObjectName("mode")
        for code, label in leave.MODES.items():
            self.mode.addItem(label, code)
        self.tear = QComboBox(self)
        self.tear.setObjectName("tear")
        for degree, label in leave.TEAR_LABELS.items():
            self.tear.addItem(label, degree)
        self.babies = QSpinBox(self)
        self.babies.setObjectName("babies")
        self.babies.setRange(1, leave.MAX_BABIES)
        self.months = QSpinBox(self)
        self.months.setObjectName("miscarriageMonths")
        self.months.setRange(0, leave.MAX_MISCARRIAGE_MONTHS)
        self.age = QSpinBox(self)
        self.age.setObjectName("motherAge")
        self.age.setRange(0, 65)
        self.age.setSpecialValueText(self.tr("not given"))
        self.first_birth = QCheckBox(self.tr("First child"), self)
        self.first_birth.setObjectName("firstBirth")
        self.first_birth.setChecked(True)
        self.one_child = QCheckBox(self.tr("Holds a one-child certificate"), self)
        self.one_child.setObjectName("oneChild")
        self.wage = QLineEdit(self)
        self.wage.setObjectName("employerWage")
        self.wage.setPlaceholderText(self.tr("yuan, e.g. 6000.00"))
        self.city_wage = QLineEdit(self)
        self.city_wage.setObjectName("cityWage")
        self.city_wage.setPlaceholderText(self.tr("yuan, e.g. 7500.00"))
        self.spouse = QCheckBox(self.tr("Also the male spouse's leave"), self)
        self.spouse.setObjectName("spouse")
        self.spouse_wage = QLineEdit(self)
        self.spouse_wage.setObjectName("spouseWage")
        self.spouse_wage.setPlaceholderText(self.tr("empty: same as the employer's"))

        facts = QGroupBox(self.tr("Facts"), self)
        form = QFormLayout(facts)
        form.addRow(self.tr("&Rule set:"), self.rule_set)
        form.addRow(self.tr("&Employer:"), self.employer)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Date of delivery / miscarriage:"), self.delivery_date)
        form.addRow(self.tr("&Mode of delivery:"), self.mode)
        form.addRow(self.tr("Perineal &tear:"), self.tear)
        form.addRow(self.tr("Number of &babies:"), self.babies)
        form.addRow(self.tr("Completed months of &pregnancy:"), self.months)
        form.addRow(self.tr("Mother's &age at delivery:"), self.age)
        form.addRow("", self.first_birth)
        form.addRow("", self.one_child)
        form.addRow(self.tr("Employer's average monthly &wage:"), self.wage)
        form.addRow(self.tr("&City's average monthly wage:"), self.city_wage)
        form.addRow("", self.spouse)
        form.addRow(self.tr("Spouse's employer wage:"), self.spouse_wage)

        self.lines = QListWidget(self)
        self.lines.setObjectName("leaveLines")
        self.lines.setWordWrap(True)
        self.total = QLabel(self)
        self.total.setObjectName("leaveTotal")
        self.total.setProperty("data", True)
        font = self.total.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.total.setFont(font)
        self.error = QLabel(self)
        self.error.setObjectName("leaveError")
        self.error.setProperty("data", True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.print_button = QPushButton(self.tr("Issue and print proof (Ctrl+P)"), self)
        self.print_button.setObjectName("printProof")
        self.print_button.clicked.connect(self.issue_and_print)
        result_box = QGroupBox(self.tr("Leave and allowance"), self)
        rl = QVBoxLayout(result_box)
        rl.addWidget(self.total)
        rl.addWidget(self.lines, 1)
        rl.addWidget(self.error)
        rl.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignRight)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.mother, 1)
        body = QHBoxLayout()
        body.addWidget(facts)
        body.addWidget(result_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.found)
        layout.addLayout(body, 1)

        for signal in (
            self.rule_set.currentIndexChanged,
            self.kind.currentIndexChanged,
            self.delivery_date.changed,
            self.mode.currentIndexChanged,
            self.tear.currentIndexChanged,
            self.babies.valueChanged,
            self.months.valueChanged,
            self.age.valueChanged,
            self.first_birth.toggled,
            self.one_child.toggled,
            self.wage.textChanged,
            self.city_wage.textChanged,
            self.spouse.toggled,
            self.spouse_wage.textChanged,
        ):
            signal.connect(self.recompute)
        shortcut = QShortcut(QKeySequence("Ctrl+P"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.issue_and_print)
        self.recompute()

    def activate(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- the mother -----------------------------------------------------------------------------
    def do_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        self.clear_client()  # whatever the search finds, the previous mother is gone
        try:
            found = [c for c in clients.find_clients(self.session.actor, text) if c.sex == "F"]
        except FfdeskError as exc:
            self.error.setText(exc.message)
            return
        if len(found) == 1:
            self.found.hide()
            self.set_client(found[0])
            return
        if not found:
            self.error.setText(self.tr("Nobody found."))
            return
        for view in found:
            item = QListWidgetItem(f"{view.name_masked}　{view.id_number_masked}")
            item.setData(Qt.ItemDataRole.UserRole, view)
            self.found.addItem(item)
        self.found.show()
        self.found.setCurrentRow(0)
        self.found.setFocus()

    def clear_client(self) -> None:
        self.client = None
        self.found.clear()
        self.found.hide()
        self.mother.setText(self.tr("No mother chosen"))

    def set_client(self, view: clients.ClientView) -> None:
        self.client = view
        self.found.hide()
        age = "" if view.age_years is None else self.tr("%1 years").replace("%1", str(view.age_years))
        self.mother.setText(f"{view.name_masked}　{view.id_number_masked}　{age}")
        self.update_age()
        self.recompute()
        self.kind.setFocus()

    def update_age(self) -> None:
        """The mother's completed years on the delivery date, from her record."""
        if self.client is None or not self.client.birth_date_known:
            return
        try:
            day = self.delivery_date.value()
        except InvalidInput:
            day = None
        if day is None:
            return
        try:
            years = clients.age_on(self.session.actor, self.client.id, day)
        except FfdeskError as exc:
            self.error.setText(exc.message)
            return
        if years is not None and 10 <= years <= 65:
            self.age.setValue(years)

    # --- computing --------------------------------------------------------------------------------
    def _money(self, edit: QLineEdit, what: str) -> int | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            return parse_yuan(text)
        except InvalidInput as exc:
            raise InvalidInput(f"{what}：{exc.message}") from None

    def facts(self) -> leave.LeaveFacts:
        birth = self.kind.currentData() == "birth"
        return leave.LeaveFacts(
            kind=self.kind.currentData(),
            delivery_date=self.delivery_date.required(),
            mode=self.mode.currentData(),
            tear_degree=self.tear.currentData(),
            babies=self.babies.value(),
            mother_age=self.age.value() or None,
            first_birth=self.first_birth.isChecked(),
            one_child_certificate=self.one_child.isChecked(),
            miscarriage_months=None if birth else self.months.value(),
            employer_avg_monthly_wage_fen=self._money(self.wage, self.tr("Employer's wage")),
            city_avg_monthly_wage_fen=self._money(self.city_wage, self.tr("City's wage")),
            spouse=self.spouse.isChecked(),
            spouse_employer_avg_monthly_wage_fen=self._money(self.spouse_wage, self.tr("Spouse's wage")),
        )

    def _kind_changed(self) -> None:
        birth = self.kind.currentData() == "birth"
        for widget in (self.mode, self.tear, self.babies, self.one_child, self.spouse, self.spouse_wage):
            widget.setEnabled(birth)
        self.months.setEnabled(not birth)

    def recompute(self, *_args) -> leave.LeaveResult | None:
        self._kind_changed()
        if self.sender() is self.delivery_date:
            self.update_age()
        self.lines.clear()
        self.result = None
        try:
            rules = leave.load_rule_set(self.rule_set.currentData())
            result = leave.compute(rules, self.facts())
        except FfdeskError as exc:
            self.total.setText("")
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setText(exc.message)
            self.print_button.setEnabled(False)
            return None
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText("")
        self.result = result
        self.total.setText(
            self.tr("%1 days: %2 to %3")
            .replace("%1", str(result.total_days))
            .replace("%2", result.start_date.isoformat())
            .replace("%3", result.end_date.isoformat())
        )
        for rule in result.applied:
            detail = f"（{rule.detail}）" if rule.detail else ""
            self.lines.addItem(f"{rule.label}{detail}：{rule.days} 天")
        for line in result.arithmetic_lines:
            self.lines.addItem(line)
        for note in result.notes:
            self.lines.addItem(note)
        if result.allowance_fen is not None:
            self.total.setText(self.total.text() + "　" + format_fen(result.allowance_fen))
        self.print_button.setEnabled(True)
        return result

    # --- issuing ------------------------------------------------------------------------------------
    def issue_and_print(self) -> leave_records.IssuedProof | None:
        if self.result is None:
            return None
        if self.client is None:
            self.error.setText(self.tr("Find the mother first: the proof is issued to a registered client."))
            self.search.setFocus()
            return None
        try:
            issued = leave_records.issue_leave_proof(
                self.session.actor, self.client.id, None, self.rule_set.currentData(), self.facts()
            )
            # for her employer: her full name and ID number, an audited reveal
            holder = leave_records.reveal_proof_holder(self.session.actor, issued.id)
            pdf = render_leave_proof(
                LeaveProofData(
                    institution=self.session.institution or settings.institution_name(),
                    proof_no=issued.proof_no,
                    mother_name=holder.name,
                    mother_id_number=holder.id_number,
                    show_full_identity=True,
                    result=issued.result,
                    issued_on=issued.issued_on.isoformat(),
                    issued_by=issued.issued_by,
                    employer=self.employer.text().strip(),
                    remarks=issued.remarks,
                )
            )
        except FfdeskError as exc:
            self.error.setText(exc.message)
            return None
        self.issued = issued
        self.error.setStyleSheet("color: #1b7f3b;")
        self.error.setText(self.tr("Proof %1 issued.").replace("%1", issued.proof_no))
        self.preview(pdf, self.tr("Leave proof %1").replace("%1", issued.proof_no))
        return issued

    def _preview(self, pdf: bytes, title: str) -> bool:
        from forms.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(pdf, title, self.session.printers.get("report", ""), self)
        dialog.exec()
        return dialog.printed
