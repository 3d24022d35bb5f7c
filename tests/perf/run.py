"""Benchmarks at scale (not part of the default test run).

    .venv/bin/python -m tests.perf.run --scale 100000 --backends sqlite,postgresql

Builds a fresh database per backend with :mod:`models.demo_bulk` (PostgreSQL: a throw-away
database next to ``FFDESK_TEST_PG``, dropped afterwards), then times each desk operation through
the domain services and, side by side, the same work in raw SQL (sqlite3 / psycopg) on a second
connection; prints p50/p95 in ms and the ORM/raw ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

from models import (
    audit,
    audit_key,
    catalog,
    clients,
    clock,
    db,
    demo_bulk,
    episodes,
    finance,
    issuance,
    migrations,
    redemption,
)
from models import staff as staff_service
from models.schema import Client

PG_ADMIN = os.environ.get("FFDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


SYNCHRONOUS_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def service_durability() -> str:
    """The commit durability of the service's own connection."""
    if db.is_postgres():
        return "synchronous_commit=" + db.database.execute_sql("SHOW synchronous_commit").fetchone()[0]
    return "synchronous=" + SYNCHRONOUS_NAMES[db.database.execute_sql("PRAGMA synchronous").fetchone()[0]]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


class Raw:
    """The same work in plain SQL on its own connection."""

    def __init__(self, url: str) -> None:
        self.pg = url.startswith("postgresql")
        if self.pg:
            self.conn = psycopg.connect(url)
        else:
            self.conn = sqlite3.connect(url[len("sqlite:///") :], isolation_level=None, timeout=10)
            self.conn.execute("PRAGMA foreign_keys = 1")
            # the same durability as the service's connections: a fair comparison
            self.conn.execute(f"PRAGMA synchronous = {db.SQLITE_PRAGMAS['synchronous']}")

    def durability(self) -> str:
        """The commit durability setting of this connection, as the benchmark prints it."""
        if self.pg:
            return "synchronous_commit=" + self.one("SHOW synchronous_commit")[0]
        return "synchronous=" + SYNCHRONOUS_NAMES[self.one("PRAGMA synchronous")[0]]

    def q(self, text: str) -> str:
        return text.replace("?", "%s") if self.pg else text

    def all(self, text: str, params: tuple = ()) -> list:
        return self.conn.execute(self.q(text), params).fetchall()

    def one(self, text: str, params: tuple = ()):
        return self.conn.execute(self.q(text), params).fetchone()

    def begin(self) -> None:
        if not self.pg:
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.commit() if self.pg else self.conn.execute("COMMIT")

    def audit(self, staff_id: int, name: str, action: str, entity: str, entity_id: int, after: dict) -> None:
        seq, prev = self.one(
            'SELECT "seq", "hash" FROM "audit_head" WHERE "id" = 1' + (" FOR UPDATE" if self.pg else "")
        )
        at = clock.utcnow()
        body = json.dumps(after, ensure_ascii=False, sort_keys=True, default=str)
        key_id, key = audit_key.current_key()  # sealed as the service seals (no row images on this side)
        digest = audit.sealed_hash(
            key, prev, seq + 1, at, staff_id, name, "raw", action, entity, str(entity_id), None, body, key_id, None,
        )  # fmt: skip
        self.conn.execute(
            self.q('INSERT INTO "audit_event" ("seq", "at", "staff_id", "staff_name", "workstation", "action", '
                   '"entity", "entity_id", "before", "after", "prev_hash", "hash", "key_id") '
                   'VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)'),
            (seq + 1, str(at), staff_id, name, "raw", action, entity, str(entity_id), None, body, prev, digest,
             key_id),
        )  # fmt: skip
        self.conn.execute(
            self.q('UPDATE "audit_head" SET "seq" = ?, "hash" = ? WHERE "id" = 1'), (seq + 1, digest)
        )

    def allowed(self, staff_id: int) -> None:
        """The services re-read the account's active flag on every call (a disabled account stops at once)."""
        assert self.one('SELECT "active" FROM "staff" WHERE "id" = ?', (staff_id,))[0]

    def view(self, where: str, key: int) -> list:
        """What the desk shows afterwards: vouchers with issuance, client and service point."""
        return self.all(
            'SELECT v.*, i."package_name", i."slip_no", c."name", c."id_number", sp."name" FROM "voucher" v '
            'JOIN "issuance" i ON i."id" = v."issuance_id" JOIN "episode" e ON e."id" = i."episode_id" '
            'JOIN "client" c ON c."id" = e."client_id" JOIN "service_point" sp ON sp."id" = v."service_point_id" '
            f'WHERE {where} = ? ORDER BY v."id"', (key,)
        )  # fmt: skip

    def redeem(self, code: str, point_id: int, staff_id: int, result: str | None) -> None:
        today = clock.local_today()
        now = clock.utcnow()
        self.allowed(staff_id)
        self.one('SELECT * FROM "service_point" WHERE "id" = ?', (point_id,))
        v = self.one(
            'SELECT v."id", v."value_fen", v."item_code", i."package_code" FROM "voucher" v '
            'JOIN "issuance" i ON i."id" = v."issuance_id" WHERE v."code" = ?', (code,)
        )  # fmt: skip
        self.begin()
        n = self.conn.execute(
            self.q('UPDATE "voucher" SET "state" = \'redeemed\', "redeemed_at" = ?, "redeemed_by_id" = ?, '
                   '"redeemed_point_id" = ?, "result" = ?, "version" = "version" + 1 '
                   'WHERE "id" = ? AND "state" = \'issued\' AND "expires_on" >= ?'),
            (str(now), staff_id, point_id, result, v[0], str(today)),
        ).rowcount  # fmt: skip
        assert n == 1
        month = clock.month_of(today)
        closed = self.all(
            'SELECT "month" FROM "period" WHERE "month" >= ? AND "state" = \'closed\'', (month,)
        )
        assert not closed
        self.conn.execute(
            self.q('INSERT INTO "ledger_entry" ("voucher_id", "kind", "amount_fen", "posted_on", "period", '
                   '"created_at", "staff_id", "service_point_id", "package_code", "item_code", "workstation") '
                   'VALUES (?, \'redeem\', ?, ?, ?, ?, ?, ?, ?, ?, \'raw\')'),
            (v[0], v[1], str(today), month, str(now), staff_id, point_id, v[3], v[2]),
        )  # fmt: skip
        self.audit(staff_id, "raw", "voucher.redeem", "voucher", v[0], {"state": "redeemed", "code": code})
        self.commit()
        self.view('v."id"', v[0])

    def issue(self, episode_id: int, package: tuple, items: list[tuple], staff_id: int) -> None:
        package_id, code, name, validity = package
        today = clock.local_today()
        now = clock.utcnow()
        self.allowed(staff_id)
        self.one('SELECT * FROM "package" WHERE "id" = ?', (package_id,))
        self.one('SELECT * FROM "episode" WHERE "id" = ?', (episode_id,))
        self.one(
            'SELECT c.* FROM "client" c JOIN "episode" e ON e."client_id" = c."id" WHERE e."id" = ?',
            (episode_id,),
        )
        self.all('SELECT * FROM "service_item" WHERE "package_id" = ?', (package_id,))
        self.begin()
        if self.one(
            'SELECT "id" FROM "issuance" WHERE "episode_id" = ? AND "package_code" = ?', (episode_id, code)
        ):
            raise AssertionError("already issued")
        slip = f"RW{today:%Y%m%d}-{random.randrange(10**9):09d}"
        iid = self.one(
            self.q('INSERT INTO "issuance" ("episode_id", "package_id", "package_code", "package_name", "slip_no", '
                   '"issued_at", "issued_by_id", "workstation", "print_count") VALUES (?,?,?,?,?,?,?,\'raw\',0) RETURNING "id"'),
            (episode_id, package_id, code, name, slip, str(now), staff_id),
        )[0]  # fmt: skip
        rows = []
        for item_id, item_code, item_name, price, point_id, result_kind, quantity in items:
            for seq in range(1, quantity + 1):
                rows.append((demo_bulk._code(random.Random()), iid, item_id, item_code, item_name, price, point_id,
                             result_kind, seq, str(today), str(today + dt.timedelta(days=validity)), str(now)))  # fmt: skip
        cur = self.conn.cursor()
        cur.executemany(
            self.q('INSERT INTO "voucher" ("code", "issuance_id", "item_id", "item_code", "item_name", "value_fen", '
                   '"service_point_id", "result_kind", "sequence", "state", "valid_from", "expires_on", "issued_at", '
                   '"version") VALUES (?,?,?,?,?,?,?,?,?,\'issued\',?,?,?,0)'),
            rows,
        )  # fmt: skip
        self.audit(
            staff_id, "raw", "voucher.issue", "issuance", iid, {"package": code, "vouchers": len(rows)}
        )
        self.commit()
        self.view('v."issuance_id"', iid)

    def find(self, text: str, kind: str, staff_id: int) -> list:
        self.allowed(staff_id)
        if kind == "id":
            return self.all('SELECT * FROM "client" WHERE "id_type" IN (\'resident\',\'hkmo\',\'tw\',\'passport\','
                            '\'foreign_pr\') AND "id_number" = ? ORDER BY "name", "id" LIMIT 200', (text,))  # fmt: skip
        if kind == "phone":
            return self.all(
                'SELECT * FROM "client" WHERE "phone" = ? ORDER BY "name", "id" LIMIT 200', (text,)
            )
        upper = text[:-1] + chr(ord(text[-1]) + 1)
        return self.all(
            'SELECT * FROM "client" WHERE ("name_initials" >= ? AND "name_initials" < ?) OR '
            '("name_pinyin" >= ? AND "name_pinyin" < ?) ORDER BY "name", "id" LIMIT 200', (text, upper, text, upper)
        )  # fmt: skip

    def reconciliation(self, first: dt.date, last: dt.date, month: str) -> None:
        start, end = (str(x) for x in clock.local_day_bounds_utc(first, last))
        group = 'i."package_code", v."item_code", v."service_point_id"'
        self.all(f'SELECT {group}, i."issued_by_id", COUNT(v."id"), COALESCE(SUM(v."value_fen"),0) FROM "voucher" v '
                 f'JOIN "issuance" i ON i."id" = v."issuance_id" WHERE v."issued_at" >= ? AND v."issued_at" < ? '
                 f'GROUP BY {group}, i."issued_by_id"', (start, end))  # fmt: skip
        self.all('SELECT "kind", "package_code", "item_code", "service_point_id", "staff_id", COUNT("id"), '
                 'COALESCE(SUM("amount_fen"),0) FROM "ledger_entry" WHERE "period" = ? GROUP BY "kind", "package_code", '
                 '"item_code", "service_point_id", "staff_id"', (month,))  # fmt: skip
        self.all(f'SELECT {group}, v."voided_by_id", COUNT(v."id"), COALESCE(SUM(v."value_fen"),0) FROM "voucher" v '
                 f'JOIN "issuance" i ON i."id" = v."issuance_id" WHERE v."voided_at" >= ? AND v."voided_at" < ? '
                 f'GROUP BY {group}, v."voided_by_id"', (start, end))  # fmt: skip
        net = ('(SELECT COALESCE(SUM(CASE WHEN l."kind" = \'redeem\' THEN 1 ELSE -1 END),0) FROM "ledger_entry" l '
               'WHERE l."voucher_id" = v."id" AND l."posted_on" <= {day})')  # fmt: skip
        alive = '(v."issued_at" < ? AND (v."voided_at" IS NULL OR v."voided_at" >= ?))'
        net_at_expiry = net.format(day='v."expires_on"')
        net_at_end = net.format(day="?")
        self.all(f'SELECT {group}, COUNT(v."id"), COALESCE(SUM(v."value_fen"),0) FROM "voucher" v JOIN "issuance" i '
                 f'ON i."id" = v."issuance_id" WHERE v."expires_on" >= ? AND v."expires_on" <= ? AND {alive} AND '
                 f'{net_at_expiry} <= 0 GROUP BY {group}', (str(first), str(last), end, end))  # fmt: skip
        self.all(f'SELECT {group}, COUNT(v."id"), COALESCE(SUM(v."value_fen"),0) FROM "voucher" v JOIN "issuance" i '
                 f'ON i."id" = v."issuance_id" WHERE {alive} AND v."expires_on" >= ? AND {net_at_end} <= 0 '
                 f'GROUP BY {group}', (end, end, str(last), str(last)))  # fmt: skip
        self.all('SELECT "id", "name" FROM "service_point"')
        self.all('SELECT "id", "full_name", "username" FROM "staff"')


