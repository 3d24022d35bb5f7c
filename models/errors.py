"""Domain errors. Each carries a Chinese message for the user and the CLI exit code.

Exit codes (fixed for every command, now and later):
0 done, 2 invalid input, 3 refused by state, 4 not authenticated / not permitted,
5 not found, 1 unexpected.
"""

from __future__ import annotations

from typing import Any


class FfdeskError(Exception):
    """Base class: ``message`` is shown to the user as it is (Simplified Chinese)."""

    exit_code: int = 1

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": type(self).__name__,
            "message": self.message,
            "exit_code": self.exit_code,
            **self.details,
        }


class InvalidInput(FfdeskError):
    """The user typed something that cannot be right (bad ID number, impossible date…)."""

    exit_code = 2


class Refused(FfdeskError):
    """The request is well-formed but the current state forbids it (already redeemed, expired…)."""

    exit_code = 3


class NotPermitted(FfdeskError):
    """Not signed in, wrong password, locked account or missing role."""

    exit_code = 4


class SessionExpired(NotPermitted):
    """The account changed since this session signed in (disabled, password reset, roles
    changed): the desk goes back to the sign-in screen, the CLI exits with code 4."""


class NotFound(FfdeskError):
    """The named record does not exist."""

    exit_code = 5
