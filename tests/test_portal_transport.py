"""Issue 17: transports — session login, OAuth2 refresh before expiry, access key, timeouts."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from tests._desk import at

from tthc_adapters.portal import (
    AccessKey,
    FakeNationalPortal,
    HttpNationalPortal,
    OAuth2ClientCredentials,
    SessionLogin,
    TransportConfig,
    UrlProfile,
    mock_transport,
)
from tthc_core.portal import PortalUnreachable


def test_oauth2_refreshes_the_token_before_it_expires() -> None:
    now = [at(11, 23, 8)]
    fake = FakeNationalPortal("H15")
    oauth = OAuth2ClientCredentials("tthc", "secret", clock=lambda: now[0])
    portal = HttpNationalPortal(
        UrlProfile(), oauth, TransportConfig("https://x.test"), transport=mock_transport(fake)
    )
    portal.fetch_new(None)
    now[0] += dt.timedelta(seconds=3600 - 61)  # still outside the 60 s margin
    portal.fetch_new(None)
    assert oauth.fetched == 1
    now[0] += dt.timedelta(seconds=2)  # inside the margin: refresh before expiry
    portal.fetch_new(None)
    assert oauth.fetched == 2


def test_a_refused_login_is_reported_not_sent() -> None:
    fake = FakeNationalPortal("H15")
    login = SessionLogin("tthc", "wrong", unit_code="u", route_code="H15")
    portal = HttpNationalPortal(
        UrlProfile(), login, TransportConfig("https://x.test"), transport=mock_transport(fake)
    )
    with pytest.raises(PortalUnreachable, match="login refused"):
        portal.acknowledge("x")
    assert [c.operation for c in fake.calls] == ["login"]


def test_session_login_puts_session_and_unit_in_the_body_and_route_in_a_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/mapi/login":
            return httpx.Response(200, json={"error_code": "00", "session": "S1"})
        return httpx.Response(200, json={"error_code": 0})

    login = SessionLogin("tthc", "secret", unit_code="000.43.31.H15", route_code="H15")
    from tthc_adapters.portal import RpcProfile

    portal = HttpNationalPortal(
        RpcProfile(),
        login,
        TransportConfig("https://x.test"),
        transport=httpx.MockTransport(handler),
    )
    assert portal.acknowledge("c").ok
    import json

    body = json.loads(seen[1].content)
    assert body["session"] == "S1"
    assert body["madonvi"] == "000.43.31.H15"
    assert seen[1].headers["dstcode"] == "H15"


def test_access_key_headers_and_explicit_timeouts() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"error_code": "0"})

    config = TransportConfig("https://x.test", connect_timeout=3.0, read_timeout=4.0)
    portal = HttpNationalPortal(
        UrlProfile(), AccessKey("tthc-app", "K"), config, transport=httpx.MockTransport(handler)
    )
    assert portal.acknowledge("c").ok
    assert seen[0].headers["AppName"] == "tthc-app"
    assert seen[0].headers["AccessKey"] == "K"
    timeouts = seen[0].extensions["timeout"]
    assert timeouts["connect"] == 3.0
    assert timeouts["read"] == 4.0


def test_no_answer_is_unreachable_not_a_failure_reply() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    portal = HttpNationalPortal(
        UrlProfile(),
        AccessKey("a", "k"),
        TransportConfig("https://x.test"),
        transport=httpx.MockTransport(handler),
    )
    with pytest.raises(PortalUnreachable, match="no answer"):
        portal.acknowledge("c")


@pytest.mark.parametrize("profile", ["rpc", "url"])
def test_payment_reports_reach_the_fake_only_for_known_dossiers(profile: str) -> None:
    from tests._portal import portal_client

    from tthc_core.portal import FeeLine

    fake = FakeNationalPortal("H15")
    portal = portal_client(fake, profile)
    fees = [FeeLine("Lệ phí cấp giấy chứng nhận", 25_000, code="LP1")]
    refused = portal.report_payment("000.43.31.H15-261123-0001", fees)
    assert not refused.ok
    assert "không tồn tại" in refused.message
    fake.dossiers["000.43.31.H15-261123-0001"] = {"MaHoSo": "000.43.31.H15-261123-0001"}
    assert portal.report_payment("000.43.31.H15-261123-0001", fees).ok
    sent = fake.payments["000.43.31.H15-261123-0001"][0]["SoTien"]
    assert sent == ("25000" if profile == "rpc" else 25_000)  # RPC: numbers as strings
