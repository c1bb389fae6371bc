"""The server the service benchmark loads: ``tthc serve``'s app, plus a bare endpoint.

Run as ``python -m bench._service_server --db URL --port N``. One uvicorn
process on loopback serves the tthc application exactly as ``tthc serve``
builds it (its store, the demo desk, the queue workers in-process, woken by
the chat webhook) and, on the same server and settings, ``GET /bare``: a
Starlette endpoint answering "hello" — the peer the ratios are taken against;
and ``POST /fast-ack/webhooks/chat``, the chat webhook as ``serve --fast-ack``
answers it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route

from tthc_adapters.app import create_app
from tthc_adapters.app._status_pages import FRESH as PAGE_FRESH
from tthc_adapters.app._throttle import ThrottleSettings
from tthc_adapters.app._webhooks import chat_webhook
from tthc_adapters.bootstrap import system_clock
from tthc_adapters.cli._service import Service, ServiceOptions
from tthc_adapters.cli._workers import QueueWorkers

#: The status pages' rate limit: counted as in service (the cost is measured), never reached
#: (the default, 30 a minute per address, would make the load a stream of 429 pages).
PAGES_RATE = "100000000/minute"

#: The chat webhook's bearer secret in the benchmark.
CHAT_SECRET = "bench-chat-secret"  # noqa: S105 - a benchmark value


async def bare(_: Request) -> Response:
    """The peer: the least a Starlette endpoint can do."""
    return PlainTextResponse("hello")


def main() -> None:
    """Serve until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--workers-here",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the queue workers in this process (else run `tthc worker` beside it)",
    )
    parser.add_argument(
        "--page-fresh",
        type=float,
        default=PAGE_FRESH.total_seconds(),
        help="seconds a kept status page is sent without reading the store (0: every time)",
    )
    args = parser.parse_args()
    os.environ["TTHC_POSTAL_SECRET"] = "p" * 32
    service = Service.open(ServiceOptions(db=args.db, demo_key=True), os.environ)
    workers = QueueWorkers(service.store, service.desk, service.dispatcher)
    tthc = create_app(
        service.store,
        service.desk,
        postal_secret="p" * 32,
        clock=system_clock,
        chat_secret=CHAT_SECRET,
        throttle=ThrottleSettings(pages=PAGES_RATE),
        on_accepted=workers.wake_inbox if args.workers_here else None,
        page_fresh=dt.timedelta(seconds=args.page_fresh),
    )
    # The chat webhook again, answering before the flush to disk (``serve --fast-ack``).
    fast = chat_webhook(
        service.store,
        service.desk,
        secret=CHAT_SECRET,
        clock=system_clock,
        notify=workers.wake_inbox if args.workers_here else None,
        durable=False,
    )
    app = Starlette(
        routes=[
            Route("/bare", bare),
            Route("/fast-ack/webhooks/chat", fast, methods=["POST"]),
            Mount("/", app=tthc),
        ]
    )
    if args.workers_here:
        workers.start()
    config = uvicorn.Config(app, host="127.0.0.1", port=args.port, log_level="warning")
    try:
        uvicorn.Server(config).run()
    finally:
        if args.workers_here:
            workers.stop()
        service.close()


if __name__ == "__main__":
    main()
