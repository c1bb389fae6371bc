"""Commands on a conversation and the decisions that turn them into events.

:func:`decide` is pure: ``(conversation, command, at) -> events``. It raises
:class:`NotNow` when the command does not fit the step (the desk answers
with what the step expects) and never decides on a step that has timed out
— call :func:`expire` first. Confirming a filing names the case it becomes
(:func:`case_id_for`): the id is derived from the conversation and how many
cases it filed, so the same confirmation always names the same case, and a
repeated confirmation cannot file a second one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import attrs

from tthc_core.codes import DossierCode
from tthc_core.complaint import CaseKind
from tthc_core.conversation import _events as ev
from tthc_core.conversation._model import MAX_PHOTOS, Conversation, apply_event
from tthc_core.conversation._table import TABLE, Action, Step
from tthc_core.errors import InvalidInput
from tthc_core.text import nfc
from tthc_core.validators import non_blank as _non_blank

__all__ = [
    "MAX_CONTENT_CHARS",
    "MAX_IDENTITY_CHARS",
    "AddPhoto",
    "AskStaff",
    "Cancel",
    "ChangeAddress",
    "ChooseKind",
    "Command",
    "Confirm",
    "GiveStreet",
    "GiveText",
    "NotNow",
    "Say",
    "StaffReply",
    "StartFiling",
    "StartReturn",
    "TooManyPhotos",
    "case_id_for",
    "decide",
    "expire",
    "handle",
]

#: The longest content kept (the desk reads no more of a message).
MAX_CONTENT_CHARS = 4000
#: The longest name or address line.
MAX_IDENTITY_CHARS = 300

_PREFIX = {
    CaseKind.SERVICE_FEEDBACK: "GY",
    CaseKind.PETITION: "PA",
    CaseKind.COMPLAINT: "KN",
    CaseKind.DENUNCIATION: "TC",
}


class NotNow(InvalidInput):
    """The command does not fit the conversation's step.

    Attributes:
        step: The step the conversation is at.
    """

    def __init__(self, message: str, *, step: Step) -> None:
        super().__init__(message)
        self.step = step


class TooManyPhotos(InvalidInput):
    """A filing already carries :data:`~._model.MAX_PHOTOS` photos."""


def _text(limit: int) -> Callable[[Any, attrs.Attribute[str], str], None]:
    def check(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
        _non_blank(instance, attribute, value)
        if len(value) > limit:
            raise InvalidInput(f"{attribute.name} has {len(value)} characters; at most {limit}")

    return check


def _clean(text: str) -> str:
    return nfc(text).strip()


@attrs.frozen
class StartFiling:
    """Start filing (``kind`` if the citizen named it)."""

    kind: CaseKind | None = None


@attrs.frozen
class ChooseKind:
    """Choose what to file."""

    kind: CaseKind


@attrs.frozen
class GiveText:
    """A text answering the step's question: content, name or address."""

    text: str = attrs.field(converter=_clean, validator=_text(MAX_CONTENT_CHARS))


@attrs.frozen
class AddPhoto:
    """A photo (its reference) for the draft."""

    ref: str = attrs.field(validator=_non_blank)


@attrs.frozen
class Confirm:
    """Yes: file the case, or book the post."""


@attrs.frozen
class Cancel:
    """``hủy``: drop the dialogue."""


@attrs.frozen
class StartReturn:
    """The post was chosen for ``dossier_code``; the address to confirm, if known."""

    dossier_code: DossierCode
    address_label: str | None = None
    postage_vnd: int | None = None


@attrs.frozen
class GiveStreet:
    """The street line typed for delivery, as the desk resolved and priced it."""

    street: str = attrs.field(converter=_clean, validator=_text(MAX_IDENTITY_CHARS))
    address_label: str = attrs.field(validator=_non_blank)
    postage_vnd: int | None = None


@attrs.frozen
class ChangeAddress:
    """Deliver elsewhere: ask for the street line."""


@attrs.frozen
class Say:
    """Add a line to the transcript."""

    author: ev.Author
    text: str


@attrs.frozen
class AskStaff:
    """Hand the conversation to staff with the question."""

    text: str = attrs.field(validator=_non_blank)


@attrs.frozen
class StaffReply:
    """An officer's answer."""

    officer: str = attrs.field(validator=_non_blank)
    text: str = attrs.field(converter=_clean, validator=_text(MAX_CONTENT_CHARS))


Command = (
    StartFiling
    | ChooseKind
    | GiveText
    | AddPhoto
    | Confirm
    | Cancel
    | StartReturn
    | GiveStreet
    | ChangeAddress
    | Say
    | AskStaff
    | StaffReply
)


def case_id_for(conversation: Conversation, kind: CaseKind, at: dt.datetime) -> str:
    """The id of the next case ``conversation`` files: ``KN-261128-3F9A2C01``.

    Kind prefix (GY góp ý, PA phản ánh/kiến nghị, KN khiếu nại, TC tố cáo), the
    Vietnam date, and 8 hex digits of a hash of the conversation and its count
    of filed cases — stable for one confirmation, different for the next, and
    revealing nothing of the account.
    """
    number = len(conversation.filed) + 1
    digest = hashlib.sha256(f"{conversation.key}#{number}".encode()).hexdigest()[:8].upper()
    return f"{_PREFIX[kind]}-{at:%y%m%d}-{digest}"


