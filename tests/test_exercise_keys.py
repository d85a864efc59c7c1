"""Answer keys and diagnosed mistakes of the exercises (issue 18).

* The key of the default variant (computed at build time by running each master's
  solution) agrees with the values worked out by hand: the former hidden tests, with their
  arithmetic, kept in ``tests/exercise_reference/`` and run here on the key.
* Every computed question diagnoses at least two mistakes, and each diagnosis is tested by
  feeding the wrong answer it is meant for to the student notebook's public checks: the
  check of that variable names the mistake, no other mistake's message appears, and a form
  check fails only if its message says what the mistake declares (no misleading hint).
* The issue's own cases: a share given as a percentage (83.6 for 0.836) is told
  "percentage", not "sort"; returns counted as purchases (on the committed company's
  data: 155 lines, 661,421.19 yuan) are told so.
* Exercise 05's q5 on a tie: n_top = round(0.05 x 3,530) = round(176.5) is 176; a student
  who rounds the half up (177, and n_stay 115 with it) is told that round() sends a half to
  the even number, in English and in Chinese, by the public checks and by a real grading.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
from pathlib import Path

import pytest
from test_exercises import build_once

from crmlab.grading import build, keys, scorer

pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances")
EXERCISES = build.list_exercises()
REFERENCE = Path(__file__).parent / "exercise_reference"
# questions whose answers are chosen, not computed (letters, words of a table)
CHOICE_ONLY = {
    ("01_customer_survey", "q8"),
    ("03_loyalty", "q3"),
    ("03_loyalty", "q6"),
    *(("90_question_bank", f"mc{i}") for i in range(1, 10)),
}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.getbasetemp() / "exercise-build"
    build_once(root)
    return root


def _key(root, name):
    return json.loads((root / name / "key.json").read_text(encoding="utf-8"))


def _public_tests(root, name):
    nb = json.loads((root / name / "student" / f"{name}.ipynb").read_text(encoding="utf-8"))
    return nb["metadata"]["otter"]["tests"]


def _reference_functions(name):
    spec = importlib.util.spec_from_file_location(f"ref_{name}", REFERENCE / f"ex{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [f for n, f in vars(module).items() if n.startswith("test_") and callable(f)]


@pytest.mark.parametrize("name", EXERCISES)
def test_key_agrees_with_the_hand_worked_values(root, name):
    answers = {}
    for entry in _key(root, name).values():
        answers.update(entry["answers"])
    functions = _reference_functions(name)
    assert functions, f"no hand-worked values for {name}"
    for f in functions:
        params = list(inspect.signature(f).parameters)
        f(*[answers[p] for p in params])  # raises AssertionError on a disagreement


def _score(tests: dict, question: str, answers: dict) -> list[dict]:
    parsed = scorer.parse_tests({question: tests[question]})
    from crmlab.grading import answers as codec

    payload = {k: codec.encode(v) for k, v in answers.items()}
    return scorer.score(parsed, payload)[question]["tests"]


@pytest.mark.parametrize("name", EXERCISES)
def test_every_computed_question_diagnoses_two_mistakes(root, name):
    key = _key(root, name)
    for q, entry in key.items():
        if (name, q) in CHOICE_ONLY:
            continue
        assert len(entry["mistakes"]) >= 2, f"{name} {q}: {len(entry['mistakes'])} mistakes"


@pytest.mark.parametrize("name", EXERCISES)
def test_each_mistake_gets_its_diagnosis_and_no_misleading_hint(root, name):
    key, tests = _key(root, name), _public_tests(root, name)
    for q, entry in key.items():
        right = dict(entry["answers"])
        results = _score(tests, q, right)
        assert all(t["passed"] for t in results), (name, q, results)
        for m in entry["mistakes"]:
            wrong = {**right, **m["values"]}
            results = {t["name"]: t for t in _score(tests, q, wrong)}
            for var in m["values"]:
                t = results[f"test_{q}_{var}_value"]
                assert not t["passed"], (name, q, m["mistake"], var)
                assert m["mistake"] in t["message"], (name, q, m["mistake"], t["message"])
                others = [o["mistake"] for o in entry["mistakes"] if o is not m]
                for other in others:
                    if other not in m["mistake"]:
                        # a message may join mistakes only when they give the same value
                        same = any(
                            o["mistake"] == other
                            and var in o["values"]
                            and keys.same(o["values"][var], m["values"][var])
                            for o in entry["mistakes"]
                        )
                        assert same or other not in t["message"], (name, q, other, t["message"])
            for tname, t in results.items():
                if t["passed"] or tname.endswith("_value"):
                    continue
                words = m["form_hint"]
                assert any(w.lower() in t["message"].lower() for w in words), (
                    f"{name} {q}: mistake {m['mistake']!r} makes the form check {tname} "
                    f"fail with a message that does not explain it: {t['message']}"
                )


def test_percentage_for_a_share_is_told_percentage_not_sort(root):
    name = "02_segmentation"
    key, tests = _key(root, name), _public_tests(root, name)
    right = dict(key["q3"]["answers"])
    # 0.8077 given as 80.77 (a percentage)
    wrong = {**right, "top20_share_2024": right["top20_share_2024"] * 100}
    messages = " ".join(t["message"] for t in _score(tests, "q3", wrong) if not t["passed"])
    assert "percentage" in messages.lower()
    assert "sort" not in messages.lower()


def test_returns_counted_as_purchases_are_diagnosed(root):
    name = "02_segmentation"
    key, tests = _key(root, name), _public_tests(root, name)
    right = dict(key["q1"]["answers"])
    # the mistake on C000935: 155 lines (146 purchases + 9 returns); purchases
    # alone 661,421.19 yuan instead of the net 644,611.88 (returns -16,809.31)
    wrong = {**right, "frequency_c": 155, "monetary_c": 661421.19}
    results = {t["name"]: t for t in _score(tests, "q1", wrong)}
    assert "return" in results["test_q1_frequency_c_value"]["message"].lower()
    assert "return" in results["test_q1_monetary_c_value"]["message"].lower()
    assert results["test_q1_recency_c_value"]["passed"]


def test_a_right_value_of_another_form_is_refused_with_a_form_message():
    env: dict = {"_CRM_LANG": "en"}
    exec(keys.SAY_SOURCE + keys.SAME_SOURCE, env)
    assert env["_crm_form"]("x", [0.5], 0.5) == "x should be one number, got list."
    assert env["_crm_form"]("x", [], [0.375, 0.5, 0.625]) == "x should hold 3 items, not 0."
    assert keys.same(0.8363, 0.8363)
    assert not keys.same(True, 1)
    assert keys.same(["C2", "C1"], ["C1", "C2"], {"ordered": False})  # ids: a set
    assert not keys.same(["C2", "C1"], ["C1", "C2"])  # labels in order
    assert not keys.same([0.5, 0.25], [0.25, 0.5])  # numbers: in order


def test_a_dataframe_answer_is_compared_column_by_column():
    """A SQL result (exercise 06) is a DataFrame: its key is {column: [values in row
    order]}; the same table passes, a dropped row, a renamed column or other values do
    not, and the form message names the columns or the number of rows."""
    import pandas as pd

    env: dict = {"_CRM_LANG": "en"}
    exec(keys.SAY_SOURCE + keys.SAME_SOURCE, env)
    table = pd.DataFrame({"manager_id": ["M1", "M2"], "n": [3, 0], "revenue": [10.5, 0.0]})
    want = keys.plain(table)
    assert want == {"manager_id": ["M1", "M2"], "n": [3, 0], "revenue": [10.5, 0.0]}
    assert keys.same(table, want)
    assert keys.same(table[["revenue", "n", "manager_id"]], want)  # column order is free
    assert not keys.same(table.iloc[:1], want)  # an inner join dropped M2
    assert not keys.same(table.rename(columns={"n": "count"}), want)
    assert not keys.same(table.assign(n=[4, 0]), want)  # 4 rows counted, not 3
    assert not keys.same(table.iloc[::-1].reset_index(drop=True), want)  # rows in order
    doubled = pd.concat([table, table[["n"]]], axis=1)  # a column name twice
    assert not keys.same(doubled, want)
    form = env["_crm_form"]
    assert form("t", table, want) is None
    assert form("t", None, want).startswith("t is None: no value yet")
    assert form("t", table.iloc[:1], want) == "t should have 2 rows, not 1."
    assert form("t", table.rename(columns={"n": "count"}), want) == (
        "t should have exactly the columns ['manager_id', 'n', 'revenue']; missing ['n'], "
        "extra ['count']."
    )


def _grade_one(ag, notebook: dict, tmp_path):
    """Grade ``notebook`` for real (the sandbox, one worker): its gradebook row and the
    text of its feedback file."""
    from crmlab.grading import gradebook, run, sandbox

    path = tmp_path / "student.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    with run.Pool(1, sandbox.choose(None)) as pool:
        results = run.grade_items(ag, [("student.ipynb", path)], iso=pool.iso, pool=pool)
    frame = gradebook.gradebook_frame(ag, results)
    (text_path,) = gradebook.write_feedback(ag, results, frame, tmp_path / "feedback")
    return frame.iloc[0], text_path.read_text(encoding="utf-8")


def test_the_gradebook_and_feedback_name_the_mistake_of_a_graded_notebook(root, tmp_path):
    """Exercise 02 done with the issue's mistake (returns counted as purchases and left out
    of net spend), graded for real: q1 loses the points of those two values, and the
    gradebook's reason and the feedback file name the mistake, never the expected value."""
    from grading_probes import insert_after

    name = "02_segmentation"
    ag = build.load_autograder(name, build_dir=root, rebuild=False)
    solution = json.loads(
        (root / name / "dist" / "autograder" / f"{name}.ipynb").read_text(encoding="utf-8")
    )
    wrong = insert_after(
        solution, "monetary_c = ", "frequency_c = len(lines)\nmonetary_c = bought['amount'].sum()"
    )
    row, text = _grade_one(ag, wrong, tmp_path)
    assert row["status"] == "ok"
    assert row["q1"] == 1  # 3 points over three values: only recency_c is right
    assert "return lines counted as purchases" in row["q1 why"]
    assert "returns left out of net spend" in row["q1 why"]
    assert "644611" not in row["q1 why"] and "146" not in row["q1 why"]
    assert "return lines counted as purchases" in text
    assert "644611" not in text


