"""``tthc serve``: run the web application (uvicorn) and an outbox worker.

Composition root of the service. What it reads:

* the store: ``--db URL``, else ``TTHC_DATABASE_URL``, else ``./tthc.sqlite3``
  (:func:`~tthc_adapters.storage.open_store`, migrations applied);
* the desk: ``--settings FILE`` (TOML, :func:`load_settings`), else the demo
  commune desk (:data:`~tthc_adapters.bootstrap.DEMO_SETTINGS`);
* receipt keys: ``--keys FILE``, else ``TTHC_RECEIPT_KEYS``, else the
  published demo key with ``--demo-key`` (:mod:`tthc_adapters.keys`);
* webhook secrets: ``TTHC_POSTAL_SECRET`` (the ``token`` header of postal
  callbacks; unset, callbacks are refused) and ``TTHC_CHAT_SECRET`` (bearer
  secret of ``POST /webhooks/chat``; unset, that webhook is off);
* the postal operator: ``TTHC_POSTAL_URL``, ``TTHC_POSTAL_USERNAME``,
  ``TTHC_POSTAL_PASSWORD``, ``TTHC_POSTAL_CUSTOMER_CODE`` and optionally
  ``TTHC_POSTAL_SERVICE_CODE``; unset, postal orders stay in the outbox
  (retried with back-off, the reason logged) until one is configured.

The outbox worker drains in a background thread every second (50 messages a
claim) and stops with the server. Chat messages are logged: no chat
platform adapter is wired yet.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import threading
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from tthc_adapters.bootstrap import DEMO_SETTINGS, DeskSettings, Dispatcher, system_clock
from tthc_core.delivery import PostalService
from tthc_core.errors import InvalidInput
from tthc_core.party import PostalAddress
from tthc_core.storage import OutboundMessage, OutboxQueue

__all__ = ["OutboxThread", "load_settings", "postal_from_env", "register", "run"]

logger = logging.getLogger("tthc.serve")

#: Seconds between outbox drains when it is empty.
POLL_SECONDS = 1.0
#: Seconds to wait for the outbox worker's last drain at shutdown.
STOP_SECONDS = 10.0
_POSTAL_ENV = {
    "base_url": "TTHC_POSTAL_URL",
    "username": "TTHC_POSTAL_USERNAME",
    "password": "TTHC_POSTAL_PASSWORD",
    "customer_code": "TTHC_POSTAL_CUSTOMER_CODE",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve``."""
    parser = subparsers.add_parser(
        "serve",
        help="run the web service: status pages, webhooks, Open311 (needs tthc[server])",
        description="Run the status pages, the postal and chat webhooks and the Open311 "
        "endpoints with uvicorn, and an outbox worker in the background.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8000, help="port to bind; 0 picks a free one (default 8000)"
    )
    parser.add_argument(
        "--db",
        help="the database: postgresql://..., sqlite:///path, memory: or a file path "
        "(default: env TTHC_DATABASE_URL, else ./tthc.sqlite3)",
    )
    parser.add_argument("--settings", type=Path, help="the desk's settings (TOML); default: demo")
    parser.add_argument("--keys", type=Path, help="receipt key file ([AGENCY/]KEY_ID=SECRET_HEX)")
    parser.add_argument(
        "--demo-key", action="store_true", help="use the published demo key if no key is set"
    )
    parser.add_argument(
        "--log-level", default="info", choices=("debug", "info", "warning", "error")
    )
    parser.set_defaults(handler=run)


