"""Every public function of the package documents Parameters, Returns, Raises and Examples
(numpydoc sections); the Examples run in ``make test`` (``make doctest``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import crmlab

PACKAGE = Path(crmlab.__file__).resolve().parent
SECTIONS = ("Parameters", "Returns", "Raises", "Examples")
#: Modules documented elsewhere: the exercise grader and the command line (their own
#: ``--help`` and docs), the glossary (a table of terms), and the CLI's plumbing: where the
#: data and exercises are found (``_resources``, documented in the README) and progress bars.
SKIP_MODULES = {
    "cli",
    "glossary",
    "grading",
    "_notebooks",
    "__init__",
    "_progress",
    "_resources",
}
SKIP_FUNCTIONS: set[tuple[str, str]] = set()


def _public_functions() -> list[tuple[str, str, str]]:
    found = []
    # the plotting subpackage's modules are public too (crmlab.plotting re-exports them)
    for path in sorted(PACKAGE.glob("*.py")) + sorted(PACKAGE.glob("plotting/*.py")):
        module = path.stem
        if module in SKIP_MODULES or "grading" in module:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exported = None
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
            ):
                exported = set(ast.literal_eval(node.value))
        for node in tree.body:
            if (
                isinstance(node, ast.FunctionDef)
                and not node.name.startswith("_")
                and (exported is None or node.name in exported)
                and (module, node.name) not in SKIP_FUNCTIONS
            ):
                found.append((module, node.name, ast.get_docstring(node) or ""))
    return found


def test_there_are_functions_to_check():
    assert len(_public_functions()) > 150


@pytest.mark.parametrize(
    ("module", "name", "doc"), _public_functions(), ids=lambda x: x if len(x) < 40 else ""
)
def test_docstring_has_the_four_sections(module, name, doc):
    missing = [s for s in SECTIONS if not re.search(rf"^{s}\n-{{{len(s)}}}$", doc, re.M)]
    assert not missing, f"crmlab.{module}.{name}: no {missing} section in its docstring"
    examples = doc.split("Examples\n--------", 1)[1]
    assert ">>> " in examples, f"crmlab.{module}.{name}: the Examples section has no example"
