"""``crmlab grade``: scores, gradebook files, and hostile submissions.

One batch (graded once per session with ``crmlab grade ... --timeout 8``) holds the
solution under a Chinese name, the blank notebook, a partly wrong one and notebooks that
are not JSON, raise, loop forever, exit the kernel, delete the grader, patch
``grader.check`` and otter's test runner, look for the tests on disk, overwrite test files,
or allocate too much memory. Each must get the score its answers earn and a status,
without stopping the batch or changing another submission's score.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_exercises import build_once  # the shared, cached build of every exercise

from crmlab import _grading_worker as worker
from crmlab import cli, grading

# otter (imported by the build) passes a trait type to traitlets, which warns
pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances")
EX = "00_why_crm"
FULL = 19.0
# points per question of 00_why_crm: q1 2, q2 2, q3 4, q4 5, q5 4, q6 2


@pytest.fixture(scope="session")
def build_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.getbasetemp() / "exercise-build"
    build_once(root)
    return root


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code(source: str) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": textwrap.dedent(source).strip(),
    }


def _insert_after(nb: dict, marker: str, source: str) -> dict:
    """Copy of ``nb`` with a code cell inserted after the first cell containing ``marker``."""
    nb = json.loads(json.dumps(nb))
    for i, cell in enumerate(nb["cells"]):
        if marker in "".join(cell["source"]):
            nb["cells"].insert(i + 1, _code(source))
            for c in nb["cells"]:
                c.pop("id", None)
            nb["nbformat_minor"] = 4
            return nb
    raise AssertionError(f"no cell contains {marker!r}")


def _write(folder: Path, name: str, nb) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nb if isinstance(nb, str) else json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="session")
def hostile(build_root, tmp_path_factory):
    """Grade the hostile batch once; returns (gradebook rows by file, paths)."""
    base = tmp_path_factory.mktemp("hostile")
    # a private copy of the build: if isolation failed, damage stays here
    root = base / "build"
    shutil.copytree(build_root / EX, root / EX)
    zip_path = root / EX / "autograder.zip"
    zip_sha = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    decoy = base / "decoy"  # stands in for the grader's own files
    decoy.mkdir()
    (decoy / "keep.txt").write_text("do not touch")

    solution = _nb(root / EX / "dist" / "autograder" / f"{EX}.ipynb")
    blank = _nb(grading.exercises_dir() / EX / "student" / f"{EX}.ipynb")
    subs = base / "submissions"
    _write(subs, "张三_00_why_crm.ipynb", solution)
    _write(subs, "group1/王五.ipynb", solution)  # subfolders are graded too
    _write(subs, ".ipynb_checkpoints/张三-checkpoint.ipynb", solution)  # skipped
    _write(subs, "李四_blank.ipynb", blank)
    wrong = json.loads(
        json.dumps(solution).replace(
            "top20_share = revenue.iloc[:k].sum() / revenue.sum()", "top20_share = 0.8"
        )
    )
    _write(subs, "wrong_q1.ipynb", wrong)
    _write(subs, "invalid_json.ipynb", '{"cells": [ this is not json')
    _write(subs, "not_a_notebook.ipynb", "[1, 2, 3]")
    _write(
        subs,
        "raises.ipynb",
        _insert_after(solution, "customers.head()", "raise RuntimeError('boom')"),
    )
    _write(
        subs,
        "sys_exit.ipynb",
        _insert_after(solution, "customers.head()", "import sys; sys.exit(3)"),
    )
    _write(
        subs, "loops_after_q2.ipynb", _insert_after(solution, "gini = ", "while True:\n    pass")
    )
    _write(
        subs,
        "exits_after_q1.ipynb",
        _insert_after(solution, "top20_share = ", "import os; os._exit(1)"),
    )
    _write(
        subs,
        "deletes_grader.ipynb",
        _insert_after(
            solution,
            "customers.head()",
            """
        import sys
        del grader
        del otter
        sys.modules.pop("otter", None)
    """,
        ),
    )
    _write(
        subs,
        "patches_check.ipynb",
        _insert_after(
            blank,
            "customers.head()",
            """
        import otter.test_files.exception_test as et
        grader.check = lambda *args, **kwargs: "All tests passed!"
        et.ExceptionTestFile.run = lambda self, env: None
        et.ExceptionTestFile.score = property(lambda self: 99)
        top20_share, gini = 0.5, 0.5
    """,
        ),
    )
    _write(
        subs,
        "reads_tests.ipynb",
        _insert_after(
            blank,
            "customers.head()",
            f"""
        import glob, os, re, zipfile
        found = glob.glob("**/*.py", recursive=True) + glob.glob("**/*.zip", recursive=True)
        found += glob.glob({str(root)!r} + "/**/*.zip", recursive=True)
        found += glob.glob({str(build_root)!r} + "/**/*.zip", recursive=True)
        found += [os.path.join("..", p) for p in os.listdir("..")
                  if p != os.path.basename(os.getcwd())]
        for path in found:
            if path.endswith(".zip"):
                text = zipfile.ZipFile(path).read("tests/q1.py").decode()
                top20_share = float(re.search(r"top20_share - ([0-9.]+)", text).group(1))
    """,
        ),
    )
    _write(
        subs,
        "overwrites_tests.ipynb",
        _insert_after(
            blank,
            "customers.head()",
            f"""
        import os, shutil
        os.makedirs("tests", exist_ok=True)
        with open("tests/q1.py", "w") as fh:
            fh.write("from otter.test_files import test_case\\nname = 'q1'\\npoints = 2\\n")
        for target in [{str(zip_path)!r}, {str(decoy / "keep.txt")!r}]:
            try:
                with open(target, "w") as fh:
                    fh.write("overwritten")
            except OSError:
                pass
        shutil.rmtree({str(decoy)!r}, ignore_errors=True)
        top20_share = 0.1
    """,
        ),
    )
    _write(
        subs,
        "memory_hog.ipynb",
        _insert_after(solution, "customers.head()", "hog = bytearray(64 * 1024**3)"),
    )

    out = base / "gradebook.csv"
    code = cli.main(
        ["grade", EX, str(subs), "-o", str(out), "--timeout", "8", "--build-dir", str(root)]
    )
    assert code == 0
    frame = pd.read_csv(out, encoding="utf-8-sig")
    return {
        "rows": {r["file"]: r for r in frame.to_dict("records")},
        "frame": frame,
        "csv": out,
        "zip": zip_path,
        "zip_sha": zip_sha,
        "decoy": decoy,
        "sandbox": grading.sandbox_available(),
    }


def test_correct_submissions_in_a_hostile_batch_get_full_marks(hostile):
    rows = hostile["rows"]
    for name in ("张三_00_why_crm.ipynb", "group1/王五.ipynb"):
        assert rows[name]["total"] == FULL and rows[name]["status"] == "ok"
        assert rows[name]["possible"] == FULL
    assert rows["李四_blank.ipynb"]["total"] == 0 and rows["李四_blank.ipynb"]["status"] == "ok"
    assert not any("checkpoint" in f for f in rows)
    assert len(rows) == 15


def test_a_wrong_value_loses_only_its_points(hostile):
    row = hostile["rows"]["wrong_q1.ipynb"]
    assert row["q1"] == 0 and row["total"] == FULL - 2 and row["status"] == "ok"


def test_invalid_notebooks(hostile):
    for name in ("invalid_json.ipynb", "not_a_notebook.ipynb"):
        row = hostile["rows"][name]
        assert row["status"] == "invalid notebook" and row["total"] == 0
        assert row["possible"] == FULL


def test_a_raising_cell_is_reported_and_the_rest_still_counts(hostile):
    row = hostile["rows"]["raises.ipynb"]
    assert row["status"] == "error: RuntimeError in cell 3: boom"
    assert row["total"] == FULL
    row = hostile["rows"]["sys_exit.ipynb"]
    assert row["status"].startswith("error: SystemExit in cell 3") and row["total"] == FULL


def test_an_endless_loop_times_out_and_keeps_earlier_answers(hostile):
    row = hostile["rows"]["loops_after_q2.ipynb"]
    assert row["status"] == "timeout"
    assert (row["q1"], row["q2"], row["q3"], row["total"]) == (2, 2, 0, 4)


def test_exiting_the_kernel(hostile):
    row = hostile["rows"]["exits_after_q1.ipynb"]
    assert row["status"] == "error: kernel died (exit code 1)"
    assert (row["q1"], row["total"]) == (2, 2)


def test_deleting_the_grader_changes_nothing(hostile):
    row = hostile["rows"]["deletes_grader.ipynb"]
    assert row["total"] == FULL
    assert row["status"].startswith("error: NameError in cell")  # its own grader.check


def test_patching_check_and_the_test_runner_earns_nothing(hostile):
    row = hostile["rows"]["patches_check.ipynb"]
    assert row["total"] == 0
    assert row["status"].startswith("error: AttributeError")  # its own check_all broke


def test_tests_cannot_be_read_or_overwritten(hostile):
    rows = hostile["rows"]
    assert rows["overwrites_tests.ipynb"]["total"] == 0
    # its own grader.check picked up the planted tests/q1.py and failed on it
    assert "Malformed test file" in rows["overwrites_tests.ipynb"]["status"]
    assert rows["reads_tests.ipynb"]["status"] == "ok"
    if hostile["sandbox"]:
        # read-only file system, autograder and other submissions hidden
        assert rows["reads_tests.ipynb"]["total"] == 0
        assert hashlib.sha256(hostile["zip"].read_bytes()).hexdigest() == hostile["zip_sha"]
        assert (hostile["decoy"] / "keep.txt").read_text() == "do not touch"
    else:  # pragma: no cover - only where Linux namespaces are unavailable
        assert rows["reads_tests.ipynb"]["total"] <= 2  # at most q1, by copying its value


def test_a_memory_hog_gets_a_memory_error_not_the_machine(hostile):
    row = hostile["rows"]["memory_hog.ipynb"]
    assert row["status"].startswith("error: MemoryError in cell 3")
    assert row["total"] == FULL


def test_gradebook_columns_and_csv_encoding(hostile):
    frame = hostile["frame"]
    assert list(frame.columns) == [
        "file",
        "q1",
        "q2",
        "q3",
        "q4",
        "q5",
        "q6",
        "total",
        "possible",
        "status",
    ]
    raw = hostile["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Chinese names
    assert "张三_00_why_crm.ipynb".encode() in raw


def test_gradebook_as_excel(hostile, tmp_path):
    from openpyxl import load_workbook

    path = grading.write_gradebook(hostile["frame"], tmp_path / "成绩.xlsx")
    sheet = load_workbook(path).active
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == "file" and "李四_blank.ipynb" in values


def test_manual_questions_get_empty_columns(build_root, tmp_path):
    ag = grading.load_autograder("06_question_bank", build_dir=build_root, rebuild=False)
    frame = grading._gradebook(ag, [{"file": "a.ipynb", "status": "ok", "scores": {}}])
    assert [c for c in frame.columns if "manual" in c] == [
        "sa1 (manual)",
        "sa2 (manual)",
        "sa3 (manual)",
        "essay (manual)",
    ]
    assert frame.loc[0, "possible"] == 16 and frame.loc[0, "total"] == 0


def test_cli_errors_are_clear(build_root, tmp_path, capsys):
    assert cli.main(["grade", "99_nope", str(tmp_path)]) == 2
    available = ", ".join(grading.list_exercises())
    assert f"unknown exercise '99_nope'; available: {available}" in capsys.readouterr().err
    assert cli.main(["grade", EX, str(tmp_path / "missing"), "--build-dir", str(build_root)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_empty_folder_gives_an_empty_gradebook(build_root, tmp_path):
    frame = grading.grade(EX, tmp_path, build_dir=build_root)
    assert frame.empty and "total" in frame.columns


def test_statuses():
    assert grading._status({"timed_out": True, "exit": -9}, {}) == "timeout"
    assert grading._status({"timed_out": False, "exit": 0}, {"status": "ok"}) == "ok"
    assert grading._status({"timed_out": False, "exit": -9}, {"status": "running"}) == (
        "error: kernel died (killed by SIGKILL)"
    )
    assert grading._status({"timed_out": False, "exit": -24}, {}) == (
        "error: kernel died (killed by SIGXCPU: CPU time limit)"
    )
    assert grading._status({"timed_out": False, "exit": 0}, {"status": "running"}) == (
        "error: notebook stopped before the end"
    )


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        2.5,
        math.inf,
        "二八",
        ...,
        [1, "a"],
        (1, 2),
        {1, 2},
        {"a": 1, 2: [3]},
        np.float64(0.25),
        np.int64(7),
        np.array([1.0, 2.0]),
        pd.Timestamp("2024-01-31"),
        pd.Series([1.5, 2.5], index=["C1", "C2"], name="revenue"),
        pd.Series(["vip", "small"], dtype="category"),
        pd.DataFrame({"customer_id": ["C1", "C2"], "revenue": [1.0, np.nan]}),
    ],
)
def test_answers_survive_the_trip_as_data(value):
    back = worker.decode(json.loads(json.dumps(worker.encode(value))))
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value)
    elif isinstance(value, pd.Series):
        pd.testing.assert_series_equal(back, value)
    elif isinstance(value, np.ndarray):
        np.testing.assert_array_equal(back, value)
    else:
        assert back == value and type(back) is type(
            value.item() if isinstance(value, np.generic) else value
        )


def test_objects_that_are_not_data_become_unsupported():
    back = worker.decode(worker.encode(lambda: 1))
    assert isinstance(back, worker.Unsupported)
    assert isinstance(worker.decode({"__frame__": "garbage"}), worker.Unsupported)
    assert isinstance(worker.decode({"__bogus__": 1}), worker.Unsupported)


def test_plain_mode_without_namespaces_still_limits_time(build_root, tmp_path):
    """``--no-sandbox`` (what runs where namespaces are unavailable): scores, time limit
    and process-group kill still work."""
    solution = _nb(build_root / EX / "dist" / "autograder" / f"{EX}.ipynb")
    _write(tmp_path, "ok.ipynb", solution)
    _write(
        tmp_path,
        "loops.ipynb",
        _insert_after(
            solution,
            "top20_share = ",
            """
        import subprocess
        subprocess.Popen(["sleep", "600"])  # a child in the same process group
        while True:
            pass
    """,
        ),
    )
    frame = grading.grade(EX, tmp_path, build_dir=build_root, timeout=4, sandbox=False)
    rows = {r["file"]: r for r in frame.to_dict("records")}
    assert rows["ok.ipynb"]["total"] == FULL and rows["ok.ipynb"]["status"] == "ok"
    assert rows["loops.ipynb"]["status"] == "timeout" and rows["loops.ipynb"]["total"] == 2
