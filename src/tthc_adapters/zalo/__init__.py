"""The Zalo Official Account channel (extra ``tthc[zalo]``; reference zalo-oa.md).

* :func:`zalo_webhook` / ``create_app(..., zalo=ZaloWebhookSettings(...))``:
  ``POST /webhooks/zalo`` — signature (:func:`verify_signature`, variants as
  configuration), replay window, ``{}`` probe, echo filter, inbox dedupe.
* :func:`zalo_handlers`: the inbox worker's handler of source ``"zalo"``.
* :class:`OaClient` / :class:`ZaloSender`: the OA API and the outbox's sender
  for channel ``"zalo"`` (quiet hours, ZNS fallback, delivery ledger); tokens
  in a :class:`TokenStore` (:class:`MemoryTokenStore`, :class:`SqlTokenStore`);
  the send rate shared by every process (:class:`SqlRateLimiter`).
* :class:`ZaloJobs`: the outbox sender for channel ``"zalo.job"`` — photo
  downloads, delivery statuses and ratings, outside the inbox transaction.
* :class:`Ledger`: delivery statuses, ratings, articles and followers for reports;
  :class:`LedgerChannelFigures` reads the report figures from it.
* :class:`PhotoFetcher`: photos from allowed hosts only, with limits.
* :class:`FakeZaloServer` (``tthc_adapters.zalo._fake_server``): the platform on loopback.
"""

from __future__ import annotations

from tthc_adapters.zalo._client import (
    MAX_TEXT,
    OaClient,
    RateLimited,
    TokenRefreshFailed,
    Unreachable,
    ZaloApiError,
    ZaloApiSettings,
    tracking_id_of,
)
from tthc_adapters.zalo._figures import LedgerChannelFigures, channel_figures_for
from tthc_adapters.zalo._handlers import zalo_handlers
from tthc_adapters.zalo._jobs import JOB_CHANNEL, ZaloJobs
from tthc_adapters.zalo._ledger import Article, Delivery, Feedback, Ledger, Statuses
from tthc_adapters.zalo._limiter import (
    MemoryRateLimiter,
    RateLimiter,
    RateSettings,
    SqlRateLimiter,
)
from tthc_adapters.zalo._photos import PhotoFetcher, PhotoRefused, PhotoSettings, receipt_text
from tthc_adapters.zalo._quiet import quiet_until
from tthc_adapters.zalo._sender import ZaloSender, ZnsTemplate, kind_of
from tthc_adapters.zalo._settings import ZaloConfig
from tthc_adapters.zalo._signature import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BadSignature,
    FirstTerm,
    Secret,
    Stamp,
    Variant,
    ZaloSecrets,
    mac,
    verify_signature,
)
from tthc_adapters.zalo._sqlside import SqlSide, memory_side, sql_side_for
from tthc_adapters.zalo._tokens import (
    MemoryTokenStore,
    NoTokens,
    SqlTokenStore,
    TokenPair,
    TokenStore,
    postgres_token_store,
    sqlite_token_store,
    token_store_for,
)
from tthc_adapters.zalo._webhook import SOURCE, ZaloWebhookSettings, event_id_of, zalo_webhook
from tthc_adapters.zalo._wiring import ZaloParts, phone_lookup

__all__ = [
    "JOB_CHANNEL",
    "MAX_TEXT",
    "SIGNATURE_HEADER",
    "SOURCE",
    "TIMESTAMP_HEADER",
    "Article",
    "BadSignature",
    "Delivery",
    "Feedback",
    "FirstTerm",
    "Ledger",
    "LedgerChannelFigures",
    "MemoryRateLimiter",
    "MemoryTokenStore",
    "NoTokens",
    "OaClient",
    "PhotoFetcher",
    "PhotoRefused",
    "PhotoSettings",
    "RateLimited",
    "RateLimiter",
    "RateSettings",
    "Secret",
    "SqlRateLimiter",
    "SqlSide",
    "SqlTokenStore",
    "Stamp",
    "Statuses",
    "TokenPair",
    "TokenRefreshFailed",
    "TokenStore",
    "Unreachable",
    "Variant",
    "ZaloApiError",
    "ZaloApiSettings",
    "ZaloConfig",
    "ZaloJobs",
    "ZaloParts",
    "ZaloSecrets",
    "ZaloSender",
    "ZaloWebhookSettings",
    "ZnsTemplate",
    "channel_figures_for",
    "event_id_of",
    "kind_of",
    "mac",
    "memory_side",
    "phone_lookup",
    "postgres_token_store",
    "quiet_until",
    "receipt_text",
    "sql_side_for",
    "sqlite_token_store",
    "token_store_for",
    "tracking_id_of",
    "verify_signature",
    "zalo_handlers",
    "zalo_webhook",
]
