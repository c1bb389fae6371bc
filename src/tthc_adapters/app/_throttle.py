"""Rate limits on a maintained library (`limits`_): one small API for every throttled thing.

A :class:`Throttle` counts hits per key (a client address, a chat sender, an
API key) against one or more rates written as `limits`_ strings
(``"30/minute;300/hour"``), in a moving window. The counters live in a
`limits`_ storage named by URI:

* ``memory://`` (the default) keeps them in this process: right for one
  process, and each of several processes would count on its own;
* a shared backend — ``redis://host:6379``, ``memcached://host:11211``,
  ``mongodb://…`` (each needs its client package, see the `limits`_
  documentation) — counts across every process of ``tthc serve --workers``.

Build one :func:`throttle_storage` per process and give it to every
:class:`Throttle`, so the memory backend keeps one expiry thread.

.. _limits: https://limits.readthedocs.io/
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Mapping

import attrs
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, MovingWindowSupport, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from tthc_core.errors import InvalidInput

__all__ = ["Decision", "Throttle", "ThrottleSettings", "ThrottledBudget", "throttle_storage"]


#: Seconds between sweeps of expired counters in the memory backend.
SWEEP_SECONDS = 1.0


class _SweptMemoryStorage(MemoryStorage):
    """`limits`' memory backend, sweeping expired counters at most once a second.

    The library's backend starts a new timer thread to sweep whenever its last
    one has finished — under load, one thread start (and a GIL hand-over the
    request waits for) every 10 ms. The sweep only frees memory: a moving
    window judges each hit by its entries' times, swept or not, so sweeping
    less often changes no decision.
    """

    def __init__(self, uri: str | None = None) -> None:
        self._next_sweep = 0.0
        super().__init__(uri)

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - the library's private hook
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_SECONDS
        super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


def throttle_storage(uri: str = "memory://") -> Storage:
    """The `limits` storage at ``uri`` (``memory://``, ``redis://…``, …).

    Raises:
        InvalidInput: If the URI names no storage `limits` knows, or one
            without moving windows.
    """
    if uri == "memory://":
        return _SweptMemoryStorage(uri)
    try:
        made = storage_from_string(uri)
    except Exception as exc:  # limits raises ConfigurationError and import errors
        raise InvalidInput(f"cannot use the rate-limit storage {uri!r}: {exc}") from None
    if not isinstance(made, Storage) or not isinstance(made, MovingWindowSupport):
        raise InvalidInput(f"the rate-limit storage {uri!r} has no moving windows")
    return made


@attrs.frozen
class Decision:
    """Whether one hit was allowed, and when to come back if not.

    Args:
        allowed: Whether the hit fits the rates (and was counted).
        retry_after: Whole seconds until a hit would fit again (0 if allowed).
    """

    allowed: bool
    retry_after: int = 0


_ALLOWED = Decision(allowed=True)


class Throttle:
    """Hits per key against ``rates``, counted in ``storage`` under ``scope``.

    Args:
        rates: One or more rates, ``"30/minute"`` or ``"30/minute;300/hour"``.
        scope: Names this throttle's counters (two throttles on one storage
            with different scopes count apart).
        storage: Where the counters live (:func:`throttle_storage`).

    Raises:
        InvalidInput: If ``rates`` is not a `limits` rate string.
    """

    def __init__(self, rates: str, *, scope: str, storage: Storage | None = None) -> None:
        try:
            self.rates: tuple[RateLimitItem, ...] = tuple(parse_many(rates))
        except ValueError as exc:
            raise InvalidInput(
                f"rate {rates!r} is not like '30/minute' or '30/minute;300/hour': {exc}"
            ) from None
        if not self.rates:
            raise InvalidInput(f"rate {rates!r} names no limit")
        self.scope = scope
        self._limiter = MovingWindowRateLimiter(storage or throttle_storage())

    def hit(self, key: str, *, cost: int = 1) -> Decision:
        """Count ``cost`` hits for ``key`` if they fit every rate; else count none.

        Args:
            key: Whose hits (a client address, a sender id, an API key).
            cost: How many hits (a chat message naming 3 codes costs 3).
        """
        if cost < 1:
            return Decision(allowed=True)
        # A moving window's hit counts only if it fits, so the last rate needs no test of
        # its own: test the others, then hit the last first (one call for a single rate).
        *others, last = self.rates
        limiter, scope = self._limiter, self.scope
        if (
            all(limiter.test(rate, scope, key, cost=cost) for rate in others)
            and limiter.hit(last, scope, key, cost=cost)
            and all(limiter.hit(rate, scope, key, cost=cost) for rate in others)
        ):
            return _ALLOWED
        return Decision(allowed=False, retry_after=self._retry_after(key, cost))

    def _retry_after(self, key: str, cost: int) -> int:
        now = time.time()
        waits = [1.0]
        for rate in self.rates:
            if cost > rate.amount:  # never fits: come back after the whole window
                waits.append(rate.get_expiry())
                continue
            stats = self._limiter.get_window_stats(rate, self.scope, key)
            if stats.remaining < cost:
                waits.append(stats.reset_time - now)
        return math.ceil(max(waits))

    def clear(self, key: str) -> None:
        """Forget ``key``'s hits (an officer lifting a block)."""
        for rate in self.rates:
            self._limiter.clear(rate, self.scope, key)


