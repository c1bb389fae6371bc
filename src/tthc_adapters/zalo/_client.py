"""The OA Open API client (httpx): envelopes, tokens, and the error policy.

Wire facts (reference zalo-oa.md §1): the access token travels in a bare
``access_token`` header; POST bodies are JSON; every answer is an envelope
``{"error": 0, "message": "Success", "data": {...}}`` and errors come **with
HTTP 200** as a negative ``error`` (§1.3). OAuth v4 refreshes with a form
POST to ``/v4/oa/access_token`` with the App Secret in a ``secret_key``
header; the answer is flat and ``expires_in`` is a string (§1.2).

Policy (§1.7, §3):

* ``-216`` / ``-220`` (token invalid / expired): one refresh through the
  :class:`~tthc_adapters.zalo._tokens.TokenStore` (serialised, saved before
  use), then one retry; a refresh that fails raises :class:`TokenRefreshFailed`
  and is logged as an alert — an admin must grant the app again; never a loop.
* ``-32`` (4,000 requests/minute exceeded): :class:`RateLimited` — the outbox
  retries later with its back-off.
* ``-230`` / ``-232`` (outside the 7-day window) and ``-213`` (not a
  follower): :class:`Unreachable`, an :class:`~tthc_core.storage.Undeliverable`
  — the outbox parks the message for staff at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from tthc_adapters.zalo._render import cs_message, reply_of
from tthc_adapters.zalo._tokens import TokenPair, TokenStore
from tthc_core.conversation import Text
from tthc_core.errors import TthcError
from tthc_core.storage import Clock, OutboundMessage, Undeliverable
from tthc_core.text import nfc

__all__ = [
    "MAX_TEXT",
    "OaClient",
    "RateLimited",
    "TokenRefreshFailed",
    "Unreachable",
    "ZaloApiError",
    "ZaloApiSettings",
    "ZaloSender",
]

logger = logging.getLogger("tthc.zalo")

#: The longest cs text (characters, NFC; reference §1.5).
MAX_TEXT = 2000
TOKEN_ERRORS = frozenset({-216, -220})
RATE_LIMITED = -32
WINDOW_ERRORS = frozenset({-230, -232, -213})
#: Refresh this long before the access token's stated expiry.
EXPIRY_MARGIN = dt.timedelta(minutes=5)


@attrs.frozen
class ZaloApiSettings:
    """Where the OA API and OAuth live, and the app's credentials.

    Args:
        app_id: The app id.
        app_secret: The App Secret (OAuth ``secret_key`` header).
        oa_base: The OA REST host (``https://openapi.zalo.me``).
        oauth_base: The OAuth host (``https://oauth.zaloapp.com``).
        timeout: Seconds per request.
    """

    app_id: str
    app_secret: str = attrs.field(repr=False)
    oa_base: str = "https://openapi.zalo.me"
    oauth_base: str = "https://oauth.zaloapp.com"
    timeout: float = 10.0


class ZaloApiError(TthcError):
    """A negative ``error`` in a Zalo envelope (or an answer that is not one)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo API error {code}: {message}")
        self.code = code
        self.message = message


class RateLimited(ZaloApiError):  # noqa: N818 - reads best at call sites
    """``-32``: the app's request rate is exceeded; retry later."""


class TokenRefreshFailed(TthcError):  # noqa: N818 - reads best at call sites
    """The refresh token was refused: an admin must grant the app again (an alert)."""


class Unreachable(Undeliverable):
    """The user cannot get a cs message now (outside the 7-day window, or not a follower)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo API error {code}: {message} (parked for staff)")
        self.code = code


def _envelope(response: httpx.Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise ZaloApiError(0, f"HTTP {response.status_code}, not JSON") from None
    if response.status_code >= 500:
        raise ZaloApiError(0, f"HTTP {response.status_code}")
    if not isinstance(body, Mapping):
        raise ZaloApiError(0, "the answer is not a JSON object")
    return body


class OaClient:
    """Calls the OA API with the stored token, refreshing it once when Zalo says so.

    Args:
        settings: Hosts and credentials.
        tokens: The token pair's store.
        clock: Tells the time (token expiry).
        http: An httpx client (one is made if ``None``; closed by :meth:`close`).
    """

    def __init__(
        self,
        settings: ZaloApiSettings,
        tokens: TokenStore,
        *,
        clock: Clock,
        http: httpx.Client | None = None,
    ) -> None:
        self.settings = settings
        self._tokens = tokens
        self._clock = clock
        self._http = http or httpx.Client(timeout=settings.timeout, follow_redirects=False)

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()

    def refresh(self, pair: TokenPair) -> TokenPair:
        """Spend ``pair``'s refresh token for a new pair (called under the store's lock).

        Raises:
            TokenRefreshFailed: If Zalo refuses (logged as an alert).
        """
        try:
            response = self._http.post(
                f"{self.settings.oauth_base}/v4/oa/access_token",
                data={
                    "refresh_token": pair.refresh_token,
                    "app_id": self.settings.app_id,
                    "grant_type": "refresh_token",
                },
                headers={"secret_key": self.settings.app_secret},
            )
            body = _envelope(response)
            fresh = TokenPair(
                str(body["access_token"]),
                str(body["refresh_token"]),
                self._clock() + dt.timedelta(seconds=int(body.get("expires_in", 90000))),
            )
        except (httpx.HTTPError, ZaloApiError, KeyError, ValueError, TypeError) as exc:
            logger.error("ALERT: the Zalo token refresh failed; grant the app again: %r", exc)
            raise TokenRefreshFailed(f"the Zalo token refresh failed: {exc!r}") from exc
        return fresh

    def _token(self) -> str:
        pair = self._tokens.current()
        if self._clock() >= pair.expires_at - EXPIRY_MARGIN:
            pair = self._tokens.rotate(pair.access_token, self.refresh)
        return pair.access_token

    def _post(self, token: str, path: str, body: Mapping[str, Any]) -> Mapping[str, Any]:
        response = self._http.post(
            f"{self.settings.oa_base}{path}", json=body, headers={"access_token": token}
        )
        return _envelope(response)

    def call(self, path: str, body: Mapping[str, Any]) -> Mapping[str, Any]:
        """POST ``body`` to ``path``; the envelope's ``data``.

        Raises:
            RateLimited: ``-32``.
            Unreachable: ``-230``, ``-232``, ``-213``.
            TokenRefreshFailed: If the token needed a refresh that failed.
            ZaloApiError: Any other error.
            httpx.HTTPError: The network failed (retry later).
        """
        token = self._token()
        answer = self._post(token, path, body)
        if answer.get("error") in TOKEN_ERRORS:
            token = self._tokens.rotate(token, self.refresh).access_token
            answer = self._post(token, path, body)
        code = answer.get("error")
        if code == 0:
            data = answer.get("data")
            return data if isinstance(data, Mapping) else {}
        message = str(answer.get("message", ""))
        if not isinstance(code, int):
            raise ZaloApiError(0, "the answer has no 'error' code")
        if code == RATE_LIMITED:
            raise RateLimited(code, message)
        if code in WINDOW_ERRORS:
            raise Unreachable(code, message)
        raise ZaloApiError(code, message)

    def send_text(self, user_id: str, text: str) -> str:
        """Send a consultation (cs) text; the message id.

        Raises:
            ZaloApiError: ... (:meth:`call`); also if the text is over 2,000 characters.
        """
        text = nfc(text)
        if len(text) > MAX_TEXT:
            raise ZaloApiError(-201, f"the text has {len(text)} characters; at most {MAX_TEXT}")
        data = self.call(
            "/v3.0/oa/message/cs", {"recipient": {"user_id": user_id}, "message": {"text": text}}
        )
        return str(data.get("message_id", ""))


class ZaloSender:
    """The outbox's sender for channel ``"zalo"`` (``Dispatcher(channels={"zalo": ...})``).

    The cs endpoint has no ``tracking_id`` (only ZNS by phone has one,
    reference §4); a message redelivered after a lost acknowledgement may
    therefore reach the citizen twice — the outbox's idempotency key stops
    everything short of that.
    """

    def __init__(self, client: OaClient, *, buttons: bool = True) -> None:
        self._client = client
        self._buttons = buttons

    def __call__(self, message: OutboundMessage) -> None:
        """Send one outbox chat message (its channel-neutral reply, rendered; :mod:`._render`)."""
        payload = message.payload
        reply = reply_of(payload)
        if isinstance(reply, Text):
            self._client.send_text(str(payload["user_id"]), reply.text)
            return
        body = {
            "recipient": {"user_id": str(payload["user_id"])},
            "message": cs_message(reply, buttons=self._buttons),
        }
        self._client.call("/v3.0/oa/message/cs", body)
