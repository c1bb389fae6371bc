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
* every request first takes a token from the shared :mod:`._limiter` (at
  most 4,000 a minute across all processes); ``-32`` (over Zalo's count
  anyway): the limiter pauses every sender and :class:`RateLimited` is
  raised — the outbox retries later with its back-off.
* ``-230`` / ``-232`` (outside the 7-day window) and ``-213`` (not a
  follower): :class:`Unreachable`, an :class:`~tthc_core.storage.Undeliverable`
  — :class:`~._sender.ZaloSender` falls back to ZNS by phone, or the outbox
  parks the message for staff at once. ZNS (§4): ``-124`` is a token error;
  ``-108`` (phone invalid), ``-114``/``-119`` (cannot receive), ``-118`` (no
  Zalo account), ``-139``/``-141`` (refused) are :class:`Unreachable`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from tthc_adapters.zalo._limiter import RateLimiter
from tthc_adapters.zalo._tokens import TokenPair, TokenStore
from tthc_core.errors import TthcError
from tthc_core.party import normalise_phone
from tthc_core.storage import Clock, Undeliverable
from tthc_core.text import nfc

__all__ = [
    "MAX_TEXT",
    "OaClient",
    "RateLimited",
    "TokenRefreshFailed",
    "Unreachable",
    "ZaloApiError",
    "ZaloApiSettings",
    "tracking_id_of",
]

logger = logging.getLogger("tthc.zalo")

