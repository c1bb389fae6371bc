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

import ast
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.mutation_equivalents import EQUIVALENT

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "mutation.json"


def _tests(*patterns: str, but: tuple[str, ...] = ()) -> list[str]:
    """The test files matching ``patterns`` (globs under tests/), less those named in ``but``."""
    found = {
        str(path.relative_to(ROOT))
        for pattern in patterns
        for path in (ROOT / "tests").glob(pattern)
    }
    return sorted(found - {f"tests/{name}" for name in but})


_BOUNDARIES = "test_mutation_*.py"
# Every mapped set is FAST: unit and property tests of the module's own rules, seconds per
# mutant under the 'mutate' profile. The stateful machines, the browser/app/CLI tests, the
# PostgreSQL and multi-process storage tests and the long replay properties (each kills
# nothing the unit tests of the same rules leave alive, at minutes per mutant) are left out.
_CALENDAR = _tests("test_calendar_*.py", _BOUNDARIES, but=("test_calendar_cli.py",))
_COMPLAINT = _tests(
    "test_complaint_*.py",
    "test_review_complaint.py",
    _BOUNDARIES,
    but=(
        "test_complaint_stateful.py",
        "test_complaint_choices.py",
        "test_complaint_overdue_queue.py",
    ),
)
# The command and lifecycle modules: the unit tests of the commands only.
_LIFECYCLE = _tests(
    "test_complaint_lifecycle.py",
    "test_complaint_extension.py",
    "test_complaint_escalation.py",
    "test_complaint_law.py",
    "test_review_complaint.py",
    _BOUNDARIES,
)
_DELIVERY = _tests(
    "test_delivery_*.py", "test_review_delivery.py", _BOUNDARIES, but=("test_delivery_stateful.py",)
)
_DOSSIER = _tests(
    "test_dossier_*.py",
    "test_review_dossier.py",
    _BOUNDARIES,
    but=("test_dossier_stateful.py", "test_dossier_queue_queries.py"),
)
_RECEIPT = _tests("test_receipt_*.py", "test_review_receipt.py", _BOUNDARIES)
_STORAGE = [
    *_tests(
        "test_storage_kinds.py",
        "test_storage_reading.py",
        "test_storage_page.py",
        "test_storage_drain_bound.py",
        "test_outbox_*.py",
        _BOUNDARIES,
    ),
    # The contract suites against the in-memory store (SQLite/PostgreSQL add I/O, not rules).
    "tests/test_storage_contract.py::TestMemoryStore",
]

#: Tests left out of every mapped set: seconds each per mutant under the 'mutate' profile, and
#: what they check is pinned by faster tests of the same rules (a sampled holiday sweep, the
#: JSON-schema check, strategies resolving, long random histories).
SLOW = (
    "tests/test_calendar_holidays.py::test_every_start_date_2020_2035_agrees_on_a_sample_of_n",
    "tests/test_complaint_open311.py::test_a_list_of_requests_validates_against_requests_json",
    "tests/test_complaint_queue.py::test_types_resolve_with_from_type",
    "tests/test_complaint_queue.py::test_overdue_queue_is_exactly_the_expired_running_periods",
    "tests/test_complaint_queue.py::test_cases_and_events_round_trip_through_json",
    # Random command sequences over every command (13 s and 2 s a mutant).
    "tests/test_complaint_extension.py::test_once_missed_a_case_stays_counted_as_missed",
    "tests/test_complaint_extension.py::test_no_command_on_the_same_step_cures_a_missed_period",
    "tests/test_dossier_sheet.py::test_replaying_events_rebuilds_the_dossier",
    "tests/test_dossier_serialization.py::test_dossier_and_all_its_events_round_trip_through_json",
    "tests/test_dossier_timeliness.py::test_status_view_agrees_with_the_dossier",
    "tests/test_dossier_table.py::test_a_command_outside_the_table_names_state_and_command",
    "tests/test_dossier_sheet.py::test_replay_without_the_receipt_fails_or_gives_another_dossier",
    "tests/test_dossier_serialization.py::test_events_are_tagged_by_class_name",
    "tests/test_storage_kinds.py::test_the_stored_dossier_queue_agrees_with_dossier_timeliness",
    "tests/test_storage_reading.py::test_postgres_read_connections_are_read_only",
)

