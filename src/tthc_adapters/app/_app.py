"""The ASGI application: status pages, webhooks, Open311 and a health check.

:func:`create_app` only composes: the store, the desk, the secrets and the
clock come from the caller (``tthc serve`` reads the environment), so the app
itself reads no environment, clock or file.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from tthc_adapters.app import _html
from tthc_adapters.app._guards import RefuseNul, SecurityHeaders
from tthc_adapters.app._hot import HotRoutes
from tthc_adapters.app._http import json_error, wants_json
from tthc_adapters.app._lookup import Found, Malformed, NotFound, Unverified, look_up, split_path
from tthc_adapters.app._open311 import DEFAULT_RATE as OPEN311_RATE
from tthc_adapters.app._open311 import PREFIX as OPEN311_PREFIX
from tthc_adapters.app._open311 import georeport_error, open311_error, open311_routes
from tthc_adapters.app._postal_webhook import postal_webhook
from tthc_adapters.app._reads import read_store, run_read
from tthc_adapters.app._results import result_routes
from tthc_adapters.app._status_pages import FRESH as PAGE_FRESH
from tthc_adapters.app._status_pages import StatusPages
from tthc_adapters.app._throttle import Decision, Throttle, ThrottleSettings, throttle_storage
from tthc_adapters.app._webhooks import chat_webhook
from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.desk import Desk
from tthc_core.desk.messages import dossier_not_found
from tthc_core.errors import InvalidInput
from tthc_core.filing import BlobStore
from tthc_core.serialization import converter
from tthc_core.storage import Clock, Store
from tthc_core.storage.kinds import DOSSIERS

if TYPE_CHECKING:
    from tthc_adapters.zalo._webhook import ZaloWebhookSettings

__all__ = ["create_app"]

logger = logging.getLogger("tthc.app")

_SERVER_ERROR = (
    "Hệ thống tra cứu đang gặp sự cố. Ông/bà vui lòng thử lại sau ít phút; nếu vẫn không "
    "được, xin liên hệ Bộ phận Một cửa."
)
_WEBHOOKS = ("/webhooks/postal", "/webhooks/chat", "/webhooks/zalo", "/webhooks/payment")
#: Paths the status pages never serve (a dossier code never starts so).
_RESERVED = ("/webhooks/", "/open311/", "/healthz", "/staff")
_OPEN311_HTTP = {
    404: "no such GeoReport v2 resource",
    405: "method not allowed here; the Allow header lists those that are",
}
_NO_PAGE = "Địa chỉ này không có trên trang tra cứu. Vui lòng kiểm tra lại đường dẫn hoặc mã QR."


def create_app(
    store: Store,
    desk: Desk,
    *,
    postal_secret: str,
    clock: Clock,
    chat_secret: str | None = None,
    throttle: ThrottleSettings | None = None,
    on_accepted: Callable[[], None] | None = None,
    durable_ack: bool = True,
    staff: ASGIApp | None = None,
    open311_throttle: Throttle | None = None,
    zalo: ZaloWebhookSettings | None = None,
    page_fresh: dt.timedelta = PAGE_FRESH,
    payment_secret: str | None = None,
    results: BlobStore | None = None,
) -> Starlette:
    """The tthc web application.

    Routes: ``GET /healthz``; ``POST /webhooks/postal`` and ``/webhooks/chat``;
    Open311 GeoReport v2 under ``/open311/v2`` (discovery, services and
    their definitions, requests read and posted, tokens; XML and JSON — see
    :mod:`._open311`); and the receipt status pages at the lookup base's
    path: ``GET <path>/<code>`` and ``GET <path>/<code>/<version>.<key>.<tag>``
    (case-insensitive; ``Accept: application/json`` for JSON). Every read
    path uses a read-only unit of work (:meth:`Store.read_only`); the chat
    webhook only accepts events for the inbox worker.

    Args:
        store: The store.
        desk: The desk (its codec's lookup base gives the status pages' path).
        postal_secret: The postal operator's callback secret (``token`` header).
        clock: Tells the time (timeliness on status pages, Open311's window,
            the receipt time of inbound events).
        chat_secret: The generic chat webhook's bearer secret; ``None``
            switches that webhook off.
        throttle: Rate limits of status pages and look-ups per client
            address (the defaults of :class:`ThrottleSettings` when ``None``);
            its chat look-up budget is the inbox worker's
            (``inbox_handlers(desk, budget=...)``).
        on_accepted: Called after a webhook (chat, postal) accepts a new event
            (wakes an in-process inbox worker); the worker polls anyway.
        durable_ack: Answer a chat event after it is flushed to disk
            (default); ``False``: once it is in the database's log (survives
            a crash of tthc, not of the machine; see ``_acceptor``).
        staff: The officials' desk (:func:`tthc_adapters.staff.staff_app`),
            mounted under ``/staff/``; ``None`` serves no staff pages.
        open311_throttle: The limit on each Open311 client application's
            posts (default: 30 a minute, on the storage of ``throttle``).
        zalo: The Zalo OA's keys; given, ``POST /webhooks/zalo`` accepts
            signed Zalo events for the inbox worker (:mod:`tthc_adapters.zalo`).
        page_fresh: How long a rendered status page is sent again without
            reading the store (:mod:`._status_pages`; zero reads every time).
        payment_secret: The payment platform's HMAC secret; given, ``POST
            /webhooks/payment`` records fee payments (:mod:`tthc_adapters.payments`).
        results: The blob store of electronic results; given, ``GET
            /ket-qua/<code>/<key>.<tag>`` serves them (:mod:`._results`).

    Raises:
        InvalidInput: If a secret is empty (it would let anyone through), or
            a rate or the rate-limit storage is not valid.
    """
    if not postal_secret or chat_secret == "":
        raise InvalidInput("webhook secrets must not be empty")
    prefix = _path_prefix(desk)
    agency = desk.agency_name
    settings = throttle or ThrottleSettings()
    # Chat look-ups are answered (and their budget spent) by the inbox worker.
    pages, _ = settings.build()
    pages_kept = StatusPages(
        store, desk, lambda found: _html.status_page(agency, found), fresh=page_fresh
    )
    if open311_throttle is None:  # counted where the other limits are (shared across workers)
        storage = throttle_storage(settings.storage)
        open311_throttle = Throttle(OPEN311_RATE, scope="open311-posts", storage=storage)

    async def health(_: Request) -> Response:
        def ping() -> None:
            with store.read_only() as uow:
                uow.repository(DOSSIERS).get("")

        try:
            await run_read(ping)
        except Exception:
            logger.exception("health check: the store is unreachable")
            return JSONResponse({"status": "unavailable", "storage": "unreachable"}, 503)
        return JSONResponse({"status": "ok", "storage": "ok"})

    async def status(request: Request) -> Response:
        url_path = request.url.path
        if url_path.startswith(_RESERVED):
            # GET on a webhook, or an unknown Open311 resource: not a dossier code.
            raise HTTPException(405 if url_path in _WEBHOOKS else 404)
        path = split_path(url_path, prefix)
        home = path is None and url_path.upper().rstrip("/") in ("", prefix)
        if path is None and not home:
            return _not_found(request, agency)
        if (path is not None or "ma" in request.query_params) and (
            refused := _throttled(request, agency, pages)
        ):
            return refused
        if path is None:
            return _home(request, prefix, agency)
        if wants_json(request):
            found = await read_store(store, look_up, store, desk, path, clock())
            return _status_response(request, agency, found, f"{prefix}/")
        at = clock()
        kept = pages_kept.fresh_page(path, at)
        page = kept if kept is not None else await read_store(store, pages_kept.page, path, at)
        if isinstance(page, bytes):
            return HTMLResponse(page, headers={"vary": "Accept"})
        return _status_response(request, agency, page, f"{prefix}/")

    async def http_error(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        if request.url.path.startswith(OPEN311_PREFIX):
            headers = exc.headers if isinstance(exc, HTTPException) else None
            return georeport_error(
                request, code, _OPEN311_HTTP.get(code, f"HTTP {code}"), dict(headers or {})
            )
        if request.url.path.startswith("/webhooks") or wants_json(request):
            return json_error(code, "http_error", f"HTTP {code}")
        if code == 405:
            return _page(agency, "Không hỗ trợ yêu cầu này", _NO_PAGE, 405)
        return _page(agency, "Không tìm thấy trang", _NO_PAGE, code)

    async def server_error(request: Request, exc: Exception) -> Response:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        if request.url.path.startswith(OPEN311_PREFIX):
            return georeport_error(request, 500, "internal error; try again later")
        if request.url.path.startswith("/webhooks"):
            return json_error(500, "internal", "internal error; deliver the event again later")
        if wants_json(request):
            return json_error(500, "internal", "internal error; try again later")
        return _page(agency, "Đã có lỗi xảy ra", _SERVER_ERROR, 500)

    # The inbound chat webhooks: routes, and hot routes (``_hot``).
    posts = {
        _WEBHOOKS[1]: chat_webhook(
            store, desk, secret=chat_secret, clock=clock, notify=on_accepted, durable=durable_ack
        ),
        **_zalo_post(store, zalo, clock, on_accepted, durable_ack),
    }
    routes = [
        Route("/healthz", health, methods=["GET"]),
        Route(
            _WEBHOOKS[0],
            postal_webhook(store, secret=postal_secret, clock=clock, notify=on_accepted),
            methods=["POST"],
        ),
        *[Route(path, endpoint, methods=["POST"]) for path, endpoint in posts.items()],
        *_payment_routes(store, desk, payment_secret, clock=clock),
        *result_routes(store, desk, results, not_found=lambda r: _not_found(r, agency)),
        *open311_routes(store, desk, clock=clock, throttle=open311_throttle),
        *([] if staff is None else _staff_routes(staff)),
        Route("/{path:path}", status, methods=["GET"]),
    ]
    handlers: dict[Any, Any] = {HTTPException: http_error, Exception: server_error}
    app = _App(routes=routes, exception_handlers=handlers)
    app.hot = {
        "status": status,
        "is_status": lambda path: (
            not path.startswith(_RESERVED) and split_path(path, prefix) is not None
        ),
        "posts": posts,
        "http_error": http_error,
        "server_error": server_error,
    }
    return app


def _payment_routes(store: Store, desk: Desk, secret: str | None, *, clock: Clock) -> list[Route]:
    if secret is None:
        return []
    from tthc_adapters.payments import payment_webhook

    endpoint = payment_webhook(store, desk, secret=secret, clock=clock)
    return [Route(_WEBHOOKS[3], endpoint, methods=["POST"])]


def _zalo_post(
    store: Store,
    settings: ZaloWebhookSettings | None,
    clock: Clock,
    notify: Callable[[], None] | None,
    durable: bool,
) -> dict[str, Callable[[Request], Awaitable[Response]]]:
    """``POST /webhooks/zalo``'s endpoint when the Zalo OA is configured."""
    if settings is None:
        return {}
    from tthc_adapters.zalo._webhook import zalo_webhook

    return {
        _WEBHOOKS[2]: zalo_webhook(store, settings, clock=clock, notify=notify, durable=durable)
    }


