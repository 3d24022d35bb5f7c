"""A realistic demo hospital for a freshly initialised database (``ffdesk demo``).

The demo drives the real services — registration, episodes, eligibility, issuance,
redemption, reversal, void, month close, expiry — in time order on a backdated clock, so
every invariant holds by construction: the ledger matches the voucher states, months closed
by finance never change, and the audit chain verifies. It all runs in one transaction
(the services' own transactions become savepoints), which keeps it fast on both backends
and leaves nothing half-written if it fails.

Staff accounts (password :data:`DEMO_PASSWORD`): admin, frontdesk, frontdesk2, nurse, nurse2,
finance, supervisor.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import peewee as pw
from stdnum.cn import ric

from models import audit, clients, clock, episodes, issuance, redemption, vouchers
from models.catalog import active_version
from models.db import database
from models.errors import FfdeskError, Refused
from models.passwords import hash_password
from models.permissions import Actor
from models.schema import Client, LedgerEntry, Staff, StaffRole, Voucher
from models.staff import actor_for, staff_rows

DEMO_PASSWORD = "Demo-Pass-2026"
DEMO_STAFF: list[tuple[str, str, frozenset[str], str | None]] = [
    ("admin", "系统管理员", frozenset({"admin"}), None),
    ("frontdesk", "发券员张敏", frozenset({"frontdesk"}), None),
    ("frontdesk2", "发券员刘洋", frozenset({"frontdesk"}), None),
    ("nurse", "核销员李梅", frozenset({"nurse"}), None),
    ("nurse2", "核销员王兰", frozenset({"nurse"}), None),
    ("finance", "财务陈静", frozenset({"finance"}), None),
    ("supervisor", "主管周华", frozenset({"supervisor"}), None),
]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺顾毛郝龚邵万覃武戴欧"
_FEMALE = "丽娟敏静婷芳燕霞红艳玲娜雪琳晶颖慧倩欣怡佳梦瑶雅琪思涵诗悦彤璐蕾薇莹洁"
_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭阳林峰"
_CHILD = "子涵梓轩一诺欣怡浩宇若汐沐辰语桐宇轩诗琪梓萱俊熙可馨"
_REGIONS = [
    "430102",
    "430103",
    "430104",
    "430105",
    "430111",
    "430112",
    "430121",
    "430181",
    "430202",
    "430302",
]
_OTHER_REGIONS = ["320706", "440106", "360102", "420106", "510104"]


@dataclass
class DemoSummary:
    staff: list[str]
    password: str
    clients: int
    episodes: int
    issuances: int
    vouchers: int
    by_state: dict[str, int]
    ledger_net_fen: int
    redeemed_value_fen: int
    closed_months: list[str]
    audit_events: int
    seconds: float
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``: how far the demo is, reported while it runs."""

# Stories (families) per unit of ``scale``; the first start of the program makes a smaller
# hospital so that the desk is ready in a few seconds (``ffdesk demo`` makes the full one).
FULL_STORIES = {"pregnancy": 100, "couple": 25, "child": 25}
SMALL_STORIES = {"pregnancy": 26, "couple": 6, "child": 6}
PROGRESS_STEPS = 1000


class _Sim:
    """Time-ordered events on a backdated clock; an event may schedule later events."""

    def __init__(
        self, rng: random.Random, now: dt.datetime, progress: ProgressCallback | None = None
    ) -> None:
        self.rng = rng
        self.now = now
        self.queue: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        self.counter = itertools.count()
        self.skipped = 0
        self.progress = progress
        self.start: dt.datetime | None = None

    def at(self, when: dt.datetime, action: Callable[[], None]) -> None:
        if when < self.now:
            heapq.heappush(self.queue, (when, next(self.counter), action))

    def office_time(self, day: dt.date) -> dt.datetime:
        """A random moment 08:00–17:00 local on ``day`` as naive UTC."""
        minutes = self.rng.randrange(8 * 60, 17 * 60)
        local = dt.datetime.combine(day, dt.time()) + dt.timedelta(
            minutes=minutes, seconds=self.rng.randrange(60)
        )
        return local - dt.timedelta(hours=8)

    def run(self) -> None:
        reported = -1
        while self.queue:
            when, _, action = heapq.heappop(self.queue)
            clock.set_now(when)
            done = self._done(when)
            if self.progress is not None and done > reported:
                self.progress(done, PROGRESS_STEPS)
                reported = done
            try:
                action()
            except FfdeskError:
                self.skipped += 1  # e.g. a window closed: the desk would have said no too

    def _done(self, when: dt.datetime) -> int:
        """How far the simulated year has run, in steps of :data:`PROGRESS_STEPS` (monotonic)."""
        if self.start is None:
            self.start = when
        span = (self.now - self.start).total_seconds() or 1.0
        return min(PROGRESS_STEPS - 1, int((when - self.start).total_seconds() / span * PROGRESS_STEPS))


