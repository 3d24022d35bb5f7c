"""Surviving a lost database connection (PostgreSQL restarted, network dropped, idle kill).

:func:`with_reconnect` runs one unit of work in one transaction. When the connection is lost
it reconnects (waiting a little for a restarting server) and then decides honestly:

- lost while the work was still running → the server rolled the transaction back, so the
  whole work is run again: done once;
- lost while committing → the commit may or may not have reached the server. The work is
  re-run only when the caller says that is harmless (``idempotent=True``, e.g. issuance,
  which returns the existing issuance) or when ``check_done`` — a read in a fresh transaction
  — says the first attempt did not happen. Otherwise :class:`ConnectionLost` tells the user
  to check, rather than risk doing it twice.

The returned :class:`Outcome` carries a Chinese ``message`` the GUI shows when a reconnect
happened ("已重新连接，操作已完成（只执行了一次）").

Services already run their writes through ``models.db.run_in_transaction``; called inside
``work`` they become savepoints of the one outer transaction, so everything ``work`` does is
rolled back or committed together.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import peewee

from models.db import database, is_postgres, run_in_transaction
from models.errors import FfdeskError

T = TypeVar("T")

LOST_MARKERS = (
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "connection already closed",
    "the connection is lost",
    "consuming input failed",
    "connection has been closed",
    "connection to server",
    "could not receive data",
    "could not send data",
    "ssl syscall error",
    "connection reset",
    "broken pipe",
)
MSG_DONE_RERUN = "数据库连接曾中断，已自动重新连接；该操作已重新执行并完成（只执行了一次）"
MSG_DONE_FIRST = "数据库连接在提交时中断，已重新连接并核实：该操作已完成（只执行了一次）"


class ConnectionLost(FfdeskError):
    """The connection was lost and the action could not be completed safely.

    ``done`` is False when the action certainly did not happen, None when nobody can tell.
    """

    exit_code = 1

    def __init__(self, message: str, done: bool | None) -> None:
        super().__init__(message, done=done)
        self.done = done


@dataclass
class Outcome(Generic[T]):
    value: T
    reconnected: bool = False
    message: str = ""


def is_connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` means the PostgreSQL connection is gone (not a lock or a bad statement)."""
    if not isinstance(exc, (peewee.OperationalError, peewee.InterfaceError)):
        return False
    if not is_postgres():
        return False
    conn = getattr(database.obj._state, "conn", None)
    if conn is not None and (getattr(conn, "closed", False) or getattr(conn, "broken", False)):
        return True
    text = str(exc).lower()
    return any(marker in text for marker in LOST_MARKERS)


def _discard_connection(obj: peewee.Database) -> None:
    """Close the (possibly broken) connection and forget it.

    peewee's close() can refuse a broken connection; the driver's own close() always works,
    and skipping it would leave an unclosed psycopg connection for the garbage collector.
    """
    raw = getattr(obj._state, "conn", None)
    with contextlib.suppress(Exception):
        obj.close()
    if raw is not None:
        with contextlib.suppress(Exception):
            raw.close()
    with contextlib.suppress(Exception):
        obj._state.reset()


def reconnect(wait: float = 15.0) -> None:
    """Drop the dead connection and open a new one, retrying for up to ``wait`` seconds."""
    obj = database.obj
    _discard_connection(obj)
    deadline = time.monotonic() + wait
    delay = 0.2
    while True:
        try:
            obj.connect(reuse_if_open=True)
            obj.execute_sql("SELECT 1")
            return
        except (peewee.OperationalError, peewee.InterfaceError):
            _discard_connection(obj)
            if time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def with_reconnect(
    work: Callable[[], T],
    *,
    idempotent: bool = False,
    check_done: Callable[[], T | None] | None = None,
    wait: float = 15.0,
) -> Outcome[T]:
    """Run ``work`` in one transaction, surviving one lost connection (see the module docstring).

    ``check_done`` returns the action's result when the first attempt did commit, else None.
    """
    phase = ["work"]

    def attempt() -> T:
        phase[0] = "work"
        value = work()
        phase[0] = "commit"
        return value

    try:
        return Outcome(run_in_transaction(attempt))
    except (peewee.OperationalError, peewee.InterfaceError) as exc:
        if not is_connection_lost(exc):
            raise
        lost_in = phase[0]
    uncertain = lost_in == "commit"
    try:
        reconnect(wait)
    except (peewee.OperationalError, peewee.InterfaceError) as exc:
        if uncertain:
            raise ConnectionLost(
                "数据库连接在提交时中断，且暂时无法重新连接：无法确定该操作是否已完成。"
                "请在恢复连接后查询核对，切勿直接重做",
                done=None,
            ) from exc
        raise ConnectionLost(
            "数据库连接中断，且暂时无法重新连接：该操作未执行，请稍后重试", done=False
        ) from exc
    if uncertain and not idempotent:
        if check_done is None:
            raise ConnectionLost(
                "数据库连接在提交时中断：无法确定该操作是否已完成。请查询核对后再决定是否重做", done=None
            )
        earlier = run_in_transaction(check_done)
        if earlier is not None:
            return Outcome(earlier, True, MSG_DONE_FIRST)
    try:
        return Outcome(run_in_transaction(attempt), True, MSG_DONE_RERUN)
    except (peewee.OperationalError, peewee.InterfaceError) as exc:
        if not is_connection_lost(exc):
            raise
        done = False if phase[0] == "work" else None
        text = "该操作未执行" if done is False else "无法确定该操作是否已完成，请查询核对"
        raise ConnectionLost(f"数据库连接再次中断：{text}", done=done) from exc
