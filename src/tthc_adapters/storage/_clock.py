"""The adapters' default clock."""

from __future__ import annotations

import datetime as dt

__all__ = ["utc_now"]


def utc_now() -> dt.datetime:
    """The current time, in UTC (aware)."""
    return dt.datetime.now(dt.UTC)
