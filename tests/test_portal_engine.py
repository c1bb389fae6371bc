"""Issue 17: the sync engine against the fake portal in-process (both profiles).

Covers coalescing, insert-exists → update, update-unknown → insert once,
re-login once, back-off with jitter, lost acknowledgements without duplicate
rows, the province-prefix alternate code, dead letters and re-drive.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests._desk import APPLICANT, KEY, LAND, at
from tests._portal import (
    CONTEXT,
    PROVINCE,
    TARGET,
    act_synced,
    catalogue_store,
    engine,
    loader,
    portal_client,
    pump,
    receive_synced,
)

from tthc_adapters.bootstrap import DEMO_SETTINGS, build_desk
from tthc_adapters.portal import FakeNationalPortal, MemoryLedger, RpcProfile, UrlProfile
from tthc_core.codes import AgencyCode
from tthc_core.desk import Desk
from tthc_core.dossier import HandOver
from tthc_core.portal import (
    CLASSIFIER,
    Action,
    Backoff,
    ItemState,
    PortalReply,
    PortalSync,
    classify,
    snapshot_of,
)
from tthc_core.receipt import StaticKeyRing
from tthc_core.storage import Store

NOW = at(11, 23, 12)
LATER = at(11, 30, 12)


@pytest.fixture
def desk() -> Desk:
    return build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))


@pytest.fixture
def store() -> Store:
    return catalogue_store()


@pytest.fixture(params=["rpc", "url"])
def profile(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def wire(profile: str, store: Store, dossier_code: str) -> dict[str, object]:
    """The local dossier as the fake should hold it."""
    loaded = loader(store)(dossier_code)
    assert loaded is not None
    snapshot = snapshot_of(loaded[0], national_code=dossier_code, context=CONTEXT)
    encoded = (RpcProfile() if profile == "rpc" else UrlProfile()).upsert(snapshot, update=False)
    body = encoded.body
    return dict(body["data"][0] if isinstance(body, dict) else body[0])


def setup(store: Store, profile: str, **fake_kw: object):  # type: ignore[no-untyped-def]
    fake = FakeNationalPortal(PROVINCE, **fake_kw)  # type: ignore[arg-type]
    ledger = MemoryLedger()
    return fake, ledger, engine(store, portal_client(fake, profile), ledger)


def test_changes_are_written_with_the_dossier_and_coalesced(store: Store, desk: Desk) -> None:
    dossier = receive_synced(store, desk)
    act_synced(store, desk, dossier.code, HandOver(dossier.steps[0].unit), at(11, 23, 10))
    ledger = MemoryLedger()
    assert pump(store, ledger, NOW) == 2
    [item] = ledger.items(TARGET)
    assert item.changes == 2
    assert item.dossier == str(dossier.code)


def test_a_rolled_back_change_leaves_no_hand_off(store: Store, desk: Desk) -> None:
    from tthc_core.desk import receive_dossier
    from tthc_core.portal import record_change

    with store.unit_of_work() as uow:
        dossier = receive_dossier(uow, desk, procedure_code=LAND, applicant=APPLICANT, at=NOW)
        record_change(uow, dossier, [TARGET])
        uow.rollback()
    assert pump(store, MemoryLedger(), NOW) == 0


def test_a_change_during_the_send_keeps_the_item_pending(store: Store, desk: Desk) -> None:
    dossier = receive_synced(store, desk)
    ledger = MemoryLedger()
    pump(store, ledger, NOW)
    [item] = ledger.due(TARGET, NOW, 10)
    ledger.enqueue(item.dossier, TARGET, NOW)  # a change committed while sending
    assert ledger.finish(item, NOW) is False
    assert ledger.due(TARGET, NOW, 10)[0].changes == 2
    assert str(dossier.code) == item.dossier


def test_sync_converges_the_fake_to_the_local_state(store: Store, desk: Desk, profile: str) -> None:
    fake, ledger, sync = setup(store, profile)
    dossier = receive_synced(store, desk)
    act_synced(store, desk, dossier.code, HandOver(dossier.steps[0].unit), at(11, 23, 10))
    pump(store, ledger, NOW)
    report = sync.run(NOW)
    assert (report.synced, report.rows_sent) == (1, 3)
    code = str(dossier.code)
    assert fake.dossiers[code] == wire(profile, store, code)
    act_synced(store, desk, dossier.code, HandOver(dossier.steps[1].unit), at(11, 24, 9))
    pump(store, ledger, NOW)
    assert sync.run(NOW).rows_sent == 1  # acknowledged rows are not re-sent
    assert fake.dossiers[code] == wire(profile, store, code)
    assert len(fake.progress[code]) == 4
    assert fake.duplicate_rows() == []
    assert ledger.items(TARGET) == []


def test_insert_of_an_existing_code_switches_to_update(
    store: Store, desk: Desk, profile: str
) -> None:
    fake, ledger, sync = setup(store, profile)
    dossier = receive_synced(store, desk)
    code = str(dossier.code)
    fake.dossiers[code] = {"MaHoSo": code, "TrangThaiHoSo": 1}
    pump(store, ledger, NOW)
    assert sync.run(NOW).synced == 1
    ops = [c.operation for c in fake.calls if c.operation not in ("login", "token")]
    assert ops[:2] in (["upsert", "upsert"], ["insert", "update"])
    assert "đã tồn tại" in fake.calls[1].message
    assert fake.dossiers[code] == wire(profile, store, code)


def test_update_of_an_unknown_code_reinserts_once(store: Store, desk: Desk, profile: str) -> None:
    fake, ledger, sync = setup(store, profile)
    dossier = receive_synced(store, desk)
    ledger.mark_inserted(TARGET, str(dossier.code), True)  # the portal lost it
    pump(store, ledger, NOW)
    assert sync.run(NOW).synced == 1
    assert any("không tồn tại" in c.message for c in fake.calls)
    assert str(dossier.code) in fake.dossiers


def test_an_expired_session_relogs_in_once(store: Store, desk: Desk, profile: str) -> None:
    fake, ledger, sync = setup(store, profile)
    first = receive_synced(store, desk)
    pump(store, ledger, NOW)
    sync.run(NOW)
    fake.expire_sessions()
    act_synced(store, desk, first.code, HandOver(first.steps[0].unit), at(11, 23, 10))
    pump(store, ledger, NOW)
    assert sync.run(NOW).synced == 1
    issued = [c for c in fake.calls if c.operation in ("login", "token")]
    assert len(issued) == 2


def test_failures_back_off_with_jitter_then_succeed(store: Store, desk: Desk) -> None:
    fake, ledger, sync = setup(store, "rpc")
    receive_synced(store, desk)
    pump(store, ledger, NOW)
    fake.faults.server_error_next = 1
    assert sync.run(NOW).retried == 1
    [item] = ledger.items(TARGET)
    assert item.attempts == 1
    assert "5xx" in item.last_error
    assert item.next_at == NOW + Backoff().delay(1, 0.5) == NOW + dt.timedelta(seconds=15)
    assert sync.run(NOW).synced == 0  # not due yet
    assert sync.run(item.next_at).synced == 1


@pytest.mark.parametrize("fault", ["applied_but_failed_next", "timeout_next"])
def test_a_lost_acknowledgement_never_applies_a_row_twice(
    store: Store, desk: Desk, profile: str, fault: str
) -> None:
    fake, ledger, sync = setup(store, profile)
    dossier = receive_synced(store, desk)
    pump(store, ledger, NOW)
    ops_before = len(fake.calls)
    setattr(fake.faults, fault, 2)  # the upsert, then the progress call, lose their answer
    assert sync.run(NOW).retried == 1
    fake.faults.only = frozenset({"progress"})
    assert sync.run(LATER).retried == 1
    code = str(dossier.code)
    assert len(fake.progress[code]) == 2  # applied, though reported failed
    assert sync.run(LATER + dt.timedelta(hours=1)).synced == 1
    assert len(fake.progress[code]) == 2
    assert fake.duplicate_rows() == []
    assert any(c.operation == "lookup" for c in fake.calls)
    assert fake.dossiers[code] == wire(profile, store, code)
    assert len(fake.calls) > ops_before


def test_codes_without_the_province_prefix_get_one_alternate_code(store: Store) -> None:
    other = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
    other = attrs.evolve(other, agency=AgencyCode("000.00.01.H22"))
    fake, ledger, sync = setup(store, "url")
    dossier = receive_synced(store, other)
    pump(store, ledger, NOW)
    assert sync.run(NOW).synced == 1
    [code] = fake.dossiers
    assert code == "000.00.00.H15-261123-00001"
    assert sync.national_code(dossier) == code  # allocated once, never regenerated
    act_synced(store, other, dossier.code, HandOver(dossier.steps[0].unit), at(11, 23, 10))
    pump(store, ledger, NOW)
    sync.run(NOW)
    assert list(fake.dossiers) == [code]


def test_progress_after_a_terminal_status_is_a_dead_letter_until_redriven(
    store: Store, desk: Desk
) -> None:
    fake, ledger, sync = setup(store, "rpc")
    dossier = receive_synced(store, desk)
    code = str(dossier.code)
    fake.dossiers[code] = {"MaHoSo": code}
    fake.progress[code] = [
        {"ThoiDiemXuLy": "20261123090000", "TrangThai": "10", "NoiDungXuLy": "x"}
    ]
    pump(store, ledger, NOW)
    assert sync.run(NOW).dead == 1
    [item] = ledger.items(TARGET)
    assert item.state is ItemState.DEAD
    assert "terminal lock" in item.last_error
    assert sync.run(LATER).synced == 0  # dead letters are not retried by themselves
    fake.progress[code] = []
    assert ledger.redrive(TARGET, None, LATER) == 1
    assert sync.run(LATER).synced == 1


def test_items_out_of_attempts_become_dead_letters(store: Store, desk: Desk) -> None:
    fake, ledger, _ = setup(store, "rpc")
    sync = attrs.evolve(
        engine(store, portal_client(fake, "rpc"), ledger), backoff=Backoff(max_attempts=2)
    )
    receive_synced(store, desk)
    pump(store, ledger, NOW)
    fake.faults.too_many_next = 5
    assert sync.run(NOW).retried == 1
    assert sync.run(LATER).dead == 1


def test_a_missing_local_dossier_is_a_dead_letter(store: Store) -> None:
    _, ledger, sync = setup(store, "rpc")
    ledger.enqueue("000.43.31.H15-261123-0099", TARGET, NOW)
    assert sync.run(NOW).dead == 1


@pytest.mark.parametrize(
    ("reply", "action"),
    [
        (PortalReply(None, None, "timeout"), Action.RETRY),
        (PortalReply(401), Action.RELOGIN),
        (PortalReply(429), Action.RETRY),
        (PortalReply(503), Action.RETRY),
        (PortalReply(200, 0), Action.DONE),
        (PortalReply(200, None, "thành công"), Action.RETRY),  # text alone is never success
        (PortalReply(200, -1, "Phiên đăng nhập hết hạn"), Action.RELOGIN),
        (PortalReply(200, -1, "Ho so DA TON TAI"), Action.SWITCH_TO_UPDATE),
        (PortalReply(200, -1, "Hồ sơ không tồn tại"), Action.SWITCH_TO_INSERT),
        (PortalReply(200, -1, "chưa được gửi không thể cập nhật trạng thái"), Action.ORDERING),
        (PortalReply(200, -1, "logic xử lý không hợp lệ"), Action.DEAD_LETTER),
        (
            PortalReply(200, -1, "đã trả kết quả, không được cập nhật trạng thái"),
            Action.DEAD_LETTER,
        ),
        (PortalReply(200, -1, "không đúng mã tỉnh H15"), Action.DEAD_LETTER),
        (PortalReply(403), Action.DEAD_LETTER),
        (PortalReply(200, 7, "lỗi lạ"), Action.RETRY),
    ],
)
def test_the_classifier_table(reply: PortalReply, action: Action) -> None:
    assert classify(reply)[0] is action
    assert CLASSIFIER[-1].action is Action.RETRY


@pytest.mark.parametrize("attempts", [1, 2, 5, 30])
def test_backoff_grows_and_stays_within_its_jitter_band(attempts: int) -> None:
    policy = Backoff()
    low, high = policy.delay(attempts, 0.0), policy.delay(attempts, 0.999999)
    assert low * 2 >= high > low > dt.timedelta(0)
    assert high <= policy.ceiling
    if attempts < 5:
        assert policy.delay(attempts + 1, 0.0) == 2 * low


def test_engine_is_a_dataclass_of_ports(store: Store) -> None:
    _, _, sync = setup(store, "rpc")
    assert isinstance(sync, PortalSync)
    assert sync.province == PROVINCE


def test_the_desk_hands_changes_off_when_configured(store: Store, desk: Desk) -> None:
    from tests._desk import receive as plain_receive

    from tthc_core.desk import act

    plain_receive(store, desk)
    assert pump(store, MemoryLedger(), NOW) == 0  # no portal target configured
    synced = attrs.evolve(desk, portal_targets=(TARGET,))
    dossier = plain_receive(store, synced)
    with store.unit_of_work() as uow:
        act(uow, synced, dossier.code, HandOver(dossier.steps[0].unit), at=at(11, 23, 10))
        uow.commit()
    ledger = MemoryLedger()
    assert pump(store, ledger, NOW) == 2
    assert [i.dossier for i in ledger.items(TARGET)] == [str(dossier.code)]
