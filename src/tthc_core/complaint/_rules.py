"""Helpers every command shares: staleness, table checks, text, clocks."""

from __future__ import annotations

import datetime as dt

from tthc_core.calendar import Deadlines, to_local
from tthc_core.complaint import _events as ev
from tthc_core.complaint._case import Case, apply_event
from tthc_core.complaint._clock import Clock
from tthc_core.complaint._kinds import (
    CaseKind,
    CaseState,
    ComplaintLevel,
    ReceivingAgency,
    Step,
    Variant,
)
from tthc_core.complaint._law import rule_for
from tthc_core.complaint._table import TABLES
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.text import nfc

__all__ = ["Result", "emit", "is_stale", "on_time", "require", "start_clock", "text"]

Result = tuple[Case, list[ev.CaseEvent]]


def is_stale(case: Case, at: dt.datetime) -> bool:
    """Whether a command at ``at`` is older than the case's last applied event."""
    return to_local(at) < case.updated_at


def require(case: Case, target: CaseState, *, sources: frozenset[CaseState] | None = None) -> None:
    """Raise unless the kind's table allows ``case.state -> target``.

    Args:
        case: The case.
        target: The state the command leads to.
        sources: The states the command itself starts from, when the table's edge
            into ``target`` also serves another command (resuming into ACCEPTED,
            reopening into ASSIGNED).

    Raises:
        DomainRuleViolation: Naming the kind's table.
    """
    allowed = TABLES[case.kind].allows(case.state, target)
    if not allowed or (sources is not None and case.state not in sources):
        raise DomainRuleViolation(
            f"a {case.kind.value} case that is {case.state.value} cannot become {target.value}",
            rule=f"transition table of {case.kind.value}",
        )


def text(value: str, what: str) -> str:
    """``value`` in NFC, or an error if it is blank.

    Raises:
        InvalidInput: If ``value`` is blank.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what} must be given (a non-blank text)")
    return nfc(value.strip())


def on_time(clock: Clock | None, at: dt.datetime, step: Step | None = None) -> bool | None:
    """Whether ``at`` is before the clock's end (None without a running period).

    A step whose period was already missed is late, whatever a later extension
    set (:attr:`Clock.missed_at`).

    Args:
        clock: The case's clock.
        at: When the step was done.
        step: Only judge a clock timing this step, when given.
    """
    due = None if clock is None else clock.overdue_from
    if clock is None or due is None or (step is not None and clock.step is not step):
        return None
    return to_local(at) < due


def start_clock(
    kind: CaseKind,
    level: ComplaintLevel | None,
    step: Step,
    *,
    at: dt.datetime,
    agency: ReceivingAgency,
    deadlines: Deadlines,
    variant: Variant = Variant.ORDINARY,
) -> Clock | None:
    """The period of ``step`` triggered at ``at``, or None if no text sets one."""
    day = to_local(at).date()
    rule = rule_for(kind, step, day, level=level, variant=variant)
    if rule is None:
        return None
    return Clock.start(rule, remote=agency.remote_area, on=day, deadlines=deadlines)


def emit(case: Case, event: ev.CaseEvent) -> Result:
    """Fold ``event`` into ``case`` and return both."""
    return apply_event(case, event), [event]
