"""``GET /ket-qua/<code>/<key id>.<tag>``: the electronic result's PDF, behind its tag.

An unknown code, a wrong tag and a missing file get the same ``404`` page, so
the route tells nothing to someone guessing links
(:func:`tthc_core.desk.open_e_result`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tthc_adapters.app._reads import run_read
from tthc_core.desk import RESULT_PATH, Desk, open_e_result
from tthc_core.filing import BlobStore
from tthc_core.storage import Store

__all__ = ["result_routes"]


def result_routes(
    store: Store, desk: Desk, blobs: BlobStore | None, *, not_found: Callable[[Request], Response]
) -> list[Route]:
    """The download route, when a blob store is configured."""
    if blobs is None:
        return []

    def fetch(code: str, token: str) -> tuple[str, bytes] | None:
        with store.read_only() as uow:
            result = open_e_result(uow, desk.keys, code, token)
        data = None if result is None else blobs.get(result.blob.sha256)
        return None if result is None or data is None else (str(result.dossier_code), data)

    async def download(request: Request) -> Response:
        found = await run_read(fetch, request.path_params["code"], request.path_params["token"])
        if found is None:
            return not_found(request)
        code, data = found
        return Response(
            data,
            media_type="application/pdf",
            headers={
                "content-disposition": f'attachment; filename="ket-qua-{code}.pdf"',
                "cache-control": "private, no-store",
                "x-content-type-options": "nosniff",
            },
        )

    endpoint: Callable[[Request], Awaitable[Response]] = download
    return [Route(f"{RESULT_PATH}/{{code}}/{{token}}", endpoint, methods=["GET"])]
