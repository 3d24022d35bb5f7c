"""Backups (administrator): make one now (in a worker thread), list the backup folder, check a file,
restore one.

Restoring replaces the database under every open connection, so the screen only chooses and
checks the file and asks for confirmation; it then emits ``restore_requested`` and the shell signs
out, closes the connection, restores, reconnects and asks for a sign-in again.

Keys: Ctrl+B back up now, F5 reload, Ctrl+K check the selected file, Ctrl+R restore.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import messages
from forms.session import Session, run_in_background
from models import backup
from models.chain_heads import HEAD_FILE_NAME
from models.errors import FfdeskError, InvalidInput


class BackupScreen(QWidget):
    restore_requested = Signal(object)  # Path of a checked backup the administrator confirmed

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupScreen")
        self.session = session
        self.op = None
        self.files: list[Path] = []
        self.backup_button = QPushButton(self.tr("&Back up now (Ctrl+B)"), self)
        self.check_button = QPushButton(self.tr("&Check selected file (Ctrl+K)"), self)
        self.restore_button = QPushButton(self.tr("&Restore from backup… (Ctrl+R)"), self)
        self.restore_button.setObjectName("restoreButton")
        self.folder = QLabel(self)
        self.folder.setProperty("data", True)
        self.status = QLabel(self)
        self.status.setObjectName("backupStatus")
        self.status.setProperty("data", True)
        self.status.setWordWrap(True)
        note = QLabel(
            self.tr(
                "Restoring replaces the whole database for every desk: close the program on the other "
                "desks first. The current database is kept as a safety copy."
            ),
            self,
        )
        note.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("File"), self.tr("Size"), self.tr("Modified")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addWidget(self.check_button)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.folder)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(note)
        self.backup_button.clicked.connect(self.back_up)
        self.check_button.clicked.connect(self.check_selected)
        self.restore_button.clicked.connect(self.restore)
        QShortcut(QKeySequence("Ctrl+B"), self, activated=self.back_up)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.restore)
        QShortcut(QKeySequence("Ctrl+K"), self, activated=self.check_selected)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh)
        QWidget.setTabOrder(self.backup_button, self.check_button)
        QWidget.setTabOrder(self.check_button, self.restore_button)
        QWidget.setTabOrder(self.restore_button, self.table)
        self.refresh()

    def refresh(self) -> None:
        folder = backup.backup_dir()
        self.folder.setText(self.tr("Backup folder: %1").replace("%1", str(folder)))
        self.files = sorted(
            (
                p
                for p in folder.iterdir()
                if p.is_file() and p.name != HEAD_FILE_NAME and not p.name.startswith(".")
            ),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        self.table.setRowCount(len(self.files))
        for r, path in enumerate(self.files):
            stat = path.stat()
            modified = dt.datetime.fromtimestamp(stat.st_mtime).strftime("%Y-%m-%d %H:%M")
            for c, text in enumerate((path.name, f"{stat.st_size:,}", modified)):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def back_up(self) -> None:
        if self.op is not None and not self.op.done:
            return
        actor, url = self.session.actor, self.session.db_url or None
        self.status.setText(self.tr("Backing up…"))
        self.op = run_in_background(self.session)(
            lambda _p: backup.create_backup(actor, url=url),
            on_success=self._backed_up,
            on_failure=lambda exc: (self.status.setText(""), messages.show_error(self, exc)),
            parent=self,
            label=self.tr("Backing up the database…"),
            cancellable=False,
        )

    def _backed_up(self, result: backup.BackupResult) -> None:
        self.refresh()
        self.status.setText(
            self.tr("Backup saved: %1 (%2 audit events).")
            .replace("%1", result.path.name)
            .replace("%2", str(result.audit_events))
        )

    def check_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        path = self.files[rows[0].row()]
        try:
            check = backup.check_backup(path)
        except FfdeskError as exc:
            messages.show_error(self, exc)
            return
        if check.ok:
            self.status.setText(
                self.tr("%1 is a good backup: schema version %2, %3 audit events.")
                .replace("%1", path.name)
                .replace("%2", str(check.schema_version))
                .replace("%3", str(check.audit_events))
            )
        else:
            self.status.setText(
                self.tr("%1 failed the check: %2")
                .replace("%1", path.name)
                .replace("%2", "；".join(check.problems))
            )

    # --- restore -------------------------------------------------------------------------
    def choose_restore_file(self) -> Path | None:
        """The selected backup, else one picked in a file dialog (tests replace this)."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.files[rows[0].row()]
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a backup to restore"), str(backup.backup_dir())
        )
        return Path(name) if name else None

    def confirm_restore(self, path: Path, check: backup.BackupCheck) -> bool:
        return messages.confirm(
            self,
            self.tr("Restore from backup"),
            self.tr(
                "Replace the whole database with the backup %1 (schema version %2, %3 audit events)?\n"
                "Everything entered since that backup is replaced. You will be signed out and sign in again."
            )
            .replace("%1", path.name)
            .replace("%2", str(check.schema_version))
            .replace("%3", str(check.audit_events)),
        )

    def restore(self) -> None:
        path = self.choose_restore_file()
        if path is None:
            return
        try:
            check = backup.check_backup(path)
        except FfdeskError as exc:
            messages.show_error(self, exc)
            return
        if not check.ok:
            messages.show_error(
                self,
                InvalidInput(
                    self.tr("%1 failed the check: %2")
                    .replace("%1", path.name)
                    .replace("%2", "；".join(check.problems))
                ),
            )
            return
        if self.confirm_restore(path, check):
            self.restore_requested.emit(path)

    def activate(self) -> None:
        self.backup_button.setFocus()
