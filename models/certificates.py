"""Birth medical certificates (出生医学证明): blank-form stock, issuance, void register, statistics.

Blank forms are numbered, controlled stock. Every serial ever received is in exactly one state:
``on_hand`` (in the store room or at a desk) → ``issued`` (consumed by a certificate) or
``voided`` (misprinted or damaged, with reason and approving supervisor) → ``destroyed`` (date and
witness). An issued form that turns out misprinted may be voided too. Nothing is deleted.

A certificate (:class:`BirthCertificate`) belongs to a child episode and is one of: first issue
(首次签发), re-issue of a lost certificate (补发) or replacement of a damaged or corrected one
(换发); the last two name the certificate they supersede and why. Each consumes one serial —
the lowest on-hand serial of the issuing desk unless a serial is given.

Certificate data is stored as JSON (see :func:`validate_data` for its shape) and validated with
messages in Chinese that name the field (``InvalidInput.details['field']``, e.g. ``mother.age``)
so that a screen can put the cursor there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import peewee as pw

from models import audit, clock, settings
from models.db import database, is_postgres, run_in_transaction
from models.errors import InvalidInput, NotFound, Refused
from models.identity import (
    GB11643_TYPES,
    ID_NONE,
    ID_RESIDENT,
    ID_TYPE_LABELS,
    derive_birth_and_sex,
    validate_id,
)
from models.permissions import Actor, require
from models.schema import (
    BirthCertificate,
    CertificateBatch,
    CertificateForm,
    Client,
    Episode,
    FamilyLink,
    Setting,
    Staff,
)

ON_HAND, ISSUED, VOIDED, DESTROYED = "on_hand", "issued", "voided", "destroyed"
STATES = (ON_HAND, ISSUED, VOIDED, DESTROYED)
STATE_LABELS = {ON_HAND: "库存", ISSUED: "已签发", VOIDED: "已作废", DESTROYED: "已销毁"}

FIRST, REISSUE, REPLACE = "first", "reissue", "replace"
KIND_LABELS = {FIRST: "首次签发", REISSUE: "补发", REPLACE: "换发"}

HEALTH_VALUES = ("良好", "一般", "差")
MAX_RANGE = 10_000  # forms per receive: a typo such as an extra digit must not create a million rows
MAX_OFFSET_MM = 30.0
SERIAL_FORMAT_KEY = "certificate_serial_format"
CALIBRATION_KEY = "certificate.calibration:"

ETHNIC_GROUPS = frozenset(
    [
        "汉",
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
    ]
)


# --- serial numbers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SerialFormat:
    """How a serial is written: ``letters`` upper-case letters then ``digits`` digits (R430000001)."""

    letters: int = 1
    digits: int = 9

    def describe(self) -> str:
        return f"{self.letters} 位字母 + {self.digits} 位数字"

    def example(self) -> str:
        return "R" * self.letters + "4300000001"[-self.digits :].rjust(self.digits, "0")

    def format(self, prefix: str, number: int) -> str:
        return f"{prefix}{number:0{self.digits}d}"


def normalize_serial(text: str | None) -> str:
    """Full-width to half-width, spaces and dashes removed, upper case: ' r43-000 0001' -> 'R430000001'."""
    cleaned = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\-_]", "", cleaned).upper()


def split_serial(serial: str) -> tuple[str, int, int]:
    """(prefix, number, digits) of a stored or typed serial; InvalidInput when it has no such shape."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", normalize_serial(serial))
    if not match:
        raise InvalidInput(f"证件编号“{serial}”格式不正确：应为字母加数字，如 R430000001", field="serial")
    return match.group(1), int(match.group(2)), len(match.group(2))


_FORMAT_SHAPE = re.compile(r"\^?\[A-Z\](?:\{(\d+)\})?\\d\{(\d+)\}\$?")


def serial_format() -> SerialFormat:
    """The configured format: setting ``certificate_serial_format`` (a regular expression of the
    shape ``^[A-Z]{n}\\d{m}$``, see models/settings.py); default one letter + 9 digits."""
    pattern = settings.get(SERIAL_FORMAT_KEY) or r"^[A-Z]\d{9}$"
    match = _FORMAT_SHAPE.fullmatch(pattern.strip())
    if not match:
        raise InvalidInput(
            f"出生医学证明编号格式设置“{pattern}”无法用于号段入库：应形如 ^[A-Z]{{1}}\\d{{9}}$（字母位数、数字位数）",
            field="serial_format",
        )
    return SerialFormat(int(match.group(1) or 1), int(match.group(2)))


def set_serial_format(actor: Actor, letters: int, digits: int) -> SerialFormat:
    """Store the format as the regular expression the settings screen shows."""
    if not 1 <= letters <= 4 or not 4 <= digits <= 12:
        raise InvalidInput("证件编号格式应为 1–4 位字母加 4–12 位数字", field="serial_format")
    settings.put(actor, SERIAL_FORMAT_KEY, f"^[A-Z]{{{letters}}}\\d{{{digits}}}$")
    return SerialFormat(letters, digits)


def compress_serials(serials: Iterable[str]) -> list[str]:
    """Consecutive serials as ranges for reading: ['R01','R02','R03','R07'] -> ['R01–R03', 'R07']."""
    ranges: list[list[Any]] = []  # [prefix, digits, first, last]
    for serial in sorted(serials, key=lambda s: split_serial(s)):
        prefix, number, digits = split_serial(serial)
        last = ranges[-1] if ranges else None
        if last and last[0] == prefix and last[1] == digits and last[3] + 1 == number:
            last[3] = number
        else:
            ranges.append([prefix, digits, number, number])
    out = []
    for prefix, digits, first, last in ranges:
        a, b = f"{prefix}{first:0{digits}d}", f"{prefix}{last:0{digits}d}"
        out.append(a if first == last else f"{a}–{b}")
    return out


