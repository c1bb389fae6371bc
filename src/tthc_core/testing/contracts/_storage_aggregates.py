"""Contract suites for repositories, the audit trail and the unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import attrs
import pytest

from tthc_core.storage import ConcurrencyConflict, Store
from tthc_core.testing.contracts._interleave import Interleaving
from tthc_core.testing.contracts._storage_base import StorageFixtures
from tthc_core.testing.contracts._storage_sample import (
    DOCKETS,
    NOTES,
    Docket,
    DocketAdvanced,
    DocketNote,
    ManualClock,
    docket_code,
)

__all__ = ["AuditTrailContract", "RepositoryContract", "UnitOfWorkContract"]

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def _create(store: Store, docket: Docket) -> Docket:
    with store.unit_of_work() as uow:
        saved = uow.repository(DOCKETS).save(docket)
        uow.commit()
    return saved


class RepositoryContract(StorageFixtures):
    """What every :class:`~tthc_core.storage.Repository` must do."""

    def test_save_new_stores_version_1_and_get_returns_it(self, store: Store) -> None:
        saved = _create(store, Docket(docket_code(1), phone="0912345678"))
        assert saved.version == 1
        with store.unit_of_work() as uow:
            assert uow.repository(DOCKETS).get(str(docket_code(1))) == saved

    def test_get_missing_is_none(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            assert uow.repository(DOCKETS).get(str(docket_code(9))) is None

    def test_save_increments_the_version(self, store: Store, clock: ManualClock) -> None:
        docket = _create(store, Docket(docket_code(1)))
        for expected in (2, 3, 4):
            with store.unit_of_work() as uow:
                docket = uow.repository(DOCKETS).save(docket.advance(expected, clock())[0])
                uow.commit()
            assert docket.version == expected
        with store.unit_of_work() as uow:
            assert uow.repository(DOCKETS).get(str(docket.code)) == docket

    def test_a_stale_save_raises_and_keeps_the_winner(
        self, store: Store, clock: ManualClock
    ) -> None:
        read = _create(store, Docket(docket_code(1)))
        winner, _ = read.advance(1, clock())
        loser, _ = read.advance(2, clock())
        with store.unit_of_work() as uow:
            stored = uow.repository(DOCKETS).save(winner)
            uow.commit()
        with store.unit_of_work() as uow, pytest.raises(ConcurrencyConflict) as info:
            uow.repository(DOCKETS).save(loser)
        assert (info.value.expected, info.value.actual) == (1, 2)
        assert info.value.key == str(read.code)
        with store.unit_of_work() as uow:
            assert uow.repository(DOCKETS).get(str(read.code)) == stored

    def test_creating_an_existing_key_raises(self, store: Store) -> None:
        _create(store, Docket(docket_code(1), total=5))
        with pytest.raises(ConcurrencyConflict) as info:
            _create(store, Docket(docket_code(1), total=6))
        assert (info.value.expected, info.value.actual) == (0, 1)

    def test_updating_a_missing_aggregate_raises(self, store: Store) -> None:
        with store.unit_of_work() as uow, pytest.raises(ConcurrencyConflict) as info:
            uow.repository(DOCKETS).save(Docket(docket_code(1), version=3))
        assert info.value.actual is None

    def test_kinds_do_not_share_keys(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.repository(NOTES).save(DocketNote(str(docket_code(1)), docket_code(1), "a"))
            uow.repository(DOCKETS).save(Docket(docket_code(1)))
            uow.commit()
            assert uow.repository(NOTES).get(str(docket_code(1))) is not None

    def test_for_dossier_finds_every_kind_by_its_index(self, store: Store) -> None:
        code = docket_code(1)
        with store.unit_of_work() as uow:
            uow.repository(DOCKETS).save(Docket(code))
            uow.repository(DOCKETS).save(Docket(docket_code(2)))
            notes = uow.repository(NOTES)
            for note_id in ("n2", "n1"):
                notes.save(DocketNote(note_id, code, f"ghi chú {note_id}"))
            uow.commit()
        with store.unit_of_work() as uow:
            assert [d.code for d in uow.repository(DOCKETS).for_dossier(code)] == [code]
            assert [n.id for n in uow.repository(NOTES).for_dossier(str(code))] == ["n1", "n2"]

    def test_for_phone(self, store: Store) -> None:
        _create(store, Docket(docket_code(1), phone="0912345678"))
        _create(store, Docket(docket_code(2), phone="0987654321"))
        with store.unit_of_work() as uow:
            found = uow.repository(DOCKETS).for_phone("0912345678")
        assert [d.code for d in found] == [docket_code(1)]

    def test_due_by_is_the_queue_soonest_first(self, store: Store, clock: ManualClock) -> None:
        start = clock()
        for number, hours in ((1, 5), (2, 1), (3, 3), (4, 30)):
            _create(store, Docket(docket_code(number), due_at=start + hours * HOUR))
        _create(store, Docket(docket_code(5)))  # nothing due
        with store.unit_of_work() as uow:
            repo = uow.repository(DOCKETS)
            assert [d.code.sequence for d in repo.due_by(start + 10 * HOUR)] == [2, 3, 1]
            assert [d.code.sequence for d in repo.due_by(start + 10 * HOUR, limit=2)] == [2, 3]
            assert repo.due_by(start) == []

    def test_due_by_is_inclusive_to_the_instant(self, store: Store, clock: ManualClock) -> None:
        # The due instant is the first instant an aggregate is overdue: a job run
        # exactly at it (midnight, when day-counted periods end) must see it.
        due = clock() + HOUR
        _create(store, Docket(docket_code(1), due_at=due))
        with store.unit_of_work() as uow:
            repo = uow.repository(DOCKETS)
            assert repo.due_by(due - MINUTE) == []
            assert [d.code.sequence for d in repo.due_by(due)] == [1]
            assert [d.code.sequence for d in repo.due_by(due + MINUTE)] == [1]

    def test_due_by_orders_equal_due_instants_by_key(
        self, store: Store, clock: ManualClock
    ) -> None:
        due = clock() + HOUR
        for number in (3, 1, 2):
            _create(store, Docket(docket_code(number), due_at=due))
        _create(store, Docket(docket_code(4), due_at=due - MINUTE))
        with store.unit_of_work() as uow:
            repo = uow.repository(DOCKETS)
            assert [d.code.sequence for d in repo.due_by(due)] == [4, 1, 2, 3]
            assert [d.code.sequence for d in repo.due_by(due, limit=2)] == [4, 1]

    def test_page_lists_each_aggregate_once_in_key_order(self, store: Store) -> None:
        for number in (3, 1, 5, 2, 4):
            _create(store, Docket(docket_code(number)))
        with store.unit_of_work() as uow:
            repo = uow.repository(DOCKETS)
            first = repo.page(limit=2)
            rest = repo.page(after=str(first[-1].code), limit=10)
            assert repo.page(after=str(rest[-1].code)) == []
        assert [d.code for d in first + rest] == [docket_code(n) for n in range(1, 6)]

    def test_page_sees_this_unit_of_works_saves(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.repository(DOCKETS).save(Docket(docket_code(1)))
            assert [d.code for d in uow.repository(DOCKETS).page()] == [docket_code(1)]

    def test_the_index_follows_the_latest_save(self, store: Store, clock: ManualClock) -> None:
        docket = _create(store, Docket(docket_code(1), due_at=clock() + HOUR))
        with store.unit_of_work() as uow:
            uow.repository(DOCKETS).save(docket.close(clock())[0])
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.repository(DOCKETS).due_by(clock() + 2 * HOUR) == []


class AuditTrailContract(StorageFixtures):
    """What every :class:`~tthc_core.storage.AuditTrail` must do."""

    def test_history_holds_every_event_in_order(self, store: Store, clock: ManualClock) -> None:
        docket, events = Docket(docket_code(1)), []
        for step in (3, 1, 2):
            with store.unit_of_work() as uow:
                docket, new = docket.advance(step, clock())
                docket = uow.repository(DOCKETS).save(docket, new)
                events += new
                uow.commit()
            clock.advance(HOUR)
        with store.unit_of_work() as uow:
            history = uow.audit.history(DOCKETS, str(docket.code))
        assert [r.event for r in history] == events
        assert [r.version for r in history] == [1, 2, 3]
        assert [r.seq for r in history] == sorted({r.seq for r in history})
        assert {(r.kind, r.key) for r in history} == {("docket", str(docket.code))}

    def test_history_rebuilds_the_aggregate(self, store: Store, clock: ManualClock) -> None:
        docket = Docket(docket_code(1))
        for step in (5, 8, 13):
            with store.unit_of_work() as uow:
                docket, new = docket.advance(step, clock())
                docket = uow.repository(DOCKETS).save(docket, new)
                uow.commit()
        with store.unit_of_work() as uow:
            history = uow.audit.history(DOCKETS, str(docket.code))
        replayed = Docket(docket.code)
        for record in history:
            assert isinstance(record.event, DocketAdvanced)
            replayed = replayed.advance(record.event.step, record.event.occurred_at)[0]
        assert replayed.total == docket.total

    def test_for_dossier_spans_kinds(self, store: Store, clock: ManualClock) -> None:
        code = docket_code(1)
        with store.unit_of_work() as uow:
            docket, opened = Docket(code).advance(1, clock())
            uow.repository(DOCKETS).save(docket, opened)
            closed = docket.close(clock())[1]
            uow.repository(NOTES).save(DocketNote("n", code, "x"), closed)
            uow.repository(DOCKETS).save(Docket(docket_code(2)).advance(2, clock())[0])
            uow.commit()
        with store.unit_of_work() as uow:
            trail = uow.audit.for_dossier(code)
        assert [r.event for r in trail] == opened + closed
        assert [r.kind for r in trail] == ["docket", "docket_note"]

    def test_events_of_a_rolled_back_unit_of_work_are_not_recorded(
        self, store: Store, clock: ManualClock
    ) -> None:
        with store.unit_of_work() as uow:
            docket, events = Docket(docket_code(1)).advance(1, clock())
            uow.repository(DOCKETS).save(docket, events)
        with store.unit_of_work() as uow:
            assert uow.audit.history(DOCKETS, str(docket.code)) == []


class UnitOfWorkContract(StorageFixtures):
    """What every :class:`~tthc_core.storage.UnitOfWork` must do."""

    #: Whether one thread may hold two writing units of work at once (``False`` for a store
    #: whose unit of work locks the database from its first operation, like SQLite's).
    one_thread_units: ClassVar[bool] = True

    def test_without_commit_nothing_is_stored(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.repository(DOCKETS).save(Docket(docket_code(1)))
            assert uow.repository(DOCKETS).get(str(docket_code(1))) is not None
        with store.unit_of_work() as uow:
            assert uow.repository(DOCKETS).get(str(docket_code(1))) is None

    def test_an_exception_rolls_back_and_propagates(self, store: Store) -> None:
        def handler() -> None:
            with store.unit_of_work() as uow:
                uow.repository(DOCKETS).save(Docket(docket_code(1)))
                raise LookupError

        with pytest.raises(LookupError):
            handler()
        with store.unit_of_work() as uow:
            assert uow.repository(DOCKETS).get(str(docket_code(1))) is None

    def test_explicit_rollback_then_more_work(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.repository(DOCKETS).save(Docket(docket_code(1)))
            uow.rollback()
            uow.repository(DOCKETS).save(Docket(docket_code(2)))
            uow.commit()
        with store.unit_of_work() as uow:
            repo = uow.repository(DOCKETS)
            assert repo.get(str(docket_code(1))) is None
            assert repo.get(str(docket_code(2))) is not None

    def test_collects_committed_events_once(self, store: Store, clock: ManualClock) -> None:
        with store.unit_of_work() as uow:
            docket, first = Docket(docket_code(1)).advance(1, clock())
            uow.repository(DOCKETS).save(docket, first)
            assert uow.collect_new_events() == []  # not committed yet
            uow.commit()
            assert uow.collect_new_events() == first
            assert uow.collect_new_events() == []
            _, dropped = docket.close(clock())
            uow.repository(DOCKETS).save(attrs.evolve(docket, version=1), dropped)
            uow.rollback()
            assert uow.collect_new_events() == []

    def test_interleaved_units_of_work_lose_no_update(
        self, store: Store, clock: ManualClock
    ) -> None:
        """A reads, B reads, A saves, B saves, A commits, B commits — every run, this order.

        A store that checks the version only when saving (not again at commit)
        lets B overwrite A's committed change. A locking store makes B wait and
        read A's change; an optimistic one refuses B with ConcurrencyConflict.
        """
        code = docket_code(1)
        _create(store, Docket(code))
        steps = {"a": 1, "b": 2}

        def read(state: dict[str, Any]) -> None:
            state["uow"] = store.unit_of_work().__enter__()
            state["read"] = state["uow"].repository(DOCKETS).get(str(code))

        def save(name: str) -> Callable[[dict[str, Any]], None]:
            def run(state: dict[str, Any]) -> None:
                changed = state["read"].advance(steps[name], clock())[0]
                state["uow"].repository(DOCKETS).save(changed)

            return run

        def commit(state: dict[str, Any]) -> None:
            try:
                state["uow"].commit()
            finally:
                state["uow"].__exit__(None, None, None)

        with Interleaving() as run:
            a, b = run.unit("a"), run.unit("b")
            a.step(read), b.step(read)
            saved = {"a": a.step(save("a")), "b": b.step(save("b"))}
            done = {"a": a.step(commit), "b": b.step(commit)}
        committed = [n for n in "ab" if saved[n].exception() is None and not done[n].exception()]
        for future in (*saved.values(), *done.values()):
            error = future.exception()
            assert error is None or isinstance(error, ConcurrencyConflict), error
        expected = Docket(code)
        for name in committed:  # A commits first whenever both do
            expected = expected.advance(steps[name], clock())[0]
        with store.unit_of_work() as uow:
            final = uow.repository(DOCKETS).get(str(code))
        assert final is not None
        assert (final.total, final.version) == (expected.total, 1 + len(committed)), (
            f"committed {committed}, but the stored docket lost an update"
        )

    def test_two_units_of_work_on_one_thread_lose_no_update(
        self, store: Store, clock: ManualClock
    ) -> None:
        """On one thread: A reads, B reads, saves and commits, then A saves and commits.

        A lock held per thread (a re-entrant one) does not keep B out while A is
        open; a store that then checks versions only against A's own snapshot
        lets A's commit overwrite B's. The store must refuse A (ConcurrencyConflict
        at save or at commit) or serialise them; never lose B's update. A store
        whose unit of work locks the whole database from its first operation
        (SQLite's ``BEGIN IMMEDIATE``) cannot open B while A is open on the same
        thread; it sets :attr:`one_thread_units` to ``False`` and skips this.
        """
        if not self.one_thread_units:
            pytest.skip("this store takes a database lock per unit of work: B would wait for A")
        code = docket_code(1)
        _create(store, Docket(code))
        with store.unit_of_work() as a:
            read_a = a.repository(DOCKETS).get(str(code))
            assert read_a is not None
            with store.unit_of_work() as b:
                read_b = b.repository(DOCKETS).get(str(code))
                assert read_b is not None
                b.repository(DOCKETS).save(read_b.advance(2, clock())[0])
                b.commit()
            try:
                a.repository(DOCKETS).save(read_a.advance(1, clock())[0])
                a.commit()
                a_committed = True
            except ConcurrencyConflict:
                a_committed = False
        expected = Docket(code).advance(2, clock())[0]
        if a_committed:  # serialised: A read B's change
            expected = expected.advance(1, clock())[0]
        with store.unit_of_work() as uow:
            final = uow.repository(DOCKETS).get(str(code))
        assert final is not None
        assert (final.total, final.version) == (expected.total, 2 + a_committed), (
            f"A {'committed' if a_committed else 'was refused'}, but the stored docket "
            f"holds total {final.total} at version {final.version}: B's update was lost"
        )

    def test_concurrent_writers_lose_no_update(self, store: Store, clock: ManualClock) -> None:
        """4 threads advance the same docket; every success is kept, every loser is told."""
        code = docket_code(1)
        _create(store, Docket(code))

        def worker(seed: int) -> tuple[int, int]:
            wins = conflicts = 0
            for i in range(15):
                try:
                    with store.unit_of_work() as uow:
                        repo = uow.repository(DOCKETS)
                        current = repo.get(str(code))
                        assert current is not None
                        repo.save(current.advance(seed * 100 + i, clock())[0])
                        uow.commit()
                    wins += 1
                except ConcurrencyConflict:
                    conflicts += 1
            return wins, conflicts

        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(worker, range(4)))
        with store.unit_of_work() as uow:
            final = uow.repository(DOCKETS).get(str(code))
        assert final is not None
        assert final.version == 1 + sum(wins for wins, _ in results)
        assert sum(w + c for w, c in results) == 60
