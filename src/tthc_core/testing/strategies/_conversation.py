"""Strategies for conversations: replies, commands, and conversations reached by real walks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tthc_core.complaint import CaseKind
from tthc_core.conversation import (
    MAX_BUTTON_TITLE,
    AddPhoto,
    AskStaff,
    Author,
    Button,
    Buttons,
    Cancel,
    CaseContact,
    CatalogueMatch,
    ChangeAddress,
    ChooseKind,
    Command,
    Confirm,
    Conversation,
    ConversationEvent,
    FilingDraft,
    GiveStreet,
    GiveText,
    Image,
    Link,
    NotNow,
    ReturnDraft,
    Say,
    StaffReply,
    StartFiling,
    StartReturn,
    Step,
    Text,
    TooManyPhotos,
    Turn,
    apply_event,
    expire,
    handle,
)
from tthc_core.testing.strategies._catalogue import procedures
from tthc_core.testing.strategies._codes import dossier_codes
from tthc_core.testing.strategies._receipt import vietnamese_text
from tthc_core.testing.strategies._time import aware_datetimes

__all__ = [
    "REGISTRY",
    "conversation_commands",
    "conversation_walks",
    "conversations",
    "replies",
]

_USERS = st.from_regex(r"[0-9]{6,19}", fullmatch=True)
_REFS = st.from_regex(r"https://photo\.zalo\.test/[a-z0-9]{1,12}\.jpg", fullmatch=True)
_LABELS = vietnamese_text(2, 8)


def replies() -> st.SearchStrategy[Text | Buttons | Image | Link]:
    """Every kind of channel-neutral reply."""
    buttons = st.builds(
        Button, vietnamese_text(1, 3).map(lambda t: t[:MAX_BUTTON_TITLE]), vietnamese_text(1, 5)
    )
    return st.one_of(
        st.builds(Text, vietnamese_text(1, 40)),
        st.builds(Buttons, vietnamese_text(1, 20), st.lists(buttons, min_size=1, max_size=5)),
        st.builds(Image, _REFS, vietnamese_text(0, 5)),
        st.builds(Link, _REFS, vietnamese_text(1, 5)),
    )


def conversation_commands() -> st.SearchStrategy[Command]:
    """Commands of every kind (valid values; whether they fit a step is the walk's business)."""
    return st.one_of(
        st.builds(StartFiling, st.none() | st.sampled_from(CaseKind)),
        st.builds(ChooseKind, st.sampled_from(CaseKind)),
        st.builds(GiveText, vietnamese_text(1, 12)),
        st.builds(AddPhoto, _REFS),
        st.just(Confirm()),
        st.just(Cancel()),
        st.builds(
            StartReturn, dossier_codes(), st.none() | _LABELS, st.none() | st.integers(0, 10**6)
        ),
        st.builds(GiveStreet, vietnamese_text(1, 4), _LABELS, st.none() | st.integers(0, 10**6)),
        st.just(ChangeAddress()),
        st.builds(Say, st.sampled_from(Author), vietnamese_text(1, 10)),
        st.builds(AskStaff, vietnamese_text(1, 10)),
        st.builds(StaffReply, st.sampled_from(("demo.motcua", "pakn")), vietnamese_text(1, 10)),
    )


def _fitting(step: Step) -> st.SearchStrategy[Command]:
    """Commands the step takes (so walks go deep, not only idle)."""
    texts = st.builds(GiveText, vietnamese_text(1, 12))
    by_step: dict[Step, st.SearchStrategy[Command]] = {
        Step.IDLE: st.builds(StartFiling, st.none() | st.sampled_from(CaseKind))
        | st.builds(
            StartReturn, dossier_codes(), st.none() | _LABELS, st.none() | st.integers(0, 10**6)
        ),
        Step.FILING_KIND: st.builds(ChooseKind, st.sampled_from(CaseKind)),
        Step.FILING_CONTENT: texts | st.builds(AddPhoto, _REFS),
        Step.FILING_NAME: texts,
        Step.FILING_ADDRESS: texts,
        Step.FILING_CONFIRM: st.just(Confirm()) | st.builds(AddPhoto, _REFS),
        Step.RETURN_ADDRESS: st.builds(GiveStreet, vietnamese_text(1, 4), _LABELS),
        Step.RETURN_CONFIRM: st.sampled_from((Confirm(), ChangeAddress())),
    }
    return by_step[step]


@st.composite
def conversation_walks(
    draw: st.DrawFn, max_steps: int = 25
) -> tuple[Conversation, list[ConversationEvent]]:
    """A conversation and the events that made it: commands applied in time order,
    those the step refuses skipped (so every state reached is reachable). Most
    commands fit the step; some are any command (refusals, cancels, hand-overs);
    gaps of up to 9 days let steps expire."""
    conversation = Conversation("zalo", draw(_USERS))
    at = draw(aware_datetimes(dt.datetime(2026, 1, 1), dt.datetime(2027, 1, 1)))  # noqa: DTZ001
    events: list[ConversationEvent] = []
    for _ in range(draw(st.integers(1, max_steps))):
        fits = draw(st.integers(0, 5)) > 0
        command = draw(_fitting(conversation.step) if fits else conversation_commands())
        at += dt.timedelta(
            minutes=draw(st.sampled_from((1, 30, 60, 60 * 24, 60 * 24 * 3, 60 * 24 * 9)))
        )
        expired = expire(conversation, at)
        for event in expired:
            conversation = apply_event(conversation, event)
        events += expired
        try:
            conversation, made = handle(conversation, command, at=at)
        except (NotNow, TooManyPhotos):
            continue
        events += made
    return conversation, events


def conversations() -> st.SearchStrategy[Conversation]:
    """Conversations reached by real walks."""
    return conversation_walks().map(lambda walk: walk[0])


REGISTRY: dict[type, Any] = {
    Conversation: conversations(),
    Text: st.builds(Text, vietnamese_text(1, 40)),
    Button: st.builds(
        Button, vietnamese_text(1, 3).map(lambda t: t[:MAX_BUTTON_TITLE]), vietnamese_text(1, 5)
    ),
    Buttons: replies().filter(lambda r: isinstance(r, Buttons)),
    Image: st.builds(Image, _REFS, vietnamese_text(0, 5)),
    Link: st.builds(Link, _REFS, vietnamese_text(1, 5)),
    AddPhoto: st.builds(AddPhoto, _REFS),
    GiveText: st.builds(GiveText, vietnamese_text(1, 12)),
    GiveStreet: st.builds(
        GiveStreet, vietnamese_text(1, 4), _LABELS, st.none() | st.integers(0, 10**6)
    ),
    AskStaff: st.builds(AskStaff, vietnamese_text(1, 10)),
    StaffReply: st.builds(StaffReply, st.just("demo.motcua"), vietnamese_text(1, 10)),
    StartReturn: st.builds(
        StartReturn, dossier_codes(), st.none() | _LABELS, st.none() | st.integers(0, 10**6)
    ),
    Turn: st.builds(Turn, aware_datetimes(), st.sampled_from(Author), vietnamese_text(1, 10)),
    FilingDraft: st.builds(
        FilingDraft,
        st.none() | st.sampled_from(CaseKind),
        vietnamese_text(0, 20),
        st.lists(_REFS, max_size=10).map(tuple),
        vietnamese_text(0, 4),
        vietnamese_text(0, 8),
    ),
    ReturnDraft: st.builds(
        ReturnDraft, dossier_codes(), st.none() | vietnamese_text(1, 4), st.none() | _LABELS
    ),
    CaseContact: st.builds(
        CaseContact,
        st.from_regex(r"(GY|PA|KN|TC)-[0-9]{6}-[0-9A-F]{8}", fullmatch=True),
        st.just("zalo"),
        _USERS,
    ),
    CatalogueMatch: st.lists(procedures(), max_size=5).map(lambda ps: CatalogueMatch(tuple(ps))),
}
