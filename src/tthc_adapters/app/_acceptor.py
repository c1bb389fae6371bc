"""Group commit for the chat webhook: events that arrive together are recorded in one transaction.

Recording an event must be durable before the webhook answers ``200``; one
commit (one flush to disk) per event would cap the webhook at the disk's flush
rate and queue every request behind the write lock. So the webhook hands its
event to the acceptor's committer thread and awaits the outcome without
holding a thread itself; the committer records every event waiting at once
(up to ``max_batch``) in one transaction, then answers each request. Each is
still answered only after the commit that holds its event, so an acknowledged
event is never lost. If a group's transaction fails, its events are recorded
one by one, so an error reaches only the request it belongs to.

``durable=False`` answers once the group is written to the database's log,
before it is flushed to disk (SQLite ``synchronous=NORMAL``, PostgreSQL
``synchronous_commit=off``): an acknowledged event survives a crash of tthc
(``kill -9``), but an operating-system crash or power cut may lose the events
of the last moments — which the platform, having had its ``200``, will not
send again. The default waits for the flush.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading

from tthc_core.storage import InboundEvent, Store

__all__ = ["InboxAcceptor"]

#: Seconds the committer thread waits for work before it ends (it restarts on demand).
IDLE_SECONDS = 5.0

_Waiting = tuple[InboundEvent, "asyncio.Future[bool]", asyncio.AbstractEventLoop]


class InboxAcceptor:
    """Records inbound events in the inbox, grouping concurrent ones into one commit.

    Args:
        store: The store.
        durable: Answer after the flush to disk (default), or after the
            write to the database's log (module docstring).
        max_batch: The most events one transaction records.
    """

    def __init__(self, store: Store, *, durable: bool = True, max_batch: int = 64) -> None:
        self._store = store
        self._durable = durable
        self._max = max_batch
        self._waiting: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._committer: threading.Thread | None = None

    async def accept(self, event: InboundEvent) -> bool:
        """Record ``event`` durably; ``False`` if it was accepted before.

        Raises:
            Exception: Whatever recording this event raised (the store's errors).
        """
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[bool] = loop.create_future()
        self._waiting.put((event, outcome, loop))
        with self._lock:
            if self._committer is None:
                self._committer = threading.Thread(
                    target=self._commit_loop, name="tthc-inbox-acceptor", daemon=True
                )
                self._committer.start()
        return await outcome

    def _commit_loop(self) -> None:
        while True:
            try:
                batch = [self._waiting.get(timeout=IDLE_SECONDS)]
            except queue.Empty:
                with self._lock:
                    if self._waiting.empty():
                        self._committer = None
                        return
                continue
            while len(batch) < self._max:
                try:
                    batch.append(self._waiting.get_nowait())
                except queue.Empty:
                    break
            self._record(batch)

    def _record(self, batch: list[_Waiting]) -> None:
        """Record a group in one transaction; alone each, if the group's transaction fails."""
        try:
            new = self._store.inbox_queue.accept_all(
                [event for event, _, _ in batch], durable=self._durable
            )
        except Exception as exc:
            if len(batch) == 1:
                _settle([(batch[0], exc)])
                return
            for waiting in batch:
                self._record([waiting])
            return
        _settle(list(zip(batch, new, strict=True)))


def _settle(outcomes: list[tuple[_Waiting, bool | Exception]]) -> None:
    """Tell the waiting requests their outcomes, on their own event loops.

    One call into each loop for the whole group (each call wakes the loop through its
    self-pipe: one wake-up per commit, not one per event).
    """
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[bool], object]]] = {}
    for (_, future, loop), outcome in outcomes:
        by_loop.setdefault(loop, []).append((future, outcome))
    for loop, settled in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
            loop.call_soon_threadsafe(_set_all, settled)


def _set_all(settled: list[tuple[asyncio.Future[bool], object]]) -> None:
    for future, outcome in settled:
        if future.done():  # the request was cancelled (client gone)
            continue
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(bool(outcome))