#: Module -> the test files that pin its rules (kept small, so a module runs in minutes).
MODULES: dict[str, list[str]] = {
    "src/tthc_core/codes.py": _tests("test_codes*.py", _BOUNDARIES),
    **{
        f"src/tthc_core/calendar/{m}.py": _CALENDAR
        for m in ("_deadlines", "_counting", "_duration", "_hours", "_index", "_certainty")
    },
    **{f"src/tthc_core/complaint/{m}.py": _LIFECYCLE for m in ("_commands", "_case", "_table")},
    **{
        f"src/tthc_core/complaint/{m}.py": _COMPLAINT
        for m in (
            "_law",
            "_rules",
            "_queue",
            "_escalation",
            "_intake",
            "_privacy",
            "_scrub",
        )
    },
    **{
        f"src/tthc_core/delivery/{m}.py": _DELIVERY
        for m in ("_standard", "_tracking", "_shipment", "_lifecycle", "_channel", "_units")
    },
    **{
        f"src/tthc_core/dossier/{m}.py": _DOSSIER
        for m in (
            "_decide",
            "_evolve",
            "_table",
            "_timing",
            "_timeliness",
            "_sheet",
            "_workflow",
            "_transfer",
            "_rules",
            "_states",
        )
    },
    **{
        f"src/tthc_core/receipt/{m}.py": _RECEIPT
        for m in ("_payload", "_vietqr", "_emv", "_keys", "_text", "_model")
    },
    **{
        f"src/tthc_core/storage/{m}.py": _STORAGE
        for m in ("_outbox", "_inbox", "_ports", "_reading", "_codec", "_kinds")
    },
}


def _score(record: dict[str, Any]) -> None:
    """(Re)compute a module record's score fields from its counts."""
    killed, timeout = int(record["killed"]), int(record["timeout"])
    checked = killed + int(record["survived"]) + timeout
    # mutmut's score: a mutant that makes its tests overrun the time bound (a loop, or a
    # property test shrinking a failure) is caught too; "killed_share" leaves those out.
    record["score"] = round((killed + timeout) / checked, 4) if checked else None
    record["killed_share"] = round(killed / checked, 4) if checked else None


def reclassify(record: dict[str, Any], module: str) -> None:
    """Move the survivors :data:`EQUIVALENT` lists for ``module`` to ``equivalents``."""
    equivalent = EQUIVALENT.get(module, {})
    survivors: dict[str, str] = record.get("survivors", {})
    for name in [n for n in survivors if n in equivalent]:
        del survivors[name]
        record.setdefault("equivalents", {})[name] = equivalent[name]
        record["survived"] -= 1
        record["equivalent"] = record.get("equivalent", 0) + 1
    _score(record)


def _scratch(module: str, tests: list[str]) -> Path:
    work = Path(tempfile.mkdtemp(prefix="tthc-mutate-")) / "repo"
    shutil.copytree(ROOT / "src", work / "src")
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("downstream"))
    shutil.copytree(ROOT / "docs", work / "docs")  # tests check the generated tables in the docs
    # The conformance material lies beside the repository (tests/_shared.py); mutmut runs
    # the tests from mutants/, whose parent is the scratch copy.
    shared = Path(os.environ.get("TTHC_SHARED", ROOT.parent / "shared"))
    if shared.is_dir():
        (work / "shared").symlink_to(shared)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    files = sorted(set(tests))
    config = {
        "source_paths": [module],
        "pytest_add_cli_args_test_selection": files,
        "also_copy": ["src", "docs"],
        "pytest_add_cli_args": [
            *("-p", "no:xdist", "-p", "no:randomly", "-p", "no:cacheprovider"),
            *(f"--deselect={test}" for test in SLOW),
        ],
        # A mutant's own time bound: this many times its tests' unmutated run time
        # (mutmut's default of 15 lets one looping mutant hold a worker for minutes).
        "timeout_multiplier": float(os.environ.get("TTHC_MUTATE_TIMEOUT_MULTIPLIER", "5")),
    }
    lines = ["", "[tool.mutmut]"] + [f"{k} = {json.dumps(v)}" for k, v in config.items()]
    (work / "pyproject.toml").write_text(text + "\n".join(lines) + "\n", encoding="utf-8")
    return work


