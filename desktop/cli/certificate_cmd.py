"""``ffdesk cert …``: birth medical certificate stock, issuance, void register, printing, reports."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from desktop.cli.common import (
    acting_user,
    add_command,
    emit,
    open_database,
    output_path,
    read_password,
    write_output,
)
from models.errors import InvalidInput


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "cert", "出生医学证明：空白证件库存、签发、作废、打印")
    sub = parser.add_subparsers(dest="cert_command", metavar="子命令", parser_class=type(parser))

    receive = add_command(sub, common, "receive", "空白证件按号段入库", handle_receive)
    receive.add_argument("--prefix", required=True, help="编号字母前缀，如 R")
    receive.add_argument("--from", dest="first", type=int, required=True, metavar="起始号")
    receive.add_argument("--to", dest="last", type=int, required=True, metavar="终止号")
    receive.add_argument("--date", help="入库日期（默认今天）")
    receive.add_argument("--note", default="", help="备注（如批次、来文号）")

    assign = add_command(sub, common, "assign", "把号段分配给服务台", handle_assign)
    assign.add_argument("--from", dest="first", required=True, metavar="起始编号")
    assign.add_argument("--to", dest="last", required=True, metavar="终止编号")
    assign.add_argument("--desk", required=True, help="服务台名称（空字符串表示退回库房）")

    issue = add_command(sub, common, "issue", "签发出生医学证明并生成打印文件", handle_issue)
    issue.add_argument("episode", type=int, metavar="服务周期编号")
    issue.add_argument("--kind", choices=["first", "reissue", "replace"], default="first")
    issue.add_argument("--data", required=True, metavar="FILE.json", help="证明内容（JSON）")
    issue.add_argument("--serial", help="使用指定编号（默认本台下一份）")
    issue.add_argument("--desk", help="服务台（默认本工作站名称）")
    issue.add_argument("--reason", default="", help="补发、换发的原因")
    issue.add_argument(
        "--replaces", metavar="编号", help="补发、换发时被取代的证件编号（该新生儿当前的证件）"
    )
    issue.add_argument("--out", required=True, metavar="PDF")
    _print_options(issue)

    void = add_command(sub, common, "void", "作废空白或打印错误的证件（需主管批准）", handle_void)
    void.add_argument("serial", metavar="编号")
    void.add_argument("--reason", required=True)
    void.add_argument(
        "--approved-by",
        required=True,
        metavar="主管用户名",
        help="批准人（密码取自 FFDESK_APPROVER_PASSWORD 或提示）",
    )

    destroy = add_command(sub, common, "destroy", "登记已作废证件的销毁", handle_destroy)
    destroy.add_argument("serial", metavar="编号")
    destroy.add_argument("--date", required=True, help="销毁日期")
    destroy.add_argument("--witness", required=True, help="监销人")

    stock = add_command(sub, common, "stock", "空白证件库存报告", handle_stock)
    stock.add_argument("--from", dest="date_from", required=True, metavar="开始日期")
    stock.add_argument("--to", dest="date_to", required=True, metavar="结束日期")

    usage = add_command(sub, common, "usage", "年度使用统计", handle_usage)
    usage.add_argument("--year", type=int, required=True)

    show = add_command(sub, common, "show", "查看一份证件", handle_show)
    show.add_argument("serial", metavar="编号")

    printing = add_command(sub, common, "print", "打印（重打）已签发的证明", handle_print)
    printing.add_argument("serial", metavar="编号")
    printing.add_argument("--out", required=True, metavar="PDF")
    printing.add_argument("--preview", action="store_true", help="预览：画出证件框线和栏目名")
    _print_options(printing)

    grid = add_command(sub, common, "grid", "打印校准测试页", handle_grid)
    grid.add_argument("--out", required=True, metavar="PDF")
    _print_options(grid)

    calibrate = add_command(sub, common, "calibrate", "保存打印机校准偏移", handle_calibrate)
    calibrate.add_argument("--printer", required=True)
    calibrate.add_argument("--dx", type=float, required=True, metavar="毫米", help="向右为正")
    calibrate.add_argument("--dy", type=float, required=True, metavar="毫米", help="向下为正")


def _print_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--printer", help="使用该打印机保存的校准偏移")
    parser.add_argument("--dx", type=float, metavar="毫米", help="水平偏移（向右为正），覆盖保存值")
    parser.add_argument("--dy", type=float, metavar="毫米", help="垂直偏移（向下为正），覆盖保存值")
    parser.add_argument("--layout", metavar="FILE.toml", help="其他版式文件")


def _date(text: str | None, what: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what}“{text}”不是有效日期（格式 2026-03-05）") from None


def _offsets(args: argparse.Namespace) -> tuple[float, float]:
    from models import certificates

    saved = certificates.get_calibration(args.printer) if args.printer else certificates.Calibration()
    dx = saved.dx_mm if args.dx is None else args.dx
    dy = saved.dy_mm if args.dy is None else args.dy
    checked = certificates.check_offsets(dx, dy)
    return checked.dx_mm, checked.dy_mm


def _write(out: Path, pdf: bytes) -> str:
    write_output(out, pdf, "打印文件")
    return str(out)


def _render(args: argparse.Namespace, values: dict[str, str], preview: bool = False) -> bytes:
    from reports.certificate import load_layout, render_certificate

    dx, dy = _offsets(args)
    return render_certificate(values, load_layout(args.layout), dx_mm=dx, dy_mm=dy, preview=preview)


def handle_receive(args: argparse.Namespace) -> int:
    from models import certificates

    open_database(args)
    actor = acting_user(args)
    batch = certificates.receive(
        actor, args.prefix, args.first, args.last, _date(args.date, "入库日期"), note=args.note
    )
    emit(
        args,
        batch.__dict__,
        f"已入库 {batch.first_serial}–{batch.last_serial}，共 {batch.count} 份（{batch.received_on}）",
    )
    return 0


def handle_assign(args: argparse.Namespace) -> int:
    from models import certificates

    open_database(args)
    actor = acting_user(args)
    count = certificates.assign(actor, args.first, args.last, args.desk)
    desk = args.desk.strip() or "库房"
    emit(
        args,
        {"from": args.first, "to": args.last, "desk": args.desk, "count": count},
        f"已将 {count} 份分配给 {desk}",
    )
    return 0


def _read_data(path: str) -> dict[str, Any]:
    from models import files

    try:
        data = json.loads(files.input_file(path, "证明内容文件").read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"无法读取 {path}：{files.reason(exc)}") from None
    except ValueError as exc:
        raise InvalidInput(f"{path} 不是有效的 JSON：{exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path} 应为一个 JSON 对象")
    return data


def handle_issue(args: argparse.Namespace) -> int:
    from models import certificates

    out_path = output_path(args.out, "打印文件")  # before a serial is consumed
    open_database(args)
    data = _read_data(args.data)
    clean = certificates.validate_data(data)  # before the password prompt: fix typos first
    _render(args, certificates.print_values(clean))  # does everything fit? before a serial is consumed
    actor = acting_user(args)
    view = certificates.issue(
        actor,
        args.episode,
        args.kind,
        clean,
        desk=args.desk,
        serial=args.serial,
        reason=args.reason,
        replaces=args.replaces,
    )
    certificates.record_print(actor, view.serial)
    out = _write(out_path, _render(args, certificates.print_values(view.data, view.serial)))
    payload = {"certificate": view.to_dict(), "pdf": out}
    emit(
        args,
        payload,
        f"已{view.kind_label}出生医学证明 {view.serial}（{view.data['newborn']['name']}），打印文件：{out}\n"
        f"请将编号为 {view.serial} 的空白证件放入打印机",
    )
    return 0


def _approver(args: argparse.Namespace, actor):
    from models import staff

    username = args.approved_by.strip()
    if username == actor.staff.username:
        return actor
    password = os.environ.get("FFDESK_APPROVER_PASSWORD")
    if password is None:
        password = read_password(f"批准人 {username} 的密码：")
    return staff.authenticate(username, password)


def handle_void(args: argparse.Namespace) -> int:
    from models import certificates

    open_database(args)
    actor = acting_user(args)
    view = certificates.void_form(actor, args.serial, args.reason, approver=_approver(args, actor))
    emit(args, view.__dict__, f"已作废 {view.serial}：{view.void_reason}（批准人 {view.void_approved_by}）")
    return 0


def handle_destroy(args: argparse.Namespace) -> int:
    from models import certificates

    open_database(args)
    day = _date(args.date, "销毁日期")
    assert day is not None
    actor = acting_user(args)
    view = certificates.destroy_form(actor, args.serial, day, args.witness)
    emit(
        args, view.__dict__, f"已登记销毁 {view.serial}（{view.destroyed_on}，监销人 {view.destroy_witness}）"
    )
    return 0


def _stock_text(report) -> str:
    from models.certificates import STATE_LABELS, STATES, compress_serials

    opening, closing = report.count(report.opening), report.count(report.closing)
    lines = [
        f"出生医学证明空白证件库存  {report.date_from} 至 {report.date_to}",
        f"累计入库 {report.received_total} 份 = "
        + " + ".join(f"{STATE_LABELS[s]} {closing[s]}" for s in STATES)
        + ("" if report.balanced else "  【账实不符！】"),
        "期初：" + "，".join(f"{STATE_LABELS[s]} {opening[s]}" for s in STATES),
        "本期：入库 {received}，签发 {issued}，作废 {voided}，销毁 {destroyed}".format(
            **{k: len(v) for k, v in report.movements.items()}
        ),
    ]
    for state in STATES:
        ranges = compress_serials(report.closing[state])
        if ranges:
            lines.append(f"  期末{STATE_LABELS[state]}：{'、'.join(ranges)}")
    if report.on_hand_by_desk:
        lines.append(
            "当前库存分布："
            + "，".join(f"{desk or '库房'} {n}" for desk, n in sorted(report.on_hand_by_desk.items()))
        )
    return "\n".join(lines)


def handle_stock(args: argparse.Namespace) -> int:
    from models import certificates
    from models.permissions import require

    open_database(args)
    date_from, date_to = _date(args.date_from, "开始日期"), _date(args.date_to, "结束日期")
    assert date_from and date_to
    require(acting_user(args), "certificate.stock")
    report = certificates.stock_report(date_from, date_to)
    emit(args, report.to_dict(), lambda: _stock_text(report))
    return 0 if report.balanced else 3


def handle_usage(args: argparse.Namespace) -> int:
    from models import certificates
    from models.permissions import require

    open_database(args)
    require(acting_user(args), "certificate.stock")
    stats = certificates.annual_usage(args.year)

    def text() -> str:
        lines = [f"{stats.year} 年出生医学证明使用统计", "月份  入库  签发(首次/补发/换发)  作废  销毁"]
        for month, row in stats.months.items():
            lines.append(
                f"{month:>2}月  {row['received']:>4}  {row['issued']:>4}({row['first']}/{row['reissue']}/{row['replace']})"
                f"  {row['voided']:>4}  {row['destroyed']:>4}"
            )
        t = stats.totals
        lines.append(f"合计  {t['received']:>4}  {t['issued']:>4}  {t['voided']:>4}  {t['destroyed']:>4}")
        lines.append(f"作废率 {stats.void_rate_permille}‰")
        return "\n".join(lines)

    emit(args, stats.to_dict(), text)
    return 0


def handle_show(args: argparse.Namespace) -> int:
    from models import certificates
    from models.permissions import require
    from models.privacy import mask_id, mask_name

    open_database(args)
    actor = acting_user(args)
    if not actor.can("certificate.stock"):
        require(actor, "certificate.issue")
    form = certificates.get_form(args.serial)
    payload: dict[str, Any] = {"form": form.__dict__}
    text = f"{form.serial}  {form.state_label}  {form.desk or '库房'}"
    if form.certificate_id:
        view = certificates.get_certificate(form.serial)
        nb, mother = view.data["newborn"], view.data["mother"]
        payload["certificate"] = {
            "kind": view.kind,
            "episode_id": view.episode_id,
            "issued_on": view.issued_on,
            "newborn_name": mask_name(nb["name"]),
            "mother_name": mask_name(mother["name"]),
            "mother_id": mask_id(mother["id_number"]),
            "replaces": view.replaces_serial,
            "reason": view.reason,
        }
        text += f"\n{view.kind_label} {view.issued_on}  新生儿 {mask_name(nb['name'])}  母亲 {mask_name(mother['name'])}"
    if form.void_reason:
        text += f"\n作废原因：{form.void_reason}（批准人 {form.void_approved_by}）"
    emit(args, payload, text)
    return 0


def handle_print(args: argparse.Namespace) -> int:
    from models import certificates

    out_path = output_path(args.out, "打印文件")  # before the print is recorded
    open_database(args)
    actor = acting_user(args)
    view = certificates.record_print(actor, args.serial, preview=args.preview)
    values = certificates.print_values(view.data, view.serial)
    out = _write(out_path, _render(args, values, preview=args.preview))
    emit(args, {"serial": view.serial, "preview": args.preview, "pdf": out}, f"打印文件：{out}")
    return 0


def handle_grid(args: argparse.Namespace) -> int:
    from reports.certificate import load_layout, render_calibration_grid

    out_path = output_path(args.out, "打印文件")
    open_database(args)
    dx, dy = _offsets(args)
    pdf = render_calibration_grid(load_layout(args.layout), dx_mm=dx, dy_mm=dy, printer=args.printer or "")
    out = _write(out_path, pdf)
    emit(args, {"pdf": out, "dx_mm": dx, "dy_mm": dy}, f"校准页：{out}（dx {dx:+.1f} mm，dy {dy:+.1f} mm）")
    return 0


def handle_calibrate(args: argparse.Namespace) -> int:
    from models import certificates

    open_database(args)
    saved = certificates.set_calibration(acting_user(args), args.printer, args.dx, args.dy)
    emit(
        args,
        {"printer": args.printer, "dx_mm": saved.dx_mm, "dy_mm": saved.dy_mm},
        f"已保存 {args.printer} 的校准偏移：dx {saved.dx_mm:+.1f} mm，dy {saved.dy_mm:+.1f} mm",
    )
    return 0
