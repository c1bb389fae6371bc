"""Login events in the audit trail, and the per-address limit on login attempts.

Each attempt and logout is recorded through :func:`tthc_core.sign_ins.record_sign_in`
in the store's audit trail (events of the ``staff_sign_in`` kind), attributed
to the officer when the name was an account's. Attempts from one client
address are counted by a :class:`~tthc_adapters.app._throttle.Throttle`
(the `limits` library) before the password is checked, so a guesser spread
over many user names is stopped too; the lock-out of one account
(:class:`tthc_core.accounts.LockoutPolicy`) still applies beneath it.
"""

from __future__ import annotations

import datetime as dt
import logging

from starlette.requests import Request

from tthc_adapters.storage import attributed_unit_of_work
from tthc_core.sign_ins import SignInOutcome, log_key, record_sign_in
from tthc_core.storage import ConcurrencyConflict, Store, UnitOfWork
from tthc_core.storage.kinds import SIGN_INS

__all__ = ["LOGIN_RATE", "client_of", "log_sign_in"]

logger = logging.getLogger("tthc.staff")

#: Login attempts allowed from one client address (a commune office behind one
#: NAT address logs a few dozen officers in each morning).
LOGIN_RATE = "30/minute;300/hour"
_ATTEMPTS = 3


def client_of(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: as the proxy passes it)."""
    return request.client.host if request.client else "unknown"


def log_sign_in(
    store: Store,
    outcome: SignInOutcome,
    *,
    username: str,
    known_account: bool,
    client: str,
    at: dt.datetime,
    locked_until: dt.datetime | None = None,
) -> None:
    """Record one attempt or logout in the audit trail (retried on a concurrent write)."""
    for attempt in range(_ATTEMPTS):
        uow: UnitOfWork = (
            attributed_unit_of_work(store, username) if known_account else store.unit_of_work()
        )
        try:
            with uow:
                logs = uow.repository(SIGN_INS)
                log, events = record_sign_in(
                    logs.get(log_key(username, known_account=known_account)),
                    outcome,
                    username=username,
                    known_account=known_account,
                    client=client,
                    at=at,
                    locked_until=locked_until,
                )
                logs.save(log, events)
                uow.commit()
            return
        except ConcurrencyConflict:
            if attempt == _ATTEMPTS - 1:
                logger.error("staff: sign-in of %r not recorded after %d tries", username, attempt)
                raise
