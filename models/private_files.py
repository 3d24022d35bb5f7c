"""Files and folders readable by their owner only (0700 folders, 0600 files on Linux/macOS).

The data folder, the SQLite database (and its -wal/-shm), keys, backups and logs hold personal
data or secrets: another user of a shared desk computer must not read them. On Windows the data
folder is in the user's own profile, whose ACL already keeps other users out; ``chmod`` there
only toggles the read-only flag, so it is skipped.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

POSIX = os.name == "posix"
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path | str) -> Path:
    """Create ``path`` (and parents) if needed; the folder itself ends up owner-only."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if POSIX:
        with contextlib.suppress(OSError):  # a folder owned by someone else: leave it
            if path.stat().st_mode & 0o077:
                path.chmod(DIR_MODE)
    return path


def private_file(path: Path | str) -> Path:
    """Make an existing file owner-only (no-op when it does not exist or on Windows)."""
    path = Path(path)
    if POSIX and path.exists():
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o077:
                path.chmod(FILE_MODE)
    return path


def touch_private(path: Path | str) -> Path:
    """Create an empty owner-only file unless it exists (so that SQLite, which copies the main
    file's mode to its -wal and -shm files, creates those owner-only too)."""
    path = Path(path)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    return private_file(path)


def write_private(path: Path | str, data: bytes) -> Path:
    """Write ``data`` whole or not at all to an owner-only file in an owner-only folder.

    A temporary file of its own (two writers never share one) is flushed to disk, then renamed.
    """
    path = Path(path)
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
