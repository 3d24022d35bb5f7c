"""Database layer: connection, migrations, catalog loading — on both backends."""

from __future__ import annotations

import textwrap

import peewee
import pytest

from models import catalog, db, migrations
from models.catalog_file import CatalogError, parse_catalog
from models.schema import ALL_MODELS, CatalogVersion, Package, SchemaVersion, ServiceItem, Setting


def test_migrate_creates_every_table_with_every_model_column(empty_db_url):
    db.connect(empty_db_url)
    assert migrations.current_version() == 0
    assert migrations.migrate() == [m.version for m in migrations.MIGRATIONS]
    assert migrations.migrate() == []
    for model in ALL_MODELS:
        columns = {c.name for c in db.database.get_columns(model._meta.table_name)}
        assert columns == {f.column_name for f in model._meta.sorted_fields}, model.__name__


def test_database_at_migration_1_with_data_upgrades_intact(empty_db_url):
    db.connect(empty_db_url)
    migrations.migrate(target=1)
    assert migrations.current_version() == 1
    assert not db.database.table_exists("certificate_form")
    Setting.create(key="institution_name", value="某某市妇幼保健院")
    db.close()

    db.connect(empty_db_url)
    assert migrations.needs_upgrade()
    assert migrations.migrate() == [m.version for m in migrations.MIGRATIONS[1:]]
    assert db.database.table_exists("certificate_form")
    assert Setting.get_by_id("institution_name").value == "某某市妇幼保健院"
    version = catalog.load_catalog(catalog.default_catalog_path())  # catalog rows at v1: test_upgrade
    assert Package.select().where(Package.catalog_version == version.id).count() == 8
    assert [row.version for row in SchemaVersion.select().order_by(SchemaVersion.version)] == [
        m.version for m in migrations.MIGRATIONS
    ]


def test_failed_migration_step_leaves_version_unchanged(empty_db_url, monkeypatch):
    db.connect(empty_db_url)
    migrations.migrate(target=1)

    def broken() -> None:
        db.database.execute_sql("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:1], migrations.Migration(2, "x", broken)]
    )
    with pytest.raises(RuntimeError):
        migrations.migrate()
    assert migrations.current_version() == 1
    assert not db.database.table_exists("half_done")


def test_default_catalog_has_eight_packages_with_prices_in_fen(db_url):
    views = {v.code: v for v in catalog.catalog_views()}
    assert len(views) == 8
    assert {v.name for v in views.values()} >= {
        "湘迎备孕包",
        "湘护早孕包",
        "湘伴孕产包",
        "湘悦产康包",
        "湘佑新生包",
        "湘助成长包",
    }
    prenatal = views["LYG-CQ"]
    assert prenatal.cap_fen == 197300
    assert sum(i.price_fen * i.quantity for i in prenatal.items) == 197300
    newborn = views["LYG-XS"]
    assert newborn.cap_fen == 90000
    echo = next(i for i in newborn.items if i.code == "ECHO_FOLLOWUP")
    assert echo.follow_up_of == "HEART_SCREEN"
    diagnosis = next(i for i in prenatal.items if i.code == "PRENATAL_DIAG")
    assert diagnosis.follow_up_of == "SERUM_SCREEN,US_SCREEN" and diagnosis.validity_days == 120
    for view in views.values():
        for item in view.items:
            assert isinstance(item.price_fen, int)


def test_loading_new_version_keeps_old_rows_and_activates_new(db_url, tmp_path):
    old = catalog.active_version()
    old_price = (
        ServiceItem.select()
        .join(Package)
        .where(Package.catalog_version == old, ServiceItem.code == "EARLY_TEST")
        .get()
    )
    text = (
        catalog.default_catalog_path("hunan")
        .read_text("utf-8")
        .replace(
            'price_yuan = 40.00\nexample_price = true\nservice_point = "LAB"',
            'price_yuan = 45.50\nexample_price = true\nservice_point = "LAB"',
            1,
        )
    )
    text = text.replace('label = "湖南 2026.1"', 'label = "湖南 2026.2"')
    path = tmp_path / "new.toml"
    path.write_text(text, "utf-8")
    new = catalog.load_catalog(path)
    assert catalog.active_version().id == new.id
    assert CatalogVersion.get_by_id(old.id).active is False
    assert ServiceItem.get_by_id(old_price.id).price_fen == 4000
    early = next(i for v in catalog.catalog_views() for i in v.items if i.code == "EARLY_TEST")
    assert early.price_fen == 4550


BAD_CATALOG = textwrap.dedent(
    """\
    [catalog]
    label = "bad"

    [[service_points]]
    code = "LAB"
    name = "检验科"

    [[packages]]
    code = "P1"
    name = "测试包"
    episode_kind = "pregnancy"
    validity_days = 30

    [[packages.items]]
    code = "ITEM_A"
    name = "项目A"
    price_yuan = 12.345
    service_point = "LAB"

    [[packages.items]]
    code = "ITEM_B"
    name = "项目B"
    price_yuan = 10
    service_point = "NOWHERE"
    """
)


def test_invalid_catalog_reports_file_line_and_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_CATALOG, "utf-8")
    with pytest.raises(CatalogError) as info:
        parse_catalog(path)
    problems = info.value.problems
    assert any(p.startswith("bad.toml:17:") and "price_yuan" in p for p in problems), problems
    assert any(p.startswith("bad.toml:24:") and "service_point" in p and "NOWHERE" in p for p in problems), (
        problems
    )
    assert info.value.exit_code == 2


def test_toml_syntax_error_is_reported_in_chinese(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[catalog\nlabel=1", "utf-8")
    with pytest.raises(CatalogError) as info:
        parse_catalog(path)
    assert "TOML 语法错误" in info.value.message


def test_unknown_database_scheme_is_invalid_input():
    from models.errors import InvalidInput

    with pytest.raises(InvalidInput, match="不支持的数据库地址"):
        db.make_database("mysql://x/y")


def test_sqlite_pragmas_are_set(tmp_path):
    database = db.connect(f"sqlite:///{tmp_path / 'p.db'}")
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 10000
    db.close()


def test_unreachable_postgres_gives_clear_message():
    with pytest.raises(db.DatabaseUnavailable, match="无法连接数据库"):
        db.connect("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")


def test_url_resolution_order(monkeypatch, tmp_path):
    assert db.resolve_url().startswith("sqlite:///")
    db.write_settings_file({"database_url": "sqlite:///from-settings.db"})
    assert db.resolve_url() == "sqlite:///from-settings.db"
    monkeypatch.setenv("FFDESK_DB", "sqlite:///from-env.db")
    assert db.resolve_url() == "sqlite:///from-env.db"
    assert db.resolve_url("sqlite:///explicit.db") == "sqlite:///explicit.db"


def test_integrity_error_on_duplicate_package_code_in_version(db_url):
    version = catalog.active_version()
    with pytest.raises(peewee.IntegrityError), db.database.atomic():
        Package.create(
            catalog_version=version, code="HN-BY", name="x", episode_kind="pregnancy", validity_days=1
        )
