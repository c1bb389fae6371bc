"""The sync engine wired over a store and a desk, and the thread ``tthc worker`` runs it in.

:class:`PortalRuntime` is the composition for one target: the ledger beside
the store (memory, SQLite or PostgreSQL, :func:`ledger_for`), the HTTP adapter
from :class:`~tthc_adapters.portal.PortalSettings`, the engine loading
dossiers from the store, the outbox sender of ``portal`` hand-offs
(:meth:`PortalRuntime.absorb`) and the inbox handler of dossiers fetched from
the portal. :class:`PortalThread` runs the engine every ``interval`` seconds
and fetches inbound dossiers every ``pull_interval``.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from collections.abc import Callable, Sequence
from typing import Any

from tthc_adapters.portal._ledger import MemoryLedger
from tthc_adapters.portal._settings import PortalSettings
from tthc_adapters.portal._sql_ledger import PostgresLedger, SqliteLedger
from tthc_core.desk import (
    Desk,
    PullReport,
    filing_of,
    find_dossier,
    intake_handler,
    intake_source,
    pull_portal,
)
from tthc_core.dossier import Dossier
from tthc_core.events import DomainEvent
from tthc_core.portal import PortalSync, SnapshotContext, SyncLedger, SyncReport, absorb
from tthc_core.storage import Handler, OutboundMessage, Store
from tthc_core.storage.kinds import DOSSIERS

__all__ = ["PortalRuntime", "PortalThread", "ledger_for"]

logger = logging.getLogger("tthc.portal")


def ledger_for(store: Store) -> SyncLedger:
    """The sync ledger beside ``store``: its database's tables (migrations 0007, 0013)."""
    from tthc_adapters.storage import PostgresStore, SqliteStore

    if isinstance(store, SqliteStore):
        return SqliteLedger(str(store.path))
    if isinstance(store, PostgresStore):
        return PostgresLedger(store.dsn, schema=store.schema)
    return MemoryLedger()


class PortalRuntime:
    """One portal target wired over ``store`` and ``desk``.

    Args:
        settings: The target.
        store: The store (dossiers, inbox).
        desk: The desk (its agency name goes into ``DonViXuLy``).
        clock: Tells the time.
        ledger: The ledger (default: :func:`ledger_for` the store).
        transport: An httpx transport for the adapter (tests).
    """

    def __init__(
        self,
        settings: PortalSettings,
        store: Store,
        desk: Desk,
        *,
        clock: Callable[[], dt.datetime],
        ledger: SyncLedger | None = None,
        transport: Any = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.desk = desk
        self.clock = clock
        self.ledger = ledger if ledger is not None else ledger_for(store)
        self.portal = settings.client(clock, transport=transport)
        self.source = intake_source(settings.target)
        self.sync = PortalSync(
            target=settings.target,
            ledger=self.ledger,
            portal=self.portal,
            load=self._load,
            jitter=random.random,
            province=settings.province,
            province_agency=settings.province_agency,
            context=lambda _: SnapshotContext(handling_agency=desk.agency_name),
            origin=self._origin,
        )

    def _load(self, code: str) -> tuple[Dossier, Sequence[DomainEvent]] | None:
        with self.store.unit_of_work() as uow:
            dossier = find_dossier(uow, code)
            if dossier is None:
                return None
            return dossier, [r.event for r in uow.audit.history(DOSSIERS, DOSSIERS.key(dossier))]

    def _origin(self, dossier: Dossier) -> str | None:
        with self.store.unit_of_work() as uow:
            filing = filing_of(uow, dossier)
        return filing.reference if filing is not None and filing.source == self.source else None

    def absorb(self, message: OutboundMessage) -> None:
        """The outbox sender of channel ``portal``: hand the change to the ledger (coalesced)."""
        absorb(self.ledger, message, self.clock())

    def handlers(self) -> dict[str, Handler]:
        """The inbox handler taking fetched dossiers into the intake queue."""
        return {self.source: intake_handler(self.desk)}

    def run(self) -> SyncReport:
        """Send every due item once."""
        return self.sync.run(self.clock())

    def pull(self) -> PullReport:
        """Fetch inbound dossiers once (stored, then acknowledged)."""
        return pull_portal(
            self.portal,
            self.store.inbox_queue,
            self.ledger,
            target=self.settings.target,
            now=self.clock(),
        )

    def close(self) -> None:
        """Close the HTTP client and the ledger's connection."""
        self.portal.close()
        close = getattr(self.ledger, "close", None)
        if close is not None:
            close()


class PortalThread:
    """Runs :meth:`PortalRuntime.run` every ``interval`` and :meth:`~PortalRuntime.pull` every
    ``pull_interval`` seconds (if inbound is on) in a daemon thread, until :meth:`stop`."""

    def __init__(self, runtime: PortalRuntime) -> None:
        self.runtime = runtime
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tthc-portal", daemon=True)

    def _loop(self) -> None:
        settings = self.runtime.settings
        next_pull = 0.0
        waited = 0.0
        while True:
            if settings.inbound and waited >= next_pull:
                self._guard("pull", self.runtime.pull)
                next_pull = waited + settings.pull_interval
            self._guard("sync", self.runtime.run)
            if self._stop.wait(settings.interval):
                return
            waited += settings.interval

    def _guard(self, what: str, step: Callable[[], object]) -> None:
        try:
            report = step()
        except Exception:  # a worker thread must survive a bad run and try again
            logger.exception("portal %s failed; retrying at the next tick", what)
            return
        logger.debug("portal %s: %s", what, report)

    def start(self) -> None:
        """Start the loop."""
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop after the current run; ``True`` if it stopped in time."""
        self._stop.set()
        self._thread.join(timeout)
        return not self._thread.is_alive()