def load_settings(path: Path) -> DeskSettings:
    """A desk's settings from a TOML file.

    Keys: ``agency_code``, ``agency_name``, ``unit``, ``lookup_base`` and
    optionally ``remote_area`` (bool); a table ``[address]`` with
    ``recipient``, ``phone``, ``street``, ``ward_code``, ``province_code``
    and, for a pre-2025 address only, ``district_code``.

    Raises:
        InvalidInput: If the file cannot be read or a key is missing, unknown
            or of the wrong type (the message names it).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read settings file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"settings file {path} is not valid TOML: {exc}") from None
    address = data.pop("address", None)
    if not isinstance(address, dict):
        raise InvalidInput(f"settings file {path}: the [address] table is missing")
    place = PostalAddress(**_checked(PostalAddress, address, f"{path} [address]"))
    return DeskSettings(**_checked(DeskSettings, {**data, "address": place}, str(path)))


def _checked(cls: type, values: dict[str, Any], where: str) -> dict[str, Any]:
    fields = attrs.fields_dict(cls)
    if unknown := sorted(set(values) - set(fields)):
        raise InvalidInput(f"settings {where}: unknown key(s) {', '.join(unknown)}")
    missing = [
        name
        for name, field in fields.items()
        if field.default is attrs.NOTHING and name not in values
    ]
    if missing:
        raise InvalidInput(f"settings {where}: missing key(s) {', '.join(missing)}")
    for name, value in values.items():
        expected, what = (bool, "true or false") if name == "remote_area" else (str, "a string")
        if name != "address" and not isinstance(value, expected):
            raise InvalidInput(f"settings {where}: {name} must be {what}")
    return values


def postal_from_env(environ: Mapping[str, str]) -> PostalService | None:
    """The partner postal adapter if ``TTHC_POSTAL_*`` configure one, else ``None``.

    Raises:
        InvalidInput: If only some of the required variables are set.
    """
    values = {field: environ.get(name, "") for field, name in _POSTAL_ENV.items()}
    if not any(values.values()):
        return None
    if missing := [_POSTAL_ENV[f] for f, v in values.items() if not v]:
        raise InvalidInput(f"postal operator half configured: set {', '.join(missing)} too")
    from tthc_adapters.postal import PartnerConfig, PartnerPostalService

    config = PartnerConfig(
        values["base_url"], values["username"], values["password"], values["customer_code"]
    )
    if service := environ.get("TTHC_POSTAL_SERVICE_CODE"):
        config = attrs.evolve(config, service_code=service)
    return PartnerPostalService(config)


def _log_chat(channel: str, user_id: str, text: str) -> None:
    logger.info("chat → %s:%s (no chat adapter wired; not sent): %s", channel, user_id, text)


class OutboxThread:
    """The outbox worker in a background thread, until :meth:`stop`.

    Args:
        queue: The store's outbox queue.
        dispatcher: Sends one message.
    """

    def __init__(self, queue: OutboxQueue, dispatcher: Dispatcher) -> None:
        from tthc_adapters.storage import run_outbox_worker

        self._stop = threading.Event()
        self._dispatcher = dispatcher
        self._thread = threading.Thread(
            target=run_outbox_worker,
            args=(queue, self._send),
            kwargs={"stop": self._stop, "clock": system_clock, "poll_interval": POLL_SECONDS},
            name="tthc-outbox",
            daemon=True,
        )

    def _send(self, message: OutboundMessage) -> None:
        try:
            self._dispatcher(message)
        except Exception as exc:
            logger.warning("outbox: %s message %s not sent: %s", message.channel, message.key, exc)
            raise

    def start(self) -> None:
        """Start draining."""
        self._thread.start()

    def stop(self, timeout: float = STOP_SECONDS) -> bool:
        """Ask the worker to stop after its current drain; ``True`` if it stopped in time."""
        self._stop.set()
        self._thread.join(timeout)
        return not self._thread.is_alive()


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; returns 0."""
    import uvicorn

    from tthc_adapters.app import create_app, uvicorn_options
    from tthc_adapters.bootstrap import build_desk
    from tthc_adapters.keys import load_key_ring
    from tthc_adapters.storage import open_store

    logging.basicConfig(
        level=args.log_level.upper(), format="%(levelname)-8s %(name)s: %(message)s"
    )
    settings = load_settings(args.settings) if args.settings else DEMO_SETTINGS
    keys = load_key_ring(args.keys, demo=args.demo_key)
    desk = build_desk(settings, keys, on=system_clock().date())
    postal = postal_from_env(os.environ)
    postal_secret = os.environ.get("TTHC_POSTAL_SECRET") or ""
    if not postal_secret:
        logger.warning("TTHC_POSTAL_SECRET is not set: postal callbacks will be refused")
        postal_secret = secrets.token_urlsafe(32)  # known to nobody: every callback fails
    chat_secret = os.environ.get("TTHC_CHAT_SECRET") or None
    if chat_secret is None:
        logger.warning("TTHC_CHAT_SECRET is not set: POST /webhooks/chat is switched off")
    if postal is None:
        logger.warning("no postal operator (TTHC_POSTAL_URL...): postal orders stay in the outbox")
    store = open_store(args.db, clock=system_clock)
    worker = OutboxThread(store.outbox_queue, Dispatcher(chat=_log_chat, postal=postal))
    app = create_app(
        store, desk, postal_secret=postal_secret, clock=system_clock, chat_secret=chat_secret
    )
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        timeout_graceful_shutdown=int(STOP_SECONDS),
        **uvicorn_options(),  # no banner; security headers on uvicorn's own answers
    )
    worker.start()
    restore = _on_sigterm_raise()
    try:
        uvicorn.Server(config).run()
    except (_Terminated, KeyboardInterrupt):
        pass  # uvicorn has shut down gracefully and re-raised the signal that stopped it
    finally:
        restore()
        if not worker.stop():
            logger.warning("the outbox worker did not stop within %s s", STOP_SECONDS)
        close = getattr(postal, "close", None)
        if close is not None:
            close()
        store.close()
        logger.info("stopped: outbox worker and store closed")
    return 0


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