def test_running_a_solution_leaves_the_plot_backend_as_it_was(monkeypatch):
    # MPLBACKEND=Agg left behind reached the nbval kernels of the same pytest run and took
    # every inline figure out of the chapter notebooks
    monkeypatch.delenv("MPLBACKEND", raising=False)
    with keys._agg_backend():
        assert os.environ["MPLBACKEND"] == "Agg"
    assert "MPLBACKEND" not in os.environ
    monkeypatch.setenv("MPLBACKEND", "module://x")
    with keys._agg_backend():
        pass
    assert os.environ["MPLBACKEND"] == "module://x"


# --- Chinese messages ---------------------------------------------------------------------
@pytest.mark.parametrize("name", EXERCISES)
def test_every_mistake_is_written_in_english_and_chinese(name):
    data = keys.load_mistakes(build.exercises_dir() / name / "source")
    n = 0
    for q, items in data.items():
        if q == "compare":
            continue
        for m in items:
            n += 1
            for field in ("mistake_zh", "hint_zh"):
                # Chinese text: at least one CJK ideograph (U+4E00..U+9FFF)
                assert any("\u4e00" <= ch <= "\u9fff" for ch in m[field]), (name, q, field, m)
            # a translation, not a copy (English texts may quote a Chinese course term)
            assert m["mistake_zh"] != m["mistake"] and m["hint_zh"] != m["hint"], (name, q, m)
    assert n >= 2


