"""Episodes (服务周期): a pre-pregnancy couple, one pregnancy, or one child.

A pregnancy starts from the last menstrual period (LMP): gestational age is counted in
completed days from the LMP and shown as weeks+days (12+3), the expected date of delivery
follows Naegele's rule (LMP + 280 days). Recording the delivery (date, mode, babies) closes the
pregnancy; the postpartum package is still issued on the closed episode, counted from the
delivery date. A woman can have several pregnancies over the years, one open at a time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from models import audit, clock
from models.clients import age_years, client_view, mother_of
from models.db import run_in_transaction
from models.errors import InvalidInput, NotFound, Refused
from models.masking import sees_pii
from models.permissions import Actor, require
from models.privacy import mask_name
from models.schema import Client, Episode

KIND_LABELS: dict[str, str] = {"prepregnancy": "备孕（夫妻）", "pregnancy": "孕产期", "child": "儿童"}
STATUS_LABELS: dict[str, str] = {"open": "进行中", "closed": "已结束"}
DELIVERY_MODES: dict[str, str] = {
    "vaginal": "顺产",
    "assisted": "助产",
    "cesarean": "剖宫产",
}
NAEGELE_DAYS = 280
MAX_GESTATION_DAYS = 44 * 7
MIN_DELIVERY_GESTATION_DAYS = 20 * 7  # an earlier end is not a delivery in the obstetric sense
MAX_BABIES = 6


def gestation_label(days: int) -> str:
    """Completed days from LMP as weeks+days: 87 → '12+3周'."""
    return f"{days // 7}+{days % 7}周"


def naegele_edd(lmp: dt.date) -> dt.date:
    return lmp + dt.timedelta(days=NAEGELE_DAYS)


def age_label(birth: dt.date, today: dt.date) -> str:
    """'15天', '3个月', '5岁' — how the desk says a child's age."""
    days = (today - birth).days
    if days < 0:
        return "未出生"
    if days <= 28:
        return f"{days}天"
    years = age_years(birth, today) or 0
    if years < 1:
        months = (today.year - birth.year) * 12 + today.month - birth.month - (today.day < birth.day)
        return f"{max(months, 1)}个月"
    return f"{years}岁"


@dataclass
class EpisodeView:
    """Everything an episode header shows; derived figures are as of ``as_of`` (local today)."""

    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    client_id: int
    client_name_masked: str
    client_id_masked: str
    partner_id: int | None
    partner_name_masked: str | None
    mother_id: int | None
    lmp: dt.date | None
    edd: dt.date | None
    gestation_days: int | None  # as of today, or at delivery once delivered
    gestation_label: str | None
    delivery_date: dt.date | None
    delivery_mode: str | None
    delivery_mode_label: str | None
    babies: int | None
    days_since_delivery: int | None
    birth_date: dt.date | None
    age_days: int | None
    age_label: str | None
    note: str
    opened_at: dt.datetime
    as_of: dt.date

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def summary(self) -> str:
        """One line for lists: '孕产期 王*红 孕12+3周'."""
        parts = [self.kind_label, self.client_name_masked]
        if self.kind == "pregnancy":
            if self.delivery_date:
                parts.append(f"产后{self.days_since_delivery}天")
            elif self.gestation_label:
                parts.append(f"孕{self.gestation_label}")
        elif self.kind == "child" and self.age_label:
            parts.append(self.age_label)
        elif self.partner_name_masked:
            parts.append(f"配偶 {self.partner_name_masked}")
        return " ".join(parts)