class _App(Starlette):
    """Starlette with :class:`SecurityHeaders` outermost (around its error middleware too),
    then :class:`RefuseNul`, then the hot routes (:class:`HotRoutes`, given as :attr:`hot`)."""

    hot: dict[str, Any] | None = None

    def build_middleware_stack(self) -> ASGIApp:
        inner: ASGIApp = super().build_middleware_stack()
        if self.hot is not None:
            inner = HotRoutes(inner, **self.hot)
        return SecurityHeaders(RefuseNul(inner, refusal=_nul_refusal))


def _nul_refusal(path: str, reason: str) -> Response:
    """The ``400`` for a NUL in the URL: a GeoReport error under Open311, else JSON."""
    if path.startswith(OPEN311_PREFIX):
        return open311_error(path, 400, reason)
    return json_error(400, "invalid_input", reason)


def _staff_routes(staff: ASGIApp) -> list[Route | Mount]:
    """The staff pages under ``/staff/`` (``/staff`` redirects there)."""

    async def to_staff(_: Request) -> Response:
        return RedirectResponse("/staff/", status_code=308)

    return [Route("/staff", to_staff, methods=["GET"]), Mount("/staff", app=staff)]


def _path_prefix(desk: Desk) -> str:
    """The status pages' path: the lookup base after its host (``"/HS"``, or ``""``)."""
    _, slash, path = desk.codec.lookup_base.partition("/")
    return f"/{path}" if slash else ""


