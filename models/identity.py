"""Identity documents and mobile numbers: normalise what was typed, validate, derive facts.

Resident ID numbers (GB 11643) and the Hong Kong/Macao/Taiwan residence permits share one
format: 6-digit region, 8-digit birth date, 3-digit sequence (odd = male, even = female) and an
ISO 7064 MOD 11-2 check character (0-9 or X). The permits use region 810000 (Hong Kong),
820000 (Macao) or 830000 (Taiwan). Old 15-digit resident IDs (2-digit year, no check
character) are still met on paper and are upgraded to 18.

Everything here is pure: no database, no Qt. Errors are :class:`InvalidInput` with a message
the desk can show as it is.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from stdnum.cn import ric

from models.clock import local_today
from models.errors import InvalidInput

Sex = Literal["F", "M"]

ID_RESIDENT = "resident"
ID_HKMO = "hkmo"
ID_TW = "tw"
ID_PASSPORT = "passport"
ID_FOREIGN_PR = "foreign_pr"
ID_NONE = "none"

ID_TYPE_LABELS: dict[str, str] = {
    ID_RESIDENT: "居民身份证",
    ID_HKMO: "港澳居民居住证",
    ID_TW: "台湾居民居住证",
    ID_PASSPORT: "护照",
    ID_FOREIGN_PR: "外国人永久居留身份证",
    ID_NONE: "暂无证件（新生儿）",
}

SEX_LABELS: dict[str, str] = {"F": "女", "M": "男"}

# The ID types whose number encodes birth date and sex (GB 11643 layout).
GB11643_TYPES = frozenset({ID_RESIDENT, ID_HKMO, ID_TW})

_PERMIT_PREFIXES: dict[str, dict[str, str]] = {
    ID_HKMO: {"810000": "香港", "820000": "澳门"},
    ID_TW: {"830000": "台湾"},
}
_ALL_PERMIT_PREFIXES = {p for prefixes in _PERMIT_PREFIXES.values() for p in prefixes}

# Province-level codes of GB/T 2260 under which resident ID numbers are issued. A number whose
# first two digits are not one of these cannot be real even if its check character fits.
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
)

# GB 11643 itself uses a person born in 1880 as its example; anything earlier is a typo.
_EARLIEST_BIRTH = dt.date(1850, 1, 1)

_GB11643_SHAPE = re.compile(r"^\d{17}[\dX]$")
_PASSPORT_SHAPE = re.compile(r"^[A-Z0-9]{5,20}$")
_FOREIGN_PR_SHAPE = re.compile(r"^(?:[A-Z0-9]{15}|[A-Z0-9]{18})$")
_MOBILE_SHAPE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_.·()]")


@dataclass(frozen=True)
class ResidentId:
    """A validated GB 11643 number and what it says about its holder."""

    number: str  # 18 characters, upper-case X
    birth_date: dt.date
    sex: Sex
    region_code: str  # first 6 digits
    upgraded: bool = False  # True when typed in the legacy 15-digit form


def _halfwidth(text: str) -> str:
    """Full-width letters/digits/spaces to their ASCII forms (NFKC does exactly this)."""
    return unicodedata.normalize("NFKC", text)


def normalize_id_number(id_type: str, text: str | None) -> str:
    """Full-width to half-width, all whitespace removed, letters upper-cased (x -> X).

    ``id_type`` is accepted so that a later type-specific rule has a home; every type
    currently normalises the same way.
    """
    if not text:
        return ""
    return "".join(ch for ch in _halfwidth(text) if not ch.isspace()).upper()


def _check_char(body17: str) -> str:
    # stdnum's function expects the full number and ignores its last character.
    return ric.calc_check_digit(body17 + "0")


def _birth_date(number: str, what: str) -> dt.date:
    y, m, d = number[6:10], number[10:12], number[12:14]
    try:
        born = dt.date(int(y), int(m), int(d))
    except ValueError:
        raise InvalidInput(f"{what}中的出生日期 {y}-{m}-{d} 不存在，请核对", field="id_number") from None
    if born < _EARLIEST_BIRTH:
        raise InvalidInput(f"{what}中的出生日期 {born.isoformat()} 不可能，请核对", field="id_number")
    if born > local_today():
        raise InvalidInput(f"{what}中的出生日期 {born.isoformat()} 晚于今天，请核对", field="id_number")
    return born


def _validate_gb11643(text: str | None, what: str, allow_legacy: bool) -> ResidentId:
    """Shared routine for resident IDs and residence permits; ``what`` names the document."""
    number = normalize_id_number(ID_RESIDENT, text)
    if not number:
        raise InvalidInput(f"请输入{what}号码", field="id_number")
    upgraded = False
    if allow_legacy and len(number) == 15:
        if not number.isdigit():
            raise InvalidInput(f"15 位旧版{what}号码只能包含数字", field="id_number")
        # Legacy numbers carry a 2-digit year; they were issued to people born in the 1900s.
        body = number[:6] + "19" + number[6:]
        number = body + _check_char(body)
        upgraded = True
    elif len(number) != 18:
        expected = "18 位（旧版为 15 位）" if allow_legacy else "18 位"
        raise InvalidInput(f"{what}号码应为 {expected}，您输入了 {len(number)} 位", field="id_number")
    if not _GB11643_SHAPE.match(number):
        raise InvalidInput(f"{what}号码只能包含数字，最后一位可以是 X", field="id_number")
    if number[17] != _check_char(number[:17]):
        raise InvalidInput(f"{what}号码校验位错误，请核对", field="id_number", typo=True)
    born = _birth_date(number, what)
    return ResidentId(
        number=number,
        birth_date=born,
        sex="M" if int(number[16]) % 2 else "F",
        region_code=number[:6],
        upgraded=upgraded,
    )


def validate_resident_id(text: str | None) -> ResidentId:
    """Validate a mainland resident ID number (18 characters, or the legacy 15 digits).

    Raises :class:`InvalidInput` for a wrong length, a wrong check character, an impossible
    or future birth date, an unknown province, or a residence-permit number typed as an ID.
    """
    rid = _validate_gb11643(text, "身份证", allow_legacy=True)
    if rid.region_code in _ALL_PERMIT_PREFIXES:
        raise InvalidInput(
            "这是港澳台居民居住证号码，请将证件类型选为“港澳居民居住证”或“台湾居民居住证”",
            field="id_type",
        )
    if rid.region_code[:2] not in _PROVINCES:
        raise InvalidInput(
            f"身份证号码前两位（省份代码）“{rid.region_code[:2]}”不存在，请核对", field="id_number"
        )
    return rid


def validate_residence_permit(id_type: str, text: str | None) -> ResidentId:
    """Validate a Hong Kong/Macao (``hkmo``) or Taiwan (``tw``) residence permit number."""
    prefixes = _PERMIT_PREFIXES[id_type]
    label = ID_TYPE_LABELS[id_type]
    rid = _validate_gb11643(text, label, allow_legacy=False)
    if rid.region_code not in prefixes:
        expected = "或".join(f"{code}（{place}）" for code, place in prefixes.items())
        raise InvalidInput(f"{label}号码应以 {expected} 开头，请核对证件类型和号码", field="id_number")
    return rid


def validate_id(id_type: str, text: str | None) -> str:
    """The normalised number for ``id_type``; raises :class:`InvalidInput` when it cannot be right.

    Resident IDs come back as 18 characters even when typed in the 15-digit form; ``none``
    (a newborn without papers yet) requires an empty number and returns ''.
    """
    if id_type not in ID_TYPE_LABELS:
        raise InvalidInput(f"未知的证件类型：{id_type}", field="id_type")
    if id_type == ID_RESIDENT:
        return validate_resident_id(text).number
    if id_type in _PERMIT_PREFIXES:
        return validate_residence_permit(id_type, text).number
    number = normalize_id_number(id_type, text)
    label = ID_TYPE_LABELS[id_type]
    if id_type == ID_NONE:
        if number:
            raise InvalidInput(f"证件类型为“{label}”时不应填写证件号码", field="id_number")
        return ""
    if not number:
        raise InvalidInput(f"请输入{label}号码", field="id_number")
    if id_type == ID_PASSPORT and not _PASSPORT_SHAPE.match(number):
        raise InvalidInput(
            f"护照号码应为 5–20 位字母或数字，您输入了 {len(number)} 位：{number}", field="id_number"
        )
    if id_type == ID_FOREIGN_PR and not _FOREIGN_PR_SHAPE.match(number):
        raise InvalidInput(
            f"外国人永久居留身份证号码应为 15 位或 18 位字母或数字，您输入了 {len(number)} 位",
            field="id_number",
        )
    return number


def derive_birth_and_sex(id_type: str, number: str | None) -> tuple[dt.date | None, Sex | None]:
    """Birth date and sex encoded in the number, or (None, None) for types that do not encode them.

    Validates the number first, so a bad number raises :class:`InvalidInput` rather than
    yielding a wrong date.
    """
    if id_type not in GB11643_TYPES:
        return None, None
    rid = (
        validate_resident_id(number) if id_type == ID_RESIDENT else validate_residence_permit(id_type, number)
    )
    return rid.birth_date, rid.sex


def check_against_typed(
    id_type: str, number: str | None, birth_date: dt.date | None, sex: str | None
) -> None:
    """Raise :class:`InvalidInput` when a typed birth date or sex contradicts the ID number.

    Values left empty (None) are not checked; the caller may fill them from
    :func:`derive_birth_and_sex` instead.
    """
    derived_birth, derived_sex = derive_birth_and_sex(id_type, number)
    document = "身份证" if id_type == ID_RESIDENT else "证件"
    if birth_date is not None and derived_birth is not None and birth_date != derived_birth:
        raise InvalidInput(
            f"出生日期与{document}号码不符：证件为 {derived_birth.isoformat()}，"
            f"填写的是 {birth_date.isoformat()}",
            field="birth_date",
        )
    if sex and derived_sex is not None and sex != derived_sex:
        raise InvalidInput(
            f"性别与{document}号码不符：证件为 {SEX_LABELS[derived_sex]}，"
            f"填写的是 {SEX_LABELS.get(sex, sex)}",
            field="sex",
        )


def normalize_phone(text: str | None) -> str:
    """Half-width, separators removed, and a +86 / 0086 / 86 country prefix dropped from a mobile.

    The prefix is only dropped when an 11-digit number starting with 1 remains, so a
    landline such as 0731-86xxxxxx is left alone.
    """
    if not text:
        return ""
    cleaned = _PHONE_SEPARATORS.sub("", _halfwidth(text))
    for prefix in ("+86", "0086", "86"):
        rest = cleaned[len(prefix) :]
        if cleaned.startswith(prefix) and len(rest) == 11 and rest.startswith("1"):
            return rest
    return cleaned


def validate_mobile(text: str | None) -> str:
    """A mainland mobile number as 11 bare digits (1[3-9]xxxxxxxxx); raises :class:`InvalidInput`."""
    number = normalize_phone(text)
    if not number:
        raise InvalidInput("请输入手机号码", field="phone")
    if not (number.isascii() and number.isdigit()):
        raise InvalidInput("手机号码只能包含数字（可带 +86 前缀）", field="phone")
    if len(number) != 11:
        raise InvalidInput(f"手机号码应为 11 位数字，您输入了 {len(number)} 位", field="phone")
    if not _MOBILE_SHAPE.match(number):
        raise InvalidInput("手机号码应以 13–19 开头，请核对", field="phone")
    return number
