"""Mutation testing of tthc_core, one module at a time against the tests that cover it.

``nox -s mutate`` (or ``python -m bench.mutation [module ...]``; set ``TTHC_SHARED`` if the
conformance material is not in ``../shared``) runs mutmut on
each module of :data:`MODULES` with only the test files mapped to it, in a
scratch copy of the repository (mutmut writes a ``mutants/`` tree; the worktree
is never touched), and records killed / survived / total per module in
``bench/results/mutation.json`` (merged with earlier runs, so modules can be run
a few at a time). The copy puts ``mutants/src`` first on ``PYTHONPATH``: the
editable install would otherwise import the unmutated package.

Goal (issue 15): at least 95% of mutants killed in the core's rule modules.
Survivors that only change an error message's wording are counted as survivors
too; ``mutmut results`` in the scratch copy lists them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "mutation.json"

#: Module -> the test files that pin its rules (kept small, so a module runs in minutes).
MODULES: dict[str, list[str]] = {
    "src/tthc_core/codes.py": [
        "tests/test_codes.py",
        "tests/test_codes_errors.py",
        "tests/test_mutation_boundaries.py",
    ],
    "src/tthc_core/receipt/_vietqr.py": [
        "tests/test_receipt_vietqr.py",
        "tests/test_mutation_boundaries.py",
    ],
    "src/tthc_core/receipt/_payload.py": [
        "tests/test_receipt_payload.py",
        "tests/test_review_receipt.py",
        "tests/test_mutation_boundaries.py",
    ],
    "src/tthc_core/storage/_outbox.py": [
        "tests/test_storage_drain_bound.py",
        "tests/test_outbox_outcomes.py",
        "tests/test_outbox_undeliverable.py",
        "tests/test_storage_units.py",
        "tests/test_mutation_boundaries.py",
        "tests/test_storage_contract.py",
    ],
    "src/tthc_core/delivery/_standard.py": [
        "tests/test_delivery_rules.py",
        "tests/test_mutation_boundaries.py",
    ],
    "src/tthc_core/delivery/_tracking.py": [
        "tests/test_delivery_rules.py",
        "tests/test_delivery_stateful.py",
        "tests/test_review_delivery.py",
        "tests/test_mutation_boundaries.py",
    ],
    "src/tthc_core/complaint/_law.py": [
        "tests/test_complaint_law.py",
        "tests/test_complaint_lifecycle.py",
        "tests/test_complaint_extension.py",
        "tests/test_complaint_escalation.py",
        "tests/test_review_complaint.py",
        "tests/test_complaint_law_table.py",
        "tests/test_mutation_boundaries.py",
    ],
    "src/tthc_core/dossier/_decide.py": [
        "tests/test_dossier_intake.py",
        "tests/test_dossier_sheet.py",
        "tests/test_dossier_supplement.py",
        "tests/test_dossier_transfer.py",
        "tests/test_dossier_results.py",
        "tests/test_review_dossier.py",
        "tests/test_mutation_boundaries.py",
    ],
    "src/tthc_core/calendar/_deadlines.py": [
        "tests/test_calendar_deadlines.py",
        "tests/test_calendar_rules.py",
        "tests/test_calendar_same_day.py",
        "tests/test_calendar_announced.py",
        "tests/test_calendar_provisional_display.py",
        "tests/test_calendar_deadline_boundaries.py",
    ],
}

_COUNT = re.compile(r"^\s*(?P<n>\d+) (?P<status>\w[\w ]*)$")


def _scratch(module: str, tests: list[str]) -> Path:
    work = Path(tempfile.mkdtemp(prefix="tthc-mutate-")) / "repo"
    shutil.copytree(ROOT / "src", work / "src")
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("downstream"))
    # The conformance material lies beside the repository (tests/_shared.py); mutmut runs
    # the tests from mutants/, whose parent is the scratch copy.
    shared = Path(os.environ.get("TTHC_SHARED", ROOT.parent / "shared"))
    if shared.is_dir():
        (work / "shared").symlink_to(shared)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    files = sorted(set(tests))
    config = {
        "paths_to_mutate": [module],
        "tests_dir": files,
        "also_copy": ["src"],
        "pytest_add_cli_args": ["-p", "no:xdist", "-p", "no:randomly"],
    }
    lines = ["", "[tool.mutmut]"] + [f"{k} = {json.dumps(v)}" for k, v in config.items()]
    (work / "pyproject.toml").write_text(text + "\n".join(lines) + "\n", encoding="utf-8")
    return work


def run_module(module: str, tests: list[str], timeout: float) -> dict[str, object]:
    """Mutate ``module``, run ``tests`` against each mutant; the counts by outcome."""
    work = _scratch(module, tests)
    (work / "mutants" / "src").mkdir(parents=True)  # on PYTHONPATH from the start
    env = {**os.environ, "PYTHONPATH": str(work / "mutants" / "src"), "CI": "true"}
    mutmut = [sys.executable, "-m", "mutmut"]
    started = time.monotonic()
    try:
        subprocess.run(  # noqa: S603 - our interpreter, our repository
            [*mutmut, "run"],
            cwd=work,
            env=env,
            check=False,
            capture_output=True,
            timeout=timeout,
        )
        finished = True
    except subprocess.TimeoutExpired:
        finished = False
    listed = subprocess.run(  # noqa: S603
        [*mutmut, "results", "--all", "true"],
        cwd=work,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    ).stdout
    counts: dict[str, int] = {}
    for line in listed.splitlines():
        status = line.rsplit(": ", 1)[-1].strip() if ": " in line else ""
        if status:
            counts[status] = counts.get(status, 0) + 1
    killed = counts.get("killed", 0)
    checked = killed + counts.get("survived", 0) + counts.get("timeout", 0)
    shutil.rmtree(work.parent, ignore_errors=True)
    return {
        "tests": tests,
        "mutants": sum(counts.values()),
        "killed": killed,
        "survived": counts.get("survived", 0),
        "timeout": counts.get("timeout", 0),
        "not_checked": counts.get("not checked", 0),
        "no_tests": counts.get("no tests", 0),
        "score": round(killed / checked, 4) if checked else None,
        "seconds": round(time.monotonic() - started, 1),
        "finished": finished,
    }


def main(argv: list[str]) -> None:
    """Run the named modules (default: every module of :data:`MODULES`)."""
    timeout = float(os.environ.get("TTHC_MUTATE_TIMEOUT", "600"))
    modules = argv or list(MODULES)
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    per_module = results.setdefault("modules", {})
    for module in modules:
        outcome = run_module(module, MODULES[module], timeout)
        per_module[module] = outcome
        print(module, outcome["killed"], "/", outcome["mutants"], "score", outcome["score"])
        results["tool"] = "mutmut 3 (scratch copy per module, mapped tests only)"
        results["goal"] = "score >= 0.95 in the core's rule modules"
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
