"""Maternity leave (产假) and allowance (生育津贴) computed from rule sets stored as TOML data.

A rule set is one file in ``resources/leave_rules/`` (or any path an administrator passes), so a
province's rules are added without code.  Format::

    name = "municipal_example"          # [a-z0-9_]+, how the CLI names it
    title = "…"                         # shown to people
    basis = "…"                         # the legal text quoted on the proof
    days_per_month = 30                 # allowance divisor (optional, default 30)

    [birth]                             # the base entitlement of a birth
    label = "①正常产假90天(包括产前检查15天)"
    days = 90
    prenatal_days = 15                  # part of the leave taken before the delivery date

    [[rules]]                           # additions; the label quotes the clause
    id = "one_child"
    label = "②独生子女假增加35天"
    days = 35                           # or per_extra_baby = 15 (× (babies − 1))
    group = "difficult"                 # optional: of one group only the largest applies
    when = { kind = "birth", one_child_certificate = true }

    [allowance]   label = "…"           # employer average monthly wage ÷ days_per_month × days
    [[nutrition]] id, label, percent, when   # city average monthly wage × percent; highest applies
    [spouse]      label, pay_label, days, when   # male spouse's leave, paid like the allowance

Conditions (``when``): every key must hold.  ``field = value`` tests equality, ``field = [a, b]``
membership, ``field = {min = a, below = b}`` the half-open range a ≤ field < b (either bound may be
left out), and ``any = [{…}, {…}]`` needs one sub-condition.  Fields: kind ('birth' |
'miscarriage'), mode, tear_degree, babies, mother_age_at_delivery, first_birth,
one_child_certificate, miscarriage_months.  A fact the condition needs but the caller did not give
makes the computation fail with a message naming it, unless the outcome is already decided by the
other keys (three-valued logic), so the order of keys in a file never matters.

Money: integer fen.  Allowance = wage_fen × days ÷ 30 computed exactly and rounded once, half up,
to the fen (the remainder of the integer division is printed).  Leave days are calendar days in
one run: it starts ``prenatal_days`` before the delivery date (a miscarriage: on its date); the rule
texts do not extend it for public holidays, so neither does this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from models import clock
from models.errors import InvalidInput, NotFound
from models.money import format_fen

KINDS: dict[str, str] = {"birth": "分娩", "miscarriage": "流产"}
MODES: dict[str, str] = {
    "vaginal": "顺产",
    "caesarean": "剖宫产",
    "vacuum": "吸引产",
    "forceps": "产钳产",
    "breech": "臀位产",
}
TEAR_LABELS: dict[int, str] = {0: "无", 1: "Ⅰ度", 2: "Ⅱ度", 3: "Ⅲ度", 4: "Ⅳ度"}
MAX_MISCARRIAGE_MONTHS = 10
MAX_WAGE_FEN = 10**10  # ¥100,000,000 a month: anything above is a typo
MAX_BABIES = 9

# Condition fields: name -> (type, allowed values or None, Chinese name of the fact).
_FIELDS: dict[str, tuple[type, tuple[Any, ...] | None, str]] = {
    "kind": (str, tuple(KINDS), "类别（分娩/流产）"),
    "mode": (str, tuple(MODES), "分娩方式"),
    "tear_degree": (int, None, "会阴裂伤程度"),
    "babies": (int, None, "婴儿数"),
    "mother_age_at_delivery": (int, None, "母亲分娩时年龄（请提供母亲出生日期或年龄）"),
    "first_birth": (bool, None, "是否生育第一个子女"),
    "one_child_certificate": (bool, None, "是否领取《独生子女优待证》"),
    "miscarriage_months": (int, None, "流产时怀孕满几个月"),
}
_NAME = re.compile(r"^[a-z0-9_]+$")


# ---------------------------------------------------------------- rule sets


@dataclass(frozen=True)
class Condition:
    """All ``tests`` hold and (if any) at least one of ``any_of`` holds."""

    tests: tuple[tuple[str, str, tuple[Any, ...]], ...] = ()  # (field, op 'in'|'range', args)
    any_of: tuple[Condition, ...] = ()

    def evaluate(self, values: Mapping[str, Any]) -> tuple[bool | None, set[str]]:
        """(True / False, set()) or (None, names of the missing facts that leave it undecided)."""
        results: list[bool | None] = []
        missing: set[str] = set()
        for name, op, args in self.tests:
            value = values.get(name)
            if value is None:
                results.append(None)
                missing.add(name)
            elif op == "in":
                results.append(value in args)
            else:
                low, below = args
                results.append((low is None or value >= low) and (below is None or value < below))
        if self.any_of:
            subs = [sub.evaluate(values) for sub in self.any_of]
            if any(result is True for result, _ in subs):
                results.append(True)
            elif any(result is None for result, _ in subs):
                results.append(None)
                for _result, names in subs:
                    missing |= names
            else:
                results.append(False)
        if False in results:
            return False, set()
        if None in results:
            return None, missing
        return True, set()


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    when: Condition
    days: int = 0
    per_extra_baby: int = 0
    group: str | None = None


@dataclass(frozen=True)
class NutritionTier:
    id: str
    label: str
    percent: int
    when: Condition


@dataclass(frozen=True)
class SpouseRule:
    label: str
    pay_label: str
    days: int
    when: Condition


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    basis: str
    path: Path
    birth_label: str
    birth_days: int
    prenatal_days: int
    rules: tuple[Rule, ...]
    allowance_label: str
    days_per_month: int = 30
    nutrition: tuple[NutritionTier, ...] = ()
    spouse: SpouseRule | None = None


@dataclass(frozen=True)
class RuleSetInfo:
    """One file found by :func:`list_rule_sets`; ``error`` is set (and title empty) if it is invalid."""

    name: str
    title: str
    path: Path
    error: str | None = None


class _Where:
    """Builds the Chinese error messages: file, rule id, field."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> InvalidInput:
        return InvalidInput(f"规则文件 {self.path.name}：{where}：{problem}", file=str(self.path))


