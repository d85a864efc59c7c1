"""The package's layering (docs/vocabulary.md, STYLE.md): the data layer at the bottom, no
import cycle, no chapter importing the simulator, the CLI or another module's private
names. Read from the source, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import crmlab

PACKAGE = Path(crmlab.__file__).resolve().parent
#: Modules that sit on top (they may import anything) or belong to the exercise grader.
TOP = {"cli", "_notebooks", "grading"}


def _is_main_guard(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
        and any(
            isinstance(c, ast.Constant) and c.value == "__main__" for c in node.test.comparators
        )
    )


def _imports() -> dict[str, list[tuple[str, str]]]:
    """module -> [(imported module, imported name or "")] for imports from crmlab."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        found = out.setdefault(name, [])
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # a script entry point (`if __name__ == "__main__":`) is not run on import
        tree.body = [node for node in tree.body if not _is_main_guard(node)]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crmlab"):
                if node.module == "crmlab":
                    found += [(a.name, "") for a in node.names]
                else:
                    target = node.module.split(".", 1)[1]
                    found += [(target, a.name) for a in node.names]
            elif isinstance(node, ast.Import):
                found += [(a.name.split(".", 1)[1], "") for a in node.names if "." in a.name]
    return out


def _module(name: str) -> str:
    return name.split(".")[0]


def test_no_import_cycle():
    graph = {m: {_module(t) for t, _ in edges} - {_module(m)} for m, edges in _imports().items()}
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            assert state.get(nxt) != "open", f"import cycle: {' -> '.join(path + [nxt])}"
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_no_private_names_across_modules():
    crossing = [
        f"{m} imports {t}.{n}"
        for m, edges in _imports().items()
        for t, n in edges
        if n.startswith("_") and _module(t) != _module(m) and m not in TOP
    ]
    assert crossing == []


def test_chapters_do_not_import_the_simulator_or_the_cli():
    data_layer = {"_schema", "_validate", "datasets", "simulate", "plotting", "glossary"}
    data_layer |= {"_validate_columns", "_validate_tables", "_validate_answers"}
    offenders = [
        f"{m} imports {t}"
        for m, edges in _imports().items()
        if _module(m) not in TOP | data_layer
        for t, _ in edges
        if _module(t) in {"simulate", "cli"}
    ]
    assert offenders == []


def test_schema_is_the_bottom():
    assert _imports()["_schema"] == []
    # the input checks sit just above it: three modules by topic, gathered by _validate
    parts = {"_validate_columns", "_validate_tables", "_validate_answers"}
    assert {t for t, _ in _imports()["_validate"]} == parts
    assert _imports()["_validate_columns"] == []
    for part in parts - {"_validate_columns"}:
        assert {t for t, _ in _imports()[part]} == {"_validate_columns"}
