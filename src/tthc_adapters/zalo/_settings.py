"""The Zalo OA's configuration from the environment (``TTHC_ZALO_*``; docs/zalo.md).

Unset ``TTHC_ZALO_APP_ID`` leaves Zalo switched off. The uncertain points of
the reference (zalo-oa.md §2.4, §8) are variables: which signature variants
are accepted, the replay window, the photo hosts, the API hosts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from tthc_adapters.zalo._client import ZaloApiSettings
from tthc_adapters.zalo._photos import PhotoSettings
from tthc_adapters.zalo._signature import Variant, ZaloSecrets
from tthc_adapters.zalo._webhook import ZaloWebhookSettings
from tthc_core.errors import InvalidInput

__all__ = ["ENV", "ZaloConfig"]

#: Every variable read, with what it is.
ENV = {
    "TTHC_ZALO_APP_ID": "the app id (required to switch Zalo on)",
    "TTHC_ZALO_OA_ID": "the Official Account id",
    "TTHC_ZALO_OA_SECRET": "the OA Secret Key (webhook signature)",
    "TTHC_ZALO_APP_SECRET": "the App Secret (OAuth refresh; signature variants naming it)",
    "TTHC_ZALO_SIGNATURE_VARIANTS": "comma-separated, default app_id+body+oa_secret",
    "TTHC_ZALO_REPLAY_MINUTES": "how old an event may be, default 120",
    "TTHC_ZALO_PHOTO_HOSTS": "comma-separated hosts photos are fetched from",
    "TTHC_ZALO_OA_BASE": "default https://openapi.zalo.me",
    "TTHC_ZALO_OAUTH_BASE": "default https://oauth.zaloapp.com",
}


@attrs.frozen
class ZaloConfig:
    """Everything the Zalo adapter needs, read once at start-up."""

    webhook: ZaloWebhookSettings
    api: ZaloApiSettings
    photos: PhotoSettings

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ZaloConfig | None:
        """The configuration, or ``None`` when ``TTHC_ZALO_APP_ID`` is unset.

        Raises:
            InvalidInput: Naming the variable that is missing or malformed.
        """
        app_id = environ.get("TTHC_ZALO_APP_ID", "").strip()
        if not app_id:
            return None
        missing = [
            name
            for name in ("TTHC_ZALO_OA_ID", "TTHC_ZALO_OA_SECRET", "TTHC_ZALO_APP_SECRET")
            if not environ.get(name, "").strip()
        ]
        if missing:
            raise InvalidInput(f"Zalo is switched on but {', '.join(missing)} is not set")
        variants = tuple(
            Variant.parse(v)
            for v in environ.get("TTHC_ZALO_SIGNATURE_VARIANTS", "app_id+body+oa_secret").split(",")
            if v.strip()
        )
        secrets = ZaloSecrets(
            app_id,
            environ["TTHC_ZALO_OA_ID"].strip(),
            environ["TTHC_ZALO_OA_SECRET"].strip(),
            environ["TTHC_ZALO_APP_SECRET"].strip(),
            variants,
        )
        minutes = environ.get("TTHC_ZALO_REPLAY_MINUTES", "120").strip()
        if not minutes.isdigit() or not 1 <= int(minutes) <= 24 * 60:
            raise InvalidInput("TTHC_ZALO_REPLAY_MINUTES must be whole minutes, 1 to 1440")
        hosts = frozenset(
            h.strip().lower()
            for h in environ.get("TTHC_ZALO_PHOTO_HOSTS", "").split(",")
            if h.strip()
        )
        api = ZaloApiSettings(
            app_id,
            secrets.app_secret,
            environ.get("TTHC_ZALO_OA_BASE", "https://openapi.zalo.me").rstrip("/"),
            environ.get("TTHC_ZALO_OAUTH_BASE", "https://oauth.zaloapp.com").rstrip("/"),
        )
        webhook = ZaloWebhookSettings(secrets, replay_past=dt.timedelta(minutes=int(minutes)))
        return cls(webhook, api, PhotoSettings(hosts))
