"""The send rate shared by every worker: at most 4,000 OA API requests a minute.

Zalo counts an app's requests and answers ``-32`` above 4,000 a minute
(reference zalo-oa.md §1.3, [V2]; the OA-level limits are not published,
so the limit and its window are configuration). Every process that calls the
API takes a token from one bucket kept in the store's database (table
``zalo_rate``, migration 0010), in one short transaction per request, so the
rate holds across workers and machines.

The bucket holds at most one token and refills at ``(limit - 1) / window``:
in any interval of length ``window`` it grants at most ``1 + (limit - 1) =
limit`` requests — never above the limit however the requests fall, and
within 1/limit of it when the senders keep up. A ``-32`` from Zalo pauses the
bucket for every process (:meth:`RateLimiter.pause`): Zalo's own count may
include requests we do not see (another app of the same OA, a console).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import attrs

from tthc_adapters.zalo._sqlside import SqlSide
from tthc_core.errors import InvalidInput
from tthc_core.storage import Clock

__all__ = [
    "MemoryRateLimiter",
    "RateLimiter",
    "RateSettings",
    "SqlRateLimiter",
    "take",
]

Sleep = Callable[[float], None]


def _positive(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    zero = dt.timedelta(0) if isinstance(value, dt.timedelta) else 0
    if value <= zero:
        raise InvalidInput(f"{attribute.name} must be positive, got {value}")


@attrs.frozen
class RateSettings:
    """The shared limit.

    Args:
        limit: Requests allowed in any ``window`` (Zalo: 4,000 a minute).
        window: The window.
        pause: How long every sender waits after Zalo answers ``-32``.
        name: The bucket's row (one per app).
    """

    limit: int = attrs.field(default=4000, validator=_positive)
    window: dt.timedelta = attrs.field(default=dt.timedelta(minutes=1), validator=_positive)
    pause: dt.timedelta = attrs.field(default=dt.timedelta(seconds=10), validator=_positive)
    name: str = "oa"

    @property
    def per_second(self) -> float:
        """The refill rate: ``limit - 1`` tokens a window (one token is the bucket's depth)."""
        return max(self.limit - 1, 1) / self.window.total_seconds()


@attrs.frozen
class Bucket:
    """The bucket: tokens (0 to 1) at ``updated_at``; nothing granted before ``paused_until``."""

    tokens: float
    updated_at: dt.datetime
    paused_until: dt.datetime | None = None


def take(bucket: Bucket | None, now: dt.datetime, settings: RateSettings) -> tuple[Bucket, float]:
    """Try to take a token at ``now``: the new state and how many seconds to wait (0: granted)."""
    if bucket is None:
        return Bucket(0.0, now), 0.0
    if bucket.paused_until is not None and now < bucket.paused_until:
        return bucket, (bucket.paused_until - now).total_seconds()
    elapsed = max((now - bucket.updated_at).total_seconds(), 0.0)
    tokens = min(1.0, bucket.tokens + elapsed * settings.per_second)
    if tokens >= 1.0:
        return Bucket(tokens - 1.0, now), 0.0
    # Whole microseconds, at least one: clocks tick in microseconds, so a shorter
    # wait would find the bucket unchanged.
    return Bucket(tokens, now), max(math.ceil((1.0 - tokens) / settings.per_second * 1e6), 1) / 1e6


class RateLimiter(Protocol):
    """Port: one bucket shared by every sender."""

    def acquire(self) -> None:
        """Wait until a request may be sent, then count it."""
        ...

    def back_off(self) -> None:
        """Grant nothing for the configured pause, in every process (Zalo answered ``-32``)."""
        ...


class _Waiting:
    settings: RateSettings
    _clock: Clock
    _sleep: Sleep

    def _take(self, now: dt.datetime) -> float:
        raise NotImplementedError

    def acquire(self) -> None:
        """Wait (sleeping) until the bucket grants a token."""
        while (wait := self._take(self._clock())) > 0:
            self._sleep(wait)

    def pause(self, until: dt.datetime) -> None:
        raise NotImplementedError

    def back_off(self) -> None:
        """Grant nothing for ``settings.pause`` from now."""
        self.pause(self._clock() + self.settings.pause)


class MemoryRateLimiter(_Waiting):
    """A :class:`RateLimiter` for one process (tests, the demo, a memory store)."""

    def __init__(
        self, settings: RateSettings = RateSettings(), *, clock: Clock, sleep: Sleep = time.sleep
    ) -> None:
        self.settings, self._clock, self._sleep = settings, clock, sleep
        self._bucket: Bucket | None = None
        self._lock = threading.Lock()

    def _take(self, now: dt.datetime) -> float:
        with self._lock:
            self._bucket, wait = take(self._bucket, now, self.settings)
            return wait

    def pause(self, until: dt.datetime) -> None:
        """Grant nothing before ``until``."""
        with self._lock:
            bucket = self._bucket or Bucket(0.0, until)
            self._bucket = attrs.evolve(bucket, paused_until=until)


class SqlRateLimiter(_Waiting):
    """A :class:`RateLimiter` in the store's database (table ``zalo_rate``, migration 0010)."""

    def __init__(
        self,
        side: SqlSide,
        settings: RateSettings = RateSettings(),
        *,
        clock: Clock,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.settings, self._clock, self._sleep = settings, clock, sleep
        self._side = side

    def _read(self, cur: Any) -> Bucket | None:
        cur.execute(
            self._side.lock(
                "SELECT tokens, updated_at, paused_until FROM zalo_rate WHERE name = %s"
            ),
            (self.settings.name,),
        )
        row = cur.fetchone()
        if row is None:
            return None
        paused = dt.datetime.fromisoformat(row[2]) if row[2] else None
        return Bucket(float(row[0]), dt.datetime.fromisoformat(row[1]), paused)

    def _write(self, cur: Any, bucket: Bucket, *, new: bool) -> None:
        paused = "" if bucket.paused_until is None else bucket.paused_until.isoformat()
        values = (bucket.tokens, bucket.updated_at.isoformat(), paused, self.settings.name)
        if new:
            sql = (
                "INSERT INTO zalo_rate (tokens, updated_at, paused_until, name)"
                " VALUES (%s, %s, %s, %s)"
            )
        else:
            sql = (
                "UPDATE zalo_rate SET tokens = %s, updated_at = %s, paused_until = %s"
                " WHERE name = %s"
            )
        cur.execute(self._side.q(sql), values)

    def _take(self, now: dt.datetime) -> float:
        def work(cur: Any) -> float:
            stored = self._read(cur)
            bucket, wait = take(stored, now, self.settings)
            if bucket != stored:
                self._write(cur, bucket, new=stored is None)
            return wait

        return self._side.transaction(work)

    def pause(self, until: dt.datetime) -> None:
        """Grant nothing before ``until``, in every process."""

        def work(cur: Any) -> None:
            stored = self._read(cur)
            bucket = stored or Bucket(0.0, until)
            self._write(cur, attrs.evolve(bucket, paused_until=until), new=stored is None)

        self._side.transaction(work)
