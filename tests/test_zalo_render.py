"""Channel-neutral replies as Zalo cs message bodies (reference zalo-oa.md §1.5)."""

from __future__ import annotations

import pytest

from tthc_adapters.zalo._render import cs_message, reply_of
from tthc_core.conversation import Button, Buttons, Image, Link, Text, to_payload
from tthc_core.errors import InvalidInput

CHOICE = Buttons("Chọn cách nhận", (Button("Bưu điện", "Bưu điện 000.43.31.H15-261123-0001"),))


def test_buttons_are_oa_query_show_actions_whose_payload_comes_back_as_text() -> None:
    assert cs_message(CHOICE) == {
        "text": "Chọn cách nhận",
        "attachment": {
            "type": "template",
            "payload": {
                "buttons": [
                    {
                        "title": "Bưu điện",
                        "type": "oa.query.show",
                        "payload": "Bưu điện 000.43.31.H15-261123-0001",
                    }
                ]
            },
        },
    }


def test_without_buttons_the_choices_are_lines_to_type() -> None:
    assert cs_message(CHOICE, buttons=False) == {
        "text": "Chọn cách nhận\n- Bưu điện: gõ “Bưu điện 000.43.31.H15-261123-0001”"
    }


def test_images_links_and_texts() -> None:
    image = cs_message(Image("https://cdn.test/a.png", "Mã QR"))
    assert image["attachment"]["payload"]["elements"] == [
        {"media_type": "image", "url": "https://cdn.test/a.png"}
    ]
    assert cs_message(Link("https://dichvucong.gov.vn", "Cổng DVC")) == {
        "text": "Cổng DVC\nhttps://dichvucong.gov.vn"
    }
    assert cs_message(Text("Xin chào")) == {"text": "Xin chào"}


def test_an_outbox_payload_without_a_reply_is_its_text() -> None:
    assert reply_of({"user_id": "u", "text": "Xin chào"}) == Text("Xin chào")
    assert reply_of({"user_id": "u", "text": "x", "reply": to_payload(CHOICE)}) == CHOICE
    with pytest.raises(InvalidInput):
        reply_of({"user_id": "u"})