# --- views ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchView:
    id: int
    prefix: str
    first_serial: str
    last_serial: str
    count: int
    received_on: dt.date
    received_by: str
    note: str


@dataclass(frozen=True)
class FormView:
    serial: str
    state: str
    state_label: str
    desk: str | None
    received_on: dt.date
    void_reason: str | None = None
    voided_at: dt.datetime | None = None
    void_approved_by: str | None = None
    destroyed_on: dt.date | None = None
    destroy_witness: str | None = None
    certificate_id: int | None = None


@dataclass(frozen=True)
class CertificateView:
    id: int
    serial: str
    episode_id: int
    kind: str
    kind_label: str
    reason: str
    replaces_serial: str | None
    data: dict[str, Any]
    issued_on: dt.date
    issued_at: dt.datetime
    issued_by: str
    form_state: str

    @property
    def valid(self) -> bool:
        """False once its form was voided (a misprint): the family never received it."""
        return self.form_state == ISSUED

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "valid": self.valid}


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _as_datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _form_view(form: CertificateForm) -> FormView:
    cert = BirthCertificate.get_or_none(BirthCertificate.form == form.id)
    approver = Staff.get_by_id(form.void_approved_by_id).full_name if form.void_approved_by_id else None
    return FormView(
        serial=form.serial,
        state=form.state,
        state_label=STATE_LABELS[form.state],
        desk=form.desk,
        received_on=_as_date(form.batch.received_on),
        void_reason=form.void_reason,
        voided_at=form.voided_at,
        void_approved_by=approver,
        destroyed_on=_as_date(form.destroyed_on) if form.destroyed_on else None,
        destroy_witness=form.destroy_witness,
        certificate_id=cert.id if cert else None,
    )


def _certificate_view(cert: BirthCertificate) -> CertificateView:
    return CertificateView(
        id=cert.id,
        serial=cert.form.serial,
        episode_id=cert.episode_id,
        kind=cert.kind,
        kind_label=KIND_LABELS[cert.kind],
        reason=cert.reason,
        replaces_serial=cert.replaces.form.serial if cert.replaces_id else None,
        data=json.loads(cert.data),
        issued_on=_as_date(cert.issued_on),
        issued_at=_as_datetime(cert.issued_at),
        issued_by=cert.issued_by.full_name,
        form_state=cert.form.state,
    )


def get_form(serial: str) -> FormView:
    return _form_view(_form(serial))


def _form(serial: str) -> CertificateForm:
    form = CertificateForm.get_or_none(CertificateForm.serial == normalize_serial(serial))
    if form is None:
        raise NotFound(f"没有编号为 {normalize_serial(serial)} 的出生医学证明空白证件")
    return form


def get_certificate(serial: str) -> CertificateView:
    form = _form(serial)
    cert = BirthCertificate.get_or_none(BirthCertificate.form == form.id)
    if cert is None:
        raise NotFound(f"证件 {form.serial} 未签发（当前状态：{STATE_LABELS[form.state]}）")
    return _certificate_view(cert)


def certificates_of_episode(episode_id: int) -> list[CertificateView]:
    """All certificates of an episode, oldest first (voided misprints included, marked not valid)."""
    query = (
        BirthCertificate.select().where(BirthCertificate.episode == episode_id).order_by(BirthCertificate.id)
    )
    return [_certificate_view(c) for c in query]


def current_certificate(episode_id: int) -> CertificateView | None:
    """The certificate the family holds now: valid and not superseded by a re-issue or replacement."""
    views = certificates_of_episode(episode_id)
    superseded = {v.replaces_serial for v in views if v.valid and v.replaces_serial}
    live = [v for v in views if v.valid and v.serial not in superseded]
    return live[-1] if live else None


def list_forms(state: str | None = None, desk: str | None = None) -> list[FormView]:
    query = CertificateForm.select(CertificateForm, CertificateBatch).join(CertificateBatch)
    if state:
        query = query.where(CertificateForm.state == state)
    if desk:
        query = query.where(CertificateForm.desk == desk)
    return [_form_view(f) for f in query.order_by(CertificateForm.serial)]


# --- stock movements --------------------------------------------------------------------------------


