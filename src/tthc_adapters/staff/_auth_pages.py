"""Login, logout, the home page and the administrator's read-only overview."""

from __future__ import annotations

import logging

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._explain import explain
from tthc_adapters.staff._security import (
    LoginRefused,
    authenticate,
    check_csrf,
    end_session,
    start_session,
)
from tthc_adapters.staff._sign_ins import client_of, log_sign_in
from tthc_core.accounts import (
    MIN_PASSWORD,
    PERMISSIONS,
    Account,
    Action,
    Role,
    check_username,
)
from tthc_core.errors import TthcError
from tthc_core.sign_ins import SignInOutcome

__all__ = [
    "add_account",
    "admin_page",
    "disable_account",
    "home",
    "login",
    "login_page",
    "logout",
]

logger = logging.getLogger("tthc.staff")

_THROTTLED = (
    "Có quá nhiều lần đăng nhập từ địa chỉ mạng này. Vui lòng thử lại sau khoảng {minutes} phút."
)
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
    """Check the client's attempts, the form's CSRF token and the password; start a fresh session.

    Every attempt is recorded in the audit trail (:mod:`._sign_ins`); too many
    attempts from one address get a 429 with ``Retry-After`` before any check.
    """
    client = client_of(request)
    decision = staff.login_throttle.hit(client) if staff.login_throttle else None
    if decision is not None and not decision.allowed:
        minutes = max(1, -(-decision.retry_after // 60))
        logger.warning("staff login throttled for %s", client)
        response = staff.render(
            request, "login.html", 429, error=_THROTTLED.format(minutes=minutes)
        )
        response.headers["retry-after"] = str(decision.retry_after)
        return response
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    at = staff.clock()
    try:
        account = await run_in_threadpool(
            authenticate,
            staff.accounts,
            staff.hasher,
            username,
            password,
            at=at,
            policy=staff.lockout,
        )
    except LoginRefused as refused:
        await run_in_threadpool(
            log_sign_in,
            staff.store,
            SignInOutcome.LOCKED_OUT if refused.locked_until else SignInOutcome.FAILED,
            username=refused.account or username,
            known_account=refused.account is not None,
            client=client,
            at=at,
            locked_until=refused.locked_until,
        )
        return staff.render(request, "login.html", 401, error=_REFUSED)
    await run_in_threadpool(
        log_sign_in,
        staff.store,
        SignInOutcome.SUCCEEDED,
        username=account.username,
        known_account=True,
        client=client,
        at=at,
    )
    start_session(request.session, account)
    return redirect(request, "/", flash=f"Xin chào {account.display_name}.")


async def logout(staff: Staff, request: Request) -> Response:
    """End the session."""
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    officer = staff.officer(request)
    if officer is not None:
        await run_in_threadpool(
            log_sign_in,
            staff.store,
            SignInOutcome.SIGNED_OUT,
            username=officer.username,
            known_account=True,
            client=client_of(request),
            at=staff.clock(),
        )
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


async def add_account(staff: Staff, request: Request) -> Response:
    """Add a staff account from the administrator's form (argon2id hash of the password)."""
    admin = staff.require(request, Action.MANAGE_ACCOUNTS)
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    fields = {k: str(v) for k, v in form.items()}

    def run() -> str:
        password = fields.get("password", "")
        if len(password) < MIN_PASSWORD or password != fields.get("password2"):
            return f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự và nhập lại trùng khớp."
        if fields.get("role") not in {r.value for r in Role}:
            return "Vai trò không hợp lệ."
        try:
            account = Account(
                check_username(fields.get("username", "").strip()),
                fields.get("display_name", ""),
                Role(fields["role"]),
                fields.get("unit", ""),
                staff.hasher.hash(password),
            )
            staff.accounts.add(account)
        except TthcError as exc:
            return f"Không thêm được tài khoản: {explain(exc)}"
        logger.info(
            "staff %s added account %s (%s)", admin.username, account.username, account.role
        )
        return f"Đã thêm tài khoản {account.username}."

    return redirect(request, "/admin", flash=await run_in_threadpool(run))


async def disable_account(staff: Staff, request: Request) -> Response:
    """Deactivate an account (its sessions and tokens stop at their next request)."""
    admin = staff.require(request, Action.MANAGE_ACCOUNTS)
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    username = request.path_params["username"]

    def run() -> str:
        if username == admin.username:
            return "Không tự vô hiệu hóa tài khoản của mình."
        account = staff.accounts.get(username)
        if account is None:
            return "Không có tài khoản này."
        staff.accounts.update(attrs.evolve(account, active=False))
        logger.info("staff %s disabled account %s", admin.username, username)
        return f"Đã vô hiệu hóa tài khoản {username}."

    return redirect(request, "/admin", flash=await run_in_threadpool(run))