def test_a_mistake_without_its_chinese_text_is_refused(tmp_path):
    (tmp_path / "mistakes.yaml").write_text(
        "q1:\n  - mistake: m\n    hint: h\n    mistake_zh: 错\n    code: x = 1\n",
        encoding="utf-8",
    )
    with pytest.raises(keys.KeyError_, match=r"q1, mistake 1 \('m'\) has no \['hint_zh'\]"):
        keys.load_mistakes(tmp_path)


def test_a_check_speaks_the_language_of_crmlab_lang(root, monkeypatch):
    """The issue's mistake (return lines counted as purchases) checked by a student: in
    Chinese with CRMLAB_LANG=zh, in English with en, both (English first) when unset."""
    name = "02_segmentation"
    key, tests = _key(root, name), _public_tests(root, name)
    (m,) = [m for m in key["q1"]["mistakes"] if m["mistake"] == "return lines counted as purchases"]
    wrong = {**key["q1"]["answers"], **m["values"]}

    def message(lang):
        if lang is None:
            monkeypatch.delenv("CRMLAB_LANG", raising=False)
        else:
            monkeypatch.setenv("CRMLAB_LANG", lang)
        results = {t["name"]: t for t in _score(tests, "q1", wrong)}
        return results["test_q1_frequency_c_value"]["message"]

    zh, en, both = message("zh"), message("en"), message(None)
    assert "把退货行算作购买" in zh and "计数前先去掉 is_return 为 True 的行" in zh
    assert "return lines counted as purchases" not in zh
    assert "return lines counted as purchases" in en and "退货" not in en
    assert both.index("return lines counted") < both.index("把退货行算作购买")
    # a form message too: an answer not given yet
    monkeypatch.setenv("CRMLAB_LANG", "zh")
    results = {t["name"]: t for t in _score(tests, "q1", {**wrong, "frequency_c": [1, 2]})}
    assert "应为一个数" in results["test_q1_frequency_c_value"]["message"]


