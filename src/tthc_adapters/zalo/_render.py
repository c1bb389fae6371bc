"""Channel-neutral replies as Zalo cs messages (reference zalo-oa.md §1.4-1.5).

* :class:`~tthc_core.conversation.Text` → ``message.text``;
* :class:`~tthc_core.conversation.Buttons` → the text with a template
  attachment of buttons, each ``{"title", "type": "oa.query.show",
  "payload": <text>}``: the tap sends ``payload`` back as the citizen's
  message (shown in the chat), which the desk reads like typed text;
* :class:`~tthc_core.conversation.Image` → a ``media`` template with the image URL;
* :class:`~tthc_core.conversation.Link` → the title and URL as text (an
  ``oa.open.url`` button needs a template the cs endpoint may not take).

Uncertain (§1.5, §8 item 3): whether v3 cs accepts buttons and how a tap is
reported were not verified on a real OA; an OA that refuses them answers
``-201``/``-233``, and :func:`cs_message` with ``buttons=False`` (the
:class:`~tthc_adapters.zalo.ZaloSender` setting) sends the plain text, in
which every choice is a line the citizen can type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tthc_core.conversation import Buttons, Image, Link, Reply, Text, as_text, from_payload
from tthc_core.errors import InvalidInput

__all__ = ["cs_message", "reply_of"]


def reply_of(payload: Mapping[str, Any]) -> Reply:
    """The reply an outbox chat payload carries (its plain ``text`` if it has no ``reply``).

    Raises:
        InvalidInput: If the payload holds neither.
    """
    if "reply" in payload:
        return from_payload(payload["reply"])
    text = payload.get("text")
    if not isinstance(text, str):
        raise InvalidInput("the chat message has no 'text' string")
    return Text(text)


def cs_message(reply: Reply, *, buttons: bool = True) -> dict[str, Any]:
    """The ``message`` object of a ``/v3.0/oa/message/cs`` body for ``reply``."""
    match reply:
        case Buttons(text, choices) if buttons:
            actions = [
                {"title": b.title, "type": "oa.query.show", "payload": b.payload} for b in choices
            ]
            return {
                "text": text,
                "attachment": {"type": "template", "payload": {"buttons": actions}},
            }
        case Image(url, caption):
            element = {"media_type": "image", "url": url}
            payload = {"template_type": "media", "elements": [element]}
            return {"text": caption, "attachment": {"type": "template", "payload": payload}}
        case Text() | Buttons() | Link():
            return {"text": as_text(reply)}
