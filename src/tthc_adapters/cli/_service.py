"""The service's composition root: what ``tthc serve`` and ``tthc worker`` build from options.

What it reads:

* the store: ``--db URL``, else ``TTHC_DATABASE_URL``, else ``./tthc.sqlite3``
  (:func:`~tthc_adapters.storage.open_store`, migrations applied; a bad URL
  or an unwritable path fails in one line);
* the desk: ``--settings FILE`` (TOML, :func:`load_settings`), else the demo
  commune desk (:data:`~tthc_adapters.bootstrap.DEMO_SETTINGS`);
* receipt keys: ``--keys FILE``, else ``TTHC_RECEIPT_KEYS``, else the
  published demo key with ``--demo-key`` (:mod:`tthc_adapters.keys`);
* webhook secrets: ``TTHC_POSTAL_SECRET`` and ``TTHC_CHAT_SECRET``
  (:func:`webhook_secrets`);
* the postal operator: ``TTHC_POSTAL_URL``, ``TTHC_POSTAL_USERNAME``,
  ``TTHC_POSTAL_PASSWORD``, ``TTHC_POSTAL_CUSTOMER_CODE`` and optionally
  ``TTHC_POSTAL_SERVICE_CODE`` (:func:`postal_from_env`);
* the national portal: ``TTHC_PORTAL_*``
  (:class:`~tthc_adapters.portal.PortalSettings`): the desk then tells the
  target of every change, and the workers sync and fetch inbound dossiers;
* online filing: ``--files DIR`` / ``TTHC_FILES_DIR``, ``TTHC_PAYMENT_SECRET``
  (or ``_FILE``), ``TTHC_FEE_ACCOUNT`` (:mod:`tthc_adapters.cli._online`).

Several server processes (``serve --workers N``) each build their own
:class:`Service` from the same :class:`ServiceOptions`, handed down in the
environment variable :data:`OPTIONS_ENV`.
"""

from __future__ import annotations

import argparse
import json
import logging
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from tthc_adapters.bootstrap import DEMO_SETTINGS, DeskSettings, Dispatcher, system_clock
from tthc_adapters.calendar_file import CalendarFile, load_calendar_file
from tthc_core.delivery import PostalService
from tthc_core.desk import Desk, FilingFiles, LookupBudget
from tthc_core.errors import InvalidInput
from tthc_core.filing import BlobStore
from tthc_core.party import PostalAddress
from tthc_core.storage import Handler, Store

__all__ = [
    "OPTIONS_ENV",
    "Service",
    "ServiceOptions",
    "add_service_arguments",
    "load_settings",
    "postal_from_env",
    "webhook_secrets",
]

logger = logging.getLogger("tthc.serve")

#: The environment variable that hands the options down to server processes.
OPTIONS_ENV = "TTHC_SERVICE_OPTIONS"
_POSTAL_ENV = {
    "base_url": "TTHC_POSTAL_URL",
    "username": "TTHC_POSTAL_USERNAME",
    "password": "TTHC_POSTAL_PASSWORD",
    "customer_code": "TTHC_POSTAL_CUSTOMER_CODE",
}


