"""Shared CLI plumbing: argument errors, database connection, output and error mapping."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote

from desktop.cli.help import ChineseHelpFormatter
from models.errors import FfdeskError, InvalidInput, NotPermitted

log = logging.getLogger("ffdesk.cli")

EXIT_INVALID = 2


class CliParser(argparse.ArgumentParser):
    """argparse with Chinese help columns, Chinese usage errors and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)

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


def pick(payload: Any, path: str) -> Any:
    """The part of a JSON result named by ``path``: keys and list positions joined by dots, and
    ``[field=value]`` to choose the list element whose field has that value, e.g. ``id``,
    ``vouchers.0.code``, ``vouchers[item_code=SERUM_SCREEN].code``."""
    value = payload
    for step in re.findall(r"\[[^\]]*\]|[^.\[\]]+", path):
        if step.startswith("["):
            field, _, wanted = step[1:-1].partition("=")
            found = (
                [e for e in value if isinstance(e, dict) and str(e.get(field)) == wanted]
                if isinstance(value, list)
                else []
            )
            if not found:
                raise KeyError(step)
            value = found[0]
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        elif isinstance(value, dict) and step in value:
            value = value[step]
        else:
            raise KeyError(step)
    return value


def _emit_part(payload: Any, path: str) -> None:
    document = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    try:
        value = pick(document, path)
    except KeyError as exc:
        raise InvalidInput(
            f"操作已完成，但结果中没有 --get {path}（{exc.args[0]} 不存在；用 --json 查看全部字段）"
        ) from None
    if isinstance(value, dict | list):
        sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(("" if value is None else str(value)) + "\n")


def emit(args: argparse.Namespace, payload: Any, text: str | Callable[[], str]) -> None:
    """Print one JSON document with ``--json``, one field of it with ``--get``, else human text."""
    if getattr(args, "get", None):
        _emit_part(payload, args.get)
    elif getattr(args, "json", False):
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        sys.stdout.write((text() if callable(text) else text).rstrip("\n") + "\n")


def missing_sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL when it does not exist (connecting would create it)."""
    if not url.startswith("sqlite:///"):
        return None
    path = Path(unquote(url[len("sqlite:///") :])).expanduser()
    return None if str(path) == ":memory:" or path.exists() else path


@contextlib.contextmanager
def new_file_removed_on_failure(args: argparse.Namespace) -> Iterator[None]:
    """For commands that create a database (init, demo): when the SQLite file did not exist and
    the command fails or is refused, the file it began is removed again — never half a database."""
    from models import db

    missing = missing_sqlite_file(db.resolve_url(getattr(args, "db", None)))
    try:
        yield
    except BaseException:
        if missing is not None:
            db.close()
            for path in (missing, Path(f"{missing}-wal"), Path(f"{missing}-shm"), Path(f"{missing}-journal")):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        raise


def open_database(args: argparse.Namespace, migrate: bool = True) -> None:
    """Connect to an existing database (refused, creating nothing, when its file is missing)."""
    from models import db, migrations

    url = db.resolve_url(getattr(args, "db", None))
    missing = missing_sqlite_file(url)
    if missing is not None and url == db.default_url():
        raise InvalidInput(
            "默认数据库尚未建立：请先启动 ffdesk（首次启动会建立演示医院），或运行 ffdesk init"
        )
    if missing is not None:
        raise InvalidInput(f"数据库文件不存在：{missing}。请先运行 ffdesk init（或用 --db 指定已有的数据库）")
    db.connect(url)
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


def command_name(args: argparse.Namespace) -> str:
    """``client add``: the command without its arguments (which may be personal)."""
    words = [getattr(args, "command", None) or "?"]
    words += [
        v for k, v in vars(args).items() if k.endswith("_command") and k != "command" and isinstance(v, str)
    ]
    return " ".join(words)


def unexpected(args: argparse.Namespace, exc: BaseException) -> int:
    """The user never sees a traceback; the log keeps it."""
    from desktop.logging_setup import log_file, setup_logging

    setup_logging()
    log.error('unexpected error in command "%s"', command_name(args), exc_info=exc)
    sys.stderr.write(f"意外错误：{type(exc).__name__}: {exc}\n详细信息已写入日志：{log_file()}\n")
    return 1


def run_command(args: argparse.Namespace) -> int:
    """Run the command's handler; the log gets its name, exit code and time (never its arguments)."""
    from desktop.logging_setup import setup_logging

    setup_logging()
    started = time.monotonic()
    code = _run_handler(args)
    log.info('command "%s" done: exit %d in %.2f s', command_name(args), code, time.monotonic() - started)
    return code


def _run_handler(args: argparse.Namespace) -> int:
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