COLD_START = """
import os, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from desktop.app import create_application
from forms.login import LoginDialog
app = create_application()
dialog = LoginDialog()
dialog.show()
app.processEvents()
"""

BROWSER = """
import os, sys, time, json
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from desktop.app import create_application
from models import db, staff
from desktop import worker
from forms.voucher_model import VoucherModel
from PySide6.QtWidgets import QTableView
app = create_application()
db.connect(sys.argv[1])
actor = staff.actor_for(staff.get_staff("bulk-super"))
t = time.perf_counter()
model = VoucherModel(actor, runner=worker.run_in_background)  # as the browse screen: count in the worker
view = QTableView()
view.setModel(model)
view.resize(1200, 800)
view.show()
app.processEvents()
opened = time.perf_counter() - t
while model.count_pending():  # the GUI thread keeps running meanwhile
    app.processEvents()
    time.sleep(0.002)
counted = time.perf_counter() - t
t = time.perf_counter()
view.scrollToBottom()
app.processEvents()
bottom = time.perf_counter() - t
# VmHWM, not ru_maxrss: Linux carries the forking parent's peak into the child's ru_maxrss.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rows": model.rowCount(), "open": opened, "counted": counted, "bottom": bottom, "maxrss_mb": hwm / 1024}))
"""


def spawn(code: str, *args: str) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run([PYTHON, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - t, out.stdout.strip()


def bench(url: str, scale: int, samples: int) -> list[tuple]:
    db.connect(url)
    migrations.migrate()
    catalog.load_catalog(catalog.default_catalog_path())
    t = time.perf_counter()
    stats = demo_bulk.generate(scale, progress=lambda m: print("  " + m, flush=True))
    gen_seconds = time.perf_counter() - t
    print("  " + stats.summary(), flush=True)
    rows: list[tuple] = [
        ("生成数据 generate", gen_seconds * 1000, None, None, None, f"{stats.vouchers} 张券")
    ]
    admin = staff_service._create(
        f"perf{random.randrange(10**6)}",
        "性能测试",
        frozenset({"frontdesk", "nurse", "supervisor", "finance"}),
        demo_bulk.DEMO_PASSWORD,
        False,
    )
    actor = staff_service.actor_for(admin)
    raw = Raw(url)
    rows.append(
        (
            "提交持久性 durability",
            None,
            None,
            None,
            None,
            f"service {service_durability()}, raw {raw.durability()}",
        )
    )
    rng = random.Random(5)
    today = clock.local_today()
    p = "%s" if url.startswith("postgresql") else "?"
    usable = db.database.execute_sql(
        f'SELECT v."code", v."result_kind", sp."code", sp."id" FROM "voucher" v JOIN "service_point" sp ON sp."id" = v."service_point_id" '
        f'WHERE v."state" = \'issued\' AND v."expires_on" >= {p} AND v."item_code" <> \'HEART_SCREEN\' LIMIT {4 * samples}', (today,)
    ).fetchall()  # fmt: skip
    rng.shuffle(usable)
    orm_set, raw_set = usable[:samples], usable[samples : 2 * samples]

    def orm_redeem():
        code, kind, point, _ = orm_set.pop()
        redemption.redeem(actor, code, point, "negative" if kind == "screening" else None)

    def raw_redeem():
        code, kind, _, point_id = raw_set.pop()
        raw.redeem(code, point_id, admin.id, "negative" if kind == "screening" else None)

    rows.append(("扫码→查券→核销 redeem", *both(orm_redeem, raw_redeem, samples)))

    # Issue HN-CZ (7 vouchers) for fresh child episodes of existing children.
    fresh = []
    for k in range(2 * samples):
        birth = today - dt.timedelta(days=400 + k)
        body = f"110101{birth:%Y%m%d}{k % 100:02d}{2 * (k // 100) % 10}"
        child = clients.register_client(
            actor, id_type="resident", id_number=body + demo_bulk.resident_id_check(body), name=f"测试{k}"
        )
        fresh.append(episodes.open_child(actor, child.client.id).id)
    package = catalog.get_package("HN-CZ")
    items = [(i.id, i.code, i.name, i.price_fen, i.service_point_id, i.result_kind, i.quantity) for i in catalog.package_items(package) if i.tier == "basic" and not i.follow_up_of]  # fmt: skip
    orm_eps, raw_eps = fresh[:samples], fresh[samples:]
    rows.append(("发放 7 项服务包 issue", *both(
        lambda: issuance.issue_package(actor, orm_eps.pop(), "HN-CZ"),
        lambda: raw.issue(raw_eps.pop(), (package.id, package.code, package.name, package.validity_days), items, admin.id),
        samples)))  # fmt: skip

    people = list(Client.select(Client.id_number, Client.phone, Client.name_pinyin).where(Client.id_number.is_null(False)).order_by(Client.id).limit(2000))  # fmt: skip
    picks = [rng.choice(people) for _ in range(samples)]
    for label, kind, key in (("按证件号找人 find by ID", "id", lambda c: c.id_number),
                             ("按手机号找人 find by phone", "phone", lambda c: c.phone),
                             ("按姓名拼音前缀找人 name prefix", "name", lambda c: c.name_pinyin[:4])):  # fmt: skip
        it1, it2 = iter(picks), iter(picks)
        rows.append((label, *both(lambda it=it1, k=key: clients.find_clients(actor, k(next(it))),
                                  lambda it=it2, k=key, kd=kind: raw.find(k(next(it)), kd, admin.id), samples)))  # fmt: skip

    month = clock.month_of(today.replace(day=1) - dt.timedelta(days=1))
    first, last = finance.month_bounds(month)
    n_rec = max(3, samples // 10)
    rows.append(("月度对账查询 reconciliation query", *both(
        lambda: finance.compute_reconciliation(first, last, month=month),
        lambda: raw.reconciliation(first, last, month), n_rec)))  # fmt: skip
    from desktop import documents

    rec = timed(lambda: documents.render(documents.reconciliation_data(actor, first, last), "pdf"), n_rec)
    rows.append(("月度对账 查询+PDF reconciliation+PDF", pct(rec, 50), pct(rec, 95), None, None, month))
    issued = [
        i
        for (i,) in db.database.execute_sql(
            'SELECT "id" FROM "issuance" ORDER BY "id" DESC LIMIT 20'
        ).fetchall()
    ]
    from reports.slip import render_slip

    views = [issuance.get_issuance(actor, i) for i in issued]
    slip = timed(lambda: render_slip(documents.slip_data(rng.choice(views)), "roll80"), samples)
    rows.append(("80 mm 券单 PDF slip", pct(slip, 50), pct(slip, 95), None, None, ""))
    raw.conn.close()
    db.close()

    starts = [spawn(COLD_START)[0] for _ in range(5)]
    rows.append(
        ("冷启动到登录窗口 cold start", pct(starts, 50), pct(starts, 95), None, None, "python -c 进程全程")
    )
    _, out = spawn(BROWSER, url)
    info = json.loads(out)
    rows.append(
        (
            "打开券浏览（全部行）browser open",
            info["open"] * 1000,
            None,
            None,
            None,
            f"{info['rows']} 行；计数（后台）到达 {info['counted'] * 1000:.0f} ms；滚到底 {info['bottom'] * 1000:.0f} ms",
        )
    )
    rows.append(("浏览器进程峰值内存 peak RSS (MB)", None, None, None, None, f"{info['maxrss_mb']:.0f} MB"))
    return rows


def both(orm: Callable[[], object], raw: Callable[[], object], n: int) -> tuple:
    a = timed(orm, n)
    b = timed(raw, n)
    return (
        pct(a, 50),
        pct(a, 95),
        pct(b, 50),
        pct(b, 95),
        f"ORM/raw p50 {statistics.median(a) / statistics.median(b):.2f}×",
    )


def fmt(v: float | None) -> str:
    return "" if v is None else f"{v:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000, help="vouchers to generate")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument(
        "--sqlite-synchronous",
        choices=["full", "normal"],
        default=db.SQLITE_PRAGMAS["synchronous"],
        help="SQLite commit durability on both sides (the program uses full; normal shows its cost)",
    )
    args = parser.parse_args(argv)
    db.SQLITE_PRAGMAS["synchronous"] = args.sqlite_synchronous
    for backend in args.backends.split(","):
        print(f"== {backend} @ {args.scale} vouchers", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            name = None
            if backend == "sqlite":
                url = f"sqlite:///{tmp}/perf.db"
            else:
                name = f"ffdesk_perf_{os.getpid()}"
                admin = psycopg.connect(PG_ADMIN, autocommit=True)
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                url = PG_ADMIN.rpartition("/")[0] + "/" + name
            try:
                rows = bench(url, args.scale, args.samples)
            finally:
                db.close()
                if name:
                    admin.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                    )
                    admin.close()
        print(f"| {backend} @ {args.scale} | ORM p50 ms | ORM p95 ms | raw p50 ms | raw p95 ms | note |")
        print("|---|---:|---:|---:|---:|---|")
        for label, a, b, c, d, note in rows:
            print(f"| {label} | {fmt(a)} | {fmt(b)} | {fmt(c)} | {fmt(d)} | {note} |")
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
