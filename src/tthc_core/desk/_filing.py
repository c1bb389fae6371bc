"""Online filing in chat: the one hook that opens, resumes and routes a filing.

:func:`route_to_filing` is the whole chat wiring: called first for each text
message, it routes every message to the sender's open filing, answers the
open rating question (:mod:`._ratings`) and ``nộp hồ sơ`` / ``nop ho so`` /
``nộp trực tuyến`` (with or without a procedure's name), and returns ``None``
for anything else so the other intents answer. What arrives besides text —
a file, a verified identity — goes through :mod:`._filing_inputs`.

A sender's filings are found through a :class:`ChatFilings` record keyed by the
chat account (``channel:user``): the one open filing, if any, and how many
were started. On ``đồng ý`` the desk allocates the dossier code and registers
the dossier online in status 1, "Mới đăng ký" (:func:`tthc_core.dossier.submit`,
Decree 61/2018 Art. 17(2)); the sender follows it (a
:class:`~tthc_core.links.CitizenLink`) and gets the submission notice at once.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from tthc_core.calendar import Duration, to_local
from tthc_core.catalogue import Procedure
from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.desk._config import Desk
from tthc_core.desk._dossiers import act
from tthc_core.desk._numbering import find_dossier
from tthc_core.desk._ratings import answer_rating
from tthc_core.dossier import (
    Channel,
    DossierState,
    ReceiveSupplement,
    ResubmitDossier,
    submit,
)
from tthc_core.filing import (
    AskReuse,
    AskVerified,
    Attach,
    Cancel,
    Command,
    Confirm,
    Filing,
    FilingRefused,
    Reuse,
    Stage,
    Submit,
    SupplementSent,
    document_of,
    handle,
    prompt,
    read_reply,
    start,
)
from tthc_core.filing import _texts as tx
from tthc_core.links import CitizenLink
from tthc_core.party import Applicant
from tthc_core.portal import record_change
from tthc_core.storage import UnitOfWork
from tthc_core.storage.kinds import CHAT_FILINGS, DOSSIERS, FILINGS, ChatFilings
from tthc_core.text import fold

__all__ = [
    "APPLICANT_FIELDS",
    "applicant_of",
    "awaits_file",
    "open_filing",
    "route_to_filing",
    "step_filing",
    "supplementing_filing",
]

_START = re.compile(r"^(nop ho so|nop truc tuyen|nop ho so truc tuyen|nop)\b\s*(.*)$")
_CANCEL = re.compile(r"^(huy|huy bo|thoi)$")
#: The e-form fields read as the applicant's name and identity number, first answered first.
APPLICANT_FIELDS = (
    ("nguoi_khai_ho_ten", "nguoi_yeu_cau_ho_ten", "nguoi_nop_ho_ten", "ho_ten"),
    ("nguoi_khai_dinh_danh", "nguoi_yeu_cau_dinh_danh", "nguoi_nop_dinh_danh", "so_dinh_danh"),
)
_MAX_LISTED = 8


def _key(desk: Desk, user_id: str) -> str:
    return f"{desk.chat_channel}:{user_id}"


def _cursor(uow: UnitOfWork, desk: Desk, user_id: str) -> ChatFilings:
    found = uow.repository(CHAT_FILINGS).get(_key(desk, user_id))
    return found or ChatFilings(key=_key(desk, user_id))


def open_filing(uow: UnitOfWork, desk: Desk, user_id: str) -> Filing | None:
    """The sender's filing still in dialogue (not submitted, not cancelled), if any."""
    cursor = _cursor(uow, desk, user_id)
    filing = None if cursor.current is None else uow.repository(FILINGS).get(cursor.current)
    return filing if filing is not None and filing.stage.is_open else None


def awaits_file(uow: UnitOfWork, desk: Desk, user_id: str) -> bool:
    """Whether a file the sender sends now belongs to a filing (open, or supplementing)."""
    return (open_filing(uow, desk, user_id) or supplementing_filing(uow, desk, user_id)) is not None


