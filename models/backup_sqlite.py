"""SQLite side of backups: the file signature, the online snapshot, checking a backup file and
copying a backup over the live file.

Only the sqlite3 standard library; no permission checks, no audit, no database proxy. The public
backup and restore steps that use it (and PostgreSQL's) are in models/backup.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import unquote

from models.errors import InvalidInput

SQLITE_MAGIC = b"SQLite format 3\x00"


def sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        raise InvalidInput(f"无法备份此 SQLite 数据库：{url}")
    return Path(unquote(url[len("sqlite:///") :])).expanduser()


def file_check(path: Path) -> tuple[str, int, int, list[str]]:
    """integrity_check, schema version and audit-chain result of a SQLite file (opened read-only)."""
    problems: list[str] = []
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        return str(exc), 0, 0, [f"无法打开：{exc}"]
    try:
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            return str(exc), 0, 0, [f"文件已损坏或不是数据库（{exc}）"]
        integrity = "ok" if rows == ["ok"] else "; ".join(rows[:5])
        if integrity != "ok":
            problems.append(f"完整性检查未通过：{integrity}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = 0
        if "schema_version" in tables:
            version = int(conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0)
        else:
            problems.append("不是 ffdesk 数据库（没有结构版本表）")
        return integrity, version, 0, problems
    finally:
        conn.close()


def snapshot(source: Path, dest: Path) -> None:
    """Online backup of ``source`` into the new file ``dest`` (a consistent snapshot)."""
    if not source.exists():
        raise InvalidInput(f"数据库文件不存在：{source}")
    src = sqlite3.connect(str(source), timeout=30)
    try:
        src.execute("PRAGMA busy_timeout = 30000")
        dst = sqlite3.connect(str(dest))
        try:
            try:
                src.backup(dst)  # pages=-1: the whole file in one read transaction
            except sqlite3.DatabaseError as exc:
                raise InvalidInput(
                    f"数据库文件已损坏或不是 ffdesk 数据库：{source}（{exc}），无法备份"
                ) from exc
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()


def restore_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            dst = sqlite3.connect(str(target), timeout=30)
            try:
                dst.execute("PRAGMA busy_timeout = 30000")
                src.backup(dst)  # other desks' connections see the new content, not a torn file
            finally:
                dst.close()
        except sqlite3.DatabaseError:
            # the current file is damaged: move it aside (the safety copy has it) and start fresh
            for suffix in ("", "-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            dst = sqlite3.connect(str(target))
            try:
                src.backup(dst)
            finally:
                dst.close()
    finally:
        src.close()
