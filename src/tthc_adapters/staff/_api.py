"""The JSON API for the province's systems: the staff pages' actions, with API tokens.

``Authorization: Bearer tthc_<id>.<secret>``; the token acts as its account
(:mod:`tthc_core.api_tokens`), so the account's role decides what it may do
and the audit trail names it. No cookie, so no CSRF token. Described by
:func:`tthc_adapters.staff.openapi` (checked in as ``docs/openapi.json``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tthc_adapters.app._http import BodyTooLarge, json_error, read_json
from tthc_adapters.staff import _api_cases as cases
from tthc_adapters.staff._actions import available_actions
from tthc_adapters.staff._case_actions import CASE_ACTIONS_BY_NAME, CaseNotFound
from tthc_adapters.staff._context import Staff
from tthc_adapters.staff._dossier_pages import ACTIONS_BY_NAME, apply_action
from tthc_adapters.staff._intake import find_procedure, receive_from_form, search_procedures
from tthc_adapters.staff._openapi import openapi
from tthc_adapters.staff._parcels import cancel_parcel
from tthc_core.accounts import Account, Action
from tthc_core.api_tokens import ApiToken, ApiTokens, split_token
from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.desk import DossierNotFound, ShipmentUnknown, load_dossier
from tthc_core.dossier import Dossier
from tthc_core.errors import DomainRuleViolation, InvalidInput, TthcError
from tthc_core.serialization import converter

__all__ = ["ApiRefused", "api_routes_handler", "issue_token"]

PREFIX = "/api/v1"


class ApiRefused(Exception):  # noqa: N818 - an answer, not a crash
    """An API request answered with a JSON error."""

    def __init__(self, status: int, error: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.error, self.reason = status, error, reason


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    tokens: ApiTokens, account: Account, *, label: str, at: dt.datetime
) -> tuple[ApiToken, str]:
    """A new token for ``account``: the stored record and the token text (shown once)."""
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    record = ApiToken(token_id, account.username, _digest(secret), label, at)
    tokens.add(record)
    return record, f"tthc_{token_id}.{secret}"


def _caller(staff: Staff, tokens: ApiTokens, request: Request, action: Action) -> Account:
    scheme, _, text = request.headers.get("authorization", "").partition(" ")
    parts = split_token(text) if scheme.lower() == "bearer" else None
    record = None if parts is None else tokens.get(parts.token_id)
    if (
        parts is None
        or record is None
        or record.revoked
        or not hmac.compare_digest(record.secret_digest, _digest(parts.secret))
    ):
        raise ApiRefused(401, "unauthorized", "a valid, unrevoked API token is required")
    account = staff.accounts.get(record.username)
    if account is None or not account.active:
        raise ApiRefused(401, "unauthorized", "the token's account is missing or inactive")
    if not account.may(action):
        raise ApiRefused(403, "forbidden", f"role {account.role.value} may not {action.value}")
    return account


def _dossier_body(dossier: Dossier, account: Account) -> dict[str, Any]:
    body: dict[str, Any] = converter.unstructure(dossier)
    body["actions"] = [a.name for a in available_actions(dossier, account)]
    return body


def _code(text: str) -> DossierCode:
    try:
        return DossierCode.parse(text)
    except InvalidDossierCode as exc:
        raise ApiRefused(404, "not_found", f"no dossier {text!r}: {exc}") from None


def _form(body: dict[str, Any]) -> dict[str, str]:
    """The JSON body as the pages' form fields (documents_received: indexes in the checklist)."""
    form = {k: str(v) for k, v in body.items() if isinstance(v, str | int) and k != "csrf"}
    received = body.get("documents_received", [])
    if not isinstance(received, list) or not all(isinstance(i, int) for i in received):
        raise ApiRefused(400, "invalid_input", "documents_received must be a list of indexes")
    form.update({f"doc_{i}": "on" for i in received})
    return form


async def _body(request: Request) -> dict[str, Any]:
    try:
        return await read_json(request)
    except BodyTooLarge:
        raise ApiRefused(413, "too_large", "the body is too large") from None
    except InvalidInput as exc:
        raise ApiRefused(400, "invalid_json", str(exc)) from None


def _refused(exc: TthcError) -> ApiRefused:
    if isinstance(exc, DomainRuleViolation):
        return ApiRefused(409, "rule_violation", str(exc))
    return ApiRefused(400, "invalid_input", str(exc))


def api_routes_handler(staff: Staff, tokens: ApiTokens) -> Any:
    """The API's single endpoint (dispatching on method and path under ``/api/v1``)."""

    async def handle(request: Request) -> Response:
        path = request.path_params["path"]
        try:
            return await _dispatch(staff, tokens, request, request.method, path.split("/"))
        except ApiRefused as exc:
            return json_error(exc.status, exc.error, exc.reason)

    return handle


