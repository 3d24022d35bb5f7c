"""Clients (服务对象): registration, search and family links.

A client is found again by the normalised ID number, never registered twice: the
(id_type, id_number) pair is unique in the database, and registering an existing number
returns the existing client. Newborns without papers yet have ``id_type='none'`` and a NULL
number (NULLs never collide in a unique index) and are identified through the mother.

Search uses indexed columns only: exact ID number, exact phone, exact name, and prefix
ranges on ``name_pinyin`` / ``name_initials`` (lower-case ASCII stored at registration, so a
``>= prefix AND < prefix+1`` range is correct under every collation and uses the B-tree).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import asdict, dataclass, field

import peewee as pw

from models import audit, clock, identity, search_watch
from models.db import run_in_transaction
from models.errors import InvalidInput, NotFound
from models.masking import shown_address, shown_birth_date, shown_name
from models.permissions import Actor, require
from models.pinyin import pinyin_keys
from models.privacy import mask_id, mask_name, mask_phone
from models.schema import Client, Episode, FamilyLink
from models.text import no_control, strip_control

RESIDENCY_LABELS: dict[str, str] = {"local": "本地户籍", "permit": "本地居住证", "nonlocal": "非本地"}
LINK_LABELS: dict[str, str] = {"partner": "配偶", "mother_child": "母子（女）", "father_child": "父子（女）"}
SEARCH_LIMIT = 50


def age_years(birth: dt.date | None, today: dt.date | None = None) -> int | None:
    """Age in completed years (周岁)."""
    if birth is None:
        return None
    today = today or clock.local_today()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass
class ClientView:
    """A client as a list row or header shows it: personal data masked.

    ``name`` and ``birth_date`` are the full values only for roles with ``pii.reveal``; for
    everybody else ``name`` is masked and ``birth_date`` is None (``age_years`` is shown).
    """

    id: int
    id_type: str
    id_type_label: str
    id_number_masked: str
    name: str
    name_masked: str
    sex: str
    sex_label: str
    birth_date: dt.date | None
    birth_date_known: bool  # registered, even when this role is shown only the age
    age_years: int | None
    phone_masked: str
    residency: str
    residency_label: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LinkView:
    kind: str
    kind_label: str
    role: str  # what the other client is to this one: 配偶 / 母亲 / 子女 …
    client: ClientView


@dataclass
class ClientDetail:
    client: ClientView
    address: str
    links: list[LinkView] = field(default_factory=list)
    episode_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RegisterResult:
    """``created`` is False when the ID number was already registered (the existing client is returned)."""

    client: ClientView
    created: bool
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def client_view(client: Client, actor: Actor | None = None) -> ClientView:
    """The client as ``actor`` may see it (no actor: masked, as for a role without reveal)."""
    return ClientView(
        id=client.id,
        id_type=client.id_type,
        id_type_label=identity.ID_TYPE_LABELS.get(client.id_type, client.id_type),
        id_number_masked=mask_id(client.id_number),
        name=shown_name(actor, client.name),
        name_masked=mask_name(client.name),
        sex=client.sex,
        sex_label=identity.SEX_LABELS.get(client.sex, client.sex),
        birth_date=shown_birth_date(actor, client.birth_date),
        birth_date_known=client.birth_date is not None,
        age_years=age_years(client.birth_date),
        phone_masked=mask_phone(client.phone),
        residency=client.residency,
        residency_label=RESIDENCY_LABELS.get(client.residency, client.residency),
    )


def _get(client_id: int) -> Client:
    # a huge typed id is no row (SQLite would overflow)
    client = Client.get_or_none(Client.id == client_id) if 0 < client_id < 2**62 else None
    if client is None:
        raise NotFound(f"没有编号为 {client_id} 的服务对象")
    return client


def _clean_name(name: str | None) -> str:
    cleaned = no_control(" ".join((name or "").split()), "name", "姓名")
    if not cleaned:
        raise InvalidInput("请输入姓名", field="name")
    if len(cleaned) > 64:
        raise InvalidInput("姓名不能超过 64 个字符", field="name")
    return cleaned


def _snapshot(client: Client) -> dict:
    return {
        "id_type": client.id_type,
        "id_number": mask_id(client.id_number),
        "name": client.name,
        "sex": client.sex,
        "birth_date": client.birth_date,
        "residency": client.residency,
    }


def find_by_id_number(id_type: str, number: str) -> Client | None:
    """The client holding this (already normalised) number, or None."""
    return Client.get_or_none((Client.id_type == id_type) & (Client.id_number == number))


def register_client(
    actor: Actor,
    *,
    id_type: str,
    id_number: str | None,
    name: str,
    sex: str | None = None,
    birth_date: dt.date | None = None,
    phone: str | None = "",
    address: str = "",
    residency: str = "local",
    ethnicity: str = "",
    nationality: str = "中国",
) -> RegisterResult:
    """Register a client, or return the existing one holding the same ID number.

    The ID number is normalised and validated (15-digit resident IDs are upgraded to 18);
    birth date and sex come from a resident ID / residence permit and must agree with what was
    typed. A phone, when given, must be a mainland mobile. Same name + birth date + phone as
    another client gives a warning, not a refusal (twins' mothers, typos).
    """
    require(actor, "client.write")
    number = identity.validate_id(id_type, id_number)
    name = _clean_name(name)
    sex = (sex or "").strip().upper() or None
    if sex is not None and sex not in identity.SEX_LABELS:
        raise InvalidInput("性别应为 F（女）或 M（男）", field="sex")
    identity.check_against_typed(id_type, number, birth_date, sex)
    derived_birth, derived_sex = identity.derive_birth_and_sex(id_type, number)
    birth_date = birth_date or derived_birth
    sex = sex or derived_sex
    if sex is None:
        raise InvalidInput("请填写性别", field="sex")
    if birth_date is not None and birth_date > clock.local_today():
        raise InvalidInput("出生日期不能晚于今天", field="birth_date")
    phone = identity.validate_mobile(phone) if phone else ""
    if residency not in RESIDENCY_LABELS:
        raise InvalidInput(f"户籍类型应为 {'、'.join(RESIDENCY_LABELS)} 之一", field="residency")
    pinyin, initials = pinyin_keys(name)

    def work() -> tuple[Client, bool]:
        if number:
            existing = find_by_id_number(id_type, number)
            if existing is not None:
                return existing, False
        client = Client.create(
            id_type=id_type,
            id_number=number or None,
            name=name,
            name_pinyin=pinyin,
            name_initials=initials,
            sex=sex,
            birth_date=birth_date,
            phone=phone,
            address=no_control((address or "").strip()[:255], "address", "地址"),
            residency=residency,
            ethnicity=(ethnicity or "").strip()[:32],
            nationality=(nationality or "中国").strip()[:32],
            created_at=clock.utcnow(),
            created_by=actor.staff,
        )
        audit.record(actor, "client.create", "client", client.id, after=_snapshot(client))
        search_watch.forgive_one_miss(actor)
        return client, True

    try:
        client, created = run_in_transaction(work)
    except pw.IntegrityError:  # another desk registered the same number a moment ago
        client, created = find_by_id_number(id_type, number), False
        if client is None:
            raise
    warnings: list[str] = []
    if not created:
        warnings.append(f"证件号码已登记：{mask_name(client.name)}（编号 {client.id}），未重复登记")
        if client.name != name:
            warnings.append(f"已登记的姓名“{shown_name(actor, client.name)}”与输入的“{name}”不同，请核对")
    elif phone and birth_date is not None:
        twins = (
            Client.select(Client.id)
            .where(
                (Client.name == name)
                & (Client.birth_date == birth_date)
                & (Client.phone == phone)
                & (Client.id != client.id)
            )
            .limit(5)
        )
        ids = [str(c.id) for c in twins]
        if ids:
            warnings.append(
                f"已有姓名、出生日期和电话都相同的服务对象（编号 {'、'.join(ids)}），请确认不是同一人"
            )
    return RegisterResult(client=client_view(client, actor), created=created, warnings=warnings)


def register_newborn(
    actor: Actor, mother_id: int, *, name: str, sex: str, birth_date: dt.date, residency: str | None = None
) -> ClientView:
    """A newborn without papers yet (id_type 'none'), linked to the mother (mother_child)."""
    require(actor, "client.write")
    mother = _get(mother_id)
    if mother.sex != "F":
        raise InvalidInput("母亲应为女性服务对象", field="mother")
    if birth_date > clock.local_today():
        raise InvalidInput("出生日期不能晚于今天", field="birth_date")
    if mother.birth_date is not None and birth_date <= mother.birth_date:
        raise InvalidInput("新生儿出生日期不能早于母亲出生日期", field="birth_date")
    sex = (sex or "").strip().upper()
    if sex not in identity.SEX_LABELS:
        raise InvalidInput("性别应为 F（女）或 M（男）", field="sex")
    name = _clean_name(name)
    pinyin, initials = pinyin_keys(name)

    def work() -> Client:
        child = Client.create(
            id_type=identity.ID_NONE,
            id_number=None,
            name=name,
            name_pinyin=pinyin,
            name_initials=initials,
            sex=sex,
            birth_date=birth_date,
            phone=mother.phone,
            address=mother.address,
            residency=residency or mother.residency,
            created_at=clock.utcnow(),
            created_by=actor.staff,
        )
        FamilyLink.create(kind="mother_child", from_client=mother, to_client=child, created_at=clock.utcnow())
        audit.record(
            actor, "client.create", "client", child.id, after={**_snapshot(child), "mother": mother.id}
        )
        return child

    return client_view(run_in_transaction(work), actor)


def link_family(actor: Actor, kind: str, from_id: int, to_id: int) -> None:
    """Link two clients: ``partner`` (either order), ``mother_child`` / ``father_child`` (parent first)."""
    require(actor, "client.write")
    if kind not in LINK_LABELS:
        raise InvalidInput(f"关系类型应为 {'、'.join(LINK_LABELS)} 之一", field="kind")
    if from_id == to_id:
        raise InvalidInput("不能与自己建立关系")
    first, second = _get(from_id), _get(to_id)
    if kind == "partner":
        first, second = (first, second) if first.id < second.id else (second, first)

    def work() -> None:
        exists = FamilyLink.get_or_none(
            (FamilyLink.kind == kind) & (FamilyLink.from_client == first) & (FamilyLink.to_client == second)
        )
        if exists is not None:
            return
        FamilyLink.create(kind=kind, from_client=first, to_client=second, created_at=clock.utcnow())
        audit.record(actor, "client.link", "client", first.id, after={"kind": kind, "to": second.id})

    run_in_transaction(work)


def get_client(actor: Actor, client_id: int) -> ClientView:
    require(actor, "client.read")
    return client_view(_get(client_id), actor)


def client_detail(actor: Actor, client_id: int) -> ClientDetail:
    """A client with family links (partner, mother, children) and the ids of their episodes."""
    require(actor, "client.read")
    client = _get(client_id)
    links: list[LinkView] = []
    for link in FamilyLink.select().where(FamilyLink.from_client == client):
        role = {"partner": "配偶", "mother_child": "子女", "father_child": "子女"}[link.kind]
        links.append(LinkView(link.kind, LINK_LABELS[link.kind], role, client_view(link.to_client, actor)))
    for link in FamilyLink.select().where(FamilyLink.to_client == client):
        role = {"partner": "配偶", "mother_child": "母亲", "father_child": "父亲"}[link.kind]
        links.append(LinkView(link.kind, LINK_LABELS[link.kind], role, client_view(link.from_client, actor)))
    episodes = Episode.select(Episode.id).where((Episode.client == client) | (Episode.partner == client))
    return ClientDetail(
        client=client_view(client, actor),
        address=shown_address(actor, client.address),
        links=links,
        episode_ids=sorted(e.id for e in episodes),
    )


def age_on(actor: Actor, client_id: int, day: dt.date) -> int | None:
    """The client's completed years on ``day`` (e.g. a mother's age at delivery): the age, never
    the birth date, so that roles without ``pii.reveal`` can use it."""
    require(actor, "client.read")
    return age_years(_get(client_id).birth_date, day)


def mother_of(child_id: int) -> Client | None:
    link = FamilyLink.get_or_none((FamilyLink.kind == "mother_child") & (FamilyLink.to_client == child_id))
    return link.from_client if link else None


def reveal_client(actor: Actor, client_id: int, reason: str = "") -> dict[str, str]:
    """Full ID number and phone: delegates to :func:`models.pii.reveal_client` (permission, audit)."""
    from models import pii

    revealed = pii.reveal_client(actor, client_id, reason=reason)
    return {"id_number": revealed.id_number, "phone": revealed.phone}


def _id_number_is(number: str) -> pw.Expression:
    """Equality on the number for any ID type, written so the (id_type, id_number) index serves it."""
    types = [t for t in identity.ID_TYPE_LABELS if t != identity.ID_NONE]
    return Client.id_type.in_(types) & (Client.id_number == number)


def _prefix_range(column: pw.Field, prefix: str) -> pw.Expression:
    """``column`` starts with ``prefix`` (letters a–z), as an index range.

    The upper bound is made of letters too ('wz' → 'x', not 'w{'): PostgreSQL databases with a
    linguistic collation ignore punctuation when comparing, which would empty the range.
    """
    stem = prefix.rstrip("z")
    condition = column >= prefix
    if stem:
        condition &= column < stem[:-1] + chr(ord(stem[-1]) + 1)
    return condition


def find_clients(actor: Actor, query: str, limit: int = SEARCH_LIMIT) -> list[ClientView]:
    """Find clients by ID number (exact), mobile (exact), name, or pinyin / initials prefix.

    ``wxh`` and ``wangxiaoh`` both find 王小红; ``王小`` finds 王小红 and 王小明. Every branch is
    an indexed equality or range query; results are ordered by name and capped at ``limit``.
    """
    require(actor, "client.read")
    text = " ".join(strip_control(query).split())
    if not text:
        raise InvalidInput("请输入证件号码、手机号、姓名或拼音", field="query")
    search_watch.check_not_locked(actor)
    found = _find(text, limit)[:limit]
    search_watch.record_search(actor, identity.normalize_id_number("resident", text), bool(found))
    return [client_view(c, actor) for c in found]


def _find(text: str, limit: int) -> list[Client]:
    half = identity.normalize_id_number("resident", text)
    # (condition, the indexed column to read it in order of)
    conditions: list[tuple[pw.Expression, pw.Field]] = []
    if any(ch.isdigit() for ch in half):
        phone = identity.normalize_phone(text)
        conditions.append((_id_number_is(half), Client.id))
        if len(half) == 15 and half.isdigit():
            with contextlib.suppress(InvalidInput):
                conditions.append((_id_number_is(identity.validate_resident_id(half).number), Client.id))
        if phone.isdigit():
            conditions.append((Client.phone == phone, Client.id))
    else:
        letters = re.sub(r"[^a-z]", "", half.lower())
        has_cjk = any(ord(ch) > 0x2E80 for ch in text)
        if has_cjk:
            conditions.append((Client.name == text, Client.id))
            pinyin, _ = pinyin_keys(text)
            if pinyin:
                # Name prefix via the pinyin index, then checked against the characters below.
                conditions.append((_prefix_range(Client.name_pinyin, pinyin), Client.name_pinyin))
        elif letters:
            conditions.append((_prefix_range(Client.name_initials, letters), Client.name_initials))
            conditions.append((_prefix_range(Client.name_pinyin, letters), Client.name_pinyin))
    if not conditions:
        return []
    # One query per condition, each ordered by its own index and limited, so that a common
    # surname ('wang') never makes the database read and sort every match.
    seen: dict[int, Client] = {}
    for condition, column in conditions:
        for client in Client.select().where(condition).order_by(column, Client.id).limit(limit * 4):
            seen.setdefault(client.id, client)
    has_cjk = any(ord(ch) > 0x2E80 for ch in text)
    matches = [c for c in seen.values() if not has_cjk or c.name.startswith(text)]  # 王小红 vs 汪晓虹
    matches.sort(key=lambda c: (c.name, c.id))
    return matches


def resolve_client(actor: Actor, ref: str | int) -> Client:
    """A client by numeric id or by ID number (as typed); NotFound otherwise. For CLI/forms."""
    require(actor, "client.read")
    text = str(ref).strip()
    number = identity.normalize_id_number("resident", text)
    if len(number) == 15 and number.isdigit():
        with contextlib.suppress(InvalidInput):
            number = identity.validate_resident_id(number).number
    if text.isdigit() and len(text) < 12:
        return _get(int(text))
    search_watch.check_not_locked(actor)
    found = Client.get_or_none(_id_number_is(number)) if number else None
    search_watch.record_search(actor, number, found is not None)
    if found is None:
        raise NotFound(f"没有证件号码为 {mask_id(number)} 的服务对象")
    return found


def count_clients() -> int:
    return Client.select(pw.fn.COUNT(Client.id)).scalar() or 0
