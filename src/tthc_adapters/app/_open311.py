"""Open311 GeoReport v2 read endpoints over the stored cases (JSON only).

open311.org GeoReport v2: ``GET services``, ``GET requests`` and ``GET
requests/{id}``. Each case is projected by
:func:`tthc_core.complaint.georeport_request`, which is public and
identity-free (no sender, no sender's words; names, phones and addresses
scrubbed from what it publishes). ``GET requests`` takes:

* ``start_date`` / ``end_date`` (ISO 8601; a time without offset is Vietnam
  time) on ``requested_datetime``, both inclusive, at most 90 days apart;
  by default the 90 days up to now;
* ``status`` (``open`` or ``closed``) and ``service_code`` (comma-separated);
* ``service_request_id`` (comma-separated), which overrides the other filters;

and returns at most 1,000 requests, newest first. Errors follow the
GeoReport form, ``[{"code": 400, "description": "..."}]``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tthc_core.calendar import VN_TZ
from tthc_core.complaint import SERVICES, Case, CaseKind, georeport_request
from tthc_core.errors import InvalidInput
from tthc_core.storage import Clock, ReadUnitOfWork, Store
from tthc_core.storage.kinds import COMPLAINTS

__all__ = ["MAX_REQUESTS", "MAX_WINDOW", "PREFIX", "georeport_error", "open311_routes"]

#: Where the endpoints live.
PREFIX = "/open311/v2"
#: GeoReport v2: at most 1,000 requests per answer.
MAX_REQUESTS = 1000
#: GeoReport v2: the default and the widest date range.
MAX_WINDOW = dt.timedelta(days=90)
_PAGE = 500
_PLUS_AS_SPACE = re.compile(r"(?<=[0-9]) ([0-9]{2}(?::?[0-9]{2})?)$")
_MAX_IDS = 100

_GROUPS = {
    CaseKind.SERVICE_FEEDBACK: "Góp ý, phản ánh, kiến nghị",
    CaseKind.PETITION: "Góp ý, phản ánh, kiến nghị",
    CaseKind.COMPLAINT: "Khiếu nại, tố cáo",
    CaseKind.DENUNCIATION: "Khiếu nại, tố cáo",
}
_BASIS = {
    CaseKind.SERVICE_FEEDBACK: "Nghị định 20/2008/NĐ-CP; Quyết định 766/QĐ-TTg",
    CaseKind.PETITION: "Nghị định 20/2008/NĐ-CP",
    CaseKind.COMPLAINT: "Luật Khiếu nại 2011; Nghị định 124/2020/NĐ-CP",
    CaseKind.DENUNCIATION: "Luật Tố cáo 2018",
}


def georeport_error(status: int, description: str) -> JSONResponse:
    """A GeoReport v2 error body with ``status``."""
    return JSONResponse([{"code": status, "description": description}], status_code=status)


def services() -> list[dict[str, Any]]:
    """GeoReport ``GET services``: one service per case kind (and complaint level)."""
    return [
        {
            "service_code": code,
            "service_name": name,
            "description": f"{name} (căn cứ: {_BASIS[kind]})",
            "metadata": False,
            "type": "realtime",
            "keywords": None,
            "group": _GROUPS[kind],
        }
        for (kind, _level), (code, name) in SERVICES.items()
    ]


def _instant(text: str, name: str) -> dt.datetime:
    # An unescaped "+" in a query string arrives as a space: "…T08:00:00 07:00".
    cleaned = _PLUS_AS_SPACE.sub(r"+\1", text.strip())
    try:
        value = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(f"{name} must be an ISO 8601 date or datetime, got {text!r}") from None
    return value if value.utcoffset() is not None else value.replace(tzinfo=VN_TZ)


def _window(query: Mapping[str, str], now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = _instant(query["start_date"], "start_date") if query.get("start_date") else None
    end = _instant(query["end_date"], "end_date") if query.get("end_date") else None
    if end is None:
        end = now if start is None else start + MAX_WINDOW
    if start is None:
        start = end - MAX_WINDOW
    if end < start:
        raise InvalidInput("end_date is before start_date")
    if end - start > MAX_WINDOW:
        raise InvalidInput("start_date and end_date may be at most 90 days apart")
    return start, end


def _codes(query: Mapping[str, str]) -> set[str] | None:
    text = query.get("service_code")
    if not text:
        return None
    codes = {c.strip() for c in text.split(",") if c.strip()}
    known = {code for code, _ in SERVICES.values()}
    if unknown := codes - known:
        raise InvalidInput(
            f"unknown service_code {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
        )
    return codes


def _all_cases(uow: ReadUnitOfWork) -> Iterator[Case]:
    repo, after = uow.repository(COMPLAINTS), None
    while page := repo.page(after=after, limit=_PAGE):
        yield from page
        after = page[-1].case_id


def list_requests(store: Store, query: Mapping[str, str], now: dt.datetime) -> list[dict[str, Any]]:
    """GeoReport ``GET requests``: the filtered, newest-first, capped list.

    Args:
        store: The store.
        query: The query parameters.
        now: The current instant (the default window ends here).

    Raises:
        InvalidInput: If a parameter is malformed (the reason names it).
    """
    status = query.get("status") or None
    if status not in (None, "open", "closed"):
        raise InvalidInput(f"status must be 'open' or 'closed', got {status!r}")
    ids = [i.strip() for i in (query.get("service_request_id") or "").split(",") if i.strip()]
    if len(ids) > _MAX_IDS:
        raise InvalidInput(f"at most {_MAX_IDS} service_request_id values per call")
    codes = _codes(query)
    start, end = _window(query, now)
    with store.read_only() as uow:
        if ids:
            repo = uow.repository(COMPLAINTS)
            found = [c for i in dict.fromkeys(ids) if (c := repo.get(i)) is not None]
            return [georeport_request(c) for c in found]
        requests = [georeport_request(c) for c in _all_cases(uow) if start <= c.received_at <= end]
    matching = [
        r
        for r in requests
        if (status is None or r["status"] == status)
        and (codes is None or r["service_code"] in codes)
    ]
    matching.sort(key=lambda r: (r["requested_datetime"], r["service_request_id"]), reverse=True)
    return matching[:MAX_REQUESTS]


def open311_routes(store: Store, *, clock: Clock) -> list[Route]:
    """The three GeoReport v2 routes.

    Args:
        store: The store.
        clock: Tells the time (the default date window).
    """

    async def services_endpoint(_: Request) -> Response:
        return JSONResponse(services())

    async def requests_endpoint(request: Request) -> Response:
        query = dict(request.query_params)
        try:
            body = await run_in_threadpool(list_requests, store, query, clock())
        except InvalidInput as exc:
            return georeport_error(400, exc.reason)
        return JSONResponse(body)

    async def request_endpoint(request: Request) -> Response:
        case_id = request.path_params["request_id"]

        def get() -> Case | None:
            with store.read_only() as uow:
                return uow.repository(COMPLAINTS).get(case_id)

        case = await run_in_threadpool(get)
        if case is None:
            return georeport_error(404, f"no service request {case_id}")
        return JSONResponse([georeport_request(case)])

    return [
        Route(f"{PREFIX}/services.json", services_endpoint, methods=["GET"]),
        Route(f"{PREFIX}/requests.json", requests_endpoint, methods=["GET"]),
        Route(f"{PREFIX}/requests/{{request_id}}.json", request_endpoint, methods=["GET"]),
    ]
