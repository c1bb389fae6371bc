"""The Zalo Official Account channel (extra ``tthc[zalo]``; reference zalo-oa.md).

* :func:`zalo_webhook` / ``create_app(..., zalo=ZaloWebhookSettings(...))``:
  ``POST /webhooks/zalo`` — signature (:func:`verify_signature`, variants as
  configuration), replay window, ``{}`` probe, echo filter, inbox dedupe.
* :func:`zalo_handlers`: the inbox worker's handler of source ``"zalo"``.
* :class:`OaClient` / :class:`ZaloSender`: the OA API and the outbox's sender
  for channel ``"zalo"``; tokens in a :class:`TokenStore`
  (:class:`MemoryTokenStore`, :class:`SqlTokenStore`).
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
    ZaloSender,
)
from tthc_adapters.zalo._handlers import zalo_handlers
from tthc_adapters.zalo._photos import PhotoFetcher, PhotoRefused, PhotoSettings, receipt_text
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

__all__ = [
    "MAX_TEXT",
    "SIGNATURE_HEADER",
    "SOURCE",
    "TIMESTAMP_HEADER",
    "BadSignature",
    "FirstTerm",
    "MemoryTokenStore",
    "NoTokens",
    "OaClient",
    "PhotoFetcher",
    "PhotoRefused",
    "PhotoSettings",
    "RateLimited",
    "Secret",
    "SqlTokenStore",
    "Stamp",
    "TokenPair",
    "TokenRefreshFailed",
    "TokenStore",
    "Unreachable",
    "Variant",
    "ZaloApiError",
    "ZaloApiSettings",
    "ZaloConfig",
    "ZaloSecrets",
    "ZaloSender",
    "ZaloWebhookSettings",
    "event_id_of",
    "mac",
    "postgres_token_store",
    "receipt_text",
    "sqlite_token_store",
    "token_store_for",
    "verify_signature",
    "zalo_handlers",
    "zalo_webhook",
]
