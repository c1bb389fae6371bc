"""Equivalent mutants of the core's rule modules, each with the reason it cannot be killed.

Used by :mod:`bench.mutation` to leave them out of a module's score.
"""

from __future__ import annotations

_IMPORT_TIME = (
    "in the import-time table builder (now `# pragma: no mutate block`): mutmut switches "
    "mutants per call, so it never runs one here; applied by hand, each breaks the import "
    "(check_table refuses the table)"
)
_FORWARD_LEVEL = (
    "rule_for(..., level=None) in forward: LAW_TABLE's forwarding periods (petitions, "
    "denunciations) have no level, and complaints, the only kind with a level, have no "
    "forwarding period at any level; the rule found is the same"
)
_RESOLVE_STEP = (
    "on_time(..., step=None) in resolve: every state resolve starts from (assigned, "
    "verifying, dialogue) runs the resolution period (accept and reopen start it; "
    "suspension, resumption and extensions keep its step), so the step check never differs"
)
_IN_SPAN = (
    "a strict bound in _covering's fast path: a day on the span's first or last day then goes "
    "to _grow, which finds its year inside the span and returns the same span"
)
_OUTSIDE = (
    "`>=`/`<=` for `>`/`<` in _grow: _grow is only called for a year outside the span "
    "(_covering: a day outside it; _beyond: the year after or before it), never its first "
    "or last year"
)
_RANK_GUARD = (
    "rank's guard moved by one day at an end it already covers (`first < o`, `o < last + 1`, "
    "`o <= last - 1`, `o <= first`): the days it then sends to _covering lie inside the span, "
    "which returns it unchanged, so the count is the same"
)
_IMPORT_TIME_DOSSIER = (
    "in _reschedule, called only while TABLE is built at import: mutmut switches mutants per "
    "call, so none is ever active and none can be killed by a test run (not checked by hand "
    "yet; the complaint table's factories carry `# pragma: no mutate block` for this)"
)
#: Module -> {mutant name: why it cannot be killed}. An equivalent mutant behaves exactly like
#: the original on every input; it is left out of the score with its reason recorded.
_UNSTRUCTURE_AS = (
    "unstructure_as=None (or left out) in encode_event: cattrs then dispatches on the "
    "object's own class, which is type(event); the body is the same"
)

