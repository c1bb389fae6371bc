"""Issue 17: the portal codecs (golden JSON per profile), dates, error codes, TLS configuration.

Golden files under tests/fixtures/portal/ hold the request bodies for one
dossier (received, three handovers, resolved, returned) in each profile; their
field names and shapes follow dvcqg-sync.md §4.1, §4.2, §5.1 and §5.2.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests._desk import KEY, at
from tests._portal import CONTEXT, act_synced, catalogue_store, receive_synced

from tthc_adapters.bootstrap import DEMO_SETTINGS, build_desk
from tthc_adapters.portal import (
    RpcProfile,
    TransportConfig,
    UrlProfile,
    format_stamp,
    parse_stamp,
    read_error_code,
    snapshot_fields,
)
from tthc_core.calendar import VN_TZ
from tthc_core.dossier import Channel, HandOver, Resolve, ReturnAtDesk
from tthc_core.errors import InvalidInput
from tthc_core.portal import ApplicantKind, DossierSnapshot, progress_rows, snapshot_of
from tthc_core.receipt import StaticKeyRing
from tthc_core.storage.kinds import DOSSIERS

GOLDEN = Path(__file__).parent / "fixtures" / "portal"


def story() -> tuple[DossierSnapshot, list]:  # type: ignore[type-arg]
    """One dossier's snapshot and progress rows after a full lifecycle."""
    desk = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
    store = catalogue_store()
    dossier = receive_synced(store, desk)
    for step, when in zip(
        dossier.steps, (at(11, 23, 10), at(11, 24, 9), at(11, 25, 9)), strict=True
    ):
        act_synced(store, desk, dossier.code, HandOver(step.unit), when)
    act_synced(store, desk, dossier.code, Resolve(), at(11, 25, 14))
    dossier = act_synced(store, desk, dossier.code, ReturnAtDesk(), at(11, 26, 9))
    with store.unit_of_work() as uow:
        events = [r.event for r in uow.audit.history(DOSSIERS, str(dossier.code))]
    code = str(dossier.code)
    return snapshot_of(dossier, national_code=code, context=CONTEXT), progress_rows(code, events)


def golden(name: str, body: object) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), name


@pytest.mark.parametrize("profile", [RpcProfile(), UrlProfile()], ids=["rpc", "url"])
def test_one_dossier_as_sent_matches_the_golden_json(profile: RpcProfile | UrlProfile) -> None:
    snapshot, rows = story()
    short = "rpc" if isinstance(profile, RpcProfile) else "url"
    upsert = profile.upsert(snapshot, update=False)
    progress = profile.progress(snapshot.code, rows)
    golden(f"{short}_upsert", {"path": upsert.path, "body": upsert.body})
    golden(f"{short}_progress", {"path": progress.path, "body": progress.body})


def test_rpc_names_the_operation_in_the_body_and_sends_strings() -> None:
    snapshot, _ = story()
    body = RpcProfile().upsert(snapshot, update=True).body
    assert body["service"] == "DongBoHoSoMC"
    assert body["isUpdating"] == "True"
    assert body["data"][0]["TrangThaiHoSo"] == "10"
    assert "KenhThucHien" not in body["data"][0]  # a 2023+ field


def test_url_profile_carries_the_2023_fields_and_switches_url_on_update() -> None:
    snapshot, _ = story()
    assert UrlProfile().upsert(snapshot, update=False).path == "/ThemMoi"
    request = UrlProfile().upsert(snapshot, update=True)
    assert request.path == "/CapNhat"
    assert isinstance(request.body, list)
    assert request.body[0]["KenhThucHien"] == Channel.IN_PERSON.value
    assert request.body[0]["DanhSachGiayToKetQua"][0]["MaGiayToKetQua"] == "KQ1"


@pytest.mark.parametrize(
    ("instant", "stamp"),
    [
        (dt.datetime(2026, 11, 23, 16, 59, 59, tzinfo=dt.UTC), "20261123235959"),
        (dt.datetime(2026, 11, 23, 17, 0, 0, tzinfo=dt.UTC), "20261124000000"),
        (dt.datetime(2026, 11, 24, 5, 0, 0, tzinfo=dt.UTC), "20261124120000"),
        (dt.datetime(2026, 11, 24, 0, 30, 0, tzinfo=VN_TZ), "20261124003000"),
    ],
)
def test_stamps_are_24_hour_vietnam_time_around_midnight_and_noon(
    instant: dt.datetime, stamp: str
) -> None:
    assert format_stamp(instant) == stamp
    assert parse_stamp(stamp) == instant