class ThrottledBudget:
    """The desk's :class:`~tthc_core.desk.LookupBudget` on a :class:`Throttle`.

    ``at`` is not used: `limits` counts on this machine's clock, which is the
    receipt time of the message anyway.

    Args:
        throttle: Counts look-ups per sender.
    """

    def __init__(self, throttle: Throttle) -> None:
        self.throttle = throttle

    def allow(self, sender: str, count: int, at: dt.datetime) -> bool:
        """Spend ``count`` look-ups of ``sender``'s budget, if they fit."""
        return self.throttle.hit(sender, cost=count).allowed


@attrs.frozen
class ThrottleSettings:
    """The service's rate limits, as `limits` rate strings (``None`` switches one off).

    A look-up by code alone shows a dossier's status to anyone, so these
    limits are what stops a scan of sequence numbers (docs/server.md,
    "Throttling"). Behind a reverse proxy, run uvicorn with
    ``--proxy-headers --forwarded-allow-ips`` so the client address is the
    citizen's, not the proxy's.

    Args:
        pages: Status pages by code (with or without a QR tag) and look-up
            form submissions, per client address.
        chat_lookups: Codes looked up in chat (and feedback naming a code),
            per chat sender.
        storage: Where the counters live: ``memory://`` for one process, a
            shared `limits` storage (``redis://…``) for several.
    """

    pages: str | None = "30/minute;300/hour"
    chat_lookups: str | None = "30/hour;100/day"
    storage: str = "memory://"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ThrottleSettings:
        """Settings from ``TTHC_THROTTLE_PAGES``, ``TTHC_THROTTLE_CHAT_LOOKUPS`` and
        ``TTHC_THROTTLE_STORAGE``; a rate of ``off`` switches that limit off, and an
        unset or empty variable keeps the default.

        Raises:
            InvalidInput: Naming the variable whose rate is not a `limits` rate string.
        """
        default = cls()

        def rate(name: str, fallback: str | None) -> str | None:
            value = environ.get(name, "").strip()
            if not value:
                return fallback
            if value.lower() == "off":
                return None
            try:
                parse_many(value)
            except ValueError:
                raise InvalidInput(f"{name}={value!r} is not like '30/minute;300/hour'") from None
            return value

        return cls(
            pages=rate("TTHC_THROTTLE_PAGES", default.pages),
            chat_lookups=rate("TTHC_THROTTLE_CHAT_LOOKUPS", default.chat_lookups),
            storage=environ.get("TTHC_THROTTLE_STORAGE", "").strip() or default.storage,
        )

    def build(self) -> tuple[Throttle | None, ThrottledBudget | None]:
        """The page throttle and the chat look-up budget, on one storage.

        Raises:
            InvalidInput: If a rate or the storage URI is not valid.
        """
        if self.pages is None and self.chat_lookups is None:
            return None, None
        storage = throttle_storage(self.storage)
        pages = None if self.pages is None else Throttle(self.pages, scope="pages", storage=storage)
        chat = None
        if self.chat_lookups is not None:
            chat = ThrottledBudget(Throttle(self.chat_lookups, scope="chat", storage=storage))
        return pages, chat