async def _dispatch(
    staff: Staff, tokens: ApiTokens, request: Request, method: str, parts: list[str]
) -> Response:
    match method, parts:
        case "GET", ["openapi.json"]:
            return JSONResponse(openapi())
        case "GET", ["procedures"]:
            _caller(staff, tokens, request, Action.RECEIVE)
            return await _procedures(staff, request.query_params.get("q", ""))
        case "POST", ["dossiers"]:
            account = _caller(staff, tokens, request, Action.RECEIVE)
            return await _receive(staff, account, await _body(request))
        case "GET", ["dossiers", code]:
            account = _caller(staff, tokens, request, Action.VIEW_DOSSIER)
            return await _show(staff, account, _code(code))
        case "POST", ["dossiers", code, "actions", name] if name in ACTIONS_BY_NAME:
            action = ACTIONS_BY_NAME[name]
            account = _caller(staff, tokens, request, action.permission)
            form = _form(await _body(request))

            def run() -> Dossier:
                try:
                    return apply_action(staff, account, _code(code), action, form)
                except DossierNotFound as exc:
                    raise ApiRefused(404, "not_found", str(exc)) from None
                except TthcError as exc:
                    raise _refused(exc) from None

            dossier = await run_in_threadpool(run)
            return JSONResponse(_dossier_body(dossier, account))
        case (
            ("GET", ["cases"])
            | ("GET", ["cases", _])
            | ("POST", ["cases", _, "actions", _])
            | ("POST", ["dossiers", _, "parcels", _, "cancel"])
        ):
            return await _more(staff, tokens, request, method, parts)
    raise ApiRefused(404, "not_found", "no such API resource or method")


async def _more(
    staff: Staff, tokens: ApiTokens, request: Request, method: str, parts: list[str]
) -> Response:
    """The case endpoints (:mod:`._api_cases`) and parcel cancellation, their errors as JSON."""
    try:
        match method, parts:
            case "POST", ["dossiers", code, "parcels", reference, "cancel"]:
                account = _caller(staff, tokens, request, Action.CANCEL_PARCEL)
                reason = _form(await _body(request)).get("reason", "")
                shipment = await run_in_threadpool(
                    cancel_parcel, staff, account, _code(code), reference, reason
                )
                return JSONResponse(converter.unstructure(shipment))
            case "GET", ["cases"]:
                account = _caller(staff, tokens, request, Action.HANDLE_CASES)
                return await cases.list_cases(
                    staff, account, request.query_params.get("queue", "open")
                )
            case "GET", ["cases", case_id]:
                account = _caller(staff, tokens, request, Action.HANDLE_CASES)
                return await cases.show_case(staff, account, case_id)
            case "POST", ["cases", case_id, "actions", name] if name in CASE_ACTIONS_BY_NAME:
                action = CASE_ACTIONS_BY_NAME[name]
                account = _caller(staff, tokens, request, action.permission)
                form = _form(await _body(request))
                return await cases.act_on_case(staff, account, case_id, action, form)
    except (CaseNotFound, ShipmentUnknown) as exc:
        raise ApiRefused(404, "not_found", str(exc)) from None
    except TthcError as exc:
        raise _refused(exc) from None
    raise ApiRefused(404, "not_found", "no such API resource or method")


async def _procedures(staff: Staff, query: str) -> Response:
    def load() -> list[Any]:
        with staff.store.unit_of_work() as uow:
            return uow.catalogue.all()

    found = search_procedures(await run_in_threadpool(load), query)
    return JSONResponse([converter.unstructure(p) for p in found])


async def _receive(staff: Staff, account: Account, body: dict[str, Any]) -> Response:
    form = _form(body)

    def run() -> Dossier:
        try:
            procedure = find_procedure(staff, form.get("procedure_code", ""))
        except HTTPException:
            raise ApiRefused(404, "not_found", "no such procedure in the catalogue") from None
        try:
            code = receive_from_form(staff, account, procedure, form)
            with staff.store.unit_of_work() as uow:
                return load_dossier(uow, DossierCode.parse(code))
        except TthcError as exc:
            raise _refused(exc) from None

    dossier = await run_in_threadpool(run)
    return JSONResponse(_dossier_body(dossier, account), status_code=201)


async def _show(staff: Staff, account: Account, code: DossierCode) -> Response:
    def run() -> Dossier:
        with staff.store.unit_of_work() as uow:
            try:
                return load_dossier(uow, code)
            except DossierNotFound as exc:
                raise ApiRefused(404, "not_found", str(exc)) from None

    return JSONResponse(_dossier_body(await run_in_threadpool(run), account))
