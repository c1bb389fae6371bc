"""The procedure catalogue: validation with reasons, step templates, fees.

Sources: Decision 45/2016/QĐ-TTg (postal intake and return), Decree
42/2022/NĐ-CP (online levels), Decree 61/2018/NĐ-CP Art. 19 (the internal
process and its time allowances sum to the legal processing time).
"""

from __future__ import annotations

import unicodedata

import attrs
import pytest
from hypothesis import given

from tthc_core.calendar import Duration, TimeUnit
from tthc_core.catalogue import (
    CopyType,
    Fee,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    StepTemplate,
)
from tthc_core.codes import ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.testing.strategies import procedures

BIRTH = Procedure(
    code=ProcedureCode.parse("1.001193"),
    name="Đăng ký khai sinh",
    sector="Hộ tịch",
    processing_time=Duration.working_days(1),
    documents=(
        RequiredDocument("Tờ khai đăng ký khai sinh theo mẫu"),
        RequiredDocument("Giấy chứng sinh", CopyType.ORIGINAL),
    ),
    fees=(Fee("Lệ phí đăng ký khai sinh", 0),),
    online_level=OnlineLevel.FULL,
    steps=(
        StepTemplate("Bộ phận Một cửa", Duration.working_days(0)),
        StepTemplate("Công chức Tư pháp - Hộ tịch", Duration.working_days(1)),
    ),
)


def test_a_catalogue_entry_builds() -> None:
    assert BIRTH.total_fee_vnd == 0
    assert BIRTH.postal_intake
    assert BIRTH.postal_return


def test_processing_time_must_be_working_time() -> None:
    """TTHC processing times are written in working days or hours, not calendar days."""
    with pytest.raises(InvalidInput, match=r"1\.001193: processing time must be in working days"):
        attrs.evolve(BIRTH, processing_time=Duration.calendar_days(5), steps=())


def test_step_allowances_must_sum_to_the_processing_time() -> None:
    """Decree 61/2018 Art. 19: the steps share the legal processing time."""
    with pytest.raises(InvalidInput, match="step allowances sum to 1, but the legal"):
        attrs.evolve(BIRTH, processing_time=Duration.working_days(2))


def test_step_allowances_must_use_the_processing_time_unit() -> None:
    steps = (StepTemplate("Bộ phận Một cửa", Duration.working_hours(8)),)
    with pytest.raises(InvalidInput, match="every step allowance must be in working_days"):
        attrs.evolve(BIRTH, steps=steps)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: attrs.evolve(BIRTH, name="  "), "name must not be blank"),
        (lambda: Fee("Lệ phí", -1_000), "fee 'Lệ phí' cannot be negative"),
        (lambda: Fee("", 1_000), "name must not be blank"),
        (lambda: RequiredDocument("Giấy chứng sinh", count=0), "count must be at least 1"),
        (lambda: RequiredDocument(" "), "name must not be blank"),
        (lambda: StepTemplate("", Duration.working_days(1)), "unit must not be blank"),
        (lambda: Duration(-1), "amount must not be negative"),
        (lambda: Duration(1.5), "amount must be a whole number"),  # type: ignore[arg-type]
    ],
)
def test_validation_errors_say_what_is_wrong(build: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        build()  # type: ignore[operator]


def test_copy_types_have_the_labels_printed_on_forms() -> None:
    assert CopyType.CERTIFIED_COPY.label_vi == "Bản sao có chứng thực"
    assert all(unicodedata.is_normalized("NFC", c.label_vi) for c in CopyType)


def test_durations_compare_and_add_only_within_a_unit() -> None:
    assert Duration.working_days(2) + Duration.working_days(3) == Duration.working_days(5)
    assert Duration.working_days(2) < Duration.working_days(3)
    assert max(Duration.working_hours(8), Duration.working_hours(4)) == Duration.working_hours(8)
    with pytest.raises(TypeError):
        _ = Duration.working_days(1) < Duration.working_hours(8)
    with pytest.raises(TypeError):
        _ = Duration.working_days(1) + Duration.calendar_days(1)
    assert Duration.working_days(5).label_vi == "05 ngày làm việc"
    assert Duration.calendar_days(30).label_vi == "30 ngày"


@given(procedures())
def test_generated_procedures_are_consistent(procedure: Procedure) -> None:
    assert procedure.processing_time.unit is not TimeUnit.CALENDAR_DAYS
    if procedure.steps:
        assert sum(s.allowance.amount for s in procedure.steps) == procedure.processing_time.amount
    assert procedure.total_fee_vnd == sum(f.amount_vnd for f in procedure.fees)
    assert attrs.evolve(procedure) == procedure
