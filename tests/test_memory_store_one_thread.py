"""MemoryStore: two units of work open on one thread (its lock is re-entrant, so it cannot
make the second wait). Found by issue 15's mutation pass; the store-wide rule is in the
contract suite (``test_two_units_of_work_on_one_thread_lose_no_update``).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from tthc_adapters.storage import MemoryStore
from tthc_core.codes import AgencyCode
from tthc_core.storage import ConcurrencyConflict, OutboundMessage
from tthc_core.testing.contracts import DOCKETS, Docket, ManualClock, docket_code

AGENCY = AgencyCode("000.00.15.H12")
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore(clock=ManualClock())


def test_two_units_on_one_thread_never_share_a_sequence_number(store: MemoryStore) -> None:
    """Circular 01/2018/TT-VPCP Art. 19: one number per dossier; the later commit is refused."""
    with store.unit_of_work() as a:
        assert a.sequences.next_sequence(AGENCY, DAY) == 1
        with store.unit_of_work() as b:
            assert b.sequences.next_sequence(AGENCY, DAY) == 1
            b.commit()
        with pytest.raises(ConcurrencyConflict) as info:
            a.commit()
    assert (info.value.kind, info.value.key) == ("sequences", f"{AGENCY}/{DAY}")
    assert (info.value.expected, info.value.actual) == (0, 1)
    with store.unit_of_work() as uow:
        assert uow.sequences.next_sequence(AGENCY, DAY) == 2


def test_disjoint_changes_of_two_units_on_one_thread_are_both_kept(store: MemoryStore) -> None:
    """The inner unit commits first; the outer one applies only what it changed over it."""
    with store.unit_of_work() as outer:
        outer.repository(DOCKETS).save(Docket(docket_code(1)))
        with store.unit_of_work() as inner:
            inner.repository(DOCKETS).save(Docket(docket_code(2)))
            inner.sequences.next_sequence(AGENCY, DAY)
            inner.commit()
        outer.sequences.next_sequence(AGENCY, DAY + dt.timedelta(days=1))
        outer.commit()
    with store.unit_of_work() as uow:
        repo = uow.repository(DOCKETS)
        assert repo.get(str(docket_code(1))) is not None
        assert repo.get(str(docket_code(2))) is not None
        assert uow.sequences.next_sequence(AGENCY, DAY) == 2
        assert uow.sequences.next_sequence(AGENCY, DAY + dt.timedelta(days=1)) == 2


def test_a_refused_outer_unit_leaves_the_inner_commit_and_the_lock_free(
    store: MemoryStore,
) -> None:
    with store.unit_of_work() as outer:
        outer.repository(DOCKETS).save(Docket(docket_code(1)))
        with store.unit_of_work() as inner:
            inner.repository(DOCKETS).save(Docket(docket_code(1), phone="0912345678"))
            inner.commit()
        with pytest.raises(ConcurrencyConflict):
            outer.commit()
    with store.unit_of_work() as uow:
        found = uow.repository(DOCKETS).get(str(docket_code(1)))
    assert found is not None
    assert found.phone == "0912345678"
    # Released by both units: another thread takes the (re-entrant) lock at once.
    with ThreadPoolExecutor(1) as other:
        assert other.submit(_take_and_release, store).result(timeout=5)


def _take_and_release(store: MemoryStore) -> bool:
    taken = store.lock.acquire(timeout=1)
    if taken:
        store.lock.release()
    return taken


def test_a_message_staged_by_both_units_is_queued_once(store: MemoryStore) -> None:
    message = OutboundMessage("D1:receipt", "zalo", {"text": "x"})
    with store.unit_of_work() as outer:
        assert outer.outbox.put(message)
        with store.unit_of_work() as inner:
            assert inner.outbox.put(message)
            inner.commit()
        outer.commit()
    assert store.outbox_queue.counts().pending == 1
