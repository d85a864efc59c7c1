"""``crmlab grade`` on a class of hostile notebooks, in the full isolation of this machine.

One batch (graded once per session through the command line, ``--timeout 6 --memory-mb
400 --disk-mb 64``) holds honest notebooks next to every hostile kind: the probes of
issue 12's table (``grading_probes.py``: writing outside the sandbox, reading host secrets,
300 children, three memory-hungry children, filling ``/tmp``, scanning its own memory for
the hidden tests, attacking the answers files, control characters, formula file names, a
byte-order mark) and the earlier ones (not JSON, raising, looping, exiting, deleting or
patching the grader, reading or overwriting test files, a 64 GB allocation). Each row must
get the score its answers earn and a status; honest rows keep full marks; nothing is left
running or on disk afterwards, and nothing outside the sandbox changes.

The isolation this file tests is what ``crmlab grade`` picks here: bubblewrap, plus
per-submission cgroups when the tests run as root on a machine with cgroups (each test
that depends on cgroups says so). ``test_grading_fallback.py`` runs the probes again
without cgroups and as a normal user.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import psutil
import pytest
from grading_probes import EX, hostile_notebooks, insert_after, report, with_probe
from test_exercises import build_once  # the shared, cached build of every exercise

from crmlab import cli
from crmlab.grading import build, sandbox

# otter (imported by the build) passes a trait type to traitlets, which warns
pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances")
FULL = 19.0  # points of 00_why_crm: q1 2, q2 2, q3 4, q4 5, q5 4, q6 2
MEMORY_MB, DISK_MB, TIMEOUT = 400, 64, 6
MB_EACH = MEMORY_MB * 3 // 8  # the memory probe's children: 3 x 150 > 400 >= 2 x 150
HYPERLINK = '=HYPERLINK("http:/x","y").ipynb'  # "/" cannot be in a file name: a subfolder


@pytest.fixture(scope="session")
def build_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.getbasetemp() / "exercise-build"
    build_once(root)
    return root


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(folder: Path, name: str, nb) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nb if isinstance(nb, str) else json.dumps(nb), encoding="utf-8")


def crmlab_processes(before: frozenset[int] = frozenset()) -> list[psutil.Process]:
    """Processes this test process started that are still alive, leaving out those already
    running ``before`` (e.g. another test module's server). In the sandbox every process
    stays a descendant: the sandbox's PID 1 is a child of bwrap."""
    alive = []
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if proc.pid not in before and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
    return alive


def running_now() -> frozenset[int]:
    return frozenset(p.pid for p in psutil.Process().children(recursive=True))


def our_cgroups(pid: int | None = None) -> list[str]:
    """cgroup folders the grading run of process ``pid`` (default: this one) left."""
    cg, _ = sandbox.Cgroups.create()
    if cg is None:
        return []
    prefix = f"crmlab-grade-{pid or os.getpid()}-"
    return [
        f"{parent}/{name}"
        for parent in cg.parents.values()
        for name in os.listdir(parent)
        if name.startswith(prefix)
    ]


def _kernel_settings() -> dict:
    out = {}
    for path in ("/proc/sys/vm/swappiness", "/proc/sys/kernel/core_pattern"):
        with contextlib.suppress(OSError):
            out[path] = Path(path).read_text()
    return out


@pytest.fixture(scope="session")
def hostile(build_root, tmp_path_factory):
    """Grade the hostile batch once; returns what the tests look at."""
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed: crmlab grade refuses to run without it")
    base = tmp_path_factory.mktemp("hostile")
    marker = uuid.uuid4().hex[:10]
    # a private copy of the build: if isolation failed, damage stays here
    root = base / "build"
    shutil.copytree(build_root / EX, root / EX)
    zip_path = root / EX / "autograder.zip"
    zip_sha = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    decoy = base / "decoy"  # stands in for the grader's own files
    decoy.mkdir()
    (decoy / "keep.txt").write_text("do not touch")

    solution = _nb(root / EX / "dist" / "autograder" / f"{EX}.ipynb")
    blank = _nb(build.exercises_dir() / EX / "student" / f"{EX}.ipynb")
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
    _write(subs, "raises.ipynb", with_probe(solution, "raise RuntimeError('boom')"))
    _write(subs, "sys_exit.ipynb", with_probe(solution, "import sys; sys.exit(3)"))
    _write(subs, "loops_after_q2.ipynb", insert_after(solution, "gini = ", "while True:\n pass"))
    _write(
        subs,
        "exits_after_q1.ipynb",
        insert_after(solution, "top20_share = ", "import os\nos._exit(1)"),
    )
    _write(
        subs,
        "deletes_grader.ipynb",
        with_probe(solution, 'import sys\ndel grader\ndel otter\nsys.modules.pop("otter", None)'),
    )
    _write(
        subs,
        "patches_check.ipynb",
        with_probe(
            blank,
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
        with_probe(
            blank,
            f"""
        import glob, os, re, zipfile
        found = []
        for top in ("/tmp", "/root", "/home", "/opt", "/srv", "/var", "/work", os.getcwd()):
            found += glob.glob(top + "/**/*.zip", recursive=True)
        found += glob.glob({str(root)!r} + "/**/*.zip", recursive=True)
        found += glob.glob({str(build_root)!r} + "/**/*.zip", recursive=True)
        for path in found:
            try:
                text = zipfile.ZipFile(path).read("tests/q1.py").decode()
            except Exception:
                continue
            top20_share = float(re.search(r"want = ([0-9.]+)", text).group(1))
    """,
        ),
    )
    _write(
        subs,
        "overwrites_tests.ipynb",
        with_probe(
            blank,
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
    _write(subs, "memory_hog.ipynb", with_probe(solution, "hog = bytearray(64 * 1024**3)"))
    kill = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
    _write(subs, "kills_itself.ipynb", insert_after(solution, "top20_share = ", kill))
    for name, text in hostile_notebooks(
        solution, blank, memory_mb=MEMORY_MB, marker=marker
    ).items():
        _write(subs, name, text)
    bom = b"\xef\xbb\xbf" + json.dumps(solution).encode()  # what some Windows editors save
    (subs / "bom.ipynb").write_bytes(bom)
    _write(subs, HYPERLINK, solution)
    _write(subs, "@SUM(1+1).ipynb", solution)
    _write(subs, "two\nlines.ipynb", solution)
    (subs / "shadow_link.ipynb").symlink_to("/etc/shadow")  # never followed
    os.mkfifo(subs / "fifo.ipynb")  # never blocks the grader

    out = base / "out"
    settings = _kernel_settings()
    before = running_now()
    private_tmp = base / "tmp"  # the grader's temporary folders go here: must end empty
    private_tmp.mkdir()
    stdout, stderr = io.StringIO(), io.StringIO()
    saved = tempfile.tempdir
    tempfile.tempdir = str(private_tmp)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main(
                [
                    "grade",
                    EX,
                    str(subs),
                    "-o",
                    str(out / "gradebook.csv"),
                    "-o",
                    str(out / "gradebook.xlsx"),
                    "--feedback",
                    str(out / "feedback"),
                    "--timeout",
                    str(TIMEOUT),
                    "--memory-mb",
                    str(MEMORY_MB),
                    "--disk-mb",
                    str(DISK_MB),
                    "--build-dir",
                    str(root),
                ]
            )
    finally:
        tempfile.tempdir = saved
    assert (out / "gradebook.csv").exists(), stderr.getvalue()[-3000:]
    frame = pd.read_csv(out / "gradebook.csv", encoding="utf-8-sig", keep_default_na=False)
    return {
        "code": code,
        "rows": {r["file"]: r for r in frame.to_dict("records")},
        "frame": frame,
        "out": out,
        "stdout": stdout.getvalue(),
        "stderr": stderr.getvalue(),
        "zip": zip_path,
        "zip_sha": zip_sha,
        "decoy": decoy,
        "marker": marker,
        "settings_before": settings,
        "settings_after": _kernel_settings(),
        "left_processes": crmlab_processes(before),
        "left_temp": sorted(p.name for p in private_tmp.iterdir()),
        "left_cgroups": our_cgroups(),
        "cgroups": sandbox.choose(None).cgroups is not None,
    }


def _row(hostile, name):
    return hostile["rows"][name]


# --- the batch as a whole ---------------------------------------------------------------------
def test_the_batch_finishes_and_says_which_isolation_it_uses(hostile):
    assert hostile["code"] == 0
    first = hostile["stderr"].splitlines()[0]
    assert first.startswith("isolation: bubblewrap ")
    assert ("cgroup per submission" in first) == hostile["cgroups"]
    # 31 files, the checkpoint skipped: every other one has a row
    assert len(hostile["rows"]) == 31
    assert not any("checkpoint" in f for f in hostile["rows"])


def test_progress_lines_count_up_in_completion_order_with_an_eta(hostile):
    lines = [line for line in hostile["stderr"].splitlines() if line.startswith("[")]
    assert [int(re.match(r"\[(\d+)/31\]", line).group(1)) for line in lines] == list(range(1, 32))
    assert all(re.search(r"\(\d+:\d\d elapsed, ETA \d+:\d\d\)$", line) for line in lines)
    assert lines[-1].endswith("ETA 0:00)")


def test_honest_submissions_in_a_hostile_batch_keep_full_marks(hostile):
    for name in ("张三_00_why_crm.ipynb", "group1/王五.ipynb", "'@SUM(1+1).ipynb"):
        row = _row(hostile, name)
        assert (row["total"], row["possible"], row["status"]) == (FULL, FULL, "ok")
    blank = _row(hostile, "李四_blank.ipynb")
    assert (blank["total"], blank["status"]) == (0, "ok")


def test_no_process_no_temporary_folder_no_cgroup_is_left(hostile):
    assert hostile["left_processes"] == []
    assert hostile["left_temp"] == []
    assert hostile["left_cgroups"] == []


def test_a_wrong_value_loses_only_its_points(hostile):
    row = _row(hostile, "wrong_q1.ipynb")
    assert row["q1"] == 0 and row["total"] == FULL - 2 and row["status"] == "ok"
    # the gradebook says why, without the expected value; full-mark questions have no reason
    assert row["q1 why"] == "top20_share: wrong value"
    assert row["q2 why"] == "" and "0.81" not in row["q1 why"]


# --- the rows of issue 12's table ---------------------------------------------------------------
def test_no_write_outside_the_submissions_own_scratch_space(hostile):
    got = report(_row(hostile, "write_everywhere.ipynb")["status"])
    assert got["proc_written"] == "0"  # /proc/sys/vm/swappiness, kernel/core_pattern, sysrq
    assert got["outside"] == "0", got["first_outside"]
    assert int(got["inside"]) >= 3  # control: /tmp, /dev/shm and its working folder
    # and from the host: nothing changed, nothing left
    assert hostile["settings_after"] == hostile["settings_before"]
    assert not list(Path("/tmp").glob(f"*{hostile['marker']}*"))
    assert not list(Path("/").glob(f".crmlab-write-probe-{hostile['marker']}"))


def test_host_secrets_and_devices_are_not_visible(hostile):
    got = report(_row(hostile, "secrets.ipynb")["status"])
    assert got["seen"] == "0" and got["control"] == "1"


def test_the_process_limit_holds_and_the_batch_goes_on(hostile):
    row = _row(hostile, "fork_300.ipynb")
    started = int(report(row["status"])["started"])
    assert 10 < started < 64  # the notebook itself is one of the 64
    assert row["total"] == FULL  # its answers still count


def test_the_memory_limit_is_per_submission(hostile):
    """Three children of 150 MB under --memory-mb 400: at most two can hold theirs.
    Needs cgroups (root here); without them see test_grading_fallback.py."""
    if not hostile["cgroups"]:
        pytest.skip("no cgroups here: the memory limit is per process (documented)")
    row = _row(hostile, "memory_children.ipynb")
    got = report(row["status"])
    assert int(got["allocated"]) >= 1  # control: a child could allocate
    assert int(got["held"]) * MB_EACH <= MEMORY_MB
    assert "memory limit reached" in row["status"]


def test_tmp_has_a_total_cap_per_submission(hostile):
    row = _row(hostile, "fill_tmp.ipynb")
    wrote = int(report(row["status"])["wrote_mb"])
    assert DISK_MB // 2 <= wrote <= DISK_MB  # 1,200 MB tried in 16 MB files
    assert row["total"] == FULL


def test_student_code_never_shares_memory_with_test_text(hostile):
    """A blank notebook scanning /proc/self/mem for ``abs(NAME - VALUE)`` (how the hidden
    tests look) on a worker that graded earlier submissions finds nothing."""
    row = _row(hostile, "scan_memory.ipynb")
    got = report(row["status"])
    assert int(got["scanned_mb"]) >= 50  # control: it did read its memory
    assert got["found"] == "0"
    assert row["total"] == 0


def test_an_answers_file_replaced_by_a_fifo_gets_a_status(hostile):
    row = _row(hostile, "answers_fifo.ipynb")
    # it exited before the runner could save top20_share: the answers it had count (none)
    assert row["status"] == "error: notebook stopped before the end"
    assert row["total"] == 0


def test_a_deeply_nested_answers_file_gets_a_status(hostile):
    row = _row(hostile, "answers_deep.ipynb")
    assert row["status"] == "error: answers file nested too deeply"
    assert row["total"] == 0


def test_submitted_files_that_are_not_regular_files_are_never_opened(hostile):
    assert _row(hostile, "shadow_link.ipynb")["status"].startswith("invalid notebook (cannot")
    assert _row(hostile, "fifo.ipynb")["status"] == "invalid notebook (not a regular file)"


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_control_characters_are_escaped_in_every_output(hostile):
    expected = "error: RuntimeError in cell 3: bad\\x01value \\x1b[31mred\\x1b[0m \\u202egnp.exe"
    assert _row(hostile, "control_chars.ipynb")["status"] == expected
    assert _row(hostile, "control_chars.ipynb")["total"] == FULL
    out = hostile["out"]
    csv_text = (out / "gradebook.csv").read_text(encoding="utf-8-sig")
    assert expected in csv_text and not CONTROL.search(csv_text)
    from openpyxl import load_workbook

    sheet = load_workbook(out / "gradebook.xlsx").active
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert expected in cells and not any(CONTROL.search(c) for c in cells)
    assert expected in hostile["stdout"] and not CONTROL.search(hostile["stdout"])
    assert not CONTROL.search(hostile["stderr"].replace("\n", ""))
    # a file name with a newline is shown escaped, on one line
    assert "two\\nlines.ipynb" in hostile["rows"]
    assert "two\\nlines.ipynb" in hostile["stdout"]


def test_no_gradebook_cell_is_ever_a_formula(hostile):
    rows = hostile["rows"]
    assert "'" + HYPERLINK in rows and "'@SUM(1+1).ipynb" in rows  # OWASP: a leading '
    assert rows["'" + HYPERLINK]["total"] == FULL
    out = hostile["out"]
    from openpyxl import load_workbook

    sheet = load_workbook(out / "gradebook.xlsx").active
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    cell = next(c for c in names if c.value == "'" + HYPERLINK)
    assert cell.data_type == "s"
    with zipfile.ZipFile(out / "gradebook.xlsx") as zf:
        xml = "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets"))
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the workbook


def test_a_byte_order_mark_is_stripped_and_said(hostile):
    row = _row(hostile, "bom.ipynb")
    assert row["total"] == FULL
    assert row["status"] == "ok (UTF-8 byte-order mark removed)"


# --- the earlier hostile kinds ------------------------------------------------------------------
def test_invalid_notebooks(hostile):
    for name in ("invalid_json.ipynb", "not_a_notebook.ipynb"):
        row = _row(hostile, name)
        assert row["status"].startswith("invalid notebook (") and row["total"] == 0
        assert row["possible"] == FULL


def test_a_raising_cell_is_reported_and_the_rest_still_counts(hostile):
    row = _row(hostile, "raises.ipynb")
    assert row["status"] == "error: RuntimeError in cell 3: boom"
    assert row["total"] == FULL
    row = _row(hostile, "sys_exit.ipynb")
    assert row["status"].startswith("error: SystemExit in cell 3") and row["total"] == FULL


def test_an_endless_loop_times_out_and_keeps_earlier_answers(hostile):
    row = _row(hostile, "loops_after_q2.ipynb")
    assert row["status"] == "timeout"
    assert (row["q1"], row["q2"], row["q3"], row["total"]) == (2, 2, 0, 4)


def test_exiting_the_kernel(hostile):
    row = _row(hostile, "exits_after_q1.ipynb")
    assert row["status"] == "error: kernel died (exit code 1)"
    assert (row["q1"], row["total"]) == (2, 2)


def test_a_kernel_killed_by_a_signal(hostile):
    row = _row(hostile, "kills_itself.ipynb")
    assert row["status"] == "error: kernel died (killed by SIGKILL)"
    assert (row["q1"], row["total"]) == (2, 2)


def test_deleting_the_grader_changes_nothing(hostile):
    row = _row(hostile, "deletes_grader.ipynb")
    assert row["total"] == FULL
    assert row["status"].startswith("error: NameError in cell")  # its own grader.check


def test_patching_check_and_the_test_runner_earns_nothing(hostile):
    row = _row(hostile, "patches_check.ipynb")
    assert row["total"] == 0
    assert row["status"].startswith("error: AttributeError")  # its own check_all broke


def test_tests_cannot_be_read_or_overwritten(hostile):
    rows = hostile["rows"]
    assert rows["overwrites_tests.ipynb"]["total"] == 0
    # its own grader.check picked up the planted tests/q1.py and failed on it
    assert "Malformed test file" in rows["overwrites_tests.ipynb"]["status"]
    assert rows["reads_tests.ipynb"]["status"] == "ok"
    assert rows["reads_tests.ipynb"]["total"] == 0
    assert hashlib.sha256(hostile["zip"].read_bytes()).hexdigest() == hostile["zip_sha"]
    assert (hostile["decoy"] / "keep.txt").read_text() == "do not touch"


def test_a_memory_hog_gets_a_memory_error_not_the_machine(hostile):
    row = _row(hostile, "memory_hog.ipynb")
    assert row["status"].startswith("error: MemoryError in cell 3")
    assert row["total"] == FULL


# --- gradebook and feedback files -----------------------------------------------------------------
def test_gradebook_columns_and_csv_encoding(hostile):
    frame = hostile["frame"]
    assert list(frame.columns) == [
        "file", "q1", "q2", "q3", "q4", "q5", "q6", "total", "possible", "status",
        "q1 why", "q2 why", "q3 why", "q4 why", "q5 why", "q6 why",
    ]  # fmt: skip
    raw = (hostile["out"] / "gradebook.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Chinese names
    assert "张三_00_why_crm.ipynb".encode() in raw


def test_feedback_lists_points_and_failed_tests_without_test_code(hostile):
    folder = hostile["out"] / "feedback"
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 31 and all(f.endswith(".md") and not f.startswith(".") for f in files)
    assert "two_nlines.md" in files and "group1__王五.md" in files
    text = (folder / "wrong_q1.md").read_text(encoding="utf-8")
    assert "**17 / 19** points" in text
    assert "| q1 | 0 / 2 |" in text and "| q4 | 5 / 5 |" in text
    # q1's hidden test failed: named, its message given, its code (want = 0.8222590..., the
    # key of the default variant, exercise_reference/ex00_why_crm.py) not
    assert "hidden test `test_q1_top20_share_value`" in text
    assert "0.822259" not in text and "want =" not in text and "abs(" not in text
    blank = (folder / "李四_blank.md").read_text(encoding="utf-8")
    assert "top20\\_share: not answered yet" in blank  # a public check's message


# --- command-line errors (no batch needed) ----------------------------------------------------
def test_an_empty_submissions_folder_is_a_clear_error_and_writes_nothing(
    build_root, tmp_path, capsys
):
    out = tmp_path / "gradebook.csv"
    (tmp_path / "subs").mkdir()
    code = cli.main(
        ["grade", EX, str(tmp_path / "subs"), "-o", str(out), "--build-dir", str(build_root)]
    )
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert (
        err.strip()
        == f"crmlab grade: error: no .ipynb files in {tmp_path / 'subs'}: nothing to grade."
    )


def test_the_exercise_name_is_checked_first(tmp_path, capsys):
    assert cli.main(["grade", "99_nosuch", str(tmp_path / "missing")]) == 2
    available = ", ".join(build.list_exercises())
    assert f"unknown exercise '99_nosuch'; available: {available}" in capsys.readouterr().err


def test_a_missing_submissions_folder_is_a_clear_error(build_root, tmp_path, capsys):
    assert cli.main(["grade", EX, str(tmp_path / "missing"), "--build-dir", str(build_root)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_grading_refuses_to_run_without_isolation(build_root, tmp_path, capsys, monkeypatch):
    _write(tmp_path / "subs", "a.ipynb", "{}")
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)  # no bwrap on PATH
    out = tmp_path / "gradebook.csv"
    code = cli.main(
        ["grade", EX, str(tmp_path / "subs"), "-o", str(out), "--build-dir", str(build_root)]
    )
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "bubblewrap is not installed" in err and "--no-sandbox" in err


def test_a_missing_grading_extra_is_a_clear_error(tmp_path, capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "otter" else real(name, *a)
    )
    assert cli.main(["grade", EX, str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "needs otter-grader: install the grading extra (pip install 'crmlab[grading]'" in err


def test_without_sandbox_it_says_so_and_still_limits_time(build_root, tmp_path, capsys):
    """``--no-sandbox``: scores, time limit and killing what the notebook started still
    work (no hostile probes here: nothing would contain them)."""
    solution = _nb(build_root / EX / "dist" / "autograder" / f"{EX}.ipynb")
    _write(tmp_path / "subs", "ok.ipynb", solution)
    _write(
        tmp_path / "subs",
        "loops.ipynb",
        insert_after(
            solution,
            "top20_share = ",
            'import subprocess\nsubprocess.Popen(["sleep", "600.125"])\nwhile True:\n    pass',
        ),
    )
    out = tmp_path / "gradebook.csv"
    before = running_now()
    code = cli.main(
        ["grade", EX, str(tmp_path / "subs"), "-o", str(out), "--no-sandbox", "-t", "3",
         "--build-dir", str(build_root)]
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().err.startswith("isolation: NONE (--no-sandbox)")
    rows = {r["file"]: r for r in pd.read_csv(out, encoding="utf-8-sig").to_dict("records")}
    assert rows["ok.ipynb"]["total"] == FULL and rows["ok.ipynb"]["status"] == "ok"
    assert rows["loops.ipynb"]["status"] == "timeout" and rows["loops.ipynb"]["total"] == 2
    assert crmlab_processes(before) == []
    sleeping = [
        p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", "600.125"]
    ]
    assert sleeping == []  # killed with the notebook's process group
