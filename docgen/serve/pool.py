"""Work that takes longer than a few milliseconds runs beside the event loop, so one user's PDF or upload
never holds up another user's page: a pool of threads with a waiting line of bounded length. A task that
finds the line full is refused at once (Busy → HTTP 503 with Retry-After) instead of piling up."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

Result = TypeVar("Result")


class Busy(Exception):
    """Every worker is busy and the waiting line is full."""


class Pool:
    def __init__(self, workers: int, queue: int) -> None:
        self.workers = workers
        self.queue = queue
        self._limiter: anyio.CapacityLimiter | None = None  # made inside the event loop that uses it
        self._admitted = 0  # running and waiting

    @property
    def admitted(self) -> int:
        return self._admitted

    async def run(self, function: Callable[..., Result], *arguments: object) -> Result:
        if self._admitted >= self.workers + self.queue:
            raise Busy
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.workers)
        self._admitted += 1
        try:
            return await anyio.to_thread.run_sync(function, *arguments, limiter=self._limiter)
        finally:
            self._admitted -= 1
