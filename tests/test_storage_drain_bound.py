"""drain_outbox ends even when the queue never runs dry (a bound on its loop)."""

from __future__ import annotations

import datetime as dt

from tthc_core.storage import OutboundMessage, OutboxCounts, PendingMessage, drain_outbox
from tthc_core.testing.contracts import ManualClock


class _NeverParks:
    """A broken queue: every claim returns a message again, nothing is ever released."""

    def __init__(self) -> None:
        self.claims = 0

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[PendingMessage]:
        self.claims += 1
        return [PendingMessage(1, OutboundMessage("k", "zalo"), 1, now + lease)]

    def delivered(self, message_id: int, *, owner: str, now: dt.datetime) -> bool:
        return True

    def failed(
        self, message_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        return True

    def counts(self) -> OutboxCounts:
        return OutboxCounts(pending=1, delivered=0, parked=0)


def test_a_queue_that_never_runs_dry_stops_the_drain_at_its_bound() -> None:
    queue, sent = _NeverParks(), []
    report = drain_outbox(queue, sent.append, owner="w", clock=ManualClock(), max_rounds=25)
    assert report.unfinished
    assert (queue.claims, report.delivered, len(sent)) == (25, 25, 25)


def test_a_drain_that_empties_the_queue_within_its_bound_is_finished() -> None:
    class _Once(_NeverParks):
        def claim(self, **kwargs: object) -> list[PendingMessage]:  # type: ignore[override]
            return super().claim(**kwargs) if self.claims < 3 else []  # type: ignore[arg-type]

    queue = _Once()
    report = drain_outbox(queue, lambda _: None, owner="w", clock=ManualClock(), max_rounds=3)
    # Three rounds delivered, and the bound was reached exactly: still unfinished,
    # since the drain cannot know the queue is empty without one more claim.
    assert (report.delivered, report.unfinished) == (3, True)
    report = drain_outbox(_Once(), lambda _: None, owner="w", clock=ManualClock(), max_rounds=4)
    assert (report.delivered, report.unfinished) == (3, False)
