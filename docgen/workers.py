"""Worker processes of a batch (render, audit): tied to the process that started them."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def follow_parent(parent: int) -> None:
    """In a worker: end when the batch that started it is gone (killed with SIGKILL, its workers would
    otherwise live on as orphans rendering for no one)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="docgen-parent-watch", daemon=True).start()


def each_in_order(
    work: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    done: Callable[[int, R], None],
    here: Callable[[T], R] | None = None,
    initializer: Callable[..., None] = follow_parent,
    initargs: tuple[Any, ...] = (),
) -> None:
    """Each item through `work`, in `jobs` worker processes (in this process, through `here`, when one is
    enough); `done` is told of each result with its item's index as it ends, so results can be kept in the
    order given. A worker that dies (a native library crashing on one file) ends the pool without ending
    the batch: the items it left are done here, one by one. `initializer(parent_pid, *initargs)` starts each
    worker; `work` and the initializer must be picklable (module-level functions, or partials of them)."""
    here = here or work
    jobs = max(1, min(jobs, len(items)))
    if jobs == 1:
        for index, item in enumerate(items):
            done(index, here(item))
        return
    finished: set[int] = set()
    with ProcessPoolExecutor(jobs, initializer=initializer, initargs=(os.getpid(), *initargs)) as pool:
        futures = {pool.submit(work, item): index for index, item in enumerate(items)}
        try:
            for future in as_completed(futures):
                result = future.result()
                finished.add(futures[future])
                done(futures[future], result)
        except BrokenProcessPool:
            pass
    for index, item in enumerate(items):
        if index not in finished:
            done(index, here(item))
