"""Stateful tests, one machine per kind: random command sequences against the invariants.

Invariants: every state change is in the kind's transition table; every clock is
the law table's row for its kind, step, level, variant and date (remote-adjusted),
counted by Civil Code Art. 147-148 minus the suspended time; stale commands change
nothing; the events replay to the case; no identity reaches the public projection.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tthc_adapters.calendar import default_deadlines
from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.errors import DomainRuleViolation
from tthc_core.party import Applicant
from tthc_core.testing.strategies import identified_senders, receiving_agencies
from tthc_core.testing.strategies._complaint import COMMANDS

D = default_deadlines()
S = cp.CaseState
_ENDINGS = {"decline", "forward", "withdraw", "terminate"}
_EXTENSIONS = {"extend", "extend_more", "multi_site"}
#: Drawn once for every four draws of a command that moves the case on.
_RARE = _ENDINGS | _EXTENSIONS | {"reassign", "suspend"}
#: The state each command leads to (reopen and resume depend on the case).
TARGETS: dict[str, S] = {
    "accept": S.ACCEPTED,
    "decline": S.NOT_ACCEPTED,
    "forward": S.FORWARDED,
    "assign": S.ASSIGNED,
    "reassign": S.ASSIGNED,
    "verify": S.VERIFYING,
    "dialogue": S.DIALOGUE,
    "resolve": S.RESOLVED,
    "publish": S.PUBLISHED,
    "close": S.CLOSED,
    "escalate": S.RECEIVED,
    "withdraw": S.WITHDRAWN,
    "suspend": S.SUSPENDED,
    "terminate": S.TERMINATED,
}


def _target(name: str, case: cp.Case) -> S | None:
    if name == "reopen":
        return S.ACCEPTED if case.kind is cp.CaseKind.DENUNCIATION else S.ASSIGNED
    if name == "resume":
        return case.suspended_from
    return TARGETS.get(name)


class CaseMachine(RuleBasedStateMachine):
    """Drives one case of :attr:`KIND` through random commands."""

    KIND: cp.CaseKind = cp.CaseKind.COMPLAINT

    def __init__(self) -> None:
        super().__init__()
        self.case: cp.Case
        self.events: list[cp.CaseEvent] = []

    @initialize(
        agency=receiving_agencies(),
        sender=identified_senders(),
        start=st.datetimes(dt.datetime(2019, 1, 2), dt.datetime(2034, 6, 30)),  # noqa: DTZ001
    )
    def receive(self, agency: cp.ReceivingAgency, sender: Applicant, start: dt.datetime) -> None:
        self.case, self.events = cp.receive(
            case_id="HS-1",
            kind=self.KIND,
            at=start.replace(tzinfo=VN_TZ, second=0, microsecond=0),
            channel=cp.Channel.CHAT,
            agency=agency,
            deadlines=D,
            sender=sender,
            content=f"Đơn của {sender.name}",
            public_summary=f"{sender.name}, {sender.address}",
            desk="Quầy 1" if self.KIND is cp.CaseKind.SERVICE_FEEDBACK else None,
        )

    def _enabled(self, name: str) -> bool:
        target = _target(name, self.case)
        if name == "assign" and self.case.state is not S.ACCEPTED:
            return False
        if name in _EXTENSIONS:
            return self.case.clock is not None and self.case.is_open
        return target is not None and cp.TABLES[self.KIND].allows(self.case.state, target)

    @rule(data=st.data(), hours=st.integers(0, 24 * 20))
    def command(self, data: st.DataObject, hours: int) -> None:
        """Mostly an enabled command, biased to move on; sometimes one the table forbids."""
        if data.draw(st.integers(0, 4), label="probe") == 0:
            self._refused(data.draw(st.sampled_from(sorted(set(COMMANDS) - _EXTENSIONS))), hours)
            return
        names = [
            n for n in sorted(COMMANDS) if self._enabled(n) for _ in range(1 if n in _RARE else 4)
        ]
        if not names:
            return
        name = data.draw(st.sampled_from(names), label="command")
        before = self.case
        try:
            after, events = COMMANDS[name](before, before.updated_at + dt.timedelta(hours=hours), D)
        except DomainRuleViolation:
            return  # a guard of the article (dialogue, window, no longer limit)
        if after.state is not before.state:
            assert cp.TABLES[self.KIND].allows(before.state, after.state)
        assert after.version == before.version  # storage owns the version
        self.case = after
        self.events.extend(events)

    def _refused(self, name: str, hours: int) -> None:
        """A command outside the kind's table raises (no transition outside the table)."""
        target = _target(name, self.case)
        if target is not None and cp.TABLES[self.KIND].allows(self.case.state, target):
            return
        with pytest.raises(DomainRuleViolation):
            COMMANDS[name](self.case, self.case.updated_at + dt.timedelta(hours=hours), D)

    @rule(name=st.sampled_from(sorted(COMMANDS)), minutes=st.integers(1, 60 * 24 * 30))
    def stale_command_changes_nothing(self, name: str, minutes: int) -> None:
        at = self.case.updated_at - dt.timedelta(minutes=minutes)
        assert COMMANDS[name](self.case, at, D) == (self.case, [])

    @invariant()
    def state_is_in_the_table(self) -> None:
        assert self.case.state in cp.TABLES[self.KIND].states

    @invariant()
    def clock_follows_the_law_table(self) -> None:
        clock = self.case.clock
        if clock is None:
            return
        row = cp.rule_for(
            self.KIND, clock.step, clock.rule_on, level=self.case.level, variant=clock.variant
        )
        assert row is not None
        assert clock.limit == row.limit_for(self.case.agency.remote_area)
        assert clock.citation == row.citation
        assert 0 <= clock.consumed <= clock.limit.amount
        if clock.started_on is None:
            assert self.case.state is cp.CaseState.SUSPENDED
        else:
            remaining = Duration(clock.limit.amount - clock.consumed, clock.limit.unit)
            if clock.lapsed_at is not None:  # suspended after running out: stays overdue
                assert clock.due_at == clock.lapsed_at
            else:
                assert clock.due_at == D.due_by_days(clock.started_on, remaining)

    @invariant()
    def open_handling_is_timed_by_the_resolution_period(self) -> None:
        handling = {cp.CaseState.ASSIGNED, cp.CaseState.VERIFYING, cp.CaseState.DIALOGUE}
        if self.case.state in handling and self.case.clock is not None:
            assert self.case.clock.step is cp.Step.RESOLVE

    @invariant()
    def events_replay_to_the_case(self) -> None:
        assert cp.replay(self.events) == self.case
        assert self.case.version == 0

    @invariant()
    def identity_never_reaches_the_public_projection(self) -> None:
        sender = self.case.sender
        assert sender is not None
        public = json.dumps(cp.georeport_request(self.case), ensure_ascii=False).casefold()
        for secret in (sender.name, sender.address, sender.phone):
            assert secret is not None
            assert secret.casefold() not in public
        assert cp.redact(self.case, cp.Viewer.PUBLIC).sender is None


MACHINES: dict[cp.CaseKind, type[CaseMachine]] = {
    kind: type(f"{kind.name.title().replace('_', '')}Machine", (CaseMachine,), {"KIND": kind})
    for kind in cp.CaseKind
}


@pytest.mark.parametrize("kind", list(cp.CaseKind), ids=lambda k: k.value)
def test_lifecycle_state_machine(kind: cp.CaseKind) -> None:
    machine = MACHINES[kind]
    machine.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
    machine.TestCase().runTest()
