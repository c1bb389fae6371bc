"""Group commit for the webhooks: events that arrive together are recorded in one transaction.

Recording an event must be durable before the webhook answers ``200``; one
commit (one flush to disk) per event would cap the webhook at the disk's flush
rate and queue every request behind the write lock. So the webhook hands its
event to the acceptor and awaits the outcome; the acceptor, on the event loop
itself (no thread hop per request), gathers every event waiting at once (up
to ``max_batch``) and records the group in one transaction, then answers each
request. Each is still answered only after the commit that holds its event,
so an acknowledged event is never lost. If a group's transaction fails, its
events are recorded one by one, so an error reaches only the request it
belongs to.

How a group is written depends on the store:

* a store with an asynchronous inbox writer (:class:`AsyncInboxSource`, the
  PostgreSQL store: one ``INSERT … SELECT FROM unnest(…)`` per group, prepared,
  in autocommit — one round trip — on connections of its own): written on the
  event loop, up to :data:`PG_IN_FLIGHT` groups at once (PostgreSQL flushes
  concurrent commits together);
* any other store (SQLite, memory): ``store.inbox_queue.accept_all`` on one
  thread of the acceptor's own (SQLite has one writer at a time; the write
  must not block the event loop while it waits for the lock). One hand-over
  to that thread and one wake-up of the loop per group.

``durable=False`` answers once the group is written to the database's log,
before it is flushed to disk (SQLite ``synchronous=NORMAL``, PostgreSQL
``synchronous_commit=off``): an acknowledged event survives a crash of tthc
(``kill -9``), but an operating-system crash or power cut may lose the events
of the last moments — which the platform, having had its ``200``, will not
send again. The default waits for the flush.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, runtime_checkable

from tthc_core.storage import InboundEvent, Store

__all__ = ["PG_IN_FLIGHT", "AsyncInboxSource", "AsyncInboxWriter", "InboxAcceptor"]

#: Groups a store with an asynchronous writer may have in flight at once.
PG_IN_FLIGHT = 2


class AsyncInboxWriter(Protocol):
    """Records a group of inbound events in one transaction, on the running event loop."""

    async def accept_all(self, events: Sequence[InboundEvent]) -> list[bool]:
        """Whether each event was new (``False``: accepted before, or repeated in the group)."""


@runtime_checkable
class AsyncInboxSource(Protocol):
    """A store that can record inbound events without a thread (the PostgreSQL store)."""

    def inbox_writer(self, *, durable: bool) -> AsyncInboxWriter:
        """A writer of its own connections (opened on first use, one set per event loop)."""


_Waiting = tuple[InboundEvent, "asyncio.Future[bool]"]


class _SyncWriter:
    """``store.inbox_queue.accept_all`` on the acceptor's own thread."""

    def __init__(self, store: Store, durable: bool) -> None:
        self._store = store
        self._durable = durable
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="tthc-inbox-acceptor")

    async def accept_all(self, events: Sequence[InboundEvent]) -> list[bool]:
        loop = asyncio.get_running_loop()
        queue = self._store.inbox_queue
        return await loop.run_in_executor(
            self._thread, lambda: queue.accept_all(events, durable=self._durable)
        )


class _Batcher:
    """The waiting events of one event loop and the tasks recording them."""

    def __init__(
        self,
        writer: AsyncInboxWriter,
        max_batch: int,
        in_flight: int,
        notify: Callable[[], None] | None,
    ) -> None:
        self._writer = writer
        self._notify = notify
        self._max = max_batch
        self._in_flight = in_flight
        self._waiting: list[_Waiting] = []
        self._running: set[asyncio.Task[None]] = set()

    def add(self, event: InboundEvent, outcome: asyncio.Future[bool]) -> None:
        self._waiting.append((event, outcome))
        if len(self._running) < self._in_flight:
            # Runs at the loop's next turn: the requests read in this turn join the group.
            task = asyncio.get_running_loop().create_task(self._drain())
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _drain(self) -> None:
        while self._waiting:
            group = self._waiting[: self._max]
            del self._waiting[: self._max]
            await self._record(group)

    async def _record(self, group: list[_Waiting]) -> None:
        """Record a group in one transaction; alone each, if the group's transaction fails."""
        try:
            new = await self._writer.accept_all([event for event, _ in group])
        except Exception as exc:
            if len(group) == 1:
                _settle(group[0][1], exc)
                return
            for waiting in group:
                await self._record([waiting])
            return
        for (_, outcome), fresh in zip(group, new, strict=True):
            _settle(outcome, bool(fresh))
        if self._notify is not None and any(new):
            self._notify()  # once per group, not per event


def _settle(outcome: asyncio.Future[bool], result: bool | Exception) -> None:
    if outcome.done():  # the request was cancelled (client gone); its event is recorded anyway
        return
    if isinstance(result, Exception):
        outcome.set_exception(result)
    else:
        outcome.set_result(result)


class InboxAcceptor:
    """Records inbound events in the inbox, grouping concurrent ones into one commit.

    Args:
        store: The store.
        durable: Answer after the flush to disk (default), or after the
            write to the database's log (module docstring).
        max_batch: The most events one transaction records.
        notify: Called once after each group that recorded a new event
            (wakes an in-process inbox worker: one wake-up per group, not per event).
    """

    def __init__(
        self,
        store: Store,
        *,
        durable: bool = True,
        max_batch: int = 64,
        notify: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        self._notify = notify
        self._durable = durable
        self._max = max_batch
        self._sync: _SyncWriter | None = None
        self._batchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Batcher] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def mode(self) -> str:
        """How groups are written: ``"async"`` (on the event loop) or ``"thread"``."""
        return "async" if isinstance(self._store, AsyncInboxSource) else "thread"

    def _batcher(self, loop: asyncio.AbstractEventLoop) -> _Batcher:
        batcher = self._batchers.get(loop)
        if batcher is None:
            if isinstance(self._store, AsyncInboxSource):
                writer = self._store.inbox_writer(durable=self._durable)
                batcher = _Batcher(writer, self._max, PG_IN_FLIGHT, self._notify)
            else:
                if self._sync is None:  # one thread for every loop (one writer at a time)
                    self._sync = _SyncWriter(self._store, self._durable)
                batcher = _Batcher(self._sync, self._max, 1, self._notify)
            self._batchers[loop] = batcher
        return batcher

    async def accept(self, event: InboundEvent) -> bool:
        """Record ``event`` durably; ``False`` if it was accepted before.

        Raises:
            Exception: Whatever recording this event raised (the store's errors).
        """
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[bool] = loop.create_future()
        self._batcher(loop).add(event, outcome)
        return await outcome
