"""attrs validators shared by the core's types; each says what is wrong.

Use them in your own attrs types too::

    name: str = attrs.field(validator=non_blank)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from tthc_core.errors import InvalidInput

__all__ = ["aware", "non_blank", "non_negative", "positive"]


def non_blank(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    """The text must hold something other than white space."""
    if not value.strip():
        raise InvalidInput(f"{attribute.name} must not be blank")


def non_negative(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    """The number must be zero or more."""
    if value < 0:
        raise InvalidInput(f"{attribute.name} must not be negative, got {value}")


def positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    """The number must be at least 1."""
    if value < 1:
        raise InvalidInput(f"{attribute.name} must be at least 1, got {value}")


def aware(_: object, attribute: attrs.Attribute[Any], value: dt.datetime | None) -> None:
    """The datetime, if given, must carry a UTC offset (the core never guesses a zone)."""
    if value is not None and value.utcoffset() is None:
        raise InvalidInput(f"{attribute.name} must be an aware datetime, got {value!r}")
