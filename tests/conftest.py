"""Shared test configuration: Hypothesis profiles and the PostgreSQL DSN."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

#: Fixture modules shared by several test files.
pytest_plugins = ("tests._desk", "tests._staff")

# Show the values in failing asserts of the shipped contract suites too.
pytest.register_assert_rewrite("tthc_core.testing.contracts")

# The default profile. Under CI (CI=true) its examples are derandomized, so a
# submission's CI run is reproducible; developers' runs and the nightly profile
# (`nox -s stateful`) keep exploring new examples.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
    derandomize=os.environ.get("CI", "").lower() == "true",
)
settings.register_profile(
    "nightly",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
# Mutation runs (bench/mutation.py): few, reproducible examples per mutant.
settings.register_profile(
    "mutate",
    max_examples=int(os.environ.get("TTHC_MUTATE_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# tests/downstream is a separate package with its own venv (.ci/run installs and runs it).
collect_ignore = ["downstream"]

POSTGRES_DSN = os.environ.get("TTHC_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    """The test PostgreSQL server's DSN; skip when unreachable (fail when ``CI=true``)."""
    import psycopg

    try:
        psycopg.connect(POSTGRES_DSN, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL at {POSTGRES_DSN} is unreachable: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return POSTGRES_DSN


@pytest.fixture
def postgres_schema(postgres_dsn: str) -> Iterator[str]:
    """A schema name unique to this test (safe under pytest-xdist), dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = f"test_{uuid.uuid4().hex[:16]}"
    yield name
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
