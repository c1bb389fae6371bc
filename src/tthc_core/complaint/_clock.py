"""The case clock: the statutory period running for a case's current step.

A :class:`Clock` is built from a row of the law table (:mod:`._law`) and counts
as the row's unit says (Civil Code 2015 Art. 147-148, :meth:`Deadlines.due_by_days`).
Suspension (tạm đình chỉ, Law on Complaints Art. 11a added by Law
136/2025/QH15; Decree 124/2020 Art. 28b(2) added by Decree 155/2026/NĐ-CP
Art. 12; Law on Denunciations Art. 34) pauses it: the time already counted is
kept, the suspended time is not counted, and the period continues from the day
of the decision to continue.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.calendar import Deadlines, Duration, TimeUnit, to_local
from tthc_core.complaint._kinds import Step, Variant
from tthc_core.complaint._law import LawRule, citation_vi

__all__ = ["Clock"]


def _last_day(due_at: dt.datetime) -> dt.date:
    """The last day inside a period whose exclusive end is ``due_at`` (Vietnam time)."""
    return (to_local(due_at) - dt.timedelta(microseconds=1)).date()


@attrs.frozen(kw_only=True)
class Clock:
    """The statutory period running for a case's current step.

    Args:
        step: The step it times.
        variant: Ordinary or extended.
        limit: The whole period (from the law table, remote-adjusted).
        citation: The article that sets it.
        rule_on: The day that chose the law version (kept across extensions).
        started_on: The event day the current run counts from (None while paused).
        consumed: Units already counted in earlier runs (before a suspension).
        due_at: The exclusive end instant (None while paused).
        lapsed_at: The due instant the period had already passed when it was
            suspended. A suspension does not cure a missed deadline: after
            resumption the case stays due at this instant (overdue).
        missed_at: The end of a period this step already missed. Missed is
            missed: an extension decided after the end sets a new ``due_at``,
            but the case stays overdue from ``missed_at``, its step is judged
            late, and reports count it (Law on Denunciations 25/2018/QH14
            Art. 30(2)-(4) allows extending the period, not reviving a missed one).
    """

    step: Step
    variant: Variant
    limit: Duration
    citation: str
    rule_on: dt.date
    started_on: dt.date | None
    consumed: int = 0
    due_at: dt.datetime | None = None
    lapsed_at: dt.datetime | None = None
    missed_at: dt.datetime | None = None

    @property
    def overdue_from(self) -> dt.datetime | None:
        """The first instant the step counts as overdue (None while paused).

        The end of the running period, or the end it already missed if that was
        earlier. One definition serves the in-memory queue and the stored one.
        """
        if self.due_at is None:
            return None
        if self.missed_at is not None and self.missed_at < self.due_at:
            return self.missed_at
        return self.due_at

    @property
    def citation_vi(self) -> str:
        """The citation in its Vietnamese form, for printed notices and citizens.

        Looked up in :data:`LAW_TABLE` by :attr:`citation` (a stored clock keeps
        the English form only); a citation the table no longer has reads
        :data:`UNKNOWN_CITATION_VI` rather than English.
        """
        return citation_vi(self.citation)

    @property
    def running(self) -> bool:
        """Whether the clock counts (False while the case is suspended)."""
        return self.started_on is not None

    @classmethod
    def start(cls, rule: LawRule, *, remote: bool, on: dt.date, deadlines: Deadlines) -> Clock:
        """Start the period of ``rule`` counting from the day after ``on``.

        Args:
            rule: The law-table row.
            remote: Whether the agency is in a remote area.
            on: The triggering event's day.
            deadlines: The agency's calendar.
        """
        limit = rule.limit_for(remote)
        return cls(
            step=rule.step,
            variant=rule.variant,
            limit=limit,
            citation=rule.citation,
            rule_on=on,
            started_on=on,
            due_at=deadlines.due_by_days(on, limit),
        )

    def pause(self, on: dt.date, deadlines: Deadlines) -> Clock:
        """Stop counting after ``on`` (the suspension day itself is counted)."""
        if self.started_on is None:
            return self
        if on <= self.started_on:  # working_days_count would swap an empty interval
            used = 0
        elif self.limit.unit is TimeUnit.WORKING_DAYS:
            used = deadlines.index.working_days_count(self.started_on + dt.timedelta(days=1), on)
        else:
            used = max((on - self.started_on).days, 0)
        consumed = min(self.consumed + used, self.limit.amount)
        lapsed = self.lapsed_at
        if lapsed is None and self.due_at is not None and on > _last_day(self.due_at):
            lapsed = self.due_at  # suspended after the period had run out
        return attrs.evolve(
            self,
            started_on=None,
            consumed=consumed,
            due_at=None,
            lapsed_at=lapsed,
            missed_at=self.missed_at or lapsed,
        )

    def resume(self, on: dt.date, deadlines: Deadlines) -> Clock:
        """Count the remaining period again from the day after ``on``."""
        if self.lapsed_at is not None:
            return attrs.evolve(self, started_on=on, due_at=self.lapsed_at)
        remaining = Duration(self.limit.amount - self.consumed, self.limit.unit)
        return attrs.evolve(self, started_on=on, due_at=deadlines.due_by_days(on, remaining))

    def extend(
        self, rule: LawRule, *, remote: bool, deadlines: Deadlines, at: dt.datetime
    ) -> Clock:
        """Switch to ``rule``'s longer limit, keeping what was already counted.

        The extended period is counted as the law counts it: the whole limit
        from the day the period started (for a denunciation, the day of
        acceptance — Law on Denunciations 25/2018/QH14 Art. 30(1): "không quá
        30 ngày kể từ ngày thụ lý"; Art. 30(2)-(3): the extension lengthens that
        same period by at most 30 days), not a new period from the end of the
        original one. Policy ``EXTENSION_FROM_ACCEPTANCE``; see docs/complaint.md.

        An extension decided at or after the end of the period (or after a
        lapse found at suspension) does not cure the miss: ``missed_at`` keeps
        the end that passed.

        Args:
            rule: The longer row of the law table.
            remote: Whether the agency is in a remote area.
            deadlines: The agency's calendar.
            at: When the extension was decided.
        """
        missed = self.missed_at or self.lapsed_at
        if missed is None and self.due_at is not None and to_local(at) >= self.due_at:
            missed = self.due_at
        extended = attrs.evolve(
            self,
            variant=rule.variant,
            limit=rule.limit_for(remote),
            citation=rule.citation,
            lapsed_at=None,  # an extension decision sets a new period ...
            missed_at=missed,  # ... but a missed one stays missed
        )
        if extended.started_on is None:
            return extended
        remaining = Duration(extended.limit.amount - extended.consumed, extended.limit.unit)
        return attrs.evolve(extended, due_at=deadlines.due_by_days(extended.started_on, remaining))
