"""Structural checks shared by every transition table of the core.

The dossier, complaint and shipment lifecycles are flat state machines whose
tables are data. Each is checked when its module is imported, with the rules
python-statemachine checks at class creation (anchors §3.1): exactly one
initial state, every state reachable from it, no exit from a final state, and
no trap state (a state from which no final state can be reached).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from typing import TypeVar

__all__ = ["lifecycle_problems", "reachable"]

S = TypeVar("S", bound=Hashable)


def reachable(start: S, edges: Iterable[tuple[S, S]]) -> set[S]:
    """Every state reachable from ``start`` (itself included) along ``edges``."""
    successors: dict[S, set[S]] = {}
    for source, target in edges:
        successors.setdefault(source, set()).add(target)
    seen = {start}
    frontier = [start]
    while frontier:
        for nxt in successors.get(frontier.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen


def lifecycle_problems(
    states: Collection[S],
    initial: Collection[S],
    finals: Collection[S],
    edges: Collection[tuple[S, S]],
) -> list[str]:
    """Every structural rule the table breaks, as sentences (empty: well formed).

    Args:
        states: Every state of the workflow.
        initial: The initial states (exactly one is allowed).
        finals: The final states (at least one).
        edges: ``(source, target)`` for every transition; self-loops allowed.
    """

    def name(state: S) -> str:
        value = getattr(state, "value", state)  # an enum member reads as its value
        return value if isinstance(value, str) else str(state)

    problems: list[str] = []
    if len(initial) != 1:
        problems.append(f"expected one initial state, found {sorted(map(name, initial))}")
    if not finals:
        problems.append("no final state")
    unknown = {s for edge in edges for s in edge} - set(states)
    if unknown:
        problems.append(f"transitions name unknown states {sorted(map(name, unknown))}")
    exits = {source for source, _ in edges if source in finals}
    problems += [f"final state {name(s)} has an exit" for s in sorted(exits, key=name)]
    if len(initial) == 1:
        (start,) = initial
        unreachable = set(states) - reachable(start, edges)
        problems += [f"state {name(s)} is unreachable" for s in sorted(unreachable, key=name)]
    reversed_edges = [(target, source) for source, target in edges]
    can_finish: set[S] = set()
    for final in finals:
        can_finish |= reachable(final, reversed_edges)
    traps = [s for s in states if s not in can_finish]
    problems += [
        f"state {name(s)} is a trap: no final state can be reached from it"
        for s in sorted(traps, key=name)
    ]
    return problems
