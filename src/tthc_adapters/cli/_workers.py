"""The queue workers as background threads: the outbox sender and the inbox handler.

``tthc serve`` runs both in its own process (single-process default);
``tthc worker`` runs them alone, as a process of their own. Either way they
share the queues with every other worker through leases.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from tthc_adapters.bootstrap import Dispatcher, system_clock
from tthc_core.desk import Desk, LookupBudget
from tthc_core.storage import Handler, OutboundMessage, OutboxQueue, Store

__all__ = ["InboxThread", "OutboxThread", "QueueWorkers"]

logger = logging.getLogger("tthc.serve")

#: Seconds between drains when a queue is empty (and nothing wakes the worker).
POLL_SECONDS = 1.0
#: Seconds to wait for a worker's last drain at shutdown.
STOP_SECONDS = 10.0


class _WorkerThread:
    """A worker loop in a daemon thread, stopped by an event (and woken by one, if ``wakeable``)."""

    def __init__(
        self, name: str, target: Callable[..., None], *, wakeable: bool, **kwargs: object
    ) -> None:
        self._stop = threading.Event()
        self.wake = threading.Event()
        if wakeable:
            kwargs["wake"] = self.wake
        self._thread = threading.Thread(
            target=target, kwargs={"stop": self._stop, **kwargs}, name=name, daemon=True
        )

    def start(self) -> None:
        """Start the loop."""
        self._thread.start()

    def stop(self, timeout: float = STOP_SECONDS) -> bool:
        """Ask the loop to stop after its current drain; ``True`` if it stopped in time."""
        self._stop.set()
        self.wake.set()
        self._thread.join(timeout)
        return not self._thread.is_alive()


class OutboxThread(_WorkerThread):
    """The outbox worker in a background thread, until :meth:`stop`.

    Args:
        queue: The store's outbox queue.
        dispatcher: Sends one message.
    """

    def __init__(self, queue: OutboxQueue, dispatcher: Dispatcher) -> None:
        from tthc_adapters.storage import run_outbox_worker

        self._dispatcher = dispatcher
        super().__init__(
            "tthc-outbox",
            run_outbox_worker,
            wakeable=False,
            queue=queue,
            send=self._send,
            clock=system_clock,
            poll_interval=POLL_SECONDS,
        )

    def _send(self, message: OutboundMessage) -> None:
        try:
            self._dispatcher(message)
        except Exception as exc:
            logger.warning("outbox: %s message %s not sent: %s", message.channel, message.key, exc)
            raise


class InboxThread(_WorkerThread):
    """The inbox worker in a background thread: answers accepted chat events.

    Args:
        store: The store.
        desk: The desk (its handlers).
        lease: How long a claimed event is reserved.
        poll_interval: Seconds between drains unless :attr:`wake` is set.
        budget: The chat senders' look-up budget (``None`` counts nothing).
    """

    def __init__(
        self,
        store: Store,
        desk: Desk,
        *,
        lease: dt.timedelta = dt.timedelta(minutes=1),
        poll_interval: float = POLL_SECONDS,
        budget: LookupBudget | None = None,
        handlers: Mapping[str, Handler] | None = None,
    ) -> None:
        from tthc_adapters.storage import run_inbox_worker
        from tthc_adapters.webhooks import inbox_handlers

        super().__init__(
            "tthc-inbox",
            run_inbox_worker,
            wakeable=True,
            store=store,
            handlers=handlers or inbox_handlers(desk, budget=budget),
            clock=system_clock,
            poll_interval=poll_interval,
            lease=lease,
        )


class QueueWorkers:
    """The outbox and inbox workers of one process.

    Args:
        store: The store.
        desk: The desk.
        dispatcher: Sends outbox messages.
        lease: The inbox worker's lease.
        poll_interval: Seconds between drains of an idle queue.
        budget: The chat senders' look-up budget (``None`` counts nothing).
        handlers: The inbox handlers (default: ``inbox_handlers(desk, budget=budget)``).
        portal: The national-portal target (a
            :class:`~tthc_adapters.portal.PortalRuntime`): its sync and inbound
            fetch run in a third thread.
    """

    def __init__(
        self,
        store: Store,
        desk: Desk,
        dispatcher: Dispatcher,
        *,
        lease: dt.timedelta = dt.timedelta(minutes=1),
        poll_interval: float = POLL_SECONDS,
        budget: LookupBudget | None = None,
        handlers: Mapping[str, Handler] | None = None,
        portal: Any = None,
    ) -> None:
        self.outbox = OutboxThread(store.outbox_queue, dispatcher)
        self.inbox = InboxThread(
            store, desk, lease=lease, poll_interval=poll_interval, budget=budget, handlers=handlers
        )
        self.portal: Any = None
        if portal is not None:
            from tthc_adapters.portal import PortalThread

            self.portal = PortalThread(portal)
        # PostgreSQL wakes the inbox worker by NOTIFY (events accepted by any process).
        listen = getattr(store, "listen_inbox", None)
        self._stop_listening = threading.Event()
        self._listener = (
            None
            if listen is None
            else threading.Thread(
                target=listen,
                args=(self.inbox.wake, self._stop_listening),
                name="tthc-inbox-listen",
                daemon=True,
            )
        )

    def wake_inbox(self) -> None:
        """Drain the inbox now (an event was just accepted in this process)."""
        self.inbox.wake.set()

    def start(self) -> None:
        """Start them (the inbox's LISTEN thread on PostgreSQL, the portal thread if any)."""
        self.outbox.start()
        self.inbox.start()
        if self._listener is not None:
            self._listener.start()
        if self.portal is not None:
            self.portal.start()

    def stop(self, timeout: float = STOP_SECONDS) -> bool:
        """Stop them; ``True`` if all stopped in time."""
        self._stop_listening.set()
        if self._listener is not None and self._listener.is_alive():
            self._listener.join(timeout)
        portal = self.portal is None or self.portal.stop(timeout)
        inbox = self.inbox.stop(timeout)
        return self.outbox.stop(timeout) and inbox and portal
