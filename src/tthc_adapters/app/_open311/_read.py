"""The GeoReport v2 read endpoints: discovery, services, service definitions, requests, tokens.

Every resource answers in XML (``.xml``) and JSON (``.json``); errors are
GeoReport ``<errors>`` / ``[{"code", "description"}]`` in the format asked for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.app._open311._formats import JSON_TYPE, XML_TYPE, Format, error_body, render
from tthc_adapters.app._open311._query import list_requests, read_query
from tthc_core.complaint import (
    GEO_SERVICES,
    Area,
    Case,
    geo_service,
    georeport_definition,
    georeport_request,
    georeport_services,
)
from tthc_core.errors import InvalidInput
from tthc_core.storage import Clock, Open311Token, Store
from tthc_core.storage.kinds import COMPLAINTS

__all__ = [
    "CHANGESET",
    "SPECIFICATION",
    "Endpoint",
    "ReadEndpoints",
    "definitions_digest",
    "error",
]

#: Service Discovery ``changeset``: when the services or their definitions last changed.
#: Bump it with :func:`definitions_digest`'s pinned value in the tests.
CHANGESET = "2026-11-29 10:00"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


def definitions_digest() -> str:
    """A digest of every service and definition (the tests pin it to :data:`CHANGESET`)."""
    data = [georeport_services(), [georeport_definition(s) for s in GEO_SERVICES]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def error(
    fmt: Format, status: int, description: str, *, headers: Mapping[str, str] | None = None
) -> Response:
    """A GeoReport error in ``fmt``."""
    return render(fmt, "errors", error_body(status, description), status=status, headers=headers)


class ReadEndpoints:
    """The read endpoints over a store.

    Args:
        store: The store.
        clock: Tells the time (the default date window).
        area: The commune every request is placed in.
        contact: Service Discovery ``contact``.
        prefix: Where the GeoReport endpoint lives (its URL in discovery).
    """

    def __init__(
        self, store: Store, *, clock: Clock, area: Area | None, contact: str, prefix: str
    ) -> None:
        self.store = store
        self.clock = clock
        self.area = area
        self.contact = contact
        self.prefix = prefix

    async def discovery(self, request: Request) -> Response:
        """Service Discovery: the endpoint, its formats and the changeset."""
        fmt = Format(request.path_params["fmt"])
        url = str(request.base_url).rstrip("/") + self.prefix
        body = {
            "changeset": CHANGESET,
            "contact": self.contact,
            "key_service": (
                "Khóa API cấp cho từng ứng dụng kết nối, do quản trị viên hệ thống cấp "
                "(tthc open311 key add TÊN). API keys are issued per client application "
                "by the administrator."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": url,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": [XML_TYPE.split(";")[0], JSON_TYPE.split(";")[0]],
                }
            ],
        }
        return render(fmt, "discovery", body)

    async def services(self, request: Request) -> Response:
        """GET Service List."""
        return render(Format(request.path_params["fmt"]), "services", georeport_services())

    async def definition(self, request: Request) -> Response:
        """GET Service Definition."""
        fmt = Format(request.path_params["fmt"])
        code = request.path_params["service_code"]
        service = geo_service(code)
        if service is None:
            return error(fmt, 404, f"no service has service_code {code!r}")
        return render(fmt, "service_definition", georeport_definition(service))

    async def requests(self, request: Request) -> Response:
        """GET Service Requests."""
        fmt = Format(request.path_params["fmt"])
        try:
            query = read_query(request.query_params.multi_items(), self.clock())
        except InvalidInput as exc:
            return error(fmt, 400, exc.reason)
        body = await run_in_threadpool(list_requests, self.store, query, area=self.area)
        return render(fmt, "service_requests", body)

    async def one(self, request: Request) -> Response:
        """GET Service Request."""
        fmt = Format(request.path_params["fmt"])
        case_id = request.path_params["request_id"]

        def get() -> Case | None:
            with self.store.read_only() as uow:
                return uow.repository(COMPLAINTS).get(case_id)

        case = await run_in_threadpool(get)
        if case is None:
            return error(fmt, 404, f"no service request {case_id}")
        return render(fmt, "service_requests", [georeport_request(case, area=self.area)])

    async def token(self, request: Request) -> Response:
        """GET service_request_id from a token."""
        fmt = Format(request.path_params["fmt"])
        token = request.path_params["token"]

        def get() -> Open311Token | None:
            with self.store.unit_of_work() as uow:
                return uow.open311.token(token)

        found = await run_in_threadpool(get)
        if found is None:
            return error(fmt, 404, f"no token {token}")
        body = [{"service_request_id": found.case_id, "token": found.token}]
        return render(fmt, "service_requests", body)
