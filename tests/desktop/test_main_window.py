"""The main window opens in Chinese and shows the catalog from the database, read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.main_window import MainWindow
from forms.catalog_view import CatalogView
from forms.session import Session
from models import catalog
from tests.gui import english_words


def _window(qtbot, db_url, actor=None) -> MainWindow:
    window = MainWindow(Session(actor=actor, db_url=db_url))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_catalog_shows_every_package_of_the_database(qtbot, zh_app, db_url):
    window = _window(qtbot, db_url)
    view = window.show_page("catalog")
    assert isinstance(view, CatalogView)
    model = view.model
    shown = [model.item(row, 0).text() for row in range(model.rowCount())]
    expected = catalog.catalog_views()
    assert len(shown) == len(expected) == 8
    for text, pkg in zip(shown, expected, strict=True):
        assert pkg.name in text
    # the prenatal screening package lists its items with a price in yuan
    row = next(r for r, pkg in enumerate(expected) if pkg.cap_fen == 197300)
    children = model.item(row, 0)
    assert children.rowCount() == len(expected[row].items)
    assert "¥" in model.item(row, 0).child(0, 3).text()
    assert "¥1,973.00" in model.item(row, 5).text()


def test_catalog_is_read_only(qtbot, zh_app, db_url):
    window = _window(qtbot, db_url)
    view = window.show_page("catalog")
    index = view.model.index(0, 0)
    assert not (view.model.flags(index) & Qt.ItemFlag.ItemIsEditable)


def test_window_is_in_chinese(qtbot, zh_app, db_url):
    window = _window(qtbot, db_url)
    assert window.windowTitle() == "生育友好服务台"
    header = window.pages["catalog"].model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "服务包 / 服务项目"
    assert english_words(window) == []