def _page(agency: str, title: str, message: str, status: int) -> HTMLResponse:
    return HTMLResponse(_html.error_page(agency, title, message), status_code=status)


def _not_found(request: Request, agency: str) -> Response:
    if wants_json(request):
        return json_error(404, "not_found", "no such page", message=_NO_PAGE)
    return _page(agency, "Không tìm thấy trang", _NO_PAGE, 404)


def _home(request: Request, prefix: str, agency: str) -> Response:
    typed = request.query_params.get("ma", "").strip()
    if not typed:
        return HTMLResponse(_html.home_page(agency, f"{prefix}/"))
    try:
        code = DossierCode.parse(typed)
    except InvalidDossierCode as exc:
        return _bad_code(request, agency, exc)
    return RedirectResponse(f"{prefix}/{code}", status_code=303)


def _bad_code(request: Request, agency: str, error: InvalidDossierCode) -> Response:
    message = _html.bad_code_message(error)
    if wants_json(request):
        return json_error(400, "invalid_code", error.reason, part=error.part, message=message)
    return _page(agency, "Mã hồ sơ không hợp lệ", message, 400)


def _throttled(request: Request, agency: str, pages: Throttle | None) -> Response | None:
    """A 429 with ``Retry-After`` if the client's address spent its look-ups, else ``None``."""
    if pages is None:
        return None
    decision: Decision = pages.hit(request.client.host if request.client else "unknown")
    if decision.allowed:
        return None
    headers = {"retry-after": str(decision.retry_after)}
    message = _html.THROTTLED.format(minutes=max(1, -(-decision.retry_after // 60)))
    if wants_json(request):
        response: Response = json_error(
            429, "too_many_requests", "too many look-ups from this address", message=message
        )
        response.headers.update(headers)
        return response
    page = _html.error_page(agency, "Tạm ngừng tra cứu", message)
    return HTMLResponse(page, status_code=429, headers=headers)


def _unverified(request: Request, agency: str, found: Unverified, home: str) -> Response:
    """The same answer whether the code exists or not: the verdict, nothing else."""
    if wants_json(request):
        message = _html.unverified_message(found.verdict)
        shown = {"code": str(found.code), "verification": found.verdict.value, "message": message}
        return JSONResponse(shown, headers={"vary": "Accept"})
    page = _html.unverified_page(agency, str(found.code), found.verdict, home)
    return HTMLResponse(page, headers={"vary": "Accept"})


def _status_response(
    request: Request, agency: str, found: Found | NotFound | Malformed | Unverified, home: str
) -> Response:
    if isinstance(found, Malformed):
        return _bad_code(request, agency, found.error)
    if isinstance(found, Unverified):
        return _unverified(request, agency, found, home)
    if isinstance(found, NotFound):
        message = dossier_not_found(found.code)
        if wants_json(request):
            return json_error(404, "not_found", f"no dossier {found.code}", message=message)
        return _page(agency, "Không tìm thấy hồ sơ", message, 404)
    headers = {"vary": "Accept"}
    if wants_json(request):
        body: dict[str, Any] = converter.unstructure(found.view)
        body["verification"] = None if found.verdict is None else found.verdict.value
        if found.details is not None:
            body["details"] = converter.unstructure(found.details)
        return JSONResponse(body, headers=headers)
    return HTMLResponse(_html.status_page(agency, found), headers=headers)
