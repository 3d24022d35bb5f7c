"""The catalog page: the active version (forms.catalog_view) and, for administrators, loading a
new version from a TOML file. A wrong file changes nothing; its problems are listed one per line
with file, line and field so that it can be fixed in one pass.

Keys: Ctrl+O load a new version.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from forms import messages
from forms.catalog_view import CatalogView
from forms.session import Session
from models.catalog_admin import load_catalog_audited
from models.catalog_file import CatalogError
from models.errors import FfdeskError


class CatalogScreen(CatalogView):
    """A :class:`CatalogView` with the load button and the list of a wrong file's problems."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("catalogScreen")
        self.load_button = QPushButton(self.tr("&Load a new version… (Ctrl+O)"), self)
        self.load_button.setObjectName("loadCatalogButton")
        self.load_button.clicked.connect(self.load)
        self.load_button.setVisible(session.can("catalog.manage"))
        self.status = QLabel(self)
        self.status.setObjectName("catalogStatus")
        self.status.setProperty("data", True)
        self.status.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setObjectName("catalogProblems")
        self.problems.setVisible(False)
        self.problems.setMaximumHeight(160)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.load_button)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, row)
        layout.insertWidget(1, self.problems)
        if session.can("catalog.manage"):
            QShortcut(QKeySequence("Ctrl+O"), self, activated=self.load)

    def ask_open_path(self) -> str:
        """A TOML file from the open dialog ('' when cancelled; tests replace this)."""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Load catalog"), "", self.tr("Catalog files (*.toml)")
        )
        return path

    def load(self) -> None:
        path = self.ask_open_path()
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> bool:
        self.problems.clear()
        self.problems.setVisible(False)
        try:
            version = load_catalog_audited(self.session.actor, path)
        except CatalogError as exc:
            self.status.setText(self.tr("The file was not loaded: fix these problems and try again."))
            self.problems.addItems(exc.problems)
            self.problems.setVisible(True)
            return False
        except FfdeskError as exc:
            messages.show_error(self, exc)
            return False
        self.refresh()
        self.status.setText(self.tr("Catalog %1 loaded and now active.").replace("%1", version.label))
        return True

    def activate(self) -> None:
        self.tree.setFocus()
