"""The dossier workflow state machine (see :mod:`tthc_core.testing.stateful`)."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tthc_core.calendar import VN_TZ, Deadlines, WorkingDayIndex
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.dossier import (
    TABLE,
    Command,
    CommandOutOfOrder,
    Dossier,
    HandOver,
    ReceiveDossier,
    ReceiveSupplement,
    RequestSupplement,
    Reschedule,
    StopProcessing,
    Timeliness,
    TransitionNotAllowed,
    handle,
    rebuild,
    receive,
    submit,
)
from tthc_core.dossier import Channel as _Channel
from tthc_core.errors import DomainRuleViolation
from tthc_core.events import DomainEvent
from tthc_core.party import ReturnChannel
from tthc_core.regime import SupplementClock
from tthc_core.testing.stateful._oracle import (
    MinuteWalkClock,
    measured_at,
    oracle_finished,
    small_procedures,
)
from tthc_core.testing.strategies._dossier import commands_for, dossier_commands
from tthc_core.testing.strategies._party import applicants, postal_addresses
from tthc_core.testing.strategies._time import office_hours, synthetic_calendars

__all__ = ["DossierWorkflowMachine"]


class DossierWorkflowMachine(RuleBasedStateMachine):
    """Random walks over the dossier workflow with its invariants checked at every step."""

    def __init__(self) -> None:
        super().__init__()
        self.dossier: Dossier | None = None
        self.events: list[DomainEvent] = []
        self.now = dt.datetime(2026, 1, 1, tzinfo=VN_TZ)
        self.deadlines: Deadlines | None = None
        self.clock: MinuteWalkClock | None = None
        self.expected_due: dt.datetime | None = None
        self.expected_step_dues: list[dt.datetime] = []
        #: The oracle's own record of an unanswered supplement request (its instant).
        self.pending_request: dt.datetime | None = None

    # --- hooks ----------------------------------------------------------------------------

    def on_change(self, dossier: Dossier, events: list[DomainEvent]) -> None:
        """Called after every accepted command (and after intake); override to drive adapters.

        Args:
            dossier: The new dossier.
            events: The events of the change.
        """

    # --- driving by hand (regression examples) --------------------------------------------

    def begin(
        self,
        dossier: Dossier,
        events: list[DomainEvent],
        *,
        deadlines: Deadlines,
        clock: MinuteWalkClock,
    ) -> None:
        """Start from a dossier built outside the machine (instead of :meth:`intake`).

        With :meth:`step`, this replays a known history through the machine's
        oracles — the way to pin a walk Hypothesis once found::

            machine = DossierWorkflowMachine()
            machine.begin(*received(at=t0), deadlines=WEEKDAYS, clock=MinuteWalkClock(...))
            machine.step(RequestSupplement(("Bản sao",), "Thiếu giấy tờ"), t1)
        """
        self.deadlines, self.clock = deadlines, clock
        self.now = max(self.now, dossier.last_event_at)
        if dossier.received_at is not None:
            minutes = clock.minutes_of(dossier.processing_time)
            self.expected_due = clock.add(dossier.received_at, minutes)
        self._accept(dossier, events)

    def step(self, command: Command, at: dt.datetime) -> None:
        """Apply ``command`` at ``at`` as the rules do, then check every invariant."""
        self.now = max(self.now, at)
        self._try(self._dossier(), command)
        self.check_oracles()

    def check_oracles(self) -> None:
        """Check every invariant now (Hypothesis checks them after each rule)."""
        self.control_sheet_is_complete_and_ordered()
        self.due_never_precedes_receipt()
        self.due_times_agree_with_minute_walk()
        self.timeliness_agrees_with_oracle()
        self.replay_rebuilds_the_dossier()

    # --- set-up ---------------------------------------------------------------------------

    @initialize(data=st.data())
    def intake(self, data: st.DataObject) -> None:
        """Receive a dossier (or only submit it) on a synthetic calendar."""
        year = data.draw(st.sampled_from((2024, 2026)), label="year")
        calendar = data.draw(synthetic_calendars(year - 1, year + 1), label="calendar")
        # Random office hours probe the edges; at least two hours a day keep
        # the longest walk (16 working hours) within the calendar's years.
        hours = data.draw(office_hours().filter(lambda h: h.minutes_per_day >= 120), label="hours")
        self.deadlines = Deadlines(
            WorkingDayIndex(calendar, year, year, limits=(year - 1, year + 1)), hours
        )
        self.clock = MinuteWalkClock(calendar, hours)
        procedure = data.draw(small_procedures(), label="procedure")
        day = data.draw(st.dates(dt.date(year, 1, 2), dt.date(year, 10, 31)), label="day")
        minute = data.draw(st.integers(0, 24 * 60 - 1), label="minute")
        self.now = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=VN_TZ)
        postal = data.draw(st.booleans(), label="postal return")
        common: dict[str, Any] = {
            "code": DossierCode(AgencyCode("000.24.32.H15"), day, 1),
            "procedure": procedure,
            "applicant": data.draw(applicants(), label="applicant"),
            "channel": data.draw(st.sampled_from(_Channel), label="channel"),
            "at": self.now,
            "return_channel": ReturnChannel.POSTAL if postal else ReturnChannel.DESK,
            "postal_address": data.draw(postal_addresses()) if postal else None,
            "supplement_clock": data.draw(st.none() | st.sampled_from(SupplementClock)),
        }
        if data.draw(st.booleans(), label="received at once"):
            dossier, events = receive(unit="Bộ phận Một cửa", deadlines=self.deadlines, **common)
            self.expected_due = self.clock.add(
                self.now, self.clock.minutes_of(procedure.processing_time)
            )
        else:
            dossier, events = submit(**common)
        self._accept(dossier, events)

    # --- rules ----------------------------------------------------------------------------

    @rule(minutes=st.integers(0, 3 * 24 * 60))
    def time_passes(self, minutes: int) -> None:
        """The clock moves on."""
        self.now += dt.timedelta(minutes=minutes)

    @precondition(lambda self: self.dossier is not None and not self.dossier.is_final)
    @rule(data=st.data())
    def accepted_command(self, data: st.DataObject) -> None:
        """A well-formed command the state accepts; a guard may still refuse it."""
        d = self._dossier()
        self._try(d, data.draw(commands_for(d, at=self.now), label="command"))

    @rule(data=st.data())
    def any_command(self, data: st.DataObject) -> None:
        """Any command outside the table must raise TransitionNotAllowed."""
        d = self._dossier()
        command = data.draw(dossier_commands(), label="any command")
        if (d.state, type(command)) not in TABLE:
            try:
                handle(d, command, at=self.now, deadlines=self.deadlines)
            except TransitionNotAllowed as error:
                if error.state is not d.state:
                    raise AssertionError(f"the error names {error.state}, not {d.state}") from error
                return
            raise AssertionError(f"{type(command).__name__} was accepted in {d.state}")
        # Accepted commands are exercised by accepted_command, with values in the
        # calendar's range (an arbitrary reschedule to 2035 would leave it).

    @precondition(lambda self: self.dossier is not None and not self.dossier.is_final)
    @rule(data=st.data(), back=st.integers(1, 10_000))
    def command_in_the_past(self, data: st.DataObject, back: int) -> None:
        """A command dated before the last event is refused, whatever it is."""
        d = self._dossier()
        command = data.draw(commands_for(d), label="command")
        at = d.last_event_at - dt.timedelta(minutes=back)
        try:
            handle(d, command, at=at, deadlines=self.deadlines)
        except CommandOutOfOrder:
            return
        raise AssertionError("a command dated in the past was accepted")

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def control_sheet_is_complete_and_ordered(self) -> None:
        """Rows numbered 1..n, each closing when the next opens, closed once processing ends."""
        if self.dossier is None:
            return
        entries = self.dossier.sheet.entries
        assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
        for before, after in pairwise(entries):
            assert before.completed_at == after.handed_at
            assert before.to_unit == after.from_unit
            assert before.handed_at <= after.handed_at
        for e in entries:
            assert e.handed_at <= (e.completed_at or e.handed_at)
            assert e.due_at >= e.handed_at
        if entries and self.dossier.finished_at is not None:
            assert entries[-1].completed_at is not None
        elif entries:
            assert entries[-1].completed_at is None

    @invariant()
    def due_never_precedes_receipt(self) -> None:
        """Due time >= receipt time; both or neither."""
        if self.dossier is None:
            return
        d = self.dossier
        assert (d.due_at is None) == (d.received_at is None)
        if d.due_at is not None and d.received_at is not None:
            assert d.due_at >= d.received_at

    @invariant()
    def due_times_agree_with_minute_walk(self) -> None:
        """The dossier's and every step's due time equal the brute-force recomputation."""
        if self.dossier is None:
            return
        assert self.dossier.due_at == self.expected_due
        assert [e.due_at for e in self.dossier.sheet.entries] == self.expected_step_dues

    @invariant()
    def timeliness_agrees_with_oracle(self) -> None:
        """Timeliness of the dossier and its steps at ``now`` against the oracle."""
        if self.dossier is None:
            return
        d, now = self.dossier, max(self.now, self.dossier.last_event_at)
        # Decision 766 KPI 2.1 (docs/dossier.md, "Timeliness"): while a supplement
        # request is unanswered — the applicant still completing the dossier, or
        # withdrawing it instead — the agency's clock stands at the request, so
        # both open and finished dossiers are measured there.
        as_of = measured_at(now, self.pending_request)
        expected: Timeliness | None
        if self.expected_due is None:
            expected = None
        elif d.supplement_clock is SupplementClock.PAUSE and len(d.supplements) > 1:
            expected = Timeliness.LATE if d.finished_at else Timeliness.OVERDUE
        elif d.finished_at is not None:
            finished = measured_at(d.finished_at, self.pending_request)
            expected = oracle_finished(finished, self.expected_due)
        else:
            expected = Timeliness.IN_TIME if as_of <= self.expected_due else Timeliness.OVERDUE
        assert d.timeliness(now) == expected
        steps = [
            oracle_finished(e.completed_at, due)
            if e.completed_at is not None
            else (Timeliness.IN_TIME if as_of <= due else Timeliness.OVERDUE)
            for e, due in zip(d.sheet.entries, self.expected_step_dues, strict=True)
        ]
        assert list(d.step_timeliness(now)) == steps

    @invariant()
    def replay_rebuilds_the_dossier(self) -> None:
        """Replaying the events (which checks every edge against the table) gives the dossier."""
        if self.dossier is None:
            return
        assert rebuild(self.events) == self.dossier
        assert self.dossier.version == 0  # storage owns the version

    # --- helpers --------------------------------------------------------------------------

    def _dossier(self) -> Dossier:
        assert self.dossier is not None
        return self.dossier

    def _try(self, d: Dossier, command: Command) -> None:
        try:
            new, events = handle(d, command, at=self.now, deadlines=self.deadlines)
        except DomainRuleViolation:
            return  # a guard refused it: nothing changed
        assert new.state is TABLE[(d.state, type(command))].target
        assert len(events) == 1
        self._expect(d, new, command)
        self._accept(new, events)

    def _expect(self, before: Dossier, after: Dossier, command: Command) -> None:
        clock = self.clock
        assert clock is not None
        at = after.last_event_at
        if isinstance(command, ReceiveDossier):
            self.expected_due = clock.add(at, clock.minutes_of(before.processing_time))
        elif isinstance(command, HandOver):
            allowance = command.allowance or before.steps[_next_step(before)].allowance
            self.expected_step_dues.append(clock.add(at, clock.minutes_of(allowance)))
        elif isinstance(command, RequestSupplement):
            self.pending_request = at
        elif isinstance(command, StopProcessing) and self.pending_request is not None:
            # The stop closes the open step at the unanswered request, not at the stop.
            if before.sheet.open_entry is not None:
                closed = after.sheet.entries[-1].completed_at
                assert closed == self.pending_request, (closed, self.pending_request)
        elif isinstance(command, ReceiveSupplement):
            self.pending_request = None
            assert self.expected_due is not None
            resumed = command.handed_over_at or at
            waited = clock.between(before.supplements[-1].requested_at, resumed)
            if before.supplement_clock is SupplementClock.RESTART:
                self.expected_due = clock.add(resumed, clock.minutes_of(before.processing_time))
            else:
                self.expected_due = clock.add(self.expected_due, waited)
            if before.sheet.open_entry is not None:
                self.expected_step_dues[-1] = clock.add(self.expected_step_dues[-1], waited)
        elif isinstance(command, Reschedule):
            self.expected_due = command.new_due_at

    def _accept(self, dossier: Dossier, events: list[DomainEvent]) -> None:
        self.dossier = dossier
        self.events.extend(events)
        self.now = max(self.now, dossier.last_event_at)
        self.on_change(dossier, events)


def _next_step(d: Dossier) -> int:
    done = [e.step_index for e in d.sheet.entries if e.step_index is not None]
    return done[-1] + 1 if done else 0
