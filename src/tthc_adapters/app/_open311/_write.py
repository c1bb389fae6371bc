"""GeoReport v2 ``POST requests``: a client application files a citizen's report.

open311.org GeoReport v2, "POST Service Request": the body is
``application/x-www-form-urlencoded; charset=utf-8`` (a JSON object is also
accepted), with ``api_key``, ``service_code``, the optional location and
person fields, ``description`` and ``attribute[code]=value``. Here:

* the API key (form field ``api_key`` or header ``X-API-Key``) names an
  active client application (``tthc open311 key add NAME``): missing,
  unknown or revoked, 403 (GeoReport v2 "Errors"); each application is throttled (429 with
  ``Retry-After``);
* the post is read against the service's definition and filed through the
  core intake (:func:`tthc_core.desk.file_open311`), and its token is
  recorded in the same transaction;
* the answer is ``201`` with ``service_request_id`` (the services are
  ``realtime``) and the statutory deadline as ``service_notice``; a client that
  sends ``Prefer: respond-async`` (RFC 7240) gets ``202`` with a ``token``
  instead, which ``GET tokens/{token}`` resolves.

A field sent twice is a 400 naming it (only ``attribute[code][]`` takes several
values); the body is at most :data:`MAX_BODY` bytes of UTF-8.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.app._http import BadBody, parse_json, read_bytes
from tthc_adapters.app._open311._formats import Format, render
from tthc_adapters.app._open311._keys import find_client
from tthc_adapters.app._open311._query import single_values
from tthc_adapters.app._open311._read import error
from tthc_adapters.app._throttle import Throttle
from tthc_core.calendar import to_local
from tthc_core.complaint import Area, Case, georeport_request
from tthc_core.desk import (
    Desk,
    FilingRefused,
    Open311Filing,
    UnknownService,
    file_open311,
    read_filing,
)
from tthc_core.errors import InvalidInput
from tthc_core.storage import Clock, ConcurrencyConflict, Open311Token, Store

__all__ = ["MAX_BODY", "Posted", "WriteEndpoint", "read_post"]

#: The largest post read (a description is at most 4,000 characters).
MAX_BODY = 64 * 1024
_MAX_FIELDS = 100
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]{1,64})\](\[\])?")
_PREFIX = {"service_feedback": "GY", "petition": "PA"}


class _Refused(Exception):  # noqa: N818 - reads best at raise sites
    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.headers = status, reason, headers


@attrs.frozen
class Posted:
    """A post's fields, read from its body.

    Args:
        fields: Single-valued fields by name (empty ones dropped).
        attributes: ``attribute[code]`` values by code.
    """

    fields: Mapping[str, str]
    attributes: Mapping[str, Sequence[str]]


def _pairs_of_json(raw: bytes) -> list[tuple[str, str]]:
    body = parse_json(raw)  # the service's one strict JSON reader
    pairs: list[tuple[str, str]] = []
    for name, value in body.items():
        if name == "attribute" and isinstance(value, dict):
            for code, given in value.items():
                for item in given if isinstance(given, list) else [given]:
                    pairs.append((f"attribute[{code}][]", _scalar(f"attribute[{code}]", item)))
        else:
            pairs.append((name, _scalar(name, value)))
    return pairs


def _scalar(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InvalidInput(f"{name} must be a string or a number")
    return str(value)


def read_post(body: bytes, content_type: str) -> Posted:
    """Read a post's body (form-encoded or JSON).

    Raises:
        InvalidInput: If it is not UTF-8, not a form or object, or repeats a field.
    """
    if content_type.split(";", maxsplit=1)[0].strip().lower() == "application/json":
        pairs = _pairs_of_json(body)
    else:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("the body must be UTF-8") from None
        try:
            pairs = urllib.parse.parse_qsl(
                text, keep_blank_values=True, errors="strict", max_num_fields=_MAX_FIELDS
            )
        except ValueError as exc:
            raise InvalidInput(f"the body is not a valid form ({exc})") from None
    attributes: dict[str, list[str]] = {}
    singles: list[tuple[str, str]] = []
    for name, value in pairs:
        if "\x00" in name or "\x00" in value:
            raise InvalidInput(f"{name!r} holds a NUL character")
        if match := _ATTRIBUTE.fullmatch(name):
            code, many = match.group(1), match.group(2)
            if not many and code in attributes:
                raise InvalidInput(f"attribute[{code}] is given more than once")
            attributes.setdefault(code, []).append(value)
        else:
            singles.append((name, value))
    return Posted(single_values(singles), attributes)


async def _body(request: Request) -> bytes:
    """The raw body, form or JSON (``_http.read_body`` takes JSON bodies only)."""
    return await read_bytes(request, limit=MAX_BODY)


def _case_id(kind: str, at: dt.datetime) -> str:
    return f"{_PREFIX[kind]}-{to_local(at):%Y%m%d}-{secrets.token_hex(4).upper()}"


class WriteEndpoint:
    """``POST requests.{fmt}``.

    Args:
        store: The store.
        desk: The desk whose agency receives the cases.
        clock: Tells the time (receipt; deadlines).
        throttle: The per-application limit.
        area: The commune (in the answer's notice).
        prefix: Where the GeoReport endpoint lives (``Location`` headers).
    """

    def __init__(
        self,
        store: Store,
        desk: Desk,
        *,
        clock: Clock,
        throttle: Throttle,
        area: Area | None,
        prefix: str,
    ) -> None:
        self.store = store
        self.desk = desk
        self.clock = clock
        self.throttle = throttle
        self.area = area
        self.prefix = prefix

    async def __call__(self, request: Request) -> Response:
        """File the post, or answer why not."""
        fmt = Format(request.path_params["fmt"])
        try:
            case, token, filing = await self._accept(request)
        except _Refused as refused:
            return error(fmt, refused.status, refused.reason, headers=refused.headers)
        notice = georeport_request(case, area=self.area)["service_notice"]
        answer: dict[str, Any] = {"service_notice": notice, "account_id": filing.account_id}
        if "respond-async" in request.headers.get("prefer", "").lower():
            location = f"{self.prefix}/tokens/{token}.{fmt.value}"
            body = [{"token": token, **answer}]
            return render(fmt, "service_requests", body, status=202, headers={"location": location})
        location = f"{self.prefix}/requests/{case.case_id}.{fmt.value}"
        body = [{"service_request_id": case.case_id, **answer}]
        return render(fmt, "service_requests", body, status=201, headers={"location": location})

    async def _accept(self, request: Request) -> tuple[Case, str, Open311Filing]:
        try:
            posted = read_post(await _body(request), request.headers.get("content-type", ""))
        except BadBody as exc:
            raise _Refused(exc.status, exc.reason) from None
        except InvalidInput as exc:
            raise _Refused(400, exc.reason) from None
        fields = dict(posted.fields)
        key = fields.pop("api_key", None) or request.headers.get("x-api-key", "").strip()
        if not key:
            raise _Refused(403, "api_key was not provided: a client application needs one")
        client = await run_in_threadpool(find_client, self.store, key)
        if client is None:
            raise _Refused(403, "api_key is not valid (unknown or revoked)")
        decision = self.throttle.hit(client.name)
        if not decision.allowed:
            wait = decision.retry_after
            reason = f"too many posts from {client.name}; try again in {wait} s"
            raise _Refused(429, reason, {"retry-after": str(wait)})
        code = fields.pop("service_code", "")
        if not code:
            raise _Refused(400, "service_code was not provided")
        fields.pop("jurisdiction_id", None)
        try:
            filing = read_filing(code, fields, posted.attributes)
            case, token = await run_in_threadpool(self._file, filing, client.name)
        except UnknownService as exc:
            raise _Refused(404, exc.reason) from None
        except FilingRefused as exc:
            raise _Refused(400, f"{exc.reason} [{exc.rule}]") from None
        except InvalidInput as exc:
            raise _Refused(400, exc.reason) from None
        return case, token, filing

    def _file(self, filing: Open311Filing, client: str) -> tuple[Case, str]:
        at = self.clock()
        attempts = 3  # a new random case id after a (very unlikely) collision
        for attempt in range(1, attempts + 1):
            token = secrets.token_urlsafe(16)
            case_id = _case_id(filing.service.kind.value, at)
            try:
                with self.store.unit_of_work() as uow:
                    case = file_open311(uow, self.desk, filing, case_id=case_id, at=at)
                    uow.open311.add_token(Open311Token(token, case.case_id, client, at))
                    uow.commit()
            except ConcurrencyConflict:
                if attempt == attempts:
                    raise
                continue
            return case, token
        raise AssertionError("unreachable")  # pragma: no cover
