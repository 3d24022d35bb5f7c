"""``ffdesk catalog list|show CODE|load FILE``."""

from __future__ import annotations

import argparse

from desktop.cli.common import acting_user, add_command, emit, open_database
from models.money import format_fen


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "catalog", "服务包目录")
    sub = parser.add_subparsers(dest="catalog_command", metavar="子命令", parser_class=type(parser))
    add_command(sub, common, "list", "列出当前服务包及项目", handle_list)
    show = add_command(sub, common, "show", "查看一个服务包", handle_show)
    show.add_argument("code", metavar="服务包代码")
    load = add_command(sub, common, "load", "载入新版本目录（需管理员）", handle_load)
    load.add_argument("file", metavar="目录文件")


def _condition_text(condition: dict) -> list[str]:
    parts = []
    if "min_age" in condition:
        parts.append(f"周期开始时年满{condition['min_age']}岁")
    if condition.get("or_history") == "infertility":
        parts.append("已登记不孕史")
    return parts


def _package_text(view) -> str:
    cap = f"，封顶 {format_fen(view.cap_fen)}" if view.cap_fen is not None else ""
    lines = [f"{view.code}  {view.name}（{view.stage}）基础服务价值 {format_fen(view.basic_value_fen)}{cap}"]
    if view.schedule:
        lines.append("    按年龄段发放：每个年龄段一次，券在该年龄段内有效")
    names = {item.code: item.name for item in view.items}
    for item in view.items:
        tier = "自费升级" if item.tier == "upgrade" else "免费"
        extra = f" ×{item.quantity}" if item.quantity > 1 else ""
        triggers = "或".join(names.get(c, c) for c in (item.follow_up_of or "").split(",") if c)
        follow = f"（{triggers}阳性或高风险后发放）" if triggers else ""
        if item.per_person == "couple":
            follow += "（夫妻各一份）"
        if item.service_key != item.code:
            follow += f"（服务键 {item.service_key}）"
        if item.condition:
            follow += "（定向：" + "或".join(_condition_text(item.condition)) + "）"
        lines.append(
            f"    {item.code:<20} {item.name}{extra}  {format_fen(item.price_fen)}  {tier}  @{item.service_point_name}{follow}"
        )
    return "\n".join(lines)


def handle_list(args: argparse.Namespace) -> int:
    from models import catalog

    open_database(args)
    version = catalog.active_version()
    views = catalog.catalog_views()
    payload = {
        "catalog_version": version.label if version else None,
        "packages": [v.to_dict() for v in views],
    }
    emit(args, payload, lambda: "\n".join(_package_text(v) for v in views) or "目录为空：请运行 ffdesk init")
    return 0


def handle_show(args: argparse.Namespace) -> int:
    from models import catalog

    open_database(args)
    view = catalog.package_view(catalog.get_package(args.code))
    emit(
        args,
        view.to_dict(),
        lambda: _package_text(view) + ("\n" + view.description if view.description else ""),
    )
    return 0


def handle_load(args: argparse.Namespace) -> int:
    from models import catalog, catalog_admin
    from models.catalog_file import parse_catalog

    open_database(args)
    parse_catalog(args.file)  # report a bad file before asking for a password
    version = catalog_admin.load_catalog_audited(acting_user(args), args.file)
    count = len(catalog.active_packages())
    emit(
        args,
        {"catalog_version": version.label, "packages": count},
        f"已载入目录 {version.label}，共 {count} 个服务包",
    )
    return 0
