"""The domain core stays pure, and its test strategies are wired into Hypothesis.

* Importing ``tthc_core`` and every submodule (``tthc_core.testing`` excepted)
  loads no test framework, no holiday data, no adapter and no I/O library, in a
  fresh interpreter (``sys.modules`` is the evidence, transitive imports included).
* The import-linter contracts in ``pyproject.toml`` hold.
* ``st.from_type(T)`` works for every registered type in a fresh interpreter,
  through the ``hypothesis`` entry point alone.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = (
    "hypothesis",
    "pytest",
    "_pytest",
    "holidays",
    "tthc_adapters",
    "httpx",
    "psycopg",
    "psycopg_pool",
    "segno",
    "qrcode",
    "zxingcpp",
    "PIL",
    "fpdf",
    "starlette",
    "uvicorn",
    "vietnam_provinces",
    "sqlite3",
    "zoneinfo",
    "asyncio",
    "subprocess",
    "socket",
    "random",
    "secrets",
    "uuid",
)

IMPORT_EVERYTHING = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    import tthc_core

    imported = []

    def walk(package):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if info.name == "tthc_core.testing":
                continue
            module = importlib.import_module(info.name)
            imported.append(info.name)
            if info.ispkg:
                walk(module)

    walk(tthc_core)
    loaded = sorted({name.split(".")[0] for name in sys.modules})
    print(json.dumps({"imported": imported, "loaded": loaded}))
    """
)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_the_core_imports_no_framework_adapter_or_io_library() -> None:
    result = _run(IMPORT_EVERYTHING)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "tthc_core.calendar._index" in report["imported"]
    assert "tthc_core.serialization" in report["imported"]
    assert not any(m.startswith("tthc_core.testing") for m in report["imported"])
    assert sorted(set(FORBIDDEN) & set(report["loaded"])) == []


def test_import_linter_contracts_hold() -> None:
    executable = shutil.which("lint-imports") or shutil.which(
        "lint-imports", path=str(Path(sys.executable).parent)
    )
    if executable is None:
        pytest.skip("lint-imports (import-linter) is not installed")
    result = subprocess.run(  # noqa: S603 - the installed import-linter
        [executable, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_hypothesis_entry_point_is_declared() -> None:
    points = importlib.metadata.entry_points(group="hypothesis")
    assert "tthc_core.testing._plugin:_hypothesis_setup_hook" in {p.value for p in points}


FROM_TYPE_EVERYWHERE = textwrap.dedent(
    """
    import json
    from hypothesis import HealthCheck, given, settings, strategies as st
    # Nothing here registers a strategy: the entry point ran when hypothesis was imported.
    from tthc_core.testing.strategies import _REGISTRIES

    def check(cls):
        members = [m for m in vars(cls) if not m.startswith("_")]

        @settings(max_examples=3, database=None, derandomize=True, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.from_type(cls))
        def draw(value):
            if getattr(cls, "_is_protocol", False):
                assert all(hasattr(value, m) for m in members), (cls, value)
            else:
                assert isinstance(value, cls), (cls, value)

        draw()

    checked = []
    for registry in _REGISTRIES:
        for cls in registry:
            check(cls)
            checked.append(f"{cls.__module__}.{cls.__qualname__}")
    print(json.dumps(checked))
    """
)


def test_from_type_works_for_every_registered_type_through_the_entry_point() -> None:
    result = _run(FROM_TYPE_EVERYWHERE)
    assert result.returncode == 0, result.stderr
    checked = set(json.loads(result.stdout))
    for expected in (
        "tthc_core.calendar._deadlines.Deadlines",
        "tthc_core.calendar._index.WorkingCalendar",
        "tthc_core.catalogue.Procedure",
        "tthc_core.codes.DossierCode",
        "tthc_core.party.Applicant",
        "tthc_core.party.PostalAddress",
        "tthc_core.regime.Regime",
    ):
        assert expected in checked


def test_strategies_import_before_hypothesis_without_a_cycle() -> None:
    # Importing our strategies first imports Hypothesis, whose entry point
    # imports our strategies again: that must not fail half-way.
    code = (
        "import tthc_core.testing.strategies\n"
        "from hypothesis import strategies as st\n"
        "from tthc_core.codes import DossierCode\n"
        "assert isinstance(st.from_type(DossierCode).example(), DossierCode)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # noqa: S603
