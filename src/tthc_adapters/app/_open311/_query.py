"""``GET requests``: the query parameters exactly as GeoReport v2 reads them, and the listing.

open311.org GeoReport v2, "GET Service Requests":

* ``service_request_id`` — a comma-separated list; it overrides every other
  parameter (at most :data:`MAX_IDS` ids);
* ``service_code`` — comma-separated; ``status`` — ``open``, ``closed`` or both,
  comma-separated;
* ``start_date`` / ``end_date`` — W3C ISO 8601 with a ``Z`` or ``±HH:MM`` offset
  (a time without one is read as Vietnam time; a ``+`` sent unescaped arrives
  as a space and is read as ``+``), on ``requested_datetime``, both inclusive,
  at most 90 days apart; by default the 90 days up to now, and a start alone
  (or an end alone) covers 90 days from (or up to) it;
* at most 1,000 requests per answer, newest first.

Any offset is accepted, also at the ends of the calendar: an instant that
falls outside years 1-9999 once in UTC, or a window whose 90 days would
leave them, is a 400 that says so (never an ``OverflowError``).

"Optional arguments": an empty parameter acts as a missing one. A parameter
given twice (``?status=open&status=closed``) is refused with a 400 naming
it: the specification lists several values with commas. ``jurisdiction_id``
is accepted and ignored (one jurisdiction per endpoint).

Extension (open311.org GeoReport v2 "Extensions", not yet standard):
``page`` (from 1) and ``page_size`` (1-1,000, default 1,000) page through the
newest-first list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence

import attrs

from tthc_core.calendar import VN_TZ
from tthc_core.complaint import SERVICES, Area, Case, georeport_request
from tthc_core.errors import InvalidInput
from tthc_core.storage import ReadUnitOfWork, Store
from tthc_core.storage.kinds import COMPLAINTS

__all__ = [
    "MAX_IDS",
    "MAX_PAGE",
    "MAX_REQUESTS",
    "MAX_WINDOW",
    "RequestQuery",
    "list_requests",
    "read_query",
    "single_values",
]

#: GeoReport v2: at most 1,000 requests per answer (and the largest ``page_size``).
MAX_REQUESTS = 1000
#: GeoReport v2: the default and the widest date range.
MAX_WINDOW = dt.timedelta(days=90)
#: The most ids one ``service_request_id`` list may name.
MAX_IDS = 100
#: The highest ``page`` (a page past the data is empty, not an error).
MAX_PAGE = 100_000
_STORAGE_PAGE = 500
_PLUS_AS_SPACE = re.compile(r"(?<=[0-9]) ([0-9]{2}(?::?[0-9]{2})?)$")
_STATUSES = ("open", "closed")
_DIGITS = re.compile(r"[0-9]{1,9}")
_UTC_MIN = dt.datetime.min.replace(tzinfo=dt.UTC)
_UTC_MAX = dt.datetime.max.replace(tzinfo=dt.UTC)


@attrs.frozen
class RequestQuery:
    """A ``GET requests`` query, read.

    Args:
        ids: ``service_request_id`` values, in order, without repeats (empty: none).
        codes: ``service_code`` values (``None``: every service).
        statuses: ``status`` values (``None``: both).
        start: The window's start (UTC).
        end: The window's end (UTC).
        page: The page, from 1.
        page_size: Requests per page.
    """

    ids: tuple[str, ...]
    codes: frozenset[str] | None
    statuses: frozenset[str] | None
    start: dt.datetime
    end: dt.datetime
    page: int = 1
    page_size: int = MAX_REQUESTS


def single_values(items: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Query parameters by name, empty ones dropped.

    Raises:
        InvalidInput: If a parameter is given more than once (the reason names it).
    """
    values: dict[str, str] = {}
    for name, value in items:
        if name in values:
            raise InvalidInput(
                f"{name} is given more than once; list several values in one {name}, "
                "separated by commas"
            )
        values[name] = value
    return {name: value for name, value in values.items() if value.strip()}


def _list(text: str | None) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in (text or "").split(",") if v.strip()))


