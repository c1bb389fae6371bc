"""The versioned error classifier: a table from a portal reply to what to do next.

Reference ``dvcqg-sync.md`` §9 and §15: transport errors, timeouts, 5xx and
429 are retried; 401 or an invalid session re-logs in once; "đã tồn tại"
switches an insert to an update; "không tồn tại" on an update re-inserts once;
"chưa được gửi" (not yet sent) is an ordering problem; "logic xử lý không hợp
lệ" (invalid transition), a terminal lock and a code refused for its
province prefix go to the dead letters. Success is ``error_code``
read as the integer 0. No error-code catalogue is public (§16), so message
text is matched — folded, as a fallback behind HTTP status and the code — and
anything unrecognised is retried, never treated as done.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable

import attrs

from tthc_core.portal._types import PortalReply

__all__ = ["CLASSIFIER", "CLASSIFIER_VERSION", "Action", "Rule", "classify", "fold"]

#: Bumped whenever a row of :data:`CLASSIFIER` changes; stored with each dead letter.
CLASSIFIER_VERSION = "2026-11.1"


class Action(enum.Enum):
    """What the sync engine does with a reply."""

    DONE = "done"
    RETRY = "retry"
    RELOGIN = "relogin"
    SWITCH_TO_UPDATE = "switch_to_update"
    SWITCH_TO_INSERT = "switch_to_insert"
    ORDERING = "ordering"
    DEAD_LETTER = "dead_letter"


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), for matching message text."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@attrs.frozen
class Rule:
    """One row: a name, a test on the reply, and the action."""

    name: str
    matches: Callable[[PortalReply], bool]
    action: Action


def _says(*phrases: str) -> Callable[[PortalReply], bool]:
    folded = tuple(fold(p) for p in phrases)
    return lambda reply: any(p in fold(reply.message) for p in folded)


def _status(test: Callable[[int], bool]) -> Callable[[PortalReply], bool]:
    return lambda reply: reply.http_status is not None and test(reply.http_status)


#: First matching row wins.
CLASSIFIER: tuple[Rule, ...] = (
    Rule("no answer (timeout, connection)", lambda r: r.http_status is None, Action.RETRY),
    Rule("401 unauthorised", _status(lambda s: s == 401), Action.RELOGIN),
    Rule("429 over quota", _status(lambda s: s == 429), Action.RETRY),
    Rule("5xx server error", _status(lambda s: s >= 500), Action.RETRY),
    Rule("success: error_code 0", lambda r: r.ok, Action.DONE),
    Rule("session invalid", _says("session", "phiên đăng nhập"), Action.RELOGIN),
    Rule("insert of an existing code", _says("đã tồn tại"), Action.SWITCH_TO_UPDATE),
    Rule("not yet sent (ordering)", _says("chưa được gửi"), Action.ORDERING),
    Rule("invalid transition", _says("logic xử lý không hợp lệ"), Action.DEAD_LETTER),
    Rule("update of an unknown code", _says("không tồn tại"), Action.SWITCH_TO_INSERT),
    Rule("terminal lock", _says("đã trả kết quả", "đã có kết quả"), Action.DEAD_LETTER),
    Rule("code without the province prefix", _says("không đúng mã tỉnh"), Action.DEAD_LETTER),
    Rule("403 forbidden", _status(lambda s: s == 403), Action.DEAD_LETTER),
    Rule("anything else", lambda r: True, Action.RETRY),
)


def classify(reply: PortalReply) -> tuple[Action, str]:
    """The action for ``reply`` and the name of the row that chose it."""
    for rule in CLASSIFIER:
        if rule.matches(reply):
            return rule.action, rule.name
    raise AssertionError("the last row matches everything")  # pragma: no cover
