"""Strategies for staff accounts and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tthc_core.accounts import Account, LockoutPolicy, Role
from tthc_core.api_tokens import ApiToken
from tthc_core.testing.strategies._party import vietnamese_names

__all__ = ["REGISTRY", "accounts", "api_tokens", "usernames"]

_UNITS = ("Bộ phận Một cửa", "Phòng Kinh tế", "Lãnh đạo UBND xã", "Thanh tra xã")
_INSTANTS = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001 - bounds are naive; timezones= makes them aware
    max_value=dt.datetime(2035, 12, 31),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)


def usernames() -> st.SearchStrategy[str]:
    """Valid user names: 3-32 of ``a-z 0-9 . _ -``, starting alphanumeric."""
    return st.from_regex(r"[a-z0-9][a-z0-9._-]{2,31}", fullmatch=True)


def accounts() -> st.SearchStrategy[Account]:
    """Staff accounts of every role, locked or not, active or not."""
    return st.builds(
        Account,
        username=usernames(),
        display_name=vietnamese_names(),
        role=st.sampled_from(Role),
        unit=st.sampled_from(_UNITS),
        password_hash=st.from_regex(r"\$argon2id\$[A-Za-z0-9+/$=,]{8,40}", fullmatch=True),
        failed_logins=st.integers(0, 20),
        locked_until=st.none() | _INSTANTS,
        active=st.booleans(),
    )


def api_tokens() -> st.SearchStrategy[ApiToken]:
    """Stored API tokens (a digest, never a secret)."""
    return st.builds(
        ApiToken,
        token_id=st.from_regex(r"[a-z0-9]{8,32}", fullmatch=True),
        username=usernames(),
        secret_digest=st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
        label=st.sampled_from(("Cổng dịch vụ công tỉnh", "Hệ thống báo cáo")),
        created_at=_INSTANTS,
        revoked=st.booleans(),
    )


REGISTRY: dict[type, Any] = {
    Account: accounts(),
    ApiToken: api_tokens(),
    LockoutPolicy: st.builds(
        LockoutPolicy,
        st.integers(1, 20),
        st.integers(1, 24 * 60).map(lambda m: dt.timedelta(minutes=m)),
    ),
}
