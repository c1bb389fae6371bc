"""Chat parsing does bounded, linear work per message (issue 9: one message stalled the service).

``_without_code`` used to try every window of words when the code came late
(~45,000 extractions, 4.5-10 s for a 3.6 KB "góp ý … <code>" message). The
work is measured here with a counter — the characters handed to the code
module's normaliser and to its code-finding expression — never a clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_core import codes
from tthc_core.codes import DossierCode, extract_dossier_codes, locate_dossier_codes
from tthc_core.desk import Desk, GiveFeedback, LookUp, read_intent
from tthc_core.desk._intents import MAX_MESSAGE_CHARS
from tthc_core.receipt import ReceiptCodec

CODE = "000.00.15.H12-240307-0005"
#: Characters scanned per character of the message: a constant, whatever the message.
WORK_PER_CHAR = 6


class _Counting:
    """Wraps the code-finding expression, counting the characters it is run over."""

    def __init__(self, pattern: re.Pattern[str], meter: list[int]) -> None:
        self._pattern = pattern
        self._meter = meter

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        self._meter[0] += len(text)
        return self._pattern.finditer(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)


@pytest.fixture
def codec(desk: Desk) -> ReceiptCodec:
    return desk.codec


@pytest.fixture
def meter(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted = [0]
    normalise = codes._normalise

    def counting_normalise(text: str) -> str:
        counted[0] += len(text)
        return normalise(text)

    monkeypatch.setattr(codes, "_normalise", counting_normalise)
    monkeypatch.setattr(codes, "_IN_TEXT", _Counting(codes._IN_TEXT, counted))
    return counted


# Pieces a hostile or rambling message is built from: words, code fragments,
# whole codes (spaced or not), separators, Vietnamese and full-width text.
_PIECES = st.sampled_from(
    [
        "góp ý",
        "phản ánh",
        "thủ tục",
        "chậm",
        "1",
        "2",
        "000.",
        "00.",
        "15.",
        "H12",
        "-",
        "240307",
        "0005",
        CODE,
        CODE.lower(),
        "000 . 00 . 15 . H12 - 240307 - 0005",
        "１２３",
        "–",
        ".",
        "ma ho so",
        "\n",
    ]
)
_LONG_TEXT = st.lists(_PIECES, min_size=1, max_size=1500).map(" ".join)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_LONG_TEXT | st.text(min_size=1, max_size=5000))
def test_reading_a_message_scans_each_character_a_bounded_number_of_times(
    meter: list[int], codec: ReceiptCodec, text: str
) -> None:
    meter[0] = 0
    read_intent(text, codec)
    assert meter[0] <= WORK_PER_CHAR * min(len(text), MAX_MESSAGE_CHARS) + 100


def test_the_late_code_of_issue_9_costs_a_few_scans_not_45000(
    meter: list[int], codec: ReceiptCodec
) -> None:
    text = "góp ý " + "thủ tục chậm " * 300 + CODE
    intent = read_intent(text, codec)
    assert isinstance(intent, GiveFeedback)
    assert intent.code == DossierCode.parse(CODE)
    assert intent.content == ("thủ tục chậm " * 300).strip()
    assert meter[0] <= WORK_PER_CHAR * len(text)


def test_only_the_first_max_message_chars_are_read(codec: ReceiptCodec) -> None:
    late = "x" * MAX_MESSAGE_CHARS + " " + CODE
    assert not isinstance(read_intent(late, codec), LookUp)
    early = "x" * (MAX_MESSAGE_CHARS - len(CODE) - 1) + " " + CODE
    assert read_intent(early, codec) == LookUp((DossierCode.parse(CODE),))


@given(
    before=st.lists(st.sampled_from(["góp", "ý", "rất", "chậm", "1", "H12", "-"]), max_size=30),
    after=st.lists(st.sampled_from(["cảm", "ơn", "0005", ".", "240307"]), max_size=30),
    spaced=st.booleans(),
)
def test_located_codes_name_exactly_the_words_that_write_them(
    before: list[str], after: list[str], spaced: bool
) -> None:
    written = "000 . 00 . 15 . H12 - 240307 - 0005" if spaced else CODE
    words = [*before, *written.split(), *after]
    located = [(c, a, b) for c, a, b in locate_dossier_codes(words) if c == DossierCode.parse(CODE)]
    assert located
    _, first, stop = located[0]
    assert DossierCode.parse(CODE) in extract_dossier_codes(" ".join(words[first:stop]))
    # no shorter run of the same words writes the code
    for a, b in ((first + 1, stop), (first, stop - 1)):
        assert DossierCode.parse(CODE) not in extract_dossier_codes(" ".join(words[a:b]))


def test_words_that_normalise_to_several_words_are_located_word_by_word() -> None:
    words = ["\ufdfa", CODE, "ok"]  # NFKC turns U+FDFA into four words
    assert locate_dossier_codes(words) == [(DossierCode.parse(CODE), 1, 2)]
