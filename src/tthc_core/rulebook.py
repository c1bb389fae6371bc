"""The statutory rules tthc applies, as rows an official can check against the law.

Every rule table that exists as data is projected to :class:`RuleRow` (kind x
step x regime -> limit, unit, counting, citation) by a *source*: a function
returning rows. :func:`rules_markdown` renders any list of sources as the page
``docs/rules.md`` ("Rules and their sources"); ``tthc docs-rules`` writes it and
a test fails when the checked-in page is out of sync. A new rule table is
added by appending its source to :data:`SOURCES`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

import attrs

from tthc_core.calendar import TimeUnit
from tthc_core.complaint import LAW_TABLE, LawRule, Step, Variant
from tthc_core.delivery import ATTEMPT_GAP_WORKING_DAYS, MAX_ATTEMPTS, SERVICE_STANDARD
from tthc_core.dossier import DOSSIER_RULES, DossierRule

__all__ = [
    "SOURCES",
    "RuleRow",
    "RuleSource",
    "complaint_rules",
    "delivery_rules",
    "dossier_rules",
    "rules_markdown",
]


@attrs.frozen
class RuleRow:
    """One rule as the page shows it.

    Args:
        kind: What it governs (a case kind, a shipment, a dossier).
        step: The step (with level and variant where they matter).
        regime: The period of validity (by the day of the triggering event).
        limit: The limit in the text's own unit (with the remote-area limit).
        unit: Calendar days, working days...
        counting: How the period is counted.
        citation: The article that sets it.
    """

    kind: str
    step: str
    regime: str
    limit: str
    unit: str
    counting: str
    citation: str


#: A named source of rows.
RuleSource = tuple[str, Callable[[], Iterable[RuleRow]]]

_UNITS = {
    TimeUnit.CALENDAR_DAYS: "ngày (calendar days)",
    TimeUnit.WORKING_DAYS: "ngày làm việc (working days)",
    TimeUnit.WORKING_HOURS: "giờ làm việc (working hours)",
    TimeUnit.SAME_DAY: "trong ngày (same day)",
}
_COUNTING = {
    TimeUnit.CALENDAR_DAYS: "to 24:00 of the last day; a last day off moves to the next "
    "working day",
    TimeUnit.WORKING_DAYS: "to 24:00 of the last working day",
    TimeUnit.WORKING_HOURS: "working minutes within office hours",
}
#: The event each step's period counts from (Civil Code 2015 Art. 147: from the next day).
_TRIGGER = {
    Step.ACCEPT: "receipt of the case",
    Step.FORWARD: "receipt of the case",
    Step.RESOLVE: "acceptance (thụ lý), also when extended",
    Step.PUBLISH: "the decision or answer",
    Step.ESCALATE: "the complainant's receipt of the first-level decision, or the last day "
    "of the first-level period when none was issued",
}


def _regime(start: dt.date, end: dt.date | None) -> str:
    if end is None:
        return f"from {start.isoformat()}"
    return f"{start.isoformat()} to {(end - dt.timedelta(days=1)).isoformat()}"


def _complaint_row(rule: LawRule) -> RuleRow:
    step = rule.step.value
    if rule.level is not None:
        step = f"{rule.level.value}-level {step}"
    if rule.variant is not Variant.ORDINARY:
        step = f"{step} ({rule.variant.value.replace('_', ' ')})"
    limit = str(rule.limit.amount)
    if rule.remote_limit is not None:
        limit += f" (remote area: {rule.remote_limit.amount})"
    return RuleRow(
        kind=rule.kind.value.replace("_", " "),
        step=step,
        regime=_regime(rule.effective_from, rule.effective_until),
        limit=limit,
        unit=_UNITS[rule.limit.unit],
        counting=f"Civil Code 2015 Art. 147-148: from the day after {_TRIGGER[rule.step]}, "
        + _COUNTING[rule.limit.unit],
        citation=rule.citation,
    )


def complaint_rules() -> list[RuleRow]:
    """The law table of feedback, petitions, complaints and denunciations."""
    return [_complaint_row(rule) for rule in LAW_TABLE]


_POSTAL = "Decision 45/2016/QĐ-TTg; Circular 17/2017/TT-BTTTT"
_POSTAL_REGIME = _regime(dt.date(2017, 8, 15), None)


def delivery_rules() -> list[RuleRow]:
    """The postal return rules: the J+n standard and the delivery attempts."""
    rows = [
        RuleRow(
            kind="postal shipment",
            step=f"transit, {route.value.replace('_', ' ')}",
            regime=_POSTAL_REGIME,
            limit=f"J+{plain} (with appointment slip: J+{slip})",
            unit=_UNITS[TimeUnit.WORKING_DAYS],
            counting="J = the day of the Phiếu gửi; due at 24:00 of day J+n",
            citation="Circular 17/2017/TT-BTTTT Art. 6-8",
        )
        for route, (plain, slip) in SERVICE_STANDARD.items()
    ]
    rows.append(
        RuleRow(
            kind="postal shipment",
            step="delivery attempts, then back to the agency",
            regime=_POSTAL_REGIME,
            limit=f"{MAX_ATTEMPTS} attempts, at least {ATTEMPT_GAP_WORKING_DAYS} apart",
            unit=_UNITS[TimeUnit.WORKING_DAYS],
            counting="from the second failed attempt the result goes back; a later "
            "delivery is a conflict for an officer",
            citation="Circular 17/2017/TT-BTTTT Art. 5(2)(h); Decision 45/2016/QĐ-TTg Art. 10",
        )
    )
    return rows


def _dossier_row(rule: DossierRule) -> RuleRow:
    if rule.times is not None:
        limit = f"at most {rule.times} time(s)"
    elif rule.limit is not None:
        limit = rule.limit.label_vi
    elif rule.unit is not None:
        limit = "per procedure (catalogue)"
    else:
        limit = "-"
    if rule.unit is not None:
        unit = _UNITS.get(rule.unit, rule.unit.label_vi)
    else:
        unit = "count" if rule.times is not None else "-"
    counting = rule.counting.summary if rule.counting is not None else "-"
    if rule.policy:
        counting = f"{counting}; policy: {rule.policy}" if counting != "-" else rule.policy
    return RuleRow(
        kind=rule.kind,
        step=rule.step,
        regime=_DOSSIER_REGIMES.get(rule.regime, rule.regime),
        limit=limit,
        unit=unit,
        counting=counting,
        citation=rule.citation,
    )


_DOSSIER_REGIMES = {
    "2018": "2018 regime (Decree 61/2018/NĐ-CP)",
    "2025": "2025 regime (Decree 118/2025/NĐ-CP)",
    "both": "both regimes",
}


def dossier_rules() -> list[RuleRow]:
    """Dossier rules held as data (:data:`~tthc_core.dossier.DOSSIER_RULES`)."""
    return [_dossier_row(rule) for rule in DOSSIER_RULES]


#: The rule tables the page shows, in order. Append a source to add a table.
SOURCES: tuple[RuleSource, ...] = (
    ("Complaints, denunciations, petitions and feedback", complaint_rules),
    ("Postal return of results", delivery_rules),
    ("Dossiers", dossier_rules),
)

_HEADER = "| Kind | Step | Regime | Limit | Unit | Counting | Citation |"
_RULE = "|---|---|---|---|---|---|---|"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_markdown(sources: Sequence[RuleSource] = SOURCES) -> str:
    """The page "Rules and their sources", one table per source.

    Args:
        sources: Named row sources (default: :data:`SOURCES`).
    """
    lines = [
        "# Rules and their sources",
        "",
        "<!-- Generated by `tthc docs-rules` from the rule tables; do not edit by hand. -->",
        "",
        "Every statutory time limit tthc applies, with the text that sets it, so an official",
        "can check the library against the law without reading code. The regime is the",
        "period of validity, by the day of the event that starts the period.",
    ]
    for title, source in sources:
        lines += ["", f"## {title}", "", _HEADER, _RULE]
        for row in source():
            cells = (
                row.kind,
                row.step,
                row.regime,
                row.limit,
                row.unit,
                row.counting,
                row.citation,
            )
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