def test_hidden_tests_stay_in_english_for_the_gradebook(root, monkeypatch):
    from crmlab.grading import build as b

    monkeypatch.setenv("CRMLAB_LANG", "zh")
    ag = b.load_autograder("02_segmentation", build_dir=root, rebuild=False)
    key = _key(root, "02_segmentation")
    (m,) = [m for m in key["q1"]["mistakes"] if m["mistake"] == "return lines counted as purchases"]
    results = {
        t["name"]: t for t in _score(ag.tests, "q1", {**key["q1"]["answers"], **m["values"]})
    }
    hidden = results["test_q1_frequency_c_value"]
    assert hidden["hidden"] and "looks like a common mistake: return lines" in hidden["message"]


# --- the form checks' messages (the public checks written in each master) -----------------
def _test_cells(name):
    master = build.exercises_dir() / name / "source" / f"{name}.ipynb"
    nb = json.loads(master.read_text(encoding="utf-8"))
    return master, [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code" and "# BEGIN TEST CONFIG" in "".join(c["source"])
    ]


@pytest.mark.parametrize("name", EXERCISES)
def test_every_form_check_message_has_its_chinese_text(name):
    master, cells = _test_cells(name)
    pairs, problems = keys.master_form_messages(master)
    assert not problems, problems
    # counted a second way, by the lines of the test cells: every assert and every
    # raise AssertionError has its message, and each is one pair (English, Chinese)
    import re

    statements = sum(
        len(re.findall(r"^\s*(?:assert\b|raise AssertionError\()", cell, re.M)) for cell in cells
    )
    assert len(pairs) == statements > 0
    for en, zh in pairs:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) and zh != en, (name, en, zh)


