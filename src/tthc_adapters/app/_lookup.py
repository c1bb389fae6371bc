"""What the status page shows for a path: the public status, and details for a genuine QR.

The receipt QR opens ``https://<lookup base>/<code>/<version>.<key id>.<tag>``
(:class:`~tthc_core.receipt.ReceiptCodec`, all upper case); dropping the last
segment gives ``https://<lookup base>/<code>``, what a typed code opens.

* A code alone shows the public :class:`~tthc_core.dossier.StatusView`:
  state, national status, holder unit, due time, timeliness — no name, phone
  or address (tthc's privacy rule).
* A code with a tag that verifies (:meth:`ReceiptCodec.verify`,
  ``grants_details``) adds the procedure's name, the applicant's name masked
  to initials, and the control sheet's rows (Phiếu kiểm soát, Circular
  01/2018/TT-VPCP Art. 11 and Mẫu 05): units, times and each step's result.
  Never a phone number or an address; officers are not named.
* A tag that does not verify shows the verdict only — not the status, and not
  whether the code exists: the store is not even read, so an unknown code with
  a made-up tag answers exactly like a real code with a spoilt one, in shape
  and in time (issue 9: a scan learns nothing from tags it cannot sign).
"""

from __future__ import annotations

import datetime as dt
import functools
import string

import attrs

from tthc_core.calendar import Deadlines
from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.desk import Desk, find_dossier
from tthc_core.dossier import Dossier, StatusView, Timeliness
from tthc_core.receipt import Verdict
from tthc_core.regime import Form
from tthc_core.storage import Store
from tthc_core.text import nfc

__all__ = [
    "Found",
    "LookupPath",
    "Malformed",
    "NotFound",
    "SheetRow",
    "StatusDetails",
    "Stored",
    "Unverified",
    "judge_path",
    "look_up",
    "mask_name",
    "present",
    "read_dossier",
    "split_path",
]

_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def mask_name(name: str) -> str:
    """A name reduced to its first word and initials: ``"Nguyễn Thị Hương"`` → ``"Nguyễn T. H."``.

    A one-word name becomes its initial alone, so the full name never shows.

    Args:
        name: The applicant's full name.
    """
    words = nfc(name).split()
    if not words:
        return ""
    initials = [f"{w[0].upper()}." for w in words[1:]]
    if not initials:
        return f"{words[0][0].upper()}."
    return " ".join([words[0], *initials])


@attrs.frozen
class SheetRow:
    """One control-sheet row as the status page shows it (no officer names).

    Args:
        sequence: The row number, from 1.
        from_unit: The unit handing over (Giao).
        to_unit: The unit receiving (Nhận).
        handed_at: When the dossier changed hands.
        due_at: When the receiving unit's step is due.
        completed_at: When that unit handed it on, if it has.
        result: Early / on time / late, or in time / overdue while open.
        due_provisional: ``due_at`` crosses a year whose calendar is not
            announced yet ("dự kiến").
    """

    sequence: int
    from_unit: str
    to_unit: str
    handed_at: dt.datetime
    due_at: dt.datetime
    completed_at: dt.datetime | None
    result: Timeliness
    due_provisional: bool = False


@attrs.frozen
class StatusDetails:
    """What a genuine receipt QR adds to the public status.

    Args:
        procedure_name: The procedure (tên thủ tục hành chính).
        applicant: The applicant's name, masked (:func:`mask_name`).
        sheet_title: The control sheet's form number and title under the dossier's regime.
        control_sheet: The control sheet's rows.
    """

    procedure_name: str
    applicant: str
    sheet_title: str
    control_sheet: tuple[SheetRow, ...]


@attrs.frozen
class LookupPath:
    """A status-page path split into its parts (upper case).

    Args:
        code: The dossier-code segment.
        suffix: The ``<version>.<key id>.<tag>`` segment, if present.
    """

    code: str
    suffix: str | None = None


@attrs.frozen
class Malformed:
    """The code segment is not a dossier code.

    Args:
        error: What is wrong (``error.part`` names the part).
    """

    error: InvalidDossierCode


@attrs.frozen
class NotFound:
    """No dossier with this code is stored here."""

    code: DossierCode


@attrs.frozen
class Unverified:
    """A QR path whose tag does not verify: the verdict, nothing about the dossier.

    Args:
        code: The code as written in the path.
        verdict: Why the tag does not verify.
    """

    code: DossierCode
    verdict: Verdict


@attrs.frozen
class Found:
    """A stored dossier's status, with details if the tag verified.

    Args:
        view: The public status.
        verdict: ``VALID`` for a verified tag, or ``None`` for a code alone.
        details: Present exactly when the verdict is VALID.
    """

    view: StatusView
    verdict: Verdict | None = None
    details: StatusDetails | None = None


#: The longest code segment whose parse is kept (a code is about 30 characters).
_KEPT_CODE_LEN = 64


