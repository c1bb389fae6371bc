"""A long-running inbox worker: handle accepted events, wait (or be woken), repeat."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping

from tthc_adapters.storage._clock import utc_now
from tthc_adapters.storage._outbox_worker import worker_name
from tthc_core.storage import Clock, Handler, RetryPolicy, Store, drain_inbox
from tthc_core.storage._inbox import INBOX_RETRY

__all__ = ["run_inbox_worker"]


def run_inbox_worker(
    store: Store,
    handlers: Mapping[str, Handler],
    *,
    stop: threading.Event,
    wake: threading.Event | None = None,
    owner: str | None = None,
    clock: Clock = utc_now,
    poll_interval: float = 1.0,
    lease: dt.timedelta = dt.timedelta(minutes=1),
    batch: int = 50,
    retry: RetryPolicy = INBOX_RETRY,
    settle: float = 0.01,
) -> None:
    """Handle accepted inbound events until ``stop`` is set.

    Run as many as you like, in as many processes as you like: they share the
    events through leases, and each event is handled once
    (:func:`~tthc_core.storage.drain_inbox`).

    Args:
        store: The store (its inbox queue and units of work).
        handlers: The handler of each event source.
        stop: Set it to stop after the current drain (set ``wake`` too to stop at once).
        wake: Set it to drain now instead of at the next poll (the webhook
            does, in the same process); the worker clears it before each drain.
        owner: This worker's name (default: :func:`worker_name`).
        clock: Tells the time.
        poll_interval: Seconds between drains when nothing wakes the worker.
        lease: How long a claimed event is reserved.
        batch: Events claimed at a time. A batch is handled in one deferred
            unit of work where the store has them (``deferred_unit_of_work``:
            reads without the write lock, then one short write transaction;
            on PostgreSQL its writes pipelined), else in one ordinary one.
        retry: Back-off between failed attempts, then parking.
        settle: Seconds to wait after being woken before draining, so that
            events arriving together are claimed and handled as one batch
            (one transaction) rather than one by one.
    """
    name = owner or worker_name()
    while not stop.is_set():
        if wake is not None:
            wake.clear()  # before draining: a ring during the drain makes the wait return at once
        drain_inbox(
            store.inbox_queue,
            store.unit_of_work,
            handlers,
            owner=name,
            clock=clock,
            lease=lease,
            batch=batch,
            retry=retry,
            optimistic=getattr(store, "deferred_unit_of_work", None),
        )
        if wake is None:
            stop.wait(poll_interval)
        elif wake.wait(poll_interval) and settle:
            stop.wait(settle)
