"""``ffdesk leave rules`` and ``ffdesk leave compute …``: maternity leave and allowance, no database.

Wages are typed in yuan (``6543.21``) and handled as integer fen; the output repeats the rule
clauses that applied and the arithmetic, exactly as the printed proof does.
"""

from __future__ import annotations

import argparse
import datetime as dt

from desktop.cli.common import add_command, emit
from models.errors import InvalidInput
from models.money import format_fen, parse_yuan


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "leave", "产假与生育津贴计算")
    sub = parser.add_subparsers(dest="leave_command", metavar="子命令", parser_class=type(parser))
    rules = add_command(sub, common, "rules", "列出产假规则集", handle_rules)
    rules.add_argument("--dir", action="append", default=[], metavar="目录", help="另外查找规则文件的目录")
    compute = add_command(sub, common, "compute", "按规则集计算一例产假天数与津贴", handle_compute)
    compute.add_argument("--rules", required=True, metavar="规则集", help="规则集名称或 .toml 文件路径")
    compute.add_argument("--dir", action="append", default=[], metavar="目录", help="另外查找规则文件的目录")
    _add_fact_arguments(compute)
    issue = add_command(sub, common, "issue", "签发并打印生育（产假）证明（需登录）", handle_issue)
    issue.add_argument("client", metavar="服务对象", help="证件号码或服务对象编号")
    issue.add_argument("--rules", required=True, metavar="规则集", help="规则集名称或 .toml 文件路径")
    issue.add_argument("--dir", action="append", default=[], metavar="目录", help="另外查找规则文件的目录")
    issue.add_argument("--episode", type=int, metavar="编号", help="对应的孕期服务周期编号")
    issue.add_argument("--employer", default="", metavar="单位", help="工作单位（印在证明上）")
    issue.add_argument("--out", required=True, metavar="文件", help="证明 PDF 输出文件")
    issue.add_argument(
        "--override-reason",
        default=None,
        metavar="原因",
        help="与登记的分娩信息不一致时主管特批（印在证明上）",
    )
    _add_fact_arguments(issue)


def _add_fact_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind",
        choices=["birth", "miscarriage", "family_planning"],
        default="birth",
        help="分娩、流产或计划生育手术",
    )
    parser.add_argument("--delivery-date", required=True, metavar="日期", help="分娩（流产）日期 YYYY-MM-DD")
    parser.add_argument(
        "--mode",
        choices=["vaginal", "caesarean", "vacuum", "forceps", "breech"],
        default="vaginal",
        help="分娩方式：顺产/剖宫产/吸引产/产钳产/臀位产",
    )
    parser.add_argument("--tear", type=int, default=0, metavar="N", help="会阴裂伤程度 0–4")
    parser.add_argument("--babies", type=int, default=1, metavar="N", help="婴儿数")
    parser.add_argument("--mother-birth-date", metavar="日期", help="母亲出生日期 YYYY-MM-DD")
    parser.add_argument("--mother-age", type=int, metavar="岁", help="母亲分娩时周岁（无出生日期时）")
    parser.add_argument("--not-first-birth", action="store_true", help="不是生育第一个子女")
    parser.add_argument("--one-child", action="store_true", help="已领取《独生子女优待证》")
    parser.add_argument("--months", type=int, metavar="N", help="流产时怀孕满几个月")
    parser.add_argument("--employer-wage", metavar="元", help="单位上年度职工月平均工资（元）")
    parser.add_argument("--city-wage", metavar="元", help="上年度市职工月平均工资（元）")
    parser.add_argument("--spouse", action="store_true", help="同时计算男配偶假期")
    parser.add_argument("--spouse-wage", metavar="元", help="男配偶单位人平缴费工资（元），默认同单位工资")
    parser.add_argument("--own-base", metavar="元", help="本人生育当月缴费基数（元）")
    parser.add_argument("--own-wage", metavar="元", help="本人工资标准（元）：津贴低于它时差额由单位补足")
    parser.add_argument("--insured-months", type=int, metavar="N", help="参加生育保险累计月数")
    parser.add_argument("--not-insured-now", action="store_true", help="生育（流产）时已不在参保")
    parser.add_argument("--surgery-days", type=int, metavar="N", help="计划生育手术证明所载休假天数")


def handle_rules(args: argparse.Namespace) -> int:

    from models.leave import list_rule_sets

    infos = list_rule_sets(_folders(args.dir))
    payload = [
        {"name": i.name, "title": i.title, "path": str(i.path), "valid": i.error is None, "error": i.error}
        for i in infos
    ]

    def text() -> str:
        lines = []
        for i in infos:
            lines.append(f"{i.name:<20} {i.title}" if i.error is None else f"{i.name:<20} 【无效】{i.error}")
        return "\n".join(lines) or "没有产假规则集"

    emit(args, payload, text)
    return 0