def test_a_form_check_without_its_chinese_text_is_refused(tmp_path, monkeypatch):
    cell = (
        '""" # BEGIN TEST CONFIG\npoints: 0\n""" # END TEST CONFIG\n'
        "def test_q1_x_hint(x):\n"
        '    assert x is not ..., "x: not answered yet."\n'  # cell line 5
        '    assert x > 0, _crm_say("x is positive.", "x is positive.")\n'
        '    assert x < 1, _crm_say(f"x is {x}.", "x 应小于 1。")\n'
        '    assert x != 0.5, _crm_say("x is not a half.", "x 不是 0.5。")\n'
        "test_q1_x_hint(x)"
    )
    pairs, problems = keys.form_messages(cell)
    assert pairs == [("x is not a half.", "x 不是 0.5。")]
    assert problems == [
        "line 5: 'x: not answered yet.' is not _crm_say(english, chinese)",
        "line 6: 'x is positive.' has no Chinese text after it",
        "line 7: 'x is {x}.': the Chinese shows [], the English ['{x}']",
    ]
    # and the build stops on such a master, before running anything
    master = tmp_path / "99_x" / "source" / "99_x.ipynb"
    master.parent.mkdir(parents=True)
    master.write_text(
        json.dumps({"cells": [{"cell_type": "code", "source": cell, "metadata": {}}]}), "utf-8"
    )
    monkeypatch.setenv("CRMLAB_EXERCISES_DIR", str(tmp_path))
    with pytest.raises(build.BuildError, match=r"99_x: form checks without their Chinese"):
        build.build_exercise("99_x", build_dir=tmp_path / "build", check=False)
    assert not (tmp_path / "build").exists()


def _form_results(tests, question, answers, lang, monkeypatch):
    if lang is None:
        monkeypatch.delenv("CRMLAB_LANG", raising=False)
    else:
        monkeypatch.setenv("CRMLAB_LANG", lang)
    return {t["name"]: t for t in _score(tests, question, answers)}


def test_a_form_check_speaks_the_language_of_crmlab_lang(root, monkeypatch):
    """A share given as a percentage (exercise 02, q3: 83.6 for 0.836) fails the form check
    of the student's notebook in Chinese with CRMLAB_LANG=zh, in English with en, in both
    (English first) when unset; the autograder's copy of the same check speaks English
    whatever the grader's CRMLAB_LANG (the gradebook and feedback files are English)."""
    name = "02_segmentation"
    key, tests = _key(root, name), _public_tests(root, name)
    right = dict(key["q3"]["answers"])
    wrong = {**right, "top20_share_2024": right["top20_share_2024"] * 100}
    test = "test_q3_top20_share_2024_hint"

    def message(lang, source=tests):
        results = _form_results(source, "q3", wrong, lang, monkeypatch)
        assert not results[test]["passed"] and not results[test]["hidden"]
        return results[test]["message"]

    zh, en, both = message("zh"), message("en"), message(None)
    assert "是 0.2 到 1 之间的比例" in zh and "不要写百分数" in zh
    assert "percentage" not in zh
    assert "not a percentage" in en and not any("\u4e00" <= ch <= "\u9fff" for ch in en)
    assert both.index("not a percentage") < both.index("不要写百分数")
    # the autograder (crmlab grade) under a Chinese environment: still English
    ag = build.load_autograder(name, build_dir=root, rebuild=False)
    assert message("zh", ag.tests) == en
    # every exercise's student notebook: a blank answer is told so in Chinese
    for ex in EXERCISES:
        public = _public_tests(root, ex)
        q = next(iter(public))
        names = build._test_names(public[q])
        results = _form_results(public, q, dict.fromkeys(names, ...), "zh", monkeypatch)
        failed = [t["message"] for t in results.values() if not t["passed"]]
        assert failed and all("还没有作答" in m for m in failed), (ex, failed)


