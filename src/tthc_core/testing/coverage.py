"""How much of the domain the strategies reach: states and event classes per draw count.

Hypothesis' engine replays and mutates earlier examples, so the values one
``@given`` test sees cluster around its first finds. To measure what the
strategies themselves produce, :func:`sample` draws each value from fresh random
choices (Hypothesis' ``ConjectureData``, an internal API pinned by tthc's test
suite), and :func:`measure` tallies the end state of every dossier, complaint
case, shipment and conversation and the class of every event on their histories.

``python -m tthc_core.testing.coverage 200`` prints the table.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.control import BuildContext
from hypothesis.errors import StopTest, UnsatisfiedAssumption
from hypothesis.internal.conjecture.data import ConjectureData

from tthc_core import complaint as cp
from tthc_core.conversation import Step
from tthc_core.delivery import ShipmentState
from tthc_core.dossier import DossierState
from tthc_core.testing.strategies._complaint import case_notices, case_walks
from tthc_core.testing.strategies._conversation import conversation_walks
from tthc_core.testing.strategies._delivery import shipment_walks
from tthc_core.testing.strategies._dossier import dossier_histories
from tthc_core.testing.strategies._events import concrete_events
from tthc_core.testing.strategies._filing import filing_walks
from tthc_core.testing.strategies._sign_ins import sign_in_histories

__all__ = ["Coverage", "measure", "sample"]

T = TypeVar("T")


def sample(strategy: st.SearchStrategy[T], n: int, *, seed: int = 0) -> list[T]:
    """``n`` values of ``strategy``, each from fresh random choices (no replay, no mutation).

    Rejected and overrun draws are retried (at most ``10 * n`` attempts).
    """
    rnd = random.Random(seed)  # noqa: S311 - test data, not secrets
    values: list[T] = []
    for _ in range(10 * n):
        if len(values) == n:
            break
        data = ConjectureData(random=rnd)
        try:
            with BuildContext(data, wrapped_test=sample):
                values.append(data.draw(strategy))
        except (StopTest, UnsatisfiedAssumption):
            continue
    return values


@attrs.frozen
class Coverage:
    """What ``draws`` values of each aggregate strategy reached.

    Args:
        draws: Values drawn per aggregate.
        states: Per aggregate (``dossier``, ``case``, ``shipment``), end states by name.
        events: Event classes by name, over every history.
    """

    draws: int
    states: dict[str, Counter[str]]
    events: Counter[str]

    def missing_states(self) -> dict[str, list[str]]:
        """Per aggregate, the states no draw ended in."""
        every = {
            "dossier": [s.name for s in DossierState],
            "case": sorted({s.name for t in cp.TABLES.values() for s in t.states}),
            "shipment": [s.name for s in ShipmentState],
            "conversation": [s.name for s in Step],
        }
        return {k: [s for s in names if not self.states[k][s]] for k, names in every.items()}

    def missing_events(self) -> list[str]:
        """The domain event classes no history contained."""
        return [c.__name__ for c in concrete_events() if not self.events[c.__name__]]

    def markdown(self) -> str:
        """The tally as a Markdown table (aggregate, state or event, count)."""
        rows = ["| aggregate | state / event class | draws |", "|---|---|---|"]
        for aggregate, counts in self.states.items():
            rows += [f"| {aggregate} | `{s}` | {n} |" for s, n in sorted(counts.items())]
        rows += [f"| event | `{e}` | {n} |" for e, n in sorted(self.events.items())]
        return "\n".join(rows)


def _tally(histories: Iterable[tuple[Any, Iterable[Any]]]) -> tuple[Counter[str], Counter[str]]:
    states: Counter[str] = Counter()
    events: Counter[str] = Counter()
    for aggregate, history in histories:
        state = getattr(aggregate, "state", None) or aggregate.step  # a conversation's step
        states[state.name] += 1
        events.update(type(e).__name__ for e in history)
    return states, events


def measure(draws: int, *, seed: int = 0) -> Coverage:
    """Draw ``draws`` dossiers, cases and shipments (unaimed, as ``st.from_type`` does) and tally.

    Deadline notices come from as many drawn cases checked by the reminder queue.
    """
    dossiers = sample(dossier_histories(), draws, seed=seed)
    tallies = {
        "dossier": _tally((h.dossier, h.events) for h in dossiers),
        "case": _tally(sample(case_walks(), draws, seed=seed)),
        "shipment": _tally(sample(shipment_walks(), draws, seed=seed)),
        "conversation": _tally(sample(conversation_walks(), draws, seed=seed)),
    }
    events: Counter[str] = Counter()
    for _, counted in tallies.values():
        events.update(counted)
    for notices in sample(case_notices(), draws, seed=seed):
        events.update(type(n).__name__ for n in notices)
    for _, sign_ins in sample(sign_in_histories(), draws, seed=seed):
        events.update(type(e).__name__ for e in sign_ins)
    for _, walked in sample(filing_walks(), draws, seed=seed):  # online filing dialogues
        events.update(type(e).__name__ for e in walked)
    return Coverage(draws, {k: s for k, (s, _) in tallies.items()}, events)


if __name__ == "__main__":  # pragma: no cover - a report for people
    result = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    print(result.markdown())
    print("missing states:", result.missing_states())
    print("missing events:", result.missing_events())