def receive(
    actor: Actor,
    prefix: str,
    first: int,
    last: int,
    received_on: dt.date | None = None,
    note: str = "",
) -> BatchView:
    """Record blank forms ``prefix+first`` … ``prefix+last`` as received (on hand, not yet at a desk)."""
    require(actor, "certificate.stock")
    fmt = serial_format()
    prefix = normalize_serial(prefix)
    if not re.fullmatch(rf"[A-Z]{{{fmt.letters}}}", prefix):
        raise InvalidInput(
            f"证件编号前缀“{prefix}”不符合设定格式（{fmt.describe()}，如 {fmt.example()}）", field="prefix"
        )
    limit = 10**fmt.digits - 1
    for value, what in ((first, "起始号"), (last, "终止号")):
        if not isinstance(value, int) or not 0 <= value <= limit:
            raise InvalidInput(f"{what}应为 0–{limit} 之间的整数（{fmt.digits} 位数字）", field="range")
    if first > last:
        raise InvalidInput(f"起始号 {first} 大于终止号 {last}", field="range")
    if last - first + 1 > MAX_RANGE:
        raise InvalidInput(
            f"一次最多入库 {MAX_RANGE} 份，本次为 {last - first + 1} 份，请核对号段", field="range"
        )
    received_on = received_on or clock.local_today()
    if received_on > clock.local_today():
        raise InvalidInput(f"入库日期 {received_on} 晚于今天", field="received_on")

    def work() -> BatchView:
        overlap = (
            CertificateBatch.select()
            .where(
                (CertificateBatch.prefix == prefix)
                & (CertificateBatch.digits == fmt.digits)
                & (CertificateBatch.first_number <= last)
                & (CertificateBatch.last_number >= first)
            )
            .first()
        )
        if overlap is not None:
            a, b = fmt.format(prefix, overlap.first_number), fmt.format(prefix, overlap.last_number)
            raise Refused(f"号段与已入库的 {a}–{b}（{overlap.received_on} 入库）重叠，不能重复入库")
        batch = CertificateBatch.create(
            prefix=prefix,
            first_number=first,
            last_number=last,
            digits=fmt.digits,
            received_on=received_on,
            received_by=actor.staff.id,
            note=note.strip(),
        )
        now = clock.utcnow()
        rows = [
            {"serial": fmt.format(prefix, n), "batch": batch.id, "state": ON_HAND, "updated_at": now}
            for n in range(first, last + 1)
        ]
        for start in range(0, len(rows), 500):
            CertificateForm.insert_many(rows[start : start + 500]).execute()
        audit.record(
            actor,
            "certificate.receive",
            "certificate_batch",
            batch.id,
            after={
                "from": rows[0]["serial"],
                "to": rows[-1]["serial"],
                "count": len(rows),
                "received_on": received_on,
            },
        )
        return _batch_view(batch)

    return run_in_transaction(work)


def _batch_view(batch: CertificateBatch) -> BatchView:
    return BatchView(
        id=batch.id,
        prefix=batch.prefix,
        first_serial=f"{batch.prefix}{batch.first_number:0{batch.digits}d}",
        last_serial=f"{batch.prefix}{batch.last_number:0{batch.digits}d}",
        count=batch.last_number - batch.first_number + 1,
        received_on=_as_date(batch.received_on),
        received_by=Staff.get_by_id(batch.received_by_id).full_name,
        note=batch.note,
    )


def list_batches() -> list[BatchView]:
    return [_batch_view(b) for b in CertificateBatch.select().order_by(CertificateBatch.id)]


def _range_serials(first_serial: str, last_serial: str) -> list[str]:
    p1, n1, d1 = split_serial(first_serial)
    p2, n2, d2 = split_serial(last_serial)
    if (p1, d1) != (p2, d2):
        raise InvalidInput(f"号段首尾格式不一致：{first_serial} 与 {last_serial}", field="range")
    if n1 > n2:
        raise InvalidInput(f"起始编号 {first_serial} 大于终止编号 {last_serial}", field="range")
    if n2 - n1 + 1 > MAX_RANGE:
        raise InvalidInput(f"一次最多处理 {MAX_RANGE} 份", field="range")
    return [f"{p1}{n:0{d1}d}" for n in range(n1, n2 + 1)]


def assign(actor: Actor, first_serial: str, last_serial: str, desk: str) -> int:
    """Hand on-hand forms ``first``…``last`` to ``desk`` (or back to the store room with desk '')."""
    require(actor, "certificate.stock")
    desk = (desk or "").strip()
    if len(desk) > 64:
        raise InvalidInput("服务台名称不超过 64 个字符", field="desk")
    serials = _range_serials(first_serial, last_serial)

    def work() -> int:
        forms = list(CertificateForm.select().where(CertificateForm.serial.in_(serials)))
        found = {f.serial for f in forms}
        missing = [s for s in serials if s not in found]
        if missing:
            raise NotFound(f"以下编号未入库：{'、'.join(compress_serials(missing)[:5])}")
        busy = [f.serial for f in forms if f.state != ON_HAND]
        if busy:
            raise Refused(f"以下证件已不在库存中，不能分配：{'、'.join(compress_serials(busy)[:5])}")
        CertificateForm.update(desk=desk or None, updated_at=clock.utcnow()).where(
            CertificateForm.serial.in_(serials) & (CertificateForm.state == ON_HAND)
        ).execute()
        audit.record(
            actor,
            "certificate.assign",
            "certificate_form",
            f"{serials[0]}–{serials[-1]}",
            before={"desks": sorted({f.desk or "" for f in forms})},
            after={"desk": desk, "count": len(serials)},
        )
        return len(serials)

    return run_in_transaction(work)


def void_form(actor: Actor, serial: str, reason: str, approver: Actor) -> FormView:
    """Void a misprinted or damaged form (on hand, or issued but unusable) with a supervisor's approval.

    ``approver`` is an authenticated supervisor (may be ``actor`` itself when the actor holds the
    permission); the desk records, the supervisor answers for it.
    """
    if not (actor and (actor.can("certificate.issue") or actor.can("certificate.stock"))):
        require(actor, "certificate.issue")
    require(approver, "certificate.void")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput("请填写作废原因（如“打印错位”“污损”）", field="reason")
    normalized = normalize_serial(serial)

    def work() -> FormView:
        form = _form(normalized)
        if form.state not in (ON_HAND, ISSUED):
            raise Refused(f"证件 {form.serial} 当前为“{STATE_LABELS[form.state]}”，不能作废")
        changed = (
            CertificateForm.update(
                state=VOIDED,
                void_reason=reason,
                voided_at=clock.utcnow(),
                void_approved_by=approver.staff.id,
                updated_at=clock.utcnow(),
            )
            .where((CertificateForm.id == form.id) & (CertificateForm.state == form.state))
            .execute()
        )
        if changed != 1:
            raise Refused(f"证件 {form.serial} 状态刚被其他人改变，请刷新后重试")
        audit.record(
            actor,
            "certificate.void",
            "certificate_form",
            form.serial,
            before={"state": form.state},
            after={"state": VOIDED, "reason": reason, "approved_by": approver.staff.username},
        )
        return _form_view(CertificateForm.get_by_id(form.id))

    return run_in_transaction(work)


