"""``ffdesk eligibility|issue|redeem|reverse|void`` and ``ffdesk voucher show|expire``."""

from __future__ import annotations

import argparse

from desktop.cli.common import acting_user, add_command, emit, open_database
from models.money import format_fen

EXIT_REFUSED = 3


def register(subparsers, common: argparse.ArgumentParser) -> None:
    elig = add_command(
        subparsers, common, "eligibility", "查看服务周期可领取的服务包及原因", handle_eligibility
    )
    elig.add_argument("episode", type=int, metavar="服务周期编号")
    elig.add_argument("package", nargs="?", default=None, metavar="服务包代码")
    issue = add_command(subparsers, common, "issue", "发放服务包电子券（重复发放返回原记录）", handle_issue)
    issue.add_argument("episode", type=int, metavar="服务周期编号")
    issue.add_argument("package", metavar="服务包代码")
    issue.add_argument("--override-reason", default=None, metavar="原因", help="不符合条件时主管特批")
    redeem = add_command(subparsers, common, "redeem", "核销电子券", handle_redeem)
    redeem.add_argument("code", metavar="券码")
    redeem.add_argument("--point", required=True, metavar="服务点代码")
    redeem.add_argument(
        "--result",
        default=None,
        choices=["negative", "positive", "high_risk"],
        help="筛查结果（阴性、阳性、高风险）",
    )
    reverse = add_command(subparsers, common, "reverse", "冲正已核销的券（主管）", handle_reverse)
    reverse.add_argument("code", metavar="券码")
    reverse.add_argument("--reason", required=True, metavar="原因")
    void = add_command(subparsers, common, "void", "作废未使用的券", handle_void)
    void.add_argument("code", metavar="券码")
    void.add_argument("--reason", required=True, metavar="原因")
    voucher = add_command(subparsers, common, "voucher", "电子券")
    sub = voucher.add_subparsers(dest="voucher_command", metavar="子命令", parser_class=type(voucher))
    show = add_command(sub, common, "show", "查看电子券的状态、台账和经过", handle_show)
    show.add_argument("code", metavar="券码")
    add_command(sub, common, "expire", "把已过有效期的未使用券标记为过期", handle_expire)


def voucher_text(v) -> str:
    lines = [
        f"{v.code_display}  {v.item_name}  {v.value_text}  【{v.state_label}】",
        f"  {v.package_name}（券单 {v.slip_no}）  服务对象 {v.client_name_masked} {v.client_id_masked}",
        f"  服务点 {v.service_point_name}  有效期 {v.valid_from} 至 {v.expires_on}",
    ]
    if v.redeemed_at:
        result = f"，结果{v.result_label}" if v.result_label else ""
        lines.append(f"  {v.redeemed_at} 在{v.redeemed_point_name}由{v.redeemed_by}核销{result}")
    if v.voided_at:
        lines.append(f"  {v.voided_at} 由{v.voided_by}作废：{v.void_reason}")
    for h in v.history:
        lines.append(f"  · {h.at} {h.staff_name} {h.what}")
    if v.ledger:
        lines.append(f"  台账净额 {format_fen(v.ledger_net_fen)}")
    return "\n".join(lines)


def handle_eligibility(args: argparse.Namespace) -> int:
    from models import eligibility

    open_database(args)
    actor = acting_user(args)
    results = eligibility.check_eligibility(actor, args.episode, args.package)
    payload = {"episode": args.episode, "packages": [r.to_dict() for r in results]}

    def text() -> str:
        lines = []
        for r in results:
            mark = "可领取" if r.eligible else "不可领取"
            lines.append(f"{r.package_code:<8} {r.package_name}  {mark}  （{r.window_text}）")
            lines += [f"    {reason}" for reason in r.reasons]
            lines += [f"    · {note}" for note in r.notes]
        return "\n".join(lines)

    emit(args, payload, text)
    return EXIT_REFUSED if args.package and not results[0].eligible else 0


def handle_issue(args: argparse.Namespace) -> int:
    from models import issuance

    open_database(args)
    actor = acting_user(args)
    view = issuance.issue_package(actor, args.episode, args.package, override_reason=args.override_reason)

    def text() -> str:
        head = "已发放" if view.created else "此服务包已发放过，以下为原发券记录"
        lines = [
            f"{head}：{view.package_name} 券单 {view.slip_no}（发券编号 {view.id}）合计 {view.total_value_text}"
        ]
        if view.window_label:
            lines.append(f"  年龄段：{view.window_label}")
        lines += [
            f"  {v.code_display}  {v.item_name}  {v.value_text}  @{v.service_point_name}  至 {v.expires_on}"
            for v in view.vouchers
        ]
        lines += [f"  自费升级：{s.name} {format_fen(s.price_fen)}" for s in view.self_paid]
        lines += [f"  条件发放：{c}" for c in view.conditional]
        lines += [f"  未发放：{c}" for c in view.covered + view.not_targeted]
        return "\n".join(lines)

    emit(args, view.to_dict(), text)
    return 0


def handle_redeem(args: argparse.Namespace) -> int:
    from models import redemption

    open_database(args)
    actor = acting_user(args, service_point=args.point)
    result = redemption.redeem(actor, args.code, args.point, result=args.result)
    emit(args, result.to_dict(), result.message)
    return 0


def handle_reverse(args: argparse.Namespace) -> int:
    from models import redemption

    open_database(args)
    actor = acting_user(args)
    result = redemption.reverse(actor, args.code, args.reason)
    emit(args, result.to_dict(), result.message)
    return 0


def handle_void(args: argparse.Namespace) -> int:
    from models import vouchers

    open_database(args)
    actor = acting_user(args)
    view = vouchers.void_voucher(actor, args.code, args.reason)
    emit(args, view.to_dict(), f"已作废：{view.item_name}（{view.code_display}）")
    return 0


def handle_show(args: argparse.Namespace) -> int:
    from models import vouchers

    open_database(args)
    actor = acting_user(args)
    view = vouchers.get_voucher(actor, args.code)
    emit(args, view.to_dict(), lambda: voucher_text(view))
    return 0


def handle_expire(args: argparse.Namespace) -> int:
    from models import vouchers

    open_database(args)
    actor = acting_user(args)
    count = vouchers.expire_overdue(actor)
    emit(args, {"expired": count}, f"已将 {count} 张过期券标记为“已过期”")
    return 0