def _instant(text: str, name: str) -> dt.datetime:
    """``text`` as an instant in UTC."""
    cleaned = _PLUS_AS_SPACE.sub(r"+\1", text.strip())
    try:
        value = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(
            f"{name} must be an ISO 8601 date or datetime such as 2026-11-01T00:00:00+07:00, "
            f"got {text!r}"
        ) from None
    if value.utcoffset() is None:
        value = value.replace(tzinfo=VN_TZ)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise InvalidInput(
            f"{name} {text!r} is outside years 1-9999 once its offset is applied"
        ) from None


def _shift(instant: dt.datetime, by: dt.timedelta, name: str) -> dt.datetime:
    try:
        return instant + by
    except OverflowError:
        raise InvalidInput(
            f"{name} is too close to the end of the calendar for a 90-day window; "
            "give both start_date and end_date"
        ) from None


def _window(values: dict[str, str], now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = _instant(values["start_date"], "start_date") if "start_date" in values else None
    end = _instant(values["end_date"], "end_date") if "end_date" in values else None
    if end is None:
        end = now.astimezone(dt.UTC) if start is None else _shift(start, MAX_WINDOW, "start_date")
    if start is None:
        start = _shift(end, -MAX_WINDOW, "end_date")
    if end < start:
        raise InvalidInput("end_date is before start_date")
    if end - start > MAX_WINDOW:
        raise InvalidInput("start_date and end_date may be at most 90 days apart")
    return start, end


def _positive(values: dict[str, str], name: str, default: int, highest: int) -> int:
    text = values.get(name)
    if text is None:
        return default
    number = int(text.strip()) if _DIGITS.fullmatch(text.strip()) else 0
    if not 1 <= number <= highest:
        raise InvalidInput(f"{name} must be a whole number from 1 to {highest}, got {text!r}")
    return number


def read_query(items: Sequence[tuple[str, str]], now: dt.datetime) -> RequestQuery:
    """Read ``GET requests`` parameters.

    Args:
        items: The query parameters, in order, repeats included.
        now: The current instant (the default window ends here).

    Raises:
        InvalidInput: If a parameter is malformed or repeated (the reason names it).
    """
    values = single_values(items)
    ids = _list(values.get("service_request_id"))
    if len(ids) > MAX_IDS:
        raise InvalidInput(f"at most {MAX_IDS} service_request_id values per call")
    statuses = _list(values.get("status"))
    if bad := [s for s in statuses if s not in _STATUSES]:
        raise InvalidInput(f"status must be 'open', 'closed' or both (comma-separated), got {bad}")
    codes = _list(values.get("service_code"))
    known = {code for code, _ in SERVICES.values()}
    if unknown := sorted(set(codes) - known):
        raise InvalidInput(
            f"unknown service_code {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    start, end = _window(values, now)
    return RequestQuery(
        ids=tuple(ids),
        codes=frozenset(codes) or None,
        statuses=frozenset(statuses) or None,
        start=start,
        end=end,
        page=_positive(values, "page", 1, MAX_PAGE),
        page_size=_positive(values, "page_size", MAX_REQUESTS, MAX_REQUESTS),
    )


def _all_cases(uow: ReadUnitOfWork) -> Iterator[Case]:
    repo, after = uow.repository(COMPLAINTS), None
    while page := repo.page(after=after, limit=_STORAGE_PAGE):
        yield from page
        after = page[-1].case_id


def list_requests(
    store: Store, query: RequestQuery, *, area: Area | None
) -> list[dict[str, object]]:
    """The requests a query selects: newest first, one page of at most ``page_size``.

    Args:
        store: The store.
        query: The query, read by :func:`read_query`.
        area: The commune every request is placed in.
    """
    with store.read_only() as uow:
        if query.ids:
            repo = uow.repository(COMPLAINTS)
            found = [c for i in query.ids if (c := repo.get(i)) is not None]
            return [georeport_request(c, area=area) for c in found]
        cases = [c for c in _all_cases(uow) if query.start <= c.received_at <= query.end]
    requests = [georeport_request(c, area=area) for c in cases]
    matching = [
        r
        for r in requests
        if (query.statuses is None or r["status"] in query.statuses)
        and (query.codes is None or r["service_code"] in query.codes)
    ]
    matching.sort(key=lambda r: (r["requested_datetime"], r["service_request_id"]), reverse=True)
    first = (query.page - 1) * query.page_size
    return matching[first : first + min(query.page_size, MAX_REQUESTS)]