def episode_view(episode: Episode, today: dt.date | None = None, actor: Actor | None = None) -> EpisodeView:
    """The episode as ``actor`` may see it: a child's birth date is shown to roles without
    ``pii.reveal`` only while the child has no ID number (with one, the date beside the masked
    number would narrow it down; the age is shown instead)."""
    today = today or clock.local_today()
    client = episode.client
    cv = client_view(client, actor)
    gestation = None
    if episode.lmp is not None:
        end = episode.delivery_date or today
        gestation = (end - episode.lmp).days
    birth = episode.birth_date or (client.birth_date if episode.kind == "child" else None)
    mother = mother_of(client.id) if episode.kind == "child" else None
    return EpisodeView(
        id=episode.id,
        kind=episode.kind,
        kind_label=KIND_LABELS.get(episode.kind, episode.kind),
        status=episode.status,
        status_label=(
            "已分娩"
            if episode.kind == "pregnancy" and episode.delivery_date
            else STATUS_LABELS.get(episode.status, episode.status)
        ),
        client_id=client.id,
        client_name_masked=cv.name_masked,
        client_id_masked=cv.id_number_masked,
        partner_id=episode.partner_id,
        partner_name_masked=mask_name(episode.partner.name) if episode.partner_id else None,
        mother_id=mother.id if mother else None,
        lmp=episode.lmp,
        edd=episode.edd,
        gestation_days=gestation,
        gestation_label=gestation_label(gestation) if gestation is not None and gestation >= 0 else None,
        delivery_date=episode.delivery_date,
        delivery_mode=episode.delivery_mode,
        delivery_mode_label=DELIVERY_MODES.get(episode.delivery_mode or "", episode.delivery_mode),
        babies=episode.babies,
        days_since_delivery=(today - episode.delivery_date).days if episode.delivery_date else None,
        birth_date=birth if (sees_pii(actor) or not client.id_number) else None,
        age_days=(today - birth).days if birth else None,
        age_label=age_label(birth, today) if birth else None,
        note=episode.note,
        opened_at=episode.opened_at,
        as_of=today,
    )


def get_episode_row(episode_id: int) -> Episode:
    # an id beyond 64 bits (typed as full-width or huge digits) is not a row: the database would overflow
    episode = Episode.get_or_none(Episode.id == episode_id) if 0 < episode_id < 2**62 else None
    if episode is None:
        raise NotFound(f"没有编号为 {episode_id} 的服务周期")
    return episode


def _client(client_id: int, what: str = "服务对象") -> Client:
    client = Client.get_or_none(Client.id == client_id) if 0 < client_id < 2**62 else None
    if client is None:
        raise NotFound(f"没有编号为 {client_id} 的{what}")
    return client


def _snapshot(episode: Episode) -> dict:
    return {
        "kind": episode.kind,
        "client": episode.client_id,
        "partner": episode.partner_id,
        "status": episode.status,
        "lmp": episode.lmp,
        "edd": episode.edd,
        "delivery_date": episode.delivery_date,
        "delivery_mode": episode.delivery_mode,
        "babies": episode.babies,
        "birth_date": episode.birth_date,
    }


def _create(actor: Actor, **fields) -> EpisodeView:
    def work() -> Episode:
        episode = Episode.create(opened_at=clock.utcnow(), opened_by=actor.staff, **fields)
        audit.record(actor, "episode.open", "episode", episode.id, after=_snapshot(episode))
        return episode

    return episode_view(run_in_transaction(work), actor=actor)


def check_lmp(lmp: dt.date, today: dt.date | None = None) -> int:
    """Gestational age in days for ``lmp``; InvalidInput when it cannot be an ongoing pregnancy."""
    today = today or clock.local_today()
    if lmp > today:
        raise InvalidInput(f"末次月经 {lmp.isoformat()} 晚于今天，请核对", field="lmp")
    days = (today - lmp).days
    if days > MAX_GESTATION_DAYS:
        raise InvalidInput(
            f"按末次月经 {lmp.isoformat()} 计算已孕 {gestation_label(days)}，超过 44 周，请核对日期",
            field="lmp",
        )
    return days


def open_pregnancy(actor: Actor, client_id: int, lmp: dt.date, note: str = "") -> EpisodeView:
    """Open a pregnancy for a woman; refused while another pregnancy of hers is still open."""
    require(actor, "episode.write")
    client = _client(client_id)
    if client.sex != "F":
        raise InvalidInput("孕产期服务周期只能为女性建立", field="client")
    check_lmp(lmp)
    if client.birth_date is not None and lmp <= client.birth_date:
        raise InvalidInput("末次月经不能早于本人出生日期", field="lmp")
    current = (
        Episode.select()
        .where((Episode.client == client) & (Episode.kind == "pregnancy") & (Episode.status == "open"))
        .first()
    )
    if current is not None:
        raise Refused(
            f"该服务对象已有进行中的孕产期服务周期（编号 {current.id}），请先登记分娩或结束该周期",
            episode_id=current.id,
        )
    return _create(
        actor,
        kind="pregnancy",
        client=client,
        lmp=lmp,
        edd=naegele_edd(lmp),
        note=note,
    )


