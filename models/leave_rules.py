"""Maternity leave rule sets (产假规则集): finding, reading and checking the TOML files.

Kept apart from the computation in models/leave.py: this module is all about files an
administrator writes (every mistake becomes a Chinese message naming the file, rule and field),
while models/leave.py is pure arithmetic on a checked :class:`RuleSet`.

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
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from models import files
from models.errors import InvalidInput, NotFound

KINDS: dict[str, str] = {"birth": "分娩", "miscarriage": "流产"}
MODES: dict[str, str] = {
    "vaginal": "顺产",
    "caesarean": "剖宫产",
    "vacuum": "吸引产",
    "forceps": "产钳产",
    "breech": "臀位产",
}

# Condition fields: name -> (type, allowed values or None, Chinese name of the fact).
CONDITION_FIELDS: dict[str, tuple[type, tuple[Any, ...] | None, str]] = {
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
        return _parse_file(files.input_file(text, "规则文件"))
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
        if key not in CONDITION_FIELDS:
            raise where.fail(f"{at}.{key}", f"未知条件字段（可用：{'、'.join(CONDITION_FIELDS)}、any）")
        kind, allowed, _label = CONDITION_FIELDS[key]
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