def _rules_dir() -> Path:
    return Path(str(resources.files("resources.leave_rules")))


def list_rule_sets(directories: Iterable[Path] = ()) -> list[RuleSetInfo]:
    """Every ``*.toml`` in the shipped folder (and ``directories``), sorted by name; invalid files are
    listed with their error rather than hidden, so an administrator sees why a province is missing."""
    infos: list[RuleSetInfo] = []
    for folder in (_rules_dir(), *directories):
        for path in sorted(Path(folder).glob("*.toml")):
            try:
                rule_set = load_rule_set(path)
            except InvalidInput as exc:
                infos.append(RuleSetInfo(name=path.stem, title="", path=path, error=exc.message))
            else:
                infos.append(RuleSetInfo(name=rule_set.name, title=rule_set.title, path=path))
    return sorted(infos, key=lambda info: info.name)


def load_rule_set(name_or_path: str | Path, directories: Iterable[Path] = ()) -> RuleSet:
    """A rule set by name (``national``) or by file path; raises NotFound or InvalidInput (Chinese)."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(name_or_path)
        if not path.is_file():
            raise NotFound(f"找不到规则文件：{path}")
        return _parse_file(path)
    for folder in (_rules_dir(), *directories):
        path = Path(folder) / f"{text}.toml"
        if path.is_file():
            return _parse_file(path)
    names = "、".join(info.name for info in list_rule_sets(directories) if info.error is None)
    raise NotFound(f"没有名为 {text!r} 的产假规则集（现有：{names}）")


def _parse_file(path: Path) -> RuleSet:
    where = _Where(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise where.fail("文件", "不是 UTF-8 编码") from exc
    except tomllib.TOMLDecodeError as exc:
        raise where.fail("TOML 语法错误", str(exc)) from exc
    return _parse(data, path, where)


def _take(table: Mapping[str, Any], key: str, kind: type, where: _Where, at: str, default: Any = ...) -> Any:
    if key not in table:
        if default is ...:
            raise where.fail(at, f"缺少字段 {key}")
        return default
    value = table[key]
    if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise where.fail(f"{at} 字段 {key}", f"应为整数，实际为 {value!r}")
    if kind is str and (not isinstance(value, str) or not value.strip()):
        raise where.fail(f"{at} 字段 {key}", "应为非空文字")
    if kind is dict and not isinstance(value, dict):
        raise where.fail(f"{at} 字段 {key}", "应为表（table）")
    if kind is list and not isinstance(value, list):
        raise where.fail(f"{at} 字段 {key}", "应为数组（[[…]]）")
    return value


def _no_extra(table: Mapping[str, Any], allowed: set[str], where: _Where, at: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise where.fail(at, f"未知字段 {'、'.join(extra)}（允许：{'、'.join(sorted(allowed))}）")


def _days(table: Mapping[str, Any], key: str, where: _Where, at: str, low: int = 1) -> int:
    value = _take(table, key, int, where, at)
    if not low <= value <= 3650:
        raise where.fail(f"{at} 字段 {key}", f"天数 {value} 超出范围（{low}–3650）")
    return value


def _parse(data: dict[str, Any], path: Path, where: _Where) -> RuleSet:
    top = "顶层"
    _no_extra(
        data,
        {"name", "title", "basis", "days_per_month", "birth", "rules", "allowance", "nutrition", "spouse"},
        where,
        top,
    )
    name = _take(data, "name", str, where, top)
    if not _NAME.match(name):
        raise where.fail(f"{top} 字段 name", f"{name!r} 只能用小写字母、数字和下划线")
    days_per_month = _take(data, "days_per_month", int, where, top, 30)
    if not 1 <= days_per_month <= 31:
        raise where.fail(f"{top} 字段 days_per_month", f"{days_per_month} 应在 1–31 之间")

    birth = _take(data, "birth", dict, where, top)
    _no_extra(birth, {"label", "days", "prenatal_days"}, where, "[birth]")
    birth_days = _days(birth, "days", where, "[birth]")
    prenatal = _days(birth, "prenatal_days", where, "[birth]", low=0)
    if prenatal > birth_days:
        raise where.fail("[birth] 字段 prenatal_days", f"产前 {prenatal} 天多于产假 {birth_days} 天")

    rules: list[Rule] = []
    seen: set[str] = set()
    for index, table in enumerate(_take(data, "rules", list, where, top, [])):
        rule_id, at = _rule_id(table, index, "rules", where, seen)
        _no_extra(table, {"id", "label", "days", "per_extra_baby", "group", "when"}, where, at)
        if ("days" in table) == ("per_extra_baby" in table):
            raise where.fail(at, "days 与 per_extra_baby 必须有且只有一个")
        group = _take(table, "group", str, where, at, None)
        rules.append(
            Rule(
                id=rule_id,
                label=_take(table, "label", str, where, at),
                when=_condition(_take(table, "when", dict, where, at), where, f"{at} 字段 when"),
                days=_days(table, "days", where, at) if "days" in table else 0,
                per_extra_baby=_days(table, "per_extra_baby", where, at) if "per_extra_baby" in table else 0,
                group=group,
            )
        )

    allowance = _take(data, "allowance", dict, where, top)
    _no_extra(allowance, {"label"}, where, "[allowance]")

    tiers: list[NutritionTier] = []
    for index, table in enumerate(_take(data, "nutrition", list, where, top, [])):
        tier_id, at = _rule_id(table, index, "nutrition", where, seen)
        _no_extra(table, {"id", "label", "percent", "when"}, where, at)
        percent = _take(table, "percent", int, where, at)
        if not 1 <= percent <= 1000:
            raise where.fail(f"{at} 字段 percent", f"{percent} 应在 1–1000 之间")
        tiers.append(
            NutritionTier(
                id=tier_id,
                label=_take(table, "label", str, where, at),
                percent=percent,
                when=_condition(_take(table, "when", dict, where, at), where, f"{at} 字段 when"),
            )
        )

    spouse = None
    if "spouse" in data:
        table = _take(data, "spouse", dict, where, top)
        _no_extra(table, {"label", "pay_label", "days", "when"}, where, "[spouse]")
        spouse = SpouseRule(
            label=_take(table, "label", str, where, "[spouse]"),
            pay_label=_take(table, "pay_label", str, where, "[spouse]"),
            days=_days(table, "days", where, "[spouse]"),
            when=_condition(_take(table, "when", dict, where, "[spouse]"), where, "[spouse] 字段 when"),
        )

    return RuleSet(
        name=name,
        title=_take(data, "title", str, where, top),
        basis=_take(data, "basis", str, where, top),
        path=path,
        birth_label=_take(birth, "label", str, where, "[birth]"),
        birth_days=birth_days,
        prenatal_days=prenatal,
        rules=tuple(rules),
        allowance_label=_take(allowance, "label", str, where, "[allowance]"),
        days_per_month=days_per_month,
        nutrition=tuple(tiers),
        spouse=spouse,
    )


def _rule_id(table: Any, index: int, section: str, where: _Where, seen: set[str]) -> tuple[str, str]:
    if not isinstance(table, dict):
        raise where.fail(f"[[{section}]] 第 {index + 1} 条", "应为表")
    rule_id = table.get("id")
    if not isinstance(rule_id, str) or not _NAME.match(rule_id):
        raise where.fail(
            f"[[{section}]] 第 {index + 1} 条 字段 id", f"{rule_id!r} 应为小写字母、数字和下划线"
        )
    if rule_id in seen:
        raise where.fail(f"规则 {rule_id}", "id 重复")
    seen.add(rule_id)
    return rule_id, f"规则 {rule_id}"


def _condition(table: Mapping[str, Any], where: _Where, at: str) -> Condition:
    tests: list[tuple[str, str, tuple[Any, ...]]] = []
    any_of: list[Condition] = []
    for key, value in table.items():
        if key == "any":
            if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
                raise where.fail(f"{at}.any", '应为非空的条件表数组，例如 any = [{ mode = "caesarean" }]')
            any_of.extend(_condition(sub, where, f"{at}.any") for sub in value)
            continue
        if key not in _FIELDS:
            raise where.fail(f"{at}.{key}", f"未知条件字段（可用：{'、'.join(_FIELDS)}、any）")
        kind, allowed, _label = _FIELDS[key]
        if isinstance(value, dict):
            if kind is not int:
                raise where.fail(f"{at}.{key}", "只有整数字段可以写范围 {min = …, below = …}")
            _no_extra(value, {"min", "below"}, where, f"{at}.{key}")
            if not value:
                raise where.fail(f"{at}.{key}", "范围至少要写 min 或 below")
            low = _take(value, "min", int, where, f"{at}.{key}", None)
            below = _take(value, "below", int, where, f"{at}.{key}", None)
            if low is not None and below is not None and low >= below:
                raise where.fail(f"{at}.{key}", f"范围为空：min {low} ≥ below {below}")
            tests.append((key, "range", (low, below)))
            continue
        values = value if isinstance(value, list) else [value]
        if not values:
            raise where.fail(f"{at}.{key}", "取值列表为空")
        for item in values:
            if not isinstance(item, kind) or (kind is int and isinstance(item, bool)):
                raise where.fail(f"{at}.{key}", f"取值 {item!r} 类型不对（应为{_type_name(kind)}）")
            if allowed is not None and item not in allowed:
                raise where.fail(f"{at}.{key}", f"取值 {item!r} 不在 {'、'.join(allowed)} 之中")
        tests.append((key, "in", tuple(values)))
    if not tests and not any_of:
        raise where.fail(at, "条件为空")
    return Condition(tests=tuple(tests), any_of=tuple(any_of))


def _type_name(kind: type) -> str:
    return {str: "文字", int: "整数", bool: "true/false"}[kind]


# ---------------------------------------------------------------- facts and result


@dataclass(frozen=True)
class LeaveFacts:
    """The medical and wage facts of one case.  Fields that do not apply to the kind are ignored.

    ``mother_birth_date`` or ``mother_age`` (completed years at delivery) is needed only when the rule
    set has an age condition (晚育).  ``miscarriage_months`` is completed months of pregnancy.
    ``spouse`` asks for the male spouse's leave too; it is paid from
    ``spouse_employer_avg_monthly_wage_fen`` or, if that is not given, the employer wage.
    """

    kind: str
    delivery_date: dt.date
    mode: str = "vaginal"
    tear_degree: int = 0
    babies: int = 1
    mother_birth_date: dt.date | None = None
    mother_age: int | None = None
    first_birth: bool = True
    one_child_certificate: bool = False
    miscarriage_months: int | None = None
    employer_avg_monthly_wage_fen: int | None = None
    city_avg_monthly_wage_fen: int | None = None
    spouse: bool = False
    spouse_employer_avg_monthly_wage_fen: int | None = None


@dataclass(frozen=True)
class AppliedRule:
    id: str
    label: str
    days: int
    detail: str = ""  # e.g. "15 天 × 2" for per-baby rules


@dataclass(frozen=True)
class LeaveResult:
    rule_set_name: str
    rule_set_title: str
    basis: str
    facts: LeaveFacts
    mother_age_at_delivery: int | None
    applied: tuple[AppliedRule, ...]
    total_days: int
    prenatal_days: int
    start_date: dt.date
    end_date: dt.date
    days_per_month: int
    allowance_label: str
    allowance_fen: int | None
    nutrition_label: str | None
    nutrition_percent: int | None
    nutrition_fen: int | None
    spouse_label: str | None
    spouse_days: int
    spouse_pay_fen: int | None
    notes: tuple[str, ...] = ()
    arithmetic_lines: tuple[str, ...] = field(default=())  # days, dates, then money (CLI, proof)
    money_lines: tuple[str, ...] = field(default=())  # the money part of arithmetic_lines

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO text, money as integer fen."""
        out = dataclasses.asdict(self)
        out["facts"] = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in out["facts"].items()}
        out["start_date"] = self.start_date.isoformat()
        out["end_date"] = self.end_date.isoformat()
        out["applied"] = [dataclasses.asdict(rule) for rule in self.applied]
        out["notes"] = list(self.notes)
        out["arithmetic_lines"] = list(self.arithmetic_lines)
        out["money_lines"] = list(self.money_lines)
        return out


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate(facts: LeaveFacts) -> int | None:
    """Raises InvalidInput (Chinese) for impossible facts; returns the mother's age at delivery."""
    if facts.kind not in KINDS:
        raise InvalidInput(f"类别应为 birth（分娩）或 miscarriage（流产），实际为 {facts.kind!r}")
    if not isinstance(facts.delivery_date, dt.date) or isinstance(facts.delivery_date, dt.datetime):
        raise InvalidInput("请填写分娩（流产）日期")
    today = clock.local_today()
    if facts.delivery_date > today:
        raise InvalidInput(f"分娩（流产）日期 {facts.delivery_date.isoformat()} 晚于今天 {today.isoformat()}")
    if facts.kind == "birth":
        if facts.mode not in MODES:
            raise InvalidInput(f"分娩方式应为 {'、'.join(f'{k}（{v}）' for k, v in MODES.items())} 之一")
        if not _is_int(facts.tear_degree) or not 0 <= facts.tear_degree <= 4:
            raise InvalidInput(f"会阴裂伤程度应为 0–4（0 表示无裂伤），实际为 {facts.tear_degree!r}")
        if not _is_int(facts.babies) or facts.babies < 1:
            raise InvalidInput(f"婴儿数至少为 1，实际为 {facts.babies!r}")
        if facts.babies > MAX_BABIES:
            raise InvalidInput(f"婴儿数 {facts.babies} 不合理（最多 {MAX_BABIES}）")
    else:
        months = facts.miscarriage_months
        if months is None:
            raise InvalidInput("流产请填写怀孕满几个月（完整月数，不满1个月填 0）")
        if not _is_int(months) or not 0 <= months <= MAX_MISCARRIAGE_MONTHS:
            raise InvalidInput(f"怀孕月数应为 0–{MAX_MISCARRIAGE_MONTHS} 的整数，实际为 {months!r}")
    for label, wage in (
        ("单位上年度职工月平均工资", facts.employer_avg_monthly_wage_fen),
        ("上年度市职工月平均工资", facts.city_avg_monthly_wage_fen),
        ("男配偶单位人平缴费工资", facts.spouse_employer_avg_monthly_wage_fen),
    ):
        if wage is not None and (not _is_int(wage) or wage < 0):
            raise InvalidInput(f"{label}不能为负数或非整数分：{wage!r}")
        if wage is not None and wage > MAX_WAGE_FEN:
            raise InvalidInput(
                f"{label} {wage // 100:,} 元不合理（每月最多 {MAX_WAGE_FEN // 100:,} 元），请核对"
            )
    age = facts.mother_age
    if facts.mother_birth_date is not None:
        born = facts.mother_birth_date
        if born >= facts.delivery_date:
            raise InvalidInput("母亲出生日期应早于分娩日期")
        day = facts.delivery_date
        from_birth = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if age is not None and age != from_birth:
            raise InvalidInput(f"母亲年龄 {age} 岁与出生日期算出的 {from_birth} 岁不一致")
        age = from_birth
    if age is not None and (not _is_int(age) or not 10 <= age <= 65):
        raise InvalidInput(f"母亲分娩时年龄 {age!r} 岁不合理（应在 10–65 岁之间）")
    return age


