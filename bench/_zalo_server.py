"""The server the Zalo benchmark loads: ``tthc serve``'s app with Zalo on, plus a bare endpoint.

Run as ``python -m bench._zalo_server --db URL --port N``. The queue workers
run in-process as ``tthc serve`` runs them; ``GET /bare`` is the peer.
"""

from __future__ import annotations

import argparse
import os

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from bench._service_server import bare
from tthc_adapters.app import create_app
from tthc_adapters.bootstrap import system_clock
from tthc_adapters.cli._service import Service, ServiceOptions
from tthc_adapters.cli._workers import QueueWorkers
from tthc_adapters.zalo._fake_server import FakeZaloServer


def main() -> None:
    """Serve until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    fake = FakeZaloServer()  # its keys only (the events are signed with them)
    os.environ.update(
        {
            "TTHC_POSTAL_SECRET": "p" * 32,
            "TTHC_ZALO_APP_ID": fake.app_id,
            "TTHC_ZALO_OA_ID": fake.oa_id,
            "TTHC_ZALO_OA_SECRET": fake.oa_secret,
            "TTHC_ZALO_APP_SECRET": fake.app_secret,
            "TTHC_ZALO_OA_BASE": "http://127.0.0.1:9",  # replies fail and are retried later
            "TTHC_ZALO_OAUTH_BASE": "http://127.0.0.1:9",
        }
    )
    service = Service.open(ServiceOptions(db=args.db, demo_key=True), os.environ)
    workers = QueueWorkers(service.store, service.desk, service.dispatcher)
    tthc = create_app(
        service.store,
        service.desk,
        postal_secret="p" * 32,
        clock=system_clock,
        on_accepted=workers.wake_inbox,
        zalo=service.zalo_webhook,
    )
    app = Starlette(routes=[Route("/bare", bare), Mount("/", app=tthc)])
    workers.start()
    config = uvicorn.Config(app, host="127.0.0.1", port=args.port, log_level="warning")
    try:
        uvicorn.Server(config).run()
    finally:
        workers.stop()
        service.close()


if __name__ == "__main__":
    main()
