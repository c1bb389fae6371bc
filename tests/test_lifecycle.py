"""The structural checks every transition table passes at import (tthc_core.lifecycle)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.lifecycle import lifecycle_problems, reachable

WELL_FORMED = {
    "new": {"open"},
    "open": {"open", "done", "dropped"},
    "done": set(),
    "dropped": set(),
}


def _edges(rows: dict[str, set[str]]) -> list[tuple[str, str]]:
    return [(s, t) for s, targets in rows.items() for t in targets]


def test_a_well_formed_table_has_no_problem() -> None:
    assert (
        lifecycle_problems(set(WELL_FORMED), {"new"}, {"done", "dropped"}, _edges(WELL_FORMED))
        == []
    )


@pytest.mark.parametrize(
    ("rows", "initial", "finals", "expected"),
    [
        (WELL_FORMED, {"new", "open"}, {"done"}, "expected one initial state"),
        (WELL_FORMED, {"new"}, set(), "no final state"),
        (
            {**WELL_FORMED, "done": {"open"}},
            {"new"},
            {"done", "dropped"},
            "final state done has an exit",
        ),
        (
            {**WELL_FORMED, "lost": set()},
            {"new"},
            {"done", "dropped", "lost"},
            "state lost is unreachable",
        ),
        (
            {**WELL_FORMED, "open": {"loop"}, "loop": {"loop"}},
            {"new"},
            {"done"},
            "state loop is a trap",
        ),
        ({"new": {"ghost"}}, {"new"}, {"new"}, "unknown states"),
    ],
)
def test_each_rule_is_reported(
    rows: dict[str, set[str]], initial: set[str], finals: set[str], expected: str
) -> None:
    problems = lifecycle_problems(set(rows), initial, finals, _edges(rows))
    assert any(expected in p for p in problems), problems


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=20), st.integers(0, 6))
def test_reachable_is_closed_under_edges(edges: list[tuple[int, int]], start: int) -> None:
    seen = reachable(start, edges)
    assert start in seen
    assert all(t in seen for s, t in edges if s in seen)
