"""Database fixtures: every model test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``FFDESK_TEST_PG`` (e.g. postgresql://postgres@127.0.0.1:5432/test).
With ``CI=true`` and no variable, the CI server's address is used and an unreachable server
FAILS the run instead of skipping. Each test run gets its own PostgreSQL database, dropped at
the end; each test starts from an empty, freshly migrated schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from models import catalog, clock, db, migrations

CI_PG = "postgresql://postgres@127.0.0.1:5432/test"
PG_HINT = (
    "未配置 PostgreSQL 测试库：设置 FFDESK_TEST_PG=postgresql://用户@主机:端口/库名 以运行 PostgreSQL 测试"
)


def _pg_admin_url() -> str | None:
    url = os.environ.get("FFDESK_TEST_PG")
    if not url and os.environ.get("CI", "").lower() == "true":
        url = CI_PG
    return url


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test run (created and dropped here)."""
    admin_url = _pg_admin_url()
    if not admin_url:
        pytest.skip(PG_HINT)
    name = f"ffdesk_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI 中 PostgreSQL 不可用：{exc}")
        pytest.skip(f"{PG_HINT}（连接失败：{exc}）")
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base, _, _ = admin_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        db.close()
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


def reset_pg(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def empty_db_url(request, tmp_path) -> str:
    """URL of an empty database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ffdesk.db'}"
    url = request.getfixturevalue("pg_server_url")
    db.close()
    reset_pg(url)
    return url


@pytest.fixture
def db_url(empty_db_url) -> Iterator[str]:
    """A migrated database with the default catalog loaded, connected as the current database."""
    db.connect(empty_db_url)
    migrations.migrate()
    catalog.load_catalog(catalog.default_catalog_path())
    yield empty_db_url
    db.close()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Settings, logs and the default database live in a temporary folder in every test."""
    monkeypatch.setenv("FFDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FFDESK_WORKSTATION", "测试工作站")
    monkeypatch.delenv("FFDESK_DB", raising=False)
    monkeypatch.setenv("FFDESK_NO_KEYRING", "1")  # never the developer's own keyring
    yield
    clock.set_now(None)
