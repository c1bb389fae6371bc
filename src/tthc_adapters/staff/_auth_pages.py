"""Login, logout, the home page and the administrator's read-only overview."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._security import (
    LoginRefused,
    authenticate,
    check_csrf,
    end_session,
    start_session,
)
from tthc_core.accounts import PERMISSIONS, Action, Role

__all__ = ["admin_page", "home", "login", "login_page", "logout"]

_REFUSED = (
    "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị tạm khóa "
    "do đăng nhập sai nhiều lần. Vui lòng thử lại sau."
)


async def home(staff: Staff, request: Request) -> Response:
    """The officer's start page: the queues, or what the role has instead."""
    account = staff.require(request)
    if account.may(Action.VIEW_QUEUES):
        return redirect(request, "/queues")
    if account.may(Action.HANDLE_CASES):
        return redirect(request, "/cases")
    if account.may(Action.MANAGE_ACCOUNTS):
        return redirect(request, "/admin")
    return staff.render(request, "home.html")


async def login_page(staff: Staff, request: Request) -> Response:
    """The login form."""
    return staff.render(request, "login.html", error=None)


async def login(staff: Staff, request: Request) -> Response:
    """Check the form's CSRF token and the password; start a fresh session."""
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    try:
        account = await run_in_threadpool(
            authenticate,
            staff.accounts,
            staff.hasher,
            username,
            password,
            at=staff.clock(),
            policy=staff.lockout,
        )
    except LoginRefused:
        return staff.render(request, "login.html", 401, error=_REFUSED)
    start_session(request.session, account)
    return redirect(request, "/", flash=f"Xin chào {account.display_name}.")


async def logout(staff: Staff, request: Request) -> Response:
    """End the session."""
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    end_session(request.session)
    return redirect(request, "/login", flash="Bạn đã đăng xuất.")


async def admin_page(staff: Staff, request: Request) -> Response:
    """Accounts, what each role may do, and the catalogue (read-only for now)."""
    staff.require(request, Action.MANAGE_ACCOUNTS)

    def load() -> tuple[list[object], list[object]]:
        with staff.store.unit_of_work() as uow:
            procedures: list[object] = list(uow.catalogue.all())
        return list(staff.accounts.all()), procedures

    accounts, procedures = await run_in_threadpool(load)
    return staff.render(
        request,
        "admin.html",
        accounts=accounts,
        procedures=procedures,
        roles=list(Role),
        actions=list(Action),
        permissions=PERMISSIONS,
    )
