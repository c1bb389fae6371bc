"""Developer sessions: tests, lint, typecheck, docs, bench, stateful (long)."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.default_venv_backend = "venv"

PYTHON = "3.11"


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole test suite (PostgreSQL tests need TTHC_TEST_POSTGRES_DSN or a local server)."""
    session.install("-e", ".[dev]")
    session.run("pytest", "-n", "2", *session.posargs)


@nox.session(python=PYTHON)
def stateful(session: nox.Session) -> None:
    """The stateful and property tests with the long ("nightly") Hypothesis profile."""
    session.install("-e", ".[dev]")
    session.run(
        "pytest",
        "-m",
        "not postgres",
        "tests",
        *session.posargs,
        env={"HYPOTHESIS_PROFILE": "nightly"},
    )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff and the import contract that keeps tthc_core pure."""
    session.install("-e", ".[dev]")
    session.run("ruff", "check", "src", "tests", "bench", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "bench", "noxfile.py")
    session.run("lint-imports")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src."""
    session.install("-e", ".[dev]")
    session.run("mypy", "src")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the documentation site (mkdocs-material) into site/."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks; each writes its JSON under bench/results/."""
    session.install("-e", ".[dev]")
    session.run("python", "-m", "bench", *session.posargs)


@nox.session(python=PYTHON)
def mutate(session: nox.Session) -> None:
    """Mutation testing (mutmut): each core rule module against its mapped tests.

    ``nox -s mutate`` runs every module of bench/mutation.py's MODULES; name some to run
    only those (``nox -s mutate -- src/tthc_core/codes.py``). Scores go to
    bench/results/mutation.json.
    """
    session.install("-e", ".[dev]", "mutmut>=3.3")
    session.run("python", "-m", "bench.mutation", *session.posargs)
