"""Bulk demo data at hospital and city scale: ``generate(n)`` makes about ``n`` vouchers fast.

The rows are the ones the services would have written over ``months`` months, only built in
Python and written in bulk (``executemany`` on SQLite, ``COPY`` on PostgreSQL) in ONE
transaction:

- clients with valid resident ID numbers (GB 11643 check character) and pinyin keys (from a
  pool of names whose pinyin is computed once), couples and parents linked (``FamilyLink``);
- episodes at every stage: pre-pregnancy couples, pregnancies early and late, deliveries
  (closed pregnancies), newborns and older children;
- issuances made inside each package's eligibility window, vouchers copying name, value and
  expiry from the active catalog (5–9 per package, about 5.5 on average);
- about 60 % of the vouchers redeemed at their service point with a ledger row posted on the
  local day (period = that month: months close after they end, so nothing posts into a closed
  month); some redemptions reversed (negative ledger row, voucher usable again), some vouchers
  voided, the unused ones past their date expired;
- every full month but the latest closed, its snapshot computed by
  :func:`models.finance.compute_reconciliation` (and checked against the generator's own
  ledger totals);
- an audit event for EVERY change (client, link, episode open/close, issue, redeem, reverse,
  void, expire, month close), in time order, hash-chained with :func:`models.audit.event_hash`.

The audit head: on SQLite it is moved forward one event at a time (``executemany``), exactly
as the ``audit_head_forward`` trigger demands. On PostgreSQL a million single-row UPDATEs of
one row in one transaction are quadratic (every update walks the row's growing version chain:
40 000 took 24 s), so the head trigger is disabled for the single UPDATE that sets the head to
the last generated event and re-enabled in the same transaction — run this only on a database
no desk is using. :func:`models.audit.verify_chain` checks the result either way.

Codes and names come from a seeded ``random.Random``: demo data, NOT for production codes
(the services use :mod:`secrets`).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from models import clock
from models.audit import sealed_hash
from models.audit_key import current_key
from models.audit_rows import imager
from models.audit_rows import images as row_images
from models.catalog import active_packages, package_items
from models.db import database, is_postgres
from models.errors import Refused
from models.finance import compute_reconciliation, month_bounds
from models.passwords import hash_password
from models.pinyin import pinyin_keys
from models.privacy import mask_id
from models.schema import AuditHead, ServicePoint, Staff, StaffRole

DEMO_PASSWORD = "Demo-Pass-2026"
WORKSTATION = "示范数据"
SYSTEM = (None, "系统", "")

# --- names, regions, ID numbers --------------------------------------------------------------------

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
)
_FEMALE = "秀英丽华敏静燕芳娟霞玲桂兰红梅琳颖婷雪洁晶慧倩欣怡佳雨萱思彤诗涵梦瑶晓月蕾璐薇妍玥珺婧"
_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆峰建国志文博轩睿哲晨阳昊然子豪"
# Hunan (Changsha, Zhuzhou, Xiangtan, Hengyang…) and Lianyungang districts (GB/T 2260).
_REGIONS = (
    "430102", "430103", "430104", "430105", "430111", "430112", "430121", "430181", "430202",
    "430302", "430405", "430602", "430702", "431002", "320703", "320706", "320707", "320722",
    "320723", "320724", "420102", "440106", "360102", "450102",
)  # fmt: skip
_LOCAL_PREFIXES = ("43", "3207")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ADDRESSES = (
    "岳麓区桐梓坡路",
    "开福区芙蓉中路",
    "天心区书院路",
    "雨花区韶山中路",
    "芙蓉区五一大道",
    "海州区朝阳路",
)
_MOBILE_PREFIXES = ("13", "15", "17", "18", "19")

# Damm quasigroup table (the same one stdnum.damm uses); codes are checked with it.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def _damm_chunk_table() -> list[list[int]]:
    """state → 3-digit chunk → state, so a 19-digit body needs 7 lookups instead of 19."""
    table = []
    for state in range(10):
        row = []
        for chunk in range(1000):
            s = state
            for ch in f"{chunk:03d}":
                s = _DAMM[s][int(ch)]
            row.append(s)
        table.append(row)
    return table


_DAMM3 = _damm_chunk_table()


def _code(rng: random.Random) -> str:
    """A voucher code: 19 random digits (first not 0) and the Damm check digit."""
    body = 10**18 + rng.randrange(9 * 10**18)
    text = str(body)
    state = _DAMM[0][int(text[0])]
    for i in range(1, 19, 3):
        state = _DAMM3[state][int(text[i : i + 3])]
    return text + str(state)


def resident_id_check(body17: str) -> str:
    total = sum(int(d) * w for d, w in zip(body17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


class _NamePool:
    """A few thousand names per sex with their pinyin keys, computed once (pypinyin is slow)."""

    def __init__(self, rng: random.Random, size: int = 2500) -> None:
        self.female = self._build(rng, _FEMALE, size)
        self.male = self._build(rng, _MALE, size)

    @staticmethod
    def _build(rng: random.Random, given: str, size: int) -> list[tuple[str, str, str]]:
        names: set[str] = set()
        while len(names) < size:
            first = rng.choice(given) + (rng.choice(given) if rng.random() < 0.7 else "")
            names.add(rng.choice(_SURNAMES) + first)
        return [(n, *pinyin_keys(n)) for n in sorted(names)]


# --- the result ----------------------------------------------------------------------------------


@dataclass
class BulkStats:
    clients: int = 0
    links: int = 0
    episodes: int = 0
    issuances: int = 0
    vouchers: int = 0
    ledger_rows: int = 0
    redeemed: int = 0
    reversed: int = 0
    voided: int = 0
    expired: int = 0
    closed_months: list[str] = field(default_factory=list)
    audit_events: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    def summary(self) -> str:
        phases = "，".join(f"{k} {v:.1f}s" for k, v in self.seconds.items())
        return (
            f"服务对象 {self.clients}，家庭关系 {self.links}，服务周期 {self.episodes}，发券 {self.issuances} 次，"
            f"电子券 {self.vouchers} 张（已核销 {self.redeemed}，冲正 {self.reversed}，作废 {self.voided}，"
            f"过期 {self.expired}），台账 {self.ledger_rows} 行，月结 {len(self.closed_months)} 个月，"
            f"审计事件 {self.audit_events} 条；用时 {self.total_seconds:.1f}s（{phases}）"
        )


# --- the generator -----------------------------------------------------------------------------------

_COLUMNS: dict[str, tuple[str, ...]] = {
    "client": (
        "id", "id_type", "id_number", "name", "name_pinyin", "name_initials", "sex", "birth_date",
        "phone", "address", "residency", "ethnicity", "nationality", "created_at", "created_by_id",
    ),
    "family_link": ("id", "kind", "from_client_id", "to_client_id", "created_at"),
    "episode": (
        "id", "kind", "client_id", "partner_id", "status", "lmp", "edd", "delivery_date",
        "delivery_mode", "babies", "birth_date", "note", "opened_at", "opened_by_id", "closed_at",
    ),
    "issuance": (
        "id", "episode_id", "package_id", "package_code", "package_name", "slip_no", "issued_at",
        "issued_by_id", "workstation", "override_reason", "override_by_id", "print_count",
    ),
    "voucher": (
        "id", "code", "issuance_id", "item_id", "item_code", "item_name", "value_fen",
        "service_point_id", "result_kind", "sequence", "state", "valid_from", "expires_on",
        "issued_at", "redeemed_at", "redeemed_by_id", "redeemed_point_id", "result", "voided_at",
        "voided_by_id", "void_reason", "follow_up_of_id", "version",
    ),
    "ledger_entry": (
        "id", "voucher_id", "kind", "amount_fen", "posted_on", "period", "created_at", "staff_id",
        "service_point_id", "package_code", "item_code", "reason", "workstation",
    ),
    "audit_event": (
        "id", "seq", "at", "staff_id", "staff_name", "workstation", "action", "entity",
        "entity_id", "before", "after", "prev_hash", "hash", "key_id", "row_state",
    ),
}  # fmt: skip

# Voucher tuple positions that change after issue.
_V_STATE, _V_REDEEMED_AT, _V_REDEEMED_BY, _V_REDEEMED_POINT, _V_RESULT = 10, 14, 15, 16, 17
_V_VOIDED_AT, _V_VOIDED_BY, _V_VOID_REASON, _V_VERSION = 18, 19, 20, 22


def _j(value: Any) -> str:
    """JSON as models.audit stores it (sorted keys, CJK as is)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


