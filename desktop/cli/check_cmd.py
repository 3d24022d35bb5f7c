"""``ffdesk check double-claims``: services held twice for one person in one episode."""

from __future__ import annotations

import argparse

from desktop.cli.common import acting_user, add_command, emit, open_database

EXIT_FOUND = 3  # like a refusal: the data holds something a supervisor must resolve


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "check", "核查数据")
    sub = parser.add_subparsers(dest="check_command", metavar="子命令", parser_class=type(parser))
    add_command(
        sub,
        common,
        "double-claims",
        "列出同一服务对象在同一服务周期内由不同服务包重复发放或核销的同一服务",
        handle_double_claims,
    )


def handle_double_claims(args: argparse.Namespace) -> int:
    from models import entitlements

    open_database(args)
    claims = entitlements.double_claims(acting_user(args))

    def text() -> str:
        if not claims:
            return "未发现重复领取：每项服务每人每个服务周期只由一个服务包发放"
        lines = [f"发现 {len(claims)} 处重复领取（同一服务由不同服务包重复发放）："]
        for claim in claims:
            lines.append(
                f"服务周期 {claim.episode_id}  {claim.person_name_masked}  {'/'.join(claim.item_names)}"
                f"（服务键 {claim.service_key}，已核销 {claim.redeemed} 次）"
            )
            lines += [f"    {v['code']}  {v['package']}  {v['state_label']}" for v in claim.vouchers]
        lines.append("请主管核对：作废未使用的多余券；已核销两次的，冲正其中一次")
        return "\n".join(lines)

    emit(args, {"double_claims": [c.to_dict() for c in claims]}, text)
    return EXIT_FOUND if claims else 0