EQUIVALENT: dict[str, dict[str, str]] = {
    "src/tthc_core/dossier/_decide.py": {
        "tthc_core.dossier._decide.x__holder__mutmut_2": (
            "the message of a defensive raise no input reaches (pragma: no cover): every state "
            "that accepts a handover has a holding unit, set at receipt"
        ),
        "tthc_core.dossier._decide.x_due_of__mutmut_2": (
            "the message of a defensive raise no input reaches (pragma: no cover): a received "
            "dossier always has a due time"
        ),
    },
    "src/tthc_core/complaint/_commands.py": {
        "tthc_core.complaint._commands.x_forward__mutmut_14": _FORWARD_LEVEL,
        "tthc_core.complaint._commands.x_forward__mutmut_18": _FORWARD_LEVEL,
        "tthc_core.complaint._commands.x_forward__mutmut_30": (
            "limit_for(None) in forward: no forwarding period of LAW_TABLE has a remote-area "
            "limit (Law on Denunciations Art. 24(2), Decree 20/2008 Art. 9: 5 working days "
            "everywhere), so the remote flag never changes the due instant"
        ),
        "tthc_core.complaint._commands.x_extend__mutmut_38": (
            "limit_for(None) when computing `added`: `added` is read only for a denunciation, "
            "and no denunciation period of LAW_TABLE has a remote-area limit"
        ),
        "tthc_core.complaint._commands.x_extend__mutmut_44": (
            "`added > 31` for `added > 30`: the denunciation extensions of LAW_TABLE add 30 "
            "(complex) or 60 (especially complex from ordinary) days, never 31"
        ),
        "tthc_core.complaint._commands.x_resolve__mutmut_42": _RESOLVE_STEP,
        "tthc_core.complaint._commands.x_resolve__mutmut_45": _RESOLVE_STEP,
        "tthc_core.complaint._commands.x_resume__mutmut_5": (
            "`and` for `or` in resume's guard: suspended_from is set by CaseSuspended and "
            "cleared by every event that leaves SUSPENDED (resumed, withdrawn, terminated), "
            "so a case is SUSPENDED exactly when suspended_from is set and both guards agree"
        ),
        "tthc_core.complaint._commands.x_suspend__mutmut_14": (
            "pause(day, None): Clock.pause reads deadlines only for a working-day limit, and "
            "every period running in a suspendable state (accepted to dialogue) is a "
            "resolution period in calendar days (LAW_TABLE: complaints 30/45, denunciations "
            "30/60/90)"
        ),
        "tthc_core.complaint._commands.x_reopen__mutmut_34": (
            "level=None in reopen's new period: only complaints have a level, and a complaint "
            "is never reopened (no edge from an answered state back in its table; it is "
            "escalated instead), so every reopened case has level None already"
        ),
    },
    "src/tthc_core/calendar/_index.py": {
        "tthc_core.calendar._index.xǁWorkingDayIndexǁ_covering__mutmut_2": _IN_SPAN,
        "tthc_core.calendar._index.xǁWorkingDayIndexǁ_covering__mutmut_3": _IN_SPAN,
        "tthc_core.calendar._index.xǁWorkingDayIndexǁ_grow__mutmut_12": _OUTSIDE,
        "tthc_core.calendar._index.xǁWorkingDayIndexǁ_grow__mutmut_34": _OUTSIDE,
        "tthc_core.calendar._index.xǁWorkingDayIndexǁrank__mutmut_4": _RANK_GUARD,
        "tthc_core.calendar._index.xǁWorkingDayIndexǁrank__mutmut_5": _RANK_GUARD,
        "tthc_core.calendar._index.xǁWorkingDayIndexǁrank__mutmut_6": _RANK_GUARD,
        "tthc_core.calendar._index.xǁWorkingDayIndexǁrank__mutmut_12": _RANK_GUARD,
        "tthc_core.calendar._index.xǁWorkingDayIndexǁworking_days_count__mutmut_1": (
            "`end <= start` for `end < start`: swapping two equal dates changes nothing"
        ),
    },
    "src/tthc_core/dossier/_table.py": {
        "tthc_core.dossier._table.x__reschedule__mutmut_1": _IMPORT_TIME_DOSSIER,
        "tthc_core.dossier._table.x__reschedule__mutmut_2": _IMPORT_TIME_DOSSIER,
        "tthc_core.dossier._table.x__reschedule__mutmut_3": _IMPORT_TIME_DOSSIER,
        "tthc_core.dossier._table.x__reschedule__mutmut_4": _IMPORT_TIME_DOSSIER,
        "tthc_core.dossier._table.x__reschedule__mutmut_5": _IMPORT_TIME_DOSSIER,
        "tthc_core.dossier._table.x__reschedule__mutmut_6": _IMPORT_TIME_DOSSIER,
        "tthc_core.dossier._table.x__reschedule__mutmut_7": _IMPORT_TIME_DOSSIER,
        "tthc_core.dossier._table.x__reschedule__mutmut_8": _IMPORT_TIME_DOSSIER,
    },
    "src/tthc_core/complaint/_queue.py": {
        "tthc_core.complaint._queue.x_overdue__mutmut_7": (
            "sorted(key=None) sorts the (due, case id, case) rows by due then case id, as the "
            "key does; case ids are unique, so the cases themselves are never compared"
        ),
        "tthc_core.complaint._queue.x_overdue__mutmut_9": (
            "sorted() without a key: the same order as key=None (see mutmut_7)"
        ),
    },
    "src/tthc_core/complaint/_table.py": {
        "tthc_core.complaint._table.x__table__mutmut_1": _IMPORT_TIME,
        "tthc_core.complaint._table.x__table__mutmut_2": _IMPORT_TIME,
        "tthc_core.complaint._table.x__table__mutmut_3": _IMPORT_TIME,
        "tthc_core.complaint._table.x__table__mutmut_4": _IMPORT_TIME,
        "tthc_core.complaint._table.x__table__mutmut_5": _IMPORT_TIME,
        "tthc_core.complaint._table.x__table__mutmut_6": _IMPORT_TIME,
    },
    "src/tthc_core/receipt/_payload.py": {
        "tthc_core.receipt._payload.x_compute_tag__mutmut_4": (
            'encode("ASCII") is encode("ascii"): Python codec names ignore case'
        ),
        "tthc_core.receipt._payload.xǁReceiptCodecǁdecode__mutmut_11": (
            "matching the suffix even without a '/': partition then leaves it empty, which the "
            "suffix pattern never matches, so the result is None either way"
        ),
    },
    "src/tthc_core/delivery/_tracking.py": {
        "tthc_core.delivery._tracking.x__advance__mutmut_15": (
            "`events = new` for the first `events += new` in _advance: events is still the empty "
            "list there, so it becomes the handover's event list, and the second `+=` extends "
            "that same list; the events returned are the same"
        ),
        "tthc_core.delivery._tracking.x__command__mutmut_6": (
            "the ACCEPTED case of _command removed (it then returns None): _advance never calls "
            "_command for ACCEPTED (an accepted report is only the handover), so it is unreachable"
        ),
    },
    "src/tthc_core/complaint/_scrub.py": {
        "tthc_core.complaint._scrub.x__haystack__mutmut_7": (
            "an ASCII character folded with _folded instead of casefold: NFKC and NFD leave ASCII "
            "unchanged and fold strips no marks from it, so both give its casefold"
        ),
        "tthc_core.complaint._scrub.x_scrub__mutmut_16": (
            "`m.end() >= m.start()`: no pattern matches the empty string (each needs a word of a "
            "secret of two or more characters, a digit or an '@'), so every match is non-empty"
        ),
        "tthc_core.complaint._scrub.x_scrub__mutmut_36": (
            "`last = None`: result[None:start] is result[0:start]; slicing from None is from 0"
        ),
    },
    "src/tthc_core/complaint/_escalation.py": {
        "tthc_core.complaint._escalation.x__escalation_start__mutmut_1": (
            "`or` for `and` in `outcome is RESOLVED and outcome_at is not None`: the case's "
            "evolve sets outcome and outcome_at together (_ended) and clears them together "
            "(_OPEN, on reopening and escalation), and of the states a complaint escalates from "
            "(accepted, assigned, verifying, dialogue, resolved, published, closed) only the "
            "decided ones carry an outcome, always RESOLVED: the two tests never differ"
        ),
        "tthc_core.complaint._escalation.x__escalation_start__mutmut_33": (
            "`microseconds=2` for `1` in the last day of a missed period: a complaint period "
            "ends at a whole local day (24:00, Civil Code Art. 148), so 1 or 2 microseconds "
            "before it fall on the same day; they would differ only for an end at "
            "00:00:00.000001, which no calendar produces"
        ),
    },
    "src/tthc_core/storage/_codec.py": {
        "tthc_core.storage._codec.x_decode_event__mutmut_3": (
            "`_event_classes.get(None)`: the cache lookup always misses, so every read rebuilds "
            "the name table from DomainEvent's subclasses and finds the same class (slower, "
            "same result)"
        ),
        "tthc_core.storage._codec.x_encode_event__mutmut_3": _UNSTRUCTURE_AS,
        "tthc_core.storage._codec.x_encode_event__mutmut_5": _UNSTRUCTURE_AS,
    },
}
