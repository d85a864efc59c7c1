"""Exercises and grading: build student notebooks, grade a folder of submissions.

Modules (import what you need; ``import crmlab.grading`` itself imports none of them):

``build``
    Exercise masters -> student notebooks, data extracts, autograders
    (:func:`build_exercise`, :func:`build_all`, :func:`load_autograder`).
``run``
    Grading a folder: a pool of sandboxed runners and scorers, one row per submission,
    whatever the submission does (:func:`grade`).
``workers``
    The processes behind the pool (runners, the scorer, :class:`Pool`), re-exported by ``run``.
``sandbox``
    Isolation: bubblewrap, per-submission namespaces and tmpfs, cgroups, resource limits.
``runner`` / ``scorer``
    The processes behind a worker: the runner executes notebooks (inside the sandbox, never
    sees a test), the scorer runs the tests on plain-data answers (never runs student code).
``answers``
    Answers as plain data and the defensive reader of the answers files.
``gradebook``
    Gradebook frame, safe CSV/xlsx/terminal output, Markdown feedback.
``cli``
    ``crmlab grade`` and ``crmlab exercises`` (added to ``crmlab.cli`` by
    :func:`register_cli`).

Grading needs the optional dependencies ``crmlab[grading]`` (otter-grader, nbclient,
openpyxl); the teaching modules of ``crmlab`` never import them.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "exercises_dir": "build",
    "default_build_dir": "build",
    "list_exercises": "build",
    "resolve": "build",
    "build_exercise": "build",
    "build_all": "build",
    "load_autograder": "build",
    "Autograder": "build",
    "BuildError": "build",
    "grade": "run",
    "prepare": "run",
    "find_submissions": "run",
    "cpu_count": "run",
    "NoSubmissions": "run",
    "Interrupted": "run",
    "IsolationError": "sandbox",
    "write_gradebook": "gradebook",
    "write_feedback": "gradebook",
    "gradebook_frame": "gradebook",
    "register_cli": "cli",
}
_ALIASES = {"_resolve": ("build", "resolve")}  # the name before the package split

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS or name in _ALIASES:
        module_name, attr = _ALIASES.get(name, (_EXPORTS.get(name), name))
        module = importlib.import_module(f"{__name__}.{module_name}")
        return getattr(module, attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
