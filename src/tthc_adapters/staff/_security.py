"""Passwords, logins with lock-out, sessions and CSRF tokens of the staff application.

* Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's
  second recommended profile); a hash made with older parameters is replaced
  at the next successful login.
* The session lives in a signed cookie (Starlette's ``SessionMiddleware``,
  itsdangerous), HttpOnly and SameSite=strict. :func:`start_session` clears
  it and draws a new session id and CSRF token at login, so a session planted
  before login is worth nothing after (no fixation).
* Every form carries the session's CSRF token; :func:`check_csrf` compares it
  in constant time.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

import argon2
import attrs

from tthc_core.accounts import (
    Account,
    Accounts,
    LockoutPolicy,
    is_locked,
    login_failed,
    login_succeeded,
)
from tthc_core.errors import TthcError

__all__ = [
    "CsrfMismatch",
    "LoginRefused",
    "PasswordHasher",
    "authenticate",
    "check_csrf",
    "csrf_token",
    "end_session",
    "session_user",
    "start_session",
]

logger = logging.getLogger("tthc.staff")

_SID = "sid"
_USER = "user"
_CSRF = "csrf"


class PasswordHasher:
    """argon2id password hashes.

    Args:
        hasher: The argon2-cffi hasher (tests pass cheap parameters).
    """

    def __init__(self, hasher: argon2.PasswordHasher | None = None) -> None:
        self._hasher = hasher or argon2.PasswordHasher()

    def hash(self, password: str) -> str:
        """The hash of ``password`` (salted; never the same twice)."""
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` matches ``password_hash``."""
        try:
            return self._hasher.verify(password_hash, password)
        except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with other parameters than today's."""
        return self._hasher.check_needs_rehash(password_hash)


class LoginRefused(TthcError):  # noqa: N818 - reads best at call sites
    """A login was refused; the message is the same whatever the reason (no user probing).

    Attributes:
        locked: Whether the account is (now) locked.
        account: The account's user name, if the name was an account's.
        locked_until: When a lock this failure started ends (None: it started none).
    """

    def __init__(
        self,
        *,
        locked: bool = False,
        account: str | None = None,
        locked_until: dt.datetime | None = None,
    ) -> None:
        super().__init__("wrong user name or password, or the account is locked")
        self.locked = locked
        self.account = account
        self.locked_until = locked_until


class CsrfMismatch(TthcError):  # noqa: N818 - reads best at call sites
    """A form came without the session's CSRF token."""


#: A hash to verify against when the user name is unknown, so timing does not tell.
_DUMMY: dict[int, str] = {}


def authenticate(
    accounts: Accounts,
    hasher: PasswordHasher,
    username: str,
    password: str,
    *,
    at: dt.datetime,
    policy: LockoutPolicy,
) -> Account:
    """The account ``username`` if ``password`` is right and it is not locked.

    A wrong password counts towards the lock-out; the failure that reaches
    ``policy.max_failures`` locks the account for ``policy.lock_for``. While
    locked, even the right password is refused (and not counted).

    Raises:
        LoginRefused: With the same message for every reason.
    """
    account = accounts.get(username.strip().lower())
    if account is None:
        if 0 not in _DUMMY:  # hashed once: a miss costs one verification, like a hit
            _DUMMY[0] = hasher.hash(secrets.token_hex(8))
        hasher.verify(_DUMMY[0], password)
        logger.info("staff login refused: unknown user %r", username)
        raise LoginRefused
    if is_locked(account, at):
        logger.warning("staff login refused: %s is locked or inactive", account.username)
        raise LoginRefused(locked=True, account=account.username)
    if not hasher.verify(account.password_hash, password):
        failed = login_failed(account, at, policy)
        accounts.update(failed)
        locked = failed.locked_until is not None
        logger.warning("staff login failed for %s%s", account.username, " (locked)" * locked)
        raise LoginRefused(
            locked=locked, account=account.username, locked_until=failed.locked_until
        )
    done = login_succeeded(account)
    if hasher.needs_rehash(account.password_hash):
        done = attrs.evolve(done, password_hash=hasher.hash(password))
    if done != account:
        accounts.update(done)
    logger.info("staff login: %s (%s)", account.username, account.role.value)
    return done


def start_session(session: dict[str, object], account: Account) -> None:
    """Log ``account`` in: a new session id and CSRF token replace everything before."""
    session.clear()
    session[_SID] = secrets.token_urlsafe(24)
    session[_USER] = account.username
    session[_CSRF] = secrets.token_urlsafe(32)


def end_session(session: dict[str, object]) -> None:
    """Log out: forget the session."""
    session.clear()


def session_user(session: dict[str, object]) -> str | None:
    """The user name the session is logged in as."""
    user = session.get(_USER)
    return user if isinstance(user, str) else None


def csrf_token(session: dict[str, object]) -> str:
    """The session's CSRF token (drawn on first use, for the login form)."""
    token = session.get(_CSRF)
    if not isinstance(token, str):
        token = session[_CSRF] = secrets.token_urlsafe(32)
    return token


def check_csrf(session: dict[str, object], submitted: object) -> None:
    """Accept a form only with the session's CSRF token.

    Raises:
        CsrfMismatch: If the token is missing or wrong.
    """
    expected = session.get(_CSRF)
    if not (
        isinstance(expected, str)
        and isinstance(submitted, str)
        and secrets.compare_digest(expected.encode(), submitted.encode())
    ):
        raise CsrfMismatch("the form's security token is missing or expired; reload the page")
