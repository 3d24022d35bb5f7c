"""``ffdesk diagnose [--out F.zip]``: the support zip (see ``desktop.diagnose``)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from desktop.cli.common import add_command, emit


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(
        subparsers,
        common,
        "diagnose",
        "为技术支持生成诊断包（zip）：版本、设置（不含密码）、最近的日志、数据库结构版本、审计链头；不含个人信息",
        handle_diagnose,
    )
    parser.add_argument(
        "--out", metavar="文件", help="诊断包文件（默认为当前目录下的 ffdesk-diagnose-日期-时间.zip）"
    )


def handle_diagnose(args: argparse.Namespace) -> int:
    from desktop import diagnose
    from models import db

    out = Path(args.out or f"ffdesk-diagnose-{dt.datetime.now():%Y%m%d-%H%M%S}.zip").expanduser()
    written = diagnose.write_zip(out, db.resolve_url(getattr(args, "db", None)))
    state = "数据库可以打开" if written.database_ok else "数据库无法打开（原因见诊断包）"
    emit(
        args,
        {"out": str(written.path), "database_ok": written.database_ok, "log_lines": written.log_lines},
        f"已写入诊断包 {written.path}（{state}，日志 {written.log_lines} 行）。请把它发给技术支持。",
    )
    return 0
