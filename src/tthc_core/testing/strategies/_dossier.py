"""Strategies for the dossier workflow: commands, events, sheets and reachable dossiers.

Dossiers are never drawn field by field: :func:`dossier_histories` receives a
dossier and walks the transition table with valid commands, so every drawn
dossier (and event) is one the workflow can actually produce.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from functools import cache
from typing import Any

import attrs
from hypothesis import strategies as st

from tthc_core.calendar import Deadlines, Duration, TimeUnit, to_local
from tthc_core.catalogue import OnlineLevel, Procedure, StepTemplate
from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.dossier import _commands as cmd
from tthc_core.dossier import _events as ev
from tthc_core.dossier._model import (
    Dossier,
    PaymentRecord,
    RescheduleRecord,
    StatusView,
    SupplementRecord,
)
from tthc_core.dossier._sheet import ControlSheet, ControlSheetEntry, HandoverKind
from tthc_core.dossier._states import Channel, DossierState
from tthc_core.dossier._table import TABLE, Transition, accepted_commands
from tthc_core.dossier._timeliness import Timeliness
from tthc_core.dossier._workflow import handle, receive, submit
from tthc_core.events import DomainEvent
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.regime import REGIMES, Regime, SupplementClock
from tthc_core.testing.strategies._catalogue import procedures, step_templates
from tthc_core.testing.strategies._codes import dossier_codes, procedure_codes
from tthc_core.testing.strategies._party import applicants, postal_addresses
from tthc_core.testing.strategies._receipt import vietnamese_text
from tthc_core.testing.strategies._time import aware_datetimes, office_hours, working_day_indexes
from tthc_core.testing.strategies._walks import distances_to, walk

__all__ = [
    "DossierHistory",
    "commands_for",
    "dossier_commands",
    "dossier_events",
    "dossier_histories",
    "dossiers",
    "sheet_entries",
    "status_views",
]

_UNITS = ("Phòng Tư pháp", "Công chức Địa chính", "Lãnh đạo UBND xã", "Bộ phận Một cửa")
_AGENCIES = ("Chi cục Thuế khu vực", "Văn phòng Đăng ký đất đai", "Công an xã")


def _texts() -> st.SearchStrategy[str]:
    return vietnamese_text(1, 6)


def _allowances() -> st.SearchStrategy[Duration]:
    return st.builds(
        Duration,
        st.integers(0, 5),
        st.sampled_from((TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS)),
    )


def _items() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(_texts(), min_size=1, max_size=3).map(tuple)


def _officers() -> st.SearchStrategy[str | None]:
    return st.none() | _texts()


@cache
def _special() -> dict[Any, st.SearchStrategy[Any]]:
    return {
        dt.datetime: aware_datetimes(),
        str: _texts(),
        int: st.integers(0, 10_000),
        bool: st.booleans(),
        Duration: _allowances(),
        DossierCode: dossier_codes(),
        ProcedureCode: procedure_codes(),
        StepTemplate: step_templates(),
        Applicant: applicants(),
        PostalAddress: postal_addresses(),
        Regime: st.sampled_from(REGIMES),
        tuple[str, ...]: _items(),
        ControlSheet: st.lists(sheet_entries(), max_size=3).map(lambda e: ControlSheet(tuple(e))),
    }


@cache
def _strategy_for(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for a field type of the dossier's attrs classes (built once per type)."""
    special = _special()
    if tp in special:
        return special[tp]
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        return st.one_of([_strategy_for(a) for a in typing.get_args(tp)])
    if tp is type(None):
        return st.none()
    if origin is tuple:
        return st.lists(_strategy_for(typing.get_args(tp)[0]), max_size=3).map(tuple)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(tp)
    return st.from_type(tp)


def _return_choices() -> st.SearchStrategy[cmd.ChooseReturnChannel]:
    # A postal return always names an address (the command's own rule).
    return st.one_of(
        st.builds(cmd.ChooseReturnChannel, st.just(ReturnChannel.POSTAL), postal_addresses()),
        st.builds(
            cmd.ChooseReturnChannel,
            st.sampled_from((ReturnChannel.DESK, ReturnChannel.ELECTRONIC)),
            st.none() | postal_addresses(),
        ),
    )


_BUILT: dict[type[Any], st.SearchStrategy[Any]] = {cmd.ChooseReturnChannel: _return_choices()}


def _builds(cls: type[Any]) -> st.SearchStrategy[Any]:
    """``cls`` with every field drawn by :func:`_strategy_for` (deferred, built once)."""
    if cls in _BUILT:
        return _BUILT[cls]

    def build() -> st.SearchStrategy[Any]:
        fields = attrs.fields(attrs.resolve_types(cls))
        return st.builds(cls, **{f.name: _strategy_for(f.type) for f in fields})

    _BUILT[cls] = st.deferred(build)
    return _BUILT[cls]


def sheet_entries() -> st.SearchStrategy[ControlSheetEntry]:
    """Control-sheet rows with arbitrary (not necessarily consistent) values."""
    return _builds(ControlSheetEntry)