def add_service_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--db``, ``--settings``, ``--keys``, ``--calendar``, ``--demo-key``, ``--log-level``."""
    parser.add_argument(
        "--db",
        help="the database: postgresql://..., sqlite:///relative/path, sqlite:////absolute/path, "
        "memory: or a file path (default: env TTHC_DATABASE_URL, else ./tthc.sqlite3)",
    )
    parser.add_argument("--settings", type=Path, help="the desk's settings (TOML); default: demo")
    parser.add_argument("--keys", type=Path, help="receipt key file ([AGENCY/]KEY_ID=SECRET_HEX)")
    parser.add_argument(
        "--calendar",
        type=Path,
        help="the province's calendar file (TOML: announced years, days off, days worked); "
        "default: env TTHC_CALENDAR_FILE, else only the tables tthc ships",
    )
    parser.add_argument(
        "--files",
        help="the citizens' documents and electronic results (default: env TTHC_FILES_DIR, "
        "else <SQLite file>.files/, else ./tthc.files/)",
    )
    parser.add_argument(
        "--demo-key", action="store_true", help="use the published demo key if no key is set"
    )
    parser.add_argument(
        "--log-level", default="info", choices=("debug", "info", "warning", "error")
    )


@attrs.frozen
class ServiceOptions:
    """What the command line says about the service (see the module docstring).

    Args:
        db: The database URL (``None``: the environment's or the default).
        settings: The desk's settings file (``None``: the demo desk).
        keys: The receipt key file.
        demo_key: Whether the published demo key may be used.
        fast_ack: Whether chat events are answered before the flush to disk.
        calendar: The province's calendar file (``None``: ``TTHC_CALENDAR_FILE`` or none).
        files: The files directory (``None``: ``TTHC_FILES_DIR`` or the default).
    """

    db: str | None = None
    settings: str | None = None
    keys: str | None = None
    demo_key: bool = False
    fast_ack: bool = False
    calendar: str | None = None
    files: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ServiceOptions:
        """The options of parsed arguments (:func:`add_service_arguments`)."""
        settings, keys, calendar = args.settings, args.keys, args.calendar
        return cls(
            args.db,
            None if settings is None else str(settings.resolve()),
            None if keys is None else str(keys.resolve()),
            bool(args.demo_key),
            calendar=None if calendar is None else str(calendar.resolve()),
            files=getattr(args, "files", None),
        )

    def to_env(self) -> str:
        """The options as the value of :data:`OPTIONS_ENV`."""
        return json.dumps(attrs.asdict(self))

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ServiceOptions:
        """The options handed down in :data:`OPTIONS_ENV`.

        Raises:
            InvalidInput: If the variable is missing or malformed.
        """
        try:
            return cls(**json.loads(environ[OPTIONS_ENV]))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"{OPTIONS_ENV} is missing or malformed: {exc!r}") from None


@attrs.define
class Service:
    """A desk, its store, its postal operator and its outbox dispatcher, ready to run.

    Args:
        desk: The desk.
        store: The store (open).
        postal: The postal operator, if configured.
        dispatcher: Sends outbox messages.
        chat_budget: The chat senders' look-up budget (``TTHC_THROTTLE_*``), spent by the
            inbox worker.
        zalo: The Zalo OA's configuration (``TTHC_ZALO_*``, a
            :class:`~tthc_adapters.zalo.ZaloConfig`), if set.
        portal: The national-portal target (``TTHC_PORTAL_*``, a
            :class:`~tthc_adapters.portal.PortalRuntime`), if set.
        files: Where citizens' files are checked and kept, and electronic results.
        payment_secret: The payment webhook's HMAC secret, if set.
    """

    desk: Desk
    store: Store
    postal: PostalService | None
    dispatcher: Dispatcher
    chat_budget: LookupBudget | None = None
    zalo: Any = None
    portal: Any = None
    files: FilingFiles | None = None
    payment_secret: str | None = None

    @property
    def blobs(self) -> BlobStore | None:
        """The files' blob store (``create_app(results=...)``, ``staff_app(blobs=...)``)."""
        return None if self.files is None else self.files.blobs

    @classmethod
    def open(cls, options: ServiceOptions, environ: Mapping[str, str]) -> Service:
        """Build the service (opening the store last, so a bad option fails before it).

        Raises:
            InvalidInput: If an option or variable is wrong (one line says which).
        """
        from tthc_adapters.bootstrap import build_desk
        from tthc_adapters.keys import load_key_ring
        from tthc_adapters.storage import open_store

        settings = load_settings(Path(options.settings)) if options.settings else DEMO_SETTINGS
        keys = load_key_ring(
            None if options.keys is None else Path(options.keys), demo=options.demo_key
        )
        calendar = calendar_from(
            None if options.calendar is None else Path(options.calendar), environ
        )
        desk = build_desk(settings, keys, on=system_clock().date(), calendar=calendar)
        from tthc_adapters.cli._online import chat_file_channels, online_from

        files, payment_secret, fee_account = online_from(options.files, options.db, environ)
        desk = attrs.evolve(desk, fee_account=fee_account)
        postal = postal_from_env(environ)
        if postal is not None:  # chat shows the operator's postage before a postal return
            desk = attrs.evolve(desk, postage=postal)
        from tthc_adapters.app._throttle import ThrottleSettings

        _, chat_budget = ThrottleSettings.from_env(environ).build()
        zalo = _zalo_config(environ)
        portal_settings = _portal_settings(environ)
        store = open_store(options.db, clock=system_clock)
        channels: dict[str, Any] = {}
        portal = None
        if portal_settings is not None:
            desk, portal = _portal(portal_settings, store, desk)
            channels["portal"] = portal.absorb
        channels.update(_zalo_channels(zalo, store, desk, chat_budget, files))
        channels.update(chat_file_channels(store, desk, files, environ))
        dispatcher = Dispatcher(chat=_log_chat, postal=postal, channels=channels)
        return cls(
            desk, store, postal, dispatcher, chat_budget, zalo, portal, files, payment_secret
        )

    def inbox_handlers(self) -> dict[str, Handler]:
        """The inbox worker's handlers: the generic chat's, and Zalo's when configured."""
        from tthc_adapters.webhooks import inbox_handlers

        base = inbox_handlers(self.desk, budget=self.chat_budget, files=self.files)
        if self.portal is not None:
            base = {**base, **self.portal.handlers()}
        if self.zalo is None:
            return base
        from tthc_adapters.zalo import PhotoFetcher, zalo_handlers

        photos = PhotoFetcher(self.zalo.photos)
        return zalo_handlers(self.desk, base=base, photos=photos, budget=self.chat_budget)

    @property
    def zalo_webhook(self) -> Any:
        """The Zalo webhook's settings for ``create_app(zalo=...)``, or ``None``."""
        return None if self.zalo is None else self.zalo.webhook

    def close(self) -> None:
        """Close the postal operator's and the portal's clients and the store."""
        for service in (self.postal, self.portal):
            close = getattr(service, "close", None)
            if close is not None:
                close()
        self.store.close()