def _functions(work: Path, module: str) -> dict[str, list[str]]:
    """The functions of ``module``'s mutated copy by name -> their source lines (less the def)."""
    path = work / "mutants" / module
    if not path.exists():
        return {}
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: dict[str, list[str]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in node.name:
            found[node.name] = lines[node.lineno : node.end_lineno]
    return found


def _change(functions: dict[str, list[str]], name: str) -> str | None:
    """A mutant's change read from the mutated copy, as ``mutmut show`` would give it."""
    function = name.rsplit(".", 1)[-1]
    original = functions.get(function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
    mutated = functions.get(function)
    if original is None or mutated is None:
        return None
    diff = difflib.unified_diff(original, mutated, lineterm="", n=0)
    changed = [
        line[1:].strip()
        for line in diff
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return " => ".join(changed)[:300]


def _survivors(
    mutmut: list[str], work: Path, env: dict[str, str], names: list[str], module: str = ""
) -> dict[str, str]:
    """Each surviving mutant's name -> its change, one ``- old / + new`` line.

    Read from the mutated copy of ``module`` (one parse, not a ``mutmut show`` process per
    mutant); ``mutmut show`` for a name it does not find there.
    """
    out: dict[str, str] = {}
    functions = _functions(work, module) if module else {}
    for name in names:
        change = _change(functions, name)
        if change is not None:
            out[name] = change
            continue
        diff = subprocess.run(  # noqa: S603
            [*mutmut, "show", name], cwd=work, env=env, check=False, capture_output=True, text=True
        ).stdout.splitlines()
        changed = [
            line[1:].strip()
            for line in diff
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        out[name] = " => ".join(changed)[:300]
    return out


def run_module(module: str, tests: list[str], timeout: float) -> dict[str, Any]:
    """Mutate ``module``, run ``tests`` against each mutant; the counts by outcome."""
    work = _scratch(module, tests)
    (work / "mutants" / "src").mkdir(parents=True)  # on PYTHONPATH from the start
    env = {
        **os.environ,
        "PYTHONPATH": str(work / "mutants" / "src"),
        "CI": "true",
        # Fewer, derandomized Hypothesis examples (tests/conftest.py): a mutant is killed by
        # the example tests that name its boundary, not by luck of a random draw.
        "HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "mutate"),
    }
    mutmut = [sys.executable, "-m", "mutmut"]
    children = os.environ.get("TTHC_MUTATE_CHILDREN", "2")
    started = time.monotonic()
    try:
        subprocess.run(  # noqa: S603 - our interpreter, our repository
            [*mutmut, "run", "--max-children", children],
            cwd=work,
            env=env,
            check=False,
            capture_output=True,
            timeout=timeout,
        )
        finished = True
    except subprocess.TimeoutExpired:
        finished = False
    return collect(work, module, tests, env, time.monotonic() - started, finished=finished)


def collect(
    work: Path,
    module: str,
    tests: list[str],
    env: dict[str, str],
    seconds: float,
    *,
    finished: bool,
) -> dict[str, Any]:
    """The record of a run in ``work`` (also of one stopped early: ``--collect``)."""
    mutmut = [sys.executable, "-m", "mutmut"]
    listed = subprocess.run(  # noqa: S603
        [*mutmut, "results", "--all", "true"],
        cwd=work,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    ).stdout
    status_by_name: dict[str, str] = {}
    for line in listed.splitlines():
        if ": " in line:
            name, status = line.strip().rsplit(": ", 1)
            status_by_name[name] = status.strip()
    equivalent = EQUIVALENT.get(module, {})
    counts: dict[str, int] = {}
    for name, status in status_by_name.items():
        kind = "equivalent" if status == "survived" and name in equivalent else status
        counts[kind] = counts.get(kind, 0) + 1
    survivors = _survivors(
        mutmut,
        work,
        env,
        sorted(n for n, st in status_by_name.items() if st == "survived" and n not in equivalent),
        module,
    )
    if os.environ.get("TTHC_MUTATE_KEEP"):
        print("scratch copy kept:", work)
    else:
        shutil.rmtree(work.parent, ignore_errors=True)
    killed = counts.get("killed", 0)
    record: dict[str, Any] = {
        "tests": tests,
        "mutants": sum(counts.values()),
        "killed": killed,
        "survived": counts.get("survived", 0),
        "timeout": counts.get("timeout", 0),
        "equivalent": counts.get("equivalent", 0),
        "not_checked": counts.get("not checked", 0),
        "no_tests": counts.get("no tests", 0),
        "score": None,
        "killed_share": None,
        "seconds": round(seconds, 1),
        "finished": finished,
        "survivors": survivors,
        "timeouts": sorted(n for n, st in status_by_name.items() if st == "timeout"),
        "equivalents": {
            name: equivalent[name] for name in sorted(equivalent) if name in status_by_name
        },
    }
    _score(record)
    return record


def _run_test(work: Path, env: dict[str, str], test: str) -> int:
    """Run ``test`` in ``work`` against its plain source; its exit code."""
    ran = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            test,
        ],
        cwd=work,
        env={**env, "PYTHONPATH": str(work / "src")},
        check=False,
        capture_output=True,
        timeout=float(os.environ.get("TTHC_CONFIRM_TIMEOUT", "180")),
    )
    return ran.returncode


def confirm(work: Path, module: str, test: str, names: list[str]) -> dict[str, str]:
    """Re-check survivors of a kept run against a test file written after it.

    In ``work`` (a run's scratch copy, kept with ``TTHC_MUTATE_KEEP``), apply each mutant to
    the source, run ``test`` (copied from the worktree) and restore the source. The test must
    pass against the unmutated source first; then a mutant it fails on (exit 1), or whose
    source no longer imports (exit 2 or 4, a collection or conftest error: a mutant in code
    that runs at import, which mutmut's own run never switches on), is killed; the result
    names the test file, so the record says which tests killed it after the run.
    """
    env = {**os.environ, "PYTHONPATH": str(work / "mutants" / "src"), "CI": "true"}
    source = work / module
    original = source.read_text(encoding="utf-8")
    shutil.copy(ROOT / test, work / test)
    if (baseline := _run_test(work, env, test)) != 0:
        raise SystemExit(f"{test} does not pass against the unmutated source (exit {baseline})")
    killed: dict[str, str] = {}
    for name in names:
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "mutmut", "apply", name],
            cwd=work,
            env=env,
            check=False,
            capture_output=True,
        )
        try:
            if source.read_text(encoding="utf-8") == original:
                continue  # not applied
            # 1: tests failed; 2 or 4: the test module or conftest no longer imports
            if _run_test(work, env, test) in (1, 2, 4):
                killed[name] = test
        except subprocess.TimeoutExpired:  # the test overran: caught as a timeout, as mutmut does
            killed[name] = f"timeout: {test}"
        finally:
            source.write_text(original, encoding="utf-8")
    return killed


