"""``ffdesk slip ISSUANCE --paper roll80|a4|a5 --out F``: the voucher slip as a PDF."""

from __future__ import annotations

import argparse

from desktop.cli.common import acting_user, add_command, emit, open_database, output_path, write_output
from models.errors import InvalidInput


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "slip", "打印券单（PDF）", handle_slip)
    parser.add_argument("issuance", metavar="发券编号或券单号")
    parser.add_argument("--paper", choices=["roll80", "a4", "a5"], default="roll80")
    parser.add_argument("--out", required=True, metavar="文件")
    parser.add_argument("--reason", default="", help="补打原因（第二次起必填）")


def handle_slip(args: argparse.Namespace) -> int:
    from desktop import documents
    from models import issuance

    out = output_path(args.out, "券单文件")  # before the print is counted
    open_database(args)
    actor = acting_user(args)
    key = args.issuance.strip()
    if key.isdigit():
        issuance_id = int(key)
    elif key.upper().startswith(issuance.SLIP_PREFIX):
        issuance_id = issuance.find_issuance_by_slip(actor, key).id
    else:
        raise InvalidInput(f"请输入发券编号（数字）或券单号（{issuance.SLIP_PREFIX} 开头）：{key}")
    payload = documents.slip_pdf(actor, issuance_id, args.paper, args.reason)
    write_output(out, payload, "券单文件")
    emit(
        args,
        {"issuance": issuance_id, "paper": args.paper, "out": args.out, "bytes": len(payload)},
        f"已写入 {args.out}",
    )
    return 0
