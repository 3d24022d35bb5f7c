"""Log file in the user's data folder (rotating); tracebacks go here, never to the user."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from models.db import data_dir
from models.private_files import private_dir, touch_private

_configured = False


def log_file() -> Path:
    folder = private_dir(data_dir() / "logs")  # owner-only: rotated files inherit the folder's protection
    return touch_private(folder / "ffdesk.log")


def setup_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    handler = logging.handlers.RotatingFileHandler(
        log_file(), maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = True
