"""The staff application: routes, the session cookie and error pages."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tthc_adapters.app._throttle import Throttle
from tthc_adapters.staff import _auth_pages as auth
from tthc_adapters.staff import _cases as cases
from tthc_adapters.staff import _conversations as conversations
from tthc_adapters.staff import _dossier_pages as dossiers
from tthc_adapters.staff import _e_results as e_results
from tthc_adapters.staff import _intake as intake
from tthc_adapters.staff import _messages as messages
from tthc_adapters.staff import _notices as notices
from tthc_adapters.staff import _parcels as parcels
from tthc_adapters.staff import _reports as reports
from tthc_adapters.staff._api import api_routes_handler
from tthc_adapters.staff._context import LoginRequired, Staff, make_templates, redirect
from tthc_adapters.staff._filings import filing_file
from tthc_adapters.staff._security import CsrfMismatch, PasswordHasher
from tthc_adapters.staff._sign_ins import LOGIN_RATE
from tthc_adapters.storage import MemoryApiTokens
from tthc_core.accounts import Accounts, LockoutPolicy
from tthc_core.api_tokens import ApiTokens
from tthc_core.desk import Desk
from tthc_core.errors import InvalidInput
from tthc_core.filing import BlobStore
from tthc_core.storage import Clock, Store

__all__ = ["SESSION_COOKIE", "staff_app"]

logger = logging.getLogger("tthc.staff")

#: The session cookie's name.
SESSION_COOKIE = "tthc_staff"
#: A staff session lasts one working day.
SESSION_SECONDS = 10 * 3600

Page = Callable[[Staff, Request], Awaitable[Response]]


def staff_app(
    store: Store,
    desk: Desk,
    *,
    accounts: Accounts,
    clock: Clock,
    secret_key: str,
    hasher: PasswordHasher | None = None,
    lockout: LockoutPolicy | None = None,
    https_only: bool = False,
    cookie_path: str = "/staff",
    tokens: ApiTokens | None = None,
    login_throttle: Throttle | None = None,
    blobs: BlobStore | None = None,
) -> Starlette:
    """The staff web application.

    Args:
        store: The store.
        desk: The desk.
        accounts: The staff accounts.
        clock: Tells the time.
        secret_key: Signs the session cookie (at least 32 characters; rotate
            it to log everybody out).
        hasher: Hashes passwords (argon2id by default).
        lockout: When failed logins lock an account (5 failures, 15 minutes).
        https_only: Send the cookie over HTTPS only (set it behind TLS).
        cookie_path: The path the cookie is sent to (the mount point).
        tokens: The JSON API's tokens (``/staff/api/v1``); none: no token is valid.
        login_throttle: Login attempts allowed per client address (default
            :data:`~tthc_adapters.staff._sign_ins.LOGIN_RATE`, counted in this process).
        blobs: The citizens' files of online filings, shown on the dossier page.

    Raises:
        InvalidInput: If the secret key is too short.
    """
    if len(secret_key) < 32:
        raise InvalidInput("the staff session secret must be at least 32 characters")
    staff = Staff(
        store=store,
        desk=desk,
        accounts=accounts,
        clock=clock,
        hasher=hasher or PasswordHasher(),
        templates=make_templates(),
        lockout=lockout or LockoutPolicy(),
        login_throttle=login_throttle or Throttle(LOGIN_RATE, scope="staff-login"),
        blobs=blobs,
    )

    def page(view: Page) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(view)
        async def endpoint(request: Request) -> Response:
            try:
                return await view(staff, request)
            except LoginRequired:
                return redirect(request, "/login")
            except CsrfMismatch:
                return staff.render(
                    request,
                    "error.html",
                    403,
                    title="Phiên làm việc đã hết hạn",
                    message="Biểu mẫu đã cũ hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.",
                )

        return endpoint

    async def http_error(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else ""
        title = {403: "Không có quyền", 404: "Không tìm thấy", 405: "Không hỗ trợ"}.get(
            code, "Có lỗi"
        )
        return staff.render(request, "error.html", code, title=title, message=detail)

    async def server_error(request: Request, exc: Exception) -> Response:
        logger.error("staff: unhandled error on %s", request.url.path, exc_info=exc)
        return staff.render(
            request,
            "error.html",
            500,
            title="Đã có lỗi xảy ra",
            message="Hệ thống gặp sự cố. Vui lòng thử lại; nếu vẫn lỗi, báo quản trị hệ thống.",
        )

    routes = [
        Route("/", page(auth.home), methods=["GET"]),
        Route("/login", page(auth.login_page), methods=["GET"]),
        Route("/login", page(auth.login), methods=["POST"]),
        Route("/logout", page(auth.logout), methods=["POST"]),
        Route("/admin", page(auth.admin_page), methods=["GET"]),
        Route("/admin/accounts", page(auth.add_account), methods=["POST"]),
        Route("/admin/accounts/{username}/disable", page(auth.disable_account), methods=["POST"]),
        Route("/queues", page(dossiers.queues_page), methods=["GET"]),
        Route("/dossiers/{code}/files/{sha}", page(filing_file), methods=["GET"]),
        Route("/reports", page(reports.report_page), methods=["GET"]),
        Route("/cases", page(cases.cases_page), methods=["GET"]),
        Route("/messages", page(messages.messages_page), methods=["GET"]),
        Route("/conversations", page(conversations.conversations_page), methods=["GET"]),
        Route("/conversations/reply", page(conversations.reply_to_conversation), methods=["POST"]),
        Route("/messages/{message_id:int}/retry", page(messages.retry), methods=["POST"]),
        Route("/messages/{message_id:int}/reply", page(messages.reply), methods=["POST"]),
        Route("/cases/{case_id}", page(cases.case_page), methods=["GET"]),
        Route("/cases/{case_id}/notices/{seq:int}", page(cases.case_notice_page), methods=["GET"]),
        Route("/cases/{case_id}/{action}", page(cases.case_action), methods=["POST"]),
        Route("/intake", page(intake.intake_search), methods=["GET"]),
        Route("/intake/{procedure}", page(intake.intake_form), methods=["GET"]),
        Route("/intake/{procedure}", page(intake.receive), methods=["POST"]),
        Route("/dossiers/{code}", page(dossiers.dossier_page), methods=["GET"]),
        Route("/dossiers/{code}/receipt.pdf", page(dossiers.receipt_pdf), methods=["GET"]),
        Route("/dossiers/{code}/notices/{seq:int}", page(notices.notice_page), methods=["GET"]),
        Route(
            "/dossiers/{code}/parcels/{reference}/cancel",
            page(parcels.cancel_parcel_page),
            methods=["POST"],
        ),
        Route("/dossiers/{code}/e-result", page(e_results.issue_e_result_page), methods=["POST"]),
        Route("/dossiers/{code}/{action}", page(dossiers.dossier_action), methods=["POST"]),
        Route(
            "/api/v1/{path:path}",
            api_routes_handler(staff, tokens or MemoryApiTokens()),
            methods=["GET", "POST"],
        ),
    ]
    handlers: dict[Any, Any] = {HTTPException: http_error, Exception: server_error}
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=secret_key,
            session_cookie=SESSION_COOKIE,
            max_age=SESSION_SECONDS,
            path=cookie_path,
            same_site="strict",
            https_only=https_only,
        )
    ]
    return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
