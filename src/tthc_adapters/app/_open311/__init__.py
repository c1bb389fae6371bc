"""Open311 GeoReport v2, whole: discovery, services, definitions, requests, posts, tokens.

Routes under :data:`PREFIX` (open311.org GeoReport v2; every resource in XML
and JSON, chosen by its suffix):

* ``GET discovery.{xml,json}`` (also at ``/open311/discovery.*``) — Service Discovery;
* ``GET services.{fmt}``, ``GET services/{code}.{fmt}`` — the services (one per
  case kind) and their definitions (:mod:`tthc_core.complaint`);
* ``GET requests.{fmt}``, ``GET requests/{id}.{fmt}`` — cases, public and
  identity-free (:mod:`._query` reads the filters);
* ``POST requests.{fmt}`` — a client application files a report (:mod:`._write`);
* ``GET tokens/{token}.{fmt}`` — the case a post created.

Every request is placed in the desk's commune (``address``/``address_id``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tthc_adapters.app._open311._formats import Format
from tthc_adapters.app._open311._keys import (
    DEFAULT_RATE,
    default_throttle,
    hash_key,
    issue_key,
    revoke_key,
)
from tthc_adapters.app._open311._read import Endpoint, ReadEndpoints, error
from tthc_adapters.app._open311._write import WriteEndpoint
from tthc_adapters.app._throttle import Throttle
from tthc_core.complaint import Area
from tthc_core.desk import Desk
from tthc_core.storage import Clock, Store

__all__ = [
    "DEFAULT_RATE",
    "PREFIX",
    "default_throttle",
    "desk_area",
    "georeport_error",
    "hash_key",
    "issue_key",
    "open311_error",
    "open311_routes",
    "revoke_key",
]

#: Where the endpoints live.
PREFIX = "/open311/v2"
_FMT = "{fmt:str}"


def desk_area(desk: Desk) -> Area:
    """The desk's commune, with its province: where every request is placed."""
    place = desk.sender_address
    return Area(place.commune.code, f"{place.commune.name}, {place.province.name}")


def georeport_error(
    request: Request, status: int, description: str, headers: dict[str, str] | None = None
) -> Response:
    """A GeoReport error in the format the path asks for (its suffix)."""
    return open311_error(request.url.path, status, description, headers)


def open311_error(
    path: str, status: int, description: str, headers: dict[str, str] | None = None
) -> Response:
    """A GeoReport error for ``path``, in the format its suffix asks for."""
    return error(Format.of_path(path), status, description, headers=headers)


def _formats(endpoint: Endpoint) -> Endpoint:
    async def checked(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in ("xml", "json"):
            return error(Format.JSON, 404, f"no format {fmt!r}: use .xml or .json")
        return await endpoint(request)

    return checked


def _by_method(get: Endpoint, post: Endpoint) -> Endpoint:
    async def dispatch(request: Request) -> Response:
        return await (post if request.method == "POST" else get)(request)

    return dispatch


def open311_routes(
    store: Store, desk: Desk, *, clock: Clock, throttle: Throttle | None = None
) -> list[Route]:
    """The GeoReport v2 routes.

    Args:
        store: The store.
        desk: The desk (its agency receives posts; its commune places requests).
        clock: Tells the time (the default date window; receipt of posts).
        throttle: The per-application post limit (default :data:`DEFAULT_RATE`).
    """
    area = desk_area(desk)
    read = ReadEndpoints(
        store, clock=clock, area=area, contact=f"{desk.agency_name} — {desk.unit}", prefix=PREFIX
    )
    write = WriteEndpoint(
        store, desk, clock=clock, throttle=throttle or default_throttle(), area=area, prefix=PREFIX
    )
    get = ["GET"]
    return [
        Route(f"/open311/discovery.{_FMT}", _formats(read.discovery), methods=get),
        Route(f"{PREFIX}/discovery.{_FMT}", _formats(read.discovery), methods=get),
        Route(f"{PREFIX}/services.{_FMT}", _formats(read.services), methods=get),
        Route(f"{PREFIX}/services/{{service_code}}.{_FMT}", _formats(read.definition), methods=get),
        Route(
            f"{PREFIX}/requests.{_FMT}",
            _formats(_by_method(read.requests, write)),
            methods=["GET", "POST"],
        ),
        Route(f"{PREFIX}/requests/{{request_id}}.{_FMT}", _formats(read.one), methods=get),
        Route(f"{PREFIX}/tokens/{{token}}.{_FMT}", _formats(read.token), methods=get),
    ]