def expire(conversation: Conversation, at: dt.datetime) -> list[ev.ConversationEvent]:
    """The expiry of the current step, if it timed out by ``at`` (else nothing)."""
    if not conversation.expired(at):
        return []
    return [ev.DialogueExpired(occurred_at=at, step=conversation.step)]


def _not_now(conversation: Conversation, command: object) -> NotNow:
    return NotNow(
        f"{type(command).__name__} does not fit step {conversation.step.value}",
        step=conversation.step,
    )


def _allowed(conversation: Conversation, action: Action, command: object) -> None:
    if (conversation.step, action) not in TABLE:
        raise _not_now(conversation, command)


def decide(  # noqa: PLR0911, PLR0912 - one branch per command
    conversation: Conversation, command: Command, *, at: dt.datetime
) -> list[ev.ConversationEvent]:
    """The events ``command`` makes happen at ``at``.

    Raises:
        NotNow: The command does not fit the step, or the step timed out.
        TooManyPhotos: A photo beyond :data:`~._model.MAX_PHOTOS`.
    """
    if conversation.expired(at):
        raise NotNow("the step timed out; expire it first", step=conversation.step)
    step = conversation.step
    match command:
        case Say(author=author, text=text):
            return [ev.Said(occurred_at=at, author=author, text=text)] if text.strip() else []
        case AskStaff(text=text):
            return [ev.StaffAsked(occurred_at=at, text=text)]
        case StaffReply(officer=officer, text=text):
            return [ev.StaffReplied(occurred_at=at, officer=officer, text=text)]
        case StartFiling(kind=kind):
            _allowed(conversation, Action.START_FILING, command)
            return [ev.CaseFilingStarted(occurred_at=at, kind=kind)]
        case ChooseKind(kind=kind):
            _allowed(conversation, Action.CHOOSE_KIND, command)
            return [ev.FilingKindChosen(occurred_at=at, kind=kind)]
        case GiveText(text=text):
            return [_give_text(conversation, command, text, at)]
        case AddPhoto(ref=ref):
            _allowed(conversation, Action.ADD_PHOTO, command)
            draft = conversation.filing
            if draft is not None and len(draft.photos) >= MAX_PHOTOS:
                raise TooManyPhotos(f"a filing carries at most {MAX_PHOTOS} photos")
            return [ev.PhotoAttached(occurred_at=at, ref=ref)]
        case Confirm():
            if step is Step.FILING_CONFIRM and conversation.filing is not None:
                kind = conversation.filing.kind
                if kind is None:  # pragma: no cover - the table chooses a kind first
                    raise _not_now(conversation, command)
                return [
                    ev.FilingConfirmed(occurred_at=at, case_id=case_id_for(conversation, kind, at))
                ]
            if step is Step.RETURN_CONFIRM and conversation.returning is not None:
                code = conversation.returning.dossier_code
                return [ev.ReturnConfirmed(occurred_at=at, dossier_code=code)]
            raise _not_now(conversation, command)
        case Cancel():
            _allowed(conversation, Action.CANCEL, command)
            return [ev.DialogueCancelled(occurred_at=at, step=step)]
        case StartReturn(dossier_code=code, address_label=label, postage_vnd=postage):
            _allowed(conversation, Action.START_RETURN, command)
            return [
                ev.ReturnStarted(
                    occurred_at=at, dossier_code=code, address_label=label, postage_vnd=postage
                )
            ]
        case GiveStreet(street=street, address_label=label, postage_vnd=postage):
            _allowed(conversation, Action.GIVE_STREET, command)
            return [
                ev.StreetGiven(
                    occurred_at=at, street=street, address_label=label, postage_vnd=postage
                )
            ]
        case ChangeAddress():
            _allowed(conversation, Action.CHANGE_ADDRESS, command)
            return [ev.AddressChangeAsked(occurred_at=at)]
    raise _not_now(conversation, command)  # pragma: no cover - every command is matched


def _give_text(
    conversation: Conversation, command: GiveText, text: str, at: dt.datetime
) -> ev.ConversationEvent:
    step = conversation.step
    if step is Step.FILING_CONTENT:
        return ev.FilingContentGiven(occurred_at=at, content=text)
    if step in (Step.FILING_NAME, Step.FILING_ADDRESS):
        if len(text) > MAX_IDENTITY_CHARS:
            raise InvalidInput(f"at most {MAX_IDENTITY_CHARS} characters, got {len(text)}")
        if step is Step.FILING_NAME:
            return ev.SenderNameGiven(occurred_at=at, name=text)
        return ev.SenderAddressGiven(occurred_at=at, address=text)
    raise _not_now(conversation, command)


def handle(
    conversation: Conversation, command: Command, *, at: dt.datetime
) -> tuple[Conversation, list[ev.ConversationEvent]]:
    """``(conversation after, events)``: :func:`decide` then :func:`~._model.apply_event`."""
    events = decide(conversation, command, at=at)
    for event in events:
        conversation = apply_event(conversation, event)
    return conversation, events
