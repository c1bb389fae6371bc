"""The dossier workflow's entry points: submit, receive, handle, rebuild."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from tthc_core.calendar import Deadlines, to_local
from tthc_core.catalogue import OnlineLevel, Procedure
from tthc_core.codes import DossierCode
from tthc_core.dossier import _commands as cmd
from tthc_core.dossier import _events as ev
from tthc_core.dossier._errors import (
    ChannelNotOffered,
    CommandOutOfOrder,
    InvalidEventStream,
    TransitionNotAllowed,
)
from tthc_core.dossier._evolve import apply_event, start
from tthc_core.dossier._model import Dossier
from tthc_core.dossier._sheet import ControlSheet
from tthc_core.dossier._states import Channel
from tthc_core.dossier._table import accepted_commands, command_type_of, find_transition
from tthc_core.errors import InvalidInput
from tthc_core.events import DomainEvent
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.regime import SupplementClock, regime_for

__all__ = ["handle", "rebuild", "rebuild_sheet", "receive", "submit"]

_LIFECYCLE_RULE = "Decree 61/2018/NĐ-CP Art. 17-20 (the dossier lifecycle)"


def _check_channels(
    procedure: Procedure,
    channel: Channel,
    return_channel: ReturnChannel,
    postal_address: PostalAddress | None,
) -> None:
    name = f"procedure {procedure.code} ({procedure.name})"
    if channel is Channel.POSTAL and not procedure.postal_intake:
        raise ChannelNotOffered(
            f"{name} is not filed by public post", rule="Decision 45/2016/QĐ-TTg Art. 1(2)"
        )
    if channel is Channel.ONLINE and procedure.online_level is OnlineLevel.NONE:
        raise ChannelNotOffered(f"{name} has no online public service", rule="Decree 42/2022/NĐ-CP")
    if return_channel is ReturnChannel.POSTAL:
        if not procedure.postal_return:
            raise ChannelNotOffered(
                f"{name} does not return results by public post",
                rule="Decision 45/2016/QĐ-TTg Art. 1(2)",
            )
        if postal_address is None:
            raise InvalidInput("a postal return needs the applicant's postal address")
    if return_channel is ReturnChannel.ELECTRONIC and procedure.online_level is OnlineLevel.NONE:
        raise ChannelNotOffered(
            f"{name} has no online public service to deliver an electronic result",
            rule="Decree 42/2022/NĐ-CP",
        )


def submit(
    *,
    code: DossierCode,
    procedure: Procedure,
    applicant: Applicant,
    channel: Channel,
    at: dt.datetime,
    return_channel: ReturnChannel = ReturnChannel.DESK,
    postal_address: PostalAddress | None = None,
    supplement_clock: SupplementClock | None = None,
) -> tuple[Dossier, list[DomainEvent]]:
    """Register a dossier in the e-system (portal status 1, ``SUBMITTED``).

    Online dossiers wait here for the desk to receive, refuse or return them
    for completion (Decree 61/2018 Art. 17(2)).

    Args:
        code: The dossier code (allocate it with a ``SequenceAllocator``).
        procedure: The catalogue entry.
        applicant: Who files it.
        channel: In person, online or by post.
        at: When it was submitted.
        return_channel: How the result will be returned.
        postal_address: Required for postal return.
        supplement_clock: The agency's override of the regime's supplement clock.

    Raises:
        ChannelNotOffered: If the procedure does not offer the channel.
        InvalidInput: For a naive ``at``, a date before Decree 61/2018, or a
            postal return without an address.
    """
    at = to_local(at)
    _check_channels(procedure, channel, return_channel, postal_address)
    event = ev.DossierSubmitted(
        occurred_at=at,
        code=code,
        applicant=applicant,
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        processing_time=procedure.processing_time,
        steps=procedure.steps,
        channel=channel,
        return_channel=return_channel,
        postal_address=postal_address,
        supplement_clock=supplement_clock,
        regime=regime_for(at.date()),
    )
    return start(event), [event]


def receive(
    *,
    code: DossierCode,
    procedure: Procedure,
    applicant: Applicant,
    channel: Channel,
    unit: str,
    at: dt.datetime,
    deadlines: Deadlines,
    officer: str | None = None,
    return_channel: ReturnChannel = ReturnChannel.DESK,
    postal_address: PostalAddress | None = None,
    supplement_clock: SupplementClock | None = None,
) -> tuple[Dossier, list[DomainEvent]]:
    """Register and receive a complete dossier at once (Mẫu 01; Decree 61/2018 Art. 17(1c)).

    Equivalent to :func:`submit` then :class:`ReceiveDossier` at the same
    instant; both events are returned. For a postal dossier ``at`` is the
    signed handover with the postal worker (Decision 45/2016/QĐ-TTg Art. 7(4)).

    Args:
        code: The dossier code.
        procedure: The catalogue entry.
        applicant: Who files it.
        channel: In person, online or by post.
        unit: The receiving desk.
        at: The receipt instant.
        deadlines: The agency's deadline arithmetic.
        officer: The receiving officer.
        return_channel: How the result will be returned.
        postal_address: Required for postal return.
        supplement_clock: The agency's override of the regime's supplement clock.
    """
    dossier, events = submit(
        code=code,
        procedure=procedure,
        applicant=applicant,
        channel=channel,
        at=at,
        return_channel=return_channel,
        postal_address=postal_address,
        supplement_clock=supplement_clock,
    )
    dossier, more = handle(
        dossier, cmd.ReceiveDossier(unit, officer=officer), at=at, deadlines=deadlines
    )
    return dossier, events + more


def handle(
    dossier: Dossier,
    command: cmd.Command,
    *,
    at: dt.datetime,
    deadlines: Deadlines | None = None,
) -> tuple[Dossier, list[DomainEvent]]:
    """Apply ``command`` at ``at``: the new dossier and its events, or a typed error.

    Args:
        dossier: The dossier.
        command: What to do.
        at: When (aware; not before ``dossier.last_event_at``).
        deadlines: The agency's deadline arithmetic; required by the commands
            that compute due times (receive, handovers, supplement, reschedule).

    Raises:
        TransitionNotAllowed: If the state does not accept the command.
        CommandOutOfOrder: If ``at`` precedes the dossier's last event.
        DomainRuleViolation: A subclass naming the rule, from the guard.
        InvalidInput: For a naive ``at`` or missing ``deadlines``.
    """
    at = to_local(at)
    if at < dossier.last_event_at:
        raise CommandOutOfOrder(at, dossier.last_event_at)
    state = dossier.state
    transition = find_transition((state, type(command)))
    if transition is None:
        allowed = tuple(c.__name__ for c in accepted_commands(state))
        raise TransitionNotAllowed(state, type(command).__name__, allowed, rule=_LIFECYCLE_RULE)
    if transition.guard is not None:
        transition.guard(dossier, command, at, deadlines)
    event = transition.effect(dossier, command, at, deadlines)
    return apply_event(dossier, event, transition.target), [event]


def rebuild(events: Iterable[DomainEvent], *, version: int = 0) -> Dossier:
    """Replay a dossier's events (oldest first) into the dossier they produced.

    Needs no calendar: events carry every computed time. Each event must be an
    edge of the transition table from the state reached so far.

    Args:
        events: The dossier's events, starting with :class:`DossierSubmitted`.
        version: The stored version to give the result.

    Raises:
        InvalidEventStream: If the events do not form one dossier's valid history.
    """
    stream = iter(events)
    first = next(stream, None)
    if not isinstance(first, ev.DossierSubmitted):
        raise InvalidEventStream("a dossier's history starts with DossierSubmitted")
    dossier = start(first)
    for event in stream:
        if not isinstance(event, ev.DossierEvent) or event.code != dossier.code:
            raise InvalidEventStream(f"{event!r} is not an event of dossier {dossier.code}")
        if event.occurred_at < dossier.last_event_at:
            raise InvalidEventStream(f"{type(event).__name__} is older than the event before it")
        command = command_type_of(event)
        transition = None if command is None else find_transition((dossier.state, command))
        if transition is None:
            raise InvalidEventStream(
                f"{type(event).__name__} cannot follow state {dossier.state.value}"
            )
        dossier = apply_event(dossier, event, transition.target)
    return attrs.evolve(dossier, version=version)


def rebuild_sheet(events: Iterable[DomainEvent]) -> ControlSheet:
    """The process control sheet (Mẫu 05/06) rebuilt from a dossier's events."""
    return rebuild(events).sheet
