"""What happens in a conversation: its events (part of the audit trail).

Events that move the conversation name their :class:`~._table.Action`
(``ACTION``); :func:`~._model.apply_event` checks each move against the
table. The transcript (:class:`Said`) and the staff hand-over
(:class:`StaffAsked`, :class:`StaffReplied`) leave the step as it is.
"""

from __future__ import annotations

import enum
from typing import ClassVar

import attrs

from tthc_core.codes import DossierCode
from tthc_core.complaint import CaseKind
from tthc_core.conversation._table import Action, Step
from tthc_core.events import DomainEvent

__all__ = [
    "AddressChangeAsked",
    "Author",
    "CaseFilingStarted",
    "ConversationEvent",
    "DialogueCancelled",
    "DialogueExpired",
    "FilingConfirmed",
    "FilingContentGiven",
    "FilingKindChosen",
    "PhotoAttached",
    "ReturnConfirmed",
    "ReturnStarted",
    "Said",
    "SenderAddressGiven",
    "SenderNameGiven",
    "StaffAsked",
    "StaffReplied",
    "StreetGiven",
]


class Author(enum.Enum):
    """Who wrote a line of the transcript."""

    CITIZEN = "citizen"
    DESK = "desk"  # the automatic desk
    STAFF = "staff"  # an officer, by name


@attrs.frozen(kw_only=True)
class ConversationEvent(DomainEvent):
    """Something that happened in a conversation."""

    ACTION: ClassVar[Action | None] = None


@attrs.frozen(kw_only=True)
class CaseFilingStarted(ConversationEvent):
    """The citizen started filing; ``kind`` if they said which."""

    ACTION = Action.START_FILING
    kind: CaseKind | None = None


@attrs.frozen(kw_only=True)
class FilingKindChosen(ConversationEvent):
    """The citizen chose what they file."""

    ACTION = Action.CHOOSE_KIND
    kind: CaseKind


@attrs.frozen(kw_only=True)
class FilingContentGiven(ConversationEvent):
    """The citizen's words."""

    ACTION = Action.GIVE_CONTENT
    content: str


@attrs.frozen(kw_only=True)
class PhotoAttached(ConversationEvent):
    """A photo joined the draft (a reference, never the bytes)."""

    ACTION = Action.ADD_PHOTO
    ref: str


@attrs.frozen(kw_only=True)
class SenderNameGiven(ConversationEvent):
    """The sender's full name (Law on Denunciations 2018 Art. 23(1))."""

    ACTION = Action.GIVE_NAME
    name: str


@attrs.frozen(kw_only=True)
class SenderAddressGiven(ConversationEvent):
    """The sender's address (Law on Complaints 2011 Art. 8(2))."""

    ACTION = Action.GIVE_ADDRESS
    address: str


@attrs.frozen(kw_only=True)
class FilingConfirmed(ConversationEvent):
    """The citizen confirmed the summary: the case ``case_id`` is filed."""

    ACTION = Action.CONFIRM_FILING
    case_id: str


@attrs.frozen(kw_only=True)
class ReturnStarted(ConversationEvent):
    """The citizen chose the post for a result.

    ``address_label`` is the address shown for confirmation (None: ask for one);
    ``street`` the street line typed in chat (None: the registered address);
    ``postage_vnd`` the operator's price, if it could be had.
    """

    ACTION = Action.START_RETURN
    dossier_code: DossierCode
    address_label: str | None = None
    street: str | None = None
    postage_vnd: int | None = None


@attrs.frozen(kw_only=True)
class StreetGiven(ConversationEvent):
    """The citizen typed the street line; the address and postage to confirm."""

    ACTION = Action.GIVE_STREET
    street: str
    address_label: str
    postage_vnd: int | None = None


@attrs.frozen(kw_only=True)
class AddressChangeAsked(ConversationEvent):
    """The citizen wants the result delivered elsewhere."""

    ACTION = Action.CHANGE_ADDRESS


@attrs.frozen(kw_only=True)
class ReturnConfirmed(ConversationEvent):
    """The citizen confirmed the postal return of ``dossier_code``."""

    ACTION = Action.CONFIRM_RETURN
    dossier_code: DossierCode


@attrs.frozen(kw_only=True)
class DialogueCancelled(ConversationEvent):
    """The citizen cancelled (``hủy``); the draft is dropped."""

    ACTION = Action.CANCEL
    step: Step


@attrs.frozen(kw_only=True)
class DialogueExpired(ConversationEvent):
    """The citizen was silent past the step's timeout; the draft is dropped."""

    ACTION = Action.EXPIRE
    step: Step


@attrs.frozen(kw_only=True)
class Said(ConversationEvent):
    """A line of the transcript (what the citizen wrote, what the desk answered)."""

    author: Author
    text: str


@attrs.frozen(kw_only=True)
class StaffAsked(ConversationEvent):
    """The desk could not answer: the conversation waits for staff."""

    text: str


@attrs.frozen(kw_only=True)
class StaffReplied(ConversationEvent):
    """An officer answered (the audit trail records the officer as the actor too)."""

    officer: str
    text: str
