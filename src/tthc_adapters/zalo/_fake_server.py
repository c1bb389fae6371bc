"""A fake Zalo platform on 127.0.0.1 (an ASGI app under uvicorn), for tests and the demo.

It speaks the documented wire (reference zalo-oa.md §1–§3): OAuth v4
refresh (``POST /v4/oa/access_token``, form body, ``secret_key`` header, flat
answer, single-use refresh tokens), the cs send (``POST
/v3.0/oa/message/cs``, token in the ``access_token`` header, envelopes with
errors in HTTP 200), and hosts photos (``GET /photos/<name>``). Rules it
enforces: an unknown token → ``-216``; an expired one → ``-220``; a spent
refresh token → an OAuth error; the 7-day window → ``-230`` for users who
have not written (through :meth:`FakeZaloServer.post_event`) within 7 days;
``rate_limit_next`` answers ``-32``. :meth:`FakeZaloServer.post_event`
signs an event (the documented variant) and POSTs it to our webhook.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

import attrs
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.zalo._signature import SIGNATURE_HEADER, mac
from tthc_adapters.zalo._tokens import TokenPair

__all__ = ["FakeZaloServer", "SentMessage"]

WINDOW = dt.timedelta(days=7)
TOKEN_LIFETIME = dt.timedelta(hours=25)


@attrs.frozen
class SentMessage:
    """A cs message the fake accepted."""

    user_id: str
    text: str
    message_id: str
    buttons: tuple[str, ...] = ()  # the ``oa.query.show`` payloads a tap sends back


def _buttons(message: Mapping[str, Any]) -> tuple[str, ...]:
    """The payloads of a cs message's ``oa.query.show`` buttons (at most 5, §1.5)."""
    attachment = message.get("attachment")
    if attachment is None:
        return ()
    actions = attachment["payload"]["buttons"]
    if not isinstance(actions, list) or not 1 <= len(actions) <= 5:
        raise ValueError("buttons must be a list of 1 to 5 actions")
    if any(a["type"] != "oa.query.show" or not str(a["title"]).strip() for a in actions):
        raise ValueError("only titled oa.query.show buttons are faked")
    return tuple(str(a["payload"]) for a in actions)


def _error(code: int, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message})


