"""Entitlements: one funded service once, for the right person, on the policy's own terms.

A catalog item stands for a service key; items with the same key in different packages or
programmes (the heel-prick in 湘佑新生包 and in 新生儿免费筛查包, 预防母婴传播 in 湘护早孕包 and
湘伴孕产包) are ONE entitlement per person per period (the episode). Which person a voucher serves
is stored on it (``beneficiary``: each partner of a couple, each newborn); an old voucher without
one serves the episode's client. A voucher holds its entitlement while issued or redeemed; a
voided or expired one gives it back.

Targeted items (生育力评估) carry a condition as catalog data: the age at the start of the
episode, or an infertility history recorded on the episode (with who recorded it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from models import clock
from models.catalog import condition, service_key
from models.clients import age_years
from models.permissions import Actor, require
from models.privacy import mask_name
from models.schema import Client, Episode, Issuance, Package, ServiceItem, Voucher

HOLDING_STATES = ("issued", "redeemed")
HOLDING_LABELS = {"issued": "已发放", "redeemed": "已核销"}
HISTORY_LABELS = {"infertility": "已登记不孕史"}


@dataclass(frozen=True)
class Holding:
    """A voucher that holds an entitlement: which package it came from and its state."""

    voucher_id: int
    code: str
    issuance_id: int
    package_code: str
    package_name: str
    state: str


def person_of(voucher: Voucher, episode: Episode) -> int:
    return voucher.beneficiary_id or episode.client_id


def holdings(episode: Episode) -> dict[tuple[str, int], list[Holding]]:
    """(service key, person id) → the episode's vouchers that hold it (issued or redeemed)."""
    rows = (
        Voucher.select(
            Voucher.id,
            Voucher.code,
            Voucher.state,
            Voucher.beneficiary,
            Voucher.item_code,
            ServiceItem.service_key,
            Voucher.issuance,
            Issuance.package_code,
            Issuance.package_name,
        )
        .join(Issuance)
        .switch(Voucher)
        .join(ServiceItem)
        .where((Issuance.episode == episode.id) & (Voucher.state.in_(HOLDING_STATES)))
        .order_by(Voucher.id)
        .tuples()
    )
    held: dict[tuple[str, int], list[Holding]] = defaultdict(list)
    for voucher_id, code, state, person, item_code, key, issuance_id, package_code, package_name in rows:
        held[(key or item_code, person or episode.client_id)].append(
            Holding(voucher_id, code, issuance_id, package_code, package_name, state)
        )
    return held


def covered_by(
    item: ServiceItem, person_id: int, package_code: str, held: dict[tuple[str, int], list[Holding]]
) -> Holding | None:
    """The voucher of ANOTHER package that already holds ``item``'s service for the person."""
    for holding in held.get((service_key(item), person_id), []):
        if holding.package_code != package_code:
            return holding
    return None


def covered_text(item_name: str, holding: Holding) -> str:
    """'预防母婴传播检测：已由湘护早孕包覆盖（已核销）' — what the desk reads out."""
    return (
        f"{item_name}：已由{holding.package_name}覆盖（{HOLDING_LABELS.get(holding.state, holding.state)}）"
    )


def persons_for(item: ServiceItem, episode: Episode) -> list[Client]:
    """Who receives the item: the client, or each partner of a couple (the partner once registered)."""
    people = [episode.client]
    if item.per_person == "couple" and episode.partner_id:
        people.append(episode.partner)
    return people


@dataclass
class Plan:
    """What an issuance will hold: (item, person) pairs, and what it leaves out and why."""

    uses: list[tuple[ServiceItem, Client]] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    not_targeted: list[str] = field(default_factory=list)


def plan_items(package: Package, items: list[ServiceItem], episode: Episode, include_targeted: bool) -> Plan:
    """The basic, non-follow-up items for each person they serve, less what is already held."""
    plan = Plan()
    held = holdings(episode)
    for item in items:
        if item.tier != "basic" or item.follow_up_of:
            continue
        refusal = targeted_refusal(item, episode.client, episode)
        if refusal and not include_targeted:
            plan.not_targeted.append(refusal)
            continue
        for person in persons_for(item, episode):
            holding = covered_by(item, person.id, package.code, held)
            if holding is not None:
                plan.covered.append(covered_text(named(item.name, person, episode), holding))
            else:
                plan.uses.append((item, person))
    return plan


