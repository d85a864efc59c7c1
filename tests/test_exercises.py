"""Every exercise: it builds (the solution passes all its tests), the solution gets full
marks and the blank student notebook zero when graded, the blank runs without error, and
the committed student folder equals a freshly built one.

All exercises are built once per session into a temporary folder (``build_once``, also
used by ``test_grading.py``); the build itself grades the solution and the blank student
notebook through ``crmlab grade``'s engine. nbval runs the committed student notebooks in
a real Jupyter kernel as part of ``make test`` as well.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from crmlab import grading

EXERCISES = grading.list_exercises()
# otter (imported by the build) passes a trait type to traitlets, which warns
pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances")


@functools.cache
def build_once(root: Path) -> dict[str, dict]:
    """Build every exercise into ``root`` (with the solution/blank check); cached."""
    records = grading.build_all(
        build_dir=root, update_student=False, check=True, log=lambda msg: None
    )
    return {r["exercise"]: r for r in records}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    root = tmp_path_factory.getbasetemp() / "exercise-build"
    return root, build_once(root)


def _rows(record: dict) -> dict[str, dict]:
    return {row["file"]: row for row in record["check"]}


def _sources(path: Path) -> list[tuple[str, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        (c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
        for c in nb["cells"]
    ]


def test_every_chapter_has_its_exercise():
    # one exercise per chapter notebook that has landed, plus the course's question bank
    assert EXERCISES == [
        "00_why_crm",
        "01_customer_survey",
        "02_segmentation",
        "03_loyalty",
        "04_churn",
        "05_customer_value",
        "06_crm_systems",
        "90_question_bank",
    ]


@pytest.mark.parametrize(
    "name", ["01_customer_survey", "02_segmentation", "03_loyalty", "04_churn", "05_customer_value"]
)
def test_chapter_exercises_have_at_least_six_questions(built, name):
    root, _ = built
    ag = grading.load_autograder(name, build_dir=root, rebuild=False)
    assert len(ag.tests) >= 6


@pytest.mark.parametrize("name", EXERCISES)
def test_build_succeeds_and_solution_gets_full_marks(built, name):
    root, records = built
    sol = _rows(records[name])["solution"]
    assert sol["status"] == "ok"
    assert sol["possible"] > 0
    assert sol["total"] == sol["possible"]
    assert (root / name / "autograder.zip").is_file()


@pytest.mark.parametrize("name", EXERCISES)
def test_blank_student_notebook_gets_zero_and_runs_without_error(built, name):
    _, records = built
    blank = _rows(records[name])["blank"]
    assert blank["total"] == 0
    assert blank["status"] == "ok"  # no cell raised


@pytest.mark.parametrize("name", EXERCISES)
def test_committed_student_folder_equals_a_fresh_build(built, name):
    root, records = built
    fresh, committed = root / name / "student", grading.exercises_dir() / name / "student"
    assert _sources(committed / f"{name}.ipynb") == _sources(fresh / f"{name}.ipynb"), (
        f"exercises/{name}/student/ is out of date: run `make exercises`."
    )
    for data_file in records[name]["files"]:
        assert (committed / data_file).read_bytes() == (fresh / data_file).read_bytes()
    # the committed notebook carries public tests only, never hidden ones or solutions
    nb = json.loads((committed / f"{name}.ipynb").read_text(encoding="utf-8"))
    tests = "\n".join(nb["metadata"]["otter"]["tests"].values())
    assert "hidden=True" not in tests and "hidden=False" in tests
    assert "# SOLUTION" not in json.dumps(nb)


@pytest.mark.parametrize("name", EXERCISES)
def test_public_tests_hint_and_hidden_tests_check_values(built, name):
    root, _ = built
    ag = grading.load_autograder(name, build_dir=root, rebuild=False)
    for question, source in ag.tests.items():
        cases = re.findall(r"@test_case\(points=([^,]+), hidden=(True|False)", source)
        assert ("0", "False") in cases, f"{question} has no hint-only public test"
        assert any(h == "True" for _, h in cases), f"{question} has no hidden test"


def test_chapter_00_has_at_least_five_computing_questions(built):
    root, _ = built
    ag = grading.load_autograder("00_why_crm", build_dir=root, rebuild=False)
    assert len(ag.tests) >= 5
    assert {
        "top20_share",
        "gini",
        "weekly_profit_leaky",
        "uplift_80_85",
        "wom_people_put_off",
        "unprofitable_share",
    } <= set(ag.names)


def test_question_bank_answer_key_and_reasons(built):
    """The nine keys of the course (1 B, 2 A, 3 C, 4 D, 5 C, 6 A, 7 A, 8 A, 9 B), each with a
    one-line reason in the master's solution; the short answers and the essay are manual."""
    root, _ = built
    ag = grading.load_autograder("90_question_bank", build_dir=root, rebuild=False)
    key = dict(zip([f"mc{i}" for i in range(1, 10)], "BACDCAAAB", strict=True))
    for question, letter in key.items():
        # the key is the solution's answer, computed at build time
        assert re.search(rf"want = [\"']{letter}[\"']", ag.tests[question]), question
    master = (
        grading.exercises_dir() / "90_question_bank" / "source" / "90_question_bank.ipynb"
    ).read_text(encoding="utf-8")
    assert master.count("理由 (reason):") == 9
    manual = {q["name"]: q["points"] for q in ag.questions if q["manual"]}
    assert manual == {"sa1": 4, "sa2": 6, "sa3": 5, "essay": 10}
    assert master.count("**Rubric (") == 4 and master.count("**Model answer") == 4
    student = (
        grading.exercises_dir() / "90_question_bank" / "student" / "90_question_bank.ipynb"
    ).read_text(encoding="utf-8")
    assert "Rubric (" not in student and student.count("manually graded") >= 4
    assert {"kc1", "kc2", "kc3", "kc4"} <= set(ag.tests)


def test_unknown_exercise_lists_the_available_ones():
    with pytest.raises(ValueError, match="available: " + ", ".join(EXERCISES)):
        grading.build_exercise("07_nope", check=False)
    assert grading._resolve("00") == "00_why_crm"
    assert grading._resolve("exercises/90_question_bank/") == "90_question_bank"
