"""Directed random walks through a workflow: how strategies reach every state.

A strategy that drives an aggregate by uniformly random commands spends most of
its draws near the initial state (a dossier is mostly ``SUBMITTED``, a complaint
mostly ``RECEIVED``). :func:`walk` instead aims at a *goal* state: it explores
with random moves that can still reach the goal (so histories wander, loop and
go deep), then follows the table greedily to the goal. Strategies draw the goal
uniformly from the states when the caller names none, so every state — and the
events on the way to it — appears with useful frequency.

Moves run the real workflow functions; a move the workflow refuses (a guard, a
rule) is simply skipped, so every history is one the domain can produce.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from hypothesis import reject
from hypothesis import strategies as st

from tthc_core.errors import TthcError

__all__ = ["Move", "distances_to", "walk"]

S = TypeVar("S", bound=Hashable)
X = TypeVar("X")

#: One candidate move: the state it is expected to lead to, and how to make it
#: (draws its arguments, runs the workflow; raises :class:`TthcError` if refused).
Move = tuple[S, Callable[[st.DrawFn], tuple[X, Sequence[Any]]]]

#: Greedy moves tried after exploring, before the walk gives up on its goal.
GREEDY_LIMIT = 40


def distances_to(graph: Mapping[S, Iterable[S]], goal: S) -> dict[S, int]:
    """The number of edges from each state that can reach ``goal`` to it (breadth first).

    Args:
        graph: ``state -> states it may change to``.
        goal: The state to reach.
    """
    back: dict[S, set[S]] = {}
    for source, targets in graph.items():
        for target in targets:
            back.setdefault(target, set()).add(source)
    dist = {goal: 0}
    queue = deque([goal])
    while queue:
        state = queue.popleft()
        for source in back.get(state, ()):
            if source not in dist:
                dist[source] = dist[state] + 1
                queue.append(source)
    return dist


def _reachable_from(graph: Mapping[S, Iterable[S]], start: S) -> set[S]:
    seen = {start}
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _edges(graph: Mapping[S, Iterable[S]], sources: set[S], targets: set[S]) -> list[tuple[S, S]]:
    """The edges from a state in ``sources`` to one in ``targets``, in a fixed order."""
    found = ((a, b) for a in sources for b in graph.get(a, ()) if a in targets and b in targets)
    return sorted(found, key=repr)


def walk(
    draw: st.DrawFn,
    start: X,
    *,
    state_of: Callable[[X], S],
    moves: Callable[[X], Sequence[Move[S, X]]],
    graph: Mapping[S, Iterable[S]],
    goal: S | None,
    max_steps: int,
) -> tuple[X, list[Any]]:
    """Drive ``start`` across a drawn edge of ``graph`` to ``goal``, exploring on the way.

    The walk draws one edge ``a -> b`` of the table uniformly among those that lie
    between the start and the goal (so a parcel returned, a supplement loop or a
    second-level escalation is taken as often as the main road). Without a
    ``goal``, half the walks draw the goal uniformly among the states after the
    start (every state equally often) and half draw the edge uniformly first and
    then a goal after it (every edge, so every event, equally often): ``b`` itself half
    the time, else any state after it, so the sinks do not dominate. It explores up to
    ``max_steps`` random moves that can still reach ``a``, then goes greedily to
    ``a``, across to ``b`` and on to the goal — candidates closest first, ties in
    a drawn order. A move the workflow refuses is skipped; the example is rejected
    (``hypothesis.reject``) if the goal stays out of reach.

    Returns:
        The aggregate at the goal and every event produced on the way.
    """
    after_start = _reachable_from(graph, state_of(start))
    if goal is None and draw(st.booleans(), label="edge first"):
        # Half the unaimed walks pick the edge first: every edge (every event) equally often.
        a, b = draw(st.sampled_from(_edges(graph, after_start, after_start)), label="edge")
        # Half of these stop right after the edge: a goal drawn among the states after ``b``
        # alone would favour the sinks (every road ends in a parcel delivered or returned).
        after_b = sorted(_reachable_from(graph, b), key=repr)
        goal = (
            b
            if draw(st.booleans(), label="stop after edge")
            else draw(st.sampled_from(after_b), label="goal")
        )
    else:
        # The other half pick the goal first: every state equally often.
        if goal is None:
            goal = draw(st.sampled_from(sorted(after_start, key=repr)), label="goal")
        between = _edges(graph, after_start, set(distances_to(graph, goal)))
        a, b = draw(st.sampled_from(between), label="edge") if between else (goal, goal)
    explore = draw(st.integers(0, max_steps), label="exploring moves")
    x, events = start, list[Any]()
    for target in (a, b, goal):
        x, events = _leg(draw, x, events, state_of, moves, distances_to(graph, target), explore)
        explore = 0
    if state_of(x) != goal:
        reject()
    return x, events


def _leg(  # noqa: PLR0917 - one private helper of walk
    draw: st.DrawFn,
    x: X,
    events: list[Any],
    state_of: Callable[[X], S],
    moves: Callable[[X], Sequence[Move[S, X]]],
    dist: Mapping[S, int],
    explore: int,
) -> tuple[X, list[Any]]:
    """Explore ``explore`` moves within ``dist``'s states, then go greedily to its goal."""
    for step in range(explore + GREEDY_LIMIT):
        greedy = step >= explore
        if greedy and dist.get(state_of(x)) == 0:
            break
        candidates = [m for m in moves(x) if m[0] in dist]
        if not candidates:
            break
        # A drawn rotation: cheaper than a permutation and just as fair for the first pick.
        first = draw(st.integers(0, len(candidates) - 1))
        order = candidates[first:] + candidates[:first]
        if greedy:
            order = sorted(order, key=lambda m: dist[m[0]])
        for _, make in order:
            try:
                x, new = make(draw)
            except TthcError:
                continue
            events.extend(new)
            break
    return x, events
