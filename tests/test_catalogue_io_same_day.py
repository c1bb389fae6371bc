"""Same-day procedures (trong ngày) in a catalogue file, and the shipped sample."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_adapters.catalogue_io import parse_catalogue, sample_catalogue
from tthc_core.calendar import Duration, TimeUnit
from tthc_core.errors import InvalidInput


def _one(processing: str, steps: str = "") -> Duration:
    row = {
        "code": "2.000815",
        "name": "Chứng thực bản sao từ bản chính",
        "sector": "Chứng thực",
        "processing": processing,
        "steps": steps,
        "source": "Nghị định 23/2015/NĐ-CP Điều 7",
    }
    (procedure,) = parse_catalogue([row], origin="test")
    return procedure.processing_time


def test_sameday_is_the_same_day_rule_with_the_default_cutoff() -> None:
    assert _one("sameday") == Duration.same_day()
    assert _one("sameday", "Tư pháp=sameday|Một cửa=sameday") == Duration.same_day()


@pytest.mark.parametrize(
    ("text", "cutoff"),
    [
        ("sameday@16:00", dt.time(16, 0)),
        ("sameday@00:00", dt.time(0, 0)),
        ("sameday@23:59", dt.time(23, 59)),
    ],
)
def test_a_procedure_may_set_its_own_cutoff(text: str, cutoff: dt.time) -> None:
    assert _one(text) == Duration.same_day(cutoff)


@pytest.mark.parametrize(
    "text", ["sameday@24:00", "sameday@15:60", "sameday@", "sameday16:00", "samedays", "８h", "h"]
)
def test_a_malformed_time_is_refused_with_the_forms_it_takes(text: str) -> None:
    with pytest.raises(InvalidInput, match="sameday"):
        _one(text)


def test_steps_of_a_same_day_procedure_must_be_same_day_too() -> None:
    with pytest.raises(InvalidInput, match="same_day"):
        _one("sameday", "Tư pháp=6h|Một cửa=2h")


def test_the_samples_same_day_procedures_follow_the_law() -> None:
    """Civil status (Law 2014 Art. 16, 17, 34) and certification (Decree 23/2015 Art. 7) rows."""
    same_day = {
        str(p.code) for p in sample_catalogue() if p.processing_time.unit is TimeUnit.SAME_DAY
    }
    assert {"1.001193", "2.000908", "2.000815", "1.000894", "1.000656"} <= same_day
