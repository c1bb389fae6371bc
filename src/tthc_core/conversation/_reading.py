"""Reading a citizen's text in the context of the conversation's step.

Words are compared folded (:func:`tthc_core.text.fold`), so ``hủy``,
``huy`` and ``HỦY`` are the same answer. Button payloads are written here
(:data:`CONFIRM`, :data:`CANCEL`, …) and read back here, so a tap and the
same words typed are one answer.
"""

from __future__ import annotations

import re

from tthc_core.complaint import CaseKind
from tthc_core.conversation._decide import (
    Cancel,
    ChangeAddress,
    ChooseKind,
    Command,
    Confirm,
    GiveText,
)
from tthc_core.conversation._table import Step
from tthc_core.text import fold, nfc

__all__ = [
    "CANCEL",
    "CHANGE_ADDRESS",
    "CONFIRM",
    "KIND_PAYLOADS",
    "filing_start",
    "is_greeting",
    "read_answer",
]

#: What the buttons send (and what a citizen may type).
CONFIRM = "Xác nhận"
CANCEL = "Hủy"
CHANGE_ADDRESS = "Đổi địa chỉ"
KIND_PAYLOADS = {
    CaseKind.SERVICE_FEEDBACK: "Góp ý",
    CaseKind.PETITION: "Phản ánh, kiến nghị",
    CaseKind.COMPLAINT: "Khiếu nại",
    CaseKind.DENUNCIATION: "Tố cáo",
}

_WORD = re.compile(r"[a-z0-9]+")
_CANCEL = frozenset({"huy", "huy bo", "thoi", "cancel", "huy yeu cau", "khong gui", "dung lai"})
_CONFIRM = frozenset(
    {"xac nhan", "dong y", "ok", "oke", "co", "yes", "gui", "xac nhan gui", "dong y gui"}
)
_CHANGE = frozenset({"doi dia chi", "dia chi khac", "thay doi dia chi", "sua dia chi"})
_KINDS = (
    (CaseKind.SERVICE_FEEDBACK, ("1", "gop y")),
    (CaseKind.PETITION, ("2", "phan anh kien nghi", "phan anh", "kien nghi")),
    (CaseKind.COMPLAINT, ("3", "khieu nai", "don khieu nai")),
    (CaseKind.DENUNCIATION, ("4", "to cao", "don to cao")),
)
_GREETINGS = frozenset(
    {
        "chao",
        "xin chao",
        "hello",
        "hi",
        "alo",
        "help",
        "tro giup",
        "huong dan",
        "menu",
        "cam on",
        "thanks",
        "chao ban",
        "chao ad",
        "hi ad",
    }
)
#: A message of at most this many words that names a kind starts filing that kind.
_START_WORDS = 6
_START = re.compile(
    r"^(?:toi |em |minh )?(?:muon |can |xin )?(?:gui |nop |lam )?(?:don )?"
    r"(gop y|phan anh kien nghi|phan anh|kien nghi|khieu nai|to cao)\b"
)
_LETTER = re.compile(r"(?:toi |em |minh )?(?:muon |can )?(?:gui|nop|viet) (?:don|don thu|thu)")
_START_KIND = {
    "gop y": CaseKind.SERVICE_FEEDBACK,
    "phan anh kien nghi": CaseKind.PETITION,
    "phan anh": CaseKind.PETITION,
    "kien nghi": CaseKind.PETITION,
    "khieu nai": CaseKind.COMPLAINT,
    "to cao": CaseKind.DENUNCIATION,
}


def _folded(text: str) -> str:
    return " ".join(_WORD.findall(fold(text[:200])))


def read_answer(text: str, step: Step) -> Command | None:  # noqa: PLR0911 - one per answer
    """The command ``text`` answers at ``step`` (``None``: not an answer to it).

    ``hủy`` cancels at any step but idle. At the confirmation steps only
    yes, cancel (and "đổi địa chỉ" for the post) are answers; at the kind
    step a kind (its number or name); at the text steps any text.
    """
    folded = _folded(text)
    if step is Step.IDLE:
        return None
    if folded in _CANCEL:
        return Cancel()
    if step in (Step.FILING_CONFIRM, Step.RETURN_CONFIRM):
        if folded in _CONFIRM:
            return Confirm()
        if step is Step.RETURN_CONFIRM and folded in _CHANGE:
            return ChangeAddress()
        return None
    if step is Step.FILING_KIND:
        for kind, words in _KINDS:
            if folded in words:
                return ChooseKind(kind)
        return None
    if not nfc(text).strip():
        return None
    return GiveText(text[:4000])


def filing_start(text: str) -> tuple[CaseKind | None, str] | None:
    """``(kind, rest)`` if ``text`` starts filing: "khiếu nại", "tôi muốn tố cáo …".

    ``rest`` is the content already written when the message is longer than a
    few words (``""`` otherwise). "gửi đơn" starts filing without a kind
    (``None``: the citizen is asked). ``None`` when the text starts no filing.
    """
    folded = _folded(text)
    if _LETTER.fullmatch(folded):
        return None, ""
    match = _START.match(folded)
    if match is None:
        return None
    kind = _START_KIND[match.group(1)]
    if len(folded.split()) <= _START_WORDS:
        return kind, ""
    return kind, nfc(text).strip()


def is_greeting(text: str) -> bool:
    """A greeting or a call for help (answered with the help text, not sent to staff)."""
    folded = _folded(text)
    return not folded or folded in _GREETINGS or folded in ("?", "")
