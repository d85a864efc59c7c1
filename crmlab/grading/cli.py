"""``crmlab grade`` and ``crmlab exercises {build,list}``: parsers and commands.

``crmlab.cli`` adds them with one call, :func:`register_cli`.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path


def _positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value

    return parse


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def progress_line(row: dict, done: int, total: int, elapsed: float) -> str:
    """``[3/20] name.ipynb: 17/19 points, ok (0:12 elapsed, ETA 0:41)``, text escaped."""
    from crmlab.grading.gradebook import clean_text

    got = sum(float(s.get("score") or 0) for s in row["scores"].values())
    possible = sum(float(s.get("possible") or 0) for s in row["scores"].values())
    eta = elapsed / done * (total - done) if done else 0.0
    return (
        f"[{done}/{total}] {clean_text(row['file'])}: {got:g}/{possible:g} points, "
        f"{clean_text(row['status'])} ({_clock(elapsed)} elapsed, ETA {_clock(eta)})"
    )


def _missing_extra(outputs: list[str]) -> list[str]:
    """Packages of the ``grading`` extra this command needs but cannot import."""
    from importlib.util import find_spec

    needed = ["otter"] + (
        ["openpyxl"] if any(str(o).lower().endswith(".xlsx") for o in outputs) else []
    )
    names = {"otter": "otter-grader", "openpyxl": "openpyxl"}
    return [names[m] for m in needed if find_spec(m) is None]


def _sigterm_as_interrupt(signum, frame):
    raise KeyboardInterrupt


def _cmd_grade(args: argparse.Namespace) -> int:
    from crmlab.grading import build, gradebook, run, sandbox

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    def fail(exc) -> int:
        lines = str(exc).splitlines() or [""]
        say(f"crmlab grade: error: {gradebook.clean_text(lines[0])}")
        for line in lines[1:]:
            say("  " + gradebook.clean_text(line))
        return 2

    missing = _missing_extra(args.output or [])
    if missing:
        return fail(
            f"crmlab grade needs {', '.join(missing)}: install the grading extra "
            "(pip install 'crmlab[grading]', or pip install -r requirements.txt)."
        )
    per_student = None
    try:
        variant = _variant_of(args)
        if args.per_student is not None:
            if variant is not None:
                raise ValueError("--per-student cannot be combined with --seed/--variant.")
            from crmlab.grading import roster

            ids = roster.read_roster(args.per_student)
            found = roster.match_submissions(run.find_submissions(Path(args.submissions)), ids)
            per_student = roster.autograders_for(
                args.exercise, found, args.course_seed, build_dir=args.build_dir, log=say
            )
            args.build_dir = roster.per_student_dir(args.build_dir)
        if variant is not None and args.build_dir is None:
            args.build_dir = build.variant_build_dir(variant)
            if not (args.build_dir / build.resolve(args.exercise) / "build.json").exists():
                build.build_exercise(args.exercise, variant=variant, check=False)
        ag, items, iso = run.prepare(
            args.exercise,
            args.submissions,
            sandbox=False if args.no_sandbox else True,
            build_dir=None if per_student else args.build_dir,
            log=say,
        )
        if per_student:  # the questions of every variant, for the gradebook's columns
            ag = next(iter(per_student.values()))
    except (ValueError, FileNotFoundError, build.BuildError, sandbox.IsolationError) as exc:
        return fail(exc)
    except KeyboardInterrupt:
        say("crmlab grade: interrupted before grading started; nothing written.")
        return 130
    say(iso.describe(memory_mb=args.memory_mb, max_procs=args.max_procs, disk_mb=args.disk_mb))
    from crmlab import _progress

    previous = signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    t0 = time.perf_counter()
    interrupted = None
    bar = _progress.bar(len(items), desc="grade", unit="notebook")  # a bar on a terminal only

    def progress(row, done, total, seconds):
        line = progress_line(row, done, total, seconds)
        if bar.disable:
            say(line)
        else:
            bar.write(line, file=sys.stderr)
            bar.update(1)

    try:
        results = run.grade_items(
            ag,
            items,
            iso=iso,
            workers=args.workers,
            timeout=args.timeout,
            memory_mb=args.memory_mb,
            disk_mb=args.disk_mb,
            max_procs=args.max_procs,
            hidden=[Path(args.build_dir or build.default_build_dir()), Path(args.submissions)],
            progress=progress,
            autograders=per_student,
        )
    except run.Interrupted as exc:
        interrupted, results = exc, exc.results
    except sandbox.IsolationError as exc:
        return fail(exc)
    finally:
        bar.close()
        signal.signal(signal.SIGTERM, previous)
    seconds = time.perf_counter() - t0
    frame = gradebook.gradebook_frame(ag, results)
    if interrupted is not None:
        say(f"crmlab grade: interrupted: {len(results)} of {interrupted.total} graded.")
        if not results:
            say("crmlab grade: nothing graded, no gradebook written.")
            return 130
    code = 130 if interrupted is not None else 0
    print(gradebook.table_text(frame))
    try:
        paths = [gradebook.write_gradebook(frame, out) for out in args.output or ["gradebook.csv"]]
        if args.feedback:
            written = gradebook.write_feedback(ag, results, frame, args.feedback)
            say(f"feedback: {len(written)} files in {gradebook.clean_text(args.feedback)}")
    except OSError as exc:
        say(
            f"crmlab grade: error: cannot write {gradebook.clean_text(exc.filename or '')}: "
            f"{exc.strerror}"
        )
        return 1
    print(
        f"\n{len(frame)} submissions graded in {seconds:.1f} s; "
        f"gradebook: {', '.join(gradebook.clean_text(p) for p in paths)}"
    )
    return code


def _cmd_build(args: argparse.Namespace) -> int:
    from crmlab.grading import build

    try:
        if args.per_student is not None:
            from crmlab.grading import roster

            if _variant_of(args) is not None:
                raise ValueError("--per-student cannot be combined with --seed/--variant.")
            roster.build_per_student(
                args.names or None,
                args.per_student,
                args.course_seed,
                build_dir=args.build_dir,
                check=not args.no_check,
                workers=args.workers,
            )
            return 0
        build.build_all(
            args.names or None,
            build_dir=args.build_dir,
            check=not args.no_check,
            workers=args.workers,
            variant=_variant_of(args),
        )
    except (ValueError, build.BuildError) as exc:
        print(f"crmlab exercises build: error: {exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from crmlab.grading import build

    for name in build.list_exercises():
        print(name)
    return 0


def _variant_options(parser, what: str) -> None:
    g = parser.add_argument_group("variants", what)
    g.add_argument(
        "--seed", type=_positive(int), default=None, help="seed of the variant's company"
    )
    g.add_argument(
        "--variant", default=None, metavar="NAME", help="a named variant (seed from the name)"
    )
    g.add_argument(
        "--size", type=_positive(int), default=None, help="customers of the variant's company"
    )
    g.add_argument(
        "--per-student",
        metavar="ROSTER.csv",
        type=Path,
        default=None,
        help="one variant per student of the roster (a CSV with a student_id column); "
        "grading matches each submission by the student id its file name starts with",
    )
    g.add_argument(
        "--course-seed",
        metavar="SECRET",
        default=None,
        help="the course secret from which, with each student id, a student's seed is derived",
    )


def _variant_of(args):
    from crmlab.grading import build

    if args.seed is None and args.variant is None:
        if args.size is not None:
            raise ValueError("--size needs --seed or --variant.")
        return None
    return build.variant_spec(seed=args.seed, name=args.variant, size=args.size)


def register_cli(subparsers) -> None:
    """Add ``crmlab grade`` and ``crmlab exercises {build,list}`` to the ``crmlab`` CLI."""
    p = subparsers.add_parser(
        "grade",
        help="grade a folder of submitted notebooks into a gradebook",
        description="Grade every .ipynb in SUBMISSIONS (in parallel, each in its own sandbox, "
        "with time, memory, process and disk limits) and write a gradebook.",
    )
    p.add_argument("exercise", help="exercise name or number, e.g. 00_why_crm or 00")
    p.add_argument("submissions", help="folder holding the submitted notebooks (any names)")
    p.add_argument(
        "-o",
        "--output",
        action="append",
        default=None,
        help="gradebook file: .csv (UTF-8 with BOM) or .xlsx; repeat for both "
        "(default: gradebook.csv)",
    )
    p.add_argument(
        "--feedback",
        metavar="DIR",
        default=None,
        help="also write one Markdown feedback file per submission into DIR",
    )
    p.add_argument(
        "-j",
        "--workers",
        type=_positive(int),
        default=None,
        help="submissions graded at once (default: one per core)",
    )
    p.add_argument(
        "-t",
        "--timeout",
        type=_positive(float),
        default=120,
        help="seconds allowed per submission (default: %(default)s)",
    )
    p.add_argument(
        "--memory-mb",
        type=_positive(int),
        default=2048,
        help="memory per submission, MB (default: %(default)s)",
    )
    p.add_argument(
        "--disk-mb",
        type=_positive(int),
        default=256,
        help="private /tmp and working folder per submission, MB (default: %(default)s)",
    )
    p.add_argument(
        "--max-procs",
        type=_positive(int),
        default=64,
        help="processes per submission (default: %(default)s)",
    )
    p.add_argument("--build-dir", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="grade WITHOUT isolation (only limits and time-outs): for trusted notebooks, "
        "or where bubblewrap is unavailable",
    )
    _variant_options(
        p,
        "grade submissions of a variant built with crmlab exercises build "
        "--seed/--variant (the same options)",
    )
    p.set_defaults(func=_cmd_grade)

    p = subparsers.add_parser("exercises", help="build or list the exercises")
    sub = p.add_subparsers(dest="exercises_command", required=True)
    b = sub.add_parser("build", help="regenerate student notebooks, data and autograders")
    b.add_argument("names", nargs="*", help="exercises to build (default: all)")
    b.add_argument(
        "--no-check", action="store_true", help="skip grading the solution and the blank notebook"
    )
    b.add_argument("-j", "--workers", type=_positive(int), default=None)
    b.add_argument("--build-dir", type=Path, default=None, help=argparse.SUPPRESS)
    _variant_options(
        b,
        "build a variant for marked work: the exercise on another synthetic "
        "company (its data, expected values in the autograder only), into "
        "build/variants/NAME/",
    )
    b.set_defaults(func=_cmd_build)
    ls = sub.add_parser("list", help="list the exercises")
    ls.set_defaults(func=_cmd_list)
