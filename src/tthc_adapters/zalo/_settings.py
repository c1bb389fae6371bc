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
from tthc_adapters.zalo._limiter import RateSettings
from tthc_adapters.zalo._photos import PhotoSettings
from tthc_adapters.zalo._sender import ZnsTemplate
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
    "TTHC_ZALO_ZNS_BASE": "default https://business.openapi.zalo.me",
    "TTHC_ZALO_ZNS_TEMPLATE_ID": "the approved ZNS template of the fallback by phone (unset: none)",
    "TTHC_ZALO_ZNS_MODE": "'development' sends ZNS to the app's admins only; unset for real",
    "TTHC_ZALO_RATE_LIMIT": "OA API requests allowed per window across all workers, default 4000",
    "TTHC_ZALO_RATE_WINDOW_SECONDS": "the window of that limit, default 60",
}


def _whole(environ: Mapping[str, str], name: str, default: int, top: int) -> int:
    text = environ.get(name, str(default)).strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= top:
        raise InvalidInput(f"{name} must be a whole number from 1 to {top}")
    return int(text)


@attrs.frozen
class ZaloConfig:
    """Everything the Zalo adapter needs, read once at start-up."""

    webhook: ZaloWebhookSettings
    api: ZaloApiSettings
    photos: PhotoSettings
    rate: RateSettings = attrs.field(factory=RateSettings)
    zns: ZnsTemplate | None = None

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
        minutes = _whole(environ, "TTHC_ZALO_REPLAY_MINUTES", 120, 24 * 60)
        rate = RateSettings(
            _whole(environ, "TTHC_ZALO_RATE_LIMIT", 4000, 1_000_000),
            dt.timedelta(seconds=_whole(environ, "TTHC_ZALO_RATE_WINDOW_SECONDS", 60, 86_400)),
        )
        template = environ.get("TTHC_ZALO_ZNS_TEMPLATE_ID", "").strip()
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
            zns_base=environ.get("TTHC_ZALO_ZNS_BASE", "https://business.openapi.zalo.me").rstrip(
                "/"
            ),
            zns_mode=environ.get("TTHC_ZALO_ZNS_MODE", "").strip(),
        )
        webhook = ZaloWebhookSettings(secrets, replay_past=dt.timedelta(minutes=minutes))
        zns = ZnsTemplate(template) if template else None
        return cls(webhook, api, PhotoSettings(hosts), rate, zns)