@functools.lru_cache(maxsize=4096)
def _parse_kept(text: str) -> DossierCode:
    return DossierCode.parse(text)


def _parse_code(text: str) -> DossierCode:
    """:meth:`DossierCode.parse`, its results for short segments kept (codes are immutable;
    a refusal is never kept, so it costs the same each time)."""
    return _parse_kept(text) if len(text) <= _KEPT_CODE_LEN else DossierCode.parse(text)


def split_path(path: str, prefix: str) -> LookupPath | None:
    """The parts of a status-page path, matched ASCII-case-insensitively; ``None`` if it is not one.

    Args:
        path: The request path, such as ``/hs/000.00.15.H12-240307-0005``.
        prefix: The lookup base's path (``""`` or ``"/HS"``), upper case.
    """
    # ASCII only, as the codec reads it: str.upper would fold 'ſ' into 'S'.
    upper = path.translate(_ASCII_UPPER)
    if not upper.startswith(prefix + "/"):
        return None
    segments = upper[len(prefix) + 1 :].split("/")
    if segments[-1] == "" and len(segments) > 1:  # a trailing slash
        segments.pop()
    if len(segments) > 2 or not segments[0]:
        return None
    return LookupPath(segments[0], segments[1] if len(segments) == 2 else None)


def look_up(
    store: Store, desk: Desk, path: LookupPath, at: dt.datetime
) -> Found | NotFound | Malformed | Unverified:
    """What the status page shows for ``path`` at ``at``.

    Args:
        store: The store (one read-only unit of work).
        desk: The desk (codec and keys).
        path: The split path.
        at: The instant of the look-up, for timeliness.
    """
    read = read_dossier(store, desk, path)
    if not isinstance(read, Stored):
        return read
    return present(read, at, desk.deadlines)


@attrs.frozen
class Stored:
    """A stored dossier a status path names, and the verdict on its tag.

    Args:
        dossier: The dossier (its ``version`` names the committed state read).
        verdict: ``VALID`` for a verified tag, or ``None`` for a code alone.
    """

    dossier: Dossier
    verdict: Verdict | None


def read_dossier(
    store: Store, desk: Desk, path: LookupPath
) -> Stored | NotFound | Malformed | Unverified:
    """The dossier ``path`` names, read only once its code parses and its tag (if any) verifies.

    A tag that does not verify is judged before the store is read (module docstring).

    Args:
        store: The store (one read-only unit of work).
        desk: The desk (codec and keys).
        path: The split path.
    """
    judged = judge_path(desk, path)
    if not isinstance(judged, tuple):
        return judged
    code, verdict = judged
    with store.read_only() as uow:
        dossier = find_dossier(uow, code)  # its submission or its receipt code
    return NotFound(code) if dossier is None else Stored(dossier, verdict)


def judge_path(
    desk: Desk, path: LookupPath
) -> tuple[DossierCode, Verdict | None] | Malformed | Unverified:
    """The code ``path`` names and the verdict on its tag (``None``: no tag), without the store.

    Args:
        desk: The desk (codec and keys).
        path: The split path.
    """
    try:
        code = _parse_code(path.code)
    except InvalidDossierCode as exc:
        return Malformed(exc)
    if path.suffix is None:
        return code, None
    verdict = desk.codec.verify(f"{desk.codec.status_url(code)}/{path.suffix}", desk.keys).verdict
    return (code, verdict) if verdict is Verdict.VALID else Unverified(code, verdict)


def present(stored: Stored, at: dt.datetime, deadlines: Deadlines) -> Found:
    """What a stored dossier's status page shows at ``at`` (details for a verified tag).

    Args:
        stored: The dossier read and its verdict.
        at: The instant of the look-up (never before the dossier's last event).
        deadlines: The agency's calendar ("dự kiến" due times).
    """
    dossier, verdict = stored.dossier, stored.verdict
    at = max(at, dossier.last_event_at)
    view = dossier.public_status(at, deadlines=deadlines)
    if verdict is None:
        return Found(view)
    return Found(view, verdict, _details(dossier, at, deadlines))


def _details(dossier: Dossier, at: dt.datetime, deadlines: Deadlines) -> StatusDetails:
    rows = tuple(
        SheetRow(
            sequence=e.sequence,
            from_unit=e.from_unit,
            to_unit=e.to_unit,
            handed_at=e.handed_at,
            due_at=e.due_at,
            completed_at=e.completed_at,
            result=result,
            due_provisional=deadlines.is_provisional(e.handed_at, e.due_at),
        )
        for e, result in zip(dossier.sheet.entries, dossier.step_timeliness(at), strict=True)
    )
    return StatusDetails(
        procedure_name=dossier.procedure_name,
        applicant=mask_name(dossier.applicant.name),
        sheet_title=dossier.form_label(Form.CONTROL_SHEET),
        control_sheet=rows,
    )
