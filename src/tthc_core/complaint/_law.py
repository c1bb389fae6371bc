"""The law table (data): every statutory time limit of a case step, with its citation.

Each :class:`LawRule` is one row: kind x step (x complaint level x variant) x
effective-date range -> a :class:`~tthc_core.calendar.Duration`, its remote-area
variant, and the citation. Units are exactly as each text writes them: "ngày"
is a calendar day, "ngày làm việc" a working day; every period is counted by
Civil Code 2015 Art. 147-148 (:meth:`Deadlines.due_by_days`): from the day after
the event, to 24:00 of the last day, moved past days off for calendar days.

Each row carries its citation twice: in English for code, errors and docs, and
as a Vietnamese document writes it (``citation_vi``) for what citizens read.
The running period of a step, built from a row, is :class:`~._clock.Clock`.
"""

from __future__ import annotations

import datetime as dt
import itertools

import attrs

from tthc_core.calendar import Duration
from tthc_core.complaint._kinds import CaseKind, ComplaintLevel, Step, Variant
from tthc_core.errors import InvalidInput

__all__ = ["LAW_TABLE", "UNKNOWN_CITATION_VI", "LawRule", "citation_vi", "rule_for"]


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


def citation_vi(citation: str) -> str:
    """The Vietnamese form of a citation of :data:`LAW_TABLE` given in English.

    A citation the table no longer has (kept by an older stored clock) reads
    :data:`UNKNOWN_CITATION_VI` rather than English.
    """
    return _CITATION_VI.get(citation, UNKNOWN_CITATION_VI)
