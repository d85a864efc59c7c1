"""Choosing the isolation, the folders a sandbox may show, cgroups, statuses
(``crmlab.grading.sandbox`` and ``crmlab.grading.run``). The probes of what the isolation
holds are in test_grading.py and test_grading_fallback.py."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from crmlab.grading import run, sandbox


def test_without_bubblewrap_grading_refuses_unless_told_otherwise(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(sandbox.IsolationError) as err:
        sandbox.choose(True)
    assert "bubblewrap is not installed" in str(err.value)
    assert "apt-get install bubblewrap" in str(err.value) and "--no-sandbox" in str(err.value)
    iso = sandbox.choose(None)  # the build check of the instructor's own notebooks
    assert not iso.sandboxed and "bubblewrap is not installed" in iso.notes[0]
    iso = sandbox.choose(False, cgroups=False)
    assert not iso.sandboxed
    assert iso.describe(memory_mb=100, max_procs=8, disk_mb=10).startswith("isolation: NONE")


def test_off_linux_grading_refuses(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(sandbox.IsolationError, match="the sandbox needs Linux"):
        sandbox.choose(True)


def test_a_sandbox_never_shows_the_autograders_or_the_submissions(tmp_path):
    package = Path(run.__file__).resolve().parent.parent
    paths = sandbox.visible_paths(package, hidden=[tmp_path])
    assert str(package) in paths
    assert not any(str(tmp_path).startswith(p + "/") for p in paths)
    inside = Path(sys.prefix) / "build" / "exercises"  # autograders inside the venv
    with pytest.raises(sandbox.IsolationError, match="which holds"):
        sandbox.visible_paths(package, hidden=[inside])


def test_staging_covers_only_folders_outside_the_system():
    staged = sandbox.staging(["/usr", "/usr/lib/python3", "/opt/py", "/root/.pyenv/x"])
    assert staged == {"/opt/py": "/tmp/crmlab-view/02", "/root/.pyenv/x": "/tmp/crmlab-view/03"}


@pytest.mark.skipif(sandbox.Cgroups.create()[0] is None, reason="no cgroups here")
def test_a_job_cgroup_gets_its_limits_and_is_removed():
    cg, _ = sandbox.Cgroups.create()
    cg.setup()
    try:
        job = cg.new_job(memory_mb=300, max_procs=10)
        if cg.version == "v1":
            mem = Path(job.paths["memory"]) / "memory.limit_in_bytes"
            assert int(mem.read_text()) == 300 * 2**20
            assert (Path(job.paths["pids"]) / "pids.max").read_text().strip() == "10"
        else:
            assert int((Path(job.paths[""]) / "memory.max").read_text()) == 300 * 2**20
            assert (Path(job.paths[""]) / "pids.max").read_text().strip() == "10"
        fds = job.open_procs()
        for fd in fds:
            os.close(fd)
        job.kill_and_remove()
        assert not any(Path(p).exists() for p in job.paths.values())
    finally:
        cg.remove()
    for parent in cg.parents.values():
        assert not [n for n in os.listdir(parent) if n.startswith(f"crmlab-grade-{os.getpid()}-")]


def test_statuses():
    ok = {"timed_out": False, "exit": 0}
    assert run.status_of({"timed_out": True}, {}, None) == "timeout"
    assert run.status_of(ok, {"status": "ok"}, None) == "ok"
    assert run.status_of(
        ok, {"status": "ok", "note": " (UTF-8 byte-order mark removed)"}, None
    ) == ("ok (UTF-8 byte-order mark removed)")
    assert run.status_of({"timed_out": False, "exit": -9}, {"status": "running"}, None) == (
        "error: kernel died (killed by SIGKILL)"
    )
    assert run.status_of({"timed_out": False, "exit": -9}, {}, None, oom=1) == (
        "error: kernel died (killed by SIGKILL: memory limit) (memory limit reached "
        "(1 process killed))"
    )
    assert run.status_of({"timed_out": False, "exit": -24}, {}, None) == (
        "error: kernel died (killed by SIGXCPU: CPU time limit)"
    )
    assert run.status_of(ok, {"status": "running"}, None) == (
        "error: notebook stopped before the end"
    )
    assert run.status_of(ok, {}, "answers file is not a regular file") == (
        "error: answers file is not a regular file"
    )
    assert run.status_of(ok, {"status": "invalid notebook", "detail": "NotJSONError: x"}, None) == (
        "invalid notebook (NotJSONError: x)"
    )


def test_submitted_files_are_opened_without_following_links_or_blocking(tmp_path):
    regular = tmp_path / "a.ipynb"
    regular.write_text("{}")
    fd, problem = run.open_submission(regular)
    assert problem is None
    os.close(fd)
    (tmp_path / "link.ipynb").symlink_to(regular)
    assert run.open_submission(tmp_path / "link.ipynb")[1].startswith(
        "invalid notebook (cannot be opened"
    )
    os.mkfifo(tmp_path / "fifo.ipynb")
    assert run.open_submission(tmp_path / "fifo.ipynb") == (
        None,
        "invalid notebook (not a regular file)",
    )
    big = tmp_path / "big.ipynb"
    with open(big, "wb") as fh:
        fh.truncate(run.MAX_NOTEBOOK_BYTES + 1)
    assert run.open_submission(big) == (None, "invalid notebook (over 50 MB)")


def test_find_submissions_skips_hidden_folders_and_does_not_follow_folder_links(tmp_path):
    (tmp_path / "sub" / ".ipynb_checkpoints").mkdir(parents=True)
    (tmp_path / "sub" / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("{}")
    (tmp_path / "sub" / "a.ipynb").write_text("{}")
    (tmp_path / "b.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "c.ipynb").write_text("{}")
    (tmp_path / "linked").symlink_to(outside)
    try:
        found = [label for label, _ in run.find_submissions(tmp_path)]
    finally:
        shutil.rmtree(outside)
    assert found == ["b.ipynb", "sub/a.ipynb"]