def open_prepregnancy(actor: Actor, client_id: int, partner_id: int | None, note: str = "") -> EpisodeView:
    """A pre-pregnancy episode for a couple (the partner may be registered later: None)."""
    require(actor, "episode.write")
    client = _client(client_id)
    partner = _client(partner_id, "配偶") if partner_id is not None else None
    if partner is not None and partner.id == client.id:
        raise InvalidInput("配偶不能是本人", field="partner")
    return _create(actor, kind="prepregnancy", client=client, partner=partner, note=note)


def open_child(actor: Actor, child_id: int, birth_date: dt.date | None = None, note: str = "") -> EpisodeView:
    """A child episode; the birth date comes from the child's record unless given."""
    require(actor, "episode.write")
    child = _client(child_id)
    birth = birth_date or child.birth_date
    if birth is None:
        raise InvalidInput("请填写儿童出生日期", field="birth_date")
    if child.birth_date is not None and birth != child.birth_date:
        registered = f"：登记为 {child.birth_date.isoformat()}" if sees_pii(actor) else "，请核对证件"
        raise InvalidInput(f"出生日期与登记信息不符{registered}", field="birth_date")
    if birth > clock.local_today():
        raise InvalidInput("出生日期不能晚于今天", field="birth_date")
    current = Episode.select().where((Episode.client == child) & (Episode.kind == "child")).first()
    if current is not None:
        raise Refused(f"该儿童已有服务周期（编号 {current.id}）", episode_id=current.id)
    return _create(actor, kind="child", client=child, birth_date=birth, note=note)


def close_pregnancy(
    actor: Actor, episode_id: int, delivery_date: dt.date, mode: str, babies: int = 1
) -> EpisodeView:
    """Record the delivery and close the pregnancy."""
    require(actor, "episode.write")
    episode = get_episode_row(episode_id)
    if episode.kind != "pregnancy":
        raise Refused(f"服务周期 {episode_id} 不是孕产期，不能登记分娩")
    if episode.status != "open":
        raise Refused(f"服务周期 {episode_id} 已结束（分娩日期 {episode.delivery_date}）")
    if mode not in DELIVERY_MODES:
        raise InvalidInput(f"分娩方式应为 {'、'.join(DELIVERY_MODES)} 之一", field="mode")
    if not 1 <= int(babies) <= MAX_BABIES:
        raise InvalidInput(f"胎数应为 1–{MAX_BABIES}", field="babies")
    if delivery_date > clock.local_today():
        raise InvalidInput("分娩日期不能晚于今天", field="delivery_date")
    days = (delivery_date - episode.lmp).days
    if days < MIN_DELIVERY_GESTATION_DAYS or days > MAX_GESTATION_DAYS:
        raise InvalidInput(
            f"分娩日期对应孕 {gestation_label(max(days, 0))}，不在 20–44 周之间，请核对",
            field="delivery_date",
        )
    before = _snapshot(episode)

    def work() -> Episode:
        updated = (
            Episode.update(
                status="closed",
                delivery_date=delivery_date,
                delivery_mode=mode,
                babies=int(babies),
                closed_at=clock.utcnow(),
            )
            .where((Episode.id == episode.id) & (Episode.status == "open"))
            .execute()
        )
        if not updated:
            raise Refused(f"服务周期 {episode_id} 已被其他工作站结束")
        fresh = Episode.get_by_id(episode.id)
        audit.record(actor, "episode.close", "episode", episode.id, before=before, after=_snapshot(fresh))
        return fresh

    return episode_view(run_in_transaction(work), actor=actor)


def get_episode(actor: Actor, episode_id: int) -> EpisodeView:
    require(actor, "client.read")
    return episode_view(get_episode_row(episode_id), actor=actor)


def episodes_of(actor: Actor, client_id: int) -> list[EpisodeView]:
    """The client's episodes (own and as partner), newest first."""
    require(actor, "client.read")
    if not 0 < client_id < 2**62:  # a huge typed id is no row (SQLite would overflow)
        return []
    rows = (
        Episode.select()
        .where((Episode.client == client_id) | (Episode.partner == client_id))
        .order_by(Episode.opened_at.desc(), Episode.id.desc())
    )
    today = clock.local_today()
    return [episode_view(e, today, actor) for e in rows]
