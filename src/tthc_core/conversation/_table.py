"""The conversation's transition table, as data, checked at import.

A conversation is a loop: it starts idle, a dialogue moves it through its
steps, and every dialogue ends back at idle — confirmed, cancelled (``hủy``
at any step) or expired. The check is the loop's version of
:mod:`tthc_core.lifecycle`'s: every step is reachable from idle, idle is
reachable from every step (no trap), and every step but idle can be
cancelled and can expire.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from types import MappingProxyType

from tthc_core.errors import InvalidInput
from tthc_core.lifecycle import reachable

__all__ = [
    "TABLE",
    "TIMEOUTS",
    "Action",
    "Step",
    "check_table",
]


class Step(enum.Enum):
    """Where a conversation is: idle, or a step of a dialogue awaiting the citizen."""

    IDLE = "idle"
    FILING_KIND = "filing_kind"  # which kind: góp ý, phản ánh/kiến nghị, khiếu nại, tố cáo
    FILING_CONTENT = "filing_content"  # the content (photos welcome)
    FILING_NAME = "filing_name"  # the sender's full name (complaint, denunciation)
    FILING_ADDRESS = "filing_address"  # the sender's address (complaint, denunciation)
    FILING_CONFIRM = "filing_confirm"  # the summary is shown: confirm or cancel
    RETURN_ADDRESS = "return_address"  # post chosen: the street line to deliver to
    RETURN_CONFIRM = "return_confirm"  # address and postage shown: confirm, change, cancel

    @property
    def is_filing(self) -> bool:
        """A step of filing feedback, a petition, a complaint or a denunciation."""
        return self.value.startswith("filing_")


class Action(enum.Enum):
    """What moves a conversation (the table's edge labels)."""

    START_FILING = "start_filing"
    CHOOSE_KIND = "choose_kind"
    GIVE_CONTENT = "give_content"
    ADD_PHOTO = "add_photo"
    GIVE_NAME = "give_name"
    GIVE_ADDRESS = "give_address"
    CONFIRM_FILING = "confirm_filing"
    START_RETURN = "start_return"
    GIVE_STREET = "give_street"
    CHANGE_ADDRESS = "change_address"
    CONFIRM_RETURN = "confirm_return"
    CANCEL = "cancel"
    EXPIRE = "expire"


S, A = Step, Action
_FILING = (S.FILING_KIND, S.FILING_CONTENT, S.FILING_NAME, S.FILING_ADDRESS, S.FILING_CONFIRM)
_ENDINGS: dict[tuple[Step, Action], frozenset[Step]] = {
    (step, action): frozenset({S.IDLE})
    for step in S
    if step is not S.IDLE
    for action in (A.CANCEL, A.EXPIRE)
}

#: ``(step, action) -> the steps it may lead to`` (the decision picks one; evolve checks it).
TABLE: Mapping[tuple[Step, Action], frozenset[Step]] = MappingProxyType(
    {
        (S.IDLE, A.START_FILING): frozenset({S.FILING_KIND, S.FILING_CONTENT}),
        (S.FILING_KIND, A.CHOOSE_KIND): frozenset({S.FILING_CONTENT}),
        (S.FILING_CONTENT, A.GIVE_CONTENT): frozenset({S.FILING_NAME, S.FILING_CONFIRM}),
        (S.FILING_NAME, A.GIVE_NAME): frozenset({S.FILING_ADDRESS}),
        (S.FILING_ADDRESS, A.GIVE_ADDRESS): frozenset({S.FILING_CONFIRM}),
        **{(step, A.ADD_PHOTO): frozenset({step}) for step in _FILING},
        (S.FILING_CONFIRM, A.CONFIRM_FILING): frozenset({S.IDLE}),
        # Choosing the post again restarts the return dialogue; a filing in progress
        # is never replaced by it (the citizen finishes or cancels it first).
        **{
            (step, A.START_RETURN): frozenset({S.RETURN_ADDRESS, S.RETURN_CONFIRM})
            for step in (S.IDLE, S.RETURN_ADDRESS, S.RETURN_CONFIRM)
        },
        (S.RETURN_ADDRESS, A.GIVE_STREET): frozenset({S.RETURN_CONFIRM}),
        (S.RETURN_CONFIRM, A.CHANGE_ADDRESS): frozenset({S.RETURN_ADDRESS}),
        (S.RETURN_CONFIRM, A.CONFIRM_RETURN): frozenset({S.IDLE}),
        **_ENDINGS,
    }
)

#: How long a dialogue step waits for the citizen. Zalo lets the OA answer only within
#: 7 days of the citizen's last message (reference zalo-oa.md §3), so a dialogue is
#: resumable for that long and expires after.
TIMEOUTS: Mapping[Step, dt.timedelta] = MappingProxyType(
    {step: dt.timedelta(days=7) for step in S if step is not S.IDLE}
)


def check_table(table: Mapping[tuple[Step, Action], frozenset[Step]]) -> list[str]:
    """Every rule ``table`` breaks, as sentences (empty: well formed)."""
    edges = [(source, target) for (source, _), targets in table.items() for target in targets]
    problems = [f"step {s.value} is unreachable" for s in set(S) - reachable(S.IDLE, edges)]
    back = reachable(S.IDLE, [(t, s) for s, t in edges])
    problems += [f"step {s.value} is a trap: idle cannot be reached" for s in set(S) - back]
    for step in S:
        if step is S.IDLE:
            continue
        for action in (A.CANCEL, A.EXPIRE):
            if table.get((step, action)) != frozenset({S.IDLE}):
                problems.append(f"step {step.value} cannot {action.value} back to idle")
        if step not in TIMEOUTS:
            problems.append(f"step {step.value} has no timeout")
    return sorted(problems)


_PROBLEMS = check_table(TABLE)
if _PROBLEMS:  # pragma: no cover - the table above is well formed
    raise InvalidInput("the conversation table is malformed: " + "; ".join(_PROBLEMS))
