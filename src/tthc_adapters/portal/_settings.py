"""The national-portal target's configuration, read from the environment (never from code).

Switched on by ``TTHC_PORTAL_URL``. Everything reference ``dvcqg-sync.md`` §16
says public sources cannot settle (endpoint URLs, credentials, who issues
them, the routing code's meaning) is a variable with no default:

==============================  ===============================================
``TTHC_PORTAL_URL``             base URL (HTTPS, TLS always verified; plain
                                ``http://127.0.0.1:PORT`` only for a local fake)
``TTHC_PORTAL_PROFILE``         ``url`` (``dvcqg-url-2024``, default) or ``rpc``
                                (``dvcqg-rpc-2020``)
``TTHC_PORTAL_AUTH``            ``session`` (RPC login), ``oauth2`` (client
                                credentials) or ``access-key`` (HCM LGSP style);
                                default ``session`` for ``rpc``, ``oauth2`` for ``url``
``TTHC_PORTAL_PROVINCE``        the province group codes must carry (``H15``)
``TTHC_PORTAL_PROVINCE_AGENCY`` the agency alternate national codes are minted
                                under (``000.00.00.H15``)
``TTHC_PORTAL_TARGET``          the target's name in the ledger (``dvcqg``)
``TTHC_PORTAL_USERNAME``,       ``session``: login, ``madonvi``, ``dstcode``
``TTHC_PORTAL_PASSWORD``,
``TTHC_PORTAL_UNIT_CODE``,
``TTHC_PORTAL_ROUTE_CODE``
``TTHC_PORTAL_CLIENT_ID``,      ``oauth2``
``TTHC_PORTAL_CLIENT_SECRET``
``TTHC_PORTAL_APP_NAME``,       ``access-key``
``TTHC_PORTAL_ACCESS_KEY``
``TTHC_PORTAL_CA_BUNDLE``       a CA file to verify the portal with (default: the system's)
``TTHC_PORTAL_INBOUND``         ``off`` to not fetch dossiers submitted on the portal
``TTHC_PORTAL_INTERVAL``        seconds between sync runs (20, OpenCPS's period, §10)
``TTHC_PORTAL_PULL_INTERVAL``   seconds between inbound fetches (600, DVCLT's, §10)
==============================  ===============================================

Each secret (``*_PASSWORD``, ``*_CLIENT_SECRET``, ``*_ACCESS_KEY``) may instead
be given as ``<NAME>_FILE``, a file holding it (container secrets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from tthc_adapters.portal._auth import (
    AccessKey,
    Auth,
    OAuth2ClientCredentials,
    SessionLogin,
    TransportConfig,
)
from tthc_adapters.portal._client import HttpNationalPortal
from tthc_adapters.portal._profiles import RpcProfile, UrlProfile
from tthc_core.errors import InvalidInput

__all__ = ["PortalSettings"]

_P = "TTHC_PORTAL_"
_AUTH_KEYS = {
    "session": ("USERNAME", "PASSWORD", "UNIT_CODE", "ROUTE_CODE"),
    "oauth2": ("CLIENT_ID", "CLIENT_SECRET"),
    "access-key": ("APP_NAME", "ACCESS_KEY"),
}
_SECRETS = frozenset({"PASSWORD", "CLIENT_SECRET", "ACCESS_KEY"})
_LOOPBACK = ("http://127.0.0.1:", "http://localhost:")


def _value(environ: Mapping[str, str], key: str) -> str:
    name = _P + key
    direct = environ.get(name, "")
    file = environ.get(name + "_FILE", "")
    if key not in _SECRETS or not file:
        return direct
    if direct:
        raise InvalidInput(f"set {name} or {name}_FILE, not both")
    try:
        return Path(file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InvalidInput(f"{name}_FILE: cannot read {file}: {exc.strerror}") from None


def _seconds(environ: Mapping[str, str], key: str, default: float) -> float:
    raw = environ.get(_P + key, "")
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise InvalidInput(f"{_P}{key} must be a number of seconds, got {raw!r}") from None
    if not 0.05 <= value <= 86_400:
        raise InvalidInput(f"{_P}{key} must be between 0.05 and 86400 seconds, got {raw!r}")
    return value


@attrs.frozen
class PortalSettings:
    """One portal target (see the module docstring for the variables).

    Args:
        credentials: The auth kind's values, by variable suffix (``USERNAME``...).
    """

    base_url: str
    profile: str
    auth: str
    province: str
    province_agency: str
    credentials: Mapping[str, str] = attrs.field(repr=False)
    target: str = "dvcqg"
    ca_bundle: str | None = None
    inbound: bool = True
    interval: float = 20.0
    pull_interval: float = 600.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> PortalSettings | None:
        """The target ``TTHC_PORTAL_*`` configure, or ``None`` when ``TTHC_PORTAL_URL`` is unset.

        Raises:
            InvalidInput: If a variable is missing or wrong (the message names it).
        """
        base = environ.get(_P + "URL", "")
        if not base:
            return None
        if not base.startswith(("https://", *_LOOPBACK)):
            raise InvalidInput(
                f"{_P}URL must be an https:// URL (plain http only to a fake on 127.0.0.1)"
            )
        profile = environ.get(_P + "PROFILE", "url")
        if profile not in ("rpc", "url"):
            raise InvalidInput(f"{_P}PROFILE must be rpc or url, got {profile!r}")
        auth = environ.get(_P + "AUTH", "session" if profile == "rpc" else "oauth2")
        if auth not in _AUTH_KEYS:
            raise InvalidInput(f"{_P}AUTH must be one of {', '.join(_AUTH_KEYS)}, got {auth!r}")
        credentials = {key: _value(environ, key) for key in _AUTH_KEYS[auth]}
        required = {"PROVINCE": "", "PROVINCE_AGENCY": ""} | credentials
        values = {key: environ.get(_P + key, "") for key in ("PROVINCE", "PROVINCE_AGENCY")}
        if missing := [_P + k for k in required if not (values.get(k) or credentials.get(k))]:
            raise InvalidInput(f"portal target half configured: set {', '.join(missing)} too")
        inbound = environ.get(_P + "INBOUND", "on").lower()
        if inbound not in ("on", "off"):
            raise InvalidInput(f"{_P}INBOUND must be on or off, got {inbound!r}")
        return cls(
            base_url=base,
            profile=profile,
            auth=auth,
            province=values["PROVINCE"],
            province_agency=values["PROVINCE_AGENCY"],
            credentials=credentials,
            target=environ.get(_P + "TARGET", "dvcqg"),
            ca_bundle=environ.get(_P + "CA_BUNDLE") or None,
            inbound=inbound == "on",
            interval=_seconds(environ, "INTERVAL", 20.0),
            pull_interval=_seconds(environ, "PULL_INTERVAL", 600.0),
        )

    def _auth(self, clock: Callable[[], dt.datetime]) -> Auth:
        c = self.credentials
        if self.auth == "session":
            return SessionLogin(c["USERNAME"], c["PASSWORD"], c["UNIT_CODE"], c["ROUTE_CODE"])
        if self.auth == "oauth2":
            return OAuth2ClientCredentials(c["CLIENT_ID"], c["CLIENT_SECRET"], clock=clock)
        return AccessKey(c["APP_NAME"], c["ACCESS_KEY"])

    def client(
        self, clock: Callable[[], dt.datetime], *, transport: object = None
    ) -> HttpNationalPortal:
        """The HTTP adapter of this target (``transport``: an httpx transport, for tests)."""
        config = TransportConfig(self.base_url, verify=self.ca_bundle or True)
        return HttpNationalPortal(
            RpcProfile() if self.profile == "rpc" else UrlProfile(),
            self._auth(clock),
            config,
            transport=transport,  # type: ignore[arg-type]
        )
