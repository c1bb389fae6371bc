"""The send rate shared by every worker: at most 4,000 OA API requests a minute.

Zalo counts an app's requests and answers ``-32`` above 4,000 a minute
(reference zalo-oa.md §1.3, [V2]; the OA-level limits are not published,
so the limit and its window are configuration). Every process that calls the
API takes its turn from one schedule kept in the store's database (table
``zalo_rate``, migration 0010), so the rate holds across workers and machines.

The requests are spaced (a generic cell-rate schedule): consecutive *slots*
``window / (limit - slack)`` apart, from the next free instant. A sender
reserves a block of slots in one short transaction (``RateSettings.block``,
8 by default: one transaction per 8 requests, not per request) and sends each
request in its own slot: it takes a held slot only while it is at most
``tolerance`` (half the slack's span) late — a slot it missed (the worker was
busy) is skipped, never borrowed later — and sleeps until it. So every
request is released in ``[slot, slot + tolerance]`` of a slot no other
request has, and in any interval of length ``window`` at most
``limit - slack // 2`` requests are released: never above the limit, however
the requests and the workers fall; the other half of the slack (20 requests a
minute at 4,000) absorbs the jitter after the release (a sleep that wakes
late, the way to Zalo: requests that left in order may arrive closer
together). While senders keep up, the rate is 99 % of the limit, smoothly
(no burst then wait). A block spans at most ``tolerance``.

A ``-32`` from Zalo pauses every process (:meth:`RateLimiter.back_off`):
Zalo's count may include requests we do not see (another app of the same OA,
a console). The sender that got it drops its reserved slots at once; the
others send at most the rest of the block they hold (at most ``tolerance``,
0.3 s at 4,000 a minute) before their next reservation meets the pause.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import deque
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
    "reserve",
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
        block: The most slots a sender reserves in one transaction (fewer
            where ``tolerance`` is shorter: see :attr:`block_size`).
    """

    limit: int = attrs.field(default=4000, validator=_positive)
    window: dt.timedelta = attrs.field(default=dt.timedelta(minutes=1), validator=_positive)
    pause: dt.timedelta = attrs.field(default=dt.timedelta(seconds=10), validator=_positive)
    name: str = "oa"
    block: int = attrs.field(default=8, validator=_positive)

    @property
    def slack(self) -> int:
        """Requests per window left unused for lateness and jitter: 1 %, at least one."""
        return max(1, self.limit // 100)

    @property
    def interval(self) -> dt.timedelta:
        """The least time between two slots: ``window / (limit - slack)``, rounded up (µs)."""
        micros = self.window / dt.timedelta(microseconds=1)
        return dt.timedelta(microseconds=math.ceil(micros / max(self.limit - self.slack, 1)))

    @property
    def tolerance(self) -> dt.timedelta:
        """How late a slot may still be used: half the slack's span, ``slack × interval / 2``."""
        return dt.timedelta(
            microseconds=self.interval // dt.timedelta(microseconds=1) * self.slack // 2
        )

    @property
    def block_size(self) -> int:
        """Slots reserved at a time: ``block``, but a block spans at most ``tolerance``."""
        return max(1, min(self.block, self.slack // 2))


@attrs.frozen
class Bucket:
    """The schedule: the next free instant; nothing granted before ``paused_until``."""

    next_at: dt.datetime
    paused_until: dt.datetime | None = None


def reserve(
    bucket: Bucket | None, now: dt.datetime, settings: RateSettings, count: int = 1
) -> tuple[Bucket, dt.datetime]:
    """Reserve ``count`` consecutive slots from the next free instant: the new schedule, the first.

    The slots are ``first + k × interval`` for ``k < count``.
    """
    if bucket is None:
        return Bucket(now + settings.interval * count), now
    start = max(now, bucket.next_at, bucket.paused_until or now)
    return Bucket(start + settings.interval * count, bucket.paused_until), start


def take(bucket: Bucket | None, now: dt.datetime, settings: RateSettings) -> tuple[Bucket, float]:
    """Reserve the next free instant: the new schedule and the seconds to wait for it."""
    bucket, start = reserve(bucket, now, settings)
    return bucket, (start - now).total_seconds()


class RateLimiter(Protocol):
    """Port: one schedule shared by every sender."""

    def acquire(self) -> dt.datetime:
        """Wait for a slot of one's own and return it (the request may leave now)."""
        ...

    def back_off(self) -> None:
        """Grant nothing for the configured pause, in every process (Zalo answered ``-32``)."""
        ...


class _Waiting:
    """Reserved slots, used in turn: sleep until one, skip it if it is already too late."""

    settings: RateSettings
    _clock: Clock
    _sleep: Sleep

    def __init__(self, settings: RateSettings, clock: Clock, sleep: Sleep) -> None:
        self.settings, self._clock, self._sleep = settings, clock, sleep
        self._slots: deque[dt.datetime] = deque()
        self._lock = threading.Lock()

    def _reserve(self, count: int) -> dt.datetime:
        """Reserve ``count`` slots in the shared schedule (reading the clock); the first."""
        raise NotImplementedError

    def _next(self) -> tuple[dt.datetime, bool]:
        """The next reserved slot (reserving a block if none is held); ``True`` if reserved now."""
        with self._lock:
            if self._slots:
                return self._slots.popleft(), False
            count, step = self.settings.block_size, self.settings.interval
            first = self._reserve(count)
            self._slots.extend(first + step * k for k in range(1, count))
            return first, True

    def acquire(self) -> dt.datetime:
        """Take the next reserved slot that is not too late, and sleep until it; the slot.

        A held slot more than ``settings.tolerance`` behind the clock is
        skipped; a block's first slot is never behind (reserved from the
        clock read under the schedule's lock).
        """
        while True:
            slot, fresh = self._next()
            now = self._clock()
            if fresh or now - slot <= self.settings.tolerance:
                break
        while now < slot:
            self._sleep((slot - now).total_seconds())
            now = self._clock()
        return slot

    def pause(self, until: dt.datetime) -> None:
        raise NotImplementedError

    def back_off(self) -> None:
        """Drop this sender's reserved slots and grant nothing for ``settings.pause`` from now."""
        with self._lock:
            self._slots.clear()
        self.pause(self._clock() + self.settings.pause)


class MemoryRateLimiter(_Waiting):
    """A :class:`RateLimiter` for one process (tests, the demo, a memory store)."""

    def __init__(
        self, settings: RateSettings = RateSettings(), *, clock: Clock, sleep: Sleep = time.sleep
    ) -> None:
        super().__init__(settings, clock, sleep)
        self._bucket: Bucket | None = None
        self._state = threading.Lock()

    def _reserve(self, count: int) -> dt.datetime:
        with self._state:
            self._bucket, first = reserve(self._bucket, self._clock(), self.settings, count)
            return first

    def pause(self, until: dt.datetime) -> None:
        """Grant nothing before ``until``."""
        with self._state:
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
        super().__init__(settings, clock, sleep)
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

    def _reserve(self, count: int) -> dt.datetime:
        def work(cur: Any) -> dt.datetime:
            stored = self._read(cur)  # locked: the clock is read after any wait for the lock
            bucket, first = reserve(stored, self._clock(), self.settings, count)
            self._write(cur, bucket, new=stored is None)
            return first

        return self._side.transaction(work)

    def pause(self, until: dt.datetime) -> None:
        """Grant nothing before ``until``, in every process."""

        def work(cur: Any) -> None:
            stored = self._read(cur)
            later = until if stored is None else max(until, stored.next_at)
            self._write(cur, Bucket(later, until), new=stored is None)

        self._side.transaction(work)
