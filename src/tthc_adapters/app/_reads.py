"""Store reads for the event loop: on one thread pool of the process, or inline if quick.

Starlette's ``run_in_threadpool`` goes through anyio (a capacity limiter, a
cancel scope, a context copy): on a status page that hop cost about as much
CPU as the look-up and the page together. A plain executor does the same hop
for a fraction of it; the reads need no context variables.

A store whose reads never wait for anything but its own file says so with
``reads_inline = True`` (SQLite in WAL mode: a reader on its own connection
never waits for the writer; an indexed read of one row costs less CPU than the
hop to a thread and back). :func:`read_store` runs such reads on the event
loop's thread, and every other store's (PostgreSQL: a network round trip) on
the pool. The trade-off: a read that does wait (a cold disk, SQLite's rare
WAL recovery) holds the loop for that long.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

__all__ = ["READ_THREADS", "read_store", "run_read"]

#: Threads for concurrent reads (anyio's default limit for the same work is 40).
READ_THREADS = 16

_P = ParamSpec("_P")
_T = TypeVar("_T")

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool  # noqa: PLW0603 - one pool per process, made on first use
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="tthc-read")
        return _pool


async def run_read(call: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """``call(*args, **kwargs)`` on the read pool, awaited without blocking the loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor(), functools.partial(call, *args, **kwargs))


async def read_store(store: Any, call: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """``call(*args, **kwargs)``, a read of ``store``: inline if its reads are quick, else pooled.

    Args:
        store: The store read (its ``reads_inline`` attribute, ``False`` if absent).
        call: The read.
        args: Its positional arguments.
        kwargs: Its keyword arguments.
    """
    if getattr(store, "reads_inline", False):
        return call(*args, **kwargs)
    return await run_read(call, *args, **kwargs)
