"""The conversation aggregate: one chat account's dialogue with the desk.

:func:`apply_event` is the only code that changes a :class:`Conversation`;
it checks every move against :data:`~._table.TABLE`. A conversation keeps
what is needed to resume a dialogue after days (the draft and the step's
expiry), a bounded transcript for staff, and whether it waits for staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from tthc_core.codes import DossierCode
from tthc_core.complaint import CaseKind
from tthc_core.conversation import _events as ev
from tthc_core.conversation._table import TABLE, TIMEOUTS, Step
from tthc_core.errors import InvalidInput
from tthc_core.text import nfc
from tthc_core.validators import aware as _aware
from tthc_core.validators import non_blank as _non_blank

__all__ = [
    "MAX_PHOTOS",
    "TRANSCRIPT_CHARS",
    "TRANSCRIPT_TURNS",
    "CaseContact",
    "Conversation",
    "FilingDraft",
    "ReturnDraft",
    "Turn",
    "apply_event",
    "conversation_key",
    "replay",
]

#: Photos one filing may carry; more are refused with a reply (never dropped silently).
MAX_PHOTOS = 10
#: Transcript lines kept (the latest).
TRANSCRIPT_TURNS = 20
#: Characters kept of one transcript line.
TRANSCRIPT_CHARS = 1000


def conversation_key(channel: str, user_id: str) -> str:
    """The stored key of ``user_id``'s conversation on ``channel``."""
    return f"{channel}:{user_id}"


@attrs.frozen
class Turn:
    """One line of the transcript."""

    at: dt.datetime = attrs.field(validator=_aware)
    author: ev.Author
    text: str
    officer: str | None = None


@attrs.frozen
class FilingDraft:
    """Feedback, a petition, a complaint or a denunciation being written."""

    kind: CaseKind | None = None
    content: str = ""
    photos: tuple[str, ...] = ()
    name: str = ""
    address: str = ""


@attrs.frozen
class ReturnDraft:
    """A postal return being arranged for a result that is ready."""

    dossier_code: DossierCode
    street: str | None = None
    address_label: str | None = None
    postage_vnd: int | None = None


