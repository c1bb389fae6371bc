"""The contract of every :class:`~tthc_core.report.ChannelFigures` adapter, and a memory fake.

Subclass :class:`ChannelFiguresContract` and override one fixture returning
the adapter and a :class:`ChannelRecorder` that records figures into it::

    class TestMyFigures(ChannelFiguresContract):
        @pytest.fixture
        def channel(self):
            ledger = ...
            return MyFigures(ledger), MyRecorder(ledger)
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import attrs
import pytest

from tthc_core.calendar import VN_TZ
from tthc_core.report import ChannelFigures, StarRatings, channel_report

__all__ = ["ChannelFiguresContract", "ChannelRecorder", "MemoryChannelFigures"]


class ChannelRecorder(Protocol):
    """Records the channel's figures (a fake's control hook)."""

    def count_followers(self, total: int, at: dt.datetime) -> None:
        """The channel had ``total`` followers at ``at``."""
        ...

    def publish(self, article_id: str, at: dt.datetime, views: int) -> None:
        """Article ``article_id`` was published at ``at`` and has been viewed ``views`` times."""
        ...

    def rate(self, event_id: str, stars: int, at: dt.datetime) -> None:
        """A follower gave the OA ``stars`` (1-5) at ``at`` (event ``event_id``, kept once)."""
        ...


@attrs.define
class MemoryChannelFigures:
    """:class:`~tthc_core.report.ChannelFigures` in memory; also its own recorder."""

    counts: dict[dt.datetime, int] = attrs.field(factory=dict)
    articles: dict[str, tuple[dt.datetime, int]] = attrs.field(factory=dict)
    ratings: dict[str, tuple[dt.datetime, int]] = attrs.field(factory=dict)

    def count_followers(self, total: int, at: dt.datetime) -> None:
        """Record a follower count."""
        self.counts[at] = total

    def publish(self, article_id: str, at: dt.datetime, views: int) -> None:
        """Record a published article and its views."""
        self.articles[article_id] = (at, views)

    def rate(self, event_id: str, stars: int, at: dt.datetime) -> None:
        """Record a star rating once per event."""
        self.ratings.setdefault(event_id, (at, stars))

    def star_ratings(self, start: dt.datetime, end: dt.datetime) -> StarRatings:
        """The ratings given in ``[start, end)``."""
        given = [stars for when, stars in self.ratings.values() if start <= when < end]
        return StarRatings(len(given), sum(given))

    def followers_at(self, at: dt.datetime) -> int | None:
        """The last count at or before ``at``."""
        earlier = [when for when in self.counts if when <= at]
        return self.counts[max(earlier)] if earlier else None

    def _published(self, start: dt.datetime, end: dt.datetime) -> list[int] | None:
        if not self.counts and not self.articles:
            return None
        return [views for when, views in self.articles.values() if start <= when < end]

    def posts(self, start: dt.datetime, end: dt.datetime) -> int | None:
        """Articles published in ``[start, end)``."""
        found = self._published(start, end)
        return None if found is None else len(found)

    def article_views(self, start: dt.datetime, end: dt.datetime) -> int | None:
        """Their views."""
        found = self._published(start, end)
        return None if found is None else sum(found)


def _vn(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN_TZ)


class ChannelFiguresContract:
    """The behaviour every channel figures adapter shares."""

    @pytest.fixture
    def channel(self) -> tuple[ChannelFigures, ChannelRecorder]:
        """The adapter under test and its recorder (override)."""
        raise NotImplementedError

    def test_nothing_recorded_is_no_figures_not_zero(
        self, channel: tuple[ChannelFigures, ChannelRecorder]
    ) -> None:
        figures, _ = channel
        report = channel_report(figures, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
        assert (report.followers, report.followers_change) == (None, None)
        assert (report.posts, report.article_views) == (None, None)

    def test_followers_at_the_end_and_the_change(
        self, channel: tuple[ChannelFigures, ChannelRecorder]
    ) -> None:
        figures, record = channel
        record.count_followers(100, _vn(1, 0))  # the first instant of the period counts as before
        record.count_followers(130, _vn(30, 23, 59))
        record.count_followers(999, _vn(30, 23, 59) + dt.timedelta(minutes=1))  # next period
        report = channel_report(figures, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
        assert (report.followers, report.followers_before, report.followers_change) == (
            130, 100, 30,
        )  # fmt: skip
        first = channel_report(figures, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
        assert (first.followers, first.followers_change) == (None, None)
        assert first.posts == 0  # figures exist, none in the period
        assert figures.followers_at(_vn(15, 12)) == 100

    def test_posts_and_views_in_the_period_in_vietnam_days(
        self, channel: tuple[ChannelFigures, ChannelRecorder]
    ) -> None:
        figures, record = channel
        record.publish("a1", _vn(1, 0), 40)
        record.publish("a2", _vn(10, 15, 30), 2)
        record.publish("a3", _vn(30, 23, 59), 5)
        record.publish("a4", dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC), 7)  # 1/12 00:00
        record.publish("a0", dt.datetime(2026, 10, 31, 16, 59, tzinfo=dt.UTC), 11)  # 31/10
        report = channel_report(figures, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
        assert (report.posts, report.article_views) == (3, 47)
        one_day = channel_report(figures, start=dt.date(2026, 11, 10), end=dt.date(2026, 11, 10))
        assert (one_day.posts, one_day.article_views) == (1, 2)
        assert one_day.followers is None  # articles but no follower count yet

    def test_star_ratings_of_the_period_counted_once_per_event(
        self, channel: tuple[ChannelFigures, ChannelRecorder]
    ) -> None:
        figures, record = channel
        empty = channel_report(figures, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
        assert empty.stars == StarRatings(0, 0)
        assert empty.stars.average is None
        record.rate("f1", 5, _vn(1, 0))
        record.rate("f2", 2, _vn(30, 23, 59))
        record.rate("f2", 2, _vn(30, 23, 59))  # a redelivered event
        record.rate("f3", 4, dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC))  # 1/12 00:00
        record.rate("f0", 1, dt.datetime(2026, 10, 31, 16, 59, tzinfo=dt.UTC))  # 31/10
        report = channel_report(figures, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
        assert report.stars == StarRatings(2, 7)
        assert report.stars.average == 3.5
        december = channel_report(figures, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 1))
        assert december.stars == StarRatings(1, 4)
        # Star ratings alone are no follower or article figures.
        assert (report.followers, report.posts) == (None, None)
