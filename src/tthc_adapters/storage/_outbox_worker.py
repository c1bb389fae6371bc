"""A long-running outbox worker: drain, wait, repeat, until told to stop."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import uuid

from tthc_adapters.storage._clock import utc_now
from tthc_core.storage import Clock, OutboxQueue, RetryPolicy, Sender, drain_outbox

__all__ = ["run_outbox_worker", "worker_name"]


def worker_name() -> str:
    """A name unique to this process: host, process id and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def run_outbox_worker(
    queue: OutboxQueue,
    send: Sender,
    *,
    stop: threading.Event,
    owner: str | None = None,
    clock: Clock = utc_now,
    poll_interval: float = 1.0,
    lease: dt.timedelta = dt.timedelta(minutes=1),
    batch: int = 50,
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - immutable
) -> None:
    """Drain the outbox every ``poll_interval`` seconds until ``stop`` is set.

    Run as many workers as you like, on as many machines as you like (on
    PostgreSQL): they share the load through leases.

    Args:
        queue: The store's outbox queue.
        send: Delivers one message; raising means "retry later".
        stop: Set it to stop after the current drain.
        owner: This worker's name (default: :func:`worker_name`).
        clock: Tells the time.
        poll_interval: Seconds between drains when the outbox is empty.
        lease: How long a claimed message is reserved.
        batch: Messages claimed at a time.
        retry: Back-off and parking.
    """
    name = owner or worker_name()
    while not stop.is_set():
        drain_outbox(queue, send, owner=name, clock=clock, lease=lease, batch=batch, retry=retry)
        stop.wait(poll_interval)
