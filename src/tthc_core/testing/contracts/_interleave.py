"""Two units of work interleaved step by step, in an order the test fixes.

A threaded stress test finds a lost update only if the scheduler happens to
interleave the right instructions; :class:`Interleaving` fixes the order
instead. Each unit of work lives on its own worker (so a store that makes the
second writer wait — SQLite's write lock, PostgreSQL's row lock, a process
lock — can make it wait without deadlocking the test), but only one step runs
at a time: the test submits a step and waits for it. A step still running after
``settle`` seconds is waiting on the other unit's lock; the test moves on and
the step finishes once the other unit commits. The outcome the contract checks
(no lost update, no shared number) does not depend on timing: a locking store
serialises the two units, an optimistic one refuses the second, a broken one
loses the update — every run.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

__all__ = ["Interleaving", "Unit"]

T = TypeVar("T")


class Unit:
    """One unit of work's worker: its steps run in order, on one thread.

    Args:
        name: For messages.
        settle: Seconds a step may take before it counts as waiting on a lock.
    """

    def __init__(self, name: str, settle: float) -> None:
        self.name = name
        self.settle = settle
        self._worker = ThreadPoolExecutor(1, thread_name_prefix=f"uow-{name}")
        self._last: Future[Any] | None = None
        self.state: dict[str, Any] = {}

    def step(self, action: Callable[[dict[str, Any]], T]) -> Future[T]:
        """Run ``action(state)`` next on this unit's worker; wait until done or blocked."""
        future = self._worker.submit(action, self.state)
        self._last = future
        try:
            future.result(timeout=self.settle)
        except FutureTimeout:
            pass  # waiting on the other unit: it goes on when that one commits
        except Exception:  # noqa: S110 - the test reads the outcome from the future
            pass
        return future

    def close(self, timeout: float) -> None:
        """Wait for the last step (``timeout`` seconds at most), then stop the worker."""
        if self._last is not None:
            try:
                self._last.result(timeout=timeout)
            except FutureTimeout as error:
                raise AssertionError(
                    f"unit of work {self.name!r} never finished: the store deadlocked"
                ) from error
            except Exception:  # noqa: S110 - read from the future by the test
                pass
        self._worker.shutdown(wait=False)


class Interleaving:
    """Two or more :class:`Unit` workers for one test; closes them at the end.

    Args:
        settle: Seconds a step may take before it counts as waiting on a lock.
        timeout: Seconds every unit gets to finish at the end.
    """

    def __init__(self, settle: float = 0.3, timeout: float = 20.0) -> None:
        self.settle = settle
        self.timeout = timeout
        self.units: list[Unit] = []

    def unit(self, name: str) -> Unit:
        """A new unit of work's worker."""
        unit = Unit(name, self.settle)
        self.units.append(unit)
        return unit

    def __enter__(self) -> Interleaving:
        return self

    def __exit__(self, *_: object) -> None:
        for unit in self.units:
            unit.close(self.timeout)