def destroy_form(actor: Actor, serial: str, destroyed_on: dt.date, witness: str) -> FormView:
    """Mark a voided form destroyed (shredded) on ``destroyed_on`` in front of ``witness``."""
    require(actor, "certificate.stock")
    witness = (witness or "").strip()
    if not witness:
        raise InvalidInput("请填写监销人", field="witness")
    if len(witness) > 64:
        raise InvalidInput("监销人不超过 64 个字符", field="witness")
    if destroyed_on > clock.local_today():
        raise InvalidInput(f"销毁日期 {destroyed_on} 晚于今天", field="destroyed_on")
    normalized = normalize_serial(serial)

    def work() -> FormView:
        form = _form(normalized)
        if form.state != VOIDED:
            raise Refused(f"证件 {form.serial} 当前为“{STATE_LABELS[form.state]}”，只有已作废的证件才能销毁")
        voided_on = clock.local_date_of(_as_datetime(form.voided_at))
        if destroyed_on < voided_on:
            raise InvalidInput(f"销毁日期 {destroyed_on} 早于作废日期 {voided_on}", field="destroyed_on")
        changed = (
            CertificateForm.update(
                state=DESTROYED, destroyed_on=destroyed_on, destroy_witness=witness, updated_at=clock.utcnow()
            )
            .where((CertificateForm.id == form.id) & (CertificateForm.state == VOIDED))
            .execute()
        )
        if changed != 1:
            raise Refused(f"证件 {form.serial} 状态刚被其他人改变，请刷新后重试")
        audit.record(
            actor,
            "certificate.destroy",
            "certificate_form",
            form.serial,
            before={"state": VOIDED},
            after={"state": DESTROYED, "destroyed_on": destroyed_on, "witness": witness},
        )
        return _form_view(CertificateForm.get_by_id(form.id))

    return run_in_transaction(work)


# --- certificate data ------------------------------------------------------------------------------------


def _text(value: Any, field_name: str, label: str, max_len: int = 64, required: bool = True) -> str:
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    text = re.sub(r"\s+", " ", text)
    if required and not text:
        raise InvalidInput(f"请填写{label}", field=field_name)
    if len(text) > max_len:
        raise InvalidInput(f"{label}不超过 {max_len} 个字符", field=field_name)
    return text


def _name(value: Any, field_name: str, label: str) -> str:
    name = _text(value, field_name, label, max_len=40)
    name = name.replace("•", "·").replace("・", "·")  # middle dot of transliterated names
    if any(ch.isdigit() for ch in name) or re.search(r"[!-/:-@\[-`{-~]", name.replace("·", "")):
        raise InvalidInput(f"{label}“{name}”含有数字或符号，请核对", field=field_name)
    return name


def _int(value: Any, field_name: str, label: str, low: int, high: int, unit: str = "") -> int:
    if isinstance(value, bool) or value is None or value == "":
        raise InvalidInput(f"请填写{label}", field=field_name)
    try:
        number = int(unicodedata.normalize("NFKC", str(value)).strip())
    except ValueError:
        raise InvalidInput(f"{label}应为整数，您填写了“{value}”", field=field_name) from None
    if not low <= number <= high:
        raise InvalidInput(f"{label}应在 {low}–{high}{unit} 之间，您填写了 {number}{unit}", field=field_name)
    return number


