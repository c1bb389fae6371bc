"""The law table (data) and the case clock built from it.

Each :class:`LawRule` is one row: kind x step (x complaint level x variant) x
effective-date range -> a :class:`~tthc_core.calendar.Duration`, its remote-area
variant, and the citation. Units are exactly as each text writes them: "ngày"
is a calendar day, "ngày làm việc" a working day; every period is counted by
Civil Code 2015 Art. 147-148 (:meth:`Deadlines.due_by_days`): from the day after
the event, to 24:00 of the last day, moved past days off for calendar days.

A :class:`Clock` is a running (or paused) period of one step. Suspension
(tạm đình chỉ, Law on Complaints Art. 11a added by Law 136/2025/QH15; Decree
124/2020 Art. 28b(2) added by Decree 155/2026/NĐ-CP Art. 12; Law on
Denunciations Art. 34) pauses it: the time already counted is kept, the
suspended time is not counted, and the period continues from the day of the
decision to continue.
"""

from __future__ import annotations

import datetime as dt
import itertools

import attrs

from tthc_core.calendar import Deadlines, Duration, TimeUnit, to_local
from tthc_core.complaint._kinds import CaseKind, ComplaintLevel, Step, Variant
from tthc_core.errors import InvalidInput

__all__ = ["LAW_TABLE", "UNKNOWN_CITATION_VI", "Clock", "LawRule", "rule_for"]


