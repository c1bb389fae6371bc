"""Chat parsing alone: ``read_intent`` on the worst 4,000-character messages we know.

Issue 9's target: the worst message of 4,000 characters read in < 10 ms (a
3.6 KB "góp ý … <code>" message took 4.5-10 s before). Each message is read
many times and its median kept; the figure reported is the slowest message's
median. The peer, measured in the same run, is one diacritic fold
(:func:`tthc_core.text.fold`) of the same message — the least any reading
costs — so ``ratio_worst_vs_one_fold`` says how many folds parsing costs.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable

from tthc_adapters.bootstrap import DEMO_SETTINGS, build_desk
from tthc_core.desk import read_intent
from tthc_core.desk._intents import MAX_MESSAGE_CHARS
from tthc_core.receipt import ReceiptKey, StaticKeyRing
from tthc_core.text import fold

NAME = "chat_parse"

CODE = "000.00.15.H12-240307-0005"
SPACED = "000 . 00 . 15 . H12 - 240307 - 0005"
RUNS = 40


def _messages() -> dict[str, str]:
    rng = random.Random(20261128)
    pieces = ["góp", "ý", "1.", "H12", "-", "240307", "0005", "000.", ".", CODE, "ố"]
    return {
        name: text[:MAX_MESSAGE_CHARS]
        for name, text in {
            "feedback_code_last": "góp ý " + "thủ tục chậm " * 300 + CODE,
            "feedback_spaced_code_last": "góp ý " + "a " * 1900 + SPACED,
            "feedback_code_absent": "góp ý " + "thủ tục chậm " * 320,
            "postal_choice_then_words": "1 " + "bưu điện " * 430 + CODE,
            "many_codes": (CODE + " ") * 160,
            "many_spaced_codes": (SPACED + " ") * 115,
            "code_fragments": " ".join(rng.choice(pieces) for _ in range(1200)),
            "digits_and_dots": "1. " * 1350,
            "agency_prefixes": "1.1.1.1.H1 " * 370,
            "one_long_run_of_spaces": "H" + " " * 3990 + "1",
            "diacritics": "Nguyễn Thị Hương phản ánh " * 160,
            "full_width": "０００．００．１５．Ｈ１２－２４０３０７－０００５ " * 100,
            "random_unicode": "".join(chr(rng.randrange(32, 0x3000)) for _ in range(4000)),
        }.items()
    }


def _median_s(work: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run() -> dict[str, object]:
    """Measure each message's median read time, and one fold of it as the peer."""
    keys = StaticKeyRing([ReceiptKey("K1", b"k" * 32)])
    codec = build_desk(DEMO_SETTINGS, keys, on=dt.date(2026, 11, 28)).codec
    read_ms: dict[str, float] = {}
    fold_ms: dict[str, float] = {}
    per_message: dict[str, dict[str, object]] = {}
    for name, text in _messages().items():
        read_ms[name] = _median_s(lambda text=text: read_intent(text, codec)) * 1000
        fold_ms[name] = _median_s(lambda text=text: fold(text)) * 1000
        per_message[name] = {
            "chars": len(text),
            "intent": type(read_intent(text, codec)).__name__,
            "read_ms_p50": round(read_ms[name], 3),
            "one_fold_ms_p50": round(fold_ms[name], 3),
        }
    worst = max(read_ms, key=read_ms.__getitem__)
    return {
        "target": "worst 4,000-character message read in < 10 ms",
        "worst_message": worst,
        "worst_read_ms_p50": round(read_ms[worst], 3),
        "ratio_worst_vs_one_fold": round(read_ms[worst] / fold_ms[worst], 1),
        "meets_target": read_ms[worst] < 10.0,
        "messages": per_message,
    }