def _date(value: Any, field_name: str, label: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{label}“{value}”不是有效日期（格式 2026-03-05）", field=field_name) from None


def _datetime(value: Any, field_name: str, label: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    text = str(value or "").strip().replace(" ", "T")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{label}“{value}”不是有效时间（格式 2026-03-05 08:30）", field=field_name
        ) from None
    if "T" not in text:
        raise InvalidInput(f"{label}须精确到时、分（格式 2026-03-05 08:30）", field=field_name)
    return moment.replace(second=0, microsecond=0, tzinfo=None)


def _sex(value: Any, field_name: str) -> str:
    text = str(value or "").strip().upper()
    mapping = {"M": "M", "男": "M", "F": "F", "女": "F"}
    if text not in mapping:
        raise InvalidInput("性别应为“男”或“女”", field=field_name)
    return mapping[text]


def _ethnicity(value: Any, nationality: str, field_name: str, label: str) -> str:
    text = _text(value, field_name, label, max_len=16, required=nationality == "中国")
    if not text:
        return ""
    base = text[:-1] if text.endswith("族") else text
    if nationality == "中国" and base not in ETHNIC_GROUPS:
        raise InvalidInput(f"{label}“{text}”不是我国 56 个民族之一，请核对", field=field_name)
    return base + "族" if base in ETHNIC_GROUPS else text


def _age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _parent(raw: Any, who: str, label: str, birth_day: dt.date, low: int, high: int) -> dict[str, Any]:
    raw = raw if isinstance(raw, Mapping) else {}
    nationality = _text(raw.get("nationality") or "中国", f"{who}.nationality", f"{label}国籍", max_len=32)
    if nationality in ("中华人民共和国", "CN", "CHN"):
        nationality = "中国"
    name = _name(raw.get("name"), f"{who}.name", f"{label}姓名")
    age = _int(raw.get("age"), f"{who}.age", f"{label}年龄", low, high, " 岁")
    id_type = str(raw.get("id_type") or ID_RESIDENT)
    if id_type not in ID_TYPE_LABELS or id_type == ID_NONE:
        raise InvalidInput(f"{label}证件类型“{id_type}”无效", field=f"{who}.id_type")
    try:
        id_number = validate_id(id_type, raw.get("id_number"))
    except InvalidInput as exc:
        raise InvalidInput(f"{label}{exc.message}", field=f"{who}.id_number") from None
    if id_type in GB11643_TYPES:
        born, _sex_of_id = derive_birth_and_sex(id_type, id_number)
        assert born is not None
        expected = _age_on(born, birth_day)
        if expected != age:
            raise InvalidInput(
                f"{label}年龄与证件号码不符：按证件，新生儿出生时{label}为 {expected} 岁，填写的是 {age} 岁",
                field=f"{who}.age",
            )
    return {
        "name": name,
        "age": age,
        "nationality": nationality,
        "ethnicity": _ethnicity(raw.get("ethnicity"), nationality, f"{who}.ethnicity", f"{label}民族"),
        "id_type": id_type,
        "id_number": id_number,
    }


def _blank(raw: Any) -> bool:
    return not isinstance(raw, Mapping) or not any(str(v or "").strip() for v in raw.values())


def validate_data(raw: Mapping[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """Check and normalise every field of a certificate; raise InvalidInput naming the first bad field.

    Shape (input and output)::

        {"newborn": {"name", "sex": "M"|"F"|"男"|"女", "birth_time": "2026-03-05 08:30",
                     "gestational_weeks": 20–45, "weight_g", "length_cm", "health": 良好|一般|差,
                     "birthplace": {"province", "city", "county"}},
         "mother": {"name", "age", "nationality", "ethnicity", "id_type", "id_number"},
         "father": {... same; may be left out or blank when not recorded},
         "institution": "…", "issued_on": "2026-03-06"}
    """
    today = today or clock.local_today()
    newborn = raw.get("newborn") if isinstance(raw.get("newborn"), Mapping) else {}
    assert isinstance(newborn, Mapping)
    birth_time = _datetime(newborn.get("birth_time"), "newborn.birth_time", "出生时间")
    if birth_time.date() > today:
        raise InvalidInput(f"出生时间 {birth_time:%Y-%m-%d %H:%M} 晚于今天", field="newborn.birth_time")
    place = newborn.get("birthplace")
    if isinstance(place, str):
        place = {"province": place}
    place = place if isinstance(place, Mapping) else {}
    out_newborn = {
        "name": _name(newborn.get("name"), "newborn.name", "新生儿姓名"),
        "sex": _sex(newborn.get("sex"), "newborn.sex"),
        "birth_time": birth_time.strftime("%Y-%m-%d %H:%M"),
        "gestational_weeks": _int(
            newborn.get("gestational_weeks"), "newborn.gestational_weeks", "出生孕周", 20, 45, " 周"
        ),
        "weight_g": _int(newborn.get("weight_g"), "newborn.weight_g", "出生体重", 200, 8000, " 克"),
        "length_cm": _int(newborn.get("length_cm"), "newborn.length_cm", "出生身长", 20, 70, " 厘米"),
        "health": _text(newborn.get("health"), "newborn.health", "健康状况", 4),
        "birthplace": {
            "province": _text(place.get("province"), "newborn.birthplace.province", "出生地点（省）", 20),
            "city": _text(place.get("city"), "newborn.birthplace.city", "出生地点（市）", 20),
            "county": _text(
                place.get("county"), "newborn.birthplace.county", "出生地点（县/区）", 20, required=False
            ),
        },
    }
    if out_newborn["health"] not in HEALTH_VALUES:
        raise InvalidInput(f"健康状况应为 {'、'.join(HEALTH_VALUES)} 之一", field="newborn.health")
    day = birth_time.date()
    data: dict[str, Any] = {
        "newborn": out_newborn,
        "mother": _parent(raw.get("mother"), "mother", "母亲", day, 12, 60),
        "father": None
        if _blank(raw.get("father"))
        else _parent(raw.get("father"), "father", "父亲", day, 14, 99),
        "institution": _text(raw.get("institution"), "institution", "接生机构名称", 64),
    }
    issued_on = _date(raw.get("issued_on") or today, "issued_on", "签发日期")
    if issued_on > today:
        raise InvalidInput(f"签发日期 {issued_on} 晚于今天", field="issued_on")
    if issued_on < day:
        raise InvalidInput(f"签发日期 {issued_on} 早于出生日期 {day}", field="issued_on")
    data["issued_on"] = issued_on.isoformat()
    return data


def print_values(data: Mapping[str, Any], serial: str = "") -> dict[str, str]:
    """The validated data as the strings printed in each box of the form (keys used by the layout)."""
    nb = data["newborn"]
    born = dt.datetime.fromisoformat(nb["birth_time"])
    issued = dt.date.fromisoformat(data["issued_on"])
    values = {
        "serial": serial,
        "newborn.name": nb["name"],
        "newborn.sex": "男" if nb["sex"] == "M" else "女",
        "newborn.birth.year": str(born.year),
        "newborn.birth.month": str(born.month),
        "newborn.birth.day": str(born.day),
        "newborn.birth.hour": str(born.hour),
        "newborn.birth.minute": str(born.minute),
        "newborn.gestational_weeks": str(nb["gestational_weeks"]),
        "newborn.weight_g": str(nb["weight_g"]),
        "newborn.length_cm": str(nb["length_cm"]),
        "newborn.health": nb["health"],
        "newborn.birthplace.province": nb["birthplace"]["province"],
        "newborn.birthplace.city": nb["birthplace"]["city"],
        "newborn.birthplace.county": nb["birthplace"]["county"],
        "institution": data["institution"],
        "issued.year": str(issued.year),
        "issued.month": str(issued.month),
        "issued.day": str(issued.day),
    }
    for who in ("mother", "father"):
        parent = data.get(who) or {}
        for key in ("name", "age", "nationality", "ethnicity", "id_number"):
            value = parent.get(key, "")
            values[f"{who}.{key}"] = "" if value is None else str(value)
    return values


def draft_from_episode(episode_id: int) -> dict[str, Any]:
    """A partly filled data dict from the child's and parents' records, for the issue screen."""
    episode = _child_episode(episode_id)
    child: Client = episode.client
    day = episode.birth_date or child.birth_date
    draft: dict[str, Any] = {
        "newborn": {"name": child.name, "sex": child.sex},
        "institution": settings.institution_name(),
        "issued_on": clock.local_today().isoformat(),
    }
    if day:
        draft["newborn"]["birth_time"] = _as_date(day).isoformat()
    for who, kind in (("mother", "mother_child"), ("father", "father_child")):
        parent = _linked_parent(child, kind)
        if parent is None:
            continue
        entry: dict[str, Any] = {
            "name": parent.name,
            "nationality": parent.nationality or "中国",
            "ethnicity": parent.ethnicity,
            "id_type": parent.id_type,
            "id_number": parent.id_number or "",
        }
        if parent.birth_date and day:
            entry["age"] = _age_on(_as_date(parent.birth_date), _as_date(day))
        draft[who] = entry
    return draft


def _linked_parent(child: Client, kind: str) -> Client | None:
    link = (
        FamilyLink.select()
        .where(
            (FamilyLink.kind == kind)
            & ((FamilyLink.to_client == child.id) | (FamilyLink.from_client == child.id))
        )
        .first()
    )
    if link is None:
        return None
    other = link.from_client_id if link.to_client_id == child.id else link.to_client_id
    return Client.get_by_id(other)


def _child_episode(episode_id: int) -> Episode:
    # a huge typed id is no row (SQLite would overflow)
    episode = Episode.get_or_none(Episode.id == episode_id) if 0 < episode_id < 2**62 else None
    if episode is None:
        raise NotFound(f"没有编号为 {episode_id} 的服务周期")
    if episode.kind != "child":
        raise Refused(f"服务周期 {episode_id} 不是新生儿（儿童）周期，不能签发出生医学证明")
    return episode


def _check_against_episode(episode: Episode, data: Mapping[str, Any]) -> None:
    child: Client = episode.client
    nb = data["newborn"]
    if child.sex in ("M", "F") and nb["sex"] != child.sex:
        raise InvalidInput(
            f"新生儿性别与登记信息不符：登记为{'男' if child.sex == 'M' else '女'}", field="newborn.sex"
        )
    registered = episode.birth_date or child.birth_date
    born = dt.datetime.fromisoformat(nb["birth_time"]).date()
    if registered and _as_date(registered) != born:
        raise InvalidInput(
            f"出生日期与登记信息不符：登记为 {_as_date(registered)}", field="newborn.birth_time"
        )


# --- issuance -----------------------------------------------------------------------------------------------


def issue(
    actor: Actor,
    episode_id: int,
    kind: str,
    data: Mapping[str, Any],
    *,
    desk: str | None = None,
    serial: str | None = None,
    reason: str = "",
) -> CertificateView:
    """Issue a certificate for a child episode on the next on-hand form of ``desk`` (default: the
    actor's workstation) or on ``serial``.

    ``first`` is refused while the episode holds a valid certificate; ``reissue`` (lost) and
    ``replace`` (damaged / corrected) need one, supersede it and require a reason.
    """
    require(actor, "certificate.issue")
    if kind not in KIND_LABELS:
        raise InvalidInput(
            f"签发类型应为 {'、'.join(f'{k}（{v}）' for k, v in KIND_LABELS.items())}", field="kind"
        )
    reason = (reason or "").strip()
    if kind != FIRST and len(reason) < 2:
        raise InvalidInput(f"{KIND_LABELS[kind]}须填写原因", field="reason")
    clean = validate_data(data)
    desk = (desk or actor.workstation).strip()
    wanted = normalize_serial(serial) if serial else None

    def work() -> CertificateView:
        episode = _child_episode(episode_id)
        if is_postgres():  # serialise issues for one child: two desks must not both issue a first one
            Episode.select().where(Episode.id == episode.id).for_update().get()
        _check_against_episode(episode, clean)
        current = current_certificate(episode.id)
        if kind == FIRST and current is not None:
            raise Refused(
                f"该新生儿已有出生医学证明 {current.serial}（{current.issued_on} 签发）；遗失请补发，损坏或更正请换发"
            )
        if kind != FIRST and current is None:
            raise Refused(f"该新生儿尚无有效的出生医学证明，不能{KIND_LABELS[kind]}，请首次签发")
        form = _take_form(desk, wanted)
        cert = BirthCertificate.create(
            form=form.id,
            episode=episode.id,
            kind=kind,
            reason=reason,
            replaces=None if current is None or kind == FIRST else current.id,
            data=json.dumps(clean, ensure_ascii=False, sort_keys=True),
            issued_on=dt.date.fromisoformat(clean["issued_on"]),
            issued_at=clock.utcnow(),
            issued_by=actor.staff.id,
        )
        audit.record(
            actor,
            "certificate.issue",
            "birth_certificate",
            cert.id,
            after={
                "serial": form.serial,
                "episode": episode.id,
                "kind": kind,
                "reason": reason,
                "replaces": current.serial if current and kind != FIRST else None,
                "desk": desk,
            },
        )
        return _certificate_view(BirthCertificate.get_by_id(cert.id))

    return run_in_transaction(work)


def _take_form(desk: str, wanted: str | None) -> CertificateForm:
    """Claim one on-hand form with a conditional UPDATE so two desks never print on the same serial."""
    if wanted:
        form = _form(wanted)
        if form.state != ON_HAND:
            raise Refused(f"证件 {form.serial} 当前为“{STATE_LABELS[form.state]}”，不能用于签发")
        if form.desk and form.desk != desk:
            raise Refused(f"证件 {form.serial} 已分配给 {form.desk}，不在本台（{desk}）")
        candidates = [form]
    else:
        candidates = list(
            CertificateForm.select()
            .where((CertificateForm.state == ON_HAND) & (CertificateForm.desk == desk))
            .order_by(CertificateForm.serial)
            .limit(5)
        )
        if not candidates:
            raise Refused(f"本台（{desk}）没有可用的空白出生医学证明，请先由库管分配号段")
    for form in candidates:
        claimed = (
            CertificateForm.update(state=ISSUED, updated_at=clock.utcnow())
            .where((CertificateForm.id == form.id) & (CertificateForm.state == ON_HAND))
            .execute()
        )
        if claimed == 1:
            return CertificateForm.get_by_id(form.id)
    raise Refused("空白证件刚被其他操作占用，请重试")


def next_serial(desk: str) -> str | None:
    """The serial the next issue at ``desk`` will consume (to show before printing), or None."""
    form = (
        CertificateForm.select()
        .where((CertificateForm.state == ON_HAND) & (CertificateForm.desk == desk))
        .order_by(CertificateForm.serial)
        .first()
    )
    return form.serial if form else None


def record_print(actor: Actor, serial: str, preview: bool = False) -> CertificateView:
    """The certificate to print; an audit event says who printed it where (full identity is on it)."""
    require(actor, "certificate.issue")
    view = get_certificate(serial)
    if not preview and not view.valid:
        raise Refused(f"证件 {view.serial} 已作废，不能打印")
    with database.atomic():
        audit.record(
            actor,
            "certificate.print",
            "birth_certificate",
            view.id,
            after={"serial": view.serial, "preview": preview},
        )
    return view


# --- printer calibration --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """Where the printer really puts a point asked for at (x, y): positive dx right, positive dy down."""

    dx_mm: float = 0.0
    dy_mm: float = 0.0


def get_calibration(printer: str) -> Calibration:
    row = Setting.get_or_none(Setting.key == CALIBRATION_KEY + printer)
    if row is None:
        return Calibration()
    value = json.loads(row.value)
    return Calibration(float(value["dx_mm"]), float(value["dy_mm"]))


def check_offsets(dx_mm: float, dy_mm: float) -> Calibration:
    for value, what in ((dx_mm, "水平"), (dy_mm, "垂直")):
        if not -MAX_OFFSET_MM <= value <= MAX_OFFSET_MM:
            raise InvalidInput(
                f"{what}偏移 {value} 毫米超出 ±{MAX_OFFSET_MM:g} 毫米，请检查进纸位置", field="offset"
            )
    return Calibration(round(float(dx_mm), 1), round(float(dy_mm), 1))


def set_calibration(actor: Actor, printer: str, dx_mm: float, dy_mm: float) -> Calibration:
    require(actor, "certificate.issue")
    printer = (printer or "").strip()
    if not printer or len(CALIBRATION_KEY + printer) > 100:
        raise InvalidInput("请填写打印机名称（不超过 70 个字符）", field="printer")
    calibration = check_offsets(dx_mm, dy_mm)
    before = get_calibration(printer)
    key, value = CALIBRATION_KEY + printer, json.dumps(asdict(calibration))
    with database.atomic():
        if Setting.update(value=value).where(Setting.key == key).execute() == 0:
            Setting.create(key=key, value=value)
        audit.record(actor, "certificate.calibrate", "setting", key, asdict(before), asdict(calibration))
    return calibration


# --- stock report and statistics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Life:
    """One form's history as local dates (None: not happened)."""

    serial: str
    received: dt.date
    issued: dt.date | None
    voided: dt.date | None
    destroyed: dt.date | None

    def state_on(self, day: dt.date) -> str | None:
        if self.received > day:
            return None
        if self.destroyed and self.destroyed <= day:
            return DESTROYED
        if self.voided and self.voided <= day:
            return VOIDED
        if self.issued and self.issued <= day:
            return ISSUED
        return ON_HAND


@dataclass
class StockReport:
    """Blank-form accounts for local days ``date_from``…``date_to``.

    ``opening``/``closing`` partition every serial received by the day before / the last day into
    states; ``movements`` lists serials received, issued, voided and destroyed within the period.
    ``received_total`` comes from the receiving batches (not from the form rows), so a lost or
    extra row shows as ``balanced == False``.
    """

    date_from: dt.date
    date_to: dt.date
    received_total: int
    opening: dict[str, list[str]] = field(default_factory=dict)
    closing: dict[str, list[str]] = field(default_factory=dict)
    movements: dict[str, list[str]] = field(default_factory=dict)
    on_hand_by_desk: dict[str, int] = field(default_factory=dict)  # current, '' = store room

    def count(self, part: dict[str, list[str]]) -> dict[str, int]:
        return {state: len(part.get(state, [])) for state in STATES}

    @property
    def balanced(self) -> bool:
        return self.received_total == sum(len(v) for v in self.closing.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "received_total": self.received_total,
            "balanced": self.balanced,
            "opening": self.count(self.opening),
            "closing": self.count(self.closing),
            "movements": {k: len(v) for k, v in self.movements.items()},
            "closing_serials": {k: compress_serials(v) for k, v in self.closing.items()},
            "movement_serials": {k: compress_serials(v) for k, v in self.movements.items()},
            "on_hand_by_desk": self.on_hand_by_desk,
        }


def _lives(until: dt.date) -> list[_Life]:
    issued = {
        row.form_id: clock.local_date_of(_as_datetime(row.issued_at))
        for row in BirthCertificate.select(BirthCertificate.form, BirthCertificate.issued_at)
    }
    query = (
        CertificateForm.select(CertificateForm, CertificateBatch)
        .join(CertificateBatch)
        .where(CertificateBatch.received_on <= until)
        .order_by(CertificateForm.serial)
    )
    return [
        _Life(
            serial=f.serial,
            received=_as_date(f.batch.received_on),
            issued=issued.get(f.id),
            voided=clock.local_date_of(_as_datetime(f.voided_at)) if f.voided_at else None,
            destroyed=_as_date(f.destroyed_on) if f.destroyed_on else None,
        )
        for f in query
    ]


def stock_report(date_from: dt.date, date_to: dt.date) -> StockReport:
    if date_from > date_to:
        raise InvalidInput(f"开始日期 {date_from} 晚于结束日期 {date_to}", field="period")
    total = (
        CertificateBatch.select(
            pw.fn.COALESCE(pw.fn.SUM(CertificateBatch.last_number - CertificateBatch.first_number + 1), 0)
        )
        .where(CertificateBatch.received_on <= date_to)
        .scalar()
    )
    report = StockReport(date_from, date_to, int(total))
    report.opening = {s: [] for s in STATES}
    report.closing = {s: [] for s in STATES}
    report.movements = {"received": [], ISSUED: [], VOIDED: [], DESTROYED: []}
    day_before = date_from - dt.timedelta(days=1)
    for life in _lives(date_to):
        before = life.state_on(day_before)
        if before:
            report.opening[before].append(life.serial)
        after = life.state_on(date_to)
        assert after is not None
        report.closing[after].append(life.serial)
        for name, day in (
            ("received", life.received),
            (ISSUED, life.issued),
            (VOIDED, life.voided),
            (DESTROYED, life.destroyed),
        ):
            if day and date_from <= day <= date_to:
                report.movements[name].append(life.serial)
    rows = (
        CertificateForm.select(CertificateForm.desk, pw.fn.COUNT(CertificateForm.id).alias("n"))
        .where(CertificateForm.state == ON_HAND)
        .group_by(CertificateForm.desk)
    )
    report.on_hand_by_desk = {row.desk or "": row.n for row in rows}
    return report


@dataclass
class UsageStats:
    """One year's usage by local month (1–12): received, issued by kind, voided, destroyed."""

    year: int
    months: dict[int, dict[str, int]]
    void_reasons: dict[str, int]

    @property
    def totals(self) -> dict[str, int]:
        keys = next(iter(self.months.values())).keys()
        return {k: sum(m[k] for m in self.months.values()) for k in keys}

    @property
    def void_rate_permille(self) -> int:
        """Voided per thousand forms used (issued + voided), rounded half up — integer, no float."""
        t = self.totals
        used = t["issued"] + t["voided"]
        return (t["voided"] * 2000 + used) // (2 * used) if used else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "months": {str(k): v for k, v in self.months.items()},
            "totals": self.totals,
            "void_rate_permille": self.void_rate_permille,
            "void_reasons": self.void_reasons,
        }


def annual_usage(year: int) -> UsageStats:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    keys = ("received", "issued", FIRST, REISSUE, REPLACE, "voided", "destroyed")
    months = {m: dict.fromkeys(keys, 0) for m in range(1, 13)}
    for batch in CertificateBatch.select().where(CertificateBatch.received_on.between(first, last)):
        months[_as_date(batch.received_on).month]["received"] += batch.last_number - batch.first_number + 1
    start, end = clock.local_day_bounds_utc(first, last)
    certs = BirthCertificate.select(BirthCertificate.kind, BirthCertificate.issued_at).where(
        (BirthCertificate.issued_at >= start) & (BirthCertificate.issued_at < end)
    )
    for cert in certs:
        month = months[clock.local_date_of(_as_datetime(cert.issued_at)).month]
        month["issued"] += 1
        month[cert.kind] += 1
    reasons: dict[str, int] = {}
    voided = CertificateForm.select().where(
        (CertificateForm.voided_at >= start) & (CertificateForm.voided_at < end)
    )
    for form in voided:
        months[clock.local_date_of(_as_datetime(form.voided_at)).month]["voided"] += 1
        reasons[form.void_reason or ""] = reasons.get(form.void_reason or "", 0) + 1
    for form in CertificateForm.select().where(CertificateForm.destroyed_on.between(first, last)):
        months[_as_date(form.destroyed_on).month]["destroyed"] += 1
    return UsageStats(year, months, dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))))
