"""Single-backend variants of the shared ``db_url`` fixture (for tests that only make sense on one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from models import catalog, db, migrations


def _prepare(url: str, with_catalog: bool = True) -> None:
    db.connect(url)
    migrations.migrate()
    if with_catalog:
        catalog.load_catalog(catalog.default_catalog_path())


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    """A migrated SQLite file with the default catalog, connected."""
    url = f"sqlite:///{tmp_path / 'ffdesk.db'}"
    _prepare(url)
    yield url
    db.close()


@pytest.fixture
def pg_url(pg_server_url) -> Iterator[str]:
    """The run's PostgreSQL database, emptied and migrated (no catalog), connected."""
    from tests.conftest import reset_pg

    db.close()
    reset_pg(pg_server_url)
    _prepare(pg_server_url, with_catalog=False)
    yield pg_server_url
    db.close()
