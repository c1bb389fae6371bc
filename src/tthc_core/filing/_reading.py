"""read_reply: a chat message, read as the command the open question expects.

Read with or without diacritics (:func:`tthc_core.text.fold`). Whatever the
stage, ``hủy`` cancels; the rest depends on the open question.
"""

from __future__ import annotations

import re

from tthc_core.catalogue import Procedure
from tthc_core.errors import InvalidInput
from tthc_core.filing import _commands as c
from tthc_core.filing._lookup import chat_return_channels
from tthc_core.filing._model import Filing, Identity, Stage
from tthc_core.party import normalise_phone
from tthc_core.text import fold

__all__ = ["read_reply"]

_CANCEL = re.compile(r"^(huy|huy bo|huy ho so|thoi|dung lai nop)$")
_SKIP = re.compile(r"^(bo qua|khong co|bo)$")
_NEXT = re.compile(r"^(xong|tiep|tiep tuc|da gui xong|het|da du)$")
_REUSE = re.compile(r"^(dung lai|su dung lai|lay lai|dung ban cu)$")
_CONFIRM = re.compile(r"^(dong y|xac nhan|nop|nop ho so|ok|co|dung)$")
_SHOW = re.compile(r"^(nop ho so|nop truc tuyen|tiep tuc nop|xem lai)$")


def read_reply(  # noqa: PLR0911 - one return per reading
    filing: Filing, procedure: Procedure, text: str
) -> c.Command:
    """The command ``text`` means for the open question of ``filing``."""
    key = fold(" ".join(text.split())).strip(" .!?")
    if _CANCEL.match(key):
        return c.Cancel()
    stage = filing.stage
    if stage is Stage.CONFIRM and _CONFIRM.match(key):
        return c.Confirm()
    if _SHOW.match(key):
        return c.Show()
    if stage in (Stage.FORM, Stage.DOCUMENTS) and _SKIP.match(key):
        return c.Skip()
    if stage in (Stage.DOCUMENTS, Stage.SUPPLEMENTING) and _NEXT.match(key):
        return c.Next()
    if stage is Stage.DOCUMENTS and _REUSE.match(key):
        return c.AskReuse()
    if stage is Stage.IDENTITY and key in ("vneid", "dinh danh dien tu", "xac thuc"):
        return c.AskVerified()
    if stage is Stage.IDENTITY:
        try:
            return c.GiveIdentity(Identity(normalise_phone(text)))
        except InvalidInput:
            return c.Answer(text)
    if stage is Stage.RETURN:
        for number, channel in enumerate(chat_return_channels(procedure), 1):
            if key in (str(number), fold(channel.label_vi)):
                return c.ChooseReturn(channel)
    return c.Answer(text)