@attrs.frozen
class Conversation:
    """One chat account's conversation with the desk.

    Args:
        channel: The chat platform (``"zalo"``).
        user_id: The account on it.
        version: The stored version (0 before first saved).
        step: Where the dialogue is.
        filing: The filing draft (filing steps only).
        returning: The postal-return draft (return steps only).
        expires_at: When the current step times out (None when idle).
        transcript: The latest lines, oldest first.
        waiting_since: Since when it waits for staff (None: it does not).
        filed: The ids of cases filed here, oldest first.
    """

    channel: str = attrs.field(validator=_non_blank)
    user_id: str = attrs.field(validator=_non_blank)
    version: int = 0
    step: Step = Step.IDLE
    filing: FilingDraft | None = None
    returning: ReturnDraft | None = None
    expires_at: dt.datetime | None = attrs.field(default=None, validator=_aware)
    transcript: tuple[Turn, ...] = ()
    waiting_since: dt.datetime | None = attrs.field(default=None, validator=_aware)
    filed: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The stored key."""
        return conversation_key(self.channel, self.user_id)

    def expired(self, at: dt.datetime) -> bool:
        """Whether the current step timed out by ``at``."""
        return self.expires_at is not None and at >= self.expires_at


def _trim(text: str) -> str:
    text = nfc(text)
    return text if len(text) <= TRANSCRIPT_CHARS else text[: TRANSCRIPT_CHARS - 1] + "…"


def _turn(conversation: Conversation, turn: Turn) -> dict[str, object]:
    return {"transcript": (*conversation.transcript, turn)[-TRANSCRIPT_TURNS:]}


def _draft(conversation: Conversation) -> FilingDraft:
    if conversation.filing is None:  # pragma: no cover - the table puts a draft first
        raise InvalidInput("no filing draft in this step")
    return conversation.filing


def _changes(  # noqa: PLR0911, PLR0912 - one branch per event type
    conversation: Conversation, event: ev.ConversationEvent
) -> dict[str, object]:
    at = event.occurred_at
    match event:
        case ev.Said(author=author, text=text):
            return _turn(conversation, Turn(at, author, _trim(text)))
        case ev.StaffAsked():
            return {"waiting_since": conversation.waiting_since or at}
        case ev.StaffReplied(officer=officer, text=text):
            turn = Turn(at, ev.Author.STAFF, _trim(text), officer)
            return {"waiting_since": None, **_turn(conversation, turn)}
        case ev.CaseFilingStarted(kind=kind):
            return {"filing": FilingDraft(kind), "returning": None}
        case ev.FilingKindChosen(kind=kind):
            return {"filing": attrs.evolve(_draft(conversation), kind=kind)}
        case ev.FilingContentGiven(content=content):
            return {"filing": attrs.evolve(_draft(conversation), content=content)}
        case ev.PhotoAttached(ref=ref):
            draft = _draft(conversation)
            return {"filing": attrs.evolve(draft, photos=(*draft.photos, ref))}
        case ev.SenderNameGiven(name=name):
            return {"filing": attrs.evolve(_draft(conversation), name=name)}
        case ev.SenderAddressGiven(address=address):
            return {"filing": attrs.evolve(_draft(conversation), address=address)}
        case ev.FilingConfirmed(case_id=case_id):
            return {"filing": None, "filed": (*conversation.filed, case_id)}
        case ev.ReturnStarted():
            started = ReturnDraft(
                event.dossier_code, event.street, event.address_label, event.postage_vnd
            )
            return {"returning": started, "filing": None}
        case ev.StreetGiven(street=street, address_label=label, postage_vnd=postage):
            current = conversation.returning
            if current is None:  # pragma: no cover - the table allows it in return steps only
                raise InvalidInput("no return draft in this step")
            return {
                "returning": attrs.evolve(
                    current, street=street, address_label=label, postage_vnd=postage
                )
            }
        case ev.AddressChangeAsked():
            return {}
        case ev.ReturnConfirmed() | ev.DialogueCancelled() | ev.DialogueExpired():
            return {"filing": None, "returning": None}
    raise InvalidInput(f"not a conversation event: {type(event).__name__}")  # pragma: no cover


def _next_step(conversation: Conversation, event: ev.ConversationEvent) -> Step:
    """The step ``event`` leads to, checked against the table."""
    action = event.ACTION
    if action is None:
        return conversation.step
    allowed = TABLE.get((conversation.step, action), frozenset())
    target = _target(conversation, event)
    if target not in allowed:
        raise InvalidInput(
            f"{type(event).__name__} cannot happen at step {conversation.step.value} "
            f"(the table allows {sorted(s.value for s in allowed)})"
        )
    return target


def _target(conversation: Conversation, event: ev.ConversationEvent) -> Step:  # noqa: PLR0911
    match event:
        case ev.CaseFilingStarted(kind=kind):
            return Step.FILING_KIND if kind is None else Step.FILING_CONTENT
        case ev.FilingKindChosen():
            return Step.FILING_CONTENT
        case ev.FilingContentGiven():
            kind = _draft(conversation).kind
            needs = kind is not None and kind.needs_identity
            return Step.FILING_NAME if needs else Step.FILING_CONFIRM
        case ev.SenderNameGiven():
            return Step.FILING_ADDRESS
        case ev.SenderAddressGiven():
            return Step.FILING_CONFIRM
        case ev.PhotoAttached():
            return conversation.step
        case ev.ReturnStarted(address_label=label):
            return Step.RETURN_ADDRESS if label is None else Step.RETURN_CONFIRM
        case ev.StreetGiven():
            return Step.RETURN_CONFIRM
        case ev.AddressChangeAsked():
            return Step.RETURN_ADDRESS
    return Step.IDLE


def apply_event(conversation: Conversation, event: ev.ConversationEvent) -> Conversation:
    """``conversation`` after ``event``; the step's timeout restarts on every move.

    Raises:
        InvalidInput: If the table does not allow the move.
    """
    step = _next_step(conversation, event)
    changes = _changes(conversation, event)
    if event.ACTION is not None:
        timeout = TIMEOUTS.get(step)
        changes["expires_at"] = None if timeout is None else event.occurred_at + timeout
    return attrs.evolve(conversation, step=step, **changes)  # type: ignore[arg-type]


def replay(start: Conversation, events: Iterable[ev.ConversationEvent]) -> Conversation:
    """``start`` after ``events``, in order."""
    for event in events:
        start = apply_event(start, event)
    return start


@attrs.frozen
class CaseContact:
    """The chat account a case was filed from, to send it the answer.

    Args:
        case_id: The case.
        channel: The chat platform.
        user_id: The account.
        version: The stored version.
    """

    case_id: str = attrs.field(validator=_non_blank)
    channel: str = attrs.field(validator=_non_blank)
    user_id: str = attrs.field(validator=_non_blank)
    version: int = 0
