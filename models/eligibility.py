"""Eligibility: may this episode have this package today, and if not, why not (in Chinese).

The rules come from the package row (catalog data): the episode kind must match; the window
is counted from the LMP (``gestation``), the delivery date (``postpartum``) or the birth date
(``age``, in days, or in completed years for 0–18 岁 where the upper bound is exclusive: a
child is covered until the day before the 18th birthday); ``residency = 'local'`` requires a
local household or a local residence permit; each package once per episode.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from models import clock, entitlements, schedules
from models.catalog import active_packages, get_package, package_items, triggers
from models.clients import RESIDENCY_LABELS, age_years
from models.episodes import KIND_LABELS, gestation_label, get_episode_row
from models.permissions import Actor, require
from models.schema import Client, Episode, Issuance, Package


@dataclass
class EligibilityResult:
    package_code: str
    package_name: str
    eligible: bool
    reasons: list[str] = field(default_factory=list)  # why not (empty when eligible), or notes
    already_issued: int | None = None  # the existing issuance's id
    window_text: str = ""  # the rule as the desk reads it out
    # what issuing now would leave out or hold back: "已由 X 覆盖", targeted items, "待筛查结果"
    notes: list[str] = field(default_factory=list)
    window_no: int = 0  # a scheduled package: the age window issued now (0: none or not scheduled)
    next_window: str = ""  # a scheduled package: the next age window and its dates

    def to_dict(self) -> dict:
        return asdict(self)


def window_text(package: Package) -> str:
    lo, hi = package.window_from_days, package.window_to_days
    basis = package.window_basis
    if basis == "none":
        return "服务周期内均可"
    if basis == "gestation":
        upper = f"孕{gestation_label(hi)}" if hi is not None else "分娩前"
        return f"孕{gestation_label(lo)}至{upper}"
    if basis == "postpartum":
        return f"分娩后第{lo}至{hi}天" if hi is not None else f"分娩后第{lo}天起"
    if package.window_unit == "years":
        return f"{lo}至{hi}周岁（不含{hi}周岁）" if hi is not None else f"{lo}周岁起"
    return f"出生后第{lo}至{hi}天" if hi is not None else f"出生后第{lo}天起"


def _window_reasons(package: Package, episode: Episode, client: Client, today: dt.date) -> list[str]:
    lo, hi = package.window_from_days, package.window_to_days
    basis = package.window_basis
    if basis == "none":
        return []
    if basis == "gestation":
        if episode.lmp is None:
            return ["未登记末次月经，无法计算孕周"]
        if episode.delivery_date is not None:
            return [f"已于 {episode.delivery_date.isoformat()} 分娩，孕期服务包不再发放"]
        days = (today - episode.lmp).days
        if days < lo:
            return [f"当前孕{gestation_label(max(days, 0))}，尚未到发放时间（{window_text(package)}）"]
        if hi is not None and days > hi:
            return [f"当前孕{gestation_label(days)}，已超过发放时间（{window_text(package)}）"]
        return []
    if basis == "postpartum":
        if episode.delivery_date is None:
            return ["尚未登记分娩，产后服务包在分娩后发放"]
        days = (today - episode.delivery_date).days
        if days < lo:
            return [f"分娩后第{days}天，尚未到发放时间（{window_text(package)}）"]
        if hi is not None and days > hi:
            return [f"已分娩{days}天，超过发放时间（{window_text(package)}）"]
        return []
    birth = episode.birth_date or client.birth_date
    if birth is None:
        return ["未登记出生日期，无法计算年龄"]
    if package.window_unit == "years":
        years = age_years(birth, today) or 0
        if years < lo:
            return [f"现年{years}周岁，未到发放年龄（{window_text(package)}）"]
        if hi is not None and years >= hi:
            return [f"现年{years}周岁，已超过发放年龄（{window_text(package)}）"]
        return []
    days = (today - birth).days
    if days < lo:
        return [f"出生第{days}天，尚未到发放时间（{window_text(package)}）"]
    if hi is not None and days > hi:
        return [f"已出生{days}天，超过发放时间（{window_text(package)}）"]
    return []


def evaluate(
    package: Package,
    episode: Episode,
    client: Client,
    today: dt.date,
    existing: Issuance | None = None,
) -> EligibilityResult:
    """The rules without any database access (all facts passed in), so they can be property-tested."""
    reasons: list[str] = []
    if package.episode_kind != episode.kind:
        reasons.append(
            f"此服务包面向“{KIND_LABELS.get(package.episode_kind, package.episode_kind)}”服务周期，"
            f"本周期是“{KIND_LABELS.get(episode.kind, episode.kind)}”"
        )
    else:
        reasons.extend(_window_reasons(package, episode, client, today))
    if package.residency == "local" and client.residency not in ("local", "permit"):
        reasons.append(
            f"此服务包限本地户籍或持本地居住证者，该服务对象登记为“"
            f"{RESIDENCY_LABELS.get(client.residency, client.residency)}”"
        )
    result = EligibilityResult(
        package_code=package.code,
        package_name=package.name,
        eligible=False,
        reasons=reasons,
        already_issued=existing.id if existing is not None else None,
        window_text=window_text(package),
    )
    schedule = schedules.schedule_of(package)
    if schedule and package.episode_kind == episode.kind and not reasons:
        _schedule_rules(schedule, episode.birth_date or client.birth_date, today, existing, result)
    elif existing is not None:
        reasons.insert(0, f"本周期已发放此服务包（券单号 {existing.slip_no}），每个周期限一次")
    result.eligible = not reasons
    return result


def _schedule_rules(
    schedule: dict, birth: dt.date, today: dt.date, existing: Issuance | None, result: EligibilityResult
) -> None:
    """A scheduled package: once per age window; the desk is told this window and the next."""
    current = schedules.current_window(schedule, birth, today)
    upcoming = schedules.next_window(schedule, birth, today)
    result.next_window = upcoming.text if upcoming else ""
    following = f"；下一次：{upcoming.text}" if upcoming else ""
    if current is None:
        result.reasons.append(f"今天不在健康监测年龄段内{following}" if upcoming else "已过最后一个年龄段")
        return
    result.window_no = current.number
    result.window_text = f"本年龄段：{current.text}{following}"
    if existing is not None:
        result.reasons.insert(
            0, f"本年龄段（{current.label}）已发放（券单号 {existing.slip_no}），每个年龄段限一次{following}"
        )


def evaluate_episode(
    episode: Episode, packages: list[Package], today: dt.date | None = None
) -> list[EligibilityResult]:
    today = today or clock.local_today()
    issued = {
        (i.package_code, i.window_no): i
        for i in Issuance.select(
            Issuance.id, Issuance.package_code, Issuance.slip_no, Issuance.window_no
        ).where(Issuance.episode == episode)
    }
    client = episode.client
    results = [
        evaluate(p, episode, client, today, issued.get((p.code, window_no(p, episode, client, today))))
        for p in packages
    ]
    for package, result in zip(packages, results, strict=True):
        if result.already_issued is None and package.episode_kind == episode.kind:
            _add_item_notes(package, episode, result)
    return results


def _add_item_notes(package: Package, episode: Episode, result: EligibilityResult) -> None:
    """Items another package already holds, targeted items not for this client, results awaited.

    A package whose every free item is held elsewhere (or not for this client) is not eligible.
    """
    items = package_items(package)
    plan = entitlements.plan_items(package, items, episode, include_targeted=False)
    names = {i.code: i.name for i in items}
    pending = [
        f"{i.name}：待筛查结果（{'或'.join(names.get(c, c) for c in triggers(i))}阳性或高风险后发放）"
        for i in items
        if i.tier == "basic" and i.follow_up_of
    ]
    result.notes = plan.covered + plan.not_targeted + pending
    if result.eligible and not plan.uses:
        result.eligible = False
        result.reasons.append("免费项目均已由其他服务包覆盖或不适用")


def window_no(package: Package, episode: Episode, client: Client, today: dt.date) -> int:
    """The age window a scheduled package is issued for today (0: not scheduled, or no window now)."""
    schedule = schedules.schedule_of(package)
    birth = episode.birth_date or client.birth_date
    if not schedule or birth is None or package.episode_kind != episode.kind:
        return 0
    current = schedules.current_window(schedule, birth, today)
    return current.number if current else 0


def check_eligibility(
    actor: Actor, episode_id: int, package_code: str | None = None, today: dt.date | None = None
) -> list[EligibilityResult]:
    """One result per active package (or just ``package_code``), in catalog order.

    ``reasons`` are sentences the desk can read out; an already-issued package is not eligible
    again and carries the existing issuance id in ``already_issued``.
    """
    require(actor, "client.read")
    episode = get_episode_row(episode_id)
    packages = [get_package(package_code)] if package_code else active_packages()
    return evaluate_episode(episode, packages, today)
