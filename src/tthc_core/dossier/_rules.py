"""The dossier workflow's time and count rules as data, for generated documentation.

Each :class:`DossierRule` is one row of "kind × step × regime → limit, unit,
counting, citation": what the library applies, read from the constants and
regimes the code itself uses, so the table cannot drift from the behaviour.
"""

from __future__ import annotations

import attrs

from tthc_core.calendar import SAME_DAY_CUTOFF, Counting, Duration, TimeUnit
from tthc_core.dossier._timing import SUPPLEMENT_REQUEST_WORKING_DAYS
from tthc_core.dossier._transfer import NEXT_DAY_GRACE_MINUTES, TRANSFER_CUTOFF
from tthc_core.regime import REGIMES, Regime

__all__ = ["DOSSIER_RULES", "DossierRule", "dossier_rules"]


@attrs.frozen
class DossierRule:
    """One rule of the dossier workflow.

    Args:
        kind: Always ``"dossier"`` (complaint rules live in ``complaint.LAW_TABLE``).
        step: What the rule times or counts, in English with the Vietnamese term.
        regime: ``"2018"``, ``"2025"`` or ``"both"``.
        limit: The time limit, or ``None`` when the catalogue gives it per procedure
            or the rule is a count.
        unit: The limit's unit (also for per-procedure limits), or ``None`` for counts.
        counting: How the limit becomes a due instant, or ``None`` for counts.
        times: For a count rule, how many times at most (``None``: no limit).
        citation: The legal text.
        policy: How tthc applies it, where the text leaves a choice.
    """

    kind: str
    step: str
    regime: str
    limit: Duration | None
    unit: TimeUnit | None
    counting: Counting | None
    citation: str
    policy: str = ""
    times: int | None = None


def _per_regime(regime: Regime) -> tuple[DossierRule, ...]:
    supplements = regime.max_supplement_requests
    return (
        DossierRule(
            kind="dossier",
            step="supplement requests (yêu cầu bổ sung), at intake and after appraisal together",
            regime=regime.name,
            limit=None,
            unit=None,
            counting=None,
            times=supplements,
            citation="Decree 61/2018/NĐ-CP Art. 11(2)(c); Art. 15(3), 17(2)(a)"
            if supplements is not None
            else "Decision 766/QĐ-TTg KPI 2.1",
            policy="a further request raises SupplementRefused"
            if supplements is not None
            else "a further request is recorded and counts the dossier late",
        ),
        DossierRule(
            kind="dossier",
            step="processing clock after a supplement (tính lại / tạm dừng)",
            regime=regime.name,
            limit=None,
            unit=None,
            counting=Counting.OFFICE_MINUTES,
            citation="Decree 61/2018/NĐ-CP Art. 19(4); Decision 766/QĐ-TTg KPI 2.1; "
            "Decision 45/2016/QĐ-TTg Art. 7(4)",
            policy=f"{regime.supplement_clock.value}: the clock resumes at the complete dossier "
            "(for post, at the signed handover)",
        ),
        DossierRule(
            kind="dossier",
            step="apology and new appointment (Mẫu 04, phiếu xin lỗi)",
            regime=regime.name,
            limit=Duration.working_days(regime.apology_min_lead_working_days),
            unit=TimeUnit.WORKING_DAYS,
            counting=Counting.CIVIL_CODE,
            times=regime.max_reschedules,
            citation="Decree 61/2018/NĐ-CP Art. 19(9)",
            policy="no later than the working day before the due day, at any hour; "
            "later is recorded and flagged late_notice",
        ),
    )


def dossier_rules() -> tuple[DossierRule, ...]:
    """Every rule row, built from the constants and regimes the workflow uses."""
    cutoff = f"{SAME_DAY_CUTOFF:%H:%M}"
    common = (
        DossierRule(
            kind="dossier",
            step="processing time in working days (ngày làm việc)",
            regime="both",
            limit=None,
            unit=TimeUnit.WORKING_DAYS,
            counting=Counting.OFFICE_MINUTES,
            citation="Decree 61/2018/NĐ-CP Art. 19; Circular 01/2018/TT-VPCP Mẫu 01",
            policy="per procedure (catalogue); a receipt at or before opening counts that day "
            "whole, at or after closing none of it",
        ),
        DossierRule(
            kind="dossier",
            step="processing time in working hours (giờ làm việc)",
            regime="both",
            limit=None,
            unit=TimeUnit.WORKING_HOURS,
            counting=Counting.OFFICE_MINUTES,
            citation="Decree 61/2018/NĐ-CP Art. 19",
            policy="per procedure; carries over the night into the next working day's hours",
        ),
        DossierRule(
            kind="dossier",
            step="same-day procedures (trong ngày): chứng thực, hộ tịch",
            regime="both",
            limit=Duration.same_day(),
            unit=TimeUnit.SAME_DAY,
            counting=Counting.SAME_DAY,
            citation="Decree 23/2015/NĐ-CP Art. 7; Law on Civil Status 2014",
            policy=f"close of the receipt day; received after {cutoff} (to the minute), close "
            "of the next working day; the catalogue may set another cut-off",
        ),
        DossierRule(
            kind="dossier",
            step="transfer of a paper dossier from the desk (chuyển hồ sơ)",
            regime="both",
            limit=Duration.same_day(TRANSFER_CUTOFF),
            unit=TimeUnit.SAME_DAY,
            counting=Counting.SAME_DAY,
            citation="Decree 61/2018/NĐ-CP Art. 18",
            policy=f"received after {TRANSFER_CUTOFF:%H:%M}: within the first "
            f"{NEXT_DAY_GRACE_MINUTES} office minutes of the next working day; late is flagged",
        ),
        DossierRule(
            kind="dossier",
            step="supplement request after appraisal (Mẫu 02)",
            regime="both",
            limit=Duration.working_days(SUPPLEMENT_REQUEST_WORKING_DAYS),
            unit=TimeUnit.WORKING_DAYS,
            counting=Counting.OFFICE_MINUTES,
            citation="Decree 61/2018/NĐ-CP Art. 19(4)",
            policy="from the handling agency's receipt (the first handover); later is flagged",
        ),
        DossierRule(
            kind="dossier",
            step="dossier code date (mã số hồ sơ YYMMDD)",
            regime="both",
            limit=None,
            unit=None,
            counting=None,
            citation="Circular 01/2018/TT-VPCP Art. 19; Decree 61/2018/NĐ-CP Art. 17(3)",
            policy="the day the desk receives the dossier; online dossiers received later are "
            "renumbered; refused or returned at intake take no number",
        ),
        DossierRule(
            kind="dossier",
            step="working calendar of a year (announced / dự kiến)",
            regime="both",
            limit=None,
            unit=None,
            counting=None,
            citation="Labour Code 2019 Art. 111(3), 112(1), 112(3)",
            policy="due times over a year not announced are shown 'dự kiến'",
        ),
    )
    return common + tuple(row for regime in REGIMES for row in _per_regime(regime))


#: The rule table (kind × step × regime → limit, unit, counting, citation).
DOSSIER_RULES: tuple[DossierRule, ...] = dossier_rules()