@attrs.frozen(kw_only=True)
class LawRule:
    """One statutory time limit.

    Args:
        kind: The case kind.
        step: The step the limit governs.
        limit: The limit in the text's own unit.
        citation: The article that sets it (English, for code, docs and errors).
        citation_vi: The same citation as a Vietnamese document writes it
            ("khoản 1 Điều 24 Luật Tố cáo số 25/2018/QH14"), for what citizens read.
        effective_from: First day (of the triggering event) the row applies to.
        effective_until: First day it no longer applies to (exclusive), if any.
        remote_limit: The limit for agencies in remote areas, when the text has one.
        level: The complaint level (complaints only).
        variant: Ordinary, or the longer limit of a complex/multi-site case.
    """

    kind: CaseKind
    step: Step
    limit: Duration
    citation: str
    citation_vi: str
    effective_from: dt.date
    effective_until: dt.date | None = None
    remote_limit: Duration | None = None
    level: ComplaintLevel | None = None
    variant: Variant = Variant.ORDINARY

    def limit_for(self, remote: bool) -> Duration:
        """The limit for an agency in (``remote=True``) or outside a remote area."""
        return self.remote_limit if remote and self.remote_limit is not None else self.limit

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the row governs a step triggered on ``day``."""
        return self.effective_from <= day and (
            self.effective_until is None or day < self.effective_until
        )


_KN = "Law on Complaints 02/2011/QH13"
_TC = "Law on Denunciations 25/2018/QH14"
_D155 = "Decree 124/2020/NĐ-CP Art. 16(1), amended by Decree 155/2026/NĐ-CP Art. 10"
_KPI = "Decision 766/QĐ-TTg (2022), PAKN indicators"
_KN_VI = "Luật Khiếu nại số 02/2011/QH13"
_TC_VI = "Luật Tố cáo số 25/2018/QH14"
_D155_VI = (
    "khoản 1 Điều 16 Nghị định số 124/2020/NĐ-CP "
    "(được sửa đổi bởi Điều 10 Nghị định số 155/2026/NĐ-CP)"
)
_KPI_VI = "Quyết định số 766/QĐ-TTg năm 2022, chỉ số về phản ánh, kiến nghị"
_COMPLAINTS_IN_FORCE = dt.date(2012, 7, 1)
_DECREE_155_IN_FORCE = dt.date(2026, 7, 1)
_DENUNCIATIONS_IN_FORCE = dt.date(2019, 1, 1)
_DECREE_20_IN_FORCE = dt.date(2008, 3, 3)
_KPI_IN_FORCE = dt.date(2022, 6, 23)

_cal = Duration.calendar_days
_wd = Duration.working_days
K, St, L, V = CaseKind, Step, ComplaintLevel, Variant


def _complaint(
    level: ComplaintLevel,
    step: Step,
    limit: Duration,
    citation: str,
    citation_vi: str,
    *,
    effective_from: dt.date = _COMPLAINTS_IN_FORCE,
    effective_until: dt.date | None = None,
    remote_limit: Duration | None = None,
    variant: Variant = Variant.ORDINARY,
) -> LawRule:
    return LawRule(
        kind=K.COMPLAINT,
        level=level,
        step=step,
        limit=limit,
        citation=citation,
        citation_vi=citation_vi,
        effective_from=effective_from,
        effective_until=effective_until,
        remote_limit=remote_limit,
        variant=variant,
    )


def _kpi_rows(kind: CaseKind) -> tuple[LawRule, ...]:
    return (
        LawRule(kind=kind, step=St.ACCEPT, limit=_wd(2), effective_from=_KPI_IN_FORCE,
                citation=f"{_KPI}: refusal within 2 working days",
                citation_vi=f"{_KPI_VI}: từ chối trong 2 ngày làm việc"),
        LawRule(kind=kind, step=St.RESOLVE, limit=_wd(15), effective_from=_KPI_IN_FORCE,
                citation=f"{_KPI}: handled within 15 working days",
                citation_vi=f"{_KPI_VI}: xử lý trong 15 ngày làm việc"),
        LawRule(kind=kind, step=St.PUBLISH, limit=_wd(2), effective_from=_KPI_IN_FORCE,
                citation=f"{_KPI}: published within 2 working days",
                citation_vi=f"{_KPI_VI}: công khai trong 2 ngày làm việc"),
    )  # fmt: skip


#: Every statutory time limit tthc applies, with its citation.
LAW_TABLE: tuple[LawRule, ...] = (
    # Complaints, first level.
    _complaint(L.FIRST, St.ACCEPT, _cal(10), f"{_KN} Art. 27", f"Điều 27 {_KN_VI}",
               effective_until=_DECREE_155_IN_FORCE),
    _complaint(L.FIRST, St.ACCEPT, _wd(7), _D155, _D155_VI,
               effective_from=_DECREE_155_IN_FORCE),
    _complaint(L.FIRST, St.RESOLVE, _cal(30), f"{_KN} Art. 28", f"Điều 28 {_KN_VI}",
               remote_limit=_cal(45)),
    _complaint(L.FIRST, St.RESOLVE, _cal(45), f"{_KN} Art. 28 (complex case)",
               f"Điều 28 {_KN_VI} (vụ việc phức tạp)", remote_limit=_cal(60), variant=V.COMPLEX),
    _complaint(L.FIRST, St.PUBLISH, _wd(3), f"{_KN} Art. 32", f"Điều 32 {_KN_VI}"),
    _complaint(L.FIRST, St.ESCALATE, _cal(30), f"{_KN} Art. 33(1)",
               f"khoản 1 Điều 33 {_KN_VI}", remote_limit=_cal(45)),
    # Complaints, second level.
    _complaint(L.SECOND, St.ACCEPT, _cal(10), f"{_KN} Art. 36(1)", f"khoản 1 Điều 36 {_KN_VI}",
               effective_until=_DECREE_155_IN_FORCE),
    _complaint(L.SECOND, St.ACCEPT, _wd(7), _D155, _D155_VI,
               effective_from=_DECREE_155_IN_FORCE),
    _complaint(L.SECOND, St.RESOLVE, _cal(45), f"{_KN} Art. 37", f"Điều 37 {_KN_VI}",
               remote_limit=_cal(60)),
    _complaint(L.SECOND, St.RESOLVE, _cal(60), f"{_KN} Art. 37 (complex case)",
               f"Điều 37 {_KN_VI} (vụ việc phức tạp)", remote_limit=_cal(70), variant=V.COMPLEX),
    _complaint(L.SECOND, St.PUBLISH, _cal(7), f"{_KN} Art. 41(1)", f"khoản 1 Điều 41 {_KN_VI}"),
    # Denunciations.
    LawRule(kind=K.DENUNCIATION, step=St.ACCEPT, limit=_wd(7), citation=f"{_TC} Art. 24(1)",
            citation_vi=f"khoản 1 Điều 24 {_TC_VI}", effective_from=_DENUNCIATIONS_IN_FORCE),
    LawRule(kind=K.DENUNCIATION, step=St.ACCEPT, limit=_wd(10), variant=V.MULTI_SITE,
            citation=f"{_TC} Art. 24(1) (verification at several places)",
            citation_vi=f"khoản 1 Điều 24 {_TC_VI} (xác minh ở nhiều địa điểm)",
            effective_from=_DENUNCIATIONS_IN_FORCE),
    LawRule(kind=K.DENUNCIATION, step=St.FORWARD, limit=_wd(5), citation=f"{_TC} Art. 24(2)",
            citation_vi=f"khoản 2 Điều 24 {_TC_VI}", effective_from=_DENUNCIATIONS_IN_FORCE),
    LawRule(kind=K.DENUNCIATION, step=St.RESOLVE, limit=_cal(30), citation=f"{_TC} Art. 30(1)",
            citation_vi=f"khoản 1 Điều 30 {_TC_VI}", effective_from=_DENUNCIATIONS_IN_FORCE),
    LawRule(kind=K.DENUNCIATION, step=St.RESOLVE, limit=_cal(60), variant=V.COMPLEX,
            citation=f"{_TC} Art. 30(2) (one extension of up to 30 days)",
            citation_vi=f"khoản 2 Điều 30 {_TC_VI} (gia hạn một lần, không quá 30 ngày)",
            effective_from=_DENUNCIATIONS_IN_FORCE),
    LawRule(kind=K.DENUNCIATION, step=St.RESOLVE, limit=_cal(90), variant=V.ESPECIALLY_COMPLEX,
            citation=f"{_TC} Art. 30(3) (two extensions of up to 30 days each)",
            citation_vi=f"khoản 3 Điều 30 {_TC_VI} (gia hạn hai lần, mỗi lần không quá 30 ngày)",
            effective_from=_DENUNCIATIONS_IN_FORCE),
    # Petitions on administrative regulations and service feedback.
    LawRule(kind=K.PETITION, step=St.FORWARD, limit=_wd(5),
            citation="Decree 20/2008/NĐ-CP Art. 9(1)(d)",
            citation_vi="điểm d khoản 1 Điều 9 Nghị định số 20/2008/NĐ-CP",
            effective_from=_DECREE_20_IN_FORCE),
    *_kpi_rows(K.PETITION),
    *_kpi_rows(K.SERVICE_FEEDBACK),
)  # fmt: skip


def rule_for(
    kind: CaseKind,
    step: Step,
    on: dt.date,
    *,
    level: ComplaintLevel | None = None,
    variant: Variant = Variant.ORDINARY,
) -> LawRule | None:
    """The row in force for a step triggered on ``on``, or None if no text sets one.

    Args:
        kind: The case kind.
        step: The step.
        on: The day of the triggering event (receipt, acceptance, decision).
        level: The complaint level (ignored for other kinds).
        variant: Ordinary or an extended variant.
    """
    wanted_level = level if kind is CaseKind.COMPLAINT else None
    for row in LAW_TABLE:
        if (
            row.kind is kind
            and row.step is step
            and row.level is wanted_level
            and row.variant is variant
            and row.in_force_on(on)
        ):
            return row
    return None


def _check_law_table(table: tuple[LawRule, ...]) -> None:
    """Every row cites its text, levels are for complaints only, versions of a row do not overlap.

    Raises:
        InvalidInput: Naming the row at fault.
    """
    keys: dict[tuple[object, ...], list[LawRule]] = {}
    for row in table:
        if not row.citation.strip() or not row.citation_vi.strip():
            raise InvalidInput(f"law row {row} has no citation (English and Vietnamese)")
        if (row.kind is CaseKind.COMPLAINT) != (row.level is not None):
            raise InvalidInput(f"law row {row.citation}: level is for complaints only")
        keys.setdefault((row.kind, row.step, row.level, row.variant), []).append(row)
    for rows in keys.values():
        ordered = sorted(rows, key=lambda r: r.effective_from)
        for before, after in itertools.pairwise(ordered):
            if before.effective_until is None or before.effective_until > after.effective_from:
                raise InvalidInput(f"law rows overlap: {before.citation} / {after.citation}")


_check_law_table(LAW_TABLE)

#: The Vietnamese form of every citation of the table, by its English form.
_CITATION_VI = {row.citation: row.citation_vi for row in LAW_TABLE}
#: Printed for a stored citation the table no longer has (an older table version).
UNKNOWN_CITATION_VI = "theo quy định của pháp luật hiện hành"


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
        return _CITATION_VI.get(self.citation, UNKNOWN_CITATION_VI)

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
