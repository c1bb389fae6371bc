"""Transports: explicit timeouts, TLS verification always on, three ways to authenticate.

Reference ``dvcqg-sync.md`` §3: the DVCQG adapter's session login (session and
``madonvi`` in the body, ``dstcode`` header; OC-ACT), OAuth2 client credentials
before a provincial LGSP (OC-LGSP; refreshed before ``expires_in`` runs out),
and an HCM-style access key. Timeouts default to the observed 10 s connect and
6 s read. A trust-all TLS manager is a pitfall (§17): :class:`TransportConfig`
refuses ``verify=False``; a CA bundle path is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

import attrs
import httpx

from tthc_adapters.portal._fields import read_error_code
from tthc_core.errors import InvalidInput
from tthc_core.portal import PortalUnreachable

__all__ = ["AccessKey", "Auth", "OAuth2ClientCredentials", "SessionLogin", "TransportConfig"]


def _verify(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is True or (isinstance(value, str) and value.strip()):
        return
    raise InvalidInput(
        f"{attribute.name} must be True or a CA bundle path: TLS verification is never disabled"
        " (reference dvcqg-sync.md §17, trust-all managers)"
    )


@attrs.frozen
class TransportConfig:
    """Where and how to connect.

    Args:
        base_url: The gateway's base URL (configuration; none is public, §16).
        connect_timeout: Seconds (OpenCPS: 10).
        read_timeout: Seconds (OpenCPS ``TIMEOUT_DVCQG``: 6).
        verify: ``True``, or the path of a CA bundle; never ``False``.
    """

    base_url: str
    connect_timeout: float = 10.0
    read_timeout: float = 6.0
    verify: bool | str = attrs.field(default=True, validator=_verify)

    def client(self, transport: httpx.BaseTransport | None = None) -> httpx.Client:
        """An httpx client with these settings (``transport`` for tests)."""
        timeout = httpx.Timeout(self.read_timeout, connect=self.connect_timeout)
        return httpx.Client(
            base_url=self.base_url, timeout=timeout, verify=self.verify, transport=transport
        )


class Auth(Protocol):
    """Adds credentials to one request (body and headers)."""

    def apply(self, client: httpx.Client, body: Any, headers: dict[str, str]) -> Any:
        """The body to send (possibly amended); ``headers`` is amended in place."""
        ...

    def invalidate(self) -> None:
        """Forget the session or token; the next request authenticates again."""
        ...


def _post_json(client: httpx.Client, path: str, **kw: Any) -> dict[str, Any]:
    try:
        answer = client.post(path, **kw)
        body = answer.json()
    except (httpx.TransportError, ValueError) as exc:
        raise PortalUnreachable(f"login at {path} failed: {exc!r}") from exc
    if answer.status_code != 200 or not isinstance(body, dict):
        raise PortalUnreachable(f"login at {path} answered HTTP {answer.status_code}")
    return body


@attrs.define
class SessionLogin:
    """The DVCQG adapter's login: ``{username, password}`` → ``{session, error_code}`` (OC-ACT).

    Args:
        unit_code: ``madonvi``, the sending unit.
        route_code: The ``dstcode`` header (a gateway routing code, **L**).
    """

    username: str
    password: str = attrs.field(repr=False)
    unit_code: str
    route_code: str
    login_path: str = "/mapi/login"
    _session: str | None = attrs.field(default=None, init=False, repr=False)
    logins: int = attrs.field(default=0, init=False)

    def apply(self, client: httpx.Client, body: Any, headers: dict[str, str]) -> Any:
        if self._session is None:
            answer = _post_json(
                client, self.login_path, json={"username": self.username, "password": self.password}
            )
            if read_error_code(answer.get("error_code")) != 0 or not answer.get("session"):
                raise PortalUnreachable(f"login refused: {answer.get('message', '')}")
            self._session = str(answer["session"])
            self.logins += 1
        headers["dstcode"] = self.route_code
        if isinstance(body, dict):
            return {**body, "session": self._session, "madonvi": self.unit_code}
        return body

    def invalidate(self) -> None:
        self._session = None


@attrs.define
class OAuth2ClientCredentials:
    """OAuth2 client credentials (OC-LGSP): Bearer token, refreshed ``margin`` before expiry.

    Args:
        clock: Tells the time (aware).
    """

    client_id: str
    client_secret: str = attrs.field(repr=False)
    clock: Callable[[], dt.datetime]
    token_path: str = "/token"  # noqa: S105 - a path, not a secret
    margin: dt.timedelta = dt.timedelta(seconds=60)
    _token: str | None = attrs.field(default=None, init=False, repr=False)
    _expires: dt.datetime | None = attrs.field(default=None, init=False)
    fetched: int = attrs.field(default=0, init=False)

    def apply(self, client: httpx.Client, body: Any, headers: dict[str, str]) -> Any:
        now = self.clock()
        if self._token is None or self._expires is None or now >= self._expires - self.margin:
            answer = _post_json(
                client,
                self.token_path,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
            )
            if "access_token" not in answer:
                raise PortalUnreachable("token endpoint gave no access_token")
            self._token = str(answer["access_token"])
            self._expires = now + dt.timedelta(seconds=int(answer.get("expires_in", 300)))
            self.fetched += 1
        headers["Authorization"] = f"Bearer {self._token}"
        return body

    def invalidate(self) -> None:
        self._token = None


@attrs.frozen
class AccessKey:
    """HCM LGSP style: the unit's AppName and AccessKey on every call (HCM-LGSP id/397).

    Header names are configuration: the pages name the credentials, not the headers.
    """

    app_name: str
    access_key: str = attrs.field(repr=False)
    app_header: str = "AppName"
    key_header: str = "AccessKey"

    def apply(self, client: httpx.Client, body: Any, headers: dict[str, str]) -> Any:
        headers[self.app_header] = self.app_name
        headers[self.key_header] = self.access_key
        return body

    def invalidate(self) -> None:
        return None
