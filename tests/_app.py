"""Helpers for the web application tests: a test client over a store and the demo desk."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

from tests._desk import at

from tthc_adapters.app import create_app
from tthc_adapters.app._throttle import ThrottleSettings
from tthc_core.desk import Desk
from tthc_core.dossier import Dossier
from tthc_core.storage import Store

with warnings.catch_warnings():
    # Starlette prefers httpx2 for its test client; httpx (the postal extra's) works.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = [
    "CHAT_SECRET",
    "NOW",
    "POSTAL_SECRET",
    "UNTHROTTLED",
    "TestClient",
    "client_for",
    "qr_path",
]

POSTAL_SECRET = "postal-callback-secret"  # noqa: S105 - a test value
CHAT_SECRET = "chat-webhook-secret"  # noqa: S105 - a test value
#: The clock of the app under test: the morning after the test dossiers' receipt.
NOW = at(11, 24, 9)
#: No rate limits: tests of other behaviour make many requests from one address.
UNTHROTTLED = ThrottleSettings(pages=None, chat_lookups=None)


def client_for(store: Store, desk: Desk, *, now: dt.datetime = NOW, **options: Any) -> TestClient:
    """A test client over :func:`create_app` with the test secrets and a fixed clock.

    Server errors are answered by the app's handler, not raised into the test.
    Rate limits are off unless ``throttle=`` names them.
    """
    app = create_app(
        store,
        desk,
        postal_secret=POSTAL_SECRET,
        clock=lambda: now,
        chat_secret=options.pop("chat_secret", CHAT_SECRET),
        throttle=options.pop("throttle", UNTHROTTLED),
        **options,
    )
    return TestClient(app, raise_server_exceptions=False)


def qr_path(desk: Desk, dossier: Dossier) -> str:
    """The path of the dossier's receipt QR URL, exactly as the QR holds it (upper case)."""
    url = desk.codec.url(desk.codec.sign(dossier.code, desk.keys))
    _host, _, path = url.removeprefix("HTTPS://").partition("/")
    return f"/{path}"
