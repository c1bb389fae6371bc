"""The portal's 14-digit timestamp ``yyyyMMddHHmmss`` in Vietnam time (reference §6).

Three codebases agree on the format (OpenCPS, Thanh Hóa, Hà Giang); the
24-hour ``HH`` matters (TH-PAY's ``hh`` is a pitfall, §17). Naive datetimes
are refused; an aware one in any zone is converted to Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import datetime as dt

from tthc_core.calendar import VN_TZ
from tthc_core.errors import InvalidInput

__all__ = ["format_stamp", "parse_stamp"]

_FORMAT = "%Y%m%d%H%M%S"


def format_stamp(value: dt.datetime | None) -> str:
    """``yyyyMMddHHmmss`` in Vietnam time; ``""`` for ``None``."""
    if value is None:
        return ""
    if value.utcoffset() is None:
        raise InvalidInput(f"refusing naive datetime {value!r}: the portal needs Vietnam time")
    return value.astimezone(VN_TZ).strftime(_FORMAT)


def parse_stamp(text: str) -> dt.datetime | None:
    """The aware instant of a 14-digit stamp read as Vietnam time; ``None`` for ``""``."""
    if text == "":
        return None
    if len(text) != 14 or not text.isdigit():
        raise InvalidInput(f"portal timestamp must be 14 digits yyyyMMddHHmmss, got {text!r}")
    return dt.datetime.strptime(text, _FORMAT).replace(tzinfo=VN_TZ)
