"""Loading a new catalog version from the program, with the permission check and an audit event.

The CLI's ``catalog load`` does the same steps inline; the GUI calls this one function.
"""

from __future__ import annotations

from pathlib import Path

from models import catalog
from models.catalog_file import parse_catalog
from models.db import database
from models.permissions import Actor, require
from models.schema import CatalogVersion


def load_catalog_audited(actor: Actor, path: str | Path) -> CatalogVersion:
    """Validate ``path`` (every problem with file, line and field, raised as ``CatalogError``),
    then store it as the active version and record ``catalog.load`` in one transaction."""
    require(actor, "catalog.manage")
    parse_catalog(path)  # nothing is written when the file is wrong
    with database.atomic():
        return catalog.load_catalog(path, loaded_by=actor.staff, actor=actor)
