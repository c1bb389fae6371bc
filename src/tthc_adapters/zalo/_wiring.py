"""The Zalo channel's parts for one store and desk (``tthc serve``, ``worker``, ``demo``)."""

from __future__ import annotations

from collections.abc import Callable

from tthc_adapters.storage._clock import utc_now
from tthc_adapters.zalo._client import OaClient, ZaloApiSettings
from tthc_adapters.zalo._jobs import JOB_CHANNEL, ZaloJobs
from tthc_adapters.zalo._ledger import Ledger
from tthc_adapters.zalo._limiter import MemoryRateLimiter, RateLimiter, RateSettings, SqlRateLimiter
from tthc_adapters.zalo._photos import PhotoFetcher
from tthc_adapters.zalo._sender import ZaloSender, ZnsTemplate
from tthc_adapters.zalo._sqlside import memory_side, sql_side_for
from tthc_adapters.zalo._tokens import TokenStore, token_store_for
from tthc_core.desk import Desk, FilingFiles, LookupBudget
from tthc_core.storage import Clock, OutboundMessage, Store

__all__ = ["ZaloParts", "phone_lookup"]


def phone_lookup(store: Store, channel: str) -> Callable[[str], str | None]:
    """The phone a citizen gave (kept on their links), by chat user id (a read-only look-up)."""

    def phone_for(user_id: str) -> str | None:
        with store.read_only() as uow:
            phones = [link.phone for link in uow.links.for_user(channel, user_id) if link.phone]
        return phones[-1] if phones else None

    return phone_for


class ZaloParts:
    """Everything the Zalo channel runs on for one store: tokens, limiter, ledger, senders.

    Args:
        store: The store (its database holds tokens, the rate bucket and the ledger).
        desk: The desk.
        api: Hosts and credentials.
        oa_id: The OA (its token pair).
        clock: Tells the time (quiet hours, token expiry, the ledger).
        rate: The shared send rate.
        rate_clock: The limiter's clock: real time, whatever story ``clock`` tells
            (a rate is requests per elapsed second).
        zns: The ZNS fallback template, if registered.
        photos: Fetches photos (``None``: photo jobs are parked).
        budget: The chat senders' look-up budget.
        tokens: The token store (default: in the store's database).
        files: Where online-filing documents are checked and kept.
    """

    def __init__(
        self,
        store: Store,
        desk: Desk,
        api: ZaloApiSettings,
        oa_id: str,
        *,
        clock: Clock,
        rate: RateSettings | None = None,
        zns: ZnsTemplate | None = None,
        photos: PhotoFetcher | None = None,
        budget: LookupBudget | None = None,
        tokens: TokenStore | None = None,
        rate_clock: Clock = utc_now,
        files: FilingFiles | None = None,
    ) -> None:
        side = sql_side_for(store)
        quick = sql_side_for(store, durable=False)
        self.tokens = tokens or token_store_for(store, oa_id)
        self.limiter: RateLimiter = (
            MemoryRateLimiter(rate or RateSettings(), clock=rate_clock)
            if quick is None
            else SqlRateLimiter(quick, rate or RateSettings(), clock=rate_clock)
        )
        self.ledger = Ledger(side or memory_side())
        self.client = OaClient(api, self.tokens, clock=clock, limiter=self.limiter)
        self.sender = ZaloSender(
            self.client,
            clock=clock,
            ledger=self.ledger,
            phone_for=phone_lookup(store, desk.chat_channel),
            zns=zns,
        )
        self.jobs = ZaloJobs(
            store, desk, photos=photos, ledger=self.ledger, budget=budget, files=files
        )

    def channels(self) -> dict[str, Callable[[OutboundMessage], None]]:
        """The outbox senders: ``"zalo"`` and ``"zalo.job"``."""
        return {"zalo": self.sender, JOB_CHANNEL: self.jobs}

    def close(self) -> None:
        """Close the HTTP clients."""
        self.client.close()
