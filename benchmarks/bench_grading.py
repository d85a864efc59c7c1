"""Grading speed: ``otter run`` one submission after another versus ``crmlab grade``.

Run: ``.venv/bin/python benchmarks/bench_grading.py [--n 20] [--exercise 00_why_crm]``.

Generates ``--n`` submissions of an exercise (the solution with a different few answers
changed in each), grades them sequentially with ``otter run`` (one process per
submission, as its documentation suggests without Docker) and in one ``crmlab grade``
call (default workers: one per core), checks that both give the same totals, and prints
submissions per minute and peak memory (largest resident set of any process involved).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from crmlab import grading

# (solution line, wrong replacement): submission i gets the changes whose bit is set in i
CHANGES = [
    ("top20_share = revenue.iloc[:k].sum() / revenue.sum()", "top20_share = 0.8"),
    ("gini = 2 * (i * x).sum() / (n * x.sum()) - (n + 1) / n", "gini = 0.5"),
    ("weekly_profit_keep = 2000 * 50 - 100 * 100 - 20 * 500", "weekly_profit_keep = 90_000"),
    ("uplift_80_85 = clv_85 / clv_80 - 1", "uplift_80_85 = 0.05"),
    ("wom_people_put_off = dissatisfied * 25", "wom_people_put_off = 25"),
]


def make_submissions(solution: Path, folder: Path, n: int) -> list[Path]:
    text = solution.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        sub = text
        for bit, (old, new) in enumerate(CHANGES):
            if i >> bit & 1:
                assert old in sub, old
                sub = sub.replace(old, new)
        path = folder / f"学生{i:02d}.ipynb"
        path.write_text(sub, encoding="utf-8")
        paths.append(path)
    return paths


_WRAPPER = (
    "import json, resource, subprocess, sys; "
    "subprocess.run(json.loads(sys.argv[1]), check=True, capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
)


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds of ``cmd`` and the largest resident set (MB) of any of its processes."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, json.dumps(cmd)],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - t0, float(out.stdout.strip())


def run_otter(zip_path: Path, subs: list[Path], work: Path):
    otter = str(Path(sys.executable).with_name("otter"))
    totals, seconds, peak = {}, 0.0, 0.0
    for sub in subs:
        out = work / f"otter-{sub.stem}"
        out.mkdir()
        s, p = timed([otter, "run", "-a", str(zip_path), "-o", str(out), str(sub)])
        seconds, peak = seconds + s, max(peak, p)
        results = json.loads((out / "results.json").read_text(encoding="utf-8"))
        totals[sub.name] = sum(t.get("score", 0) for t in results["tests"])
    return seconds, peak, totals


def run_crmlab(exercise: str, folder: Path, build_dir: Path, out: Path, workers: int | None):
    cmd = [
        sys.executable,
        "-c",
        "from crmlab.cli import main; import sys; sys.exit(main())",
        "grade",
        exercise,
        str(folder),
        "-o",
        str(out),
        "--build-dir",
        str(build_dir),
    ]
    if workers:
        cmd += ["--workers", str(workers)]
    seconds, peak = timed(cmd)
    return seconds, peak, pd.read_csv(out, encoding="utf-8-sig")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="submissions (default 20)")
    parser.add_argument("--exercise", default="00_why_crm")
    parser.add_argument(
        "--workers", type=int, default=None, help="crmlab grade workers (default: one per core)"
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="crmlab-bench-grading-"))
    try:
        build_dir = work / "build"
        grading.build_exercise(
            args.exercise, build_dir=build_dir, update_student=False, check=False
        )
        name = grading._resolve(args.exercise)
        solution = build_dir / name / "dist" / "autograder" / f"{name}.ipynb"
        subs_dir = work / "submissions"
        subs_dir.mkdir()
        subs = make_submissions(solution, subs_dir, args.n)
        cores = grading._cpu_count()
        print(
            f"{args.n} submissions of {name}; {cores} cores; "
            f"crmlab grade workers: {args.workers or cores}"
        )

        t_otter, peak_otter, otter_totals = run_otter(
            build_dir / name / "autograder.zip", subs, work
        )
        t_crm, peak_crm, book = run_crmlab(
            name, subs_dir, build_dir, work / "gradebook.csv", args.workers
        )

        crm_totals = dict(zip(book["file"], book["total"], strict=True))
        mismatch = {
            k: (v, crm_totals.get(k))
            for k, v in otter_totals.items()
            if abs(v - crm_totals.get(k, -1)) > 1e-6
        }
        print(f"{'method':<34}{'seconds':>9}{'subs/min':>10}{'peak MB':>9}")
        print(
            f"{'otter run, sequential':<34}{t_otter:>9.1f}{60 * args.n / t_otter:>10.1f}"
            f"{peak_otter:>9.0f}"
        )
        print(
            f"{'crmlab grade, parallel + isolated':<34}{t_crm:>9.1f}"
            f"{60 * args.n / t_crm:>10.1f}{peak_crm:>9.0f}"
        )
        print(
            f"speed-up: {t_otter / t_crm:.1f}x; statuses: "
            f"{ {k: int(v) for k, v in book['status'].value_counts().items()} }"
        )
        print(
            "totals agree with otter run"
            if not mismatch
            else f"totals differ from otter run: {mismatch}"
        )
        print("(peak MB: largest resident set of any one process of the run)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if os.environ.get("CRMLAB_BENCH_STRICT") and mismatch:
        sys.exit(1)


if __name__ == "__main__":
    main()
