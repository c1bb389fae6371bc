"""Group commit of the chat webhook: concurrent events share commits, each gets its own outcome."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from tests._app import NOW

from tthc_adapters.app._acceptor import InboxAcceptor
from tthc_adapters.storage import MemoryStore
from tthc_core.storage import InboundEvent, Store


def _event(n: int) -> InboundEvent:
    return InboundEvent("zalo", f"evt-{n}", {"n": n}, b"{}", NOW)


class _Counting:
    """A store whose inbox counts group commits, slows them down, and refuses ``bad`` events."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.commits = 0
        outer = self

        class _Queue:
            def accept_all(self, events: Any, *, durable: bool = True) -> list[bool]:
                assert durable
                for event in events:
                    if event.event_id.startswith("bad"):
                        raise RuntimeError(f"cannot record {event.event_id}")
                threading.Event().wait(0.005)  # a disk flush
                outer.commits += 1
                return store.inbox_queue.accept_all(events)

            def counts(self) -> Any:
                return store.inbox_queue.counts()

        self.inbox_queue = _Queue()


def test_concurrent_events_share_commits_and_each_learns_its_outcome() -> None:
    store = _Counting(MemoryStore())
    acceptor = InboxAcceptor(store)  # type: ignore[arg-type]
    events = [_event(n) for n in range(200)] + [_event(n) for n in range(0, 200, 10)]

    async def accept_all() -> list[bool]:
        return await asyncio.gather(*(acceptor.accept(e) for e in events))

    assert asyncio.run(accept_all()) == [True] * 200 + [False] * 20
    assert store.inbox_queue.counts().pending == 200
    assert store.commits < 200  # grouped


def test_an_error_reaches_only_its_own_request() -> None:
    store = _Counting(MemoryStore())
    acceptor = InboxAcceptor(store)  # type: ignore[arg-type]
    names = [f"evt-{n}" if n % 7 else f"bad-{n}" for n in range(60)]

    async def accept(name: str) -> bool | str:
        try:
            return await acceptor.accept(InboundEvent("zalo", name, {}, b"{}", NOW))
        except RuntimeError as exc:
            return str(exc)

    async def accept_all() -> list[bool | str]:
        return await asyncio.gather(*(accept(name) for name in names))

    outcomes = dict(zip(names, asyncio.run(accept_all()), strict=True))
    for name, outcome in outcomes.items():
        assert outcome == (f"cannot record {name}" if name.startswith("bad") else True)
    assert store.inbox_queue.counts().pending == sum(not n.startswith("bad") for n in names)


def test_alone_an_event_is_recorded_at_once() -> None:
    store = MemoryStore()
    acceptor = InboxAcceptor(store)
    assert asyncio.run(acceptor.accept(_event(1)))
    assert not asyncio.run(acceptor.accept(_event(1)))  # another loop, the same committer
    assert store.inbox_queue.counts().pending == 1