class FakeZaloServer:
    """The fake platform (a context manager: serves while open).

    Args:
        app_id: The app id.
        oa_id: The OA id.
        oa_secret: The OA Secret Key (signs webhooks).
        app_secret: The App Secret (OAuth ``secret_key``).
        clock: The platform's clock (token expiry, the 7-day window, event timestamps).
    """

    def __init__(
        self,
        *,
        app_id: str = "360846524940903967",
        oa_id: str = "388613280878808645",
        oa_secret: str = "oa-secret-key",  # noqa: S107 - a fake's fixture value
        app_secret: str = "app-secret",  # noqa: S107 - a fake's fixture value
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.app_id, self.oa_id = app_id, oa_id
        self.oa_secret, self.app_secret = oa_secret, app_secret
        self.clock = clock
        self.sent: list[SentMessage] = []
        self.refreshes = 0
        self.rate_limit_next = 0
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._access: dict[str, dt.datetime] = {}
        self._refresh: set[str] = set()
        self._last_seen: dict[str, dt.datetime] = {}
        self._photos: dict[str, tuple[bytes, str]] = {}
        app = Starlette(
            routes=[
                Route("/v4/oa/access_token", self._token, methods=["POST"]),
                Route("/v3.0/oa/message/cs", self._send_cs, methods=["POST"]),
                Route("/photos/{name}", self._photo, methods=["GET"]),
            ]
        )
        self._served = LoopbackServer(app)

    def __enter__(self) -> FakeZaloServer:
        self._served.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._served.__exit__(*exc)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` (both the OA and the OAuth host)."""
        return self._served.url

    # -- tokens -------------------------------------------------------------

    def grant(self) -> TokenPair:
        """A fresh pair, as the console's API Explorer mints for an admin (§1.2)."""
        with self._lock:
            return self._issue()

    def _issue(self) -> TokenPair:
        n = next(self._ids)
        access, refresh = f"access-{n}", f"refresh-{n}"
        expires = self.clock() + TOKEN_LIFETIME
        self._access[access] = expires
        self._refresh.add(refresh)
        return TokenPair(access, refresh, expires)

    def expire_access_tokens(self) -> None:
        """Every issued access token expires now (answers ``-220``)."""
        with self._lock:
            now = self.clock()
            self._access = dict.fromkeys(self._access, now)

    async def _token(self, request: Request) -> Response:
        # Parsed by hand: Starlette's form parser needs python-multipart.
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8")).items()}
        if request.headers.get("secret_key") != self.app_secret:
            return JSONResponse({"error": -14001, "error_name": "Invalid secret key"})
        refresh = str(form.get("refresh_token", ""))
        if form.get("grant_type") != "refresh_token" or form.get("app_id") != self.app_id:
            return JSONResponse({"error": -14002, "error_name": "Invalid request"})
        with self._lock:
            if refresh not in self._refresh:
                return JSONResponse({"error": -14014, "error_name": "Invalid refresh token"})
            self._refresh.discard(refresh)  # single use
            self.refreshes += 1
            pair = self._issue()
        body = {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "expires_in": str(int(TOKEN_LIFETIME.total_seconds())),
        }
        return JSONResponse(body)

    # -- messages -----------------------------------------------------------

    async def _send_cs(self, request: Request) -> Response:  # noqa: PLR0911 - one per rule
        token = request.headers.get("access_token", "")
        try:
            body = json.loads(await request.body())
            user_id = str(body["recipient"]["user_id"])
            text = str(body["message"]["text"])
            buttons = _buttons(body["message"])
        except (ValueError, KeyError, TypeError):
            return _error(-201, "body is invalid!")
        with self._lock:
            expires = self._access.get(token)
            now = self.clock()
            if expires is None:
                return _error(-216, "Access token is invalid")
            if now >= expires:
                return _error(-220, "access_token is expired or removed")
            if self.rate_limit_next > 0:
                self.rate_limit_next -= 1
                return _error(-32, "Your application reached limit call api")
            seen = self._last_seen.get(user_id)
            if seen is None or now - seen > WINDOW:
                return _error(-230, "User has not interacted with the OA in the past 7 days")
            if len(text) > 2000:
                return _error(-201, "text is invalid!")
            sent = SentMessage(user_id, text, f"msg-{next(self._ids)}", buttons)
            self.sent.append(sent)
        data = {"message_id": sent.message_id, "user_id": user_id, "sent_time": "0"}
        return JSONResponse({"data": data, "error": 0, "message": "Success"})

    # -- photos -------------------------------------------------------------

    def host_photo(self, data: bytes, content_type: str = "image/jpeg") -> str:
        """Serve ``data`` at a new URL (as Zalo's CDN serves a user's photo)."""
        name = f"p{next(self._ids)}.jpg"
        self._photos[name] = (data, content_type)
        return f"{self.base_url}/photos/{name}"

    async def _photo(self, request: Request) -> Response:
        found = self._photos.get(request.path_params["name"])
        if found is None:
            return Response(status_code=404)
        return Response(found[0], media_type=found[1])

    # -- webhooks -----------------------------------------------------------

    def event(self, name: str, user_id: str, **fields: Any) -> dict[str, Any]:
        """An event body from ``user_id`` (string ids and millisecond timestamps, §2.3)."""
        stamp = str(int(self.clock().timestamp() * 1000))
        body: dict[str, Any] = {"app_id": self.app_id, "event_name": name, "timestamp": stamp}
        if name in ("follow", "unfollow"):
            body |= {"oa_id": self.oa_id, "follower": {"id": user_id}, "source": "oa_profile"}
        else:
            body |= {"sender": {"id": user_id}, "recipient": {"id": self.oa_id}}
        return body | fields

    def sign(self, raw: bytes, stamp: str) -> str:
        """The ``X-ZEvent-Signature`` value of a body (documented variant)."""
        return f"mac={mac(self.app_id, raw, stamp, self.oa_secret)}"

    def post_event(
        self, url: str, body: Mapping[str, Any], *, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """Sign ``body`` and POST it to ``url``; a user event opens that user's 7-day window."""
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        sent = {
            "content-type": "application/json",
            SIGNATURE_HEADER: self.sign(raw, str(body.get("timestamp", ""))),
            **(headers or {}),
        }
        user = body.get("sender", body.get("follower", {}))
        if isinstance(user, Mapping) and "id" in user and body.get("event_name") != "unfollow":
            with self._lock:
                self._last_seen[str(user["id"])] = self.clock()
        return httpx.post(url, content=raw, headers=sent, timeout=10)
