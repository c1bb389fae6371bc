"""The conformance material in ../shared (beside the repository): schemas and test vectors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_file(*parts: str) -> Path:
    """A file under ../shared; outside CI a missing file skips the calling module.

    In CI (``CI=true``) the material is always laid beside the clone, so a
    missing file is an error rather than a silent skip.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI", "").lower() == "true":
            raise FileNotFoundError(f"conformance material missing in CI: {path}")
        pytest.skip(f"conformance material absent: {path}", allow_module_level=True)
    return path