_q = json.encoder.encode_basestring  # type: ignore[attr-defined]  # '"…"' with CJK as is (C speed)
_EIGHT_HOURS = dt.timedelta(hours=8)  # Asia/Shanghai is UTC+8 all year (no DST since 1991)
_ISSUED = '{"state": "issued"}'


def _local_day(moment: dt.datetime) -> dt.date:
    return (moment + _EIGHT_HOURS).date()


def _fast_sealed_hash(key: bytes, prev: str, seq: int, at: dt.datetime, staff_id: int | None, name: str,
                      ws: str, action: str, entity: str, entity_id: str, before: str | None, after: str | None,
                      key_id: str, row_state: str | None) -> str:  # fmt: skip
    """:func:`models.audit.sealed_hash` without building a JSONEncoder per call (same bytes, checked)."""
    payload = (
        f'["{prev}",{seq},"{at.isoformat(timespec="microseconds")}",{"null" if staff_id is None else staff_id},'
        f"{_q(name)},{_q(ws)},{_q(action)},{_q(entity)},{_q(entity_id)},"
        f"{'null' if before is None else _q(before)},{'null' if after is None else _q(after)},"
        f"{_q(key_id)},{'null' if row_state is None else _q(row_state)}]"
    )
    return hmac.digest(key, payload.encode("utf-8"), "sha256").hex()


_IMAGERS = {table: imager(table) for table in ("issuance", "voucher", "ledger_entry")}


def _img(values: Sequence[Any], table: str = "voucher") -> list[Any]:
    """A row image as models.audit_rows reads it back (text times get their microseconds)."""
    return _IMAGERS[table](values)


def _rows_json(**tables: dict[int, list[Any]]) -> str:
    return _j({table: {str(k): v for k, v in rows.items()} for table, rows in tables.items()})


