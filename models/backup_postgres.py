"""PostgreSQL side of backups: finding the client tools (pg_dump, pg_restore, psql), running them
with the password kept out of argv, dumping, listing a dump and restoring it in one transaction.

Separate from models/backup.py because it is all about external programs; tests replace
:func:`find_tool` and :func:`_run` here to simulate a missing tool or a failing restore.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from models.errors import Refused

PG_DUMP_MAGIC = b"PGDMP"


class BackupToolMissing(Refused):
    """pg_dump / pg_restore / psql is not installed on this computer."""


def find_tool(name: str) -> str | None:
    """``name`` on PATH, else in PostgreSQL's versioned bin folders (Debian, Windows), newest first."""
    found = shutil.which(name)
    if found:
        return found
    patterns = [f"/usr/lib/postgresql/*/bin/{name}", f"C:/Program Files/PostgreSQL/*/bin/{name}.exe"]
    for pattern in patterns:
        hits = sorted(glob.glob(pattern), reverse=True)
        if hits:
            return hits[0]
    return None


def _require_tool(name: str, purpose: str) -> str:
    path = find_tool(name)
    if path is None:
        raise BackupToolMissing(
            f"找不到 PostgreSQL 工具 {name}，无法{purpose}。请在这台电脑上安装 PostgreSQL 客户端"
            f"（Debian/Ubuntu：apt install postgresql-client；Windows：PostgreSQL 安装包中的"
            f"“Command Line Tools”），并把它的 bin 文件夹加入 PATH"
        )
    return path


def _pg_env(url: str) -> tuple[str, dict[str, str]]:
    """The URL for libpq tools, with the password passed through PGPASSWORD rather than argv."""
    parsed = urlparse(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = unquote(parsed.password)
        netloc = parsed.netloc.replace(":" + parsed.password + "@", "@")
        url = parsed._replace(netloc=netloc).geturl()
    env.setdefault("PGCONNECT_TIMEOUT", "5")
    return url.replace("postgres://", "postgresql://", 1), env


def _run(cmd: list[str], env: dict[str, str], what: str, stdin: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, env=env, timeout=3600, check=False)
    except OSError as exc:
        raise Refused(f"{what}失败：无法运行 {cmd[0]}（{exc}）") from exc
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Refused(
            f"{what}失败：{detail[-1] if detail else f'{Path(cmd[0]).name} 退出码 {proc.returncode}'}"
        )
    return proc.stdout


def dump(url: str, out: Path) -> None:
    """``pg_dump -Fc`` of the database at ``url`` into the file ``out``."""
    tool = _require_tool("pg_dump", "备份 PostgreSQL 数据库")
    clean_url, env = _pg_env(url)
    _run([tool, "-Fc", "--no-owner", "--no-privileges", "-f", str(out), "-d", clean_url], env, "备份")


def dump_problems(path: Path) -> list[str]:
    """What is wrong with the dump ``path`` as an ffdesk backup (empty: it holds the audit table)."""
    tool = _require_tool("pg_restore", "检查 PostgreSQL 备份")
    listing = _run([tool, "-l", str(path)], dict(os.environ), "读取备份").decode("utf-8", "replace")
    return [] if "TABLE DATA public audit_event" in listing else ["不是 ffdesk 数据库备份（没有审计表）"]


def restore_dump(source: Path, url: str) -> None:
    clean_url, env = _pg_env(url)
    pg_restore = _require_tool("pg_restore", "恢复 PostgreSQL 数据库")
    psql = find_tool("psql")
    if psql is not None:
        script = _run([pg_restore, "--no-owner", "--no-privileges", "-f", "-", str(source)], env, "读取备份")
        prologue = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
        _run(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-d", clean_url],
            env,
            "恢复",
            stdin=prologue + script,
        )
    else:
        _run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "-d",
                clean_url,
                str(source),
            ],
            env,
            "恢复",
        )
