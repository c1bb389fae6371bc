"""evolve: the filing after one event; start, handle and rebuild."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from tthc_core.calendar import to_local
from tthc_core.catalogue import Procedure
from tthc_core.errors import InvalidInput
from tthc_core.events import DomainEvent
from tthc_core.filing import _commands as c
from tthc_core.filing import _events as ev
from tthc_core.filing import _texts as tx
from tthc_core.filing._decide import decide
from tthc_core.filing._errors import FilingRefused
from tthc_core.filing._model import Filing, Stage

__all__ = ["evolve", "handle", "rebuild", "start"]


def _after_form(filing: Filing) -> Filing:
    if filing.stage is Stage.FORM and filing.field_index >= len(filing.fields):
        return _after_documents(attrs.evolve(filing, stage=Stage.DOCUMENTS))
    return filing


def _after_documents(filing: Filing) -> Filing:
    if filing.stage is Stage.DOCUMENTS and filing.document_index >= filing.document_count:
        return attrs.evolve(filing, stage=Stage.IDENTITY)
    return filing


def evolve(filing: Filing, event: ev.FilingEvent) -> Filing:  # noqa: PLR0911 - one per event
    """The filing after ``event`` (pure)."""
    f = attrs.evolve(filing, last_at=event.occurred_at)
    match event:
        case ev.FieldAnswered(name=name, value=value):
            answers = (*((n, v) for n, v in f.answers if n != name), (name, value))
            return _after_form(attrs.evolve(f, answers=answers, field_index=f.field_index + 1))
        case ev.FieldSkipped():
            return _after_form(attrs.evolve(f, field_index=f.field_index + 1))
        case ev.DocumentAttached(document=document):
            return attrs.evolve(f, documents=(*f.documents, document))
        case ev.DocumentsDone(slot=slot):
            return _after_documents(attrs.evolve(f, document_index=slot + 1))
        case ev.IdentityGiven(identity=identity):
            return attrs.evolve(f, identity=identity, stage=Stage.RETURN)
        case ev.ReturnChosen(channel=channel):
            return attrs.evolve(f, return_channel=channel, stage=Stage.CONFIRM)
        case ev.FilingSubmitted(code=code):
            return attrs.evolve(f, dossier_code=code, stage=Stage.SUBMITTED)
        case ev.FilingCancelled():
            return attrs.evolve(f, stage=Stage.CANCELLED)
        case ev.SupplementRequested(items=items):
            return attrs.evolve(
                f,
                stage=Stage.SUPPLEMENTING,
                supplement_items=items,
                supplement_from=len(f.documents),
                supplements=f.supplements + 1,
            )
        case ev.SupplementSent():
            return attrs.evolve(f, stage=Stage.SUBMITTED)
    raise InvalidInput(f"{type(event).__name__} cannot follow the start of a filing")


def _born(event: ev.FilingStarted) -> Filing:
    return _after_form(
        Filing(
            filing_id=event.filing_id,
            channel=event.channel,
            user_id=event.user_id,
            procedure_code=event.procedure_code,
            started_at=event.occurred_at,
            last_at=event.occurred_at,
            fields=event.fields,
            document_count=event.document_count,
        )
    )


def start(
    *, filing_id: str, channel: str, user_id: str, procedure: Procedure, at: dt.datetime
) -> tuple[Filing, list[DomainEvent]]:
    """Open a filing of ``procedure``; its first question is :func:`tthc_core.filing.prompt`.

    Raises:
        FilingRefused: If the procedure is not offered online (Decree 42/2022/NĐ-CP).
    """
    if not procedure.files_online:
        raise FilingRefused(
            f"procedure {procedure.code} has no online service",
            tx.not_online(procedure),
            rule="Decree 42/2022/NĐ-CP",
        )
    event = ev.FilingStarted(
        filing_id=filing_id,
        occurred_at=to_local(at),
        channel=channel,
        user_id=user_id,
        procedure_code=procedure.code,
        fields=tuple(f.name for f in procedure.form),
        document_count=len(procedure.documents),
    )
    return _born(event), [event]


def handle(
    filing: Filing, command: c.Command, *, procedure: Procedure, at: dt.datetime
) -> tuple[Filing, list[DomainEvent]]:
    """Apply ``command``: the new filing and its events (none for a repeat).

    Raises:
        FilingRefused: With the Vietnamese reason to show the citizen.
    """
    at = max(to_local(at), filing.last_at)  # a late-delivered message never moves time back
    events = decide(filing, command, procedure=procedure, at=at)
    for event in events:
        filing = evolve(filing, event)
    return filing, list(events)


def rebuild(events: Iterable[DomainEvent], *, version: int = 0) -> Filing:
    """The filing its events describe (a restart reads it back).

    Raises:
        InvalidInput: If the stream does not start with :class:`FilingStarted`.
    """
    filing: Filing | None = None
    for event in events:
        if isinstance(event, ev.FilingStarted) and filing is None:
            filing = _born(event)
        elif isinstance(event, ev.FilingEvent) and filing is not None:
            filing = evolve(filing, event)
        else:
            raise InvalidInput(f"{type(event).__name__} is out of place in a filing's events")
    if filing is None:
        raise InvalidInput("a filing's events start with FilingStarted")
    return attrs.evolve(filing, version=version)
