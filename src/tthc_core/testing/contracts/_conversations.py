"""What a store must do for conversations (:data:`tthc_core.storage.kinds.CONVERSATIONS`).

Conversations are stored like every aggregate; this suite pins what the chat
needs of that: a dialogue read back exactly (draft, expiry, transcript) in a
later unit of work, its events in the audit trail, the staff queue in the
order citizens started waiting, and one case per confirmation when two
workers handle the same confirmation at once (the second save is a
conflict, so its unit of work files nothing).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from hypothesis import HealthCheck, given, settings

from tthc_core.calendar import VN_TZ
from tthc_core.complaint import CaseKind
from tthc_core.conversation import (
    AskStaff,
    Confirm,
    Conversation,
    ConversationEvent,
    FilingConfirmed,
    GiveText,
    NotNow,
    StartFiling,
    handle,
)
from tthc_core.storage import ConcurrencyConflict, Store
from tthc_core.storage.kinds import CONVERSATIONS
from tthc_core.testing.contracts._storage_base import StorageFixtures
from tthc_core.testing.strategies import conversation_walks

__all__ = ["ConversationStorageContract"]

_T0 = dt.datetime(2026, 12, 1, 9, tzinfo=VN_TZ)


def _saved(
    store: Store, conversation: Conversation, events: list[ConversationEvent]
) -> Conversation:
    with store.unit_of_work() as uow:
        saved = uow.repository(CONVERSATIONS).save(conversation, events)
        uow.commit()
    return saved


class ConversationStorageContract(StorageFixtures):
    """Conversations round-trip, queue for staff in order, and confirm once."""

    @settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(walk=conversation_walks())
    def test_a_conversation_reads_back_exactly_with_its_events(
        self, store: Store, walk: tuple[Conversation, list[ConversationEvent]]
    ) -> None:
        conversation, events = walk
        key = conversation.key
        with store.unit_of_work() as uow:
            if uow.repository(CONVERSATIONS).get(key) is not None:
                return  # drawn before in this store (the fixture outlives examples)
        saved = _saved(store, conversation, events)
        with store.unit_of_work() as uow:
            assert uow.repository(CONVERSATIONS).get(key) == saved
            history = uow.audit.history(CONVERSATIONS, key)
        assert [r.event for r in history] == events

    def test_the_staff_queue_lists_waiting_conversations_oldest_first(self, store: Store) -> None:
        for minutes, user in ((30, "late"), (10, "early"), (20, "middle")):
            waiting, events = handle(
                Conversation("zalo", user),
                AskStaff("câu hỏi"),
                at=_T0 + dt.timedelta(minutes=minutes),
            )
            _saved(store, waiting, events)
        _saved(store, Conversation("zalo", "idle"), [])
        with store.unit_of_work() as uow:
            queue = uow.repository(CONVERSATIONS).due_by(_T0 + dt.timedelta(days=1))
        assert [c.user_id for c in queue] == ["early", "middle", "late"]

    def test_two_workers_confirming_at_once_file_one_case(self, store: Store) -> None:
        ready = Conversation("zalo", "u1")
        for command in (StartFiling(CaseKind.PETITION), GiveText("nội dung")):
            ready, _ = handle(ready, command, at=_T0)
        ready = _saved(store, ready, [])

        def confirm(_: int) -> str | None:
            try:
                with store.unit_of_work() as uow:
                    repository = uow.repository(CONVERSATIONS)
                    current = repository.get(ready.key)
                    assert current is not None
                    confirmed, events = handle(current, Confirm(), at=_T0)
                    repository.save(confirmed, events)
                    uow.commit()
            except (ConcurrencyConflict, NotNow):  # lost the race, or came after the winner
                return None
            (event,) = events
            assert isinstance(event, FilingConfirmed)
            return event.case_id

        with ThreadPoolExecutor(2) as pool:
            filed = [case for case in pool.map(confirm, range(2)) if case is not None]
        assert len(filed) == 1
        with store.unit_of_work() as uow:
            stored = uow.repository(CONVERSATIONS).get(ready.key)
        assert stored is not None
        assert stored.filed == tuple(filed)
