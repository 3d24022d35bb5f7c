"""Birth certificate data (证件内容): field-by-field validation, the strings printed in each box, and
the draft filled in from the child's and parents' records.

Every check raises InvalidInput naming the field (``details['field']``, e.g. ``mother.age``) so a
screen can put the cursor there. Separate from the stock services in models/certificates.py: it
never touches blank forms, only what is written on them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from models import clock, settings
from models.certificate_states import as_date
from models.errors import InvalidInput, NotFound, Refused
from models.identity import (
    GB11643_TYPES,
    ID_NONE,
    ID_RESIDENT,
    ID_TYPE_LABELS,
    derive_birth_and_sex,
    validate_id,
)
from models.schema import Client, Episode, FamilyLink

HEALTH_VALUES = ("良好", "一般", "差")

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


def _place(name: str, suffixes: str) -> str:
    """A place name without the suffix the form prints after its box: 湖南省 → 湖南 (the form
    reads 湖南 省, not 湖南省省), 长沙市 → 长沙, 天心区 → 天心. A name that would be left with one
    character (such as 沙市) keeps its suffix."""
    if len(name) > 2 and name[-1] in suffixes:
        return name[:-1]
    return name


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
            "province": _place(
                _text(place.get("province"), "newborn.birthplace.province", "出生地点（省）", 20), "省"
            ),
            "city": _place(_text(place.get("city"), "newborn.birthplace.city", "出生地点（市）", 20), "市"),
            "county": _place(
                _text(
                    place.get("county"), "newborn.birthplace.county", "出生地点（县/区）", 20, required=False
                ),
                "县区",
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
        draft["newborn"]["birth_time"] = as_date(day).isoformat()
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
            entry["age"] = _age_on(as_date(parent.birth_date), as_date(day))
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
    if registered and as_date(registered) != born:
        raise InvalidInput(
            f"出生日期与登记信息不符：登记为 {as_date(registered)}", field="newborn.birth_time"
        )