def _next_id(table: str) -> int:
    return int(database.execute_sql(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"').fetchone()[0]) + 1


@dataclass
class _Actor:
    id: int
    name: str


class _Builder:
    """Builds every row in memory; ``write`` puts them in the database."""

    def __init__(self, rng: random.Random, now: dt.datetime, months: int) -> None:
        self.rng = rng
        self.now = now
        self.today = clock.local_date_of(now)
        first_month = self.today.replace(day=1)
        for _ in range(months):
            first_month = (first_month - dt.timedelta(days=1)).replace(day=1)
        # Never post into a month that is already closed: start after the latest closed one.
        latest_closed = database.execute_sql(
            'SELECT MAX("month") FROM "period" WHERE "state" = \'closed\''
        ).fetchone()[0]
        if latest_closed:
            _, last = month_bounds(latest_closed)
            first_month = max(first_month, last + dt.timedelta(days=1))
        self.start = first_month
        self.names = _NamePool(rng)
        self.rows: dict[str, list[tuple]] = {name: [] for name in _COLUMNS}
        self.events: list[
            tuple
        ] = []  # (at, staff_id, staff_name, workstation, action, entity, id, before, after)
        self.ids = {name: _next_id(name) for name in _COLUMNS if name != "audit_event"}
        self.used_ids: set[str] = set()
        self.used_slips: set[str] = {
            r[0] for r in database.execute_sql('SELECT "slip_no" FROM "issuance"').fetchall()
        }
        self._date_text: dict[dt.date, str] = {}
        self.stats = BulkStats()
        self.period_totals: dict[str, list[int]] = {}  # month → [redeemed_fen, reversed_fen]

    # helpers ------------------------------------------------------------------------------------

    def take_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def d(self, day: dt.date) -> str:
        text = self._date_text.get(day)
        if text is None:
            text = self._date_text[day] = day.isoformat()
        return text

    def at(self, day: dt.date, after: dt.datetime | None = None) -> dt.datetime:
        """A moment in opening hours (08:00–17:00 local) on local ``day``, later than ``after``."""
        moment = dt.datetime.combine(day, dt.time()) - dt.timedelta(hours=8)
        moment += dt.timedelta(seconds=self.rng.randrange(9 * 3600), microseconds=self.rng.randrange(10**6))
        if after is not None and moment <= after:
            moment = after + dt.timedelta(seconds=self.rng.randrange(60, 1800))
        return moment

    def event(self, at: dt.datetime, who: _Actor | None, action: str, entity: str, entity_id: int | str,
              before: Any = None, after: Any = None, rows: str | None = None) -> None:  # fmt: skip
        """Queue an audit event; ``before``/``after`` are dicts or JSON text already made; ``rows``
        the JSON of the row images it writes (models.audit_rows)."""
        staff_id, name, ws = (who.id, who.name, WORKSTATION) if who else SYSTEM
        if before is not None and not isinstance(before, str):
            before = _j(before)
        if after is not None and not isinstance(after, str):
            after = _j(after)
        self.events.append((at, staff_id, name, ws, action, entity, str(entity_id), before, after, rows))

    def past(self, day: dt.date) -> bool:
        return day < self.today

    # people ---------------------------------------------------------------------------------------

    def id_number(self, birth: dt.date, sex: str, region: str | None = None) -> str:
        rng = self.rng
        region = region or rng.choice(_REGIONS)
        parity = "02468" if sex == "F" else "13579"
        while True:
            body = f"{region}{birth:%Y%m%d}{rng.randrange(100):02d}{rng.choice(parity)}"
            number = body + resident_id_check(body)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def client(self, sex: str, birth: dt.date, created: dt.datetime, staff: _Actor, *,
               surname: str | None = None, with_id: bool = True, region: str | None = None,
               mother: int | None = None) -> tuple[int, str]:  # fmt: skip
        rng = self.rng
        name, py, initials = rng.choice(self.names.female if sex == "F" else self.names.male)
        if surname and not name.startswith(surname):
            given = name[1:]
            name = surname + given
            py, initials = pinyin_keys(name)
        number = self.id_number(birth, sex, region) if with_id else None
        local = number is None or number.startswith(_LOCAL_PREFIXES)
        residency = "local" if local else rng.choice(("permit", "nonlocal"))
        phone = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**9):09d}" if with_id else ""
        cid = self.take_id("client")
        id_type = "resident" if with_id else "none"
        self.rows["client"].append(
            (cid, id_type, number, name, py, initials, sex, self.d(birth), phone,
             rng.choice(_ADDRESSES) + f"{rng.randrange(1, 400)}号", residency, "汉族", "中国", str(created), staff.id)
        )  # fmt: skip
        snapshot = {
            "id_type": id_type,
            "id_number": mask_id(number),
            "name": name,
            "sex": sex,
            "birth_date": birth,
            "residency": residency,
        }
        if mother is not None:
            snapshot["mother"] = mother
        self.event(created, staff, "client.create", "client", cid, after=snapshot)
        self.stats.clients += 1
        return cid, residency

    def link(self, kind: str, first: int, second: int, at: dt.datetime, staff: _Actor) -> None:
        self.rows["family_link"].append((self.take_id("family_link"), kind, first, second, str(at)))
        self.event(at, staff, "client.link", "client", first, after={"kind": kind, "to": second})
        self.stats.links += 1

    def episode(self, kind: str, client: int, partner: int | None, opened: dt.datetime, staff: _Actor, *,
                lmp: dt.date | None = None, birth: dt.date | None = None) -> int:  # fmt: skip
        eid = self.take_id("episode")
        edd = lmp + dt.timedelta(days=280) if lmp else None
        # status/delivery are filled in by close_pregnancy (row replaced in place).
        self.rows["episode"].append(
            [eid, kind, client, partner, "open", lmp and self.d(lmp), edd and self.d(edd), None, None, None,
             birth and self.d(birth), "", str(opened), staff.id, None]
        )  # fmt: skip
        snapshot = {
            "kind": kind, "client": client, "partner": partner, "status": "open", "lmp": lmp, "edd": edd,
            "delivery_date": None, "delivery_mode": None, "babies": None, "birth_date": birth,
        }  # fmt: skip
        self.event(opened, staff, "episode.open", "episode", eid, after=snapshot)
        self.stats.episodes += 1
        return eid

    def close_pregnancy(self, eid: int, delivered: dt.date, at: dt.datetime, staff: _Actor) -> None:
        row = self.rows["episode"][eid - self.first_episode_id]
        mode = self.rng.choice(("vaginal", "vaginal", "cesarean", "assisted"))
        before = {
            "kind": row[1], "client": row[2], "partner": row[3], "status": "open", "lmp": row[5],
            "edd": row[6], "delivery_date": None, "delivery_mode": None, "babies": None, "birth_date": None,
        }  # fmt: skip
        row[4], row[7], row[8], row[9], row[14] = "closed", self.d(delivered), mode, 1, str(at)
        after = {**before, "status": "closed", "delivery_date": delivered, "delivery_mode": mode, "babies": 1}
        self.event(at, staff, "episode.close", "episode", eid, before=before, after=after)

    # vouchers ---------------------------------------------------------------------------------------

    def issue(self, eid: int, code: str, day: dt.date, staff: _Actor) -> dt.datetime | None:
        """Issue package ``code`` on local ``day`` (if that is in the past) with its life afterwards."""
        if not self.past(day) or day < self.start:
            return None
        rng = self.rng
        package, items = self.catalog[code]
        issued_at = self.at(day)
        issued_text = str(issued_at)
        iid = self.take_id("issuance")
        while True:
            slip = f"FS{day:%Y%m%d}-{rng.randrange(10**6):06d}"
            if slip not in self.used_slips:
                self.used_slips.add(slip)
                break
        issuance = (iid, eid, package.id, package.code, package.name, slip, issued_text, staff.id, WORKSTATION,
                    None, None, 1)  # fmt: skip
        self.rows["issuance"].append(issuance)
        issued_images: dict[int, list[Any]] = {}
        valid_from, expires = self.d(day), day + dt.timedelta(days=package.validity_days)
        expires_text = self.d(expires)
        total = 0
        vouchers = self.rows["voucher"]
        count = 0
        for item_id, item_code, item_name, price, point_id, result_kind, quantity in items:
            for sequence in range(1, quantity + 1):
                vid = self.take_id("voucher")
                row = [vid, _code(rng), iid, item_id, item_code, item_name, price, point_id, result_kind,
                       sequence, "issued", valid_from, expires_text, issued_text,
                       None, None, None, None, None, None, None, None, 0]  # fmt: skip
                issued_images[vid] = _img(row[1:])
                self.life(row, issued_at, day, expires, package.code, staff)
                vouchers.append(row)
                total += price
                count += 1
        self.event(issued_at, staff, "voucher.issue", "issuance", iid, after=(
            f'{{"episode": {eid}, "override_reason": null, "overridden": [], "package": "{package.code}", '
            f'"slip_no": "{slip}", "value_fen": {total}, "vouchers": {count}}}'
        ), rows=_rows_json(issuance={iid: _img(issuance[1:11], "issuance")}, voucher=issued_images))  # fmt: skip
        self.stats.issuances += 1
        self.stats.vouchers += count
        return issued_at

    def ledger(self, row: list, kind: str, amount: int, at: dt.datetime, staff: _Actor, point: int,
               package_code: str, reason: str | None) -> tuple[int, str, list[Any]]:  # fmt: skip
        day = _local_day(at)
        period = clock.month_of(day)
        lid = self.take_id("ledger_entry")
        entry = (lid, row[0], kind, amount, self.d(day), period, str(at), staff.id, point, package_code, row[4],
                 reason, WORKSTATION)  # fmt: skip
        self.rows["ledger_entry"].append(entry)
        totals = self.period_totals.setdefault(period, [0, 0])
        totals[0 if kind == "redeem" else 1] += abs(amount)
        self.stats.ledger_rows += 1
        return lid, period, _img(entry[1:], "ledger_entry")

    def life(self, row: list, issued_at: dt.datetime, day: dt.date, expires: dt.date, package_code: str,
             issuer: _Actor) -> None:  # fmt: skip
        """What happened to one voucher after issue: redeemed (maybe reversed), voided or expired."""
        rng = self.rng
        last_day = min(expires, self.today)
        roll = rng.random()
        if roll < 0.70:  # comes in for the service (some only after today: still issued)
            offset = min(int(rng.expovariate(1 / 25)), (expires - day).days)
            use_day = day + dt.timedelta(days=offset)
            if use_day <= last_day and use_day < self.today:
                self.redeem(row, use_day, issued_at, package_code, expires)
                return
        elif roll < 0.72:
            void_day = day + dt.timedelta(days=rng.randrange(0, 15))
            if void_day < last_day:
                at = self.at(void_day, issued_at)
                reason = "服务对象放弃该项服务"
                row[_V_STATE], row[_V_VOIDED_AT], row[_V_VOIDED_BY], row[_V_VOID_REASON] = (
                    "voided", str(at), issuer.id, reason
                )  # fmt: skip
                row[_V_VERSION] += 1
                self.event(at, issuer, "voucher.void", "voucher", row[0], before=_ISSUED,
                           after=f'{{"code": "{row[1]}", "reason": "{reason}", "state": "voided"}}',
                           rows=_rows_json(voucher={row[0]: _img(row[1:])}))  # fmt: skip
                self.stats.voided += 1
                return
        self.maybe_expire(row, expires, issued_at)

    def maybe_expire(self, row: list, expires: dt.date, after: dt.datetime) -> None:
        if expires >= self.today:
            return
        # The start-up sweep of the next morning (07:30 local), never later than now.
        at = dt.datetime.combine(expires + dt.timedelta(days=1), dt.time(7, 30)) - dt.timedelta(hours=8)
        at = max(at, after + dt.timedelta(seconds=1))
        at = min(at, self.now - dt.timedelta(seconds=1))
        row[_V_STATE] = "expired"
        row[_V_VERSION] += 1
        self.event(at, None, "voucher.expire", "voucher", row[0], before=_ISSUED,
                   after=f'{{"code": "{row[1]}", "expires_on": "{expires}", "state": "expired"}}',
                   rows=_rows_json(voucher={row[0]: _img(row[1:])}))  # fmt: skip
        self.stats.expired += 1

    def redeem(self, row: list, day: dt.date, issued_at: dt.datetime, package_code: str,
               expires: dt.date) -> None:  # fmt: skip
        rng = self.rng
        nurse = self.nurses[row[7]]
        at = self.at(day, issued_at)
        if _local_day(at) != day:  # pushed past midnight local: use the next morning
            at = self.at(day + dt.timedelta(days=1))
            if at >= self.now or _local_day(at) > expires:
                self.maybe_expire(row, expires, issued_at)
                return
        result = None
        if row[8] == "screening":
            result = "positive" if row[4] != "HEART_SCREEN" and rng.random() < 0.02 else "negative"
        lid, period, entry = self.ledger(row, "redeem", row[6], at, nurse, row[7], package_code, None)
        row[_V_STATE], row[_V_REDEEMED_AT], row[_V_REDEEMED_BY], row[_V_REDEEMED_POINT], row[_V_RESULT] = (
            "redeemed", str(at), nurse.id, row[7], result
        )  # fmt: skip
        row[_V_VERSION] += 1
        shown = "null" if result is None else f'"{result}"'
        self.event(at, nurse, "voucher.redeem", "voucher", row[0], before=_ISSUED, after=(
            f'{{"amount_fen": {row[6]}, "code": "{row[1]}", "ledger": {lid}, "period": "{period}", '
            f'"point": "{self.point_codes[row[7]]}", "result": {shown}, "state": "redeemed"}}'
        ), rows=_rows_json(voucher={row[0]: _img(row[1:])}, ledger_entry={lid: entry}))  # fmt: skip
        self.stats.redeemed += 1
        if rng.random() < 0.015:
            back_day = day + dt.timedelta(days=rng.randrange(0, 6))
            back_at = self.at(back_day, at)
            if back_at < self.now - dt.timedelta(hours=1) and _local_day(back_at) < self.today:
                self.reverse(row, at, back_at, package_code, expires)

    def reverse(self, row: list, redeemed_at: dt.datetime, at: dt.datetime, package_code: str,
                expires: dt.date) -> None:  # fmt: skip
        reason = "核销时扫错券，冲正"
        before = {
            "state": "redeemed", "redeemed_at": redeemed_at, "redeemed_by": row[_V_REDEEMED_BY],
            "point": self.point_codes[row[_V_REDEEMED_POINT]], "result": row[_V_RESULT],
        }  # fmt: skip
        lid, period, entry = self.ledger(
            row, "reverse", -row[6], at, self.supervisor, row[_V_REDEEMED_POINT], package_code, reason
        )
        row[_V_STATE], row[_V_REDEEMED_AT], row[_V_REDEEMED_BY], row[_V_REDEEMED_POINT], row[_V_RESULT] = (
            "issued", None, None, None, None
        )  # fmt: skip
        row[_V_VERSION] += 1
        self.event(at, self.supervisor, "voucher.reverse", "voucher", row[0], before=before, after={
            "state": "issued", "code": row[1], "reason": reason, "ledger": lid, "period": period,
        }, rows=_rows_json(voucher={row[0]: _img(row[1:])}, ledger_entry={lid: entry}))  # fmt: skip
        self.stats.redeemed -= 1
        self.stats.reversed += 1
        self.maybe_expire(row, expires, at)

    # families ---------------------------------------------------------------------------------------

    def rand_day(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randrange(max(1, (last - first).days + 1)))

    def adult_birth(self, rng: random.Random) -> dt.date:
        return self.today - dt.timedelta(days=rng.randrange(22 * 365, 40 * 365))

    def family(self) -> None:
        rng = self.rng
        desk = rng.choice(self.desks)
        kind = rng.random()
        if kind < 0.12:  # a couple preparing for pregnancy
            day = self.rand_day(self.start, self.today - dt.timedelta(days=1))
            opened = self.at(day)
            woman, _ = self.client("F", self.adult_birth(rng), opened, desk)
            man, _ = self.client("M", self.adult_birth(rng), opened, desk)
            self.link("partner", woman, man, opened, desk)
            eid = self.episode("prepregnancy", woman, man, opened, desk)
            self.issue(eid, "HN-BY", day, desk)
            return
        if kind < 0.80:
            self.pregnancy(desk)
            return
        # an older child coming for the growth package
        day = self.rand_day(self.start, self.today - dt.timedelta(days=1))
        birth = day - dt.timedelta(days=rng.randrange(60, 6 * 365))
        opened = self.at(day)
        mother, _ = self.client(
            "F", birth - dt.timedelta(days=rng.randrange(22 * 365, 38 * 365)), opened, desk
        )
        surname = self.rows["client"][-1][3][0]
        child, _ = self.client(rng.choice("FM"), birth, opened, desk, surname=surname, mother=mother)
        self.link("mother_child", mother, child, opened, desk)
        eid = self.episode("child", child, None, opened, desk, birth=birth)
        self.issue(eid, "HN-CZ", day, desk)

    def pregnancy(self, desk: _Actor) -> None:
        rng = self.rng
        lmp = self.rand_day(self.start - dt.timedelta(days=40), self.today - dt.timedelta(days=45))
        first_visit = max(lmp + dt.timedelta(days=rng.randrange(42, 90)), self.start)
        if not self.past(first_visit):
            return
        opened = self.at(first_visit)
        mother_birth = self.adult_birth(rng)
        mother, residency = self.client("F", mother_birth, opened, desk)
        partner = None
        if rng.random() < 0.7:
            partner, _ = self.client("M", self.adult_birth(rng), opened, desk)
            self.link("partner", mother, partner, opened, desk)
        eid = self.episode("pregnancy", mother, partner, opened, desk, lmp=lmp)
        if (first_visit - lmp).days <= 97:
            self.issue(eid, "HN-ZY", first_visit, desk)
        second = lmp + dt.timedelta(days=rng.randrange(98, 150))
        self.issue(eid, "HN-YC", second, desk)
        if residency == "local" and "LYG-CQ" in self.catalog:
            self.issue(eid, "LYG-CQ", second, desk)
        delivered = lmp + dt.timedelta(days=rng.randrange(266, 290))
        if not self.past(delivered):
            return
        self.close_pregnancy(eid, delivered, self.at(delivered), desk)
        self.issue(eid, "HN-CK", delivered + dt.timedelta(days=rng.randrange(2, 30)), desk)
        child_day = delivered + dt.timedelta(days=rng.randrange(1, 20))
        if not self.past(child_day) or child_day < self.start:
            return
        opened = self.at(child_day)
        surname = self.rows["client"][mother - self.first_client_id][3][0]
        child, _ = self.client(
            rng.choice("FM"),
            delivered,
            opened,
            desk,
            surname=surname,
            with_id=rng.random() < 0.5,
            mother=mother,
        )
        self.link("mother_child", mother, child, opened, desk)
        if partner is not None:
            self.link("father_child", partner, child, opened, desk)
        cid = self.episode("child", child, None, opened, desk, birth=delivered)
        self.issue(cid, "HN-XS", child_day, desk)
        if residency == "local" and "LYG-XS" in self.catalog:
            self.issue(cid, "LYG-XS", child_day, desk)
        self.issue(cid, "HN-CZ", delivered + dt.timedelta(days=rng.randrange(40, 300)), desk)


