"""Conversations: a chat account's multi-turn dialogues with the desk (channel-neutral).

A :class:`Conversation` is an aggregate like a dossier or a case: commands
(:class:`StartFiling`, :class:`GiveText`, :class:`AddPhoto`, :class:`Confirm`,
:class:`Cancel`, :class:`StartReturn`, …) are decided into events
(:func:`decide`, :func:`handle`) and applied by :func:`apply_event`, which
checks each move against the transition table :data:`TABLE` (data, checked
at import). Each dialogue step waits :data:`TIMEOUTS` for the citizen; a
dialogue is resumable until then (it is stored, so restarts and days of
silence change nothing) and :func:`expire` ends it after.

Dialogues:

* **Filing** feedback (góp ý), a petition (phản ánh, kiến nghị — Decree
  20/2008/NĐ-CP), a complaint (khiếu nại — Law on Complaints 02/2011/QH13) or a
  denunciation (tố cáo — Law on Denunciations 25/2018/QH14): kind, content,
  photos, for complaints and denunciations the sender's full name and address
  (Law on Complaints Art. 8(2); Law on Denunciations Art. 23(1)), a summary,
  and the confirmation that names the case (:func:`case_id_for`) the desk
  files in the complaint aggregate.
* **Postal return** of a result that is ready: the address to confirm (or a
  street line typed in chat), the postage shown, the confirmation.

``hủy`` / ``huy`` cancels at any step (:func:`read_answer`). Replies are
channel-neutral (:class:`Text`, :class:`Buttons`, :class:`Image`,
:class:`Link`; NFC, at most :data:`MAX_CHARS` characters, :func:`split`),
rendered by each channel's adapter or as text (:func:`as_text`). Catalogue
questions are matched by :func:`match_procedures`.

The desk's use cases over these are in :mod:`tthc_core.desk`.
"""

from __future__ import annotations

from tthc_core.conversation._catalogue import (
    MAX_CHOICES,
    CatalogueMatch,
    asks_about_procedures,
    match_procedures,
)
from tthc_core.conversation._decide import (
    MAX_CONTENT_CHARS,
    MAX_IDENTITY_CHARS,
    AddPhoto,
    AskStaff,
    Cancel,
    ChangeAddress,
    ChooseKind,
    Command,
    Confirm,
    GiveStreet,
    GiveText,
    NotNow,
    Say,
    StaffReply,
    StartFiling,
    StartReturn,
    TooManyPhotos,
    case_id_for,
    decide,
    expire,
    handle,
)
from tthc_core.conversation._events import (
    AddressChangeAsked,
    Author,
    CaseFilingStarted,
    ConversationEvent,
    DialogueCancelled,
    DialogueExpired,
    FilingConfirmed,
    FilingContentGiven,
    FilingKindChosen,
    PhotoAttached,
    ReturnConfirmed,
    ReturnStarted,
    Said,
    SenderAddressGiven,
    SenderNameGiven,
    StaffAsked,
    StaffReplied,
    StreetGiven,
)
from tthc_core.conversation._model import (
    MAX_PHOTOS,
    TRANSCRIPT_CHARS,
    TRANSCRIPT_TURNS,
    CaseContact,
    Conversation,
    FilingDraft,
    ReturnDraft,
    Turn,
    apply_event,
    conversation_key,
    replay,
)
from tthc_core.conversation._reading import (
    CANCEL,
    CHANGE_ADDRESS,
    CONFIRM,
    KIND_PAYLOADS,
    filing_start,
    is_greeting,
    read_answer,
)
from tthc_core.conversation._replies import (
    MAX_BUTTON_TITLE,
    MAX_BUTTONS,
    MAX_CHARS,
    Button,
    Buttons,
    Image,
    Link,
    Reply,
    Text,
    as_text,
    from_payload,
    split,
    to_payload,
)
from tthc_core.conversation._table import TABLE, TIMEOUTS, Action, Step, check_table

__all__ = [
    "CANCEL",
    "CHANGE_ADDRESS",
    "CONFIRM",
    "KIND_PAYLOADS",
    "MAX_BUTTONS",
    "MAX_BUTTON_TITLE",
    "MAX_CHARS",
    "MAX_CHOICES",
    "MAX_CONTENT_CHARS",
    "MAX_IDENTITY_CHARS",
    "MAX_PHOTOS",
    "TABLE",
    "TIMEOUTS",
    "TRANSCRIPT_CHARS",
    "TRANSCRIPT_TURNS",
    "Action",
    "AddPhoto",
    "AddressChangeAsked",
    "AskStaff",
    "Author",
    "Button",
    "Buttons",
    "Cancel",
    "CaseContact",
    "CaseFilingStarted",
    "CatalogueMatch",
    "ChangeAddress",
    "ChooseKind",
    "Command",
    "Confirm",
    "Conversation",
    "ConversationEvent",
    "DialogueCancelled",
    "DialogueExpired",
    "FilingConfirmed",
    "FilingContentGiven",
    "FilingDraft",
    "FilingKindChosen",
    "GiveStreet",
    "GiveText",
    "Image",
    "Link",
    "NotNow",
    "PhotoAttached",
    "Reply",
    "ReturnConfirmed",
    "ReturnDraft",
    "ReturnStarted",
    "Said",
    "Say",
    "SenderAddressGiven",
    "SenderNameGiven",
    "StaffAsked",
    "StaffReplied",
    "StaffReply",
    "StartFiling",
    "StartReturn",
    "Step",
    "StreetGiven",
    "Text",
    "TooManyPhotos",
    "Turn",
    "apply_event",
    "as_text",
    "asks_about_procedures",
    "case_id_for",
    "check_table",
    "conversation_key",
    "decide",
    "expire",
    "filing_start",
    "from_payload",
    "handle",
    "is_greeting",
    "match_procedures",
    "read_answer",
    "replay",
    "split",
    "to_payload",
]
