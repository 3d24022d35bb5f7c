"""Audit log: the newest events (limited, filtered by kind) and the hash-chain check.

The check walks the whole sealed chain and replays every money row from it, so it runs in a
worker thread with a progress bar; the result is shown in green (intact, with the number of
events and rows) or red naming the first bad event or each row that differs from its events.

Keys: F5 reload, F9 verify the chain.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import messages
from forms.audit_details import OTHER, details_text
from forms.session import Session, run_in_background
from models import audit, clock
from models.audit import VerifyResult

GREEN = "#1b7f3b"
RED = "#b00020"

# What each recorded action means, for people reading the log.
ACTION_LABELS: dict[str, str] = {
    "staff.create": "新增员工",
    "staff.roles": "修改角色",
    "staff.disable": "停用账号",
    "staff.enable": "启用账号",
    "staff.password_reset": "重置密码",
    "staff.password_change": "修改密码",
    "staff.unlock": "解除锁定",
    "staff.login": "登录",
    "staff.login_failed": "登录失败",
    "staff.logout": "退出登录",
    "staff.unlock_session": "解锁屏幕",
    "client.create": "登记服务对象",
    "client.update": "修改服务对象",
    "client.link": "关联家庭成员",
    "client.reveal": "查看完整个人信息",
    "client.search_locked": "查询被锁定（未命中过多）",
    "episode.open": "建立服务周期",
    "episode.close": "关闭服务周期",
    "voucher.issue": "发券",
    "voucher.redeem": "核销",
    "voucher.reverse": "冲正",
    "voucher.void": "作废券",
    "voucher.expire": "券过期",
    "voucher.follow_up": "追加发券",
    "slip.print": "打印券单",
    "period.close": "月结",
    "period.open": "开立会计期间",
    "catalog.load": "载入目录",
    "migration.search_keys": "升级：重算拼音检索键",
    "backup.create": "备份",
    "backup.restore": "恢复",
    "audit.seal_start": "审计链开始封印",
    "audit.baseline": "升级：金额行基线",
    "audit.rotate_key": "更换审计密钥",
    "export.full": "完整数据导出",
    "certificate.issue": "签发证明",
    "certificate.void": "作废证明",
    "certificate.print": "打印证明",
    "certificate.receive": "证件入库",
    "certificate.assign": "证件分发",
    "certificate.destroy": "证件销毁",
    "certificate.calibrate": "打印校准",
    "slip.reprint": "补打券单",
    "pii.reveal": "查看完整个人信息",
    "leave.issue": "开具生育假证明",
    "setting.change": "修改设置",
}

ENTITY_LABELS: dict[str, str] = {
    "voucher": "券",
    "staff": "员工",
    "client": "服务对象",
    "episode": "服务周期",
    "issuance": "发券",
    "period": "月份",
    "catalog_version": "目录版本",
    "database": "数据库",
    "certificate": "证明",
    "certificate_batch": "证件入库批次",
    "certificate_form": "空白证件",
    "birth_certificate": "出生医学证明",
    "leave_proof": "生育假证明",
    "setting": "设置",
    "export": "导出",
}

KINDS: list[tuple[str, str | None]] = [
    ("全部", None),
    ("员工与登录", "staff."),
    ("服务对象", "client."),
    ("服务周期", "episode."),
    ("电子券", "voucher."),
    ("月结", "period."),
    ("目录", "catalog."),
    ("备份与恢复", "backup."),
    ("证明", "certificate."),
    ("审计密钥与封印", "audit."),
]


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, "其他操作")


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, OTHER) if entity else ""


def _details(before, after, entity: str = "") -> str:
    """The new values; the old ones in brackets when the event records both."""
    new, old = details_text(after, entity), details_text(before, entity)
    if new and old:
        return f"{new}（原：{old}）"
    return new or old


class AuditScreen(QWidget):
    # (done, total) from the worker thread; queued to the GUI thread for the inline bar
    verify_progress = Signal(int, int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditScreen")
        self.session = session
        self.op = None
        self.kind = QComboBox(self)
        self.kind.setObjectName("auditKind")
        for label, prefix in KINDS:
            self.kind.addItem(label, prefix)
        self.limit = QSpinBox(self)
        self.limit.setRange(10, 10000)
        self.limit.setSingleStep(100)
        self.limit.setValue(200)
        self.reload_button = QPushButton(self.tr("&Show (F5)"), self)
        self.verify_button = QPushButton(self.tr("&Verify chain (F9)"), self)
        self.verify_button.setObjectName("verifyButton")
        self.progress = QProgressBar(self)  # events and money rows checked so far
        self.progress.setObjectName("verifyProgress")
        self.progress.setFormat("%p%")
        self.progress.setVisible(False)
        self.result = QLabel(self)
        self.result.setObjectName("verifyResult")
        self.result.setProperty("data", True)
        self.result.setWordWrap(True)
        font = self.result.font()
        font.setBold(True)
        self.result.setFont(font)
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("Time"),
                self.tr("Staff"),
                self.tr("Workstation"),
                self.tr("Action"),
                self.tr("Object"),
                self.tr("Details"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((60, 150, 90, 110, 120, 130)):
            header.resizeSection(column, width)
        row = QHBoxLayout()
        kind_label = QLabel(self.tr("&Kind:"), self)
        kind_label.setBuddy(self.kind)
        limit_label = QLabel(self.tr("&Newest:"), self)
        limit_label.setBuddy(self.limit)
        for widget in (kind_label, self.kind, limit_label, self.limit, self.reload_button):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        self.reload_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        self.verify_progress.connect(self._on_progress)
        self.kind.currentIndexChanged.connect(self.refresh)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh)
        QShortcut(QKeySequence("F9"), self, activated=self.verify)
        for a, b in (
            (self.kind, self.limit),
            (self.limit, self.reload_button),
            (self.reload_button, self.verify_button),
            (self.verify_button, self.table),
        ):
            QWidget.setTabOrder(a, b)
        self.refresh()

    def refresh(self) -> None:
        try:
            events = audit.list_events(
                self.session.actor, limit=self.limit.value(), action=self.kind.currentData()
            )
        except Exception as exc:
            messages.show_error(self, exc)
            return
        self.table.setRowCount(len(events))
        for r, e in enumerate(events):
            values = [
                str(e.seq),
                clock.format_local(e.at, seconds=True),
                e.staff_name,
                e.workstation,
                action_label(e.action),
                f"{entity_label(e.entity)} {e.entity_id}".strip(),
                _details(e.before, e.after, e.entity),
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c == 6:
                    item.setToolTip(text)
                self.table.setItem(r, c, item)

    def verify(self) -> None:
        if self.op is not None and not self.op.done:
            return
        actor = self.session.actor
        self.result.setText(self.tr("Checking the chain…"))
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)

        def work(progress):
            def report(done: int, total: int) -> None:
                self.verify_progress.emit(done, total)
                if progress is not None:  # the worker's dialog, and its cancel button
                    progress.update(done, total)

            return audit.verify(actor, report)

        self.op = run_in_background(self.session)(
            work,
            on_success=self._show_result,
            on_failure=lambda exc: (
                self.result.setText(""),
                self.progress.setVisible(False),
                messages.show_error(self, exc),
            ),
            parent=self,
            label=self.tr("Checking the audit chain…"),
        )

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)

    def _show_result(self, result: VerifyResult) -> None:
        colour = GREEN if result.ok else RED
        self.result.setProperty("colour", colour)
        self.result.setStyleSheet(f"color: {colour};")
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        extra = [d.message for d in result.differences[1:10]] + list(result.notes)
        self.result.setText("\n".join([result.message, *extra]))
        if not result.ok and result.first_bad_seq is not None:
            for r in range(self.table.rowCount()):
                if self.table.item(r, 0).text() == str(result.first_bad_seq):
                    self.table.selectRow(r)
                    break

    def activate(self) -> None:
        self.kind.setFocus()
