"""Catalog page: an administrator loads a new version; a wrong file lists file/line/field."""

from __future__ import annotations

from forms.catalog_admin import CatalogScreen
from forms.session import Session
from models import audit, catalog
from tests.gui import english_words
from tests.helpers import make_actor


def _screen(qtbot, db_url, actor) -> CatalogScreen:
    screen = CatalogScreen(Session(actor=actor, db_url=db_url))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def _default_text() -> str:
    return catalog.default_catalog_path().read_text(encoding="utf-8")


def test_admin_loads_a_new_version_and_it_is_audited(qtbot, zh_app, db_url, tmp_path):
    admin = make_actor("admin")
    new = tmp_path / "catalog-2026.2.toml"
    new.write_text(_default_text().replace('label = "2026.1"', 'label = "2026.2"', 1), encoding="utf-8")
    screen = _screen(qtbot, db_url, admin)
    screen.ask_open_path = lambda: str(new)
    screen.load()
    assert catalog.active_version().label == "2026.2"
    assert "2026.2" in screen.status.text() and "2026.2" in screen.heading.text()
    event, fixtures_own = audit.list_events(admin, action="catalog.load")  # newest first
    assert event.after["label"] == "2026.2" and event.staff_id == admin.staff.id
    assert fixtures_own.staff_name == "系统" and fixtures_own.after["label"] == "2026.1"
    assert english_words(screen) == []


def test_a_wrong_file_changes_nothing_and_names_line_and_field(qtbot, zh_app, db_url, tmp_path):
    admin = make_actor("admin")
    text = _default_text().replace('label = "2026.1"', 'label = "2026.9"', 1)
    lines = text.splitlines()
    bad_line = next(i for i, line in enumerate(lines) if line.startswith("price_yuan"))
    lines[bad_line] = 'price_yuan = "很多"'
    bad = tmp_path / "bad.toml"
    bad.write_text("\n".join(lines), encoding="utf-8")
    screen = _screen(qtbot, db_url, admin)
    assert not screen.load_file(str(bad))
    assert catalog.active_version().label == "2026.1"
    assert screen.problems.isVisible()
    problems = [screen.problems.item(i).text() for i in range(screen.problems.count())]
    assert any("bad.toml" in p and f":{bad_line + 1}" in p and "price_yuan" in p for p in problems), problems
    assert [e.after["label"] for e in audit.list_events(admin, action="catalog.load")] == ["2026.1"]


def test_the_load_button_is_for_administrators_only(qtbot, zh_app, db_url):
    screen = _screen(qtbot, db_url, make_actor("frontdesk"))
    assert not screen.load_button.isVisible()
