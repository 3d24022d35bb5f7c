"""Maternity leave (产假) and allowance (生育津贴) computed from rule sets stored as TOML data.

The rule-set files (format, loading, checking) are in models/leave_rules.py; their public names
are re-exported here so ``leave.load_rule_set`` and ``leave.RuleSet`` keep working.

Money: integer fen.  Allowance = wage_fen × days ÷ 30 computed exactly and rounded once, half up,
to the fen (the remainder of the integer division is printed).  Leave days are calendar days in
one run: it starts ``prenatal_days`` before the delivery date (a miscarriage: on its date); the rule
texts do not extend it for public holidays, so neither does this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from models import clock
from models.errors import InvalidInput
from models.leave_rules import (
    ALLOWANCE_BASES,
    CONDITION_FIELDS,
    KINDS,
    MODES,
    Condition,
    NutritionTier,
    Rule,
    RuleSet,
    RuleSetInfo,
    SpouseRule,
    list_rule_sets,
    load_rule_set,
)
from models.money import format_fen

__all__ = [
    "KINDS",
    "MAX_BABIES",
    "MAX_MISCARRIAGE_MONTHS",
    "MAX_WAGE_FEN",
    "MODES",
    "TEAR_LABELS",
    "AppliedRule",
    "Condition",
    "LeaveFacts",
    "LeaveResult",
    "NutritionTier",
    "Rule",
    "RuleSet",
    "RuleSetInfo",
    "SpouseRule",
    "compute",
    "divide_round_half_up",
    "list_rule_sets",
    "load_rule_set",
]

TEAR_LABELS: dict[int, str] = {0: "无", 1: "Ⅰ度", 2: "Ⅱ度", 3: "Ⅲ度", 4: "Ⅳ度"}
MAX_MISCARRIAGE_MONTHS = 10
MAX_WAGE_FEN = 10**10  # ¥100,000,000 a month: anything above is a typo
MAX_BABIES = 9


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
    own_contribution_base_fen: int | None = None  # 本人生育当月缴费基数 (rule sets with that base)
    own_wage_fen: int | None = None  # 本人工资标准: the employer tops the allowance up to it
    insured_months: int | None = None  # 参加生育保险累计月数
    insured_now: bool | None = None  # 生育（流产）时仍在参保
    surgery_days: int | None = None  # 计划生育手术假: days on the surgery certificate


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
    medical_subsidy_label: str | None = None
    medical_subsidy_months: int | None = None
    medical_subsidy_fen: int | None = None
    employer_top_up_fen: int | None = None  # 差额由单位补足
    claim_deadline: dt.date | None = None
    warnings: tuple[str, ...] = ()  # e.g. the application deadline has passed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO text, money as integer fen."""
        out = dataclasses.asdict(self)
        out["facts"] = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in out["facts"].items()}
        out["start_date"] = self.start_date.isoformat()
        out["end_date"] = self.end_date.isoformat()
        out["applied"] = [dataclasses.asdict(rule) for rule in self.applied]
        out["notes"] = list(self.notes)
        out["warnings"] = list(self.warnings)
        out["claim_deadline"] = self.claim_deadline.isoformat() if self.claim_deadline else None
        out["arithmetic_lines"] = list(self.arithmetic_lines)
        out["money_lines"] = list(self.money_lines)
        return out


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate(facts: LeaveFacts) -> int | None:
    """Raises InvalidInput (Chinese) for impossible facts; returns the mother's age at delivery."""
    if facts.kind not in KINDS:
        raise InvalidInput(
            f"类别应为 birth（分娩）、miscarriage（流产）或 family_planning（计划生育手术），实际为 {facts.kind!r}"
        )
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
    elif facts.kind == "family_planning":
        days = facts.surgery_days
        if not _is_int(days) or not 1 <= days <= 180:
            raise InvalidInput(f"计划生育手术假请填写手术证明上的休假天数（1–180），实际为 {days!r}")
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
        ("本人生育当月缴费基数", facts.own_contribution_base_fen),
        ("本人工资标准", facts.own_wage_fen),
    ):
        if wage is not None and (not _is_int(wage) or wage < 0):
            raise InvalidInput(f"{label}不能为负数或非整数分：{wage!r}")
        if wage is not None and wage > MAX_WAGE_FEN:
            raise InvalidInput(
                f"{label} {wage // 100:,} 元不合理（每月最多 {MAX_WAGE_FEN // 100:,} 元），请核对"
            )
    if facts.insured_months is not None and (not _is_int(facts.insured_months) or facts.insured_months < 0):
        raise InvalidInput(f"参保月数应为非负整数，实际为 {facts.insured_months!r}")
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
        names = "、".join(CONDITION_FIELDS[name][2] for name in sorted(missing))
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
    if facts.kind == "family_planning":
        if rule_set.family_planning_label is None:
            raise InvalidInput(f"规则集“{rule_set.title}”未规定计划生育手术假")
        applied.append(
            AppliedRule("family_planning", rule_set.family_planning_label, facts.surgery_days or 0)
        )

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
    allowance, top_up, insured_lines = None, None, _insurance_lines(rule_set, facts)
    base_name = ALLOWANCE_BASES[rule_set.allowance_base]
    wage = (
        facts.own_contribution_base_fen
        if rule_set.allowance_base == "own_contribution_base"
        else facts.employer_avg_monthly_wage_fen
    )
    if insured_lines is not None:
        lines += insured_lines
    elif wage is not None:
        allowance, _ = divide_round_half_up(wage * total, per_month)
        lines.append(
            f"生育津贴 = {base_name} {format_fen(wage)} ÷ {per_month} × {total} 天 = {format_fen(allowance)}"
        )
        lines.append(f"　　（{wage:,} 分 × {total} = {_division_line(wage * total, per_month, allowance)}）")
        top_up = _top_up(rule_set, facts, allowance, total, lines)
    else:
        lines.append(f"生育津贴：未提供{base_name}，未计算")

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

    subsidy_tier, subsidy = _medical_subsidy(rule_set, facts, values, lines)
    deadline, warnings = _claim_deadline(rule_set, facts, notes)

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
        medical_subsidy_label=subsidy_tier.label if subsidy_tier else None,
        medical_subsidy_months=subsidy_tier.months if subsidy_tier else None,
        medical_subsidy_fen=subsidy,
        employer_top_up_fen=top_up,
        claim_deadline=deadline,
        warnings=tuple(warnings),
    )