def _ensure_staff(points: list[ServicePoint], created: dt.datetime) -> dict[str, Any]:
    """Demo staff (usernames ``bulk-…``), created once; their audit events come back for the chain."""
    password = None
    people: dict[str, Any] = {"desks": [], "nurses": {}, "new": []}
    wanted = [(f"bulk-desk{i}", f"发券员{i}", ("frontdesk",), None) for i in range(1, 5)]
    wanted += [(f"bulk-nurse-{p.code.lower()}", f"{p.name}护士", ("nurse",), p.code) for p in points]
    wanted += [
        ("bulk-super", "主管示范", ("supervisor",), None),
        ("bulk-finance", "财务示范", ("finance",), None),
    ]
    for username, full_name, roles, point in wanted:
        staff = Staff.get_or_none(Staff.username == username)
        if staff is None:
            password = password or hash_password(DEMO_PASSWORD)
            staff = Staff.create(
                username=username,
                full_name=full_name,
                password_hash=password,
                service_point=point,
                created_at=created,
            )
            for role in roles:
                StaffRole.create(staff=staff, role=role)
            people["new"].append((staff, sorted(roles)))
        actor = _Actor(staff.id, staff.full_name)
        if "frontdesk" in roles:
            people["desks"].append(actor)
        elif "nurse" in roles:
            people["nurses"][point] = actor
        elif "supervisor" in roles:
            people["supervisor"] = actor
        else:
            people["finance"] = actor
    return people


