"""Catalogue questions in chat: "làm khai sinh cần giấy tờ gì".

Matched by :func:`tthc_core.conversation.match_procedures` against the
desk's catalogue (a unit-of-work port): one procedure → its documents, fee,
time limit, where to file and online level; several → a short list as
buttons (each sends "Thủ tục <code>", read back here); none → ``None``, and
the caller hands the question to staff.
"""

from __future__ import annotations

from tthc_core.conversation import MAX_CONTENT_CHARS, Reply, match_procedures
from tthc_core.desk import replies
from tthc_core.desk._config import Desk
from tthc_core.storage import UnitOfWork

__all__ = ["answer_catalogue"]


def answer_catalogue(uow: UnitOfWork, desk: Desk, text: str) -> list[Reply] | None:
    """The catalogue's answer to ``text``, or ``None`` when it has none."""
    found = match_procedures(text[:MAX_CONTENT_CHARS], uow.catalogue.all())
    procedure = found.unique
    if procedure is not None:
        return replies.procedure_answer(procedure, where=f"{desk.unit}, {desk.agency_name}")
    if found.procedures:
        return [replies.procedure_choices(found.procedures)]
    return None
