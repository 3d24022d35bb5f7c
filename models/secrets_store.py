"""Secrets kept out of settings.json and out of the database: the PostgreSQL password.

``settings.json`` keeps the database URL *without* its password. The password goes to the
system's keyring (Windows Credential Manager, macOS Keychain, Secret Service) when the
``keyring`` package is importable and has a working backend, else to an owner-only file in the
keys folder beside the data folder (``<data folder>-keys/db-passwords.json``, 0600 in 0700).
The same folder holds the backup key (models.backup_crypto). ``FFDESK_NO_KEYRING=1`` forces the
file (servers, tests).

An older settings.json that still holds a password is cleaned on first read: the password
moves to the keyring/file and the file is rewritten without it.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from models.private_files import private_dir, write_private

SERVICE = "ffdesk"


def keys_dir() -> Path:
    """``<data folder>-keys``: next to the data folder, so a copy of that folder carries no key."""
    from models.db import data_dir

    data = data_dir()
    return private_dir(data.with_name(data.name + "-keys"))


def password_file() -> Path:
    return keys_dir() / "db-passwords.json"


def split_password(url: str) -> tuple[str, str | None]:
    """``postgresql://u:pw@h/db`` → (``postgresql://u@h/db``, ``pw``); other URLs unchanged."""
    parsed = urlparse(url)
    if not parsed.password:
        return url, None
    netloc = parsed.netloc.replace(":" + parsed.password + "@", "@", 1)
    return parsed._replace(netloc=netloc).geturl(), unquote(parsed.password)


def _with_password(url: str, password: str) -> str:
    parsed = urlparse(url)
    user, _, host = parsed.netloc.rpartition("@")
    if not user:
        return url
    return parsed._replace(netloc=f"{user}:{quote(password, safe='')}@{host}").geturl()


def _keyring():
    """The keyring module when it has a working backend, else None."""
    if os.environ.get("FFDESK_NO_KEYRING"):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except Exception:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def _read_file() -> dict[str, str]:
    path = password_file()
    if not path.exists():
        return {}
    try:
        return dict(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        return {}


def where() -> str:
    """Where passwords are kept on this computer, for the README/diagnostics."""
    return "系统钥匙串（keyring）" if _keyring() is not None else str(password_file())


def store(url: str) -> str:
    """Keep the URL's password (if any) in the keyring or the owner-only file; return the URL without it."""
    bare, password = split_password(url)
    if password is None:
        return url
    ring = _keyring()
    if ring is not None:
        try:
            ring.set_password(SERVICE, bare, password)
            return bare
        except Exception:  # a locked or broken keyring: fall back to the file
            pass
    values = _read_file()
    values[bare] = password
    write_private(password_file(), json.dumps(values, ensure_ascii=False, indent=2).encode("utf-8"))
    return bare


def fill(url: str) -> str:
    """The URL with its stored password put back (unchanged when it has one or none is stored)."""
    if split_password(url)[1] is not None or not url.startswith(("postgresql://", "postgres://")):
        return url
    password = None
    ring = _keyring()
    if ring is not None:
        with contextlib.suppress(Exception):
            password = ring.get_password(SERVICE, url)
    if password is None:
        password = _read_file().get(url)
    return _with_password(url, password) if password else url
