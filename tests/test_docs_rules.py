"""The page "Rules and their sources" is generated from the rule tables and kept in sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc_adapters.cli import main
from tthc_core.complaint import LAW_TABLE
from tthc_core.delivery import SERVICE_STANDARD
from tthc_core.rulebook import SOURCES, RuleRow, rules_markdown

PAGE = Path(__file__).parents[1] / "docs" / "rules.md"


def test_the_checked_in_page_is_generated_from_the_rule_tables() -> None:
    assert PAGE.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is out of date: run `tthc docs-rules`"
    )


def test_every_rule_row_is_on_the_page_with_its_citation() -> None:
    text = rules_markdown()
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    expected = sum(len(list(source())) for _, source in SOURCES)
    assert len(rows) == expected + len(SOURCES)  # plus one header per table
    assert len(rows) >= len(LAW_TABLE) + len(SERVICE_STANDARD)
    for rule in LAW_TABLE:
        assert rule.citation in text
    assert "Circular 17/2017/TT-BTTTT Art. 5(2)(h)" in text


def test_a_new_table_source_plugs_in() -> None:
    row = RuleRow("dossier", "same-day | cut-off", "2018", "0", "ngày", "15:00", "Decree X")
    text = rules_markdown([*SOURCES, ("Same-day procedures", lambda: [row])])
    assert "## Same-day procedures" in text
    assert "| dossier | same-day \\| cut-off | 2018 | 0 | ngày | 15:00 | Decree X |" in text


def test_the_cli_writes_and_checks_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "rules.md"
    assert main(["docs-rules", "--check", "--output", str(page)]) == 1
    assert main(["docs-rules", "--output", str(page)]) == 0
    assert main(["docs-rules", "--check", "--output", str(page)]) == 0
    page.write_text("stale", encoding="utf-8")
    assert main(["docs-rules", "--check", "--output", str(page)]) == 1
    assert "out of date" in capsys.readouterr().out
