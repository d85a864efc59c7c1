"""Assessment variants (issue 18): every exercise rebuilt on another synthetic company.

Two variants of every exercise are built (``crmlab exercises build --seed S``): the build
itself grades the variant's solution (full marks), its blank student notebook (zero) and
checks that the solution passes every public check (no hint written for the committed
company). Here, in addition:

* the default edition's answers (the committed solution) do not get full marks on a
  variant: the values really change with the company;
* the variant's student notebook carries its own data and no expected value;
* for the committed company, every ``substitutions()`` of a ``data.py`` is the identity
  (the committed master is the default variant);
* ``crmlab grade --seed S`` grades a submission of that variant.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

import pytest
from test_exercises import build_once

from crmlab import cli
from crmlab.grading import build, run, sandbox

pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances")
EXERCISES = build.list_exercises()
VARIANTS = [build.variant_spec(seed=11), build.variant_spec(name="term-2025", size=4000)]


@functools.cache
def _build_variant(root: Path, index: int) -> dict:
    variant = VARIANTS[index]
    records = build.build_all(
        build_dir=root / variant["name"], variant=variant, check=True, log=lambda m: None
    )
    return {r["exercise"]: r for r in records}


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    root = tmp_path_factory.getbasetemp() / "exercise-variants"
    return root, [_build_variant(root, i) for i in range(len(VARIANTS))]


@pytest.fixture(scope="module")
def default_root(tmp_path_factory):
    root = tmp_path_factory.getbasetemp() / "exercise-build"
    build_once(root)
    return root


def test_the_variants_differ_from_each_other_and_from_the_committed_company():
    assert VARIANTS[0] == {"name": "seed11", "seed": 11, "n_customers": build.VARIANT_SIZES[11 % 4]}
    assert VARIANTS[1]["n_customers"] == 4000 and VARIANTS[1]["seed"] != 11
    with pytest.raises(ValueError, match="variant name"):
        build.variant_spec(name="../escape")
    with pytest.raises(ValueError, match="at least 4000 customers"):
        build.variant_spec(seed=3, size=3000)


@pytest.mark.parametrize("index", range(len(VARIANTS)))
@pytest.mark.parametrize("name", EXERCISES)
def test_variant_solution_full_marks_blank_zero(variants, index, name):
    _, records = variants
    rows = {row["file"]: row for row in records[index][name]["check"]}
    assert rows["solution"]["status"] == "ok"
    assert rows["solution"]["total"] == rows["solution"]["possible"] > 0
    assert rows["blank"]["total"] == 0 and rows["blank"]["status"] == "ok"


@pytest.mark.parametrize("index", range(len(VARIANTS)))
@pytest.mark.parametrize("name", EXERCISES)
def test_variant_student_notebook_has_its_data_and_no_values(variants, default_root, index, name):
    root, records = variants
    folder = root / VARIANTS[index]["name"] / name / "student"
    text = (folder / f"{name}.ipynb").read_text(encoding="utf-8")
    assert "want = " not in text and "# SOLUTION" not in text
    for data_file in records[index][name]["files"]:
        assert (folder / data_file).is_file()
    key = json.loads((root / VARIANTS[index]["name"] / name / "key.json").read_text("utf-8"))
    default = json.loads((default_root / name / "key.json").read_text("utf-8"))
    assert key.keys() == default.keys()


def _answers_notebook(key: dict, path: Path) -> Path:
    """A submission that copies the answers of the committed edition (its key's values as
    literals): what a student who copies the public answers hands in."""
    import nbformat

    cells = [
        nbformat.v4.new_code_cell(f"{var} = {value!r}")
        for entry in key.values()
        for var, value in entry["answers"].items()
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def _points(ag, path: Path, pool) -> tuple[float, float]:
    (row,) = run.grade_items(ag, [("answers", path)], iso=pool.iso, pool=pool)
    assert row["status"] == "ok"
    got = sum(float(g.get("score") or 0) for g in row["scores"].values())
    possible = sum(float(g.get("possible") or 0) for g in row["scores"].values())
    return got, possible


@pytest.mark.parametrize("name", EXERCISES)
def test_default_answers_do_not_get_full_marks_on_a_variant(variants, default_root, name, tmp_path):
    root, _ = variants
    key = json.loads((default_root / name / "key.json").read_text("utf-8"))
    copied = _answers_notebook(key, tmp_path / "copied.ipynb")
    with run.Pool(1, sandbox.choose(None)) as pool:
        ag = build.load_autograder(name, build_dir=default_root, rebuild=False)
        got, possible = _points(ag, copied, pool)
        assert got == possible > 0  # the copied answers are right for the committed edition
        for variant in VARIANTS:
            ag = build.load_autograder(name, build_dir=root / variant["name"], rebuild=False)
            got, possible = _points(ag, copied, pool)
            if name == "90_question_bank":
                # the multiple-choice part (9 points) does not depend on the data
                assert got <= possible - 7, f"{name} on {variant['name']}: {got}/{possible}"
            else:
                assert got < possible, f"{name} on {variant['name']}: {got}/{possible}"


@pytest.mark.parametrize("name", EXERCISES)
def test_substitutions_are_the_identity_on_the_committed_company(name):
    path = build.exercises_dir() / name / "source" / "data.py"
    spec = importlib.util.spec_from_file_location(f"_sub_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "substitutions"):
        pytest.skip(f"{name} names nothing of the committed company")
    swaps = module.substitutions()
    assert swaps and all(old == new for old, new in swaps.items()), swaps
    master = (path.parent / f"{name}.ipynb").read_text(encoding="utf-8")
    assert all(old in master for old in swaps)


def test_crmlab_grade_with_the_seed_grades_that_variant(variants, tmp_path, capsys):
    root, _ = variants
    name = "02_segmentation"
    build_dir = root / "seed11"
    subs = tmp_path / "subs"
    subs.mkdir()
    solution = build_dir / name / "dist" / "autograder" / f"{name}.ipynb"
    (subs / "student.ipynb").write_bytes(solution.read_bytes())
    out = tmp_path / "gradebook.csv"
    code = cli.main(
        ["grade", name, str(subs), "-o", str(out), "--seed", "11", "--build-dir", str(build_dir)]
    )
    assert code == 0, capsys.readouterr().err
    import pandas as pd

    row = pd.read_csv(out, encoding="utf-8-sig").iloc[0]
    assert row["total"] == row["possible"] == 18


def _markdown(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join(
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    )


def _mentions(text: str, token: str) -> bool:
    import re

    return re.search(rf"(?<![\w,.]){re.escape(token)}(?![\w,]|\.\d)", text) is not None


@pytest.mark.parametrize("index", range(len(VARIANTS)))
@pytest.mark.parametrize("name", EXERCISES)
def test_variant_prose_names_nothing_of_the_committed_company(variants, index, name):
    """The prose of a variant's student notebook describes no figure of the committed
    company: neither the size of a committed data file (rows, customers) nor any customer id
    or number the build substitutes, unless the variant's own data gives the same."""
    import re

    import pandas as pd

    root, records = variants
    committed = build.exercises_dir() / name / "student"
    folder = root / VARIANTS[index]["name"] / name
    text = _markdown(folder / "student" / f"{name}.ipynb")
    facts = []
    for f in records[index][name]["files"]:
        old, new = pd.read_csv(committed / f), pd.read_csv(folder / "student" / f)
        pairs = [(len(old), len(new))]
        if "customer_id" in old:
            pairs.append((old["customer_id"].nunique(), new["customer_id"].nunique()))
        facts += [a for a, b in pairs if a != b and a >= 100]
    tokens = [f"{n:,}" for n in facts] + [str(n) for n in facts]
    swaps_file = folder / "swaps.json"
    if swaps_file.exists():
        for old, new in json.loads(swaps_file.read_text("utf-8")).items():
            pattern = r"C\d{6}|\d+(?:[.,]\d+)*"
            kept = set(re.findall(pattern, str(new)))
            tokens += [t for t in re.findall(pattern, old) if t not in kept and len(t) >= 3]
    named = sorted({t for t in tokens if _mentions(text, t)})
    assert not named, f"{name} on {VARIANTS[index]['name']}: the prose names {named}"


def test_the_prose_check_finds_a_figure_only_as_a_whole():
    # the sentence the exercise 03 prose had: the committed company's 1,310 respondents
    assert _mentions("answered the survey of chapter 01 (1,310\ncustomers)", "1,310")
    assert not _mentions("11,310 customers", "1,310") and not _mentions("1,3101", "1,310")
    assert not _mentions("week 98.29", "98") and _mentions("customer C000844 (5", "C000844")
