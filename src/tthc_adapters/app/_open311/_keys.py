"""API keys of client applications: issued once, stored hashed, throttled per key.

open311.org GeoReport v2 "POST Service Request": "Requires API Key: Yes". A key
is 32 random bytes (URL-safe base64, prefixed ``tthc311_``): enough entropy
that one SHA-256 digest stores it safely (no slow hash is needed for a random
secret, and look-up by digest is one indexed query). The key is shown once,
when issued; the store keeps only the digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from tthc_adapters.app._throttle import Throttle
from tthc_core.errors import InvalidInput
from tthc_core.storage import ClientApp, Store

__all__ = [
    "DEFAULT_RATE",
    "KEY_PREFIX",
    "default_throttle",
    "find_client",
    "hash_key",
    "issue_key",
    "new_key",
    "revoke_key",
]

KEY_PREFIX = "tthc311_"
#: Posts a client application may make: a city portal relaying citizens, not a bulk loader.
DEFAULT_RATE = "30/minute"


def new_key() -> str:
    """A fresh API key."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """The SHA-256 hex digest the store keeps for ``key``."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def issue_key(store: Store, name: str, *, at: dt.datetime) -> str:
    """Register a client application and return its key (shown once, stored hashed).

    Raises:
        InvalidInput: If the name is malformed or already registered.
    """
    key = new_key()
    client = ClientApp(name, hash_key(key), at)
    with store.unit_of_work() as uow:
        if not uow.open311.add_client(client):
            raise InvalidInput(f"a client application named {name!r} is already registered")
        uow.commit()
    return key


def revoke_key(store: Store, name: str, *, at: dt.datetime) -> None:
    """Revoke a client application's key.

    Raises:
        InvalidInput: If no active key has that name.
    """
    with store.unit_of_work() as uow:
        if not uow.open311.revoke_client(name, at):
            raise InvalidInput(f"no active client application is named {name!r}")
        uow.commit()


def find_client(store: Store, key: str) -> ClientApp | None:
    """The active client application holding ``key``, or ``None``."""
    digest = hash_key(key)
    with store.unit_of_work() as uow:
        client = uow.open311.client_by_hash(digest)
    if client is None or not client.active or not hmac.compare_digest(client.key_hash, digest):
        return None
    return client


def default_throttle() -> Throttle:
    """The post limit of each client application: :data:`DEFAULT_RATE`, in this process."""
    return Throttle(DEFAULT_RATE, scope="open311-posts")
