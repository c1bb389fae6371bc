"""The docs' Python code blocks run as written, so they cannot rot.

A page's blocks are assembled in order into files: a block whose first line is
``# file: NAME`` starts the file NAME, the blocks after it continue it, and
blocks before any marker form the page's script. The script runs with Python;
``test_*.py`` files run with pytest. Both run in a fresh process, in a scratch
directory that holds every file of the page (so a test file imports the module
the page built).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: Pages whose every Python block runs (the others show fragments).
RUNNABLE = ("core.md", "dossier.md", "testing.md", "adapters.md")
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
_MARKER = re.compile(r"# file: (\S+)\n")


def page_files(page: str) -> dict[str, str]:
    """The files a page's Python blocks assemble into (``page.py`` for unmarked blocks)."""
    files: dict[str, list[str]] = {}
    current = "page.py"
    for block in _BLOCK.findall((DOCS / page).read_text(encoding="utf-8")):
        marker = _MARKER.match(block)
        if marker:
            current = marker.group(1)
        files.setdefault(current, []).append(block)
    return {name: "\n\n".join(blocks) for name, blocks in files.items()}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(  # noqa: S603 - our own interpreter on our own docs
        [sys.executable, *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("page", RUNNABLE)
def test_the_pages_code_runs_as_written(page: str, tmp_path: Path) -> None:
    files = page_files(page)
    assert files, f"{page} has no Python block"
    for name, source in files.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    if "page.py" in files:
        done = _run(["page.py"], tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
    tests = sorted(name for name in files if name.startswith("test_"))
    if tests:
        done = _run(
            ["-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *tests], tmp_path
        )
        assert done.returncode == 0, done.stdout[-3000:]


def test_the_downstream_adapter_is_the_one_the_docs_build() -> None:
    # tests/downstream holds a package written from docs/adapters.md alone.
    built = page_files("adapters.md")["dict_store.py"]
    shipped = ROOT / "tests/downstream/src/tthc_downstream/dict_store.py"
    assert shipped.read_text(encoding="utf-8") == built.rstrip("\n") + "\n"
