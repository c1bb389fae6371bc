"""Staff sign-ins (đăng nhập) as audited events: success, failure, lock-out, logout.

Every login attempt and logout of the officials' desk is an event in the audit
trail (the ``events`` table every dossier and case event is in), so who
signed in, from where and when can be read back beside what they did. The
events hang off one small aggregate per account, :class:`SignInLog`, keyed by
the user name; attempts naming no account are logged under
:data:`UNKNOWN_ACCOUNT` (not a valid user name, so never a real account's key)
with the name typed, cut to :data:`MAX_TYPED` characters.

Pure: the adapter says what happened (the password check and the lock-out
rule are :mod:`tthc_core.accounts`'), and when, and from which address.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from tthc_core.events import DomainEvent
from tthc_core.text import nfc

__all__ = [
    "MAX_TYPED",
    "UNKNOWN_ACCOUNT",
    "SignInLog",
    "SignInOutcome",
    "StaffLockedOut",
    "StaffSignInEvent",
    "StaffSignInFailed",
    "StaffSignedIn",
    "StaffSignedOut",
    "log_key",
    "record_sign_in",
]

#: The log key of attempts that named no account.
UNKNOWN_ACCOUNT = "-unknown-"
#: The most characters of a typed user name kept on a failed attempt.
MAX_TYPED = 64


class SignInOutcome(enum.Enum):
    """What one attempt or logout came to."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"  # wrong password, unknown name, or the account was locked
    LOCKED_OUT = "locked_out"  # this failure reached the limit and locked the account
    SIGNED_OUT = "signed_out"


@attrs.frozen(kw_only=True)
class StaffSignInEvent(DomainEvent):
    """Base of the sign-in events.

    Args:
        username: The account's user name (or the name typed, on an unknown account).
        client: The client's address as the server saw it.
    """

    username: str
    client: str


@attrs.frozen(kw_only=True)
class StaffSignedIn(StaffSignInEvent):
    """A successful login."""


@attrs.frozen(kw_only=True)
class StaffSignInFailed(StaffSignInEvent):
    """A refused login.

    Args:
        known_account: Whether the name was an account's.
    """

    known_account: bool


@attrs.frozen(kw_only=True)
class StaffLockedOut(StaffSignInEvent):
    """The failure that locked the account (:class:`tthc_core.accounts.LockoutPolicy`).

    Args:
        until: When the lock ends.
    """

    until: dt.datetime


@attrs.frozen(kw_only=True)
class StaffSignedOut(StaffSignInEvent):
    """A logout."""


@attrs.frozen(kw_only=True)
class SignInLog:
    """One account's sign-in record (the events carry the detail).

    Args:
        key: The user name, or :data:`UNKNOWN_ACCOUNT`.
        last_success_at: The last successful login.
        last_failure_at: The last refused one.
        version: The stored version (optimistic concurrency).
    """

    key: str
    last_success_at: dt.datetime | None = None
    last_failure_at: dt.datetime | None = None
    version: int = 0


def log_key(username: str, *, known_account: bool) -> str:
    """The key of the log an attempt naming ``username`` is recorded under."""
    return nfc(username.strip())[:MAX_TYPED] if known_account else UNKNOWN_ACCOUNT


def record_sign_in(
    log: SignInLog | None,
    outcome: SignInOutcome,
    *,
    username: str,
    known_account: bool,
    client: str,
    at: dt.datetime,
    locked_until: dt.datetime | None = None,
) -> tuple[SignInLog, list[StaffSignInEvent]]:
    """The log after one attempt or logout, and its events.

    A lock-out is recorded as the failure and then the lock (two events).

    Args:
        log: The stored log (None the first time).
        outcome: What happened.
        username: The user name typed (checked by the caller when known).
        known_account: Whether it names an account.
        client: The client's address.
        at: When.
        locked_until: When the lock ends (for ``LOCKED_OUT``).
    """
    typed = nfc(username.strip())[:MAX_TYPED]
    log = log or SignInLog(key=log_key(username, known_account=known_account))
    who = client[:MAX_TYPED]
    if outcome is SignInOutcome.SUCCEEDED:
        done = StaffSignedIn(occurred_at=at, username=typed, client=who)
        return attrs.evolve(log, last_success_at=at), [done]
    if outcome is SignInOutcome.SIGNED_OUT:
        return log, [StaffSignedOut(occurred_at=at, username=typed, client=who)]
    events: list[StaffSignInEvent] = [
        StaffSignInFailed(occurred_at=at, username=typed, client=who, known_account=known_account)
    ]
    if outcome is SignInOutcome.LOCKED_OUT and locked_until is not None:
        events.append(
            StaffLockedOut(occurred_at=at, username=typed, client=who, until=locked_until)
        )
    return attrs.evolve(log, last_failure_at=at), events
