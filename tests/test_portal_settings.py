"""Issue 17: the portal target's configuration from TTHC_PORTAL_* (nothing in code), and its
wiring into the service `tthc serve` and `tthc worker` build."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from tests._desk import at
from tests._portal import catalogue_store

from tthc_adapters.cli._service import Service, ServiceOptions
from tthc_adapters.portal import MemoryLedger, PortalSettings
from tthc_core.desk import intake_source
from tthc_core.errors import InvalidInput
from tthc_core.portal import PORTAL_CHANNEL
from tthc_core.storage import OutboundMessage

BASE = {
    "TTHC_PORTAL_URL": "https://lgsp.example.gov.vn/dvcqg",
    "TTHC_PORTAL_PROFILE": "rpc",
    "TTHC_PORTAL_USERNAME": "xa-krong-nang",
    "TTHC_PORTAL_PASSWORD": "s3cret",
    "TTHC_PORTAL_UNIT_CODE": "000.43.31.H15",
    "TTHC_PORTAL_ROUTE_CODE": "H15",
    "TTHC_PORTAL_PROVINCE": "H15",
    "TTHC_PORTAL_PROVINCE_AGENCY": "000.00.00.H15",
}


def test_off_unless_a_url_is_set() -> None:
    assert PortalSettings.from_env({}) is None
    assert (
        PortalSettings.from_env({k: v for k, v in BASE.items() if k != "TTHC_PORTAL_URL"}) is None
    )


def test_a_complete_target_is_read() -> None:
    settings = PortalSettings.from_env(BASE)
    assert settings is not None
    assert (settings.profile, settings.auth, settings.target) == ("rpc", "session", "dvcqg")
    assert (settings.interval, settings.pull_interval, settings.inbound) == (20.0, 600.0, True)
    assert "s3cret" not in repr(settings)
    client = settings.client(lambda: at(11, 23, 8))
    assert client.profile.name == "dvcqg-rpc-2020"
    client.close()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"TTHC_PORTAL_URL": "http://lgsp.example.gov.vn"}, "https://"),
        ({"TTHC_PORTAL_PROFILE": "soap"}, "TTHC_PORTAL_PROFILE"),
        ({"TTHC_PORTAL_AUTH": "basic"}, "TTHC_PORTAL_AUTH"),
        ({"TTHC_PORTAL_PASSWORD": ""}, "TTHC_PORTAL_PASSWORD"),
        ({"TTHC_PORTAL_PROVINCE": ""}, "TTHC_PORTAL_PROVINCE"),
        ({"TTHC_PORTAL_AUTH": "oauth2"}, "TTHC_PORTAL_CLIENT_ID, TTHC_PORTAL_CLIENT_SECRET"),
        ({"TTHC_PORTAL_INTERVAL": "soon"}, "TTHC_PORTAL_INTERVAL"),
        ({"TTHC_PORTAL_PULL_INTERVAL": "0"}, "TTHC_PORTAL_PULL_INTERVAL"),
        ({"TTHC_PORTAL_INBOUND": "maybe"}, "TTHC_PORTAL_INBOUND"),
        ({"TTHC_PORTAL_PASSWORD_FILE": "/nonexistent/secret"}, "TTHC_PORTAL_PASSWORD"),
    ],
)
def test_a_wrong_or_missing_variable_is_named(change: dict[str, str], named: str) -> None:
    with pytest.raises(InvalidInput, match=named):
        PortalSettings.from_env({**BASE, **change})


def test_secrets_may_come_from_files(tmp_path: Path) -> None:
    secret = tmp_path / "client_secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    env = {
        "TTHC_PORTAL_URL": "https://lgsp.example.gov.vn",
        "TTHC_PORTAL_CLIENT_ID": "tthc",
        "TTHC_PORTAL_CLIENT_SECRET_FILE": str(secret),
        "TTHC_PORTAL_PROVINCE": "H15",
        "TTHC_PORTAL_PROVINCE_AGENCY": "000.00.00.H15",
        "TTHC_PORTAL_INBOUND": "off",
    }
    settings = PortalSettings.from_env(env)
    assert settings is not None
    assert (settings.profile, settings.auth, settings.inbound) == ("url", "oauth2", False)
    assert settings.credentials["CLIENT_SECRET"] == "from-a-file"  # noqa: S105 - test value
    with pytest.raises(InvalidInput, match="not both"):
        PortalSettings.from_env({**env, "TTHC_PORTAL_CLIENT_SECRET": "x"})


def test_the_service_tells_the_target_of_every_change_and_takes_portal_dossiers_in() -> None:
    env = BASE
    service = Service.open(ServiceOptions(db="memory:", demo_key=True), env)
    try:
        assert service.portal is not None
        assert service.desk.portal_targets == ("dvcqg",)
        assert intake_source("dvcqg") in service.inbox_handlers()
        assert isinstance(service.portal.ledger, MemoryLedger)  # beside the in-memory store
        message = OutboundMessage(
            key="portal:dvcqg:X#v1",
            channel=PORTAL_CHANNEL,
            payload={"target": "dvcqg", "dossier": "000.43.31.H15-261123-0001"},
        )
        service.dispatcher(message)
        [item] = service.portal.ledger.items("dvcqg")
        assert item.dossier == "000.43.31.H15-261123-0001"
    finally:
        service.close()


def test_without_a_target_the_service_syncs_nothing() -> None:
    service = Service.open(ServiceOptions(db="memory:", demo_key=True), {})
    try:
        assert service.portal is None
        assert service.desk.portal_targets == ()
    finally:
        service.close()


def test_the_worker_thread_fetches_and_syncs_until_stopped() -> None:
    import time

    from tests._desk import KEY

    from tthc_adapters.bootstrap import DEMO_SETTINGS, build_desk
    from tthc_adapters.cli._workers import QueueWorkers
    from tthc_adapters.portal import FakeNationalPortal, PortalRuntime, format_stamp, mock_transport
    from tthc_core.receipt import StaticKeyRing

    fake = FakeNationalPortal("H15", username="xa-krong-nang", password="s3cret")  # noqa: S106
    fake.submit_online(
        {
            "MaHoSo": "000.00.00.H15-261123-00001",
            "MaTTHC": "1.004227.000.00.00.H15",
            "ChuHoSo": "Trần Thị Bình",
            "NgayNopHoSo": format_stamp(at(11, 23, 7)),
        }
    )
    settings = PortalSettings.from_env(
        {**BASE, "TTHC_PORTAL_INTERVAL": "0.05", "TTHC_PORTAL_PULL_INTERVAL": "0.05"}
    )
    assert settings is not None
    store = catalogue_store()
    desk = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=at(11, 23, 8).date())
    desk = attrs.evolve(desk, portal_targets=("dvcqg",))
    runtime = PortalRuntime(
        settings, store, desk, clock=lambda: at(11, 23, 8), transport=mock_transport(fake)
    )
    workers = QueueWorkers(
        store,
        desk,
        runtime.absorb,  # type: ignore[arg-type]
        poll_interval=0.05,
        handlers=runtime.handlers(),
        portal=runtime,
    )
    workers.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not fake.progress.get("000.00.00.H15-261123-00001"):
            time.sleep(0.05)
    finally:
        assert workers.stop()
        runtime.close()
    assert fake.acknowledged == {"000.00.00.H15-261123-00001"}
    [row] = fake.progress["000.00.00.H15-261123-00001"]  # status 1 under the national code
    assert int(row["TrangThai"]) == 1
