"""Strategies for storage types: citizen links and outbound messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tthc_core.links import CitizenLink
from tthc_core.storage import (
    ClaimedEvent,
    ClientApp,
    InboundEvent,
    Open311Token,
    OutboundMessage,
    ParkedEvent,
    RetryPolicy,
)
from tthc_core.testing.strategies._codes import dossier_codes
from tthc_core.testing.strategies._party import phone_numbers
from tthc_core.testing.strategies._time import aware_datetimes

__all__ = ["citizen_links", "outbound_messages"]

_IDS = st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=24)
_JSON_SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=40)


def citizen_links() -> st.SearchStrategy[CitizenLink]:
    """Links of Zalo-like accounts to dossiers, with or without a phone."""
    return st.builds(
        CitizenLink,
        channel=st.sampled_from(["zalo", "sms", "web"]),
        user_id=_IDS,
        dossier_code=dossier_codes(),
        linked_at=aware_datetimes(),
        phone=st.none() | phone_numbers(),
    )


def outbound_messages() -> st.SearchStrategy[OutboundMessage]:
    """Messages with JSON payloads (Vietnamese text included)."""
    payloads = st.dictionaries(
        st.text(min_size=1, max_size=10),
        st.recursive(
            _JSON_SCALARS,
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=5), inner, max_size=3)
            ),
            max_leaves=8,
        ),
        max_size=5,
    )
    return st.builds(
        OutboundMessage,
        key=_IDS.map(lambda s: f"msg-{s}"),
        channel=st.sampled_from(["zalo", "sms", "postal"]),
        payload=payloads,
    )


def inbound_events() -> st.SearchStrategy[InboundEvent]:
    """Inbound webhook events as the inbox keeps them (payload, raw body, receipt time)."""
    return st.builds(
        InboundEvent,
        source=st.sampled_from(["chat", "postal", "portal"]),
        event_id=_IDS,
        payload=st.dictionaries(st.text(min_size=1, max_size=10), _JSON_SCALARS, max_size=4),
        raw=st.binary(max_size=64),
        received_at=aware_datetimes(),
    )


def client_apps() -> st.SearchStrategy[ClientApp]:
    """Open311 client applications (a digest of some key; active or revoked)."""
    return st.builds(
        ClientApp,
        st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True),
        st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
        aware_datetimes(),
        st.none() | aware_datetimes(),
    )


REGISTRY: dict[type, Any] = {
    ClientApp: client_apps(),
    Open311Token: st.builds(
        Open311Token,
        st.from_regex(r"[A-Za-z0-9_-]{22}", fullmatch=True),
        st.from_regex(r"(GY|PA)-[0-9]{8}-[0-9A-F]{8}", fullmatch=True),
        st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
        aware_datetimes(),
    ),
    CitizenLink: citizen_links(),
    OutboundMessage: outbound_messages(),
    InboundEvent: inbound_events(),
    ClaimedEvent: st.builds(
        ClaimedEvent, st.integers(1, 10**6), inbound_events(), st.integers(1, 9), aware_datetimes()
    ),
    ParkedEvent: st.builds(
        ParkedEvent,
        st.integers(1, 10**6),
        inbound_events(),
        st.integers(1, 9),
        st.text(max_size=80),
    ),
    RetryPolicy: st.builds(
        RetryPolicy,
        st.integers(1, 12),
        st.integers(1, 600).map(lambda s: dt.timedelta(seconds=s)),
        st.integers(600, 86_400).map(lambda s: dt.timedelta(seconds=s)),
    ),
}
