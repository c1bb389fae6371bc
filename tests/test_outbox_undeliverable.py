"""A sender that raises :class:`Undeliverable` parks the message at once; other errors retry."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_adapters.storage import MemoryStore
from tthc_core.storage import OutboundMessage, RetryPolicy, Undeliverable, drain_outbox

NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("error", "parked", "retried"),
    [(Undeliverable("outside the reply window"), 1, 0), (RuntimeError("network"), 0, 1)],
)
def test_undeliverable_parks_at_once(error: Exception, parked: int, retried: int) -> None:
    store = MemoryStore(clock=lambda: NOW)
    with store.unit_of_work() as uow:
        uow.outbox.put(OutboundMessage("k", "zalo", {"user_id": "u", "text": "t"}))
        uow.commit()

    def send(_: OutboundMessage) -> None:
        raise error

    report = drain_outbox(
        store.outbox_queue, send, owner="t", clock=lambda: NOW, retry=RetryPolicy(max_attempts=5)
    )
    assert (report.parked, report.retried) == (parked, retried)
    assert store.outbox_queue.counts().parked == parked
