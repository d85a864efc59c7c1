"""Where the data files and the exercises are, in a checkout and in an installed wheel.

One rule, in this order:

1. ``$CRMLAB_DATA_DIR`` (data) or ``$CRMLAB_EXERCISES_DIR`` (exercises), if set;
2. the repository's ``datasets/`` or ``exercises/`` next to the package, when the package
   runs from a checkout (``make venv`` installs it editable); recognised by
   ``datasets/MANIFEST`` and ``exercises/README.md``, so that an unrelated folder of the
   same name in ``site-packages`` (the Hugging Face ``datasets`` package has one) is never
   taken for ours;
3. the copies inside the installed package, ``crmlab/_data/datasets`` and
   ``crmlab/_data/exercises``, which a wheel carries (``setup.py`` puts them there at build
   time; the wheel has the student notebooks and their data, never the masters).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["data_dir", "exercises_dir", "student_exercises", "origin"]

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent
_PACKAGED = _PACKAGE / "_data"
_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


def _locate(env: str, folder: str, marker: str) -> tuple[Path, str]:
    value = os.environ.get(env)
    if value:
        return Path(value), f"${env}"
    checkout = _CHECKOUT / folder
    if (checkout / marker).is_file():
        return checkout, "the repository checkout"
    packaged = _PACKAGED / folder
    if (packaged / marker).is_file():
        return packaged, "the installed package"
    return checkout, f"not found (set ${env})"


def data_dir() -> Path:
    """Folder holding the data files and ``MANIFEST`` (see the module docstring for the rule)."""
    return _locate("CRMLAB_DATA_DIR", "datasets", "MANIFEST")[0]


def exercises_dir() -> Path:
    """Folder holding the exercises ``NN_slug/student/`` (and, in a checkout, the masters)."""
    return _locate("CRMLAB_EXERCISES_DIR", "exercises", "README.md")[0]


def origin() -> dict[str, tuple[Path, str]]:
    """``{"data": (folder, where from), "exercises": (folder, where from)}`` for ``crmlab info``."""
    return {
        "data": _locate("CRMLAB_DATA_DIR", "datasets", "MANIFEST"),
        "exercises": _locate("CRMLAB_EXERCISES_DIR", "exercises", "README.md"),
    }


def student_exercises(root: Path | None = None) -> dict[str, Path]:
    """``{name: student notebook}`` for every ``NN_slug/student/NN_slug.ipynb`` under ``root``."""
    root = exercises_dir() if root is None else Path(root)
    if not root.is_dir():
        return {}
    found = {}
    for folder in sorted(root.iterdir()):
        notebook = folder / "student" / f"{folder.name}.ipynb"
        if _NAME.match(folder.name) and notebook.is_file():
            found[folder.name] = notebook
    return found
