"""The chat look-up budget (issue 9: chat answered 5 codes per message with no per-sender limit).

Each code looked up, and a feedback naming a code, spends one unit of the
sender's budget (a port, :class:`~tthc_core.desk.LookupBudget`); when it is
spent the reply says so in Vietnamese and nothing is looked up.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from tests._desk import at, receive

from tthc_core.desk import MAX_CODES_PER_MESSAGE, Desk, answer_chat, messages
from tthc_core.storage import Store
from tthc_core.storage.kinds import COMPLAINTS


class CountingBudget:
    """A budget of ``size`` look-ups per sender, for all time (a test double of the port)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.spent: dict[str, int] = {}
        self.asked: list[tuple[str, int, dt.datetime]] = []

    def allow(self, sender: str, count: int, at: dt.datetime) -> bool:
        self.asked.append((sender, count, at))
        if self.spent.get(sender, 0) + count > self.size:
            return False
        self.spent[sender] = self.spent.get(sender, 0) + count
        return True


def _chat(
    store: Store, desk: Desk, budget: CountingBudget, text: str, event: str, *, user: str = "u1"
) -> list[str]:
    with store.unit_of_work() as uow:
        replies = answer_chat(
            uow, desk, user_id=user, event_id=event, text=text, at=at(11, 24, 9), budget=budget
        )
        uow.commit()
    return replies


def test_each_code_looked_up_spends_one_unit(store: Store, desk: Desk) -> None:
    codes = [receive(store, desk).code for _ in range(MAX_CODES_PER_MESSAGE + 1)]
    budget = CountingBudget(100)
    replies = _chat(store, desk, budget, " ".join(map(str, codes)), "e1")
    assert len(replies) == MAX_CODES_PER_MESSAGE
    assert budget.asked == [("u1", MAX_CODES_PER_MESSAGE, at(11, 24, 9))]


def test_a_spent_budget_answers_in_vietnamese_and_looks_nothing_up(
    store: Store, desk: Desk
) -> None:
    first, second, third = (receive(store, desk).code for _ in range(3))
    budget = CountingBudget(2)
    assert str(first) in _chat(store, desk, budget, f"{first} {second}", "e1")[0]
    refused = _chat(store, desk, budget, f"tra cứu {third}", "e2")
    assert refused == [messages.lookups_spent()]
    assert str(third) not in refused[0]
    assert unicodedata.is_normalized("NFC", refused[0])
    assert store.outbox_queue.counts().pending == 3  # two statuses, and the refusal
    # another sender has a budget of their own
    assert str(third) in _chat(store, desk, budget, f"{third}", "e3", user="u2")[0]


def test_a_message_that_does_not_fit_counts_nothing(store: Store, desk: Desk) -> None:
    first, second = (receive(store, desk).code for _ in range(2))
    budget = CountingBudget(1)
    assert _chat(store, desk, budget, f"{first} {second}", "e1") == [messages.lookups_spent()]
    assert str(first) in _chat(store, desk, budget, f"{first}", "e2")[0]


def test_feedback_naming_a_code_spends_one_unit_and_help_none(store: Store, desk: Desk) -> None:
    dossier = receive(store, desk)
    budget = CountingBudget(1)
    _chat(store, desk, budget, "xin chào", "e0")
    assert budget.asked == []
    _chat(store, desk, budget, f"góp ý {dossier.code} cán bộ hướng dẫn tận tình", "e1")
    assert budget.spent == {"u1": 1}
    refused = _chat(store, desk, budget, f"góp ý {dossier.code} lần nữa", "e2")
    assert refused == [messages.lookups_spent()]
    with store.unit_of_work() as uow:
        assert len(uow.repository(COMPLAINTS).for_dossier(dossier.code)) == 1


def test_without_a_budget_nothing_is_counted(store: Store, desk: Desk) -> None:
    dossier = receive(store, desk)
    with store.unit_of_work() as uow:
        for i in range(20):
            answer_chat(
                uow, desk, user_id="u", event_id=f"e{i}", text=str(dossier.code), at=at(11, 24, 9)
            )
        uow.commit()
    assert store.outbox_queue.counts().pending == 20
