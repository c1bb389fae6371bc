"""The reading budget: CPU time of the reading thread, under a wall-clock ceiling.

A pass of the reader starts only if one like it, as last measured on this
photo, still fits both in the CPU budget and under the wall-clock ceiling. CPU
time (``time.thread_time``) makes the passes tried the same on a loaded machine
as on an idle one; the ceiling bounds the answer's wall time — so each kind's
last cost is kept in both clocks, and a pass that took 60 ms of CPU but 200 ms
of wall time on a busy machine is expected to take 200 ms again.
"""

from __future__ import annotations

import time

__all__ = ["DEFAULT_BUDGET_S", "DEFAULT_CEILING_S", "WALL_MARGIN", "Clock"]

#: CPU time of the reading thread after which a photo without a receipt QR is given up, seconds.
DEFAULT_BUDGET_S = 0.2
#: Wall-clock time after which a photo is given up however little CPU it got, seconds
#: (image decoding included: the issue's goal is "not found" within 300 ms).
DEFAULT_CEILING_S = 0.25
#: A pass's wall time varies with the machine's load: it is expected to take this much
#: longer than the last one like it before the ceiling lets it start.
WALL_MARGIN = 1.5


class Clock:
    """A photo's budget: ``budget_s`` of the reading thread's CPU, ``ceiling_s`` of wall time.

    Args:
        budget_s: CPU seconds of the reading thread.
        ceiling_s: Wall-clock seconds from the clock's creation.
    """

    def __init__(self, budget_s: float, ceiling_s: float) -> None:
        self.cpu_deadline = time.thread_time() + budget_s
        self.wall_deadline = time.perf_counter() + ceiling_s
        #: Last CPU cost of a pass of each kind, seconds.
        self.cost: dict[str, float] = {}
        #: Last wall-clock cost of a pass of each kind, seconds.
        self.wall_cost: dict[str, float] = {}
        self._started: tuple[float, float] = (0.0, 0.0)

    def fits(self, kind: str, scale: float = 1.0) -> bool:
        """Whether a pass of ``kind`` ends within both limits, if it costs what the last one did.

        ``scale`` is the pass's size relative to the measured ones (a pass over a photo
        upscaled 2× is expected to cost four times a pass over the photo).
        """
        return (
            time.thread_time() + scale * self.cost.get(kind, 0.0) <= self.cpu_deadline
            and time.perf_counter() + WALL_MARGIN * scale * self.wall_cost.get(kind, 0.0)
            <= self.wall_deadline
        )

    def start(self) -> None:
        """Mark the start of a pass (ended by :meth:`timed`)."""
        self._started = (time.thread_time(), time.perf_counter())

    def timed(self, kind: str, scale: float = 1.0) -> None:
        """Record the cost of the pass of ``kind`` (of size ``scale``) begun at :meth:`start`."""
        cpu, wall = self._started
        self.cost[kind] = (time.thread_time() - cpu) / scale
        self.wall_cost[kind] = (time.perf_counter() - wall) / scale
