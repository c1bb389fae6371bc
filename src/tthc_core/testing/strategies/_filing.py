"""Strategies for the filing dialogue: blobs, identities, commands and filings from real walks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

from tthc_core.catalogue import DocumentMedium, OnlineLevel, Procedure
from tthc_core.desk import EResult, FeeAccount, Payment, PaymentNotice, PaymentOutcome
from tthc_core.eform import FieldKind
from tthc_core.events import DomainEvent
from tthc_core.filing import (
    Answer,
    Attach,
    Blob,
    Cancel,
    ChooseReturn,
    Command,
    Filing,
    FilingDocument,
    FilingRefused,
    GiveIdentity,
    Identity,
    Next,
    RequestDocuments,
    Show,
    Skip,
    Stage,
    Submit,
    chat_return_channels,
    document_of,
    handle,
    start,
)
from tthc_core.filing._lookup import field_of
from tthc_core.party import ReturnChannel
from tthc_core.rating import Rating, RatingTopic
from tthc_core.testing.strategies._catalogue import procedures
from tthc_core.testing.strategies._codes import dossier_codes
from tthc_core.testing.strategies._party import phone_numbers
from tthc_core.testing.strategies._time import aware_datetimes

__all__ = [
    "blobs",
    "filing_commands",
    "filing_walks",
    "filings",
    "identities",
    "online_procedures",
    "payment_notices",
    "payments",
    "ratings",
]

_MEDIA_TYPES = ("image/jpeg", "image/png", "application/pdf")
#: Answers that fit most field kinds, and some that fit none.
_ANSWERS = (
    "Nguyễn Thị Mai",
    "05/02/2026",
    "1",
    "2",
    "có",
    "không",
    "0912345678",
    "066203001234",
    "ngày mai",
    "",
    "bỏ qua",
)


def blobs() -> st.SearchStrategy[Blob]:
    """Stored files: a SHA-256 address, a sniffed media type, a size."""
    return st.builds(
        Blob,
        st.binary(min_size=1, max_size=8).map(lambda b: b.hex().ljust(64, "0")[:64]),
        st.sampled_from(_MEDIA_TYPES),
        st.integers(1, 20_000_000),
    )


def identities() -> st.SearchStrategy[Identity]:
    """A shared phone, sometimes verified by an identity provider."""
    return st.one_of(
        st.builds(Identity, phone_numbers()),
        st.builds(
            Identity,
            phone_numbers(),
            st.just("vneid"),
            st.from_regex(r"0[0-9]{11}", fullmatch=True),
            st.just("Nguyễn Thị Mai"),
        ),
    )


def online_procedures() -> st.SearchStrategy[Procedure]:
    """Procedures filed online (một phần or toàn trình)."""
    return procedures().filter(lambda p: p.online_level is not OnlineLevel.NONE)


def filing_commands() -> st.SearchStrategy[Command]:
    """Any command a citizen's message or the desk may bring."""
    return st.one_of(
        st.builds(Answer, st.sampled_from(_ANSWERS)),
        st.just(Skip()),
        st.builds(Attach, blobs()),
        st.just(Next()),
        st.builds(GiveIdentity, identities()),
        st.builds(ChooseReturn, st.sampled_from(ReturnChannel)),
        st.builds(Submit, dossier_codes()),
        st.just(Cancel()),
        st.just(Show()),
        st.builds(RequestDocuments, st.just(("Bản chụp Giấy chứng sinh rõ nét",))),
    )


_VALID = {
    FieldKind.TEXT: "Nguyễn Thị Mai",
    FieldKind.DATE: "05/02/2026",
    FieldKind.NUMBER: "2",
    FieldKind.PHONE: "0912345678",
    FieldKind.ID_NUMBER: "066203001234",
    FieldKind.CHOICE: "1",
    FieldKind.YES_NO: "có",
}


