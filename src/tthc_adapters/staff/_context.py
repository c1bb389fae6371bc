"""What every staff page needs: the configuration, templates, the officer, permissions, flashes."""

from __future__ import annotations

import datetime as dt
import importlib.resources
from typing import Any

import attrs
import jinja2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from tthc_adapters.app._throttle import Throttle
from tthc_adapters.staff._labels import event_label
from tthc_adapters.staff._security import PasswordHasher, csrf_token, session_user
from tthc_adapters.storage import attributed_unit_of_work
from tthc_core.accounts import Account, Accounts, Action, LockoutPolicy
from tthc_core.calendar import to_local
from tthc_core.desk import Desk
from tthc_core.document_text import (
    format_date_vi,
    format_deadline_vi,
    place_date_vi,
    place_name_of,
)
from tthc_core.filing import BlobStore
from tthc_core.storage import Clock, Store, UnitOfWork

__all__ = ["LoginRequired", "Staff", "make_templates", "redirect"]


class LoginRequired(Exception):  # noqa: N818 - control flow, not an error
    """The page needs a logged-in officer (answered with a redirect to the login page)."""


@attrs.frozen
class Staff:
    """The staff application's configuration.

    Args:
        store: The store.
        desk: The desk.
        accounts: The staff accounts.
        clock: Tells the time.
        hasher: Hashes and checks passwords.
        templates: The page templates.
        lockout: When repeated failed logins lock an account.
        login_throttle: Login attempts per client address (None: unlimited).
        blobs: The citizens' files of online filings (``None``: not shown).
    """

    store: Store
    desk: Desk
    accounts: Accounts
    clock: Clock
    hasher: PasswordHasher
    templates: Jinja2Templates
    lockout: LockoutPolicy = attrs.field(factory=LockoutPolicy)
    login_throttle: Throttle | None = None
    blobs: BlobStore | None = None

    def officer(self, request: Request) -> Account | None:
        """The logged-in, active officer of this request, if any."""
        username = session_user(_session(request))
        account = None if username is None else self.accounts.get(username)
        return account if account is not None and account.active else None

    def require(self, request: Request, action: Action | None = None) -> Account:
        """The officer, who must be logged in and allowed ``action``.

        Raises:
            LoginRequired: If nobody (active) is logged in.
            HTTPException: 403 if the officer's role does not allow ``action``.
        """
        account = self.officer(request)
        if account is None:
            raise LoginRequired
        if action is not None and not account.may(action):
            raise HTTPException(403, "Vai trò của bạn không được thực hiện việc này.")
        return account

    def unit_of_work(self, account: Account) -> UnitOfWork:
        """A unit of work whose events are recorded as ``account``'s."""
        return attributed_unit_of_work(self.store, account.username)

    def render(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        """A page from its template, with the officer, CSRF token and flash message."""
        session = _session(request)
        flash = session.pop("flash", None)
        base = {
            "officer": self.officer(request),
            "csrf": csrf_token(session),
            "flash": flash,
            "agency": self.desk.agency_name,
            "root": request.scope.get("root_path", ""),
            "Action": Action,
        }
        return self.templates.TemplateResponse(
            request, name, {**base, **context}, status_code=status
        )


def _session(request: Request) -> dict[str, Any]:
    """The request's session; empty outside the session middleware (server-error pages)."""
    session: dict[str, Any] = request.scope.get("session", {})
    return session


def redirect(request: Request, path: str, *, flash: str | None = None) -> Response:
    """303 to ``path`` under the staff app's mount point, with an optional flash message."""
    if flash is not None:
        request.session["flash"] = flash
    return RedirectResponse(request.scope.get("root_path", "") + path, status_code=303)


def _when(value: dt.datetime | None) -> str:
    return "—" if value is None else f"{to_local(value):%H:%M %d/%m/%Y}"


def _due(value: dt.datetime | None) -> str:
    """A due instant on the staff pages: a period ending at 24:00 reads "hết ngày 29/11/2026".

    (Civil Code 2015 Art. 148; held as the exclusive 00:00 of the next day, which ``when``
    would show as that next day.)
    """
    if value is None or to_local(value).time() != dt.time(0, 0):
        return _when(value)
    return f"hết ngày {to_local(value) - dt.timedelta(days=1):%d/%m/%Y}"


def _date_vi(value: dt.datetime) -> str:
    """A printed form's date: ``"ngày 29 tháng 11 năm 2026"`` (Vietnam-time date, no time)."""
    return format_date_vi(to_local(value).date())


def _vnd(value: int) -> str:
    return f"{value:,}".replace(",", ".") + " đ"


def make_templates() -> Jinja2Templates:
    """The staff templates (autoescaped), from the package's ``templates`` folder."""
    folder = importlib.resources.files("tthc_adapters.staff") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["due"] = _due
    env.filters["vnd"] = _vnd
    # Printed forms (printed.html and the notices): words form, Decree 30/2020 Phụ lục I.
    env.filters["date_vi"] = _date_vi
    env.filters["deadline_vi"] = format_deadline_vi
    env.filters["place_date_vi"] = place_date_vi
    env.filters["place_name"] = place_name_of
    env.filters["event_label"] = event_label
    return Jinja2Templates(env=env)
