"""Each deliberately broken copy of the store fails the contract test aimed at its bug."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tthc_downstream.broken_store import BUGS

SUITE = Path(__file__).with_name("test_dict_store_contract.py")


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_the_broken_copy_fails_its_contract(bug: str) -> None:
    env = {**os.environ, "TTHC_DOWNSTREAM_BUG": bug}
    done = subprocess.run(  # noqa: S603 - our own interpreter on our own suite
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-k",
            "not the_day_ends",
            str(SUITE),
        ],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout[-2000:]
    failed = {
        line.split("::")[-1].split(" ")[0]
        for line in done.stdout.splitlines()
        if line.startswith("FAILED")
    }
    assert BUGS[bug] in failed, done.stdout[-2000:]