def status_views() -> st.SearchStrategy[StatusView]:
    """Public status views of reachable dossiers."""
    return dossier_histories().map(lambda h: h.dossier.public_status(h.dossier.last_event_at))


def _handover(draw: st.DrawFn, d: Dossier, kind: type[cmd.HandOver]) -> cmd.HandOver:
    done = [e.step_index for e in d.sheet.entries if e.step_index is not None]
    following = (done[-1] + 1) if done else 0
    note = draw(st.sampled_from(("", "Hồ sơ đầy đủ")))
    if following < len(d.steps) and draw(st.booleans()):
        return kind(d.steps[following].unit, to_officer=draw(_officers()), note=note)
    units = _AGENCIES if kind is cmd.SendToAgency else _UNITS
    return kind(
        draw(st.sampled_from(units)),
        to_officer=draw(_officers()),
        allowance=draw(_allowances()),
        note=note,
    )


def _command(
    draw: st.DrawFn, d: Dossier, kind: type[cmd.Command], at: dt.datetime | None
) -> cmd.Command:
    """A well-formed command of class ``kind`` for ``d`` (to be applied at ``at``)."""
    if issubclass(kind, cmd.HandOver):
        return _handover(draw, d, kind)
    if kind is cmd.Reschedule:
        base = d.due_at or d.last_event_at
        return cmd.Reschedule(
            base + dt.timedelta(minutes=draw(st.integers(1, 20_000))), draw(_texts())
        )
    if kind is cmd.ReceiveDossier:
        # Received on a later day: numbered on that day (Circular 01/2018 Art. 19).
        day = None if at is None else to_local(at).date()
        code = None if day in (None, d.code.received_on) else attrs.evolve(d.code, received_on=day)
        return cmd.ReceiveDossier(
            draw(st.sampled_from(_UNITS)), officer=draw(_officers()), code=code
        )
    if kind is cmd.ReceiveSupplement:  # a postal handover between the request and now
        requested = d.supplements[-1].requested_at
        span = int((d.last_event_at - requested).total_seconds() // 60)
        minutes = draw(st.none() | st.integers(0, span))
        return cmd.ReceiveSupplement(
            None if minutes is None else requested + dt.timedelta(minutes=minutes)
        )
    if kind is cmd.DispatchByPost:
        return cmd.DispatchByPost(f"{d.code}-BC{draw(st.integers(1, 9))}")
    built: cmd.Command = draw(_builds(kind))
    return built


@st.composite
def commands_for(draw: st.DrawFn, d: Dossier, at: dt.datetime | None = None) -> cmd.Command:
    """A well-formed command that ``d``'s state accepts (its guard may still refuse it).

    Args:
        d: The dossier.
        at: When it will be applied, if known (a receipt on a later day then
            carries a code of that day).
    """
    accepted = accepted_commands(d.state)
    # Withdrawal is accepted almost everywhere; make it rare so walks go deep.
    progress = tuple(c for c in accepted if c is not cmd.RequestWithdrawal) or accepted
    kind = draw(st.sampled_from(accepted if draw(st.integers(0, 9)) == 0 else progress))
    return _command(draw, d, kind, at)


_COMMAND_CLASSES: tuple[type[cmd.Command], ...] = tuple(
    c
    for c in vars(cmd).values()
    if isinstance(c, type) and issubclass(c, cmd.Command) and c is not cmd.Command
)


@cache
def dossier_commands() -> st.SearchStrategy[cmd.Command]:
    """Any well-formed command, of any class."""
    return st.one_of([_builds(c) for c in _COMMAND_CLASSES])


@attrs.frozen
class DossierHistory:
    """A dossier reached by valid commands, with its events and the deadlines used.

    Args:
        dossier: The dossier.
        events: Every event, oldest first.
        deadlines: The agency's deadline arithmetic used.
    """

    dossier: Dossier
    events: tuple[DomainEvent, ...]
    deadlines: Deadlines


def _channels_for(procedure: Procedure) -> list[Channel]:
    channels = [Channel.IN_PERSON]
    if procedure.online_level is not OnlineLevel.NONE:
        channels.append(Channel.ONLINE)
    if procedure.postal_intake:
        channels.append(Channel.POSTAL)
    return channels


def _returns_for(procedure: Procedure) -> list[ReturnChannel]:
    returns = [ReturnChannel.DESK]
    if procedure.postal_return:
        returns.append(ReturnChannel.POSTAL)
    if procedure.online_level is not OnlineLevel.NONE:
        returns.append(ReturnChannel.ELECTRONIC)
    return returns


#: ``state -> states it may change to``, from the transition table.
_GRAPH: dict[DossierState, set[DossierState]] = {
    s: {TABLE[(s, c)].target for c in accepted_commands(s)} for s in DossierState
}


#: The commands that return a result, and the registered channel each follows.
_RETURNS: dict[type[cmd.Command], ReturnChannel] = {
    cmd.ReturnAtDesk: ReturnChannel.DESK,
    cmd.DispatchByPost: ReturnChannel.POSTAL,
    cmd.DeliverElectronically: ReturnChannel.ELECTRONIC,
}


def _moves(d: Dossier, dl: Deadlines) -> list[Any]:
    """Every command class ``d``'s state accepts, as a walk move (delay and arguments drawn)."""

    def move(kind: type[cmd.Command]) -> Any:
        def make(draw: st.DrawFn) -> tuple[Dossier, list[DomainEvent]]:
            at = d.last_event_at + dt.timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
            return handle(d, _command(draw, d, kind, at), at=at, deadlines=dl)

        return (TABLE[(d.state, kind)].target, make)

    # A result follows the channel on the receipt (Mẫu 01 item 6; Decision 45/2016/QĐ-TTg
    # Art. 5), or one the applicant chooses again first (a ChooseReturnChannel move): each
    # return channel is then as frequent as the channels are registered.
    return [
        move(kind)
        for kind in accepted_commands(d.state)
        if _RETURNS.get(kind, d.return_channel) is d.return_channel
    ]


@st.composite
def dossier_histories(
    draw: st.DrawFn,
    max_steps: int = 12,
    year: int | None = None,
    state: DossierState | None = None,
) -> DossierHistory:
    """A dossier submitted or received, then walked through the workflow to ``state``.

    The walk explores up to ``max_steps`` random legal commands (loops included:
    supplements, payments, agencies, reschedules, return-channel changes), then
    follows the table to the target state (see :mod:`._walks`). Without a
    ``state`` the target is drawn uniformly, so every state is frequent.

    Args:
        max_steps: The most exploring commands.
        year: The year of receipt (default: 2024, under the 2018 regime, or 2026).
        state: The state the dossier ends in (default: any).
    """
    year = year if year is not None else draw(st.sampled_from((2024, 2026)))
    # Office days of at least four hours keep a 30-working-hour procedure within the index.
    hours = draw(office_hours().filter(lambda h: h.minutes_per_day >= 240))
    dl = Deadlines(draw(working_day_indexes(year)), hours)
    procedure = draw(procedures())
    return_channel = draw(st.sampled_from(_returns_for(procedure)))
    start = draw(
        aware_datetimes(dt.datetime(year, 1, 2), dt.datetime(year, 10, 31))  # noqa: DTZ001
    )
    common: dict[str, Any] = {
        # Dated on the day of receipt (Circular 01/2018 Art. 19).
        "code": attrs.evolve(draw(dossier_codes()), received_on=to_local(start).date()),
        "procedure": procedure,
        "applicant": draw(applicants()),
        "channel": draw(st.sampled_from(_channels_for(procedure))),
        "at": start,
        "return_channel": return_channel,
        "postal_address": draw(postal_addresses())
        if return_channel is ReturnChannel.POSTAL
        else None,
        "supplement_clock": draw(st.none() | st.sampled_from(SupplementClock)),
    }
    # A paper dossier received at the desk skips the intake states; a quarter of
    # the unaimed walks start there, so intake states stay as frequent as the rest.
    only_submitted = state is not None and DossierState.RECEIVED not in distances_to(_GRAPH, state)
    if only_submitted or draw(st.integers(0, 3)) != 0:
        d, events = submit(**common)
    else:
        d, events = receive(unit=draw(st.sampled_from(_UNITS)), deadlines=dl, **common)
    d, more = walk(
        draw,
        d,
        state_of=lambda x: x.state,
        moves=lambda x: _moves(x, dl),
        graph=_GRAPH,
        goal=state,
        max_steps=max_steps,
    )
    return DossierHistory(d, (*events, *more), dl)


def dossiers(state: DossierState | None = None) -> st.SearchStrategy[Dossier]:
    """Dossiers reachable through the workflow, in ``state`` (default: any, evenly)."""
    return dossier_histories(state=state).map(lambda h: h.dossier)


def dossier_events() -> st.SearchStrategy[DomainEvent]:
    """Events of reachable dossiers."""
    return dossier_histories().flatmap(lambda h: st.sampled_from(h.events))


_EVENT_CLASSES: tuple[type[ev.DossierEvent], ...] = tuple(
    c
    for c in vars(ev).values()
    if isinstance(c, type) and issubclass(c, ev.DossierEvent) and c is not ev.DossierEvent
)

REGISTRY: dict[type, Any] = {
    DossierState: st.sampled_from(DossierState),
    Channel: st.sampled_from(Channel),
    Timeliness: st.sampled_from(Timeliness),
    HandoverKind: st.sampled_from(HandoverKind),
    ControlSheetEntry: sheet_entries(),
    ControlSheet: _strategy_for(ControlSheet),
    SupplementRecord: _builds(SupplementRecord),
    PaymentRecord: _builds(PaymentRecord),
    RescheduleRecord: _builds(RescheduleRecord),
    StatusView: status_views(),
    Dossier: dossiers(),
    DossierHistory: dossier_histories(),
    cmd.Command: dossier_commands(),
    **{c: _builds(c) for c in _COMMAND_CLASSES},
    Transition: st.sampled_from(list(TABLE.values())),
    ev.DossierEvent: dossier_events(),
    **{c: _builds(c) for c in _EVENT_CLASSES},
}
