"""House rules for the chapter notebooks (nbval checks that they run and print the same;
these check what nbval cannot: that there is something to compare, and the shape)."""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_shape(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    # ordered name NN_slug, a title with the Chinese chapter name, objectives first
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)
    first = nb.cells[0].source
    assert first.startswith("# ") and re.search(r"[\u4e00-\u9fff]", first.splitlines()[0])
    assert "Learning objectives" in first
    assert "## Key ideas" in markdown and "## References" in markdown
    # strict nbval compares stored outputs: every code cell was executed, in order
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "re-execute with `make notebooks`"
    with_output = sum(bool(c.outputs) for c in code)
    assert with_output >= len(code) / 2, "most code cells should show a result to compare"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    # no timing metadata (keeps diffs small)
    assert not any("execution" in c.metadata for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_prints_no_warnings(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stderr":
                pytest.fail(f"stderr output in a cell of {path.name}: {out.text[:200]}")


ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(
    r"\.\./shared|COURSE\.md|DESIGN\.md|STYLE\.md|SIMULATOR\.md"
    r"|\bseeds? 00[0-4]\b|\bseeds? \d{3}, \d{3}"
)
STANDALONE = [
    *NOTEBOOKS,
    *sorted((ROOT / "crmlab").rglob("*.py")),
    ROOT / "README.md",
    *sorted((ROOT / "docs").rglob("*.md")),
]


@pytest.mark.parametrize("path", STANDALONE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_pointers_outside_the_repository(path):
    # The repository stands alone (issue 17): the course texts are cited by the course
    # notes' keys ([Chen 2011], [CRM slides], ...), never as files the reader does not have.
    text = path.read_text(encoding="utf-8")
    found = sorted({m.group(0) for m in OUTSIDE.finditer(text)})
    assert not found, f"{path.name} points outside the repository: {found}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_explains_random_seed_once_if_it_uses_one(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    if re.search(r"\bseed=|default_rng\(", code):
        assert "**random seed**" in markdown, (
            f"{path.name} uses a random seed without saying what it is"
        )
