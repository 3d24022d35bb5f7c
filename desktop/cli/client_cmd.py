"""``ffdesk client add|find|show|link``: register and find clients (服务对象)."""

from __future__ import annotations

import argparse
import datetime as dt

from desktop.cli.common import acting_user, add_command, emit, open_database
from desktop.cli.help import pad
from models.errors import InvalidInput


def parse_date(text: str | None, field: str) -> dt.date | None:
    """YYYY-MM-DD (also full-width digits, YYYYMMDD or YYYY/MM/DD) → date; None stays None."""
    if text is None or not str(text).strip():
        return None
    cleaned = str(text).strip().translate(str.maketrans("０１２３４５６７８９／－", "0123456789/-"))
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"日期格式不正确：{text}（例如 2026-03-15）", field=field)


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "client", "服务对象：登记、查找、查看")
    sub = parser.add_subparsers(dest="client_command", metavar="子命令", parser_class=type(parser))
    add = add_command(sub, common, "add", "登记服务对象（证件号已登记时返回原记录）", handle_add)
    add.add_argument("--id-type", default="resident", help="resident|hkmo|tw|passport|foreign_pr|none")
    add.add_argument("--id", dest="id_number", default=None, metavar="证件号码")
    add.add_argument("--name", required=True, metavar="姓名")
    add.add_argument("--sex", default=None, choices=["F", "M"], help="性别（身份证可自动推算）")
    add.add_argument("--birth", default=None, metavar="出生日期")
    add.add_argument("--phone", default="", metavar="手机号")
    add.add_argument("--address", default="", metavar="地址")
    add.add_argument("--residency", default="local", choices=["local", "permit", "nonlocal"])
    add.add_argument(
        "--mother", default=None, metavar="母亲", help="新生儿（--id-type none）的母亲：编号或证件号"
    )
    find = add_command(sub, common, "find", "按证件号、手机号、姓名或拼音首字母查找", handle_find)
    find.add_argument("query", metavar="查询")
    find.add_argument("--limit", type=int, default=50)
    show = add_command(sub, common, "show", "查看服务对象（编号或证件号）", handle_show)
    show.add_argument("client", metavar="服务对象")
    link = add_command(sub, common, "link", "建立家庭关系", handle_link)
    link.add_argument("first", metavar="服务对象1（配偶/父母）")
    link.add_argument("second", metavar="服务对象2（配偶/子女）")
    link.add_argument("--kind", default="partner", choices=["partner", "mother_child", "father_child"])


def _line(view) -> str:
    age = f"{view.age_years}岁" if view.age_years is not None else ""
    return (
        f"#{view.id:<6} {pad(view.name_masked, 8)} {view.sex_label} {pad(age, 6)} {pad(view.id_type_label, 14)} "
        f"{view.id_number_masked}  {view.phone_masked}  {view.residency_label}"
    )


def handle_add(args: argparse.Namespace) -> int:
    from models import clients

    open_database(args)
    actor = acting_user(args)
    birth = parse_date(args.birth, "birth_date")
    if args.id_type == "none":
        if not args.mother:
            raise InvalidInput("登记无证件的新生儿需要 --mother 指定母亲", field="mother")
        if birth is None or args.sex is None:
            raise InvalidInput("登记新生儿需要 --birth 出生日期和 --sex 性别", field="birth_date")
        mother = clients.resolve_client(actor, args.mother)
        view = clients.register_newborn(actor, mother.id, name=args.name, sex=args.sex, birth_date=birth)
        result = clients.RegisterResult(client=view, created=True)
    else:
        result = clients.register_client(
            actor,
            id_type=args.id_type,
            id_number=args.id_number,
            name=args.name,
            sex=args.sex,
            birth_date=birth,
            phone=args.phone,
            address=args.address,
            residency=args.residency,
        )
    head = "已登记" if result.created else "已存在"
    text = "\n".join([f"{head}：{_line(result.client)}", *(f"提示：{w}" for w in result.warnings)])
    emit(args, result.to_dict(), text)
    return 0


def handle_find(args: argparse.Namespace) -> int:
    from models import clients

    open_database(args)
    actor = acting_user(args)
    views = clients.find_clients(actor, args.query, limit=args.limit)
    emit(
        args,
        {"query": args.query, "count": len(views), "clients": [v.to_dict() for v in views]},
        lambda: "\n".join(_line(v) for v in views) or "未找到",
    )
    return 0


def handle_show(args: argparse.Namespace) -> int:
    from models import clients, episodes

    open_database(args)
    actor = acting_user(args)
    client = clients.resolve_client(actor, args.client)
    detail = clients.client_detail(actor, client.id)
    eps = episodes.episodes_of(actor, client.id)
    payload = {**detail.to_dict(), "episodes": [e.to_dict() for e in eps]}

    def text() -> str:
        lines = [_line(detail.client)]
        lines += [f"  {link.role}：{_line(link.client)}" for link in detail.links]
        lines += [f"  服务周期 #{e.id} {e.summary}（{e.status_label}）" for e in eps]
        return "\n".join(lines)

    emit(args, payload, text)
    return 0


def handle_link(args: argparse.Namespace) -> int:
    from models import clients

    open_database(args)
    actor = acting_user(args)
    first = clients.resolve_client(actor, args.first)
    second = clients.resolve_client(actor, args.second)
    clients.link_family(actor, args.kind, first.id, second.id)
    emit(
        args,
        {"kind": args.kind, "from": first.id, "to": second.id},
        f"已建立关系：#{first.id} → #{second.id}（{clients.LINK_LABELS[args.kind]}）",
    )
    return 0
