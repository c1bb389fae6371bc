"""What a citizen's chat message asks for.

Messages are read with or without diacritics (:func:`tthc_core.text.fold`):

* a scanned receipt QR (the URL or compact form of
  :class:`~tthc_core.receipt.ReceiptCodec`) → :class:`ScanReceipt`;
* ``góp ý`` / ``phản ánh`` + a dossier code + text → :class:`GiveFeedback`;
* ``1`` / ``bưu điện`` or ``2`` / ``tại quầy``, optionally followed by a
  dossier code → :class:`ChooseReturn`;
* any text holding dossier codes → :class:`LookUp`;
* a code-shaped text that is not a valid code → :class:`BadCode`;
* anything else → :class:`Help`.
"""

from __future__ import annotations

import functools
import re

import attrs

from tthc_core.codes import (
    DossierCode,
    InvalidDossierCode,
    extract_dossier_codes,
    locate_dossier_codes,
)
from tthc_core.party import ReturnChannel
from tthc_core.receipt import InvalidReceiptPayload, ReceiptCodec, ReceiptPayload
from tthc_core.text import fold, nfc

__all__ = [
    "MAX_MESSAGE_CHARS",
    "BadCode",
    "ChooseReturn",
    "GiveFeedback",
    "Help",
    "Intent",
    "LookUp",
    "ScanReceipt",
    "read_intent",
]


@attrs.frozen
class LookUp:
    """Look up the status of these dossiers."""

    codes: tuple[DossierCode, ...]


@attrs.frozen
class ScanReceipt:
    """A receipt QR was scanned (its tag is still to be verified)."""

    payload: ReceiptPayload


@attrs.frozen
class ChooseReturn:
    """The citizen answers the result-ready prompt (``code``: the dossier they named, if any)."""

    channel: ReturnChannel
    code: DossierCode | None = None


@attrs.frozen
class GiveFeedback:
    """Service feedback about a dossier (Decree 61/2018 Art. 31: citizens rate the desk)."""

    code: DossierCode
    content: str


@attrs.frozen
class BadCode:
    """Looks like a dossier code but is not one."""

    error: InvalidDossierCode = attrs.field(eq=False)


@attrs.frozen
class Help:
    """Not understood: explain what the account does."""


Intent = LookUp | ScanReceipt | ChooseReturn | GiveFeedback | BadCode | Help

_POSTAL = re.compile(r"^(1|buu dien|buu chinh|gui buu dien|qua buu dien|gui ve nha)\b[.!:,]?")
_DESK = re.compile(
    r"^(2|tai quay|nhan tai quay|truc tiep|nhan truc tiep|mot cua|nhan tai mot cua"
    r"|nhan tai bo phan mot cua|tai bo phan mot cua)\b[.!:,]?"
)
_FEEDBACK = re.compile(
    r"^\s*(góp\s*ý|gop\s*y|phản\s*ánh|phan\s*anh|đánh\s*giá|danh\s*gia)\b[:\s]*", re.IGNORECASE
)
#: The characters of a message read (the chat webhook takes no longer text; Zalo's own
#: limit is lower): the bound that, with linear-time reading, bounds the work per message.
MAX_MESSAGE_CHARS = 4000
# The longest choice: "gửi bưu điện" and a code typed with spaces ("000 . 00 . 15 . H12 - …").
_MAX_CHOICE_CHARS = 160
_CODE_LIKE = re.compile(r"[0-9A-Za-z]{3}[.\s][0-9]{2}[.\s][0-9]{2,3}[.\s][A-Za-z][0-9]{2}")


def read_intent(text: str, codec: ReceiptCodec) -> Intent:  # noqa: PLR0911 - one per intent
    """Classify a chat message.

    Reading is linear in the message's length (each step one pass: no search
    over windows of words), and only its first :data:`MAX_MESSAGE_CHARS`
    characters are read, so no message costs more than a bounded amount of work.

    Args:
        text: The message as received (any normalisation form).
        codec: The receipt codec, to recognise scanned QR payloads.
    """
    stripped = nfc(text[:MAX_MESSAGE_CHARS]).strip()
    try:
        return ScanReceipt(codec.decode(stripped))
    except InvalidReceiptPayload:
        pass
    compact = " ".join(stripped.split())
    # A choice is its word, optionally one code: longer messages are not choices.
    folded = fold(compact) if len(compact) <= _MAX_CHOICE_CHARS else ""
    for pattern, channel in ((_POSTAL, ReturnChannel.POSTAL), (_DESK, ReturnChannel.DESK)):
        choice = pattern.match(folded)
        if choice is None:
            continue
        rest = folded[choice.end() :].strip()
        if not rest:
            return ChooseReturn(channel)
        named = extract_dossier_codes(rest)
        if len(named) == 1 and not _without_code(rest, named[0]):
            return ChooseReturn(channel, named[0])  # "1 <mã hồ sơ>": that dossier
    codes = tuple(extract_dossier_codes(stripped))
    feedback = _FEEDBACK.match(stripped)
    if feedback and codes:
        content = _without_code(stripped[feedback.end() :], codes[0])
        if content:
            return GiveFeedback(codes[0], content)
    if codes:
        return LookUp(codes)
    if _CODE_LIKE.search(stripped):
        try:
            DossierCode.parse(stripped)
        except InvalidDossierCode as error:
            return BadCode(error)
    return Help()


def _without_code(text: str, code: DossierCode) -> str:
    """The citizen's own words around the words that write ``code`` (its first occurrence).

    If ``code`` is not written in ``text``, all of ``text``'s words.
    """
    words = text.split()
    for found, first, stop in locate_dossier_codes(words):
        if found == code:
            return " ".join(words[:first] + words[stop:]).strip(" :-—,.")
    return " ".join(words)


@functools.lru_cache(maxsize=256)
def read_intent_once(text: str, codec: ReceiptCodec) -> Intent:
    """:func:`read_intent`, kept for the last messages: the conversation reads a message,
    then the answer reads it again (intents are immutable, so one reading serves both)."""
    return read_intent(text, codec)
