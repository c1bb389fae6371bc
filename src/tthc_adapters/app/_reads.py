"""Store reads off the event loop, on one thread pool of the process.

Starlette's ``run_in_threadpool`` goes through anyio (a capacity limiter, a
cancel scope, a context copy): on a status page that hop cost about as much
CPU as the look-up and the page together. A plain executor does the same hop
for a fraction of it; the reads need no context variables.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["READ_THREADS", "run_read"]

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