def _write(table: str, rows: Iterable[Sequence[Any]]) -> None:
    """Bulk insert (rows hold text for dates and times, ints, None)."""
    columns = _COLUMNS[table]
    names = ", ".join(f'"{c}"' for c in columns)
    connection = database.connection()
    if is_postgres():
        with connection.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    connection.cursor().executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


_BULK_TABLES = ("client", "family_link", "episode", "issuance", "voucher", "ledger_entry", "audit_event")


def _drop_indexes(tables: Sequence[str]) -> list[str]:
    """Drop the secondary indexes of ``tables``; returns their DDL to re-create after the load.

    Filling B-trees row by row (a random voucher code into a 1M-entry unique index) costs more
    than building them once, sorted, at the end; unique indexes are checked when re-created.
    """
    if is_postgres():
        rows = database.execute_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname NOT LIKE %s",
            (list(tables), "%\\_pkey"),
        ).fetchall()
    else:
        marks = ", ".join("?" for _ in tables)
        rows = database.execute_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tuple(tables),
        ).fetchall()
    for name, _ in rows:
        database.execute_sql(f'DROP INDEX "{name}"')
    return [ddl for _, ddl in rows]


def _drop_foreign_keys(tables: Sequence[str]) -> list[str]:
    """PostgreSQL: drop the foreign keys of ``tables`` for the load; returns the DDL that re-adds them.

    COPY checks each row's foreign keys one by one (a trigger per key per row); re-adding the
    constraint validates the whole table in one join, which is several times faster.
    """
    if not is_postgres():
        return []
    rows = database.execute_sql(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
        (list(tables),),
    ).fetchall()
    for table, name, _ in rows:
        database.execute_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}' for table, name, ddl in rows]