def _resident_id(rng: random.Random, birth: dt.date, sex: str, used: set[str], regions: list[str]) -> str:
    while True:
        seq = rng.randrange(0, 100)
        sex_digit = rng.choice("02468" if sex == "F" else "13579")
        body = f"{rng.choice(regions)}{birth:%Y%m%d}{seq:02d}{sex_digit}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in used:
            used.add(number)
            return number


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "137", "150", "151", "158", "186", "187", "177", "199"]) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )


def _name(rng: random.Random, sex: str) -> str:
    pool = _FEMALE if sex == "F" else _MALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def _create_staff() -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    digest = hash_password(DEMO_PASSWORD)
    for username, full_name, roles, point in DEMO_STAFF:
        if Staff.get_or_none(Staff.username == username) is not None:
            raise Refused(f"演示账号 {username} 已存在：演示数据只能写入新初始化的数据库")
        staff = Staff.create(
            username=username,
            full_name=full_name,
            password_hash=digest,
            service_point=point,
            created_at=clock.utcnow(),
        )
        for role in sorted(roles):
            StaffRole.create(staff=staff, role=role)
        audit.record(
            None,
            "staff.create",
            "staff",
            staff.id,
            after={"username": username, "roles": sorted(roles), "demo": True},
            rows=staff_rows(staff.id),
        )
        actors[username] = actor_for(staff)
    return actors


def build_demo(
    scale: int = 1, seed: int = 2026, *, small: bool = False, progress: ProgressCallback | None = None
) -> DemoSummary:
    """Fill a freshly initialised database with a year of demo activity; returns what was made.

    ``scale`` multiplies the number of families (about 150 women, 300+ clients per unit);
    ``small`` makes about a quarter of that (the first start of the program). ``progress`` is
    called with ``(done, total)`` as the simulated year goes by.
    Refused when the database already has clients or the demo accounts.
    """
    if scale < 1 or scale > 50:
        raise Refused("规模应为 1–50")
    if active_version() is None:
        raise Refused("尚未载入服务包目录：请先运行 ffdesk init")
    if Client.select().exists():
        raise Refused("数据库中已有服务对象：演示数据只能写入新初始化的数据库")
    started = time.monotonic()
    previous = clock._frozen  # the caller's frozen clock (tests), restored at the end
    real_now = clock.utcnow()
    real_today = clock.local_today()
    rng = random.Random(seed)
    sim = _Sim(rng, real_now, progress)
    used_ids: set[str] = set()
    stories = SMALL_STORIES if small else FULL_STORIES
    try:
        _simulate(scale, stories, rng, sim, used_ids, real_now, real_today)
    finally:
        clock.set_now(previous)
    summary = _summary(sim, time.monotonic() - started)
    if progress is not None:
        progress(PROGRESS_STEPS, PROGRESS_STEPS)
    return summary


