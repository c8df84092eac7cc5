"""Worker processes of a batch (render, audit): tied to the process that started them."""

from __future__ import annotations

import os
import threading
import time


def follow_parent(parent: int) -> None:
    """In a worker: end when the batch that started it is gone (killed with SIGKILL, its workers would
    otherwise live on as orphans rendering for no one)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="docgen-parent-watch", daemon=True).start()