# the hints a wrong answer gets, written for that wrong answer (issue 18's audit): a share
# given as a percentage is told "percentage", never to sort or that it is above 80%; the
# other wrong answer of the same range (sorted the wrong way) is told to sort
HINT_CASES = [
    # (exercise, question, variable, wrong answer from the right one, must say, must not say)
    ("00_why_crm", "q2", "bottom50_share", lambda v: v * 100, "not a percentage", "sort"),
    ("00_why_crm", "q2", "bottom50_share", lambda v: 1 - v, "sort from smallest", "percentage"),
    ("00_why_crm", "q2", "gini", lambda v: v * 100, "not a percentage", "sort"),
    ("00_why_crm", "q2", "gini", lambda v: -v, "sorted from largest", "percentage"),
    ("02_segmentation", "q6", "key_revenue_share", lambda v: v * 100, "percentage", "80%"),
    ("02_segmentation", "q3", "top20_share_2024", lambda v: v * 100, "percentage", "sort"),
]


@pytest.mark.parametrize("case", HINT_CASES, ids=[f"{c[2]}-{c[4]}" for c in HINT_CASES])
def test_a_hint_explains_the_wrong_answer_it_is_written_for(root, monkeypatch, case):
    name, question, var, wrong_of, says, not_says = case
    key, tests = _key(root, name), _public_tests(root, name)
    right = dict(key[question]["answers"])
    results = _form_results(
        tests, question, {**right, var: wrong_of(right[var])}, "en", monkeypatch
    )
    hint = results[f"test_{question}_{var}_hint"]
    assert not hint["passed"]
    assert says in hint["message"] and not_says not in hint["message"], hint["message"]


@pytest.mark.parametrize(
    "name, question, var, wrong, says",
    [
        ("02_segmentation", "q5", "stage_conversion", 0.5, "should be a list of three numbers"),
        ("02_segmentation", "q6", "lapsing_a", 3, "should be a list of customer ids"),
        ("90_question_bank", "kc3", "tier_counts", [1, 2], "should be a dict or a Series"),
        ("90_question_bank", "kc4", "at_risk", 7, "should be a list of customer ids"),
    ],
)
def test_a_number_where_a_list_is_asked_gets_a_message_not_a_python_error(
    root, monkeypatch, name, question, var, wrong, says
):
    key, tests = _key(root, name), _public_tests(root, name)
    answers = dict(key[question]["answers"]) if question in key else {}
    results = _form_results(tests, question, {**answers, var: wrong}, "en", monkeypatch)
    # the form check of that variable is the one check (not of the value) that fails
    (check,) = [t for n, t in results.items() if not t["passed"] and not n.endswith("_value")]
    assert check["message"].startswith("AssertionError: ") and says in check["message"]


