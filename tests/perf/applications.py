"""Import of a generated applications file at scale (issue 19: 10,000 in ≤ 10 s).

    .venv/bin/python -m tests.perf.applications --rows 10000 --backends sqlite,postgresql

Times the first import (every row new) and the re-import (every row already there) through
:func:`models.applications.import_file`, on a fresh database per backend.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
import time

import psycopg

from models import applications, db, migrations
from models.application_file import FIELDS
from tests.helpers import make_actor, resident_id
from tests.models.lifecycle import freeze
from tests.perf.run import PG_ADMIN


def generated_file(rows: int, seed: int = 19) -> bytes:
    """``rows`` valid applications for HN-YC, one woman each (ID numbers may repeat)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FIELDS))
    writer.writeheader()
    for i in range(rows):
        writer.writerow(
            {
                "application_no": f"P{i:07d}",
                "submitted_at": f"2026-03-01T{8 + i % 10:02d}:{i % 60:02d}:00+08:00",
                "name": "测试申请人",
                "id_type_code": "01",
                "id_number": resident_id(
                    f"199{rng.randrange(10)}0{rng.randrange(1, 10)}1{rng.randrange(10)}", "F", rng=rng
                ),
                "sex_code": "2",
                "phone": f"138{rng.randrange(10**8):08d}",
                "division_code": "430104",
                "package_code": "HN-YC",
                "lmp": "2026-01-05",
            }
        )
    return out.getvalue().encode("utf-8")


def bench(url: str, data: bytes) -> tuple[float, float]:
    db.connect(url)
    migrations.migrate()
    freeze()
    desk = make_actor("frontdesk")
    start = time.perf_counter()
    applications.import_file(desk, data, "csv", "generated.csv")
    first = time.perf_counter() - start
    start = time.perf_counter()
    applications.import_file(desk, data, "csv", "generated.csv")
    again = time.perf_counter() - start
    db.database.close()
    return first, again


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    data = generated_file(args.rows)
    for backend in args.backends.split(","):
        if backend == "sqlite":
            url = f"sqlite:///{tempfile.mkdtemp()}/perf.db"
        else:
            name = "ffdesk_perf_applications"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
                conn.execute(f"CREATE DATABASE {name}")
            url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        first, again = bench(url, data)
        print(f"{backend}: {args.rows} 条申请 首次导入 {first:.2f} s，重复导入 {again:.2f} s")
        if backend != "sqlite":
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
