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

import attrs

from tthc_core.calendar import to_local
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
    "DossierReport",
    "Kpi766",
    "PaknOutcome",
    "agency_band",
    "art13_scores",
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
