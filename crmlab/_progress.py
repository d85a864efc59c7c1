"""Progress bars for the long commands (``crmlab simulate``, ``crmlab exercises build``).

A tqdm bar on stderr when stderr is a terminal, nothing otherwise (logs and pipes get the
commands' own one-line messages). A step that takes long in one piece (a simulation, one
exercise build) keeps the bar's clock moving: :func:`ticking` refreshes it every second.
"""

from __future__ import annotations

import contextlib
import threading

from tqdm import tqdm

__all__ = ["bar", "ticking"]


def bar(total: int, desc: str, unit: str = "step", disable: bool | None = None) -> tqdm:
    """A progress bar with ``total`` steps; shown only on a terminal unless ``disable`` says."""
    return tqdm(total=total, desc=desc, unit=unit, disable=disable, leave=True, dynamic_ncols=True)


@contextlib.contextmanager
def ticking(progress: tqdm, interval: float = 1.0):
    """Refresh ``progress`` every ``interval`` seconds while the block runs (elapsed time moves)."""
    if progress.disable:
        yield progress
        return
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(interval):
            progress.refresh()

    thread = threading.Thread(target=tick, name="crmlab-progress", daemon=True)
    thread.start()
    try:
        yield progress
    finally:
        stop.set()
        thread.join()
