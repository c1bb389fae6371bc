"""What ``tthc serve`` and ``tthc worker`` read for online filing (nộp hồ sơ trực tuyến).

* the files directory (citizens' documents and electronic results, kept by
  content hash, :class:`~tthc_adapters.documents.FilesystemBlobStore`):
  ``--files DIR``, else ``TTHC_FILES_DIR``, else a folder beside the SQLite
  database (``<db file>.files/``); for PostgreSQL or ``memory:`` the default
  is ``./tthc.files/`` under the current directory (set it explicitly when
  several machines serve: every process must see the same folder);
* the payment platform's HMAC secret: ``TTHC_PAYMENT_SECRET``, else the
  contents of the file ``TTHC_PAYMENT_SECRET_FILE``; unset, ``POST
  /webhooks/payment`` is off;
* the fee account shown as a VietQR transfer request (NAPAS 247):
  ``TTHC_FEE_ACCOUNT=<6-digit bank BIN>:<account>`` and optionally
  ``TTHC_FEE_PURPOSE`` (ASCII, at most 25 characters); unset, fees are paid
  at the desk;
* the hosts the generic chat webhook's file links (``"file_url"``) may point
  to: ``TTHC_CHAT_FILE_HOSTS=files.example.vn,cdn.example.vn`` (HTTPS only;
  ``TTHC_CHAT_FILE_HTTP=1`` also allows plain HTTP, for tests); unset, a file
  sent by link is answered that this chat takes no files by link.

A bad value stops the service with one line naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tthc_core.desk import Desk, FeeAccount, FilingFiles
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store

__all__ = [
    "DEFAULT_FILES",
    "chat_file_channels",
    "fee_account_from_env",
    "files_dir",
    "online_from",
    "payment_secret_from_env",
]

#: The files directory when the database is not a SQLite file.
DEFAULT_FILES = "tthc.files"


def files_dir(option: str | None, db: str | None, environ: Mapping[str, str]) -> Path:
    """The files directory (see the module docstring), created if missing.

    Raises:
        InvalidInput: If it cannot be created or written.
    """
    chosen = option or environ.get("TTHC_FILES_DIR") or None
    explicit = chosen is not None
    if chosen is None:
        from tthc_adapters.storage import DEFAULT_URL, sqlite_path

        url = db or environ.get("TTHC_DATABASE_URL") or DEFAULT_URL
        sqlite = url.startswith("sqlite:") or ("://" not in url and url != "memory:")
        chosen = sqlite_path(url) + ".files" if sqlite else DEFAULT_FILES
    path = Path(chosen).resolve()
    if not explicit and not path.parent.is_dir():
        return path  # the database's folder is missing: opening the store says so
    try:
        path.mkdir(parents=explicit, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create the files directory {path}: {exc.strerror}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise InvalidInput(f"the files directory {path} is not writable")
    return path


def payment_secret_from_env(environ: Mapping[str, str]) -> str | None:
    """``TTHC_PAYMENT_SECRET`` or the file ``TTHC_PAYMENT_SECRET_FILE`` names; ``None`` if unset.

    Raises:
        InvalidInput: If both are set, the file cannot be read, or the secret
            is shorter than 16 characters (a guessable secret signs forgeries).
    """
    secret, file = environ.get("TTHC_PAYMENT_SECRET"), environ.get("TTHC_PAYMENT_SECRET_FILE")
    if secret and file:
        raise InvalidInput("set TTHC_PAYMENT_SECRET or TTHC_PAYMENT_SECRET_FILE, not both")
    if file:
        try:
            secret = Path(file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise InvalidInput(f"cannot read TTHC_PAYMENT_SECRET_FILE {file}: {why}") from None
    if not secret:
        return None
    if len(secret) < 16:
        raise InvalidInput("the payment secret must be at least 16 characters")
    return secret


def fee_account_from_env(environ: Mapping[str, str]) -> FeeAccount | None:
    """``TTHC_FEE_ACCOUNT=<bin>:<account>`` (and ``TTHC_FEE_PURPOSE``), checked; ``None`` if unset.

    Raises:
        InvalidInput: If the value is not ``BIN:ACCOUNT`` or VietQR refuses a part.
    """
    value = environ.get("TTHC_FEE_ACCOUNT", "").strip()
    if not value:
        return None
    bank_bin, colon, account = value.partition(":")
    if not colon:
        raise InvalidInput(
            f"TTHC_FEE_ACCOUNT {value!r} must be <bank BIN>:<account>, such as 970403:0123456789"
        )
    from tthc_core.receipt import VietQrPayment

    purpose = environ.get("TTHC_FEE_PURPOSE") or FeeAccount("", "").purpose
    try:  # the VietQR payload's own rules (6-digit BIN, 1-19 characters, ASCII purpose)
        VietQrPayment(bank_bin=bank_bin.strip(), account=account.strip(), purpose=purpose)
    except InvalidInput as exc:
        raise InvalidInput(f"TTHC_FEE_ACCOUNT/TTHC_FEE_PURPOSE: {exc}") from None
    return FeeAccount(bank_bin.strip(), account.strip(), purpose)


def online_from(
    files: str | None, db: str | None, environ: Mapping[str, str]
) -> tuple[FilingFiles, str | None, FeeAccount | None]:
    """The files (checked, kept on disk), the payment secret and the fee account.

    Raises:
        InvalidInput: If any of them is wrong (one line says which).
    """
    from tthc_adapters.documents import FileCheck, FilesystemBlobStore

    fee_account, secret = fee_account_from_env(environ), payment_secret_from_env(environ)
    blobs = FilesystemBlobStore(files_dir(files, db, environ))
    return FilingFiles(FileCheck(), blobs), secret, fee_account


def chat_file_channels(
    store: Store, desk: Desk, files: FilingFiles | None, environ: Mapping[str, str]
) -> dict[str, Any]:
    """The outbox sender of channel ``chat.file`` (downloads of files sent by link).

    Raises:
        InvalidInput: If ``TTHC_CHAT_FILE_HOSTS`` names no host.
    """
    if files is None:
        return {}
    from tthc_adapters.chat_files import (
        FILE_JOB_CHANNEL,
        FileDownloads,
        FileFetcher,
        FileFetchSettings,
    )

    listed = environ.get("TTHC_CHAT_FILE_HOSTS")
    fetcher = None
    if listed is not None:
        hosts = frozenset(h.strip().lower() for h in listed.split(",") if h.strip())
        if not hosts:
            raise InvalidInput("TTHC_CHAT_FILE_HOSTS names no host (comma-separated host names)")
        schemes = ("https", "http") if environ.get("TTHC_CHAT_FILE_HTTP") == "1" else ("https",)
        fetcher = FileFetcher(FileFetchSettings(hosts, schemes))
    return {FILE_JOB_CHANNEL: FileDownloads(store, desk, files, fetcher)}
