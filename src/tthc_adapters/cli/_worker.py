"""``tthc worker``: the outbox and inbox workers as a process of their own.

Run one or more beside ``tthc serve --workers N`` (or ``--no-queue-workers``):
the inbox worker answers accepted chat events, the outbox worker sends what
they and the desk queued. Workers share the queues through leases, so any
number may run, and one killed mid-batch (even with ``kill -9``) leaves its
leases to expire: after ``--lease`` seconds another worker — or this one,
restarted — takes its events over, and each is answered once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import signal
import threading

from tthc_adapters.cli._service import Service, ServiceOptions, add_service_arguments
from tthc_adapters.cli._workers import QueueWorkers

__all__ = ["register", "run"]

logger = logging.getLogger("tthc.worker")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``worker``."""
    parser = subparsers.add_parser(
        "worker",
        help="run the outbox and inbox workers (beside `tthc serve --workers N`)",
        description="Answer accepted chat events (inbox) and send queued messages (outbox) "
        "until SIGINT or SIGTERM.",
    )
    parser.add_argument(
        "--lease",
        type=float,
        default=60.0,
        help="seconds a claimed event is reserved before another worker may take it (default 60)",
    )
    parser.add_argument(
        "--poll",
        type=float,
        default=0.2,
        help="seconds between polls of an empty queue (default 0.2)",
    )
    add_service_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Work until SIGINT or SIGTERM; returns 0."""
    logging.basicConfig(
        level=args.log_level.upper(), format="%(levelname)-8s %(name)s: %(message)s"
    )
    service = Service.open(ServiceOptions.from_args(args), os.environ)
    workers = QueueWorkers(
        service.store,
        service.desk,
        service.dispatcher,
        lease=dt.timedelta(seconds=args.lease),
        poll_interval=args.poll,
        budget=service.chat_budget,
        handlers=service.inbox_handlers(),
        portal=service.portal,
    )
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    workers.start()
    logger.info("queue workers running (pid %s)", os.getpid())
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        workers.stop()
        service.close()
        logger.info("stopped: queue workers and store closed")
    return 0
