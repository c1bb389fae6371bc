"""The HTTP adapter of :class:`~tthc_core.portal.NationalPortal` and :class:`InboundDossierSource`.

One profile (the wire shapes) times one :class:`Auth` (the credentials) over
one :class:`TransportConfig`. Every call answers a raw
:class:`~tthc_core.portal.PortalReply`; the core classifies it. No answer at
all (timeout, connection) raises :class:`~tthc_core.portal.PortalUnreachable`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from tthc_adapters.portal._auth import Auth, TransportConfig
from tthc_adapters.portal._fields import read_error_code
from tthc_adapters.portal._profiles import Profile, Request, read_inbound, read_view
from tthc_core.errors import InvalidInput
from tthc_core.portal import (
    Action,
    DossierSnapshot,
    FeeLine,
    InboundDossier,
    PortalReply,
    PortalUnreachable,
    ProgressRow,
    RemoteView,
    classify,
)

__all__ = ["HttpNationalPortal"]


class HttpNationalPortal:
    """The national portal over HTTPS in one profile.

    Args:
        profile: The wire shapes.
        auth: The credentials.
        config: Base URL, timeouts, TLS.
        transport: An httpx transport (tests).
    """

    def __init__(
        self,
        profile: Profile,
        auth: Auth,
        config: TransportConfig,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.profile = profile
        self._auth = auth
        self._client = config.client(transport)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def _post(self, request: Request) -> tuple[int, dict[str, Any]]:
        headers: dict[str, str] = {}
        body = self._auth.apply(self._client, request.body, headers)
        try:
            answer = self._client.post(request.path, json=body, headers=headers)
        except httpx.TransportError as exc:
            raise PortalUnreachable(f"{request.path}: no answer ({type(exc).__name__})") from exc
        try:
            parsed = answer.json()
        except ValueError:
            parsed = {}
        return answer.status_code, parsed if isinstance(parsed, dict) else {}

    def _reply(self, request: Request) -> PortalReply:
        status, body = self._post(request)
        return self._read(status, body)

    @staticmethod
    def _read(status: int, body: dict[str, Any]) -> PortalReply:
        try:
            code = read_error_code(body.get("error_code"))
        except InvalidInput as exc:
            return PortalReply(http_status=status, error_code=None, message=exc.reason)
        return PortalReply(
            http_status=status, error_code=code, message=str(body.get("message", ""))
        )

    def upsert(self, snapshot: DossierSnapshot, *, update: bool) -> PortalReply:
        return self._reply(self.profile.upsert(snapshot, update=update))

    def append_progress(self, code: str, rows: Sequence[ProgressRow]) -> PortalReply:
        return self._reply(self.profile.progress(code, rows))

    def _query(self, request: Request) -> tuple[int, dict[str, Any]]:
        # Look-ups are safe to repeat: re-log in once when the session is refused.
        status, body = self._post(request)
        if status == 401 or (
            status == 200 and classify(self._read(status, body))[0] is Action.RELOGIN
        ):
            self._auth.invalidate()
            status, body = self._post(request)
        return status, body

    def lookup(self, code: str) -> RemoteView | None:
        status, body = self._query(self.profile.lookup(code))
        if status != 200 or read_error_code(body.get("error_code")) != 0:
            raise PortalUnreachable(f"lookup of {code} failed: HTTP {status} {body.get('message')}")
        return read_view(body)

    def report_payment(self, code: str, fees: Sequence[FeeLine]) -> PortalReply:
        return self._reply(self.profile.payment(code, fees))

    def relogin(self) -> None:
        self._auth.invalidate()

    def fetch_new(self, since: str | None) -> tuple[list[InboundDossier], str | None]:
        status, body = self._query(self.profile.inbound(since))
        if status != 200 or read_error_code(body.get("error_code")) != 0:
            raise PortalUnreachable(f"inbound list failed: HTTP {status}")
        return read_inbound(body)

    def acknowledge(self, national_code: str) -> PortalReply:
        return self._reply(self.profile.acknowledge(national_code))
