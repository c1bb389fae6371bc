"""Group commit for the chat webhook: events that arrive together are recorded in one transaction.

Recording an event must be durable before the webhook answers ``200`` — one
commit, hence one disk flush, per event would cap the webhook at the disk's
flush rate and queue every request behind the write lock. So requests that
arrive while a commit is under way wait for the next one, which records them
all: the first waiting request leads (it runs the transaction for everyone
waiting, up to ``max_batch``), the others wait to be told their outcome. Each
request is still answered only after the commit that holds its event, so an
acknowledged event is never lost. If a group's transaction fails, its events
are recorded one by one, so an error reaches only the request it belongs to.

``durable=False`` answers once the group is written to the database's log,
before it is flushed to disk (SQLite ``synchronous=NORMAL``, PostgreSQL
``synchronous_commit=off``): an acknowledged event survives a crash of tthc
(``kill -9``), but an operating-system crash or power cut may lose the events
of the last moments — which the platform, having had its ``200``, will not
send again. The default waits for the flush.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

from tthc_core.storage import InboundEvent, Store

__all__ = ["InboxAcceptor"]


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
        self._cond = threading.Condition()
        self._pending: list[tuple[InboundEvent, Future[bool]]] = []
        self._leading = False

    def accept(self, event: InboundEvent) -> bool:
        """Record ``event`` durably; ``False`` if it was accepted before (blocks until committed).

        Raises:
            Exception: Whatever recording this event raised (the store's errors).
        """
        mine: Future[bool] = Future()
        with self._cond:
            self._pending.append((event, mine))
        while True:
            with self._cond:
                while self._leading and not mine.done():
                    self._cond.wait()
                if mine.done():
                    return mine.result()
                self._leading = True
                batch = self._pending[: self._max]
                del self._pending[: self._max]
            try:
                self._record(batch)
            finally:
                with self._cond:
                    self._leading = False
                    self._cond.notify_all()

    def _record(self, batch: list[tuple[InboundEvent, Future[bool]]]) -> None:
        """Record a group in one transaction; alone each, if the group's transaction fails."""
        try:
            events = [event for event, _ in batch]
            new = self._store.inbox_queue.accept_all(events, durable=self._durable)
        except Exception as exc:
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            for item in batch:
                self._record([item])
            return
        for (_, outcome), was_new in zip(batch, new, strict=True):
            outcome.set_result(was_new)