def calendar_from(path: Path | None, environ: Mapping[str, str]) -> CalendarFile | None:
    """The province's calendar file named by ``--calendar`` or ``TTHC_CALENDAR_FILE``, validated.

    Raises:
        CalendarFileError: If the file cannot be read or is invalid (the service does not start).
    """
    if path is None and environ.get("TTHC_CALENDAR_FILE"):
        path = Path(environ["TTHC_CALENDAR_FILE"])
    return None if path is None else load_calendar_file(path)


def webhook_secrets(environ: Mapping[str, str]) -> tuple[str, str | None]:
    """The postal callback secret and the chat webhook secret.

    ``TTHC_POSTAL_SECRET`` unset: a random secret nobody knows (every callback
    is refused). ``TTHC_CHAT_SECRET`` unset: ``None`` (the chat webhook is off).
    """
    postal_secret = environ.get("TTHC_POSTAL_SECRET") or ""
    if not postal_secret:
        logger.warning("TTHC_POSTAL_SECRET is not set: postal callbacks will be refused")
        postal_secret = secrets.token_urlsafe(32)  # known to nobody: every callback fails
    chat_secret = environ.get("TTHC_CHAT_SECRET") or None
    if chat_secret is None:
        logger.warning("TTHC_CHAT_SECRET is not set: POST /webhooks/chat is switched off")
    return postal_secret, chat_secret


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


def _zalo_config(environ: Mapping[str, str]) -> Any:
    """``TTHC_ZALO_*`` read (the adapter is imported only when Zalo is switched on)."""
    if not environ.get("TTHC_ZALO_APP_ID"):
        return None
    from tthc_adapters.zalo import ZaloConfig

    return ZaloConfig.from_env(environ)


def _zalo_channels(
    zalo: Any, store: Store, desk: Desk, budget: LookupBudget | None, files: FilingFiles | None
) -> dict[str, Any]:
    """The outbox senders of channels ``zalo`` and ``zalo.job`` (state in the store's database)."""
    if zalo is None:
        return {}
    from tthc_adapters.zalo import PhotoFetcher, ZaloParts

    parts = ZaloParts(
        store,
        desk,
        zalo.api,
        zalo.webhook.secrets.oa_id,
        clock=system_clock,
        rate=zalo.rate,
        zns=zalo.zns,
        photos=PhotoFetcher(zalo.photos),
        budget=budget,
        files=files,
    )
    return parts.channels()


def _portal_settings(environ: Mapping[str, str]) -> Any:
    """``TTHC_PORTAL_*`` read (the adapter is imported only when the portal is switched on)."""
    if not environ.get("TTHC_PORTAL_URL"):
        return None
    from tthc_adapters.portal import PortalSettings

    return PortalSettings.from_env(environ)


def _portal(settings: Any, store: Store, desk: Desk) -> tuple[Desk, Any]:
    """The desk telling the target of every change, and the target's runtime."""
    from tthc_adapters.portal import PortalRuntime

    desk = attrs.evolve(desk, portal_targets=(*desk.portal_targets, settings.target))
    return desk, PortalRuntime(settings, store, desk, clock=system_clock)


def _log_chat(channel: str, user_id: str, text: str) -> None:
    logger.info("chat → %s:%s (no chat adapter wired; not sent): %s", channel, user_id, text)
