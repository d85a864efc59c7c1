"""The probes again as a normal user, where cgroups are unavailable.

A small batch (honest, writing everywhere, reading host secrets, 300 children, three
memory-hungry children, a 64 GB allocation, filling ``/tmp``, scanning its own memory) is
graded by ``crmlab grade`` running as uid 65534, as an instructor without root would (only
when the tests run as root; when they do not, ``test_grading.py`` already runs as a normal
user). It runs in a private mount namespace that makes this machine's Python installation
(which may sit below ``/root``) readable to that user. Unprivileged, it cannot create
cgroups, so limits come from ``setrlimit``.

What holds in both: no write outside the sandbox, no host secret visible, the process
limit (RLIMIT_NPROC binds: the sandbox user is not root on the host), the /tmp cap (a
tmpfs), no test text in memory, a single process's memory cap. What does not: the memory
limit is per process, not per submission (three children each get their own), as
``exercises/README.md`` says.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import pytest
from grading_probes import EX, hostile_notebooks, report, with_probe
from test_exercises import build_once

from crmlab.grading import build

pytestmark = [
    pytest.mark.filterwarnings("ignore:Traits should be given as instances"),
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap missing"),
]
FULL = 19.0
MEMORY_MB, DISK_MB, TIMEOUT = 400, 64, 8
MB_EACH = MEMORY_MB * 3 // 8
PROBES = ("write_everywhere", "secrets", "fork_300", "memory_children", "fill_tmp", "scan_memory")


@pytest.fixture(scope="module")
def build_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.getbasetemp() / "exercise-build"
    build_once(root)
    return root


def _batch(build_root: Path, folder: Path, marker: str) -> None:
    solution = json.loads(
        (build_root / EX / "dist" / "autograder" / f"{EX}.ipynb").read_text(encoding="utf-8")
    )
    blank = json.loads(
        (build.exercises_dir() / EX / "student" / f"{EX}.ipynb").read_text(encoding="utf-8")
    )
    folder.mkdir(parents=True)
    (folder / "honest.ipynb").write_text(json.dumps(solution), encoding="utf-8")
    hog = with_probe(solution, "hog = bytearray(64 * 1024**3)")
    (folder / "memory_hog.ipynb").write_text(json.dumps(hog), encoding="utf-8")
    for name, text in hostile_notebooks(
        solution, blank, memory_mb=MEMORY_MB, marker=marker
    ).items():
        if name.removesuffix(".ipynb") in PROBES:
            (folder / name).write_text(text, encoding="utf-8")


def _check(rows: dict, marker: str) -> None:
    """What must hold without cgroups (see the module docstring)."""
    assert rows["honest.ipynb"]["total"] == FULL and rows["honest.ipynb"]["status"] == "ok"
    got = report(rows["write_everywhere.ipynb"]["status"])
    assert (got["proc_written"], got["outside"]) == ("0", "0") and int(got["inside"]) >= 3
    assert not list(Path("/tmp").glob(f"*{marker}*"))
    got = report(rows["secrets.ipynb"]["status"])
    assert (got["seen"], got["control"]) == ("0", "1")
    assert 10 < int(report(rows["fork_300.ipynb"]["status"])["started"]) < 64
    assert DISK_MB // 2 <= int(report(rows["fill_tmp.ipynb"]["status"])["wrote_mb"]) <= DISK_MB
    got = report(rows["scan_memory.ipynb"]["status"])
    assert got["found"] == "0" and int(got["scanned_mb"]) >= 50
    assert rows["scan_memory.ipynb"]["total"] == 0
    assert rows["memory_hog.ipynb"]["status"].startswith("error: MemoryError in cell 3")
    # without cgroups the memory cap is per process: each child holds its 150 MB
    # (3 x 150 > 400): the documented limit of the fallback
    got = report(rows["memory_children.ipynb"]["status"])
    assert got["allocated"] == "3"


_AS_USER = r"""
import ctypes, json, os, stat, sys
spec = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
def check(result, what):
    if result != 0:
        sys.exit(f"{what}: {os.strerror(ctypes.get_errno())}")
check(libc.unshare(0x00020000), "unshare")
check(libc.mount(None, b"/", None, 0x4000 | 0x40000, None), "make-rprivate")
# folders the user cannot enter (e.g. /root) on the way to what it needs: cover each with
# a tmpfs holding only the needed paths (this mount namespace only)
def blocked(path):
    parts = path.strip("/").split("/")
    for k in range(1, len(parts) + 1):
        folder = "/" + "/".join(parts[:k])
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return folder
    return None
covers = {}
for path in spec["need"]:
    top = blocked(path)
    if top:
        covers.setdefault(top, []).append((path, os.open(path, os.O_PATH)))
for top, paths in covers.items():
    check(libc.mount(b"tmpfs", top.encode(), b"tmpfs", 0, b"mode=755"), "tmpfs " + top)
    for path, fd in paths:
        os.makedirs(path, mode=0o755, exist_ok=True)
        source = f"/proc/self/fd/{fd}".encode()
        check(libc.mount(source, path.encode(), None, 0x1000 | 0x4000, None), path)
os.setgroups([])
os.setgid(spec["uid"])
os.setuid(spec["uid"])
os.execve(spec["argv"][0], spec["argv"], spec["env"])
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="the tests already run as a normal user")
def test_probes_hold_when_a_normal_user_grades(build_root):
    uid = 65534
    work = Path(tempfile.mkdtemp(prefix="crmlab-as-user-", dir="/tmp"))
    try:
        work.chmod(0o755)
        marker = uuid.uuid4().hex[:10]
        _batch(build_root, work / "subs", marker)
        shutil.copytree(build_root / EX, work / "build" / EX)
        (work / "out").mkdir()
        (work / "home").mkdir()
        for path in [work, *work.rglob("*")]:
            os.lchown(path, uid, uid)
        repo = Path(build.__file__).resolve().parents[2]
        need = sorted(
            {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.executable)}
            | {str(repo)}
        )
        need = [p if os.path.isdir(p) else os.path.dirname(p) for p in need]
        argv = [sys.executable, "-m", "crmlab.cli", "grade", EX, str(work / "subs")]
        argv += ["-o", str(work / "out" / "gradebook.csv"), "-t", str(TIMEOUT)]
        argv += ["--memory-mb", str(MEMORY_MB), "--disk-mb", str(DISK_MB)]
        argv += ["--build-dir", str(work / "build")]
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work / "home"),
            "TMPDIR": str(work / "home"),
            "LANG": "C.UTF-8",
        }
        spec = {"need": need, "uid": uid, "argv": argv, "env": env}
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _AS_USER, json.dumps(spec)],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=str(work),
        )
        assert done.returncode == 0, done.stderr[-3000:]
        banner = done.stderr.splitlines()[0]
        assert banner.startswith("isolation: bubblewrap ")
        assert "uid 65534;" in banner and "not root" not in banner  # bwrap ran as the user
        assert "no cgroups (" in banner and "fallback to per-process limits" in banner
        frame = pd.read_csv(work / "out" / "gradebook.csv", encoding="utf-8-sig")
        _check({r["file"]: r for r in frame.to_dict("records")}, marker)
        assert list((work / "home").iterdir()) == []  # its temporary folders are gone
    finally:
        shutil.rmtree(work, ignore_errors=True)