def named(item_name: str, person: Client, episode: Episode) -> str:
    """An item name with its person when the episode serves two (a couple)."""
    return f"{item_name}（{mask_name(person.name)}）" if episode.partner_id else item_name


# --- targeted items ------------------------------------------------------------------------------


def start_age(client: Client, episode: Episode) -> int | None:
    """Age in completed years on the local day the episode was opened."""
    return age_years(client.birth_date, clock.local_date_of(episode.opened_at))


def targeted_refusal(item: ServiceItem, client: Client, episode: Episode) -> str | None:
    """Why ``item``'s condition excludes this client (None when it applies, or has no condition)."""
    rule = condition(item)
    if not rule:
        return None
    min_age = rule.get("min_age")
    history = rule.get("or_history")
    if min_age is not None:
        age = start_age(client, episode)
        if age is not None and age >= min_age:
            return None
    if history == "infertility" and episode.infertility_recorded_at is not None:
        return None
    wanted = []
    if min_age is not None:
        wanted.append(f"周期开始时年满{min_age}岁")
    if history:
        wanted.append(HISTORY_LABELS.get(history, history))
    age = start_age(client, episode)
    now = f"（周期开始时{age}岁）" if age is not None else "（出生日期未登记）"
    return f"{item.name}：限{'或'.join(wanted)}者{now}"


# --- double claims already in the data ----------------------------------------------------------


@dataclass
class DoubleClaim:
    """One service held twice or more for one person in one episode, under different packages."""

    episode_id: int
    person_id: int
    person_name_masked: str
    service_key: str
    item_names: list[str]
    vouchers: list[dict] = field(default_factory=list)  # code, package, state
    redeemed: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def shared_keys() -> list[str]:
    """Service keys that stand in more than one package code (the only ones that can double)."""
    rows = (
        ServiceItem.select(ServiceItem.service_key, Issuance.package_code)
        .join(Voucher, on=(Voucher.item == ServiceItem.id))
        .join(Issuance, on=(Voucher.issuance == Issuance.id))
        .where(ServiceItem.service_key.is_null(False))
        .distinct()
        .tuples()
    )
    packages: dict[str, set[str]] = defaultdict(set)
    for key, package_code in rows:
        packages[key].add(package_code)
    return sorted(k for k, codes in packages.items() if len(codes) > 1)


def double_claims(actor: Actor) -> list[DoubleClaim]:
    """Every (episode, person, service key) held under more than one package: the check lists them."""
    require(actor, "report.read")
    keys = shared_keys()
    if not keys:
        return []
    rows = (
        Voucher.select(Voucher, ServiceItem.service_key, Issuance, Episode)
        .join(ServiceItem)
        .switch(Voucher)
        .join(Issuance)
        .join(Episode)
        .where(ServiceItem.service_key.in_(keys) & Voucher.state.in_(HOLDING_STATES))
        .order_by(Voucher.id)
    )
    groups: dict[tuple[int, int, str], list[Voucher]] = defaultdict(list)
    for voucher in rows:
        episode = voucher.issuance.episode
        groups[(episode.id, person_of(voucher, episode), voucher.item.service_key)].append(voucher)
    claims = []
    for (episode_id, person_id, key), vouchers in groups.items():
        if len({v.issuance.package_code for v in vouchers}) < 2:
            continue
        person = Client.get_by_id(person_id)
        claims.append(
            DoubleClaim(
                episode_id=episode_id,
                person_id=person_id,
                person_name_masked=mask_name(person.name),
                service_key=key,
                item_names=sorted({v.item_name for v in vouchers}),
                vouchers=[
                    {
                        "code": v.code,
                        "package": v.issuance.package_name,
                        "state": v.state,
                        "state_label": HOLDING_LABELS[v.state],
                    }
                    for v in vouchers
                ],
                redeemed=sum(v.state == "redeemed" for v in vouchers),
            )
        )
    return claims