def _insurance_lines(rule_set: RuleSet, facts: LeaveFacts) -> list[str] | None:
    """Why the fund pays no allowance (参保未满一年 or 生育时未参保), or None when it may pay."""
    need = rule_set.min_insured_months
    if need is None or facts.insured_months is None:
        return None
    if facts.insured_months >= need and facts.insured_now is not False:
        return None
    why = (
        f"参加生育保险累计 {facts.insured_months} 个月，未满 {need} 个月"
        if facts.insured_months < need
        else "生育（流产）时未在参保"
    )
    return [f"生育津贴：{why}，生育保险基金不支付（须累计满 {need} 个月且生育时仍在参保）"]


def _top_up(rule_set: RuleSet, facts: LeaveFacts, allowance: int, total: int, lines: list[str]) -> int | None:
    """差额由单位补足: the employer pays what the allowance falls short of the own wage."""
    if rule_set.top_up_label is None or facts.own_wage_fen is None:
        return None
    own, _ = divide_round_half_up(facts.own_wage_fen * total, rule_set.days_per_month)
    top_up = max(0, own - allowance)
    lines.append(
        f"本人工资标准 {format_fen(facts.own_wage_fen)} ÷ {rule_set.days_per_month} × {total} 天 = {format_fen(own)}；"
        + (
            f"生育津贴低于本人工资标准，差额 {format_fen(top_up)} 由单位补足"
            if top_up
            else "生育津贴不低于本人工资标准，单位无需补足"
        )
    )
    return top_up


def _medical_subsidy(rule_set: RuleSet, facts: LeaveFacts, values: Mapping[str, Any], lines: list[str]):
    """医疗补助金: the city's average monthly wage × the months of the tier that applies (most months)."""
    tier = None
    for candidate in rule_set.medical_subsidy:
        if _holds(candidate.when, values, candidate.label) and (
            tier is None or candidate.months > tier.months
        ):
            tier = candidate
    if tier is None:
        return None, None
    city = facts.city_avg_monthly_wage_fen
    if city is None:
        lines.append(f"医疗补助金（{tier.months} 个月）：未提供上年度职工月平均工资，未计算")
        return tier, None
    amount = city * tier.months
    lines.append(
        f"医疗补助金 = 上年度职工月平均工资 {format_fen(city)} × {tier.months} 个月 = {format_fen(amount)}"
    )
    return tier, amount


def _claim_deadline(
    rule_set: RuleSet, facts: LeaveFacts, notes: list[str]
) -> tuple[dt.date | None, list[str]]:
    """The last day to apply (e.g. 5 months after the birth); a warning once it has passed."""
    months = rule_set.claim_within_months
    if months is None:
        return None, []
    from models.schedules import add_months

    deadline = add_months(facts.delivery_date, months) - dt.timedelta(days=1)
    notes.append(
        f"请于 {deadline.isoformat()} 前申领生育保险待遇（{rule_set.claim_label or f'{months}个月内'}）。"
    )
    today = clock.local_today()
    if today <= deadline:
        return deadline, []
    warning = f"注意：已超过申领期限 {deadline.isoformat()}（{months} 个月内申领），请向社会保险经办机构说明逾期原因"
    notes.append(warning)
    return deadline, [warning]
