"""Gradebooks and feedback (``crmlab.grading.gradebook``): safe text, CSV, xlsx, feedback."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from crmlab.grading import build, gradebook


def test_control_and_format_characters_are_escaped():
    assert gradebook.clean_text("ok 张三 (0.5)") == "ok 张三 (0.5)"
    assert gradebook.clean_text("a\x01b\x1b[31mc\x7f") == "a\\x01b\\x1b[31mc\\x7f"
    assert gradebook.clean_text("two\nlines\r\tend") == "two\\nlines\\r\\tend"
    # right-to-left override (U+202E) and zero-width space (U+200B) are format characters
    assert gradebook.clean_text("evil\u202egnp.exe\u200b") == "evil\\u202egnp.exe\\u200b"
    # an undecodable byte in a file name (surrogateescape)
    assert gradebook.clean_text(b"name\xff.ipynb".decode("utf-8", "surrogateescape")) == (
        "name\\udcff.ipynb"
    )


@pytest.mark.parametrize(
    "text, cell",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "\\t=1"),  # escaped first: no longer starts with a tab
        ("a=1", "a=1"),
        ("张三.ipynb", "张三.ipynb"),
    ],
)
def test_owasp_formula_prefix(text, cell):
    assert gradebook.cell_text(text) == cell


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "file": ['=HYPERLINK("http://x","y").ipynb', "two\nlines.ipynb", "张三.ipynb"],
            "q1": [2.0, 0.0, 1.5],
            "total": [2.0, 0.0, 1.5],
            "possible": [2.0, 2.0, 2.0],
            "status": ["ok", "error: bad\x01value", "-1 is not a status"],
        }
    )


def test_csv_gradebook_is_safe(frame, tmp_path):
    path = gradebook.write_gradebook(frame, tmp_path / "g.csv")
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 4  # the newline in a file name did not split a row
    assert lines[1] == '"\'=HYPERLINK(""http://x"",""y"").ipynb",2.0,2.0,2.0,ok'
    assert lines[2] == "two\\nlines.ipynb,0.0,0.0,2.0,error: bad\\x01value"
    assert lines[3] == "张三.ipynb,1.5,1.5,2.0,'-1 is not a status"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back["total"].tolist() == [2.0, 0.0, 1.5]  # numbers stay numbers


def test_xlsx_gradebook_writes_strings_never_formulas(frame, tmp_path):
    path = gradebook.write_gradebook(frame, tmp_path / "g.xlsx")
    sheet = load_workbook(path).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["file", "q1", "total", "possible", "status"]
    assert rows[1][0] == '\'=HYPERLINK("http://x","y").ipynb'
    assert rows[2][0] == "two\\nlines.ipynb" and rows[2][4] == "error: bad\\x01value"
    assert rows[3][1:4] == [1.5, 1.5, 2.0]
    assert all(c.data_type in ("s", "n") for row in sheet.iter_rows() for c in row)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_a_failed_write_leaves_no_half_file(frame, tmp_path, monkeypatch):
    target = tmp_path / "g.xlsx"
    target.write_text("the previous gradebook")

    def broken(frame, path):
        path.write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(gradebook, "_write_xlsx", broken)
    with pytest.raises(OSError):
        gradebook.write_gradebook(frame, target)
    assert target.read_text() == "the previous gradebook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.xlsx"]


def test_a_cell_that_cannot_be_cleaned_becomes_a_status(frame):
    def picky(value):
        if "张三" in str(value):
            raise ValueError("cannot")
        return gradebook.cell_text(value)

    safe = gradebook.safe_frame(frame, clean=picky)
    assert safe.loc[2, "file"] == "(unprintable)"
    assert safe.loc[2, "status"] == "'-1 is not a status; unprintable: file"


def _ag():
    return build.Autograder(
        exercise="00_why_crm",
        tests={"q1": "", "q2": ""},
        names=["x", "y"],
        questions=[
            {"name": "q1", "points": 2, "manual": False},
            {"name": "q2", "points": 3, "manual": False},
            {"name": "essay", "points": 5, "manual": True},
        ],
    )


def _result():
    return {
        "file": "sub/张三 *bold* <b>.ipynb",
        "status": "error: ZeroDivisionError in cell 4: division by zero",
        "scores": {
            "q1": {
                "score": 2.0,
                "possible": 2.0,
                "tests": [{"name": "test_q1", "hidden": True, "passed": True, "message": ""}],
            },
            "q2": {
                "score": 0.0,
                "possible": 3.0,
                "tests": [
                    {
                        "name": "test_q2_hint",
                        "hidden": False,
                        "passed": False,
                        "message": "AssertionError: y should be a share between 0 and 1.",
                    },
                    {
                        "name": "test_q2_value",
                        "hidden": True,
                        "passed": False,
                        "message": "AssertionError",
                    },
                ],
            },
        },
    }


def test_feedback_markdown(tmp_path):
    ag, result = _ag(), _result()
    frame = gradebook.gradebook_frame(ag, [result])
    assert frame.loc[0, "total"] == 2 and frame.loc[0, "possible"] == 5  # 2 of 2 + 0 of 3
    (path,) = gradebook.write_feedback(ag, [result], frame, tmp_path / "fb")
    assert path.name == "sub__张三__bold___b_.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Feedback: sub/张三 \\*bold\\* \\<b\\>.ipynb\n")
    assert "**2 / 5** points" in text
    assert "| q1 | 2 / 2 |\n| q2 | 0 / 3 |\n| essay | graded by hand |" in text
    assert "## q1" not in text  # nothing failed there
    assert "- check `test_q2_hint`: AssertionError: y should be a share between 0 and 1." in text
    assert "- hidden test `test_q2_value`: AssertionError" in text


def test_feedback_file_names_are_unique_and_safe():
    taken: set[str] = set()
    names = [
        gradebook.feedback_name(label, taken)
        for label in ["a/b.ipynb", "a__b.ipynb", "../../etc/passwd", ".hidden.ipynb", "\n"]
    ]
    assert names == ["a__b.md", "a__b-2.md", "__..__etc__passwd.md", "hidden.md", "_n.md"]
