"""One variant per student (``--per-student roster.csv --course-seed SECRET``, issue 18).

Two students of a roster get two companies; grading matches each submission to its
student by the id its file name starts with: each student's own solution gets full marks,
the other student's answers (copied as values) do not. Bad rosters and submissions of
students not on the roster get clear errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from crmlab import cli
from crmlab.grading import roster

pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances")
NAME = "00_why_crm"
SECRET = "crm-2025-autumn"


def _roster(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_roster_reads_ids_and_refuses_bad_rosters(tmp_path):
    # a BOM and other columns are fine; the ids come in file order
    path = tmp_path / "ok.csv"
    path.write_text("\ufeffname,student_id\n张三,S002\n李四,S001\n", encoding="utf-8")
    assert roster.read_roster(path) == ["S002", "S001"]
    with pytest.raises(roster.RosterError, match=r"no column 'student_id'.*\['name', 'id'\]"):
        roster.read_roster(_roster(tmp_path, "name,id\na,S001\n"))
    with pytest.raises(roster.RosterError, match=r"'S001' on lines \[2, 4\]"):
        roster.read_roster(_roster(tmp_path, "student_id\nS001\nS002\nS001\n"))
    with pytest.raises(roster.RosterError, match=r"line 3: ''"):
        roster.read_roster(_roster(tmp_path, "student_id,name\nS001,a\n,b\n"))
    with pytest.raises(roster.RosterError, match=r"line 2: '\.\./x'"):
        roster.read_roster(_roster(tmp_path, "student_id\n../x\n"))
    with pytest.raises(roster.RosterError, match="no student"):
        roster.read_roster(_roster(tmp_path, "student_id\n"))


def test_a_students_seed_comes_from_the_secret_and_the_id():
    a, b = roster.student_variant("S001", SECRET), roster.student_variant("S002", SECRET)
    assert a == roster.student_variant("S001", SECRET)  # the same every time
    assert a["seed"] != b["seed"] and a["name"] == "S001"
    assert roster.student_variant("S001", "another secret")["seed"] != a["seed"]
    with pytest.raises(roster.RosterError, match="--course-seed"):
        roster.student_variant("S001", "")


def test_submissions_are_matched_by_the_id_their_file_name_starts_with():
    ids = ["S1", "S10", "S2"]
    assert roster.student_of("S10_00_why_crm.ipynb", ids) == "S10"  # the longest id
    assert roster.student_of("sub/S1-00.ipynb", ids) == "S1"
    assert roster.student_of("S2.ipynb", ids) == "S2"
    assert roster.student_of("S20_00.ipynb", ids) is None  # S2 is only a prefix of S20
    items = [("S1_a.ipynb", Path("x")), ("S3_a.ipynb", Path("y"))]
    with pytest.raises(roster.RosterError, match=r"1 submissions belong to no student.*S3_a"):
        roster.match_submissions(items, ids)


def _answers_notebook(key: dict, path: Path) -> None:
    import nbformat

    cells = [
        nbformat.v4.new_code_cell(f"{var} = {value!r}")
        for entry in key.values()
        for var, value in entry["answers"].items()
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("per-student")
    path = tmp / "roster.csv"
    path.write_text("student_id,name\nS001,Li\nS002,Wang\n", encoding="utf-8")
    root = tmp / "build"
    mapping = roster.build_per_student(
        [NAME], path, SECRET, build_dir=root, check=False, log=lambda m: None
    )
    return path, root, mapping


def test_per_student_build_writes_one_variant_each_and_the_mapping_privately(built):
    path, root, mapping = built
    assert sorted(mapping) == ["S001", "S002"]
    assert mapping["S001"]["seed"] == roster.student_variant("S001", SECRET)["seed"]
    assert json.loads((root / "roster.json").read_text("utf-8")) == mapping
    assert root.stat().st_mode & 0o077 == 0  # the instructor's folder only
    keys = [json.loads((root / s / NAME / "key.json").read_text("utf-8")) for s in mapping]
    assert keys[0] != keys[1]  # two companies, two answer keys
    for sid in mapping:  # the hand-out notebook names no seed and holds no value
        text = (root / sid / NAME / "student" / f"{NAME}.ipynb").read_text("utf-8")
        assert str(mapping[sid]["seed"]) not in text and "want = " not in text


def test_each_student_is_graded_on_their_own_variant(built, tmp_path, capsys):
    path, root, _ = built
    subs = tmp_path / "subs"
    subs.mkdir()
    key = {
        s: json.loads((root / s / NAME / "key.json").read_text("utf-8")) for s in ("S001", "S002")
    }
    for sid in ("S001", "S002"):
        solution = root / sid / NAME / "dist" / "autograder" / f"{NAME}.ipynb"
        (subs / f"{sid}_solution.ipynb").write_bytes(solution.read_bytes())
    # each student handing in the other's answers (values copied, not computed)
    _answers_notebook(key["S002"], subs / "S001_copied.ipynb")
    _answers_notebook(key["S001"], subs / "S002_copied.ipynb")
    out = tmp_path / "gradebook.csv"
    args = ["grade", NAME, str(subs), "-o", str(out), "--build-dir", str(root)]
    code = cli.main([*args, "--per-student", str(path), "--course-seed", SECRET])
    assert code == 0, capsys.readouterr().err
    book = pd.read_csv(out, encoding="utf-8-sig").set_index("file")
    assert (book["status"] == "ok").all()
    for sid in ("S001", "S002"):
        assert book.loc[f"{sid}_solution.ipynb", "total"] == book["possible"].iloc[0] == 19
        assert book.loc[f"{sid}_copied.ipynb", "total"] < 19
    # with the other secret the builds do not match: a clear error, nothing graded
    code = cli.main([*args, "--per-student", str(path), "--course-seed", "wrong"])
    assert code == 2 and "another course secret" in capsys.readouterr().err


def test_a_submission_of_a_student_not_on_the_roster_is_refused(built, tmp_path, capsys):
    path, root, _ = built
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "S999_00_why_crm.ipynb").write_text("{}", encoding="utf-8")
    out = tmp_path / "gradebook.csv"
    code = cli.main(
        ["grade", NAME, str(subs), "-o", str(out), "--build-dir", str(root)]
        + ["--per-student", str(path), "--course-seed", SECRET]
    )
    err = capsys.readouterr().err
    assert code == 2 and "S999_00_why_crm.ipynb" in err and "no student of the roster" in err
    assert not out.exists()


def test_crmlab_exercises_build_refuses_a_bad_roster_before_building(tmp_path, capsys):
    build_dir = tmp_path / "build"
    for text, says in [
        ("name,id\na,S1\n", "no column 'student_id'"),
        ("student_id\nS1\nS1\n", "'S1' on lines [2, 3]"),
    ]:
        path = _roster(tmp_path, text)
        args = ["exercises", "build", NAME, "--per-student", str(path), "--course-seed", "x"]
        assert cli.main([*args, "--build-dir", str(build_dir)]) == 2
        assert says in capsys.readouterr().err
    path = _roster(tmp_path, "student_id\nS1\n")
    args = ["exercises", "build", NAME, "--per-student", str(path), "--build-dir", str(build_dir)]
    assert cli.main(args) == 2 and "--course-seed" in capsys.readouterr().err
    assert not build_dir.exists()  # nothing built
