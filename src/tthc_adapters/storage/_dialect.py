"""What differs between the SQL back-ends: placeholders, times, JSON, locking."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from tthc_core.errors import InvalidInput


class Dialect:
    """The SQLite dialect; :class:`PostgresDialect` overrides what differs.

    Statements are written once, with ``%s`` placeholders.
    """

    name = "sqlite"
    #: Appended to the outbox claim's inner SELECT.
    skip_locked = ""
    #: Run before the first statement of a transaction, if any.
    begin: str | None = "BEGIN IMMEDIATE"
    #: Run before the first statement of a read-only transaction: deferred, it
    #: takes no write lock, and in WAL mode it reads a snapshot while writers write.
    begin_read: str | None = "BEGIN DEFERRED"
    #: Run at the start of an outbox-queue transaction to skip waiting for the
    #: disk: losing a claim or an acknowledgement to a power cut only repeats a
    #: delivery, which the idempotency key suppresses. (SQLite gets the same
    #: from the store's queue connections, opened with ``synchronous=NORMAL``.)
    relaxed: str | None = None
    #: How an aggregate's body is selected where the decoded cache may make
    #: decoding it needless (PostgreSQL: as text, so it is parsed only if used).
    body_as_text = "body"

    def q(self, sql: str) -> str:
        """The statement in this back-end's placeholder style."""
        return _qmark(sql)

    def ts(self, value: dt.datetime | None) -> Any:
        """A time as a parameter (UTC ISO 8601 text, which sorts in time order)."""
        if value is None:
            return None
        if value.utcoffset() is None:
            raise InvalidInput(f"storage needs aware datetimes, got {value!r}")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")

    def from_ts(self, value: Any) -> dt.datetime | None:
        """A stored time as an aware datetime."""
        return None if value is None else dt.datetime.fromisoformat(value)

    def day(self, value: dt.date) -> Any:
        """A calendar day as a parameter."""
        return value.isoformat()

    def json(self, value: Any) -> Any:
        """A JSON-ready value as a parameter."""
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def from_json(self, value: Any) -> Any:
        """A stored JSON value."""
        return json.loads(value)


@functools.lru_cache(maxsize=256)
def _qmark(sql: str) -> str:
    return sql.replace("%s", "?")


class PostgresDialect(Dialect):
    """PostgreSQL: native timestamptz, date and jsonb; workers skip locked rows."""

    name = "postgres"
    skip_locked = " FOR UPDATE SKIP LOCKED"
    begin = None  # psycopg opens a transaction at the first statement
    begin_read = None  # the read pool runs autocommit, default_transaction_read_only=on
    relaxed = "SET LOCAL synchronous_commit TO off"
    body_as_text = "body::text"

    def q(self, sql: str) -> str:
        """The statement as written."""
        return sql

    def ts(self, value: dt.datetime | None) -> Any:
        """A time as a parameter (psycopg adapts aware datetimes)."""
        if value is not None and value.utcoffset() is None:
            raise InvalidInput(f"storage needs aware datetimes, got {value!r}")
        return value

    def from_ts(self, value: Any) -> dt.datetime | None:
        """psycopg returns aware datetimes already."""
        return value  # type: ignore[no-any-return]

    def day(self, value: dt.date) -> Any:
        """psycopg adapts dates."""
        return value

    def json(self, value: Any) -> Any:
        """A value for a jsonb column."""
        from psycopg.types.json import Jsonb

        return Jsonb(value)

    def from_json(self, value: Any) -> Any:
        """psycopg decodes jsonb already; a body selected as text is parsed here."""
        return json.loads(value) if isinstance(value, str) else value