def _folders(names: list[str]) -> list:
    """The ``--dir`` folders, each checked: a missing folder is an input error, not silently skipped."""
    from pathlib import Path

    from models import files

    folders = []
    for name in names:
        files.refuse_undecodable(name, "规则文件夹路径")
        if not Path(name).is_dir():
            raise InvalidInput(f"规则文件夹 {name} 不存在或不是文件夹")
        folders.append(Path(name))
    return folders


def _date(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(f"{what}格式不正确：{value!r}（例如 2025-03-10）") from exc


def _fen(value: str | None) -> int | None:
    return None if value is None else parse_yuan(value)


def handle_compute(args: argparse.Namespace) -> int:

    from models.leave import compute, load_rule_set

    rule_set = load_rule_set(args.rules, _folders(args.dir))
    result = compute(rule_set, _facts(args))

    def text() -> str:
        return _result_text(result)

    emit(args, result.to_dict(), text)
    return 0


def _facts(args: argparse.Namespace):
    from models.leave import LeaveFacts

    delivery = _date(args.delivery_date, "分娩（流产）日期")
    assert delivery is not None  # required by argparse
    return LeaveFacts(
        kind=args.kind,
        delivery_date=delivery,
        mode=args.mode,
        tear_degree=args.tear,
        babies=args.babies,
        mother_birth_date=_date(args.mother_birth_date, "母亲出生日期"),
        mother_age=args.mother_age,
        first_birth=not args.not_first_birth,
        one_child_certificate=args.one_child,
        miscarriage_months=args.months,
        employer_avg_monthly_wage_fen=_fen(args.employer_wage),
        city_avg_monthly_wage_fen=_fen(args.city_wage),
        spouse=args.spouse,
        spouse_employer_avg_monthly_wage_fen=_fen(args.spouse_wage),
        own_contribution_base_fen=_fen(args.own_base),
        own_wage_fen=_fen(args.own_wage),
        insured_months=args.insured_months,
        insured_now=False if args.not_insured_now else (True if args.insured_months is not None else None),
        surgery_days=args.surgery_days,
    )


def _result_text(result) -> str:
    """The applied clauses, total and arithmetic, as the printed proof lists them."""
    lines = [f"规则集：{result.rule_set_title}（{result.rule_set_name}）"]
    lines += [
        f"  {rule.days:>4} 天  {rule.label}" + (f"（{rule.detail}）" if rule.detail else "")
        for rule in result.applied
    ]
    lines.append(f"  {result.total_days:>4} 天  合计")
    lines += result.arithmetic_lines
    if result.spouse_days:
        lines.append(f"男配偶假期：{result.spouse_days} 天")
    lines += [f"说明：{note}" for note in result.notes]
    summary = [
        ("生育津贴", result.allowance_fen),
        ("单位补足差额", result.employer_top_up_fen),
        ("营养补助", result.nutrition_fen),
        ("医疗补助金", result.medical_subsidy_fen),
        ("男配偶假期工资", result.spouse_pay_fen),
    ]
    lines += [f"{label}：{format_fen(fen)}" for label, fen in summary if fen is not None]
    return "\n".join(lines)


def handle_issue(args: argparse.Namespace) -> int:
    """Store the proof (audited) and write it as PDF; the mother's identity is printed masked."""

    from desktop.cli.common import acting_user, open_database, output_path, write_output
    from models import clients, leave_records
    from models import settings as db_settings
    from reports.leave_proof import LeaveProofData, render_leave_proof

    out = output_path(args.out, "证明文件")  # before the proof is stored and numbered
    open_database(args)
    actor = acting_user(args)
    client = clients.resolve_client(actor, args.client)
    rule_set = args.rules
    if args.dir:
        from models.leave import load_rule_set

        rule_set = str(load_rule_set(args.rules, _folders(args.dir)).path)
    issued = leave_records.issue_leave_proof(
        actor, client.id, args.episode, rule_set, _facts(args), override_reason=args.override_reason
    )
    holder = leave_records.reveal_proof_holder(actor, issued.id)  # for her employer: audited
    pdf = render_leave_proof(
        LeaveProofData(
            institution=db_settings.institution_name(),
            proof_no=issued.proof_no,
            mother_name=holder.name,
            mother_id_number=holder.id_number,
            show_full_identity=True,
            result=issued.result,
            issued_on=issued.issued_on.isoformat(),
            issued_by=issued.issued_by,
            employer=args.employer.strip(),
            remarks=issued.remarks,
        )
    )
    write_output(out, pdf, "证明文件")
    payload = {"proof_no": issued.proof_no, "id": issued.id, "out": args.out, **issued.result.to_dict()}
    emit(args, payload, lambda: f"已签发 {issued.proof_no}，写入 {args.out}\n" + _result_text(issued.result))
    return 0
