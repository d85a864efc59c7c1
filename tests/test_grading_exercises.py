"""Hidden tests check type, shape and length before values (issue 12).

The audit: each exercise's solution is graded once to get its answers as data; then every
answer is replaced in turn by wrong-shaped versions of itself (a 1-element array or list
around a number or a text, ``True`` for 1, a list or Series one item short or one item
long or empty, a Series with an extra label, a dict with a key missing or one too many, a
frame one row short or long) and
every hidden test that reads it must fail. A test that passes on such a value is a hole:
a student gets points for an answer of the wrong form, like ``stage_conversion = []`` did
in exercise 02 (``zip`` stops at the shorter list, so no comparison ran).

The row of the issue's table itself is graded for real at the end: a blank exercise 02
notebook with ``stage_conversion = []`` earns nothing.
"""

from __future__ import annotations

import inspect
import json
import numbers

import numpy as np
import pandas as pd
import pytest
from grading_probes import insert_after
from test_exercises import build_once

from crmlab.grading import answers, build, run, sandbox

pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances")
EXERCISES = build.list_exercises()


@pytest.fixture(scope="module")
def solutions(tmp_path_factory):
    """Exercise -> (autograder, decoded answers of its solution)."""
    root = tmp_path_factory.getbasetemp() / "exercise-build"
    build_once(root)
    out = {}
    with run.Pool(2, sandbox.choose(None)) as pool:
        for name in EXERCISES:
            ag = build.load_autograder(name, build_dir=root, rebuild=False)
            path = root / name / "dist" / "autograder" / f"{name}.ipynb"
            (row,) = run.grade_items(
                ag, [("solution", path)], iso=pool.iso, pool=pool, keep_answers=True
            )
            assert row["status"] == "ok"
            out[name] = (ag, {k: answers.decode(v) for k, v in row["answers"].items()})
    return out


def _hidden_cases(ag):
    """(question, test name, parameters, callable) of every hidden test."""
    from otter.test_files.exception_test import ExceptionTestFile

    cases = []
    for question, source in ag.tests.items():
        for tc in ExceptionTestFile.from_string(source, path=f"{question}.py").test_cases:
            if tc.hidden:
                params = list(inspect.signature(tc.body.test_func).parameters)
                cases.append((question, tc.body.test_func.__name__, params, tc.body.call_func))
    return cases


def _passes(call, env) -> bool:
    try:
        call(env)
    except Exception:  # noqa: BLE001 - any failure of the test is what we look for
        return False
    return True


def wrong_shapes(value) -> list[tuple[str, object]]:
    """Wrong-shaped versions of a correct answer (see the module docstring)."""
    out: list[tuple[str, object]] = []
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        out += [("1-element array", np.array([value])), ("1-element list", [value])]
        out += [("Series", pd.Series([value]))]
        if value in (0, 1):
            out.append(("bool", bool(value)))
    elif isinstance(value, str):
        out += [("1-element list", [value]), ("1-element array", np.array([value]))]
    elif isinstance(value, pd.DataFrame):
        if len(value):
            out += [("one row short", value.iloc[:-1]), ("empty", value.iloc[:0])]
            out.append(("one row long", pd.concat([value, value.iloc[-1:]])))
    elif isinstance(value, (pd.Series, np.ndarray, list, tuple)):
        items = list(value)
        if items:
            out += [("one short", items[:-1]), ("one long", items + items[-1:]), ("empty", [])]
            if isinstance(value, pd.Series):
                out += [("Series one short", value.iloc[:-1])]
                out += [("Series one long", pd.concat([value, value.iloc[-1:]]))]
                extra = pd.Series([value.iloc[-1]], index=["__extra__"])
                out += [("Series with an extra label", pd.concat([value, extra]))]
    elif isinstance(value, dict):
        if value:
            first = next(iter(value))
            out.append(("a key missing", {k: v for k, v in value.items() if k != first}))
            out.append(("empty", {}))
        out.append(("an extra key", {**value, "__extra__": 0}))
    elif isinstance(value, (set, frozenset)) and value:
        out += [("one short", set(list(value)[:-1])), ("empty", set())]
    return out


@pytest.mark.parametrize("name", EXERCISES)
def test_hidden_tests_check_type_shape_and_length_before_values(solutions, name):
    ag, solution = solutions[name]
    cases = _hidden_cases(ag)
    assert cases
    for question, test, _params, call in cases:  # the baseline: the solution passes
        assert _passes(call, solution), f"{question}/{test} fails on the solution"
    holes = []
    for answer, value in solution.items():
        readers = [c for c in cases if answer in c[2]]
        for shape, wrong in wrong_shapes(value):
            # through the codec, as a submission's answer travels
            wrong = answers.decode(json.loads(json.dumps(answers.encode(wrong))))
            env = {**solution, answer: wrong}
            holes += [
                f"{q}/{t}: {answer} as {shape}" for q, t, _, call in readers if _passes(call, env)
            ]
    assert holes == []


def test_an_empty_stage_conversion_earns_nothing(tmp_path_factory, tmp_path):
    """Issue 12's row: exercise 02, ``stage_conversion = []``, graded for real."""
    root = tmp_path_factory.getbasetemp() / "exercise-build"
    build_once(root)
    name = "02_segmentation"
    blank = json.loads(
        (build.exercises_dir() / name / "student" / f"{name}.ipynb").read_text(encoding="utf-8")
    )
    nb = insert_after(blank, "stage_conversion = ...", "stage_conversion = []")
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "empty_list.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    frame = run.grade(name, tmp_path / "subs", build_dir=root, sandbox=None, workers=1)
    row = frame.iloc[0]
    assert row["status"] == "ok"
    assert (row["q5"], row["total"]) == (0, 0)
