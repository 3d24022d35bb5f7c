"""Shared CLI plumbing: argument errors, database connection, output and error mapping."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from models.errors import FfdeskError, InvalidInput, NotPermitted

log = logging.getLogger("ffdesk.cli")

EXIT_INVALID = 2

_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个参数值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选 %(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
}
# argparse looks its messages up through gettext at run time: answer them in Chinese.
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


class CliParser(argparse.ArgumentParser):
    """argparse with Chinese usage errors and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: 参数错误：{message}\n")
        raise SystemExit(EXIT_INVALID)


def add_command(
    subparsers: Any,
    common: argparse.ArgumentParser,
    name: str,
    help_text: str,
    handler: Callable[[argparse.Namespace], Any] | None = None,
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text, description=help_text, parents=[common])
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def emit(args: argparse.Namespace, payload: Any, text: str | Callable[[], str]) -> None:
    """Print one JSON document with ``--json``, else human text."""
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        sys.stdout.write((text() if callable(text) else text).rstrip("\n") + "\n")


def open_database(args: argparse.Namespace, migrate: bool = True) -> None:
    from models import db, migrations

    db.connect(getattr(args, "db", None))
    if migrate and migrations.needs_upgrade():
        if migrations.current_version() == 0:
            raise InvalidInput("数据库尚未初始化：请先运行 ffdesk init")
        migrations.migrate()


def output_path(text: str, what: str = "输出文件"):
    """``--out``: checked before any work is done (a folder, a missing folder, no permission → exit 2)."""
    from models import files

    return files.output_file(text, what)


def write_output(path, data: bytes, what: str = "输出文件") -> None:
    """Write the whole file or nothing; an operating-system error is an input error (exit 2)."""
    from models import files

    files.write_file(path, data, what)


def undecodable_argument(argv: list[str]) -> str | None:
    """The first command-line argument that is not valid UTF-8, shown printable; else None."""
    from models import files

    return next((files.shown(arg) for arg in argv if files.undecodable(arg)), None)


def read_password(prompt: str = "密码：", stdin: bool = False) -> str:
    if stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput("标准输入中没有密码")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInput("无法提示输入密码：请使用 --password-stdin 或设置 FFDESK_PASSWORD")
    return getpass.getpass(prompt)


def acting_user(args: argparse.Namespace, service_point: str | None = None):
    """The signed-in Actor for ``--as USER`` (password from FFDESK_PASSWORD or a prompt)."""
    from models import staff

    username = getattr(args, "as_user", None) or os.environ.get("FFDESK_USER")
    if not username:
        raise NotPermitted("此命令需要登录：请加 --as 用户名（密码取自 FFDESK_PASSWORD 或提示输入）")
    password = os.environ.get("FFDESK_PASSWORD")
    if password is None:
        password = read_password(f"{username} 的密码：")
    return staff.authenticate(username, password, service_point=service_point)


def connection_lost(exc: BaseException):
    """A lost PostgreSQL connection as a ``ConnectionLost`` saying done-or-not, else None.

    A command is one process: it does not reconnect. Lost while working, the server rolled the
    transaction back (not done); lost while committing, nobody can tell (check before redoing).
    """
    import traceback

    from models import resilience

    if not resilience.is_connection_lost(exc):
        return None
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in chain:  # the rollback after a failed commit fails too
        chain.append(link)
        link = link.__cause__ or link.__context__
    frames = (frame for e in chain for frame, _ in traceback.walk_tb(e.__traceback__))
    if any(frame.f_code.co_name == "commit" for frame in frames):
        return resilience.ConnectionLost(
            "数据库连接在提交时中断：无法确定该操作是否已完成。请查询核对后再决定是否重做", done=None
        )
    return resilience.ConnectionLost(
        "数据库连接中断：该操作未执行（已全部撤销），请在连接恢复后重试", done=False
    )


def unexpected(args: argparse.Namespace, exc: BaseException) -> int:
    """The user never sees a traceback; the log keeps it."""
    from desktop.logging_setup import log_file, setup_logging

    setup_logging()
    log.error("unexpected error in %s", getattr(args, "command", "?"), exc_info=exc)
    sys.stderr.write(f"意外错误：{type(exc).__name__}: {exc}\n详细信息已写入日志：{log_file()}\n")
    return 1


def run_command(args: argparse.Namespace) -> int:
    handler = getattr(args, "handler", None)
    if handler is None:
        sys.stderr.write("请指定子命令，使用 --help 查看用法\n")
        return EXIT_INVALID
    try:
        try:
            result = handler(args)
        except Exception as exc:
            lost = connection_lost(exc)
            if lost is None:
                raise
            raise lost from exc
        return int(result or 0)
    except FfdeskError as exc:
        if getattr(args, "json", False):
            sys.stdout.write(json.dumps(exc.to_dict(), ensure_ascii=False, default=str) + "\n")
        sys.stderr.write(f"错误：{exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("已取消\n")
        return 1
    except OSError as exc:
        if exc.filename is None:
            return unexpected(args, exc)
        from models import files  # a file the user named could not be read or written: bad input

        sys.stderr.write(f"错误：无法访问文件 {files.shown(str(exc.filename))}：{files.reason(exc)}\n")
        return EXIT_INVALID
    except Exception as exc:
        return unexpected(args, exc)
    finally:
        from models import db

        db.close()
