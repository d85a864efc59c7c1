"""Execute notebooks in place so that strict nbval can compare their outputs later."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute_in_place(path: Path, timeout: int = 600) -> None:
    """Run every cell of ``path`` in a fresh kernel and save it without timing metadata.

    Execution happens in the notebook's own folder, as JupyterLab and nbval do.
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
    nbformat.write(nb, path)
