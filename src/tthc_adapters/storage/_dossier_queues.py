"""A province's work queues as indexed, paged queries (migration 0011).

The staff queues (held by my unit, due today, late, awaiting a supplement,
awaiting a leader, online submissions to check) are the definitions of
:func:`tthc_adapters.staff._queues.build_queues`, asked of the store page by
page instead of sorted from every dossier in one pass:

* by due time — ``(kind, due_at)`` (migration 0001) and, per holding unit,
  ``(kind, holder_unit, due_at, key)`` on the body's ``holder_unit``
  (migration 0011), soonest due first, ties by code;
* by state — ``(kind, state, key)`` (migration 0011), in code order.

A page continues after a dossier code (keyset paging: ``(due_at, key) >``
that dossier's), so page *n* costs what page 1 costs. The memory store
answers the same queries by filtering its dossiers in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from tthc_adapters.storage._dialect import Dialect
from tthc_adapters.storage._memory import MemoryStore
from tthc_adapters.storage._sql import SqlUnitOfWork
from tthc_core.calendar import VN_TZ, to_local
from tthc_core.dossier import Dossier, DossierState
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store
from tthc_core.storage.kinds import DOSSIERS

__all__ = ["QUEUES", "dossier_queue", "queue_sql"]

#: The queues, in the order the page shows them.
QUEUES = ("mine", "due_today", "late", "awaiting_supplement", "awaiting_leader", "submitted")
_BY_STATE = {
    "awaiting_supplement": DossierState.AWAITING_SUPPLEMENT,
    "submitted": DossierState.SUBMITTED,
}
_PAUSED = DossierState.AWAITING_SUPPLEMENT.value
_MAX_PAGE = 500


def _where(
    name: str, holder: str, *, unit: str, leaders: Sequence[str], now: dt.datetime
) -> tuple[str, list[Any]]:
    """The queue's condition over the indexed columns (``due_at`` is the first late instant)."""
    midnight = dt.datetime.combine(to_local(now).date() + dt.timedelta(days=1), dt.time(), VN_TZ)
    match name:
        case "mine":
            return f"{holder} = %s AND due_at IS NOT NULL", [unit]
        case "awaiting_leader":
            marks = ", ".join("%s" for _ in leaders) or "NULL"
            return f"{holder} IN ({marks}) AND due_at IS NOT NULL", list(leaders)
        case "late":
            return "due_at <= %s AND state <> %s", [now, _PAUSED]
        case "due_today":
            return "due_at > %s AND due_at <= %s AND state <> %s", [now, midnight, _PAUSED]
        case _:
            return "state = %s", [_BY_STATE[name].value]


def dossier_queue(
    store: Store,
    name: str,
    *,
    unit: str,
    leader_units: frozenset[str],
    now: dt.datetime,
    after: str | None = None,
    limit: int = 50,
) -> list[Dossier]:
    """One page of one queue.

    Args:
        store: The store.
        name: One of :data:`QUEUES`.
        unit: The officer's unit (``mine``).
        leader_units: The leaders' units (``awaiting_leader``).
        now: The instant (late: due before it; today: Vietnam's day).
        after: Continue after this dossier's key (the last of the previous page; its
            submission code if it was renumbered at receipt, ``DOSSIERS.key``).
        limit: At most this many (1-500).

    Raises:
        InvalidInput: An unknown queue or a limit out of range.
    """
    if name not in QUEUES:
        raise InvalidInput(f"no queue {name!r}; the queues are {', '.join(QUEUES)}")
    if not 1 <= limit <= _MAX_PAGE:
        raise InvalidInput(f"a page holds 1 to {_MAX_PAGE} dossiers, not {limit}")
    leaders = sorted(leader_units)
    if isinstance(store, MemoryStore):
        return _in_memory(store, name, unit=unit, leaders=leaders, now=now, after=after)[:limit]
    with store.read_only() as uow:
        if not isinstance(uow, SqlUnitOfWork):
            raise InvalidInput(f"{type(store).__name__} has no queue queries")
        sql, params = queue_sql(
            uow.dialect, name, unit=unit, leaders=leaders, now=now, after=after, limit=limit
        )
        rows = uow.x(sql, params).fetchall()
        repository = uow.repository(DOSSIERS)
        return [repository._decode(row[0]) for row in rows]


def queue_sql(
    dialect: Dialect,
    name: str,
    *,
    unit: str,
    leaders: Sequence[str],
    now: dt.datetime,
    after: str | None,
    limit: int,
) -> tuple[str, list[Any]]:
    """The statement and parameters of one queue page (also what EXPLAIN is asked about)."""
    holder = (
        "(body ->> 'holder_unit')"
        if dialect.name == "postgres"
        else "json_extract(body, '$.holder_unit')"
    )
    where, params = _where(name, holder, unit=unit, leaders=leaders, now=now)
    params = [dialect.ts(p) if isinstance(p, dt.datetime) else p for p in params]
    order = "key" if name in _BY_STATE else "due_at, key"
    if after is not None:
        cursor = f"SELECT {order} FROM aggregates WHERE kind = %s AND key = %s"  # noqa: S608
        where += f" AND ({order}) > ({cursor})"
        params += [DOSSIERS.name, after]
    sql = (
        f"SELECT body FROM aggregates WHERE kind = %s AND {where}"  # noqa: S608 - fixed text
        f" ORDER BY {order} LIMIT %s"
    )
    return sql, [DOSSIERS.name, *params, limit]


def _in_memory(
    store: MemoryStore,
    name: str,
    *,
    unit: str,
    leaders: Sequence[str],
    now: dt.datetime,
    after: str | None,
) -> list[Dossier]:
    """The same queue over the memory store's rows, in the same order."""
    midnight = dt.datetime.combine(to_local(now).date() + dt.timedelta(days=1), dt.time(), VN_TZ)
    found: list[tuple[Any, str, Dossier]] = []
    with store.read_only() as uow:
        every = _all(uow)
    for dossier in every:
        due = DOSSIERS.index(dossier).due_at
        state = dossier.state.value
        match name:
            case "mine":
                keep = due is not None and dossier.holder_unit == unit
            case "awaiting_leader":
                keep = due is not None and dossier.holder_unit in leaders
            case "late":
                keep = due is not None and due <= now and state != _PAUSED
            case "due_today":
                keep = due is not None and now < due <= midnight and state != _PAUSED
            case _:
                keep = state == _BY_STATE[name].value
        if keep:
            order = "" if name in _BY_STATE else due
            found.append((order, DOSSIERS.key(dossier), dossier))
    found.sort(key=lambda r: (r[0], r[1]))
    if after is not None:  # like SQL: after the cursor dossier's position, none if it has none
        anchor = next((d for d in every if DOSSIERS.key(d) == after), None)
        due = None if anchor is None else DOSSIERS.index(anchor).due_at
        if anchor is None or (due is None and name not in _BY_STATE):
            return []
        position = ("" if name in _BY_STATE else due, after)
        found = [r for r in found if (r[0], r[1]) > position]
    return [d for _, _, d in found]


def _all(uow: Any) -> list[Dossier]:
    out: list[Dossier] = []
    after: str | None = None
    while page := uow.repository(DOSSIERS).page(after=after, limit=_MAX_PAGE):
        out += page
        after = DOSSIERS.key(page[-1])
    return out
