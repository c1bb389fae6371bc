"""The send rate shared by every worker: at most 4,000 OA API requests a minute.

Zalo counts an app's requests and answers ``-32`` above 4,000 a minute
(reference zalo-oa.md §1.3, [V2]; the OA-level limits are not published,
so the limit and its window are configuration). Every process that calls the
API takes a token from one bucket kept in the store's database (table
``zalo_rate``, migration 0010), in one short transaction per request, so the
rate holds across workers and machines.

The requests are spaced (a generic cell-rate schedule): each takes the next
free instant, at least ``window / (limit - slack)`` after the one before, and
sleeps until it — one short transaction per request. In any interval of
length ``window`` fewer than ``limit - slack + 1`` requests start: never above
the limit, however the requests fall, and 99 % of it while senders keep up
(the 1 % of slack, 40 requests a minute, absorbs jitter on the way to Zalo:
requests that left in order may arrive closer together). A
``-32`` from Zalo pauses every process (:meth:`RateLimiter.back_off`):
Zalo's count may include requests we do not see (another app of the same
OA, a console).
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
    def slack(self) -> int:
        """Requests per window left unused for jitter: 1 %, at least one."""
        return max(1, self.limit // 100)

    @property
    def interval(self) -> dt.timedelta:
        """The least time between two requests: ``window / (limit - slack)``, rounded up (µs)."""
        micros = self.window / dt.timedelta(microseconds=1)
        return dt.timedelta(microseconds=math.ceil(micros / max(self.limit - self.slack, 1)))


@attrs.frozen
class Bucket:
    """The schedule: the next free instant; nothing granted before ``paused_until``."""

    next_at: dt.datetime
    paused_until: dt.datetime | None = None


def take(bucket: Bucket | None, now: dt.datetime, settings: RateSettings) -> tuple[Bucket, float]:
    """Reserve the next free instant: the new schedule and the seconds to wait for it."""
    if bucket is None:
        return Bucket(now + settings.interval), 0.0
    start = max(now, bucket.next_at, bucket.paused_until or now)
    return Bucket(start + settings.interval, bucket.paused_until), (start - now).total_seconds()


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
        """Reserve the next free instant and sleep until it."""
        if (wait := self._take(self._clock())) > 0:
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
            self._bucket = Bucket(
                max(until, self._bucket.next_at) if self._bucket else until, until
            )


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
            self._side.lock("SELECT next_at, paused_until FROM zalo_rate WHERE name = %s"),
            (self.settings.name,),
        )
        row = cur.fetchone()
        if row is None:
            return None
        paused = dt.datetime.fromisoformat(row[1]) if row[1] else None
        return Bucket(dt.datetime.fromisoformat(row[0]), paused)

    def _write(self, cur: Any, bucket: Bucket, *, new: bool) -> None:
        paused = "" if bucket.paused_until is None else bucket.paused_until.isoformat()
        values = (bucket.next_at.isoformat(), paused, self.settings.name)
        if new:
            sql = "INSERT INTO zalo_rate (next_at, paused_until, name) VALUES (%s, %s, %s)"
        else:
            sql = "UPDATE zalo_rate SET next_at = %s, paused_until = %s WHERE name = %s"
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
            later = until if stored is None else max(until, stored.next_at)
            self._write(cur, Bucket(later, until), new=stored is None)

        self._side.transaction(work)
