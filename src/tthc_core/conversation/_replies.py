"""Channel-neutral replies: text, buttons, an image, a link.

The desk says what to show; each channel adapter renders it (Zalo: a cs
message whose buttons are ``oa.query.show`` actions; the generic chat webhook:
:func:`as_text`). Text is Vietnamese, NFC, and at most :data:`MAX_CHARS`
characters — the Zalo cs limit (reference zalo-oa.md §1.5), measured after NFC
normalisation (§6: NFD text is longer). :func:`split` cuts a longer text
deliberately, at paragraph, line or word boundaries, never inside a word.

A button's ``payload`` is the text the citizen's tap sends back: it must be
text the desk already understands when typed (a tap and a typed answer are
the same message).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from tthc_core.errors import InvalidInput
from tthc_core.text import nfc

__all__ = [
    "MAX_BUTTONS",
    "MAX_BUTTON_TITLE",
    "MAX_CHARS",
    "Button",
    "Buttons",
    "Image",
    "Link",
    "Reply",
    "Text",
    "as_text",
    "from_payload",
    "split",
    "to_payload",
]

#: The longest message text (characters, NFC).
MAX_CHARS = 2000
#: Buttons per message (the official SDKs' cap, reference §1.5).
MAX_BUTTONS = 5
#: The longest button title (reference §1.5: button title ≤ 35).
MAX_BUTTON_TITLE = 35


_Check = Callable[[Any, "attrs.Attribute[str]", str], None]


def _fits(limit: int) -> _Check:
    def check(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
        if not value.strip():
            raise InvalidInput(f"{type(instance).__name__}.{attribute.name} must not be blank")
        if len(value) > limit:
            raise InvalidInput(
                f"{type(instance).__name__}.{attribute.name} has {len(value)} characters; "
                f"at most {limit} (split it with tthc_core.conversation.split)"
            )

    return check


@attrs.frozen
class Text:
    """A plain text message."""

    text: str = attrs.field(converter=nfc, validator=_fits(MAX_CHARS))


@attrs.frozen
class Button:
    """One choice: ``title`` is shown, ``payload`` comes back as the citizen's text."""

    title: str = attrs.field(converter=nfc, validator=_fits(MAX_BUTTON_TITLE))
    payload: str = attrs.field(converter=nfc, validator=_fits(MAX_CHARS))


def _tuple(value: Iterable[Button]) -> tuple[Button, ...]:
    return tuple(value)


def _buttons(instance: object, _: object, value: tuple[Button, ...]) -> None:
    if not 1 <= len(value) <= MAX_BUTTONS:
        raise InvalidInput(f"a message carries 1 to {MAX_BUTTONS} buttons, got {len(value)}")


@attrs.frozen
class Buttons:
    """A text with choices to tap."""

    text: str = attrs.field(converter=nfc, validator=_fits(MAX_CHARS))
    buttons: tuple[Button, ...] = attrs.field(converter=_tuple, validator=_buttons)


@attrs.frozen
class Image:
    """An image by URL, with a caption."""

    url: str = attrs.field(validator=_fits(2048))
    caption: str = attrs.field(default="", converter=nfc)


@attrs.frozen
class Link:
    """A link to open, with its title."""

    url: str = attrs.field(validator=_fits(2048))
    title: str = attrs.field(converter=nfc, validator=_fits(MAX_CHARS))


Reply = Text | Buttons | Image | Link


def as_text(reply: Reply) -> str:
    """The reply as plain text (a channel without buttons): choices become lines to type.

    Each button reads ``"- <title>: gõ “<payload>”"`` when the payload differs
    from the title, so a citizen without buttons can type the same answer.
    The result is cut to :data:`MAX_CHARS` at a line boundary.
    """
    match reply:
        case Text(text):
            return text
        case Buttons(text, buttons):
            lines = [text]
            for button in buttons:
                if button.payload.casefold() == button.title.casefold():
                    lines.append(f"- {button.title}")
                else:
                    lines.append(f"- {button.title}: gõ “{button.payload}”")
            return split("\n".join(lines))[0]
        case Image(url, caption):
            return split(f"{caption}\n{url}".strip())[0]
        case Link(url, title):
            return split(f"{title}\n{url}")[0]


def split(text: str, limit: int = MAX_CHARS) -> list[str]:
    """``text`` (NFC) in parts of at most ``limit`` characters, cut between paragraphs,
    else between lines, else between words; a single word longer than ``limit``
    is cut hard. Blank parts are dropped; joining the parts with the separator
    they were cut at gives the text back (white space at cuts aside).

    Raises:
        InvalidInput: If ``limit`` is below 1.
    """
    if limit < 1:
        raise InvalidInput(f"limit must be at least 1, got {limit}")
    text = nfc(text).strip()
    if len(text) <= limit:
        return [text] if text else []
    for separator in ("\n\n", "\n", " "):
        cut = text.rfind(separator, 0, limit + 1)
        if cut > 0:
            head = text[:cut].strip()
            if head:
                return [head, *split(text[cut + len(separator) :], limit)]
    return [text[:limit], *split(text[limit:], limit)]


def to_payload(reply: Reply) -> dict[str, object]:
    """``reply`` as JSON-ready data (an outbox payload's ``"reply"``)."""
    match reply:
        case Text(text):
            return {"type": "text", "text": text}
        case Buttons(text, buttons):
            listed = [{"title": b.title, "payload": b.payload} for b in buttons]
            return {"type": "buttons", "text": text, "buttons": listed}
        case Image(url, caption):
            return {"type": "image", "url": url, "caption": caption}
        case Link(url, title):
            return {"type": "link", "url": url, "title": title}


def _str(data: dict[str, object], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise InvalidInput(f"the reply has no {name!r} string")
    return value


def from_payload(data: object) -> Reply:
    """The reply :func:`to_payload` wrote.

    Raises:
        InvalidInput: If ``data`` is not one (the message names what is wrong).
    """
    if not isinstance(data, dict):
        raise InvalidInput("a reply payload must be a JSON object")
    kind = data.get("type")
    if kind == "text":
        return Text(_str(data, "text"))
    if kind == "buttons":
        raw = data.get("buttons")
        if not isinstance(raw, list) or not all(isinstance(b, dict) for b in raw):
            raise InvalidInput("the reply's 'buttons' must be a list of objects")
        return Buttons(
            _str(data, "text"), tuple(Button(_str(b, "title"), _str(b, "payload")) for b in raw)
        )
    if kind == "image":
        return Image(_str(data, "url"), _str(data, "caption"))
    if kind == "link":
        return Link(_str(data, "url"), _str(data, "title"))
    raise InvalidInput(f"unknown reply type {kind!r}")
