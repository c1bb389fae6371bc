"""The rate-limit API on `limits` (issue 9: throttle look-ups with a maintained library)."""

from __future__ import annotations

import pytest

from tthc_adapters.app._throttle import Decision, Throttle, throttle_storage
from tthc_core.errors import InvalidInput


def test_a_key_is_allowed_up_to_the_rate_then_told_when_to_return() -> None:
    throttle = Throttle("3/minute", scope="t")
    assert [throttle.hit("a").allowed for _ in range(3)] == [True, True, True]
    refused = throttle.hit("a")
    assert refused.allowed is False
    assert 1 <= refused.retry_after <= 60
    assert throttle.hit("b") == Decision(allowed=True)  # another key counts apart


def test_every_rate_of_several_must_fit_and_a_refused_hit_counts_nothing() -> None:
    throttle = Throttle("5/minute;2/hour", scope="t")
    assert throttle.hit("a").allowed
    assert throttle.hit("a").allowed
    refused = throttle.hit("a")
    assert not refused.allowed
    assert refused.retry_after > 60  # the hourly rate is the one spent


def test_a_cost_counts_as_that_many_hits() -> None:
    throttle = Throttle("5/minute", scope="t")
    assert throttle.hit("a", cost=4).allowed
    assert not throttle.hit("a", cost=2).allowed
    assert throttle.hit("a", cost=1).allowed
    assert throttle.hit("a", cost=0).allowed  # nothing to count
    never = throttle.hit("b", cost=6)
    assert (never.allowed, never.retry_after) == (False, 60)


def test_throttles_sharing_a_storage_count_apart_by_scope() -> None:
    storage = throttle_storage()
    pages = Throttle("1/minute", scope="pages", storage=storage)
    chat = Throttle("1/minute", scope="chat", storage=storage)
    assert pages.hit("a").allowed
    assert chat.hit("a").allowed
    assert not pages.hit("a").allowed
    pages.clear("a")
    assert pages.hit("a").allowed


@pytest.mark.parametrize("rates", ["", "many", "3/fortnight", "-1/minute"])
def test_a_rate_that_is_not_a_limits_string_is_refused(rates: str) -> None:
    with pytest.raises(InvalidInput, match="rate"):
        Throttle(rates, scope="t")


@pytest.mark.parametrize("uri", ["nosuch://x", "not a uri"])
def test_an_unknown_storage_is_refused_naming_it(uri: str) -> None:
    with pytest.raises(InvalidInput, match="rate-limit storage"):
        throttle_storage(uri)
