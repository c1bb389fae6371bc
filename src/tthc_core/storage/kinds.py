"""The stored kinds of tthc's own aggregates: dossiers, complaint cases, shipments.

Each kind names the aggregate's key and the columns the desk looks it up by:

* dossiers by code (the key), by the applicant's phone, and the overdue
  queue of dossiers still in processing by their promised return time
  (Decree 61/2018 Art. 19: the due time on the receipt, Mẫu 01);
* complaint, petition and denunciation cases by id, by the dossier they
  concern and by the sender's phone, and the overdue queue by
  :func:`tthc_core.complaint.due_in_queue` (open cases by the end of their
  current statutory period, and decisions not yet sent by the end of Art. 32's
  limit) — the same instant :func:`tthc_core.complaint.overdue` filters on;
* postal shipments by reference and by dossier, and the queue of shipments
  in the post by their expected delivery (Decision 45/2016/QĐ-TTg Art. 13);
* chat conversations by ``channel:user_id``, and the queue of those waiting
  for staff by the time they started waiting (their "due" instant: staff owe
  an answer from then on), oldest first;
* the chat account that filed a case, by case id (to send it the answer).

This module imports the aggregates; :mod:`tthc_core.storage` itself does not,
so storage works without them.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.complaint import Case, due_in_queue
from tthc_core.conversation import CaseContact, Conversation
from tthc_core.delivery import FINAL_STATES, Shipment
from tthc_core.dossier import Dossier
from tthc_core.filing import Filing
from tthc_core.sign_ins import SignInLog
from tthc_core.storage._kinds import AggregateKind, Index

__all__ = [
    "CASE_CONTACTS",
    "CHAT_FILINGS",
    "COMPLAINTS",
    "CONVERSATIONS",
    "DOSSIERS",
    "FILINGS",
    "SHIPMENTS",
    "SIGN_INS",
    "ChatFilings",
]


#: The indexed due instant is the first instant an aggregate is overdue
#: (``Repository.due_by`` is inclusive). A dossier's due time is the promised
#: return time, which is itself still on time (Circular 01/2018/TT-VPCP Art. 13;
#: :func:`tthc_core.dossier.classify_open`), so it joins the queue one tick later.
_TICK = dt.timedelta(microseconds=1)


def _dossier_index(dossier: Dossier) -> Index:
    processing = dossier.finished_at is None and not dossier.is_final
    return Index(
        state=dossier.state.value,
        due_at=dossier.due_at + _TICK if processing and dossier.due_at is not None else None,
        dossier_code=str(dossier.code),
        phone=dossier.applicant.phone,
    )


def _case_index(case: Case) -> Index:
    return Index(
        state=case.state.value,
        due_at=due_in_queue(case),  # the one definition the in-memory queue uses too
        dossier_code=None if case.dossier_code is None else str(case.dossier_code),
        phone=None if case.sender is None else case.sender.phone,
    )


def _shipment_index(shipment: Shipment) -> Index:
    return Index(
        state=shipment.state.value,
        due_at=None if shipment.state in FINAL_STATES else shipment.expected_by,
        dossier_code=str(shipment.dossier_code),
    )


#: Dossiers (hồ sơ), keyed by their first code: an online dossier received on a
#: later day keeps its submission code as its key (``submitted_as``) and is
#: indexed (``dossier_code``) under the receipt day's code (Circular 01/2018 Art. 19).
DOSSIERS: AggregateKind[Dossier] = AggregateKind(
    "dossier", Dossier, key=lambda d: str(d.submitted_as or d.code), index=_dossier_index
)
#: Feedback, petitions, complaints and denunciations, keyed by case id.
COMPLAINTS: AggregateKind[Case] = AggregateKind(
    "complaint", Case, key=lambda c: c.case_id, index=_case_index
)
#: Postal shipments of results, keyed by their reference.
SHIPMENTS: AggregateKind[Shipment] = AggregateKind(
    "shipment", Shipment, key=lambda s: s.reference, index=_shipment_index
)


def _conversation_index(conversation: Conversation) -> Index:
    return Index(state=conversation.step.value, due_at=conversation.waiting_since)


#: Chat conversations, keyed by ``channel:user_id``; due while they wait for staff.
CONVERSATIONS: AggregateKind[Conversation] = AggregateKind(
    "conversation", Conversation, key=lambda c: c.key, index=_conversation_index
)
#: The chat account that filed a case, keyed by case id.
CASE_CONTACTS: AggregateKind[CaseContact] = AggregateKind(
    "case_contact", CaseContact, key=lambda c: c.case_id
)
#: Staff sign-in logs (the login events of the audit trail), keyed by user name.
SIGN_INS: AggregateKind[SignInLog] = AggregateKind("staff_sign_in", SignInLog, key=lambda s: s.key)


def _filing_index(filing: Filing) -> Index:
    return Index(
        state=filing.stage.value,
        dossier_code=None if filing.dossier_code is None else str(filing.dossier_code),
        phone=None if filing.identity is None else filing.identity.phone,
    )


#: Online filings in chat (the dialogue), keyed ``channel:user:n``; by the dossier filed.
FILINGS: AggregateKind[Filing] = AggregateKind(
    "filing", Filing, key=lambda f: f.filing_id, index=_filing_index
)


@attrs.frozen(kw_only=True)
class ChatFilings:
    """One chat account's filings: the one in dialogue, those submitted, and whether it is
    choosing a procedure (``nộp hồ sơ`` asked, no procedure named yet).

    Args:
        key: ``channel:user``.
        current: The filing in dialogue, if any.
        started: How many filings the account started (numbers the next one).
        submitted: The submitted filings, oldest first.
        choosing: Whether the next message names the procedure.
        rating: The rating the account was asked and has not finished.
    """

    key: str
    current: str | None = None
    started: int = 0
    submitted: tuple[str, ...] = ()
    choosing: bool = False
    rating: str | None = None
    version: int = 0


#: Each chat account's filings (see :class:`ChatFilings`), keyed ``channel:user``.
CHAT_FILINGS: AggregateKind[ChatFilings] = AggregateKind(
    "chat_filings", ChatFilings, key=lambda c: c.key
)