def _guided(  # noqa: PLR0911 - one return per stage
    draw: st.DrawFn, filing: Filing, procedure: Procedure
) -> Command:
    """A command the open question expects, most of the time (so walks reach the end)."""
    stage = filing.stage
    if draw(st.integers(0, 24)) == 0:
        return Cancel()
    if stage is Stage.FORM:
        field = field_of(filing, procedure)
        if not field.required and draw(st.booleans()):
            return Skip()
        return Answer(_VALID[field.kind])
    if stage is Stage.DOCUMENTS:
        document = document_of(procedure, filing.document_index)
        if filing.documents_for(filing.document_index) or not document.required:
            return draw(st.sampled_from((Next(), Skip(), Attach(draw(blobs())))))
        blob = draw(blobs())
        kind = "application/pdf" if DocumentMedium.PDF in document.media else "image/jpeg"
        return Attach(attrs.evolve(blob, media_type=kind))
    if stage is Stage.IDENTITY:
        return GiveIdentity(draw(identities()))
    if stage is Stage.RETURN:
        return ChooseReturn(chat_return_channels(procedure)[0])
    if stage is Stage.CONFIRM:
        return Submit(draw(dossier_codes()))
    if stage is Stage.SUBMITTED:
        return RequestDocuments(("Bản chụp Giấy chứng sinh rõ nét",))
    return draw(st.sampled_from((Next(), Attach(draw(blobs())))))


@st.composite
def filing_walks(draw: st.DrawFn) -> tuple[Filing, list[DomainEvent]]:
    """A filing and its events, walked mostly along the expected answers to its end."""
    procedure = draw(online_procedures())
    at: dt.datetime = draw(aware_datetimes())
    filing, events = start(
        filing_id="zalo:u:1", channel="zalo", user_id="u", procedure=procedure, at=at
    )
    for _ in range(draw(st.integers(0, 40))):
        if filing.stage is Stage.CANCELLED:
            break
        command = _guided(draw, filing, procedure)
        try:
            filing, more = handle(filing, command, procedure=procedure, at=at)
        except FilingRefused:
            continue
        events += more
    return filing, events


@st.composite
def filings(draw: st.DrawFn) -> Filing:
    """Filings reached by a walk of commands from :func:`tthc_core.filing.start`."""
    procedure = draw(online_procedures())
    at: dt.datetime = draw(aware_datetimes())
    filing, _ = start(filing_id="zalo:u:1", channel="zalo", user_id="u", procedure=procedure, at=at)
    for command in draw(st.lists(filing_commands(), max_size=12)):
        try:
            filing, _ = handle(filing, command, procedure=procedure, at=at)
        except FilingRefused:
            continue
    return attrs.evolve(filing, version=draw(st.integers(0, 5)))


def payment_notices() -> st.SearchStrategy[PaymentNotice]:
    """Credited transfers: content naming a dossier code, or anything."""
    return st.builds(
        PaymentNotice,
        st.from_regex(r"FT[0-9]{10}", fullmatch=True),
        st.integers(1, 10_000_000),
        st.one_of(dossier_codes().map(str), st.text(max_size=40)),
        aware_datetimes(),
    )


def payments() -> st.SearchStrategy[Payment]:
    """Recorded payments of every outcome."""
    return st.builds(
        Payment,
        notice=payment_notices(),
        outcome=st.sampled_from(PaymentOutcome),
        dossier_code=st.one_of(st.none(), dossier_codes()),
        recorded_at=aware_datetimes(),
        requested_vnd=st.one_of(st.none(), st.integers(0, 10_000_000)),
    )


@st.composite
def ratings(draw: st.DrawFn) -> Rating:
    """Ratings of dossiers and cases, answered part of the way or fully."""
    topic = draw(st.sampled_from(RatingTopic))
    subject = str(draw(dossier_codes()))
    at: dt.datetime = draw(aware_datetimes())
    rating = Rating(key=f"zalo:u:{subject}", topic=topic, subject=subject, asked_at=at)
    for answer in draw(st.lists(st.sampled_from(("1", "2", "3")), max_size=5)):
        rating = rating.answer(answer, at) or rating
    return rating


def _documents() -> st.SearchStrategy[FilingDocument]:
    return st.builds(
        FilingDocument, blobs(), st.one_of(st.none(), st.integers(0, 4)), aware_datetimes()
    )


REGISTRY: dict[type, Any] = {
    Blob: blobs(),
    Identity: identities(),
    Filing: filings(),
    FilingDocument: _documents(),
    Command: filing_commands(),
    PaymentNotice: payment_notices(),
    Payment: payments(),
    Rating: ratings(),
    EResult: st.builds(
        EResult,
        dossier_code=dossier_codes(),
        result_code=st.from_regex(r"[0-9]{1,4}/[A-Z]{2,6}", fullmatch=True),
        blob=blobs().map(lambda b: attrs.evolve(b, media_type="application/pdf")),
        issued_at=aware_datetimes(),
    ),
    FeeAccount: st.builds(
        FeeAccount, st.just("970415"), st.from_regex(r"[0-9]{6,12}", fullmatch=True)
    ),
}
