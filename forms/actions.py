"""Desk actions that survive a lost database connection and tell the user what happened.

A PostgreSQL restart in the middle of a session kills the desk's connection. Screens run their
writes through :func:`run_action`: it reconnects (``models.resilience.with_reconnect``) and
then says, in Chinese, whether the interrupted action was done once or not at all, or that
nobody can tell and the user must check before redoing it. Reads go through :func:`run_read`,
which simply reconnects and reads again.

On SQLite there is no connection to lose: both call the service directly, unchanged.

The ``*_by_me`` helpers are ``check_done`` functions for the key write paths: after the
reconnect they look (through the services, in a fresh transaction) whether the first attempt
did commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from forms import messages
from models import db, resilience, vouchers
from models.permissions import Actor
from models.redemption import RedemptionResult, ReversalResult
from models.vouchers import VoucherView

T = TypeVar("T")


def run_action(
    parent: QWidget | None,
    work: Callable[[], T],
    *,
    idempotent: bool = False,
    check_done: Callable[[], T | None] | None = None,
) -> T:
    """Run one write ``work()``; after a lost connection, tell the user done-once or not-done.

    Returns the service's result. A :class:`models.resilience.ConnectionLost` is shown in a box
    and then raised again (it is an ``FfdeskError``), so the screen's usual error handling
    also shows it where the user is looking (banner, status line).
    """
    if not db.is_postgres():
        return work()
    try:
        outcome = resilience.with_reconnect(work, idempotent=idempotent, check_done=check_done)
    except resilience.ConnectionLost as exc:
        messages.show_error(parent, exc, _title())
        raise
    if outcome.reconnected:
        show_notice(parent, outcome.message)
    return outcome.value


def run_read(work: Callable[[], T]) -> T:
    """A read: after a lost connection reconnect and read again (nothing to tell the user)."""
    if not db.is_postgres():
        return work()
    return resilience.with_reconnect(work, idempotent=True).value


def show_notice(parent: QWidget | None, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, _title(), text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("reconnectBox")
    box.exec()


def _title() -> str:
    return "数据库连接"  # the messages themselves come from models.resilience, in Chinese


# --- check_done for the key write paths (services only, no SQL here) -------------------------


def redeemed_by_me(actor: Actor, seen: VoucherView, point_code: str) -> Callable[[], RedemptionResult | None]:
    """Done when the voucher, seen ``issued`` before, is now redeemed by this actor at this point."""

    def check() -> RedemptionResult | None:
        fresh = vouchers.get_voucher(actor, seen.code)
        last = fresh.ledger[-1] if fresh.ledger else None
        if (
            fresh.state != "redeemed"
            or fresh.version <= seen.version
            or fresh.redeemed_point != point_code
            or fresh.redeemed_by != actor.name
            or last is None
            or last.kind != "redeem"
        ):
            return None
        return RedemptionResult(
            voucher=fresh,
            ledger_id=last.id,
            amount_fen=last.amount_fen,
            posted_on=last.posted_on,
            period=last.period,
            message=f"已核销：{fresh.item_name} {fresh.value_text}，"
            f"服务对象 {fresh.client_name_masked}（{fresh.client_id_masked}）",
        )

    return check


def reversed_by_me(actor: Actor, seen: VoucherView, reason: str) -> Callable[[], ReversalResult | None]:
    """Done when a reversal row by this actor with this reason follows the ledger rows seen before."""
    reason = " ".join(reason.split())

    def check() -> ReversalResult | None:
        fresh = vouchers.get_voucher(actor, seen.code)
        if len(fresh.ledger) <= len(seen.ledger):
            return None
        last = fresh.ledger[-1]
        if last.kind != "reverse" or last.staff_name != actor.name or (last.reason or "") != reason:
            return None
        return ReversalResult(
            voucher=fresh,
            ledger_id=last.id,
            amount_fen=last.amount_fen,
            posted_on=last.posted_on,
            period=last.period,
            message=f"已冲正：{fresh.item_name}，记入 {last.period}，券恢复为未使用",
        )

    return check


def voided_by_me(actor: Actor, code: str, reason: str) -> Callable[[], VoucherView | None]:
    """Done when the voucher is voided by this actor with this reason."""
    reason = " ".join(reason.split())

    def check() -> VoucherView | None:
        fresh = vouchers.get_voucher(actor, code)
        if fresh.state == "voided" and fresh.voided_by == actor.name and (fresh.void_reason or "") == reason:
            return fresh
        return None

    return check
