"""The dossier rule table (kind × step × regime → limit, counting, citation) matches the code."""

from __future__ import annotations

import pytest

from tthc_core.calendar import SAME_DAY_CUTOFF, Counting, TimeUnit
from tthc_core.dossier import (
    DOSSIER_RULES,
    SUPPLEMENT_REQUEST_WORKING_DAYS,
    TRANSFER_CUTOFF,
    DossierRule,
)
from tthc_core.regime import REGIMES, Regime


def _row(step: str, regime: str) -> DossierRule:
    (row,) = [r for r in DOSSIER_RULES if r.step.startswith(step) and r.regime == regime]
    return row


def test_every_row_names_its_kind_regime_and_citation() -> None:
    assert DOSSIER_RULES
    for row in DOSSIER_RULES:
        assert row.kind == "dossier"
        assert row.regime in {"2018", "2025", "both"}
        assert row.citation.strip()
        assert (row.limit is None) or (row.limit.unit is row.unit)
        assert (row.times is None) or row.counting is None or row.limit is not None


def test_same_day_and_transfer_rows_carry_the_code_cutoffs() -> None:
    same_day = _row("same-day procedures", "both")
    assert same_day.limit is not None
    assert same_day.limit.effective_cutoff == SAME_DAY_CUTOFF
    assert same_day.counting is Counting.SAME_DAY
    transfer = _row("transfer of a paper dossier", "both")
    assert transfer.limit is not None
    assert transfer.limit.effective_cutoff == TRANSFER_CUTOFF


def test_supplement_request_row_is_the_decided_limit() -> None:
    row = _row("supplement request after appraisal", "both")
    assert row.limit is not None
    assert row.limit.amount == SUPPLEMENT_REQUEST_WORKING_DAYS
    assert row.unit is TimeUnit.WORKING_DAYS


@pytest.mark.parametrize("regime", REGIMES, ids=lambda r: r.name)
def test_per_regime_rows_follow_the_regime(regime: Regime) -> None:
    name = regime.name
    assert _row("supplement requests", name).times == regime.max_supplement_requests
    apology = _row("apology", name)
    assert apology.times == regime.max_reschedules
    assert apology.limit is not None
    assert apology.limit.amount == regime.apology_min_lead_working_days
