"""Strategies for staff sign-in logs and their events (:mod:`tthc_core.sign_ins`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tthc_core.sign_ins import SignInLog, SignInOutcome, StaffSignInEvent, record_sign_in
from tthc_core.testing.strategies._accounts import usernames
from tthc_core.testing.strategies._time import aware_datetimes

__all__ = ["REGISTRY", "sign_in_histories"]

_CLIENTS = st.sampled_from(("10.0.0.7", "203.113.1.20", "2001:db8::1", "testclient"))


@st.composite
def sign_in_histories(draw: st.DrawFn) -> tuple[SignInLog, list[StaffSignInEvent]]:
    """One log (an account's, or the unknown names') and the events of its attempts, in order.

    Every outcome is drawn, a lock-out included, so every sign-in event class appears.
    """
    known = draw(st.booleans())
    name = draw(usernames() if known else st.text(max_size=80))
    at = draw(aware_datetimes())
    log: SignInLog | None = None
    events: list[StaffSignInEvent] = []
    for outcome in draw(st.lists(st.sampled_from(SignInOutcome), min_size=1, max_size=8)):
        at += dt.timedelta(seconds=draw(st.integers(1, 3600)))
        log, more = record_sign_in(
            log,
            outcome,
            username=name,
            known_account=known,
            client=draw(_CLIENTS),
            at=at,
            locked_until=at + dt.timedelta(minutes=15),
        )
        events += more
    assert log is not None
    return log, events


REGISTRY: dict[type, Any] = {SignInLog: sign_in_histories().map(lambda h: h[0])}
