"""The one-stop desk's service layer: use cases over the storage ports.

Functions here orchestrate the pure aggregates (dossier, complaint case,
shipment) inside a :class:`~tthc_core.storage.UnitOfWork` the caller opens and
commits — the service layer of cosmicpython's architecture. They read no
clock: the instant comes in as ``at``.

* :func:`receive_dossier`, :func:`act` — the desk's and officers' actions;
  followers are notified through the outbox (:func:`notify_followers`).
* :func:`answer_chat` — a citizen's chat message: status look-up by code,
  receipt QR scan (links the account), return choice, service feedback;
  look-ups spend the sender's :class:`LookupBudget` (a port) when one is given.
* :func:`choose_return_channel`, :func:`record_tracking` — postal return.
* :func:`converse` (behind :func:`answer_chat`), :func:`take_photo` — the
  citizen's conversation (:mod:`tthc_core.conversation`): filing by chat,
  the postal return with the postage shown, catalogue questions; what the
  desk cannot answer waits for staff (:func:`awaiting_staff`,
  :func:`reply_as_staff`); a case's answer reaches the chat account that
  filed it (:func:`notify_case_sender`). :mod:`tthc_core.desk.replies` — the
  channel-neutral replies.
* :func:`read_filing`, :func:`file_open311` — a report posted by a client
  application through Open311 becomes a case.
* :func:`take_in`, :func:`intake_handler` — an online dossier filed elsewhere
  (the national portal, chat) enters the intake queue once, keeping its
  source's reference (:class:`InboundFiling`); :func:`pull_portal` fetches,
  stores and acknowledges the portal's.
* :func:`route_to_filing`, :func:`attach_file` — online filing in chat
  (:mod:`tthc_core.filing`); the desk's commands on an online dossier reach
  its filer (receipt, supplement list, refusal, VietQR fee request).
* :func:`issue_e_result`, :func:`open_e_result` — electronic results sent
  as tag-protected download links.
* :func:`record_payment`, :func:`reconciliation` — fee payments reported by
  the payment platform: status 6 left exactly once; the rest for an officer.
* :mod:`tthc_core.desk.messages` — every text a citizen reads (Vietnamese, NFC).
"""

from __future__ import annotations

from tthc_core.desk import messages, replies
from tthc_core.desk._budget import LookupBudget
from tthc_core.desk._chat import MAX_CODES_PER_MESSAGE, answer_chat
from tthc_core.desk._config import (
    Desk,
    DossierNotFound,
    FeeAccount,
    PostageQuotes,
    ShipmentUnknown,
    UnknownProcedure,
)
from tthc_core.desk._conversation import converse, take_photo
from tthc_core.desk._dossiers import act, load_dossier, notify_followers, receive_dossier
from tthc_core.desk._filing import applicant_of, awaits_file, open_filing, route_to_filing
from tthc_core.desk._filing_inputs import FilingFiles, answer_file, attach_file, verify_identity
from tthc_core.desk._inbound import (
    INBOUND_FILINGS,
    InboundFiling,
    IntakeRequest,
    filing_of,
    intake_handler,
    read_intake,
    take_in,
)
from tthc_core.desk._intents import (
    BadCode,
    ChooseReturn,
    GiveFeedback,
    Help,
    Intent,
    LookUp,
    ScanReceipt,
    read_intent,
)
from tthc_core.desk._numbering import find_dossier, numbered_at_receipt
from tthc_core.desk._open311 import (
    FilingRefused,
    Open311Filing,
    UnknownService,
    file_open311,
    read_filing,
)
from tthc_core.desk._payments import (
    PAYMENTS,
    Payment,
    PaymentNotice,
    PaymentOutcome,
    reconciliation,
    record_payment,
)
from tthc_core.desk._portal_pull import PullReport, intake_source, pull_portal
from tthc_core.desk._postal import (
    POSTAL_CHANNEL,
    PostalReturnBooked,
    cancel_postal_return,
    choose_return_channel,
    postal_order_of,
    record_tracking,
)
from tthc_core.desk._ratings import RATINGS, answer_rating, ask_after_case, ask_rating
from tthc_core.desk._receipts import receipt_for
from tthc_core.desk._results import (
    E_RESULTS,
    RESULT_PATH,
    EResult,
    issue_e_result,
    open_e_result,
    result_link,
)
from tthc_core.desk._staff import (
    ConversationNotFound,
    awaiting_staff,
    notify_case_sender,
    queue_replies,
    reply_as_staff,
)

__all__ = [
    "E_RESULTS",
    "INBOUND_FILINGS",
    "MAX_CODES_PER_MESSAGE",
    "PAYMENTS",
    "POSTAL_CHANNEL",
    "RATINGS",
    "RESULT_PATH",
    "BadCode",
    "ChooseReturn",
    "ConversationNotFound",
    "Desk",
    "DossierNotFound",
    "EResult",
    "FeeAccount",
    "FilingFiles",
    "FilingRefused",
    "GiveFeedback",
    "Help",
    "InboundFiling",
    "IntakeRequest",
    "Intent",
    "LookUp",
    "LookupBudget",
    "Open311Filing",
    "Payment",
    "PaymentNotice",
    "PaymentOutcome",
    "PostageQuotes",
    "PostalReturnBooked",
    "PullReport",
    "ScanReceipt",
    "ShipmentUnknown",
    "UnknownProcedure",
    "UnknownService",
    "act",
    "answer_chat",
    "answer_file",
    "answer_rating",
    "applicant_of",
    "ask_after_case",
    "ask_rating",
    "attach_file",
    "awaiting_staff",
    "awaits_file",
    "cancel_postal_return",
    "choose_return_channel",
    "converse",
    "file_open311",
    "filing_of",
    "find_dossier",
    "intake_handler",
    "intake_source",
    "issue_e_result",
    "load_dossier",
    "messages",
    "notify_case_sender",
    "notify_followers",
    "numbered_at_receipt",
    "open_e_result",
    "open_filing",
    "postal_order_of",
    "pull_portal",
    "queue_replies",
    "read_filing",
    "read_intake",
    "read_intent",
    "receipt_for",
    "receive_dossier",
    "reconciliation",
    "record_payment",
    "record_tracking",
    "replies",
    "reply_as_staff",
    "result_link",
    "route_to_filing",
    "take_in",
    "take_photo",
    "verify_identity",
]