def _facts_values(facts: LeaveFacts, age: int | None) -> dict[str, Any]:
    birth = facts.kind == "birth"
    return {
        "kind": facts.kind,
        "mode": facts.mode if birth else None,
        "tear_degree": facts.tear_degree if birth else None,
        "babies": facts.babies if birth else None,
        "mother_age_at_delivery": age,
        "first_birth": facts.first_birth,
        "one_child_certificate": facts.one_child_certificate,
        "miscarriage_months": None if birth else facts.miscarriage_months,
    }


def _holds(condition: Condition, values: Mapping[str, Any], what: str) -> bool:
    result, missing = condition.evaluate(values)
    if result is None:
        names = "、".join(_FIELDS[name][2] for name in sorted(missing))
        raise InvalidInput(f"判断“{what}”需要：{names}")
    return result


def divide_round_half_up(numerator: int, denominator: int) -> tuple[int, int]:
    """(rounded quotient, remainder) of a non-negative integer division, half up."""
    quotient, remainder = divmod(numerator, denominator)
    return (quotient + 1 if 2 * remainder >= denominator else quotient), remainder


def _division_line(numerator: int, denominator: int, result: int) -> str:
    quotient, remainder = divmod(numerator, denominator)
    if remainder == 0:
        return f"{numerator:,} ÷ {denominator} = {result:,} 分"
    verdict = "进一" if result > quotient else "舍去"
    return f"{numerator:,} ÷ {denominator} = {quotient:,} 余 {remainder}，四舍五入{verdict} → {result:,} 分"


