"""Port: Open311 client applications (their hashed API keys) and the tokens of their posts.

open311.org GeoReport v2, "POST Service Request": "Requires API Key: Yes".
An administrator issues one key per client application (``tthc open311 key
add NAME``); the store keeps only the key's SHA-256 digest, never the key.
Every accepted post records a *token* naming the case it created and the
application that filed it, in the same transaction as the case, so
``GET tokens/{token}`` answers as soon as the case exists.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol

import attrs

from tthc_core.errors import InvalidInput

__all__ = ["ClientApp", "Open311Registry", "Open311Token"]

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_DIGEST = re.compile(r"[0-9a-f]{64}")


def _check_name(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise InvalidInput(
            f"a client application's {attribute.name} must be 1-64 lower-case letters, digits, "
            f"'.', '_' or '-', starting with a letter or digit; got {value!r}"
        )


def _check_digest(_: object, __: object, value: str) -> None:
    if not isinstance(value, str) or not _DIGEST.fullmatch(value):
        raise InvalidInput("key_hash must be a SHA-256 hex digest (64 lower-case hex digits)")


@attrs.frozen
class ClientApp:
    """A client application allowed to post service requests.

    Args:
        name: Its name, unique (``a-z 0-9 . _ -``).
        key_hash: The SHA-256 hex digest of its API key (the key itself is never stored).
        created_at: When the key was issued.
        revoked_at: When it was revoked (a revoked key is refused).
    """

    name: str = attrs.field(validator=_check_name)
    key_hash: str = attrs.field(validator=_check_digest)
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        """Whether its key is still accepted."""
        return self.revoked_at is None


@attrs.frozen
class Open311Token:
    """What ``GET tokens/{token}`` answers: the case a post created.

    Args:
        token: The token (random, issued with the post).
        case_id: The case (``service_request_id``).
        client: The client application that posted it.
        created_at: When.
    """

    token: str
    case_id: str
    client: str
    created_at: dt.datetime


class Open311Registry(Protocol):
    """Port: client applications and tokens, in the unit of work's transaction."""

    def add_client(self, client: ClientApp) -> bool:
        """Add a client application; ``False`` if its name or key hash is taken."""
        ...

    def client_by_hash(self, key_hash: str) -> ClientApp | None:
        """The client application whose key has this digest (revoked ones too)."""
        ...

    def revoke_client(self, name: str, at: dt.datetime) -> bool:
        """Revoke a client application's key; ``False`` if none is active under ``name``."""
        ...

    def clients(self) -> list[ClientApp]:
        """Every client application, by name."""
        ...

    def add_token(self, token: Open311Token) -> None:
        """Record the token of an accepted post."""
        ...

    def token(self, token: str) -> Open311Token | None:
        """The record of a token, or ``None``."""
        ...