def route_to_filing(  # noqa: PLR0911 - one return per case
    uow: UnitOfWork, desk: Desk, *, user_id: str, text: str, at: dt.datetime
) -> list[str] | None:
    """The replies if ``text`` belongs to online filing; ``None`` to let other intents answer.

    Args:
        uow: The open unit of work (the caller commits; the caller deduplicates the event).
        desk: The desk.
        user_id: The chat account.
        text: The message.
        at: When it was received.
    """
    at = to_local(at)
    key = fold(" ".join(text.split())).strip(" .!?")
    asked = _START.match(key)
    filing = open_filing(uow, desk, user_id) or supplementing_filing(uow, desk, user_id)
    if filing is not None:
        if asked and not asked.group(2):
            return [_prompt(uow, filing)]  # resumed, days later or not
        procedure = _procedure(uow, filing)
        command = read_reply(filing, procedure, text)
        return step_filing(uow, desk, filing, command, at, procedure=procedure)
    rated = answer_rating(uow, desk, user_id=user_id, text=text, at=at)
    if rated is not None:  # the answer to the rating question asked after a result
        return rated
    cursor = _cursor(uow, desk, user_id)
    if cursor.choosing:
        if _CANCEL.match(key):
            _save_cursor(uow, attrs.evolve(cursor, choosing=False))
            return [tx.chosen_cancelled()]
        return _choose(uow, desk, cursor, user_id, key, at=at)
    if asked:
        if asked.group(2):
            return _choose(uow, desk, cursor, user_id, asked.group(2), at=at)
        _save_cursor(uow, attrs.evolve(cursor, choosing=True))
        return [tx.choose_procedure(_listed(_online(uow)))]
    return None


def supplementing_filing(uow: UnitOfWork, desk: Desk, user_id: str) -> Filing | None:
    """The sender's latest submitted filing the desk asked to supplement, if any."""
    cursor = _cursor(uow, desk, user_id)
    for filing_id in reversed(cursor.submitted):
        filing = uow.repository(FILINGS).get(filing_id)
        if filing is not None and filing.stage is Stage.SUPPLEMENTING:
            return filing
    return None


def _save_cursor(uow: UnitOfWork, cursor: ChatFilings) -> None:
    uow.repository(CHAT_FILINGS).save(cursor)


def _online(uow: UnitOfWork) -> list[Procedure]:
    return [p for p in uow.catalogue.all() if p.files_online]


def _listed(procedures: list[Procedure]) -> list[tuple[str, str]]:
    return [(str(p.code), p.name) for p in procedures[:_MAX_LISTED]]


def _matches(procedures: list[Procedure], key: str) -> list[Procedure]:
    by_code = [p for p in procedures if fold(str(p.code)) == key]
    if by_code:
        return by_code
    words = key.split()
    exact = [p for p in procedures if fold(p.name) == key]
    return exact or [
        p for p in procedures if words and all(w in fold(p.name).split() for w in words)
    ]


def _choose(
    uow: UnitOfWork, desk: Desk, cursor: ChatFilings, user_id: str, key: str, *, at: dt.datetime
) -> list[str]:
    found = _matches(_online(uow), key)
    if not found:  # not a procedure: let the next message be anything again
        if cursor.choosing:
            _save_cursor(uow, attrs.evolve(cursor, choosing=False))
        return [tx.no_procedure()]
    if len(found) > 1:
        _save_cursor(uow, attrs.evolve(cursor, choosing=True))
        return [tx.several_procedures(_listed(found))]
    procedure = found[0]
    filing_id = f"{cursor.key}:{cursor.started + 1}"
    filing, events = start(
        filing_id=filing_id,
        channel=desk.chat_channel,
        user_id=user_id,
        procedure=procedure,
        at=at,
    )
    saved = uow.repository(FILINGS).save(filing, events)
    _save_cursor(
        uow, attrs.evolve(cursor, choosing=False, current=filing_id, started=cursor.started + 1)
    )
    return [tx.started(procedure), prompt(saved, procedure)]


def _procedure(uow: UnitOfWork, filing: Filing) -> Procedure:
    procedure = uow.catalogue.get(filing.procedure_code)
    if procedure is None:  # withdrawn from the catalogue mid-dialogue: keep what was asked
        return Procedure(
            code=ProcedureCode.parse(str(filing.procedure_code)),
            name=str(filing.procedure_code),
            sector="",
            processing_time=Duration.working_days(1),
        )
    return procedure


def _prompt(uow: UnitOfWork, filing: Filing) -> str:
    return prompt(filing, _procedure(uow, filing))


