"""``TTHC_ZALO_*``: Zalo switched on only when configured; wrong values say which variable."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_adapters.zalo import FirstTerm, Variant, ZaloConfig
from tthc_core.errors import InvalidInput

ENV = {
    "TTHC_ZALO_APP_ID": "1",
    "TTHC_ZALO_OA_ID": "2",
    "TTHC_ZALO_OA_SECRET": "s",
    "TTHC_ZALO_APP_SECRET": "a",
}


def test_unset_app_id_switches_zalo_off() -> None:
    assert ZaloConfig.from_env({}) is None


def test_the_documented_defaults() -> None:
    config = ZaloConfig.from_env(ENV)
    assert config is not None
    assert config.webhook.secrets.variants == (Variant(),)
    assert config.webhook.replay_past == dt.timedelta(hours=2)
    assert config.api.oa_base == "https://openapi.zalo.me"
    assert config.photos.allowed_hosts == frozenset()


def test_variants_hosts_and_window_are_configuration() -> None:
    env = ENV | {
        "TTHC_ZALO_SIGNATURE_VARIANTS": "app_id+body+oa_secret, oa_id+body+oa_secret",
        "TTHC_ZALO_PHOTO_HOSTS": "Photo.Example, cdn.example",
        "TTHC_ZALO_REPLAY_MINUTES": "1440",
    }
    config = ZaloConfig.from_env(env)
    assert config is not None
    assert config.webhook.secrets.variants[1] == Variant(FirstTerm.OA_ID)
    assert config.photos.allowed_hosts == {"photo.example", "cdn.example"}
    assert config.webhook.replay_past == dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"TTHC_ZALO_OA_SECRET": ""}, "TTHC_ZALO_OA_SECRET"),
        ({"TTHC_ZALO_SIGNATURE_VARIANTS": "hmac"}, "hmac"),
        ({"TTHC_ZALO_REPLAY_MINUTES": "0"}, "TTHC_ZALO_REPLAY_MINUTES"),
        ({"TTHC_ZALO_REPLAY_MINUTES": "1441"}, "TTHC_ZALO_REPLAY_MINUTES"),
    ],
)
def test_a_wrong_variable_is_named(change: dict[str, str], named: str) -> None:
    with pytest.raises(InvalidInput, match=named):
        ZaloConfig.from_env(ENV | change)


def test_the_rate_limit_and_the_zns_template_are_configuration() -> None:
    config = ZaloConfig.from_env(ENV)
    assert config is not None
    assert (config.rate.limit, config.rate.window, config.zns) == (
        4000,
        dt.timedelta(minutes=1),
        None,
    )
    changed = ZaloConfig.from_env(
        ENV
        | {
            "TTHC_ZALO_RATE_LIMIT": "2000",
            "TTHC_ZALO_RATE_WINDOW_SECONDS": "30",
            "TTHC_ZALO_ZNS_TEMPLATE_ID": "tpl-7",
            "TTHC_ZALO_ZNS_MODE": "development",
        }
    )
    assert changed is not None
    assert (changed.rate.limit, changed.rate.window) == (2000, dt.timedelta(seconds=30))
    assert changed.zns is not None
    assert (changed.zns.template_id, changed.api.zns_mode) == ("tpl-7", "development")
    for bad in ("0", "-5", "x", "٣"):
        with pytest.raises(InvalidInput, match="TTHC_ZALO_RATE_LIMIT"):
            ZaloConfig.from_env(ENV | {"TTHC_ZALO_RATE_LIMIT": bad})
