"""Dossier reports (báo cáo): received dossiers by status and by timeliness over a period.

The figures follow the one-stop reporting rules: dossiers received in the
period, how many are finished early / on time / late and how many open ones
are in time or overdue (Circular 01/2018/TT-VPCP Art. 13; Decision
766/QĐ-TTg KPI 2.1, the share of dossiers finished on time). Timeliness is the
dossier's own (:meth:`tthc_core.dossier.Dossier.timeliness`), measured at the
report's instant.

Citizens' ratings (Circular 01/2018 Art. 13-15) and the Decision 766
satisfaction, online, digitisation and reuse indicators come from
:mod:`tthc_core.satisfaction`, re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

import attrs

from tthc_core.calendar import VN_TZ, to_local
from tthc_core.dossier import Dossier, DossierState, Timeliness
from tthc_core.errors import InvalidInput
from tthc_core.satisfaction import (
    Kpi766,
    PaknOutcome,
    agency_band,
    art13_scores,
    digitisation_4_2,
    officer_band,
    online_share_3_3,
    pakn_satisfaction_5_3,
    reuse_4_3,
    satisfaction_5_4,
)

__all__ = [
    "ChannelFigures",
    "ChannelReport",
    "DossierReport",
    "Kpi766",
    "PaknOutcome",
    "StarRatings",
    "agency_band",
    "art13_scores",
    "channel_report",
    "digitisation_4_2",
    "dossier_report",
    "officer_band",
    "online_share_3_3",
    "pakn_satisfaction_5_3",
    "reuse_4_3",
    "satisfaction_5_4",
]


@attrs.frozen
class DossierReport:
    """The dossiers received from ``start`` to ``end`` (Vietnam days, both included).

    Args:
        start: The first day.
        end: The last day.
        at: The instant the report was made (open dossiers' timeliness).
        by_state: How many are in each state (every state, in table order).
        by_timeliness: How many are in each timeliness class (every class).
    """

    start: dt.date
    end: dt.date
    at: dt.datetime
    by_state: tuple[tuple[DossierState, int], ...]
    by_timeliness: tuple[tuple[Timeliness, int], ...]

    @property
    def received(self) -> int:
        """Dossiers received in the period."""
        return sum(n for _, n in self.by_state)

    @property
    def finished(self) -> int:
        """Of them, finished (early, on time or late)."""
        return sum(n for t, n in self.by_timeliness if t.is_finished)

    @property
    def finished_on_time(self) -> int:
        """Of them, finished early or on time."""
        return sum(n for t, n in self.by_timeliness if t in (Timeliness.EARLY, Timeliness.ON_TIME))

    @property
    def on_time_rate(self) -> float | None:
        """Finished on time / finished (Decision 766 KPI 2.1), ``None`` when none finished."""
        return None if self.finished == 0 else self.finished_on_time / self.finished


def dossier_report(
    dossiers: Iterable[Dossier], *, start: dt.date, end: dt.date, at: dt.datetime
) -> DossierReport:
    """The report of the dossiers *received* from ``start`` to ``end``.

    Dossiers submitted online but never received have no promised time and
    are not counted (Decree 61/2018 Art. 17: the clock starts at receipt).

    Raises:
        InvalidInput: If ``end`` is before ``start``.
    """
    if end < start:
        raise InvalidInput(f"the report ends ({end}) before it starts ({start})")
    states: Counter[DossierState] = Counter()
    timeliness: Counter[Timeliness] = Counter()
    for dossier in dossiers:
        if dossier.received_at is None or not (
            start <= to_local(dossier.received_at).date() <= end
        ):
            continue
        states[dossier.state] += 1
        found = dossier.timeliness(max(at, dossier.last_event_at))
        if found is not None:
            timeliness[found] += 1
    return DossierReport(
        start,
        end,
        at,
        tuple((s, states[s]) for s in DossierState),
        tuple((t, timeliness[t]) for t in Timeliness),
    )


class ChannelFigures(Protocol):
    """The chat channel's own figures (port): followers, posts, article views.

    Every method answers ``None`` when the channel has recorded no figures at
    all (reports then say "chưa có số liệu", never 0). Instants are aware;
    periods are half-open ``[start, end)``.
    """

    def followers_at(self, at: dt.datetime) -> int | None:
        """The last follower count taken at or before ``at``; ``None`` if none was."""
        ...

    def posts(self, start: dt.datetime, end: dt.datetime) -> int | None:
        """How many articles were published (broadcast) in ``[start, end)``."""
        ...

    def article_views(self, start: dt.datetime, end: dt.datetime) -> int | None:
        """Views of the articles published in ``[start, end)``, as last counted."""
        ...

    def star_ratings(self, start: dt.datetime, end: dt.datetime) -> StarRatings:
        """The channel's own service ratings (Zalo ``user_feedback``) given in ``[start, end)``."""
        ...


@attrs.frozen
class StarRatings:
    """Service ratings the chat platform collects itself (Zalo OA's rating template).

    They rate the Official Account's service as a whole: no dossier is
    attached, so they are reported on their own line beside the Circular
    01/2018 Art. 13 indicators, never mixed into them.

    Args:
        count: Ratings given.
        stars: Their stars summed (each 1 to 5).
    """

    count: int = 0
    stars: int = 0

    @property
    def average(self) -> float | None:
        """Mean stars to two decimals; ``None`` without ratings."""
        return None if self.count == 0 else round(self.stars / self.count, 2)


@attrs.frozen
class ChannelReport:
    """The channel's figures for the Vietnam days ``start`` to ``end`` (both included).

    The seed's report figures besides dossiers and petitions: followers,
    posts, article views. ``None`` means "no figures recorded" (chưa có số liệu).

    Args:
        start: The first day.
        end: The last day.
        followers: Followers at the end of the period (the last count before it ended).
        followers_before: Followers when the period began (the last count before it).
        posts: Articles published in the period.
        article_views: Views of those articles, as last counted.
        stars: The channel's own star ratings given in the period (``None``:
            no channel to ask).
    """

    start: dt.date
    end: dt.date
    followers: int | None = None
    followers_before: int | None = None
    posts: int | None = None
    article_views: int | None = None
    stars: StarRatings | None = None

    @property
    def followers_change(self) -> int | None:
        """Followers gained (negative: lost) in the period; ``None`` without both counts."""
        if self.followers is None or self.followers_before is None:
            return None
        return self.followers - self.followers_before


def channel_report(figures: ChannelFigures, *, start: dt.date, end: dt.date) -> ChannelReport:
    """The channel's figures for the Vietnam days ``start`` to ``end`` (both included).

    Raises:
        InvalidInput: If ``end`` is before ``start``.
    """
    if end < start:
        raise InvalidInput(f"the report ends ({end}) before it starts ({start})")
    lo = dt.datetime.combine(start, dt.time(), tzinfo=VN_TZ)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ)
    return ChannelReport(
        start,
        end,
        figures.followers_at(hi - dt.timedelta(microseconds=1)),
        figures.followers_at(lo),
        figures.posts(lo, hi),
        figures.article_views(lo, hi),
        figures.star_ratings(lo, hi),
    )
