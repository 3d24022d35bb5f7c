"""``ffdesk demo [--scale N]``: fill a new database with a realistic demo hospital."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import add_command, emit, new_file_removed_on_failure
from models.money import format_fen

BULK_THRESHOLD = 1000  # --scale at or above this is a number of vouchers (models.demo_bulk)


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(
        subparsers, common, "demo", "生成演示数据（新数据库；演示账号密码 Demo-Pass-2026）", handle_demo
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="规模倍数（1 约为 150 位孕产妇、300 余位服务对象）；≥1000 时为电子券张数，批量生成（如 1000000）",
    )
    parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同的人员构成）")


def handle_demo(args: argparse.Namespace) -> int:
    from desktop.cli.setup_cmd import initialise
    from models import demo

    bulk = args.scale if args.scale >= BULK_THRESHOLD else 0
    with new_file_removed_on_failure(args):
        initialise(getattr(args, "db", None))
        summary = demo.build_demo(scale=1 if bulk else args.scale, seed=args.seed)
        if bulk:  # the service-driven hospital above, then the bulk generator for the volume
            from models import demo_bulk

            stats = demo_bulk.generate(bulk, seed=args.seed)
            print(stats.summary(), file=sys.stderr)

    def text() -> str:
        from models.vouchers import STATE_LABELS

        states = "，".join(f"{STATE_LABELS.get(k, k)} {v}" for k, v in summary.by_state.items())
        return "\n".join(
            [
                f"已生成演示数据（{summary.seconds} 秒）：服务对象 {summary.clients}，服务周期 {summary.episodes}，"
                f"发券 {summary.issuances}，电子券 {summary.vouchers}（{states}）",
                f"核销净额 {format_fen(summary.ledger_net_fen)}；已月结：{'、'.join(summary.closed_months) or '无'}",
                f"演示账号：{'、'.join(summary.staff)}，密码均为 {summary.password}",
            ]
        )

    emit(args, summary.to_dict(), text)
    return 0