#: The longest cs text (characters, NFC; reference §1.5).
MAX_TEXT = 2000
TOKEN_ERRORS = frozenset({-216, -220, -124})
RATE_LIMITED = -32
WINDOW_ERRORS = frozenset({-230, -232, -213})
ZNS_UNREACHABLE = frozenset({-108, -114, -118, -119, -139, -141})
#: The longest ZNS ``tracking_id`` (reference §4).
MAX_TRACKING_ID = 48
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
        zns_base: The ZNS host (``https://business.openapi.zalo.me``).
        zns_mode: ``"development"`` sends ZNS to the app's admins only (§4); ``""`` for real.
    """

    app_id: str
    app_secret: str = attrs.field(repr=False)
    oa_base: str = "https://openapi.zalo.me"
    oauth_base: str = "https://oauth.zaloapp.com"
    timeout: float = 10.0
    zns_base: str = "https://business.openapi.zalo.me"
    zns_mode: str = ""


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
        self.message = message


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
        limiter: The send rate shared by every process (``None``: not limited).
    """

    def __init__(
        self,
        settings: ZaloApiSettings,
        tokens: TokenStore,
        *,
        clock: Clock,
        http: httpx.Client | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.settings = settings
        self._tokens = tokens
        self._clock = clock
        self._limiter = limiter
        self._pair: TokenPair | None = None
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
        """The access token: the one this client last used while it is fresh, else the stored one.

        Kept in memory so a send costs no database read; another process's
        refresh shows up as ``-216``/``-220``, after which :meth:`call`
        rotates through the store (which hands back the other process's pair).
        """
        pair = self._pair
        if pair is None or self._clock() >= pair.expires_at - EXPIRY_MARGIN:
            pair = self._tokens.current()
            if self._clock() >= pair.expires_at - EXPIRY_MARGIN:
                pair = self._tokens.rotate(pair.access_token, self.refresh)
            self._pair = pair
        return pair.access_token

    def _request(
        self, token: str, url: str, body: Mapping[str, Any], get: bool
    ) -> Mapping[str, Any]:
        if self._limiter is not None:
            self._limiter.acquire()
        headers = {"access_token": token}
        if get:  # GET takes one query parameter ``data``, a JSON object (§1.2)
            params = {"data": json.dumps(body, ensure_ascii=False)}
            return _envelope(self._http.get(url, params=params, headers=headers))
        return _envelope(self._http.post(url, json=body, headers=headers))

    def call(
        self,
        path: str,
        body: Mapping[str, Any],
        *,
        base: str | None = None,
        get: bool = False,
        unreachable: frozenset[int] = WINDOW_ERRORS,
    ) -> Mapping[str, Any]:
        """POST ``body`` to ``path`` (or GET with ``data=body``); the envelope's ``data``.

        Args:
            path: The endpoint's path.
            body: The JSON body (the ``data`` parameter of a GET).
            base: The host (default: the OA host).
            get: Send a GET.
            unreachable: The codes that mean "this recipient cannot get it".

        Raises:
            RateLimited: ``-32`` (every sender pauses).
            Unreachable: A code in ``unreachable``.
            TokenRefreshFailed: If the token needed a refresh that failed.
            ZaloApiError: Any other error.
            httpx.HTTPError: The network failed (retry later).
        """
        url = f"{base or self.settings.oa_base}{path}"
        token = self._token()
        answer = self._request(token, url, body, get)
        if answer.get("error") in TOKEN_ERRORS:
            self._pair = self._tokens.rotate(token, self.refresh)
            answer = self._request(self._pair.access_token, url, body, get)
        code = answer.get("error")
        if code == 0:
            data = answer.get("data")
            return data if isinstance(data, Mapping) else {}
        message = str(answer.get("message", ""))
        if not isinstance(code, int):
            raise ZaloApiError(0, "the answer has no 'error' code")
        if code == RATE_LIMITED:
            if self._limiter is not None:
                self._limiter.back_off()
            raise RateLimited(code, message)
        if code in unreachable:
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
        return self.send_message(user_id, {"text": text})

    def send_message(self, user_id: str, message: Mapping[str, Any]) -> str:
        """Send a consultation (cs) message body (text, or text with buttons); the message id.

        Raises:
            ZaloApiError: ... (:meth:`call`).
        """
        body = {"recipient": {"user_id": user_id}, "message": dict(message)}
        return str(self.call("/v3.0/oa/message/cs", body).get("message_id", ""))

    def send_zns(
        self, phone: str, template_id: str, data: Mapping[str, str], *, tracking_id: str
    ) -> str:
        """Send an approved ZNS template by phone (§4); Zalo's ``msg_id``.

        The phone goes out as ``84…``; ``tracking_id`` (our idempotency key)
        is echoed in the delivery event — a key over 48 characters is sent
        as its digest (:func:`tracking_id_of`).

        Raises:
            InvalidInput: The phone is not a Vietnamese number.
            ZaloApiError: ... (:meth:`call`); ZNS's "cannot receive" codes are :class:`Unreachable`.
        """
        national = normalise_phone(phone)
        body: dict[str, Any] = {
            "phone": "84" + national[1:],
            "template_id": template_id,
            "template_data": dict(data),
            "tracking_id": tracking_id_of(tracking_id),
        }
        if self.settings.zns_mode:
            body["mode"] = self.settings.zns_mode
        answer = self.call(
            "/message/template",
            body,
            base=self.settings.zns_base,
            unreachable=ZNS_UNREACHABLE,
        )
        return str(answer.get("msg_id", ""))

    # -- articles and followers (§1.6) ------------------------------------

    def create_article(self, title: str, author: str, description: str, text: str) -> str:
        """Create a shown article (asynchronous at Zalo); the token for :meth:`verify_article`."""
        body = {
            "type": "normal",
            "title": nfc(title),
            "author": nfc(author),
            "description": nfc(description),
            "body": [{"type": "text", "content": nfc(text)}],
            "status": "show",
            "comment": "show",
        }
        return str(self.call("/v2.0/article/create", body).get("token", ""))

    def verify_article(self, token: str) -> str:
        """The article id of a created article (raises while Zalo is still processing it)."""
        return str(self.call("/v2.0/article/verify", {"token": token}).get("id", ""))

    def broadcast(self, article_id: str) -> str:
        """Broadcast an article to every follower (``recipient.target`` empty); the message id."""
        element = {"media_type": "article", "attachment_id": article_id}
        body = {
            "recipient": {"target": {}},
            "message": {
                "attachment": {
                    "type": "template",
                    "payload": {"template_type": "media", "elements": [element]},
                }
            },
        }
        return str(self.call("/v2.0/oa/message", body).get("message_id", ""))

    def follower_total(self) -> int:
        """How many users follow the OA (``user/getlist``'s ``total``)."""
        data = self.call(
            "/v3.0/oa/user/getlist", {"offset": 0, "count": 1, "is_follower": "true"}, get=True
        )
        return int(data.get("total", 0))

    def article_views(self, article_id: str) -> int:
        """An article's view count (``article/getdetail``'s ``total_view``; [I], docs/zalo.md)."""
        data = self.call("/v2.0/article/getdetail", {"id": article_id}, get=True)
        return int(data.get("total_view", 0))


def tracking_id_of(key: str) -> str:
    """The ZNS ``tracking_id`` of an outbox key: itself, or ``h`` + 47 hex of its SHA-256."""
    if len(key) <= MAX_TRACKING_ID:
        return key
    return "h" + hashlib.sha256(key.encode("utf-8")).hexdigest()[: MAX_TRACKING_ID - 1]
