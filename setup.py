"""Packaging hook: the wheel carries the data files and the student exercises.

They stay where they are in the repository (``datasets/``, ``exercises/*/student/``);
building a wheel copies them into ``crmlab/_data/`` inside it, where
``crmlab._resources`` finds them after a non-editable install (``pip install .``, a wheel,
a git URL). The exercise masters (``exercises/*/source/``, with solutions and hidden
tests) are never copied. An editable install (``make venv``) reads the checkout directly.
Everything else about the package is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def data_files() -> list[tuple[Path, str]]:
    """(source file, path under ``crmlab/_data/``) for every file the wheel carries."""
    files = []
    datasets = ROOT / "datasets"
    for src in sorted(datasets.rglob("*")):
        if src.is_file() and src.suffix not in {".py", ".pyc"}:
            files.append((src, "datasets/" + src.relative_to(datasets).as_posix()))
    exercises = ROOT / "exercises"
    files.append((exercises / "README.md", "exercises/README.md"))
    for src in sorted(exercises.glob("[0-9][0-9]_*/student/*")):
        if src.is_file():
            files.append((src, "exercises/" + src.relative_to(exercises).as_posix()))
    return files


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "crmlab" / "_data"
        shutil.rmtree(target, ignore_errors=True)  # no stale file from an earlier build
        for src, rel in data_files():
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.copy_file(str(src), str(dest))


setup(cmdclass={"build_py": BuildPyWithData})
