"""Issue 17: the closing note in docs/portal.md shows the golden bodies exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
BLOCK = re.compile(r"<!-- golden: (\w+) -->\n```json\n(.*?)\n```", re.S)


def test_every_golden_body_is_in_the_docs_unchanged() -> None:
    docs = (ROOT / "docs" / "portal.md").read_text(encoding="utf-8")
    shown = {name: json.loads(body) for name, body in BLOCK.findall(docs)}
    golden = ROOT / "tests" / "fixtures" / "portal"
    files = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in golden.glob("*.json")}
    assert shown == files
