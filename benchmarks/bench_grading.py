"""Grading speed with full isolation: ``crmlab grade`` on a class, against ``otter run``.

Run: ``.venv/bin/python benchmarks/bench_grading.py [--n 200] [--otter-n 20] [--workers 2]``.

Generates ``--n`` submissions of an exercise: half honest (the solution with a different
few answers changed in each), half hostile, cycling through the kinds ``crmlab grade`` is
tested against (tests/grading_probes.py and tests/test_grading.py: an endless loop, 300
children, memory-hungry children, filling /tmp, writing everywhere, reading host secrets,
scanning its own memory, attacks on the answers file, a 64 GB allocation, invalid JSON,
a crash, a byte-order mark...). Then times, each in a fresh process:

1. ``crmlab grade`` on the honest half alone: honest submissions per minute (the goal:
   at least 100 per minute on 2 cores with full isolation, i.e. a course of 1,000 students
   in 10 minutes);
2. ``crmlab grade`` on all ``--n`` (hostile ones included: each endless loop costs its
   worker the whole ``--timeout``);
3. ``otter run`` one submission after another (one process each, as its documentation
   suggests without Docker) on ``--otter-n`` honest submissions: otter has no time limit,
   so hostile ones would hang it.

It checks that ``crmlab grade`` gives the same totals as ``otter run`` on those, and prints
submissions per minute and peak memory: the largest resident set of any one process, and
the peak of the summed proportional set size (PSS: shared pages divided among the
processes sharing them) of the whole process tree, sampled every 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

from crmlab.grading import build, run, sandbox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import grading_probes as probes  # noqa: E402

# (solution line, wrong replacement): honest submission i gets the changes whose bit is set
CHANGES = [
    ("top20_share = revenue.iloc[:k].sum() / revenue.sum()", "top20_share = 0.8"),
    ("gini = 2 * (i * x).sum() / (n * x.sum()) - (n + 1) / n", "gini = 0.5"),
    ("weekly_profit_keep = 2000 * 50 - 100 * 100 - 20 * 500", "weekly_profit_keep = 90_000"),
    ("uplift_80_85 = clv_85 / clv_80 - 1", "uplift_80_85 = 0.05"),
    ("wom_people_put_off = dissatisfied * 25", "wom_people_put_off = 25"),
]


def honest(solution_text: str, i: int) -> str:
    sub = solution_text
    for bit, (old, new) in enumerate(CHANGES):
        if i >> bit & 1:
            assert old in sub, old
            sub = sub.replace(old, new)
    return sub


def hostile_kinds(solution: dict, blank: dict, memory_mb: int) -> list[tuple[str, bytes]]:
    kinds = [
        (f"{name[:-6]}", text.encode())
        for name, text in probes.hostile_notebooks(
            solution, blank, memory_mb=memory_mb, marker="bench"
        ).items()
    ]
    extra = {
        "loop": probes.with_probe(solution, probes.LOOP_FOREVER),
        "memory_hog": probes.with_probe(solution, "hog = bytearray(64 * 1024**3)"),
        "raises": probes.with_probe(solution, "raise RuntimeError('boom')"),
        "exits": probes.with_probe(solution, "import os\nos._exit(1)"),
        "patches_check": probes.with_probe(
            blank, "grader.check = lambda *a, **k: None\ntop20_share = 0.5"
        ),
    }
    kinds += [(name, json.dumps(nb).encode()) for name, nb in extra.items()]
    kinds.append(("invalid_json", b'{"cells": [ this is not json'))
    kinds.append(("bom", b"\xef\xbb\xbf" + json.dumps(solution).encode()))
    return kinds


class PeakPss:
    """Samples the summed PSS of a process tree (and the largest RSS) until stopped."""

    def __init__(self, pid: int):
        self.pid, self.pss, self.rss = pid, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            pss = 0.0
            for proc in procs:
                try:
                    info = proc.memory_full_info()
                except psutil.Error:
                    continue
                pss += getattr(info, "pss", info.rss)
                self.rss = max(self.rss, info.rss / 2**20)
            self.pss = max(self.pss, pss / 2**20)
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_crmlab(exercise, folder, build_dir, out, workers, timeout, memory_mb):
    cmd = [sys.executable, "-m", "crmlab.cli", "grade", exercise, str(folder), "-o", str(out)]
    cmd += ["--build-dir", str(build_dir), "-t", str(timeout), "--memory-mb", str(memory_mb)]
    if workers:
        cmd += ["--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = PeakPss(proc.pid)
    _, err = proc.communicate()
    seconds = time.perf_counter() - t0
    peak.stop()
    if proc.returncode != 0:
        raise SystemExit(f"crmlab grade failed:\n{err[-3000:]}")
    banner = err.splitlines()[0]
    return seconds, peak, pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False), banner


_WRAPPER = (
    "import json, resource, subprocess, sys; "
    "subprocess.run(json.loads(sys.argv[1]), check=True, capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
)


def run_otter(zip_path: Path, subs: list[Path], work: Path):
    otter = str(Path(sys.executable).with_name("otter"))
    totals, seconds, peak = {}, 0.0, 0.0
    for sub in subs:
        out = work / f"otter-{sub.stem}"
        out.mkdir()
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, json.dumps([otter, "run", "-a", str(zip_path),
                                                         "-o", str(out), str(sub)])],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        seconds += time.perf_counter() - t0
        peak = max(peak, float(done.stdout.strip()))
        results = json.loads((out / "results.json").read_text(encoding="utf-8"))
        totals[sub.name] = sum(t.get("score", 0) for t in results["tests"])
    return seconds, peak, totals


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="submissions (default 200)")
    parser.add_argument("--otter-n", type=int, default=20, help="for otter run (default 20)")
    parser.add_argument("--exercise", default="00_why_crm")
    parser.add_argument("--workers", type=int, default=2, help="crmlab grade workers")
    parser.add_argument("--timeout", type=float, default=10, help="seconds per submission")
    parser.add_argument("--memory-mb", type=int, default=1024)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="crmlab-bench-grading-"))
    try:
        build_dir = work / "build"
        build.build_exercise(args.exercise, build_dir=build_dir, update_student=False, check=False)
        name = build.resolve(args.exercise)
        solution_path = build_dir / name / "dist" / "autograder" / f"{name}.ipynb"
        solution_text = solution_path.read_text(encoding="utf-8")
        blank = json.loads((build_dir / name / "student" / f"{name}.ipynb").read_text("utf-8"))
        honest_dir, all_dir = work / "honest", work / "all"
        honest_dir.mkdir()
        all_dir.mkdir()
        n_honest = args.n - args.n // 2
        for i in range(n_honest):
            text = honest(solution_text, i)
            (honest_dir / f"学生{i:03d}.ipynb").write_text(text, encoding="utf-8")
            (all_dir / f"学生{i:03d}.ipynb").write_text(text, encoding="utf-8")
        kinds = hostile_kinds(json.loads(solution_text), blank, args.memory_mb)
        for i in range(args.n // 2):
            kind, content = kinds[i % len(kinds)]
            (all_dir / f"hostile{i:03d}_{kind}.ipynb").write_bytes(content)
        counts = {k: sum(1 for i in range(args.n // 2) if kinds[i % len(kinds)][0] == k)
                  for k, _ in kinds}  # fmt: skip
        cores = run.cpu_count()
        iso = sandbox.choose(None)
        if not iso.sandboxed:
            raise SystemExit(
                "bench_grading needs bubblewrap: its hostile submissions need a sandbox"
            )
        print(
            f"{args.exercise}: {n_honest} honest + {args.n // 2} hostile submissions; "
            f"{cores} cores; {args.workers} workers; timeout {args.timeout:g} s; "
            f"memory {args.memory_mb} MB; isolation: "
            + "bubblewrap"
            + (f" + {iso.cgroups.version} cgroups" if iso.cgroups else " + rlimits")
        )
        print("hostile kinds: " + ", ".join(f"{k} x{c}" for k, c in counts.items()))

        rows = []
        t_h, peak_h, book_h, banner = run_crmlab(
            name, honest_dir, build_dir, work / "honest.csv", args.workers, args.timeout,
            args.memory_mb,
        )  # fmt: skip
        rows.append(("crmlab grade, honest only", n_honest, t_h, peak_h.rss, peak_h.pss))
        t_a, peak_a, book_a, _ = run_crmlab(
            name, all_dir, build_dir, work / "all.csv", args.workers, args.timeout,
            args.memory_mb,
        )  # fmt: skip
        rows.append(("crmlab grade, honest + hostile", args.n, t_a, peak_a.rss, peak_a.pss))
        otter_subs = sorted(honest_dir.iterdir())[: args.otter_n]
        mismatch = {}
        if args.otter_n:
            t_o, peak_o, otter_totals = run_otter(
                build_dir / name / "autograder.zip", otter_subs, work
            )
            rows.append(("otter run, sequential, honest", len(otter_subs), t_o, peak_o, None))
            crm = dict(zip(book_h["file"], book_h["total"], strict=True))
            mismatch = {
                k: (v, crm.get(k))
                for k, v in otter_totals.items()
                if abs(v - crm.get(k, -1)) > 1e-6
            }
        print(banner)
        print(f"{'method':<34}{'subs':>6}{'seconds':>9}{'subs/min':>10}{'max RSS MB':>12}"
              f"{'peak PSS MB':>13}")  # fmt: skip
        for label, n, seconds, rss, pss in rows:
            pss_text = f"{pss:>13.0f}" if pss is not None else f"{'-':>13}"
            print(
                f"{label:<34}{n:>6}{seconds:>9.1f}{60 * n / seconds:>10.1f}{rss:>12.0f}{pss_text}"
            )
        statuses = book_a["status"].str.replace(r"in cell \d+: .*", "in cell N: ...", regex=True)
        statuses = statuses.str.replace(r"\(.*", "(...)", regex=True).value_counts()
        print("statuses (all): " + "; ".join(f"{s} x{c}" for s, c in statuses.items()))
        honest_rows = book_a[~book_a["file"].str.startswith("hostile")]
        same = (honest_rows.set_index("file")["total"] == book_h.set_index("file")["total"]).all()
        print(f"honest rows graded alike alone and among hostile ones: {bool(same)}")
        if args.otter_n:
            print(
                "totals agree with otter run"
                if not mismatch
                else f"totals differ from otter run: {mismatch}"
            )
        print("(max RSS: largest resident set of one process; peak PSS: whole process tree)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if os.environ.get("CRMLAB_BENCH_STRICT") and (mismatch or not same):
        sys.exit(1)


if __name__ == "__main__":
    main()
