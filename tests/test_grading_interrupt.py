"""Ctrl-C in the middle of a batch (SIGTERM is handled the same way): ``crmlab grade``
stops at once, kills every worker, writes the rows graded so far, exits 130 and leaves no
process, temporary folder or cgroup behind.

The batch: two honest notebooks (graded in about a second) and four that loop until their
60 s limit; the signal goes to the command's process group (as a terminal sends Ctrl-C)
once the two honest rows are reported.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from grading_probes import EX, with_probe
from test_exercises import build_once
from test_grading import crmlab_processes, our_cgroups, running_now

pytestmark = [
    pytest.mark.filterwarnings("ignore:Traits should be given as instances"),
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap missing"),
]


@pytest.fixture(scope="module")
def build_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.getbasetemp() / "exercise-build"
    build_once(root)
    return root


def test_sigterm_is_handled_as_ctrl_c():
    """While it grades, ``crmlab grade`` turns SIGTERM into what Ctrl-C does (checked end to
    end for Ctrl-C below; the same path follows)."""
    from crmlab.grading import cli as grading_cli

    with pytest.raises(KeyboardInterrupt):
        grading_cli._sigterm_as_interrupt(signal.SIGTERM, None)


def test_an_interrupted_batch_stops_cleanly_and_keeps_the_rows_done(build_root, tmp_path):
    sig = signal.SIGINT  # what a terminal sends to the foreground process group on Ctrl-C
    solution = json.loads(
        (build_root / EX / "dist" / "autograder" / f"{EX}.ipynb").read_text(encoding="utf-8")
    )
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("a_honest.ipynb", "b_honest.ipynb"):
        (subs / name).write_text(json.dumps(solution), encoding="utf-8")
    loop = json.dumps(with_probe(solution, "while True:\n    pass"))
    for k in range(4):
        (subs / f"c_loop{k}.ipynb").write_text(loop, encoding="utf-8")
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    out = tmp_path / "gradebook.csv"
    before = running_now()
    with child_subreaper():  # orphans of the command become our children: we see them
        _run_and_interrupt(build_root, subs, out, private_tmp, sig, before)


@contextlib.contextmanager
def child_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    try:
        yield
    finally:
        libc.prctl(36, 0, 0, 0, 0)


def _run_and_interrupt(build_root, subs, out, private_tmp, sig, before):
    cmd = [sys.executable, "-m", "crmlab.cli", "grade", EX, str(subs), "-o", str(out)]
    cmd += ["-t", "60", "-j", "2", "--build-dir", str(build_root)]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(private_tmp)},
        start_new_session=True,
    )
    lines = []
    deadline = time.monotonic() + 60
    while len([x for x in lines if x.startswith("[")]) < 2 and time.monotonic() < deadline:
        lines.append(proc.stderr.readline())
    assert sum(x.startswith("[") for x in lines) == 2, lines
    time.sleep(0.5)  # the loops are running now
    t0 = time.monotonic()
    os.killpg(proc.pid, sig)
    stdout, stderr = proc.communicate(timeout=30)
    seconds = time.monotonic() - t0
    assert proc.returncode == 130
    assert seconds < 10  # not the 60 s the loops were allowed
    assert "crmlab grade: interrupted: 2 of 6 graded." in stderr
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert sorted(frame["file"]) == ["a_honest.ipynb", "b_honest.ipynb"]
    assert (frame["total"] == 19).all() and (frame["status"] == "ok").all()
    assert "2 submissions graded" in stdout
    time.sleep(0.2)
    assert crmlab_processes(before) == []
    assert list(private_tmp.iterdir()) == []
    assert our_cgroups(proc.pid) == []
