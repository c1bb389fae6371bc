"""The read pool the status pages and health check use (app/_reads.py)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from tthc_adapters.app._reads import READ_THREADS, run_read


def test_a_read_runs_off_the_event_loops_thread_and_returns_its_value() -> None:
    async def main() -> tuple[str, int]:
        return await run_read(lambda x, *, y: (threading.current_thread().name, x + y), 2, y=3)

    name, value = asyncio.run(main())
    assert name.startswith("tthc-read")
    assert name != threading.current_thread().name
    assert value == 5


def test_a_reads_error_reaches_the_awaiting_request() -> None:
    def fails() -> None:
        raise LookupError("store unreachable")

    with pytest.raises(LookupError, match="store unreachable"):
        asyncio.run(run_read(fails))


def test_reads_run_concurrently_up_to_the_pools_size() -> None:
    barrier = threading.Barrier(READ_THREADS, timeout=10)

    async def main() -> list[int]:
        return await asyncio.gather(*(run_read(barrier.wait) for _ in range(READ_THREADS)))

    assert sorted(asyncio.run(main())) == list(range(READ_THREADS))


def test_a_store_with_quick_reads_is_read_on_the_loops_thread(tmp_path: object) -> None:
    """SQLite says its reads never wait for a writer: no hop to a thread (app/_reads.py)."""
    from tthc_adapters.app._reads import read_store
    from tthc_adapters.storage import MemoryStore, SqliteStore

    sqlite = SqliteStore(f"{tmp_path}/r.sqlite3")

    async def main(store: object) -> str:
        return await read_store(store, lambda: threading.current_thread().name)

    assert asyncio.run(main(sqlite)) == threading.current_thread().name
    assert asyncio.run(main(MemoryStore())).startswith("tthc-read")  # no claim: the pool
    sqlite.close()
