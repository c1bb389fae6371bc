"""A fake Zalo platform on 127.0.0.1 (an ASGI app under uvicorn), for tests and the demo.

It speaks the documented wire (reference zalo-oa.md §1–§3): OAuth v4
refresh (``POST /v4/oa/access_token``, form body, ``secret_key`` header, flat
answer, single-use refresh tokens), the cs send (``POST
/v3.0/oa/message/cs``, token in the ``access_token`` header, envelopes with
errors in HTTP 200), ZNS by phone (``POST /message/template``), articles
(``/v2.0/article/create|verify|getdetail``), broadcasts (``POST
/v2.0/oa/message``), the follower list (``GET /v3.0/oa/user/getlist``),
and hosts photos (``GET /photos/<name>``). Rules it enforces: an unknown
token → ``-216``; an expired one → ``-220``; a spent refresh token → an
OAuth error; the 7-day window → ``-230`` for users who have not written
(through :meth:`FakeZaloServer.post_event`) within 7 days; more than
``rate_limit`` API requests in any ``rate_window`` → ``-32`` (and
``rate_limit_next`` forces it); ``down`` answers 503 (an outage);
``stall_photos`` holds photo downloads until set. Every API request is
logged with its time (:attr:`FakeZaloServer.requests`).
:meth:`FakeZaloServer.post_event` signs an event (the documented variant)
and POSTs it to our webhook; :meth:`FakeZaloServer.delivery_events` makes
the ``user_received_message`` events of what was sent.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

import attrs
import httpx
from anyio import to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.zalo._signature import SIGNATURE_HEADER, mac
from tthc_adapters.zalo._tokens import TokenPair
from tthc_core.calendar import to_local

__all__ = ["FakeZaloServer", "SentMessage"]

WINDOW = dt.timedelta(days=7)
TOKEN_LIFETIME = dt.timedelta(hours=25)


@attrs.frozen
class SentMessage:
    """A cs message the fake accepted."""

    user_id: str
    text: str
    message_id: str
    via: str = "cs"
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
        self.force_error: int | None = None
        self.rate_limit = 4000
        self.rate_window = dt.timedelta(minutes=1)
        self.rate_limited = 0
        self.down = False
        self.stall_photos: threading.Event | None = None
        self.photo_requests = 0
        self.requests: list[dt.datetime] = []
        self._recent: collections.deque[dt.datetime] = collections.deque()
        self.followers: set[str] = set()
        self.articles: dict[str, dict[str, Any]] = {}
        self.broadcasts: list[str] = []
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
                Route("/message/template", self._send_zns, methods=["POST"]),
                Route("/v2.0/article/create", self._article_create, methods=["POST"]),
                Route("/v2.0/article/verify", self._article_verify, methods=["POST"]),
                Route("/v2.0/article/getdetail", self._article_detail, methods=["GET"]),
                Route("/v2.0/oa/message", self._broadcast, methods=["POST"]),
                Route("/v3.0/oa/user/getlist", self._follower_list, methods=["GET"]),
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

    def _gate(self, request: Request) -> Response | None:
        """The checks every API request passes (lock held): outage, token, rate."""
        token = request.headers.get("access_token", "")
        expires = self._access.get(token)
        now = self.clock()
        if self.down:
            return Response("down", status_code=503)
        if expires is None:
            return _error(-216, "Access token is invalid")
        if now >= expires:
            return _error(-220, "access_token is expired or removed")
        while self._recent and self._recent[0] <= now - self.rate_window:
            self._recent.popleft()
        if self.rate_limit_next > 0 or len(self._recent) >= self.rate_limit:
            self.rate_limit_next = max(0, self.rate_limit_next - 1)
            self.rate_limited += 1
            return _error(-32, "Your application reached limit call api")
        self._recent.append(now)
        self.requests.append(now)
        return None

    async def _json(self, request: Request) -> Any:
        try:
            return json.loads(await request.body())
        except ValueError:
            return None

    def _accept(
        self, user_id: str, text: str, via: str, buttons: tuple[str, ...] = ()
    ) -> JSONResponse:
        sent = SentMessage(user_id, text, f"msg-{next(self._ids)}", via, buttons)
        self.sent.append(sent)
        key = "msg_id" if via == "zns" else "message_id"
        data = {key: sent.message_id, "user_id": user_id, "sent_time": "0"}
        return JSONResponse({"data": data, "error": 0, "message": "Success"})

    async def _send_cs(self, request: Request) -> Response:
        body = await self._json(request)
        try:
            user_id = str(body["recipient"]["user_id"])
            text = str(body["message"]["text"])
            buttons = _buttons(body["message"])
        except (ValueError, KeyError, TypeError):
            return _error(-201, "body is invalid!")
        with self._lock:
            if (refused := self._gate(request)) is not None:
                return refused
            if self.force_error is not None:
                return _error(self.force_error, "forced by the test")
            seen = self._last_seen.get(user_id)
            if seen is None or self.clock() - seen > WINDOW:
                return _error(-230, "User has not interacted with the OA in the past 7 days")
            if len(text) > 2000:
                return _error(-201, "text is invalid!")
            return self._accept(user_id, text, "cs", buttons)

    async def _send_zns(self, request: Request) -> Response:
        body = await self._json(request)
        try:
            phone, template = str(body["phone"]), str(body["template_id"])
            data, tracking = dict(body["template_data"]), str(body.get("tracking_id", ""))
        except (KeyError, TypeError, ValueError):
            return _error(-201, "body is invalid!")
        if not (phone.startswith("84") and phone.isdigit() and len(phone) in (11, 12)):
            return _error(-108, "Phone number is invalid")
        if len(tracking) > 48 or any(len(str(v)) > 30 for v in data.values()):
            return _error(-1121, "Parameter is too long")
        with self._lock:
            if (refused := self._gate(request)) is not None:
                return refused
            return self._accept(phone, f"{template}:{json.dumps(data, ensure_ascii=False)}", "zns")

    # -- articles, broadcasts, followers -------------------------------------

    async def _article_create(self, request: Request) -> Response:
        body = await self._json(request)
        if not isinstance(body, dict) or not body.get("title") or body.get("type") != "normal":
            return _error(-201, "article is invalid!")
        with self._lock:
            if (refused := self._gate(request)) is not None:
                return refused
            token = f"job-{next(self._ids)}"
            self.articles[token] = {"title": body["title"], "views": 0, "id": ""}
        return JSONResponse({"data": {"token": token}, "error": 0, "message": "Success"})

    async def _article_verify(self, request: Request) -> Response:
        body = await self._json(request)
        token = str(body.get("token", "")) if isinstance(body, dict) else ""
        with self._lock:
            if (refused := self._gate(request)) is not None:
                return refused
            if token not in self.articles:
                return _error(-201, "token is invalid!")
            article = self.articles[token]
            article["id"] = article["id"] or f"art-{next(self._ids)}"
        return JSONResponse({"data": {"id": article["id"]}, "error": 0, "message": "Success"})

    def _article(self, article_id: str) -> dict[str, Any] | None:
        return next((a for a in self.articles.values() if a["id"] == article_id), None)

    def view_article(self, article_id: str, views: int = 1) -> None:
        """Followers read an article ``views`` times."""
        with self._lock:
            article = self._article(article_id)
            if article is not None:
                article["views"] += views

    async def _article_detail(self, request: Request) -> Response:
        try:
            article_id = str(json.loads(request.query_params.get("data", ""))["id"])
        except (ValueError, KeyError, TypeError):
            return _error(-201, "data is invalid!")
        with self._lock:
            if (refused := self._gate(request)) is not None:
                return refused
            article = self._article(article_id)
            if article is None:
                return _error(-201, "id is invalid!")
            data = {"id": article_id, "title": article["title"], "total_view": article["views"]}
        return JSONResponse({"data": data, "error": 0, "message": "Success"})

    async def _broadcast(self, request: Request) -> Response:
        body = await self._json(request)
        try:
            target = body["recipient"]["target"]
            (element,) = body["message"]["attachment"]["payload"]["elements"]
            article_id = str(element["attachment_id"])
        except (KeyError, TypeError, ValueError):
            return _error(-201, "body is invalid!")
        with self._lock:
            if (refused := self._gate(request)) is not None:
                return refused
            if not isinstance(target, dict) or self._article(article_id) is None:
                return _error(-201, "attachment_id is invalid!")
            if not 6 <= to_local(self.clock()).hour < 22:
                return _error(-234, "This message cannot be sent at night (10:00PM - 6:00AM)")
            self.broadcasts.append(article_id)
            data = {"message_id": f"bc-{next(self._ids)}"}
        return JSONResponse({"data": data, "error": 0, "message": "Success"})

    async def _follower_list(self, request: Request) -> Response:
        with self._lock:
            if (refused := self._gate(request)) is not None:
                return refused
            data = {"total": len(self.followers), "count": 0, "followers": []}
        return JSONResponse({"data": data, "error": 0, "message": "Success"})

    def delivery_events(self, name: str = "user_received_message") -> list[dict[str, Any]]:
        """The delivery events of every message sent so far (cs: by user; ZNS: by phone)."""
        return [
            self.event(name, m.user_id, message={"msg_id": m.message_id}) for m in list(self.sent)
        ]

    # -- photos -------------------------------------------------------------

    def host_photo(self, data: bytes, content_type: str = "image/jpeg") -> str:
        """Serve ``data`` at a new URL (as Zalo's CDN serves a user's photo)."""
        name = f"p{next(self._ids)}.jpg"
        self._photos[name] = (data, content_type)
        return f"{self.base_url}/photos/{name}"

    async def _photo(self, request: Request) -> Response:
        self.photo_requests += 1
        if (gate := self.stall_photos) is not None:
            await to_thread.run_sync(gate.wait, 30.0)
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
        name = body.get("event_name")
        if isinstance(user, Mapping) and "id" in user and name != "unfollow":
            with self._lock:
                self._last_seen[str(user["id"])] = self.clock()
                if name == "follow":
                    self.followers.add(str(user["id"]))
        if name == "unfollow" and isinstance(user, Mapping):
            self.followers.discard(str(user.get("id")))
        return httpx.post(url, content=raw, headers=sent, timeout=10)
