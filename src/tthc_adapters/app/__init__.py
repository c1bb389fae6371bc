"""The runnable service: an ASGI application (Starlette) over the desk's service layer.

* :func:`create_app` — the application; ``tthc serve`` runs it with uvicorn.
* The receipt status pages (:mod:`._lookup`; Jinja2 templates in
  ``templates/`` filled by :mod:`._html`): what the QR on Mẫu 01 opens, in
  Vietnamese; a typed code shows the status only, a genuine QR adds the
  procedure, the masked applicant and the control sheet. Rendered pages are
  kept per dossier version (:mod:`._status_pages`), and the status page and
  chat webhook skip Starlette's routing (:mod:`._hot`).
* Webhooks (:mod:`._webhooks`): postal status callbacks and a generic chat
  webhook, each event handled once.
* Open311 GeoReport v2 read endpoints (:mod:`._open311`).
* Hostile input: one strict JSON reader (:mod:`._http`), rate limits on
  `limits` (:mod:`._throttle`), and :func:`uvicorn_options` (no banner,
  security headers on uvicorn's own answers; :mod:`._server`).

Needs the ``server`` extra (``pip install 'tthc[server]'``).
"""

from __future__ import annotations

from tthc_adapters.app._app import create_app
from tthc_adapters.app._lookup import (
    Found,
    LookupPath,
    Malformed,
    NotFound,
    SheetRow,
    StatusDetails,
    look_up,
    mask_name,
    split_path,
)
from tthc_adapters.app._server import uvicorn_options
from tthc_adapters.app._webhooks import ChatEvent, chat_event

__all__ = [
    "ChatEvent",
    "Found",
    "LookupPath",
    "Malformed",
    "NotFound",
    "SheetRow",
    "StatusDetails",
    "chat_event",
    "create_app",
    "look_up",
    "mask_name",
    "split_path",
    "uvicorn_options",
]