def _record_confirmed(module: str, killed: dict[str, str]) -> None:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    record = results["modules"][module]
    for name, test in killed.items():
        timed_out = test.startswith("timeout: ")
        if record["survivors"].pop(name, None) is not None:
            record["survived"] -= 1
        elif name in record.get("timeouts", []) and not timed_out:
            record["timeouts"].remove(name)
            record["timeout"] -= 1
        elif record.get("not_checked", 0) > 0 and name not in record.get("killed_after_run", {}):
            # mutmut mapped no test to it (a validator attrs calls from its own code): the
            # confirm run is its first check
            record["not_checked"] -= 1
        else:
            continue
        if timed_out:  # its tests overran the bound against the mutant: a timeout
            record["timeout"] += 1
            record.setdefault("timeouts", []).append(name)
            record.setdefault("timed_out_after_run", {})[name] = test.removeprefix("timeout: ")
            continue
        record["killed"] += 1
        record.setdefault("killed_after_run", {})[name] = test
    _score(record)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def table(results: dict[str, Any]) -> str:
    """The recorded scores as a markdown table (docs/testing.md quotes it)."""
    rows = [
        "| module | killed | timeout | survived | equivalent | mutants | score | killed only |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for module in sorted(results["modules"]):
        r = results["modules"][module]
        name = module.removeprefix("src/tthc_core/").removesuffix(".py")
        score, share = (
            "—" if r.get(k) is None else f"{r[k]:.1%}" for k in ("score", "killed_share")
        )
        rows.append(
            f"| `{name}` | {r['killed']} | {r['timeout']} | {r['survived']} "
            f"| {r.get('equivalent', 0)} | {r['mutants']} | {score} | {share} |"
        )
    return "\n".join(rows)


def main(argv: list[str]) -> None:
    """Run the named modules (default: every module of :data:`MODULES`)."""
    timeout = float(os.environ.get("TTHC_MUTATE_TIMEOUT", "1800"))
    if argv[:1] == ["--confirm"]:  # --confirm <scratch repo> <module> <test file> <mutant>...
        work, module, test, *names = argv[1:]
        killed = confirm(Path(work), module, test, names)
        _record_confirmed(module, killed)
        print(f"{len(killed)} of {len(names)} killed by {test}")
        return
    if argv[:1] == ["--collect"]:  # --collect <scratch repo> <module>: a run stopped early
        work, module = Path(argv[1]), argv[2]
        env = {**os.environ, "PYTHONPATH": str(work / "mutants" / "src"), "CI": "true"}
        record = collect(work, module, MODULES[module], env, 0.0, finished=False)
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        results["modules"][module] = record
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(module, record["killed"], "/", record["mutants"], "score", record["score"])
        return
    if argv == ["--table"]:
        print(table(json.loads(RESULTS.read_text(encoding="utf-8"))))
        return
    if argv == ["--reclassify"]:  # apply EQUIVALENT to the recorded runs
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        for module, record in results["modules"].items():
            if "survivors" in record:
                reclassify(record, module)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        return
    for module in argv or list(MODULES):
        outcome = run_module(module, MODULES[module], timeout)
        print(module, outcome["killed"], "/", outcome["mutants"], "score", outcome["score"])
        # Read again before writing: several runs may record modules side by side.
        results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        results.setdefault("modules", {})[module] = outcome
        results["tool"] = "mutmut 3 (scratch copy per module, mapped tests only)"
        results["goal"] = "score >= 0.95 in the core's rule modules"
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
