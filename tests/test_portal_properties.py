"""Issue 17: properties of the projection and the codecs over generated dossiers."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_adapters.portal import RpcProfile, UrlProfile, format_stamp, parse_stamp
from tthc_core.dossier import DossierEvent
from tthc_core.portal import DossierSnapshot, ProgressRow, progress_rows, snapshot_of
from tthc_core.testing.strategies import DossierHistory, dossier_histories, snapshot_contexts


@settings(max_examples=25)
@given(dossier_histories(max_steps=8), snapshot_contexts())
def test_projection_follows_the_dossier(history: DossierHistory, context: object) -> None:
    dossier = history.dossier
    code = str(dossier.code)
    snapshot = snapshot_of(dossier, national_code=code, context=context)  # type: ignore[arg-type]
    assert snapshot.status == dossier.state.national_code
    rows = progress_rows(code, history.events)
    assert len(rows) == sum(isinstance(e, DossierEvent) for e in history.events)
    assert len({r.row_id for r in rows}) == len(rows)  # ids unique ...
    assert progress_rows(code, history.events) == rows  # ... and deterministic
    assert rows[-1].status == snapshot.status
    assert [r.at for r in rows] == sorted(r.at for r in rows)
    for profile in (RpcProfile(), UrlProfile()):
        body = profile.upsert(snapshot, update=False).body
        json.dumps(body)  # JSON-ready
        json.dumps(profile.progress(code, rows).body)


_OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))


@given(
    st.datetimes(
        min_value=dt.datetime(2000, 1, 2),  # noqa: DTZ001 - bounds of a zoned strategy
        max_value=dt.datetime(2099, 12, 30),  # noqa: DTZ001
        timezones=_OFFSETS,
    )
)
def test_stamps_round_trip_to_the_second(instant: dt.datetime) -> None:
    stamp = format_stamp(instant)
    assert len(stamp) == 14
    back = parse_stamp(stamp)
    assert back is not None
    # Compare instants: PEP 495 makes an ambiguous (fold) time unequal across zones.
    assert back.timestamp() == instant.replace(microsecond=0).timestamp()


@settings(max_examples=10)
@given(st.from_type(DossierSnapshot), st.from_type(ProgressRow))
def test_registered_strategies_build_valid_values(
    snapshot: DossierSnapshot, row: ProgressRow
) -> None:
    assert 1 <= snapshot.status <= 10
    assert row.at.utcoffset() is not None
