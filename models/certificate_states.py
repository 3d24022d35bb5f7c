"""Birth certificate vocabulary shared by the certificate modules: form states, certificate kinds
and reading dates off rows.

Kept apart so that the services (models/certificates.py), the reports
(models/certificate_reports.py) and the data checks (models/certificate_data.py) can all use it
without importing one another. Dates come back from SQLite as text and from PostgreSQL as date
objects; :func:`as_date` / :func:`as_datetime` accept both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

ON_HAND, ISSUED, VOIDED, DESTROYED = "on_hand", "issued", "voided", "destroyed"
STATES = (ON_HAND, ISSUED, VOIDED, DESTROYED)
STATE_LABELS = {ON_HAND: "库存", ISSUED: "已签发", VOIDED: "已作废", DESTROYED: "已销毁"}

FIRST, REISSUE, REPLACE = "first", "reissue", "replace"
KIND_LABELS = {FIRST: "首次签发", REISSUE: "补发", REPLACE: "换发"}


def as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def as_datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
