"""Timeliness (Circular 01/2018 Art. 13 ind. 1-2; Decision 766 KPI 2.1) and the public status."""

from __future__ import annotations

import datetime as dt
import json

import attrs
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.calendar import VN_TZ
from tthc_core.dossier import (
    DossierState,
    HandOver,
    StatusView,
    Timeliness,
    classify_finished,
    classify_open,
)
from tthc_core.party import ReturnChannel
from tthc_core.serialization import converter
from tthc_core.testing.dossiers import STEP_UNITS, drive, local, postal_address, received
from tthc_core.testing.strategies import DossierHistory, aware_datetimes, dossier_histories

DUE = local(2026, 3, 9, 9, 0)


def test_late_is_after_the_due_instant() -> None:
    assert classify_finished(DUE + dt.timedelta(minutes=1), DUE) is Timeliness.LATE


def test_on_time_is_the_due_date_up_to_the_due_instant() -> None:
    assert classify_finished(DUE, DUE) is Timeliness.ON_TIME
    assert classify_finished(local(2026, 3, 9, 0, 0), DUE) is Timeliness.ON_TIME


def test_early_is_a_day_before_the_due_date() -> None:
    assert classify_finished(local(2026, 3, 8, 23, 59), DUE) is Timeliness.EARLY


def test_an_exclusive_midnight_due_belongs_to_the_day_before() -> None:
    # Civil Code 2015 Art. 148: a period ends at 24:00 of its last day (00:00 of the next).
    midnight = local(2026, 3, 10, 0, 0)
    assert classify_finished(local(2026, 3, 9, 8, 0), midnight) is Timeliness.ON_TIME
    assert classify_finished(local(2026, 3, 8, 17, 0), midnight) is Timeliness.EARLY


def test_open_work_is_in_time_up_to_and_including_the_due_instant() -> None:
    assert classify_open(DUE, DUE) is Timeliness.IN_TIME
    assert classify_open(DUE + dt.timedelta(microseconds=1), DUE) is Timeliness.OVERDUE


@given(aware_datetimes(), aware_datetimes(), st.sampled_from([VN_TZ, dt.UTC]))
def test_classification_partitions_time_and_ignores_the_zone_of_the_instant(
    finished: dt.datetime, due: dt.datetime, zone: dt.tzinfo
) -> None:
    result = classify_finished(finished.astimezone(zone), due)
    assert result is classify_finished(finished, due)
    assert result.is_finished
    assert (result is Timeliness.LATE) == (finished > due)
    assert (result is Timeliness.EARLY) == (
        finished.date() < (due - dt.timedelta.resolution).date()
    )


def test_labels_are_the_control_sheets() -> None:
    labels = [t.label_vi for t in (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE)]
    assert labels == ["Trước hạn", "Đúng hạn", "Quá hạn"]


def test_status_reveals_no_personal_data() -> None:
    dossier, _ = received(
        at=local(2026, 3, 2, 9),
        return_channel=ReturnChannel.POSTAL,
        postal_address=postal_address(),
    )
    dossier, _ = drive(dossier, (HandOver(STEP_UNITS[0]), local(2026, 3, 2, 10)))
    view = dossier.public_status(local(2026, 3, 3))
    assert {f.name for f in attrs.fields(StatusView)} == {
        "code",
        "state",
        "national_code",
        "national_label_vi",
        "label_vi",
        "holder_unit",
        "due_at",
        "due_provisional",
        "timeliness",
    }
    text = json.dumps(converter.unstructure(view), ensure_ascii=False)
    for secret in ("Nguyễn Văn An", "0912345678", "Thôn 3", "Krông Năng", "24343"):
        assert secret not in text
    assert view.state is DossierState.IN_PROCESSING
    assert view.national_code == 4
    assert view.national_label_vi == "Đang xử lý"
    assert view.holder_unit == STEP_UNITS[0]
    assert view.due_at == local(2026, 3, 9, 9)
    assert view.timeliness is Timeliness.IN_TIME


@given(dossier_histories())
def test_status_view_agrees_with_the_dossier(history: DossierHistory) -> None:
    d = history.dossier
    view = d.public_status(d.last_event_at)
    assert (view.code, view.state, view.due_at) == (d.code, d.state, d.due_at)
    assert view.national_code == d.state.national_code
    assert view.timeliness == d.timeliness(d.last_event_at)
