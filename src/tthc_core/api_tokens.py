"""API tokens (khóa truy cập API) for the province's systems, each bound to a staff account.

A token acts as its account: the account's role (:mod:`tthc_core.accounts`)
decides what it may do, and the audit trail names the account. The token is
``tthc_<id>.<secret>``; only a digest of the secret is stored (the adapter
makes it), so a leaked table does not leak tokens. Revoking keeps the record.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol

import attrs

from tthc_core.accounts import check_username
from tthc_core.errors import InvalidInput
from tthc_core.validators import non_blank

__all__ = ["ApiToken", "ApiTokens", "TokenParts", "split_token"]

_TOKEN = re.compile(r"tthc_([a-z0-9]{8,32})\.([A-Za-z0-9_-]{32,128})")


def _username(_: object, __: object, value: str) -> None:
    check_username(value)


def _aware(_: object, attribute: attrs.Attribute[dt.datetime], value: dt.datetime) -> None:
    if value.utcoffset() is None:
        raise InvalidInput(f"{attribute.name} must be an aware datetime, got {value!r}")


@attrs.frozen
class ApiToken:
    """A stored API token.

    Args:
        token_id: The public part (``tthc_<id>.…``).
        username: The account it acts as.
        secret_digest: The digest of the secret part (never the secret).
        label: What it is for ("Cổng dịch vụ công tỉnh").
        created_at: When it was issued.
        revoked: Whether it has been revoked.
    """

    token_id: str = attrs.field(validator=non_blank)
    username: str = attrs.field(validator=_username)
    secret_digest: str = attrs.field(repr=False, validator=non_blank)
    label: str = attrs.field(validator=non_blank)
    created_at: dt.datetime = attrs.field(validator=_aware)
    revoked: bool = False


@attrs.frozen
class TokenParts:
    """A presented token, split: its id and its secret."""

    token_id: str
    secret: str = attrs.field(repr=False)


def split_token(text: str) -> TokenParts | None:
    """The parts of a presented ``tthc_<id>.<secret>`` token, or ``None`` if malformed."""
    found = _TOKEN.fullmatch(text.strip())
    return None if found is None else TokenParts(found.group(1), found.group(2))


class ApiTokens(Protocol):
    """Port: the stored API tokens."""

    def get(self, token_id: str) -> ApiToken | None:
        """The token with this id."""
        ...

    def add(self, token: ApiToken) -> None:
        """Store a new token (its id must be new)."""
        ...

    def revoke(self, token_id: str) -> bool:
        """Revoke a token; ``False`` if there is none with this id."""
        ...

    def for_user(self, username: str) -> list[ApiToken]:
        """The tokens of one account, oldest first."""
        ...