def _bilingual_tool():
    path = Path(__file__).resolve().parents[1] / "tools" / "bilingual_checks.py"
    spec = importlib.util.spec_from_file_location("bilingual_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tool_makes_a_plain_form_check_bilingual():
    """tools/bilingual_checks.py on a test cell in the former style: the usual message from
    its pattern, the other from the table; the result passes the build's check, runs, and
    speaks each language; a message missing from the table changes nothing."""
    tool = _bilingual_tool()
    cell = (
        '""" # BEGIN TEST CONFIG\npoints: 0\n""" # END TEST CONFIG\n'
        "def test_q1_rates_hint(rates):\n"
        '    assert rates is not ..., "rates: not answered yet."\n'
        "    assert len(rates) == 3, (\n"
        '        f"rates needs three rates, "\n'
        '        f"got {len(rates)}.")\n'
        "test_q1_rates_hint(rates)"
    )
    table = {
        "rates needs three rates, got {len(rates)}.": "rates 需要三个比率，得到 {len(rates)} 个。"
    }
    assert tool.convert_cell(cell, {}) == (cell, ["rates needs three rates, got {len(rates)}."])
    new, missing = tool.convert_cell(cell, table)
    assert missing == []
    pairs, problems = keys.form_messages(new)
    assert problems == []
    assert pairs == [
        ("rates: not answered yet.", "rates：还没有作答。"),
        (
            "rates needs three rates, got {len(rates)}.",
            "rates 需要三个比率，得到 {len(rates)} 个。",
        ),
    ]
    # the function runs: English and Chinese by CRMLAB_LANG as in a student's notebook
    env: dict = {}
    exec(keys.form_language("from otter.test_files import test_case\n", None), env)
    exec(new.split('""" # END TEST CONFIG\n', 1)[1].rsplit("\n", 1)[0], env)
    for lang, text in [("en", "rates needs three rates, got 2."), ("zh", "得到 2 个")]:
        env["_CRM_LANG"] = lang
        with pytest.raises(AssertionError, match=text):
            env["test_q1_rates_hint"]([0.5, 0.5])


# --- exercise 05, question 5: n_top = round(0.05 * n) on a tie ------------------------------
# On the committed data n = 3,530 customers and 0.05 * 3530 is exactly 176.5 in floating
# point (Decimal(0.05 * 3530) == Decimal("176.5"): the product of the double nearest 0.05
# and 3530 rounds to the tie). Python's round() sends the half to the even number, 176 (the
# key); rounding half up (int(x + 0.5), math.floor(x + 0.5), Decimal ROUND_HALF_UP) or up
# (math.ceil) gives 177. Worked out with plain pandas on student/customer_value.csv
# (sort_values(kind="mergesort"), head(k), no nlargest; no ties at ranks 176-177 of either
# column): the top 177 by past_revenue add C002730 (2,191,846.14; its predicted_clv
# 1,428,555.02 is already in the top 176), the top 177 by predicted_clv add C002932
# (1,366,360.63; past 1,787,707.69, outside), so n_stay = 114 + 1 = 115 and the 62 who fall
# out, 18 of them with p_alive < 0.5, are unchanged: n_fall_gone stays 18.
HALF_UP_177 = {"n_top": 177, "n_stay": 115, "n_fall_gone": 18}


def test_the_half_rounded_up_gives_the_hand_worked_values(root):
    key = _key(root, "05_customer_value")["q5"]
    assert key["answers"] == {"n_top": 176, "n_stay": 114, "n_fall_gone": 18}
    (m,) = [m for m in key["mistakes"] if m["mistake"] == "a half rounded up"]
    # n_fall_gone is right under 177 too, so the mistake diagnoses only n_top and n_stay
    assert m["values"] == {"n_top": 177, "n_stay": 115}
    # the top groups cut at quantile(0.95) hold 177 customers each (linear interpolation
    # at position 0.95 x 3,529 = 3,352.55: ranks 3,354-3,530 ascending, 177 rows), so
    # n_stay is 115 again: the two mistakes share the message of that value
    (q,) = [m for m in key["mistakes"] if m["mistake"] == "top 5% cut at quantile(0.95)"]
    assert q["values"] == {"n_stay": 115}
    # the 62 who fall out, all counted; the pyramid of the past on revenue (2022-2024):
    # top 176 by revenue share 126 with the top 176 by predicted_clv, 50 fall out, 10 of
    # them with p_alive < 0.5
    values = {m["mistake"]: m["values"] for m in key["mistakes"]}
    assert values["every customer who fell out counted"] == {"n_fall_gone": 62}
    assert values["revenue instead of past_revenue"] == {"n_stay": 126, "n_fall_gone": 10}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_n_top_of_177_is_told_round_sends_a_half_to_the_even_number(root, monkeypatch, lang):
    """A student who rounds 176.5 up (177, and n_stay 115 with it) is told why, in the
    language of CRMLAB_LANG; never the expected value."""
    tests = _public_tests(root, "05_customer_value")
    results = _form_results(tests, "q5", HALF_UP_177, lang, monkeypatch)
    n_top, n_stay = results["test_q5_n_top_value"], results["test_q5_n_stay_value"]
    assert results["test_q5_n_fall_gone_value"]["passed"]
    assert not n_top["passed"] and not n_stay["passed"]
    # the form checks pass: 177 is a whole number below 3,530, 115 <= 177
    assert all(t["passed"] for n, t in results.items() if n.endswith("_hint")), results
    for t in (n_top, n_stay):
        text = t["message"]
        if lang == "en":
            assert "looks like a common mistake: a half rounded up" in text
            assert "0.05 * 3530 = 176.5 is a tie" in text
            assert "round() sends a half to the even number" in text
            assert "rounding half up (int(x + 0.5), ceil)" in text
            assert "偶数" not in text
        else:
            assert "像一个常见错误：把恰好一半的数向上取整了" in text
            assert "0.05 * 3530 = 176.5 恰好是一半" in text
            assert "取到偶数" in text and "a half rounded up" not in text
        assert "right form but not the right value" not in text
        assert "形式正确，但数值不对" not in text
        # the key's values are never told (176.5 is the question's own product, not 176)
        assert "176." in text and "176 " not in text and "176，" not in text
        assert "114" not in text
    # n_stay 115 is also what the top groups cut at quantile(0.95) give: both are named
    also = "Or: top 5% cut at quantile(0.95)" if lang == "en" else "或者：用 quantile(0.95) 划分"
    assert also in n_stay["message"]
    assert "quantile" not in n_top["message"]


def test_n_stay_of_177_with_n_top_right_is_diagnosed(root, monkeypatch):
    """n_top right (176) but the groups one customer larger (nlargest(177, ...), or
    quantile(0.95)): n_stay alone fails, named by both mistakes that give 115."""
    tests = _public_tests(root, "05_customer_value")
    answers = {**HALF_UP_177, "n_top": 176}
    results = _form_results(tests, "q5", answers, "en", monkeypatch)
    assert results["test_q5_n_top_value"]["passed"]
    text = results["test_q5_n_stay_value"]["message"]
    assert "a half rounded up" in text and "Or: top 5% cut at quantile(0.95)" in text


def test_a_graded_notebook_that_rounds_the_half_up_loses_the_two_values(root, tmp_path):
    """Exercise 05 done with int(0.05 * n + 0.5), graded for real: q5 (3 points over three
    values) keeps only n_fall_gone's point; the gradebook names the mistake, the feedback
    file gives its hint."""
    from grading_probes import insert_after

    name = "05_customer_value"
    ag = build.load_autograder(name, build_dir=root, rebuild=False)
    solution = json.loads(
        (root / name / "dist" / "autograder" / f"{name}.ipynb").read_text(encoding="utf-8")
    )
    wrong = insert_after(
        solution,
        "n_fall_gone = int(",
        "n_top = int(0.05 * len(customers) + 0.5)\n"
        "top_past = set(customers.nlargest(n_top, 'past_revenue')['customer_id'])\n"
        "top_pred = set(customers.nlargest(n_top, 'predicted_clv')['customer_id'])\n"
        "fell = customers[customers['customer_id'].isin(top_past - top_pred)]\n"
        "n_stay = len(top_past & top_pred)\n"
        "n_fall_gone = int((fell['p_alive'] < 0.5).sum())",
    )
    row, text = _grade_one(ag, wrong, tmp_path)
    assert row["status"] == "ok"
    assert row["q5"] == 1  # n_fall_gone is 18 with 177 too
    assert row["total"] == row["possible"] - 2  # the other questions keep their points
    assert row["q5 why"] == "n_top: a half rounded up; n_stay: a half rounded up"
    # the feedback is markdown: its * are escaped (0.05 \\* 3530)
    assert "3530 = 176.5 is a tie" in text and "sends a half to the even number" in text
    assert "114" not in text
