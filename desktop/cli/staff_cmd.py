"""``ffdesk staff add|list|disable|enable|roles|unlock|reset-password|passwd``.

Administrator commands act as ``--as USER`` (password from ``FFDESK_PASSWORD`` or a prompt).
A new account's password comes from ``--password-stdin``; without it a temporary password is
generated and printed once. Either way the person must change it at first sign-in
(``ffdesk staff passwd --as NAME``).
"""

from __future__ import annotations

import argparse
import os

from desktop.cli.common import acting_user, add_command, emit, open_database, read_password
from desktop.cli.help import pad
from models.errors import InvalidInput, NotPermitted


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "staff", "员工账号与角色")
    sub = parser.add_subparsers(dest="staff_command", metavar="子命令", parser_class=type(parser))

    add = add_command(sub, common, "add", "添加员工（需管理员）", handle_add)
    add.add_argument("username", metavar="用户名")
    add.add_argument("--role", required=True, help="角色，逗号分隔：frontdesk,nurse,finance,supervisor,admin")
    add.add_argument("--full-name", default="", help="姓名")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取新员工的初始密码")

    listing = add_command(sub, common, "list", "列出员工（需管理员）", handle_list)
    listing.add_argument("--active", action="store_true", help="只列出未停用的账号")

    disable = add_command(sub, common, "disable", "停用员工账号（需管理员）", handle_disable)
    disable.add_argument("username", metavar="用户名")
    enable = add_command(sub, common, "enable", "恢复已停用的账号（需管理员）", handle_enable)
    enable.add_argument("username", metavar="用户名")
    unlock = add_command(sub, common, "unlock", "解除密码错误锁定和查询锁定（需管理员）", handle_unlock)
    unlock.add_argument("username", metavar="用户名")

    roles = add_command(sub, common, "roles", "设置员工的角色（需管理员）", handle_roles)
    roles.add_argument("username", metavar="用户名")
    roles.add_argument("--role", required=True, help="新的角色集合，逗号分隔")

    reset = add_command(
        sub, common, "reset-password", "重置员工密码，下次登录须修改（需管理员）", handle_reset
    )
    reset.add_argument("username", metavar="用户名")
    reset.add_argument("--password-stdin", action="store_true", help="从标准输入读取临时密码（否则自动生成）")

    passwd = add_command(sub, common, "passwd", "修改自己的密码（--as 用户名）", handle_passwd)
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码")


def handle_add(args: argparse.Namespace) -> int:
    from models import staff

    open_database(args)
    roles = staff.parse_roles(args.role)
    actor = acting_user(args)
    generated = not args.password_stdin
    password = (
        staff.generate_temporary_password() if generated else read_password("新员工初始密码：", stdin=True)
    )
    created = staff.add_staff(actor, args.username, args.full_name, roles, password)
    payload = {"username": created.username, "full_name": created.full_name, "roles": sorted(roles)}
    if generated:
        payload["temporary_password"] = password
    text = f"已添加员工 {created.username}（{created.full_name}），首次登录须修改密码"
    if generated:
        text += f"\n临时密码：{password}"
    emit(args, payload, text)
    return 0


def _mark(view) -> str:
    flags = []
    if not view.active:
        flags.append("已停用")
    if view.locked:
        flags.append("已锁定")
    if view.must_change_password:
        flags.append("须改密码")
    return "、".join(flags)


def handle_list(args: argparse.Namespace) -> int:
    from models import clock, staff

    open_database(args)
    views = staff.list_staff(acting_user(args), include_disabled=not args.active)

    def text() -> str:
        lines = []
        for v in views:
            last = clock.format_local(v.last_login_at) or "从未登录"
            lines.append(
                f"{pad(v.username, 16)} {pad(v.full_name, 12)} {pad('、'.join(v.role_labels), 16)} "
                f"最近登录 {pad(last, 16)}  {_mark(v)}".rstrip()
            )
        return "\n".join(lines) or "没有员工"

    emit(args, [v.to_dict() for v in views], text)
    return 0


def handle_disable(args: argparse.Namespace) -> int:
    from models import staff

    open_database(args)
    target = staff.disable_staff(acting_user(args), args.username)
    emit(args, {"username": target.username, "active": False}, f"已停用账号 {target.username}")
    return 0


def handle_enable(args: argparse.Namespace) -> int:
    from models import staff

    open_database(args)
    target = staff.enable_staff(acting_user(args), args.username)
    emit(args, {"username": target.username, "active": True}, f"已恢复账号 {target.username}")
    return 0


def handle_unlock(args: argparse.Namespace) -> int:
    from models import staff

    open_database(args)
    target = staff.unlock_staff(acting_user(args), args.username)
    emit(args, {"username": target.username, "locked": False}, f"已解除账号 {target.username} 的锁定")
    return 0


def handle_roles(args: argparse.Namespace) -> int:
    from models import staff

    open_database(args)
    roles = staff.parse_roles(args.role)
    target = staff.set_roles(acting_user(args), args.username, roles)
    emit(args, {"username": target.username, "roles": sorted(roles)}, f"已设置 {target.username} 的角色")
    return 0


def handle_reset(args: argparse.Namespace) -> int:
    from models import staff

    open_database(args)
    actor = acting_user(args)
    given = read_password("临时密码：", stdin=True) if args.password_stdin else None
    password = staff.reset_password(actor, args.username, given)
    payload: dict = {"username": args.username, "must_change_password": True}
    text = f"已重置 {args.username} 的密码，下次登录须修改"
    if given is None:
        payload["temporary_password"] = password
        text += f"\n临时密码：{password}"
    emit(args, payload, text)
    return 0


def handle_passwd(args: argparse.Namespace) -> int:
    from models import staff

    open_database(args)
    username = getattr(args, "as_user", None) or os.environ.get("FFDESK_USER")
    if not username:
        raise NotPermitted("请用 --as 用户名 指明要修改谁的密码")
    old = os.environ.get("FFDESK_PASSWORD")
    if old is None:
        old = read_password(f"{username} 的当前密码：")
    if args.password_stdin:
        new = read_password(stdin=True)
    else:
        new = read_password("新密码：")
        if read_password("再次输入新密码：") != new:
            raise InvalidInput("两次输入的新密码不一致")
    actor = staff.change_password(username, old, new)
    emit(args, {"username": actor.username, "changed": True}, f"已修改 {actor.username} 的密码")
    return 0