def _chain(events: list[tuple], head: dict[str, Any], next_id: int) -> Iterable[tuple]:
    """Audit rows in time order, hash-chained onto ``head`` (seq, hash), which is advanced as rows go.

    A generator consumed inside COPY: it must not touch the database itself.
    """
    events.sort(key=lambda e: e[0])
    seq, prev = head["seq"], head["hash"]
    key_id, key = head["key"]
    for at, staff_id, name, ws, action, entity, entity_id, before, after, rows in events:
        seq += 1
        fields = (prev, seq, at, staff_id, name, ws, action, entity, entity_id, before, after, key_id, rows)
        digest = _fast_sealed_hash(key, *fields)
        # the fast path must give models.audit's bytes exactly
        if seq == head["seq"] + 1 and sealed_hash(key, *fields) != digest:
            raise AssertionError("fast audit hash differs from models.audit.sealed_hash")
        yield (
            next_id,
            seq,
            str(at),
            staff_id,
            name,
            ws,
            action,
            entity,
            entity_id,
            before,
            after,
            prev,
            digest,
            key_id,
            rows,
        )
        prev = digest
        next_id += 1
    head["seq"], head["hash"] = seq, prev


def _read_head() -> dict[str, Any]:
    query = AuditHead.select().where(AuditHead.id == 1)
    if is_postgres():
        query = query.for_update()
    head = query.get()
    return {"seq": head.seq, "hash": head.hash, "key": current_key()}