def step_filing(  # noqa: PLR0911 - one return per outcome
    uow: UnitOfWork,
    desk: Desk,
    filing: Filing,
    command: Command,
    at: dt.datetime,
    *,
    procedure: Procedure | None = None,
) -> list[str]:
    """Apply one citizen command to ``filing``; the replies (a refusal is a Vietnamese reply)."""
    procedure = procedure or _procedure(uow, filing)
    if isinstance(command, AskVerified):
        if desk.identity is None:
            return [tx.no_identity_provider()]
        return [tx.verify_at(desk.identity.login_url(filing.filing_id))]
    if isinstance(command, AskReuse):
        found = _reuse(uow, filing, procedure)
        if isinstance(found, str):
            return [found]
        command = found
    code = None
    if isinstance(command, Confirm):
        if filing.stage is not Stage.CONFIRM:
            return [_prompt(uow, filing)]
        day = to_local(at).date()
        code = DossierCode(desk.agency, day, uow.sequences.next_sequence(desk.agency, day))
        command = Submit(code)
    try:
        changed, events = handle(filing, command, procedure=procedure, at=at)
    except FilingRefused as refused:
        return [refused.reason_vi]
    saved = uow.repository(FILINGS).save(changed, events) if events else changed
    if code is not None:
        _submit_dossier(uow, desk, saved, procedure, code, at=at)
    if any(isinstance(e, SupplementSent) for e in events) and saved.dossier_code is not None:
        return [_supplied(uow, desk, saved.dossier_code, at=at)]
    if isinstance(command, Cancel):
        return [tx.chosen_cancelled()]
    if isinstance(command, Attach) and saved.stage is not Stage.DOCUMENTS:
        return [tx.file_received()]
    return [prompt(saved, procedure)]


def _supplied(uow: UnitOfWork, desk: Desk, code: DossierCode, *, at: dt.datetime) -> str:
    """The supplement is in: the dossier goes back to the desk or its clock runs again.

    Decree 61/2018 Art. 17(1a) (resubmitted at intake) and Art. 19(4) (the
    complete dossier is back; the regime's rule decides restart or pause).
    """
    dossier = find_dossier(uow, code)
    if dossier is not None and dossier.state is DossierState.INCOMPLETE_AT_INTAKE:
        act(uow, desk, code, ResubmitDossier(), at=at)
    elif dossier is not None and dossier.state is DossierState.AWAITING_SUPPLEMENT:
        act(uow, desk, code, ReceiveSupplement(), at=at)
    return tx.supplement_received(code)


def _reuse(uow: UnitOfWork, filing: Filing, procedure: Procedure) -> Reuse | str:
    """The same document from the sender's latest submitted filing that has it."""
    name = document_of(procedure, filing.document_index).name
    cursor = uow.repository(CHAT_FILINGS).get(f"{filing.channel}:{filing.user_id}")
    for filing_id in reversed(cursor.submitted if cursor else ()):
        earlier = uow.repository(FILINGS).get(filing_id)
        earlier_procedure = None if earlier is None else uow.catalogue.get(earlier.procedure_code)
        if earlier is None or earlier_procedure is None or earlier.dossier_code is None:
            continue
        for document in earlier.documents:
            slot = document.slot
            if (
                slot is not None
                and slot < len(earlier_procedure.documents)
                and earlier_procedure.documents[slot].name == name
            ):
                return Reuse(document.blob, earlier.dossier_code)
    return tx.nothing_to_reuse(name)


def applicant_of(filing: Filing) -> Applicant:
    """The applicant as the filing names them (:data:`APPLICANT_FIELDS`, else the identity)."""
    answers = filing.answer_map
    identity = filing.identity
    name = next((answers[f] for f in APPLICANT_FIELDS[0] if f in answers), None)
    number = next((answers[f] for f in APPLICANT_FIELDS[1] if f in answers), None)
    if identity is not None and identity.full_name:
        name = identity.full_name
    if identity is not None and identity.subject:
        number = identity.subject
    return Applicant(
        name=name or "Người nộp hồ sơ trực tuyến",
        phone=None if identity is None else identity.phone,
        identity_number=number,
    )


def _submit_dossier(
    uow: UnitOfWork,
    desk: Desk,
    filing: Filing,
    procedure: Procedure,
    code: DossierCode,
    *,
    at: dt.datetime,
) -> None:
    dossier, events = submit(
        code=code,
        procedure=procedure,
        applicant=applicant_of(filing),
        channel=Channel.ONLINE,
        at=at,
        return_channel=filing.return_channel or procedure.returns[0],
    )
    saved = uow.repository(DOSSIERS).save(dossier, events)
    record_change(uow, saved, desk.portal_targets)
    phone = None if filing.identity is None else filing.identity.phone
    uow.links.link(CitizenLink(filing.channel, filing.user_id, code, at, phone))
    cursor = _cursor(uow, desk, filing.user_id)
    _save_cursor(
        uow, attrs.evolve(cursor, current=None, submitted=(*cursor.submitted, filing.filing_id))
    )
