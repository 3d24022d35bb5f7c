"""``ffdesk applications import|list|approve|reject|export``: online applications (线上申领)."""

from __future__ import annotations

import argparse

from desktop.cli.common import acting_user, add_command, emit, open_database, output_path, write_output


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "applications", "线上申领：导入、审核发放、驳回、结果导出")
    sub = parser.add_subparsers(dest="applications_command", metavar="子命令", parser_class=type(parser))
    import_ = add_command(sub, common, "import", "导入平台的申请文件（CSV、XLSX 或 JSON）", handle_import)
    import_.add_argument(
        "file", metavar="申请文件", help="平台导出的申请文件（.csv、.xlsx 或 .json，格式见 README）"
    )
    list_ = add_command(sub, common, "list", "列出申请（默认待审核，按申请时间先后）", handle_list)
    list_.add_argument(
        "--status",
        default="pending",
        choices=["pending", "approved", "duplicate", "rejected"],
        metavar="状态",
        help="pending 待审核（默认）、approved 已发放、duplicate 重复申领、rejected 已驳回",
    )
    approve = add_command(sub, common, "approve", "审核通过：匹配或登记服务对象并发放服务包", handle_approve)
    approve.add_argument("application", type=int, metavar="申请序号", help="applications list 列出的序号")
    reject = add_command(sub, common, "reject", "驳回申请（需填写原因）", handle_reject)
    reject.add_argument("application", type=int, metavar="申请序号", help="applications list 列出的序号")
    reject.add_argument("--reason", required=True, metavar="驳回原因")
    export = add_command(
        sub, common, "export", "导出上次导出以来的审核、发券和核销结果，供平台上报", handle_export
    )
    export.add_argument("--out", required=True, metavar="输出文件（.csv/.xlsx/.json）")
    export.add_argument(
        "--since",
        default=None,
        metavar="序号或日期",
        help="从该审计事件序号之后或该日期起重新导出（默认接上次导出）",
    )


def handle_import(args: argparse.Namespace) -> int:
    from models import application_file, applications, files

    path = files.input_file(args.file, "申请文件")
    fmt = application_file.format_of(path)
    open_database(args)
    actor = acting_user(args)
    try:
        data = path.read_bytes()
    except OSError as exc:
        from models.errors import InvalidInput

        raise InvalidInput(f"无法读取申请文件 {path}：{files.reason(exc)}") from None
    result = applications.import_file(actor, data, fmt, path.name)
    emit(
        args,
        result.to_dict(),
        f"文件共 {result.file_rows} 条申请：新导入 {result.imported} 条，已导入过 {result.unchanged} 条（未改动）",
    )
    return 0


def handle_list(args: argparse.Namespace) -> int:
    from models import applications

    open_database(args)
    actor = acting_user(args)
    rows = applications.list_applications(actor, args.status)

    def text() -> str:
        if not rows:
            return f"没有{applications.STATUS_LABELS[args.status]}的申请"
        return "\n".join(
            f"{a.id:>6} {a.application_no} {a.submitted_at} {a.name_masked} {a.id_number_masked} "
            f"{a.package_name} {a.stage_text} {a.status_label}" + (f"（{a.reason}）" if a.reason else "")
            for a in rows
        )

    emit(args, [a.to_dict() for a in rows], text)
    return 0


def handle_approve(args: argparse.Namespace) -> int:
    from models import applications

    open_database(args)
    actor = acting_user(args)
    decision = applications.approve(actor, args.application)
    emit(args, decision.to_dict(), decision.message)
    return 0


def handle_reject(args: argparse.Namespace) -> int:
    from models import applications

    open_database(args)
    actor = acting_user(args)
    decision = applications.reject(actor, args.application, args.reason)
    emit(args, decision.to_dict(), decision.message)
    return 0


def handle_export(args: argparse.Namespace) -> int:
    from models import application_file, applications

    path = output_path(args.out, "导出文件")
    fmt = application_file.format_of(path)
    open_database(args)
    actor = acting_user(args)
    since = applications.parse_since(args.since)
    result = applications.export(actor, fmt, since, lambda data: write_output(path, data, "导出文件"))
    emit(
        args,
        {**result.summary(), "file": str(path)},
        f"已导出 {result.records} 条结果（事件 {result.from_seq + 1}–{result.to_seq}）到 {path}",
    )
    return 0
