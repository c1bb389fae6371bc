"""``tthc serve``: run the web application (uvicorn) and, by default, the queue workers.

Composition root of the service; what it reads is in
:mod:`tthc_adapters.cli._service`. ``--workers N`` runs ``N`` uvicorn
processes sharing the port; each builds its own app and store from the same
options. The queue workers (the outbox sender and the inbox handler,
:mod:`tthc_adapters.cli._workers`) run in the serving process when it is the
only one, or when ``--queue-workers`` asks; with several processes, or with
``--no-queue-workers``, run ``tthc worker`` beside the server. An accepted
chat event wakes the in-process inbox worker at once; other workers poll.

The staff pages (``/staff/``): ``TTHC_STAFF_SECRET`` signs their session cookie (unset: a
random one, shared by this run's processes, so sessions end with the server);
``TTHC_STAFF_HTTPS_ONLY=1`` behind TLS; an empty catalogue gets the sample catalogue.
Chat messages are logged unless Zalo is configured. Online filing (files directory,
payment webhook, fee account): :mod:`tthc_adapters.cli._online`.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import threading
from collections.abc import Callable
from typing import Any

import attrs

from tthc_adapters.bootstrap import system_clock
from tthc_adapters.cli._service import (
    OPTIONS_ENV,
    Service,
    ServiceOptions,
    add_service_arguments,
    load_settings,
    postal_from_env,
    webhook_secrets,
)
from tthc_adapters.cli._workers import STOP_SECONDS, OutboxThread, QueueWorkers
from tthc_core.desk import Desk
from tthc_core.filing import BlobStore
from tthc_core.storage import Store

__all__ = [
    "OutboxThread",
    "app_from_environment",
    "load_settings",
    "postal_from_env",
    "register",
    "run",
]

logger = logging.getLogger("tthc.serve")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve``."""
    parser = subparsers.add_parser(
        "serve",
        help="run the web service: status pages, webhooks, Open311 (needs tthc[server])",
        description="Run the status pages, the postal and chat webhooks and the Open311 "
        "endpoints with uvicorn, and the outbox and inbox workers in the background.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8000, help="port to bind; 0 picks a free one (default 8000)"
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="server processes sharing the port (default 1)",
    )
    parser.add_argument(
        "--queue-workers",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run the outbox and inbox workers in this process (default: yes with one "
        "server process, no with several; then run `tthc worker`)",
    )
    parser.add_argument(
        "--fast-ack",
        action="store_true",
        help="answer a chat event once it is in the database's log, before the flush to disk: "
        "it survives a crash of tthc, not a power cut (default: after the flush)",
    )
    add_service_arguments(parser)
    parser.set_defaults(handler=run)


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def app_from_environment() -> Any:
    """The app of one server process of ``serve --workers N`` (a uvicorn factory)."""
    options = ServiceOptions.from_env(os.environ)
    return _app(Service.open(options, os.environ), options)


def _app(
    service: Service, options: ServiceOptions, on_accepted: Callable[[], None] | None = None
) -> Any:
    """The web application of ``service`` (webhooks, pages, staff desk, results, payments)."""
    from tthc_adapters.app import create_app
    from tthc_adapters.app._throttle import ThrottleSettings

    postal_secret, chat_secret = webhook_secrets(os.environ)
    return create_app(
        service.store,
        service.desk,
        postal_secret=postal_secret,
        clock=system_clock,
        chat_secret=chat_secret,
        on_accepted=on_accepted,
        durable_ack=not options.fast_ack,
        throttle=ThrottleSettings.from_env(os.environ),
        staff=_staff(service.store, service.desk, service.blobs),
        zalo=service.zalo_webhook,
        payment_secret=service.payment_secret,
        results=service.blobs,
    )


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; returns 0."""
    import uvicorn

    from tthc_adapters.app import uvicorn_options

    logging.basicConfig(
        level=args.log_level.upper(), format="%(levelname)-8s %(name)s: %(message)s"
    )
    options = attrs.evolve(ServiceOptions.from_args(args), fast_ack=args.fast_ack)
    service = Service.open(options, os.environ)
    _seed_catalogue(service.store)
    if service.postal is None:
        logger.warning("no postal operator (TTHC_POSTAL_URL...): postal orders stay in the outbox")
    in_process = args.queue_workers if args.queue_workers is not None else args.workers == 1
    workers = None
    if in_process:
        workers = QueueWorkers(
            service.store,
            service.desk,
            service.dispatcher,
            budget=service.chat_budget,
            handlers=service.inbox_handlers(),
            portal=service.portal,
        )
    elif args.workers == 1 or args.queue_workers is None:
        logger.info("queue workers not in this process: run `tthc worker` beside the server")
    common: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "timeout_graceful_shutdown": int(STOP_SECONDS),
        **uvicorn_options(),  # no banner; security headers on uvicorn's own answers
    }
    if args.workers == 1:
        app = _app(service, options, None if workers is None else workers.wake_inbox)
        config = uvicorn.Config(app, **common)
    else:
        os.environ[OPTIONS_ENV] = options.to_env()
        # One session secret for every server process (a staff login works on any).
        os.environ.setdefault("TTHC_STAFF_SECRET", secrets.token_urlsafe(48))
        config = uvicorn.Config(
            f"{__name__}:app_from_environment", factory=True, workers=args.workers, **common
        )
    if workers is not None:
        workers.start()
    restore = _on_sigterm_raise()
    try:
        _serve(uvicorn, config)
    except (_Terminated, KeyboardInterrupt):
        pass  # uvicorn has shut down gracefully and re-raised the signal that stopped it
    finally:
        restore()
        if workers is not None and not workers.stop():
            logger.warning("the queue workers did not stop within %s s", STOP_SECONDS)
        service.close()
        logger.info("stopped: queue workers and store closed")
    return 0


def _serve(uvicorn: Any, config: Any) -> None:
    """Run one server, or a supervisor of ``config.workers`` processes sharing one socket."""
    if config.workers == 1:
        uvicorn.Server(config).run()
        return
    from uvicorn.supervisors import Multiprocess

    Multiprocess(config, sockets=[config.bind_socket()]).run()


def _seed_catalogue(store: Store) -> None:
    """Load the sample commune catalogue into an empty catalogue (``tthc catalog import``)."""
    from tthc_adapters.catalogue_io import sample_catalogue

    with store.unit_of_work() as uow:
        if uow.catalogue.all():
            return
        for procedure in sample_catalogue():
            uow.catalogue.put(procedure)
        uow.commit()
    logger.warning("the catalogue was empty: loaded the sample (replace: tthc catalog import)")


def _staff(store: Store, desk: Desk, blobs: BlobStore | None = None) -> Any:
    """The officials' desk under /staff/ (``TTHC_STAFF_SECRET`` signs its session cookie)."""
    from tthc_adapters.staff import staff_app
    from tthc_adapters.storage import accounts_for, tokens_for

    secret = os.environ.get("TTHC_STAFF_SECRET") or ""
    if not secret:
        logger.warning("TTHC_STAFF_SECRET is not set: staff sessions end when the server stops")
        secret = secrets.token_urlsafe(48)
    return staff_app(
        store,
        desk,
        accounts=accounts_for(store),
        clock=system_clock,
        secret_key=secret,
        https_only=os.environ.get("TTHC_STAFF_HTTPS_ONLY") == "1",
        tokens=tokens_for(store),
        blobs=blobs,
    )


class _Terminated(Exception):  # noqa: N818 - a signal, not an error
    """SIGTERM, as an exception in the main thread."""


def _on_sigterm_raise() -> Any:
    """Make SIGTERM raise :class:`_Terminated`; returns what restores the previous handler.

    uvicorn handles SIGINT and SIGTERM while it serves, shuts down gracefully,
    then raises the signal again for the previous handler: SIGINT's default
    raises KeyboardInterrupt, but SIGTERM's would end the process at once,
    skipping the worker's and the store's clean-up.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminated)
    return lambda: signal.signal(signal.SIGTERM, previous)
