"""``ffdesk`` command line. No command imports Qt; with no command the desktop program opens.

Each command group lives in its own module with a ``register(subparsers, common)`` function
listed in ``COMMAND_MODULES``. ``--db`` and ``--json`` are accepted before or after the
command. Exit codes: 0 done, 2 invalid input, 3 refused by state, 4 not permitted,
5 not found, 1 unexpected; messages in Chinese on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from desktop import __version__
from desktop.cli.common import EXIT_INVALID, CliParser, run_command, undecodable_argument
from desktop.cli.help import explain

COMMAND_MODULES = [
    "desktop.cli.setup_cmd",
    "desktop.cli.db_cmd",
    "desktop.cli.catalog_cmd",
    "desktop.cli.leave_cmd",
    "desktop.cli.report_cmd",
    "desktop.cli.slip_cmd",
    "desktop.cli.backup_cmd",
    "desktop.cli.staff_cmd",
    "desktop.cli.audit_cmd",
    "desktop.cli.client_cmd",
    "desktop.cli.episode_cmd",
    "desktop.cli.voucher_cmd",
    "desktop.cli.demo_cmd",
    "desktop.cli.certificate_cmd",
    "desktop.cli.diagnose_cmd",
]


def build_parser() -> argparse.ArgumentParser:
    common = CliParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS)
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="以 JSON 输出（一个 JSON 文档）"
    )
    common.add_argument("--as", dest="as_user", default=argparse.SUPPRESS)
    common.add_argument(
        "--get",
        default=argparse.SUPPRESS,
        metavar="字段",
        help="只输出 JSON 结果中的一项，如 id、vouchers.0.code、vouchers[item_code=SERUM_SCREEN].code",
    )
    parser = CliParser(prog="ffdesk", description="生育友好服务台", parents=[common])
    parser.add_argument("--version", action="version", version=f"ffdesk {__version__}", help="显示版本并退出")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=CliParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    explain(parser)
    return parser


def open_window(db_url: str | None) -> int:
    """``ffdesk`` alone: the desktop program, after checking that a window can open at all."""
    from desktop import display_check

    problem = display_check.problem()
    if problem is not None:
        sys.stderr.write(f"错误：{problem}\n")
        return EXIT_INVALID
    from desktop.app import run_gui  # the only place the CLI reaches Qt, and only to open the window

    return run_gui(db_url)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    bad = undecodable_argument(argv)
    if bad is not None:
        sys.stderr.write(f"ffdesk: 参数错误：参数含有无法识别的字符（不是 UTF-8 编码）：{bad}\n")
        return EXIT_INVALID
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        if getattr(args, "json", False):
            parser.print_help()
            return 0
        return open_window(getattr(args, "db", None))
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