def _advance_head(start_seq: int, head: dict[str, Any]) -> None:
    """Move ``audit_head`` from ``start_seq`` to the last appended event (see the module docstring)."""
    count = head["seq"] - start_seq
    if count <= 0:
        return
    if is_postgres():
        database.execute_sql('ALTER TABLE "audit_head" DISABLE TRIGGER "audit_head_forward"')
        database.execute_sql(
            'UPDATE "audit_head" SET "seq" = %s, "hash" = %s WHERE "id" = 1', (head["seq"], head["hash"])
        )
        database.execute_sql('ALTER TABLE "audit_head" ENABLE TRIGGER "audit_head_forward"')
        return
    cursor = database.connection().cursor()
    cursor.executemany(
        'UPDATE "audit_head" SET "seq" = "seq" + 1 WHERE "id" = 1', (() for _ in range(count - 1))
    )
    cursor.execute('UPDATE "audit_head" SET "seq" = "seq" + 1, "hash" = ? WHERE "id" = 1', (head["hash"],))


def generate(
    vouchers: int,
    *,
    months: int = 6,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
    drop_indexes: bool = True,
) -> BulkStats:
    """Add about ``vouchers`` vouchers (with their clients, episodes, ledger, closed months, audit).

    Needs a migrated database with an active catalog. Uses the current (possibly frozen)
    :func:`models.clock.utcnow` as "now"; data spans the ``months`` months before it. Every
    full month of that span except the latest is closed (unless it already has a Period row).
    ``drop_indexes`` drops the bulk tables' secondary indexes for the load and re-creates them
    in the same transaction (much faster; do not use it while desks are working).
    """
    say = progress or (lambda _msg: None)
    packages = {p.code: p for p in active_packages()}
    if not packages:
        raise Refused("没有启用的服务包目录，请先导入目录（ffdesk catalog load）")
    t0 = time.perf_counter()
    rng = random.Random(seed)
    now = clock.utcnow()
    builder = _Builder(rng, now, months)
    points = list(ServicePoint.select())
    with database.atomic():
        people = _ensure_staff(points, dt.datetime.combine(builder.start, dt.time()) - dt.timedelta(hours=8))
    for staff, roles in people["new"]:
        role_ids = [r.id for r in StaffRole.select(StaffRole.id).where(StaffRole.staff == staff.id)]
        rows = _j(
            {"staff": row_images("staff", [staff.id]), "staff_role": row_images("staff_role", role_ids)}
        )
        builder.event(staff.created_at, None, "staff.create", "staff", staff.id,
                      after={"username": staff.username, "roles": roles}, rows=rows)  # fmt: skip
    builder.desks = people["desks"]
    builder.nurses = {p.id: people["nurses"][p.code] for p in points}
    builder.supervisor = people["supervisor"]
    builder.point_codes = {p.id: p.code for p in points}
    builder.catalog = {}
    for code, package in packages.items():
        items = [
            (i.id, i.code, i.name, i.price_fen, i.service_point_id, i.result_kind, i.quantity)
            for i in package_items(package)
            if i.tier == "basic" and not i.follow_up_of
        ]
        if items:
            builder.catalog[code] = (package, items)
    builder.first_client_id = builder.ids["client"]
    builder.first_episode_id = builder.ids["episode"]
    while builder.stats.vouchers < vouchers:
        builder.family()
    stats = builder.stats
    stats.seconds["生成"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    say(f"写入 {stats.vouchers} 张券……")
    with database.atomic():
        if is_postgres():  # index builds sort in memory instead of spilling to disk (this transaction only)
            database.execute_sql("SET LOCAL maintenance_work_mem = '256MB'")
        indexes = _drop_indexes(_BULK_TABLES) if drop_indexes else []
        foreign_keys = _drop_foreign_keys(_BULK_TABLES) if drop_indexes else []
        for table in ("client", "family_link", "episode", "issuance", "voucher", "ledger_entry"):
            _write(table, builder.rows[table])
            builder.rows[table] = []
        say(f"已写入数据行（{time.perf_counter() - t1:.1f}s），重建索引……")
        if is_postgres():
            for table in ("client", "family_link", "episode", "issuance", "voucher", "ledger_entry"):
                database.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(\"id\") FROM \"{table}\"))"
                )
        for ddl in indexes:
            if "audit_event" not in ddl:
                database.execute_sql(ddl)
        for ddl in foreign_keys:
            if "audit_event" not in ddl:
                database.execute_sql(ddl)
        say(f"索引与外键已重建（{time.perf_counter() - t1:.1f}s）")
        # Fresh planner statistics before the month-close queries (PostgreSQL: ANALYZE is transactional;
        # without it the planner takes the just-filled tables for empty ones and nests loops).
        if not is_postgres():
            database.execute_sql("PRAGMA analysis_limit = 1000")  # sampled statistics, as PostgreSQL's
        database.execute_sql("ANALYZE")
        stats.seconds["写入"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        stats.closed_months = _close_months(builder, people["finance"])
        stats.seconds["月结"] = time.perf_counter() - t2

        t3 = time.perf_counter()
        say(f"写入 {len(builder.events)} 条审计事件……")
        count = len(builder.events)
        head = _read_head()
        start_seq = head["seq"]
        _write("audit_event", _chain(builder.events, head, _next_id("audit_event")))
        if is_postgres():
            database.execute_sql(
                "SELECT setval(pg_get_serial_sequence('audit_event', 'id'), (SELECT MAX(\"id\") FROM \"audit_event\"))"
            )
        for ddl in indexes + foreign_keys:
            if "audit_event" in ddl:
                database.execute_sql(ddl)
        _advance_head(start_seq, head)
        stats.audit_events = count
        builder.events = []
        stats.seconds["审计"] = time.perf_counter() - t3
    return stats


def _close_months(builder: _Builder, finance: _Actor) -> list[str]:
    """Close every full month of the span but the latest, 3 days after it ends, with its snapshot."""
    from models.schema import Period

    closed: list[str] = []
    month_start = builder.start
    last_full = (builder.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    existing = {p.month for p in Period.select(Period.month)}
    while month_start < last_full:
        month = clock.month_of(month_start)
        first, last = month_bounds(month)
        closed_at = builder.at(last + dt.timedelta(days=3))
        if month not in existing and closed_at < builder.now:
            snapshot = compute_reconciliation(first, last, month=month).to_json()
            totals = snapshot["totals"]
            expected = builder.period_totals.get(month, [0, 0])
            if [totals["redeemed_fen"], totals["reversed_fen"]] != expected:
                raise AssertionError(f"{month}: snapshot {totals} != generated ledger {expected}")
            Period.create(
                month=month,
                state="closed",
                closed_at=closed_at,
                closed_by=finance.id,
                snapshot=json.dumps(snapshot, ensure_ascii=False),
            )
            builder.event(closed_at, finance, "period.close", "period", month, before={"state": "open"}, after={
                "state": "closed", "redeemed_fen": totals["redeemed_fen"], "reversed_fen": totals["reversed_fen"],
            })  # fmt: skip
            closed.append(month)
        month_start = last + dt.timedelta(days=1)
    return closed
