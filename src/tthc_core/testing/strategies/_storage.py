"""Strategies for storage types: citizen links and outbound messages."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tthc_core.links import CitizenLink
from tthc_core.storage import OutboundMessage
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


REGISTRY: dict[type, Any] = {
    CitizenLink: citizen_links(),
    OutboundMessage: outbound_messages(),
}