def _simulate(
    scale: int,
    stories: dict[str, int],
    rng: random.Random,
    sim: _Sim,
    used_ids: set[str],
    real_now: dt.datetime,
    real_today: dt.date,
) -> None:
    with database.atomic():
        clock.set_now(real_now - dt.timedelta(days=400))
        actors = _create_staff()
        desks = [actors["frontdesk"], actors["frontdesk2"]]
        nurses = [actors["nurse"], actors["nurse2"]]
        boss = actors["supervisor"]

        def desk() -> Actor:
            return rng.choice(desks)

        def schedule_redemptions(view: issuance.IssuanceView, issued_day: dt.date) -> None:
            for v in view.vouchers:
                plan(v.code, v.service_point, v.result_kind, issued_day, v.expires_on)

        def plan(code: str, point: str, result_kind: str, issued_day: dt.date, expires: dt.date) -> None:
            roll = rng.random()
            if roll < 0.62:
                day = issued_day + dt.timedelta(days=rng.randrange(0, 75))
                if day <= expires:
                    sim.at(sim.office_time(day), lambda: redeem(code, point, result_kind, day))
            elif roll < 0.65:
                day = issued_day + dt.timedelta(days=rng.randrange(1, 30))
                reason = rng.choice(["服务对象放弃该项服务", "已在外院完成", "信息登记错误，重新发放"])
                sim.at(sim.office_time(day), lambda: vouchers.void_voucher(desk(), code, reason))

        def redeem(code: str, point: str, result_kind: str, day: dt.date) -> None:
            result = None
            if result_kind == "screening":
                result = "positive" if rng.random() < 0.06 else "negative"
            done = redemption.redeem(rng.choice(nurses), code, point, result)
            for follow in done.follow_ups:
                plan(follow.code, follow.service_point, follow.result_kind, day, follow.expires_on)
            if rng.random() < 0.03:
                later = day + dt.timedelta(days=rng.randrange(0, 20))
                reason = rng.choice(["扫错券码", "服务未完成", "重复扫码，服务对象未检查"])

                def reverse() -> None:
                    redemption.reverse(boss, code, reason)
                    if rng.random() < 0.5:
                        again = later + dt.timedelta(days=rng.randrange(1, 10))
                        sim.at(sim.office_time(again), lambda: redeem(code, point, "none", again))

                sim.at(sim.office_time(later), reverse)

        def issue(episode_id: int, package: str, day: dt.date) -> None:
            view = issuance.issue_package(desk(), episode_id, package)
            schedule_redemptions(view, day)

        def woman(birth_from: int = 1985, birth_to: int = 2000) -> clients.ClientView:
            birth = dt.date(
                rng.randrange(birth_from, birth_to + 1), rng.randrange(1, 13), rng.randrange(1, 29)
            )
            residency = rng.choices(["local", "permit", "nonlocal"], [80, 10, 10])[0]
            regions = _REGIONS if residency == "local" else _OTHER_REGIONS
            return clients.register_client(
                desk(),
                id_type="resident",
                id_number=_resident_id(rng, birth, "F", used_ids, regions),
                name=_name(rng, "F"),
                phone=_phone(rng),
                address=rng.choice(["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区"]) + "某街道",
                residency=residency,
            ).client

        def pregnancy_story(start: dt.date) -> None:
            mother = woman()
            lmp = start - dt.timedelta(days=rng.randrange(35, 120))
            ep = episodes.open_pregnancy(desk(), mother.id, lmp)
            issue(ep.id, "HN-ZY", start)
            issue(ep.id, "HN-YC", start)
            if mother.residency != "nonlocal":
                issue(ep.id, "LYG-CQ", start)
            delivered = lmp + dt.timedelta(days=rng.randrange(259, 290))
            sim.at(
                sim.office_time(delivered + dt.timedelta(days=1)),
                lambda: deliver(ep.id, mother.id, delivered),
            )

        def deliver(episode_id: int, mother_id: int, day: dt.date) -> None:
            babies = 2 if rng.random() < 0.03 else 1
            mode = rng.choices(["vaginal", "cesarean", "assisted"], [55, 40, 5])[0]
            episodes.close_pregnancy(desk(), episode_id, day, mode, babies)
            postpartum = day + dt.timedelta(days=rng.randrange(2, 40))
            sim.at(sim.office_time(postpartum), lambda: issue(episode_id, "HN-CK", postpartum))
            mother = Client.get_by_id(mother_id)
            for n in range(babies):
                sex = rng.choice("FM")
                name = mother.name[0] + rng.choice(_CHILD) + ("" if babies == 1 else "AB"[n])
                baby = clients.register_newborn(desk(), mother_id, name=name, sex=sex, birth_date=day)
                child = episodes.open_child(desk(), baby.id)
                first = day + dt.timedelta(days=rng.randrange(1, 20))
                sim.at(sim.office_time(first), lambda cid=child.id, d=first: issue(cid, "HN-XS", d))
                if mother.residency != "nonlocal":
                    sim.at(sim.office_time(first), lambda cid=child.id, d=first: issue(cid, "LYG-XS", d))

        def couple_story(start: dt.date) -> None:
            wife = woman(1990, 2002)
            birth = dt.date(rng.randrange(1986, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
            husband = clients.register_client(
                desk(),
                id_type="resident",
                id_number=_resident_id(rng, birth, "M", used_ids, _REGIONS),
                name=_name(rng, "M"),
                phone=_phone(rng),
                residency="local",
            ).client
            clients.link_family(desk(), "partner", wife.id, husband.id)
            ep = episodes.open_prepregnancy(desk(), wife.id, husband.id)
            issue(ep.id, "HN-BY", start)

        def child_story(start: dt.date) -> None:
            mother = woman(1980, 1995)
            birth = dt.date(rng.randrange(2009, 2025), rng.randrange(1, 13), rng.randrange(1, 29))
            if birth >= start:
                birth = start - dt.timedelta(days=400)
            sex = rng.choice("FM")
            child = clients.register_client(
                desk(),
                id_type="resident",
                id_number=_resident_id(rng, birth, sex, used_ids, _REGIONS),
                name=mother.name[0] + rng.choice(_CHILD),
                phone=_phone(rng),
                residency=mother.residency,
            ).client
            clients.link_family(desk(), "mother_child", mother.id, child.id)
            ep = episodes.open_child(desk(), child.id)
            issue(ep.id, "HN-CZ", start)

        kinds = {"pregnancy": pregnancy_story, "couple": couple_story, "child": child_story}
        for kind, story in kinds.items():
            for _ in range(stories[kind] * scale):
                start = real_today - dt.timedelta(days=rng.randrange(1, 365))
                sim.at(sim.office_time(start), lambda s=story, d=start: s(d))

        _schedule_month_closes(sim, actors["finance"], real_today)
        sim.run()
        clock.set_now(real_now)
        vouchers.expire_overdue(None, real_today)


def _schedule_month_closes(sim: _Sim, finance: Actor, today: dt.date) -> list[str]:
    """Finance closes each month on the 5th of the next, up to two months ago."""
    from models import periods

    months: list[str] = []
    first = (today - dt.timedelta(days=365)).replace(day=1)
    cursor = first
    limit = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=1)
    while cursor <= limit:
        month = clock.month_of(cursor)
        close_day = (cursor + dt.timedelta(days=32)).replace(day=5)
        sim.at(sim.office_time(close_day), lambda m=month: periods.close_month(finance, m))
        months.append(month)
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return months


def _summary(sim: _Sim, seconds: float) -> DemoSummary:
    from models.schema import AuditEvent, Episode, Issuance, Period

    by_state = {
        row.state: row.n
        for row in Voucher.select(Voucher.state, pw.fn.COUNT(Voucher.id).alias("n")).group_by(Voucher.state)
    }
    redeemed = Voucher.select(pw.fn.SUM(Voucher.value_fen)).where(Voucher.state == "redeemed").scalar() or 0
    closed = [p.month for p in Period.select().where(Period.state == "closed").order_by(Period.month)]
    return DemoSummary(
        staff=[s[0] for s in DEMO_STAFF],
        password=DEMO_PASSWORD,
        clients=Client.select().count(),
        episodes=Episode.select().count(),
        issuances=Issuance.select().count(),
        vouchers=sum(by_state.values()),
        by_state={state: by_state.get(state, 0) for state in vouchers.STATE_LABELS},
        ledger_net_fen=int(LedgerEntry.select(pw.fn.SUM(LedgerEntry.amount_fen)).scalar() or 0),
        redeemed_value_fen=int(redeemed),
        closed_months=closed,
        audit_events=AuditEvent.select().count(),
        seconds=round(seconds, 2),
        skipped=sim.skipped,
    )
