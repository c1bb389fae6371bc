"""The sync engine: drain the ledger's due items to a national portal (service layer).

Reference ``dvcqg-sync.md`` §15. Per item: build the snapshot from the current
dossier (at send time), upsert it (insert or update as the ledger knows;
switched once on "đã tồn tại" / "không tồn tại"), then append the progress rows
not acknowledged yet in chunks of 10 (Thanh Hóa, §4.2). After a failure whose
outcome is unknown (timeout, 5xx, lost acknowledgement) the next attempt first
asks the portal which rows it already holds (``TraCuuHoSo``), so no row is
applied twice. Failures back off exponentially with jitter from a port; the
classifier's dead-letter rows, and items out of attempts, are parked for an
administrator's re-drive — never silently (§17).

Paid fees are reported after the progress rows (§12; KPI 3.6): the whole list
of paid lines each time it grows, so a re-sent report converges like the
snapshot does. A dossier taken in from the portal (``origin``) is known there
by its national code and is updated from the start (switched to an insert once
if the portal says it does not hold it).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence

import attrs

from tthc_core.dossier import Dossier
from tthc_core.events import DomainEvent
from tthc_core.portal._classify import CLASSIFIER_VERSION, Action, classify
from tthc_core.portal._ledger import ItemState, SyncItem, SyncLedger
from tthc_core.portal._national import alternate_code, needs_alternate
from tthc_core.portal._port import Jitter, NationalPortal, PortalUnreachable
from tthc_core.portal._project import SnapshotContext, progress_rows, snapshot_of
from tthc_core.portal._types import FeeLine, PortalReply, ProgressRow

__all__ = ["PROGRESS_CHUNK", "Backoff", "PortalSync", "SyncReport"]

#: Progress rows per call (Thanh Hóa's chunks of 10, §4.2).
PROGRESS_CHUNK = 10

#: Loads a dossier and its events by local code (``None`` if unknown).
Loader = Callable[[str], tuple[Dossier, Sequence[DomainEvent]] | None]


@attrs.frozen
class Backoff:
    """Exponential back-off with "equal jitter": half fixed, half from the jitter port.

    Args:
        first: The base wait after the first failure (doubles each time).
        ceiling: The longest base wait.
        max_attempts: Failed attempts before the item becomes a dead letter.
    """

    first: dt.timedelta = dt.timedelta(seconds=20)
    ceiling: dt.timedelta = dt.timedelta(hours=1)
    max_attempts: int = 12

    def delay(self, attempts: int, jitter: float) -> dt.timedelta:
        """The wait after the ``attempts``-th failure, ``jitter`` in [0, 1)."""
        growth: int = 2 ** max(0, attempts - 1)
        base = min(self.ceiling, self.first * growth)
        return base / 2 + base / 2 * min(max(jitter, 0.0), 1.0)


@attrs.frozen
class SyncReport:
    """What one :meth:`PortalSync.run` did."""

    synced: int = 0
    retried: int = 0
    dead: int = 0
    rows_sent: int = 0


class _Failed(Exception):  # noqa: N818 - internal control flow
    def __init__(self, action: Action, why: str, *, forget_insert: bool = False):
        super().__init__(why)
        self.action = action
        self.why = why
        self.forget_insert = forget_insert


@attrs.define
class PortalSync:
    """Drains one target's due items (FIFO per dossier; one pending item per dossier).

    Args:
        target: The target's name in the ledger.
        ledger: The persistent state.
        portal: The target's adapter.
        load: Loads a dossier and its events.
        jitter: The randomness port.
        province: The sender's province group (``"H15"``), for the prefix rule.
        province_agency: The agency id alternate codes are minted under.
        context: Snapshot fields the dossier does not hold, per dossier.
        backoff: The back-off policy.
        origin: The national code of a dossier taken in from the portal
            (``None`` for the desk's own dossiers).
    """

    target: str
    ledger: SyncLedger
    portal: NationalPortal
    load: Loader
    jitter: Jitter
    province: str
    province_agency: str
    context: Callable[[Dossier], SnapshotContext] = lambda _: SnapshotContext()
    backoff: Backoff = Backoff()
    origin: Callable[[Dossier], str | None] = lambda _: None

    def run(self, now: dt.datetime, *, limit: int = 100) -> SyncReport:
        """Send every due item once; failures are rescheduled or dead-lettered."""
        counts = {"synced": 0, "retried": 0, "dead": 0, "rows_sent": 0}
        for item in self.ledger.due(self.target, now, limit):
            try:
                counts["rows_sent"] += self._send(item)
            except _Failed as failure:
                counts[self._fail(item, failure, now)] += 1
                continue
            self.ledger.finish(item, now)
            counts["synced"] += 1
        return SyncReport(**counts)

    def national_code(self, dossier: Dossier) -> str:
        """The code the portal knows ``dossier`` by; an alternate one is allocated once."""
        if (national := self.origin(dossier)) is not None:
            return national
        if not needs_alternate(dossier.code, self.province):
            return str(dossier.code)

        def make() -> str:
            prefix = f"{self.province_agency}-{dossier.code.received_on}"
            serial = self.ledger.next_serial(prefix)
            return alternate_code(dossier.code, province_agency=self.province_agency, serial=serial)

        return self.ledger.alternate_code(str(dossier.code), make)

    def _fail(self, item: SyncItem, failure: _Failed, now: dt.datetime) -> str:
        attempts = item.attempts + 1
        if failure.forget_insert:
            self.ledger.mark_inserted(self.target, item.dossier, False)
        dead = failure.action is Action.DEAD_LETTER or attempts >= self.backoff.max_attempts
        self.ledger.save(
            attrs.evolve(
                item,
                attempts=attempts,
                state=ItemState.DEAD if dead else ItemState.PENDING,
                next_at=now + self.backoff.delay(attempts, self.jitter()),
                last_error=failure.why,
                classifier_version=CLASSIFIER_VERSION,
            )
        )
        return "dead" if dead else "retried"

    def _call(self, call: Callable[[], PortalReply]) -> PortalReply:
        try:
            return call()
        except PortalUnreachable as exc:
            return PortalReply(http_status=None, message=exc.reason)

    def _send(self, item: SyncItem) -> int:
        loaded = self.load(item.dossier)
        if loaded is None:
            raise _Failed(Action.DEAD_LETTER, f"dossier {item.dossier} is not stored locally")
        dossier, events = loaded
        code = self.national_code(dossier)
        snapshot = snapshot_of(dossier, national_code=code, context=self.context(dossier))
        inbound = self.origin(dossier) is not None
        update = inbound or self.ledger.inserted(self.target, item.dossier)
        relogged = switched_insert = switched_update = False
        while True:
            reply = self._call(functools.partial(self.portal.upsert, snapshot, update=update))
            action, rule = classify(reply)
            if action is Action.DONE:
                break
            if action is Action.RELOGIN and not relogged:
                self.portal.relogin()
                relogged = True
            elif action is Action.SWITCH_TO_UPDATE and not switched_update:
                update, switched_update = True, True
            elif action is Action.SWITCH_TO_INSERT and not switched_insert:
                update, switched_insert = False, True
            else:
                raise _Failed(action, f"upsert: {rule}: {reply.error_code} {reply.message}")
        self.ledger.mark_inserted(self.target, item.dossier, True)
        sent = self._append(item, code, progress_rows(code, events))
        self._report_payments(item, code, snapshot.fees)
        return sent

    def _retrying(self, call: Callable[[], PortalReply]) -> tuple[Action, str, PortalReply]:
        relogged = False
        while True:
            reply = self._call(call)
            action, rule = classify(reply)
            if action is Action.RELOGIN and not relogged:
                self.portal.relogin()
                relogged = True
                continue
            return action, rule, reply

    def _report_payments(self, item: SyncItem, code: str, fees: tuple[FeeLine, ...]) -> None:
        if not fees:
            return
        key = f"{code}/pay/{len(fees)}"
        if key in self.ledger.acked_rows(self.target, item.dossier):
            return
        report = functools.partial(self.portal.report_payment, code, fees)
        action, rule, reply = self._retrying(report)
        if action is not Action.DONE:
            raise _Failed(action, f"payment: {rule}: {reply.error_code} {reply.message}")
        self.ledger.ack_rows(self.target, item.dossier, [key])

    def _append(self, item: SyncItem, code: str, rows: list[ProgressRow]) -> int:
        acked = self.ledger.acked_rows(self.target, item.dossier)
        todo = [row for row in rows if row.row_id not in acked]
        if todo and item.attempts > 0:
            todo = self._reconcile(item, code, todo)
        sent = 0
        for start in range(0, len(todo), PROGRESS_CHUNK):
            chunk = todo[start : start + PROGRESS_CHUNK]
            append = functools.partial(self.portal.append_progress, code, chunk)
            action, rule, reply = self._retrying(append)
            if action is not Action.DONE:
                why = f"progress: {rule}: {reply.error_code} {reply.message}"
                raise _Failed(action, why, forget_insert=action is Action.ORDERING)
            self.ledger.ack_rows(self.target, item.dossier, (row.row_id for row in chunk))
            sent += len(chunk)
        return sent

    def _reconcile(self, item: SyncItem, code: str, todo: list[ProgressRow]) -> list[ProgressRow]:
        # A previous attempt may have been applied and reported failed.
        try:
            view = self.portal.lookup(code)
        except PortalUnreachable as exc:
            raise _Failed(Action.RETRY, f"lookup: {exc.reason}") from exc
        held = set(view.progress) if view is not None else set()
        there = [row for row in todo if row.remote_key in held]
        self.ledger.ack_rows(self.target, item.dossier, (row.row_id for row in there))
        return [row for row in todo if row.remote_key not in held]
