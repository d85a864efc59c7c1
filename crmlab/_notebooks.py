"""Execute notebooks in place so that strict nbval can compare their outputs later."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

# what JupyterLab writes when it saves a notebook run on the default kernel: keeping it
# the same means that opening and saving a notebook in Lab leaves no diff
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def language_info() -> dict:
    """The ``language_info`` that JupyterLab writes once the kernel has started (ipykernel's,
    for this Python): a notebook stored with it saves in Lab without a diff."""
    import platform

    return {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": platform.python_version(),
    }


def execute_in_place(path: Path, timeout: int = 600) -> None:
    """Run every cell of ``path`` in a fresh kernel and save it without timing metadata.

    Execution happens in the notebook's own folder, as JupyterLab and nbval do. The
    kernelspec is set to JupyterLab's (:data:`KERNELSPEC`).
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(Path(path).resolve().parent)}},
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nbformat.write(nb, path)
