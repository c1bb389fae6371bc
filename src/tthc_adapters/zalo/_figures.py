"""Report figures from the Zalo ledger (port :class:`tthc_core.report.ChannelFigures`).

Star ratings are Zalo's ``user_feedback`` events (table ``zalo_feedback``,
kept once per event by the ``feedback`` job). Follower counts and articles
are recorded by ``tthc zalo stats`` and ``tthc zalo broadcast`` (tables
``zalo_followers`` and ``zalo_articles``, migration 0010; OA API: reference
zalo-oa.md). Instants are stored as ISO 8601 UTC text of one form, so they
compare as text in SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tthc_adapters.zalo._ledger import _text
from tthc_adapters.zalo._sqlside import SqlSide, sql_side_for
from tthc_core.report import StarRatings

__all__ = ["LedgerChannelFigures", "channel_figures_for"]

_PUBLISHED = (
    "FROM zalo_articles WHERE broadcast_at <> '' AND broadcast_at >= %s AND broadcast_at < %s"
)


class LedgerChannelFigures:
    """Followers, posts, article views and star ratings from the ledger's tables on ``side``."""

    def __init__(self, side: SqlSide) -> None:
        self._side = side

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        def work(cur: Any) -> Any:
            cur.execute(self._side.q(sql), params)
            return cur.fetchone()

        return self._side.transaction(work)

    def _recorded(self) -> bool:
        (count,) = self._one(
            "SELECT (SELECT COUNT(*) FROM zalo_followers) + (SELECT COUNT(*) FROM zalo_articles)"
        )
        return bool(count)

    def followers_at(self, at: dt.datetime) -> int | None:
        """The last follower count taken at or before ``at``."""
        row = self._one(
            "SELECT total FROM zalo_followers WHERE counted_at <= %s "
            "ORDER BY counted_at DESC LIMIT 1",
            (_text(at),),
        )
        return None if row is None else int(row[0])

    def posts(self, start: dt.datetime, end: dt.datetime) -> int | None:
        """Articles broadcast in ``[start, end)``; ``None`` if the ledger holds no figures."""
        if not self._recorded():
            return None
        (count,) = self._one(f"SELECT COUNT(*) {_PUBLISHED}", (_text(start), _text(end)))
        return int(count)

    def article_views(self, start: dt.datetime, end: dt.datetime) -> int | None:
        """Views of the articles broadcast in ``[start, end)``, as last counted."""
        if not self._recorded():
            return None
        (views,) = self._one(
            f"SELECT COALESCE(SUM(views), 0) {_PUBLISHED}",
            (_text(start), _text(end)),
        )
        return int(views)

    def star_ratings(self, start: dt.datetime, end: dt.datetime) -> StarRatings:
        """The ``user_feedback`` ratings given in ``[start, end)`` (table ``zalo_feedback``)."""
        (count, stars) = self._one(
            "SELECT COUNT(*), COALESCE(SUM(rating), 0) FROM zalo_feedback "
            "WHERE at >= %s AND at < %s",
            (_text(start), _text(end)),
        )
        return StarRatings(int(count), int(stars))


def channel_figures_for(store: object) -> LedgerChannelFigures | None:
    """The ledger's figures on ``store``'s database; ``None`` for a memory store."""
    side = sql_side_for(store)
    return None if side is None else LedgerChannelFigures(side)