def test_naive_datetimes_are_refused_by_codec_and_types() -> None:
    with pytest.raises(InvalidInput, match="naive"):
        format_stamp(dt.datetime(2026, 11, 23, 9))  # noqa: DTZ001 - naive on purpose
    _snapshot, _ = story()
    with pytest.raises(InvalidInput, match="timezone-aware"):
        DossierSnapshot(
            code="x",
            local_code="x",
            procedure_code="p",
            procedure_name="n",
            status=2,
            channel=Channel.ONLINE,
            applicant_name="A",
            applicant_kind=ApplicantKind.CITIZEN,
            submitted_at=dt.datetime(2026, 11, 23, 9),  # noqa: DTZ001 - naive on purpose
        )


@pytest.mark.parametrize("bad", ["2026112309150", "2026-11-23 09", "abcdefghijklmn"])
def test_malformed_stamps_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match="14 digits"):
        parse_stamp(bad)


@pytest.mark.parametrize(
    ("raw", "code"), [(0, 0), ("0", 0), ("00", 0), (" 0 ", 0), ("3", 3), ("-3", -3), (None, None)]
)
def test_error_code_is_read_as_an_integer_whatever_its_spelling(
    raw: object, code: int | None
) -> None:
    assert read_error_code(raw) == code


@pytest.mark.parametrize("raw", [True, "ok", 1.5, [0]])
def test_unreadable_error_codes_are_refused(raw: object) -> None:
    with pytest.raises(InvalidInput):
        read_error_code(raw)


def test_status_outside_1_to_10_is_refused() -> None:
    snapshot, _ = story()
    import attrs

    with pytest.raises(InvalidInput, match="1-10"):
        attrs.evolve(snapshot, status=11)
    assert attrs.evolve(snapshot, status=1).status == 1


def test_long_summaries_are_cut_with_a_marker() -> None:
    import attrs

    snapshot, _ = story()
    fields = snapshot_fields(attrs.evolve(snapshot, summary="x" * 1200), modern=True, numbers=False)
    assert len(fields["TrichYeuHoSo"]) == 1000
    assert fields["TrichYeuHoSo"].endswith("[…]")
    exact = snapshot_fields(attrs.evolve(snapshot, summary="y" * 1000), modern=True, numbers=False)
    assert exact["TrichYeuHoSo"] == "y" * 1000


@pytest.mark.parametrize("verify", [False, "", "  "])
def test_tls_verification_cannot_be_turned_off(verify: bool | str) -> None:
    with pytest.raises(InvalidInput, match="never disabled"):
        TransportConfig("https://dvcqg.test", verify=verify)


def test_tls_verification_accepts_a_ca_bundle_and_defaults_on() -> None:
    assert TransportConfig("https://dvcqg.test").verify is True
    assert (
        TransportConfig("https://dvcqg.test", verify="/etc/ssl/ca.pem").verify == "/etc/ssl/ca.pem"
    )


def paid_story() -> DossierSnapshot:
    """A land dossier whose registration fee was requested and paid."""
    from tthc_core.dossier import ConfirmPayment, RequestPayment

    desk = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
    store = catalogue_store()
    dossier = receive_synced(store, desk)
    act_synced(store, desk, dossier.code, HandOver(dossier.steps[0].unit), at(11, 23, 10))
    fee = RequestPayment(500_000, "Lệ phí đăng ký biến động đất đai")
    act_synced(store, desk, dossier.code, fee, at(11, 23, 11))
    dossier = act_synced(store, desk, dossier.code, ConfirmPayment(), at(11, 23, 15))
    return snapshot_of(dossier, national_code=str(dossier.code), context=CONTEXT)


@pytest.mark.parametrize("profile", [RpcProfile(), UrlProfile()], ids=["rpc", "url"])
def test_a_payment_report_as_sent_matches_the_golden_json(profile: RpcProfile | UrlProfile) -> None:
    """§12 bill content: ``MaHoSo``, ``PhiLePhi[]`` (``LoaiPhiLePhi``, ``MaPhiLePhi``,
    ``TenPhiLePhi``, ``SoTien``)."""
    snapshot = paid_story()
    short = "rpc" if isinstance(profile, RpcProfile) else "url"
    request = profile.payment(snapshot.code, snapshot.fees)
    golden(f"{short}_payment", {"path": request.path, "body": request.body})
    assert [f.amount_vnd for f in snapshot.fees] == [500_000]
