"""Escalation to a second-level complaint: the refusal's reason and rule, the clock it starts.

Law on Complaints 02/2011/QH13 Art. 7 and 33: only a first-level complaint is escalated; the
second-level complaint starts its own acceptance period (issue 15, survivors of
``complaint/_escalation``).
"""

from __future__ import annotations

import pytest
from tests.test_complaint_escalation import PROVINCE, RECEIVED, D, decided, escalate, local

from tthc_core import complaint as cp
from tthc_core.errors import DomainRuleViolation


def test_a_second_level_complaint_is_not_escalated_again() -> None:
    second = escalate(decided(), local(7, 25, 9), RECEIVED)
    with pytest.raises(DomainRuleViolation) as info:
        cp.escalate(second, at=local(7, 26, 9), to=PROVINCE, deadlines=D)
    assert info.value.reason == "only a first-level complaint can be escalated"
    assert info.value.rule == "Law on Complaints 02/2011/QH13 Art. 7, 33"


def test_escalation_starts_the_second_levels_acceptance_clock() -> None:
    escalated, events = cp.escalate(
        decided(), at=local(7, 25, 9), to=PROVINCE, deadlines=D, decision_received_on=RECEIVED
    )
    clock = events[0].clock  # type: ignore[attr-defined]
    assert clock is not None
    assert clock.step is cp.Step.ACCEPT
    assert escalated.clock == clock
