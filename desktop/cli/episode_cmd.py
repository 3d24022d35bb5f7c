"""``ffdesk episode open|close|show``: pregnancy, pre-pregnancy couple, child episodes."""

from __future__ import annotations

import argparse

from desktop.cli.client_cmd import parse_date
from desktop.cli.common import acting_user, add_command, emit, open_database
from models.errors import InvalidInput
from models.leave_rules import MODES


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "episode", "服务周期：建立、登记分娩、查看")
    sub = parser.add_subparsers(dest="episode_command", metavar="子命令", parser_class=type(parser))
    open_ = add_command(sub, common, "open", "建立服务周期", handle_open)
    open_.add_argument("client", metavar="服务对象（编号或证件号）")
    open_.add_argument("--kind", required=True, choices=["pregnancy", "prepregnancy", "child"])
    open_.add_argument("--lmp", default=None, metavar="末次月经日期")
    open_.add_argument("--partner", default=None, metavar="配偶（编号或证件号）")
    open_.add_argument("--birth", default=None, metavar="儿童出生日期")
    open_.add_argument("--note", default="")
    close = add_command(sub, common, "close", "登记分娩并结束孕产期", handle_close)
    close.add_argument("episode", type=int, metavar="服务周期编号")
    close.add_argument("--delivery", required=True, metavar="分娩日期")
    close.add_argument(
        "--mode", required=True, choices=list(MODES), help="分娩方式：" + "、".join(MODES.values())
    )
    close.add_argument("--babies", type=int, default=1)
    infertility = add_command(
        sub, common, "infertility", "在备孕周期登记不孕史（定向项目：生育力评估）", handle_infertility
    )
    infertility.add_argument("episode", type=int, metavar="服务周期编号")
    show = add_command(sub, common, "show", "查看服务周期及已发服务包", handle_show)
    show.add_argument("episode", type=int, metavar="服务周期编号")


def episode_text(view) -> str:
    lines = [f"服务周期 #{view.id} {view.summary}（{view.status_label}）"]
    if view.lmp:
        lines.append(f"  末次月经 {view.lmp}  预产期 {view.edd}  孕周 {view.gestation_label or '-'}")
    if view.delivery_date:
        lines.append(f"  分娩 {view.delivery_date} {view.delivery_mode_label} {view.babies}胎")
    if view.infertility_recorded_by:
        lines.append(f"  已登记不孕史（{view.infertility_recorded_by}，{view.infertility_recorded_at}）")
    if view.birth_date and view.kind == "child":
        lines.append(f"  出生 {view.birth_date}  {view.age_label}")
    return "\n".join(lines)


def handle_open(args: argparse.Namespace) -> int:
    from models import clients, episodes

    open_database(args)
    actor = acting_user(args)
    client = clients.resolve_client(actor, args.client)
    if args.kind == "pregnancy":
        lmp = parse_date(args.lmp, "lmp")
        if lmp is None:
            raise InvalidInput("建立孕产期服务周期需要 --lmp 末次月经日期", field="lmp")
        view = episodes.open_pregnancy(actor, client.id, lmp, note=args.note)
    elif args.kind == "prepregnancy":
        partner = clients.resolve_client(actor, args.partner) if args.partner else None
        view = episodes.open_prepregnancy(actor, client.id, partner.id if partner else None, note=args.note)
    else:
        view = episodes.open_child(actor, client.id, parse_date(args.birth, "birth_date"), note=args.note)
    emit(args, view.to_dict(), episode_text(view))
    return 0


def handle_close(args: argparse.Namespace) -> int:
    from models import episodes

    open_database(args)
    actor = acting_user(args)
    delivery = parse_date(args.delivery, "delivery_date")
    view = episodes.close_pregnancy(actor, args.episode, delivery, args.mode, args.babies)
    emit(args, view.to_dict(), episode_text(view))
    return 0


def handle_infertility(args: argparse.Namespace) -> int:
    from models import episodes

    open_database(args)
    view = episodes.record_infertility_history(acting_user(args), args.episode)
    emit(args, view.to_dict(), episode_text(view))
    return 0


def handle_show(args: argparse.Namespace) -> int:
    from models import episodes, issuance

    open_database(args)
    actor = acting_user(args)
    view = episodes.get_episode(actor, args.episode)
    issued = issuance.issuances_of_episode(actor, args.episode)
    payload = {**view.to_dict(), "issuances": [i.to_dict() for i in issued]}

    def text() -> str:
        lines = [episode_text(view)]
        for i in issued:
            used = sum(v.state == "redeemed" for v in i.vouchers)
            lines.append(
                f"  #{i.id} {i.slip_no} {i.package_name} {i.total_value_text} 已核销 {used}/{len(i.vouchers)}"
            )
        return "\n".join(lines)

    emit(args, payload, text)
    return 0
