"""The active service catalog, read-only: packages with their items, prices and service points."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTreeView, QVBoxLayout, QWidget

from forms.session import Session
from models import catalog
from models.money import format_fen


class CatalogView(QWidget):
    """Tree of packages (top level) and service items (children) of the active catalog version."""

    COLUMNS = 6

    def __init__(self, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("catalogView")
        self.heading = QLabel(self)
        self.heading.setObjectName("catalogHeading")
        self.heading.setWordWrap(True)
        self.model = QStandardItemModel(0, self.COLUMNS, self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        self.refresh()

    def _headers(self) -> list[str]:
        return [
            self.tr("Package / service item"),
            self.tr("Tier"),
            self.tr("Quantity"),
            self.tr("Price"),
            self.tr("Service point"),
            self.tr("Note"),
        ]

    def refresh(self) -> None:
        """Reload the active catalog version from the database."""
        self.model.clear()
        self.model.setColumnCount(self.COLUMNS)
        self.model.setHorizontalHeaderLabels(self._headers())
        version = catalog.active_version()
        packages = catalog.catalog_views()
        if version is None:
            self.heading.setText(self.tr("No catalog has been loaded yet."))
            return
        self.heading.setText(
            self.tr("Catalog %1 (effective from %2): %3 packages")
            .replace("%1", version.label)
            .replace("%2", version.effective_from.isoformat())
            .replace("%3", str(len(packages)))
        )
        tiers = {"basic": self.tr("Basic (free)"), "upgrade": self.tr("Upgrade (paid)")}
        for pkg in packages:
            value = format_fen(pkg.basic_value_fen)
            note = self.tr("Basic value %1").replace("%1", value)
            if pkg.cap_fen is not None:
                note += self.tr(", cap %1").replace("%1", format_fen(pkg.cap_fen))
            row = [
                _item(f"{pkg.name}（{pkg.code}）", bold=True),
                _item(pkg.stage),
                _item(""),
                _item(""),
                _item(""),
                _item(note),
            ]
            names = {i.code: i.name for i in pkg.items}
            for view in pkg.items:
                remarks = []
                if view.example_price:
                    remarks.append(self.tr("example price"))
                if view.follow_up_of:
                    triggers = "、".join(names.get(c, c) for c in view.follow_up_of.split(","))
                    remarks.append(self.tr("follow-up of %1").replace("%1", triggers))
                name = _item(view.name)
                name.setToolTip(view.code)
                row[0].appendRow(
                    [
                        name,
                        _item(tiers.get(view.tier, view.tier)),
                        _item(str(view.quantity), align_right=True),
                        _item(format_fen(view.price_fen), align_right=True),
                        _item(view.service_point_name),
                        _item(self.tr("; ").join(remarks)),
                    ]
                )
            self.model.appendRow(row)
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)


def _item(text: str, bold: bool = False, align_right: bool = False) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