def compute(rule_set: RuleSet, facts: LeaveFacts) -> LeaveResult:
    """Leave days, dates and money of one case under one rule set.  Pure: no database, no I/O."""
    age = _validate(facts)
    values = _facts_values(facts, age)
    applied: list[AppliedRule] = []
    notes: list[str] = []
    prenatal = 0
    if facts.kind == "birth":
        applied.append(AppliedRule("base", rule_set.birth_label, rule_set.birth_days))
        prenatal = rule_set.prenatal_days

    matched: list[AppliedRule] = []
    group_of: dict[str, str | None] = {}
    for rule in rule_set.rules:
        if not _holds(rule.when, values, rule.label):
            continue
        if rule.per_extra_baby:
            extra = facts.babies - 1
            if extra < 1:
                continue
            days, detail = rule.per_extra_baby * extra, f"{rule.per_extra_baby} 天 × {extra}"
        else:
            days, detail = rule.days, ""
        matched.append(AppliedRule(rule.id, rule.label, days, detail))
        group_of[rule.id] = rule.group
    for candidate in matched:
        group = group_of[candidate.id]
        rivals = [r for r in matched if group is not None and group_of[r.id] == group]
        if rivals and max(rivals, key=lambda r: r.days) is not candidate:
            best = max(rivals, key=lambda r: r.days)
            notes.append(f"“{candidate.label}”与“{best.label}”同属一项，不叠加，按天数多的一项计。")
            continue
        applied.append(candidate)

    total = sum(rule.days for rule in applied)
    if total == 0:
        raise InvalidInput(
            f"规则集“{rule_set.title}”没有适用于本情形的产假规则（{KINDS[facts.kind]}"
            + (f"，怀孕满 {facts.miscarriage_months} 个月" if facts.kind == "miscarriage" else "")
            + "）"
        )
    start = facts.delivery_date - dt.timedelta(days=prenatal)
    end = start + dt.timedelta(days=total - 1)

    lines: list[str] = []
    terms = " + ".join(str(rule.days) for rule in applied)
    lines.append(f"产假天数：{terms} = {total} 天" if len(applied) > 1 else f"产假天数：{total} 天")
    lines.append(
        f"产假起止：{start.isoformat()} 至 {end.isoformat()}"
        + (f"（含产前 {prenatal} 天；" if prenatal else "（")
        + "按自然日连续计算）"
    )

    days_lines = len(lines)
    per_month = rule_set.days_per_month
    allowance = None
    if facts.employer_avg_monthly_wage_fen is not None:
        wage = facts.employer_avg_monthly_wage_fen
        allowance, _ = divide_round_half_up(wage * total, per_month)
        lines.append(
            f"生育津贴 = 单位上年度职工月平均工资 {format_fen(wage)} ÷ {per_month} × {total} 天 = {format_fen(allowance)}"
        )
        lines.append(f"　　（{wage:,} 分 × {total} = {_division_line(wage * total, per_month, allowance)}）")
    else:
        lines.append("生育津贴：未提供单位上年度职工月平均工资，未计算")

    nutrition_tier = None
    for tier in rule_set.nutrition:
        if _holds(tier.when, values, tier.label) and (
            nutrition_tier is None or tier.percent > nutrition_tier.percent
        ):
            nutrition_tier = tier
    nutrition = None
    if nutrition_tier is not None:
        if facts.city_avg_monthly_wage_fen is not None:
            city = facts.city_avg_monthly_wage_fen
            nutrition, _ = divide_round_half_up(city * nutrition_tier.percent, 100)
            lines.append(
                f"营养补助 = 上年度市职工月平均工资 {format_fen(city)} × {nutrition_tier.percent}% = {format_fen(nutrition)}"
            )
            if (city * nutrition_tier.percent) % 100:
                lines.append(
                    f"　　（{city:,} 分 × {nutrition_tier.percent} = "
                    f"{_division_line(city * nutrition_tier.percent, 100, nutrition)}）"
                )
        else:
            lines.append(f"营养补助（{nutrition_tier.percent}%）：未提供上年度市职工月平均工资，未计算")
    elif rule_set.nutrition:
        lines.append("营养补助：本情形不符合营养补助条件")

    spouse_days, spouse_pay, spouse_label = 0, None, None
    if facts.spouse:
        rule = rule_set.spouse
        if rule is None:
            notes.append(f"规则集“{rule_set.title}”未规定男配偶假期。")
        elif not _holds(rule.when, values, rule.label):
            notes.append(f"男配偶不符合条件：{rule.label}。")
        else:
            spouse_days, spouse_label = rule.days, rule.label
            wage = facts.spouse_employer_avg_monthly_wage_fen
            if wage is None:
                wage = facts.employer_avg_monthly_wage_fen
            if wage is None:
                lines.append(f"男配偶假期 {spouse_days} 天；未提供单位人平缴费工资，工资未计算")
            else:
                spouse_pay, _ = divide_round_half_up(wage * spouse_days, per_month)
                lines.append(
                    f"男配偶假期工资 = 单位人平缴费工资 {format_fen(wage)} ÷ {per_month} × {spouse_days} 天"
                    f" = {format_fen(spouse_pay)}"
                )
                lines.append(
                    f"　　（{wage:,} 分 × {spouse_days} = "
                    f"{_division_line(wage * spouse_days, per_month, spouse_pay)}）"
                )

    return LeaveResult(
        rule_set_name=rule_set.name,
        rule_set_title=rule_set.title,
        basis=rule_set.basis,
        facts=facts,
        mother_age_at_delivery=age,
        applied=tuple(applied),
        total_days=total,
        prenatal_days=prenatal,
        start_date=start,
        end_date=end,
        days_per_month=per_month,
        allowance_label=rule_set.allowance_label,
        allowance_fen=allowance,
        nutrition_label=nutrition_tier.label if nutrition_tier else None,
        nutrition_percent=nutrition_tier.percent if nutrition_tier else None,
        nutrition_fen=nutrition,
        spouse_label=spouse_label,
        spouse_days=spouse_days,
        spouse_pay_fen=spouse_pay,
        notes=tuple(notes),
        arithmetic_lines=tuple(lines),
        money_lines=tuple(lines[days_lines:]),
    )
