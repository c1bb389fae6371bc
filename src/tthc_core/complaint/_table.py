"""Transition tables, one per case kind, as data checked at import.

Each table names one initial state and the states reachable from each state.
:func:`check_table` enforces the shape every workflow table in tthc has: one
initial state, every state reachable from it, no exits from final states, and no
trap states (every non-final state can still reach a final one).

The paths follow the texts:

* Petitions and service feedback, Decree 20/2008/NĐ-CP Art. 9 (receive, log,
  classify: not accepted / forwarded / handled) and Art. 14-15 (handle, publish
  the result); reopening a closed answer follows FixMyStreet's reopen.
* Complaints, Law on Complaints 02/2011/QH13 Art. 27-33 (accept, verify,
  dialogue, decide, send; second level Art. 36-41), Art. 10 (withdrawal) and
  Art. 11a added by Law 136/2025/QH15 (tạm đình chỉ, đình chỉ). Escalation to
  the second level (Art. 33) starts the case again at RECEIVED, at level two.
* Denunciations, Law on Denunciations 25/2018/QH14 Art. 24, 28-35 (initial
  processing, accept, verify, conclude), Art. 33 (withdrawal), Art. 34
  (suspension, termination), Art. 37 (re-handling: back to ACCEPTED) and
  Art. 40 (publication).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from tthc_core.complaint._kinds import CaseKind, CaseState
from tthc_core.errors import InvalidInput
from tthc_core.lifecycle import lifecycle_problems

__all__ = ["TABLES", "TransitionTable", "check_table"]

S = CaseState


@attrs.frozen
class TransitionTable:
    """The allowed state changes of one kind.

    Args:
        initial: The state every case of this kind starts in.
        edges: For each state, the states it may change to (empty: final).
    """

    initial: CaseState
    edges: Mapping[CaseState, frozenset[CaseState]]

    @property
    def states(self) -> frozenset[CaseState]:
        """Every state the table uses."""
        return frozenset(self.edges)

    @property
    def finals(self) -> frozenset[CaseState]:
        """States without exits."""
        return frozenset(s for s, nxt in self.edges.items() if not nxt)

    def allows(self, source: CaseState, target: CaseState) -> bool:
        """Whether ``source -> target`` is in the table."""
        return target in self.edges.get(source, frozenset())


def check_table(name: str, table: TransitionTable) -> None:
    """Raise if ``table`` is not a well-formed workflow.

    Args:
        name: Used in the error message.
        table: The table to check.

    Raises:
        InvalidInput: On an unknown target, an unreachable state, or a trap state.
    """
    edges = table.edges
    if table.initial not in edges:
        raise InvalidInput(f"{name}: initial state {table.initial.name} has no row")
    problems = lifecycle_problems(
        states=set(edges),
        initial={table.initial},
        finals=table.finals,
        edges=[(source, target) for source, targets in edges.items() for target in targets],
    )
    if problems:
        raise InvalidInput(f"{name}: " + "; ".join(problems))


def _table(rows: dict[CaseState, set[CaseState]]) -> TransitionTable:
    # pragma: no mutate block (runs at import; the tables are checked by check_table and tests)
    return TransitionTable(
        initial=S.RECEIVED,
        edges=MappingProxyType({s: frozenset(t) for s, t in rows.items()}),
    )


_CLASSIFY = {S.ACCEPTED, S.NOT_ACCEPTED, S.FORWARDED, S.WITHDRAWN}
_FINAL_OUTCOMES: dict[CaseState, set[CaseState]] = {
    S.NOT_ACCEPTED: set(),
    S.FORWARDED: set(),
    S.WITHDRAWN: set(),
}

#: Petitions and service feedback: no suspension; an answer can be reopened.
_FEEDBACK = _table(
    {
        S.RECEIVED: _CLASSIFY,
        S.ACCEPTED: {S.ASSIGNED, S.WITHDRAWN},
        S.ASSIGNED: {S.ASSIGNED, S.VERIFYING, S.RESOLVED, S.WITHDRAWN},
        S.VERIFYING: {S.RESOLVED, S.WITHDRAWN},
        S.RESOLVED: {S.PUBLISHED, S.CLOSED, S.ASSIGNED},
        S.PUBLISHED: {S.CLOSED, S.ASSIGNED},
        S.CLOSED: {S.ASSIGNED},
        **_FINAL_OUTCOMES,
    }
)

_STOP = {S.SUSPENDED, S.WITHDRAWN, S.TERMINATED}

#: Complaints: escalation (back to RECEIVED at level two) from an overdue or
#: decided first-level case, also once its file is closed; dialogue before the decision.
_COMPLAINT = _table(
    {
        S.RECEIVED: _CLASSIFY,
        S.ACCEPTED: {S.ASSIGNED, S.RECEIVED, *_STOP},
        S.ASSIGNED: {S.ASSIGNED, S.VERIFYING, S.RECEIVED, *_STOP},
        S.VERIFYING: {S.DIALOGUE, S.RESOLVED, S.RECEIVED, *_STOP},
        S.DIALOGUE: {S.RESOLVED, S.RECEIVED, *_STOP},
        S.SUSPENDED: {S.ACCEPTED, S.ASSIGNED, S.VERIFYING, S.DIALOGUE, S.WITHDRAWN, S.TERMINATED},
        S.RESOLVED: {S.PUBLISHED, S.CLOSED, S.RECEIVED},
        S.PUBLISHED: {S.CLOSED, S.RECEIVED},
        # Closing keeps the second-level window open (Law on Complaints Art. 33(1)):
        # a closed first-level file can still be escalated while the window runs.
        S.CLOSED: {S.RECEIVED},
        S.TERMINATED: set(),
        **_FINAL_OUTCOMES,
    }
)

#: Denunciations: re-handling (Art. 37) reopens a concluded case at ACCEPTED.
_DENUNCIATION = _table(
    {
        S.RECEIVED: _CLASSIFY,
        S.ACCEPTED: {S.ASSIGNED, *_STOP},
        S.ASSIGNED: {S.ASSIGNED, S.VERIFYING, *_STOP},
        S.VERIFYING: {S.RESOLVED, *_STOP},
        S.SUSPENDED: {S.ACCEPTED, S.ASSIGNED, S.VERIFYING, S.WITHDRAWN, S.TERMINATED},
        S.RESOLVED: {S.PUBLISHED, S.CLOSED, S.ACCEPTED},
        S.PUBLISHED: {S.CLOSED, S.ACCEPTED},
        S.CLOSED: set(),
        S.TERMINATED: set(),
        **_FINAL_OUTCOMES,
    }
)

#: The transition table of each kind.
TABLES: Mapping[CaseKind, TransitionTable] = MappingProxyType(
    {
        CaseKind.SERVICE_FEEDBACK: _FEEDBACK,
        CaseKind.PETITION: _FEEDBACK,
        CaseKind.COMPLAINT: _COMPLAINT,
        CaseKind.DENUNCIATION: _DENUNCIATION,
    }
)

for _kind, _t in TABLES.items():
    check_table(_kind.value, _t)
