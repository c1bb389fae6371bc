"""Online filing through chat (nộp hồ sơ trực tuyến): the filing dialogue aggregate.

A citizen files a procedure of the online levels một phần or toàn trình
(Decree 42/2022/NĐ-CP; electronic procedures, Decree 45/2020/NĐ-CP;
vn-one-stop-rules.md §5) through any chat: the dialogue is channel-neutral,
asks one question at a time (:func:`prompt`), can be left and resumed for
days (its state is stored; nothing depends on the time between messages),
and cancelled at any point before it is submitted (``hủy``). In order:

1. the procedure (chosen by the desk's hook, by name or code) → :func:`start`;
2. the e-form, field by field (:mod:`tthc_core.eform`);
3. the documents, one by one: photos and PDFs, checked and stored by content
   hash before they reach the aggregate (:class:`Blob`), or reused from an
   earlier dossier;
4. the identity (the shared phone, or a verified identity: :class:`Identity`);
5. the return channel the procedure allows;
6. the summary, confirmed with ``đồng ý`` → :class:`Submit` with the dossier's
   code: the dossier exists in status 1 (Mới đăng ký) and the fee, if due, is
   requested later by the desk.

After submission the desk may ask for documents, all at once
(:class:`RequestDocuments`; Decree 61/2018 Art. 17(2a), 19(4)); the citizen
answers with files and ``xong``.

Split as elsewhere in the core: :func:`decide` (pure rules), :func:`evolve`
(the state after an event), :data:`TABLE` (which command each stage takes),
:func:`handle` = both, :func:`rebuild` replays events. Invariants (stateful
tests): a file once accepted is never dropped; a filing is submitted at most once.
"""

from __future__ import annotations

from tthc_core.filing._blobs import BlobStore, DocumentCheck, DocumentRejected
from tthc_core.filing._commands import (
    Answer,
    AskReuse,
    AskVerified,
    Attach,
    Cancel,
    ChooseReturn,
    Command,
    Confirm,
    GiveIdentity,
    Next,
    RequestDocuments,
    Reuse,
    Show,
    Skip,
    Submit,
)
from tthc_core.filing._decide import decide
from tthc_core.filing._errors import FilingRefused
from tthc_core.filing._events import (
    DocumentAttached,
    DocumentsDone,
    FieldAnswered,
    FieldSkipped,
    FilingCancelled,
    FilingEvent,
    FilingStarted,
    FilingSubmitted,
    IdentityGiven,
    ReturnChosen,
    SupplementRequested,
    SupplementSent,
)
from tthc_core.filing._evolve import evolve, handle, rebuild, start
from tthc_core.filing._identity import IdentityProvider, IdentityRefused
from tthc_core.filing._lookup import chat_return_channels, document_of
from tthc_core.filing._model import Blob, Filing, FilingDocument, Identity, Stage
from tthc_core.filing._reading import read_reply
from tthc_core.filing._table import TABLE, accepts
from tthc_core.filing._texts import (
    dong,
    no_open_filing,
    prompt,
    summary,
    supplement_request,
)

__all__ = [
    "TABLE",
    "Answer",
    "AskReuse",
    "AskVerified",
    "Attach",
    "Blob",
    "BlobStore",
    "Cancel",
    "ChooseReturn",
    "Command",
    "Confirm",
    "DocumentAttached",
    "DocumentCheck",
    "DocumentRejected",
    "DocumentsDone",
    "FieldAnswered",
    "FieldSkipped",
    "Filing",
    "FilingCancelled",
    "FilingDocument",
    "FilingEvent",
    "FilingRefused",
    "FilingStarted",
    "FilingSubmitted",
    "GiveIdentity",
    "Identity",
    "IdentityGiven",
    "IdentityProvider",
    "IdentityRefused",
    "Next",
    "RequestDocuments",
    "ReturnChosen",
    "Reuse",
    "Show",
    "Skip",
    "Stage",
    "Submit",
    "SupplementRequested",
    "SupplementSent",
    "accepts",
    "chat_return_channels",
    "decide",
    "document_of",
    "dong",
    "evolve",
    "handle",
    "no_open_filing",
    "prompt",
    "read_reply",
    "rebuild",
    "start",
    "summary",
    "supplement_request",
]
