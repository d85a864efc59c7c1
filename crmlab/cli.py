"""The ``crmlab`` command line: ``crmlab info``, ``crmlab datasets``, ``crmlab simulate``,
``crmlab notebooks``, ``crmlab exercises {list,build}``, ``crmlab grade`` and
``crmlab report``.

One parser per command, defined here (``python -m crmlab.simulate`` uses the same one as
``crmlab simulate``); ``grade`` and ``exercises`` are registered by ``crmlab.grading``.
Bad input gets one line on stderr (``crmlab CMD: error: ...``) and exit status 2; a closed
pipe (``crmlab datasets telco_churn | head``) ends quietly. Nothing in the package imports
this module (``python -m crmlab.simulate`` reaches it from its ``__main__`` block only).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from crmlab import __version__

# measured on the reference machine (2 cores), seed 1, market "competitive": 50,000
# customers took 4.2 s to simulate and 21.6 s to write (gzip level 9), peak 0.66 GB, and
# 5,000 customers peak 0.13 GB; both grow about linearly with the number of customers
_SECONDS_PER_CUSTOMER = (4.2 + 21.6) / 50_000
_BYTES_PER_CUSTOMER = (0.655 - 0.134) * 2**30 / 45_000
_BASE_BYTES = 0.134 * 2**30
_WARN_FROM = 100_000  # customers: say how long and how much memory before starting


class _Parser(argparse.ArgumentParser):
    """Bad usage: one line naming the command and the fault, exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see: {self.prog} --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


_FORMATTER = argparse.RawDescriptionHelpFormatter


# --- crmlab info ----------------------------------------------------------------------
def _cmd_info(args: argparse.Namespace) -> int:
    from crmlab import _resources

    where = _resources.origin()
    if args.data or args.exercises:  # one path per line, for scripts: cp -r "$(...)/..."
        for key in ("data", "exercises"):
            if getattr(args, key):
                print(where[key][0])
        return 0
    print(f"crmlab {__version__} (Python {sys.version.split()[0]}, {sys.platform})")
    folder, source = where["data"]
    manifest = "MANIFEST found" if (folder / "MANIFEST").is_file() else "no MANIFEST"
    print(f"data:      {folder}  [{source}; {manifest}; override: $CRMLAB_DATA_DIR]")
    folder, source = where["exercises"]
    n = len(_resources.student_exercises(folder))
    print(
        f"exercises: {folder}  [{source}; {n} student notebooks; override: $CRMLAB_EXERCISES_DIR]"
    )
    return 0


# --- crmlab datasets --------------------------------------------------------------------
def _cmd_datasets(args: argparse.Namespace) -> int:
    from crmlab import datasets

    if args.check:
        names = [args.name] if args.name else datasets.list_datasets()
        for name in names:
            print(f"{name}: {datasets.verify(name)} matches MANIFEST")
        return 0
    if args.name:
        print(datasets.describe(args.name))
        return 0
    print(datasets.catalog().to_string())
    return 0


# --- crmlab simulate ---------------------------------------------------------------------
SIMULATE_DESCRIPTION = """\
Simulate the synthetic trading company 华贸进出口 (Huamao Import & Export) and write its
tables (customers, orders, incidents, contacts, referrals, churn, survey, pipeline,
products, costs and the latent truth) as gzip CSV files to OUT/company/, with a MANIFEST
of sha256 sums in OUT/ so that CRMLAB_DATA_DIR=OUT loads them with checks.

The same seed, size and market give the same files bit for bit. The committed data in
datasets/ are seed 2024, 5,000 customers, market "competitive" (datasets/company.md).

By default the files go to a new folder named after the options; existing files are
never overwritten without --force, and the command names the files it would replace."""

SIMULATE_EPILOG = """\
examples:
  crmlab simulate --seed 7 --n-customers 2000        # -> company_seed7_n2000_competitive/
  crmlab simulate --market monopoly --out my_company/
  crmlab simulate --out datasets/ --force             # regenerate the committed files

Large sizes take time and memory, about linearly: 50,000 customers took ~26 s and
0.66 GB on a 2-core machine; 500,000 take minutes and ~6 GB."""


def add_simulate_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``crmlab simulate`` (and ``python -m crmlab.simulate``)."""
    from crmlab import simulate

    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder to write to (default: a new folder company_seedS_nN_MARKET/ here)",
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        default=simulate.DEFAULT_SEED,
        help="seed of the random generator, 0 or more (default: %(default)s)",
    )
    parser.add_argument(
        "--n-customers",
        type=_positive_int,
        default=simulate.DEFAULT_N_CUSTOMERS,
        help="customers ever acquired, at least 50 (default: %(default)s)",
    )
    parser.add_argument(
        "--market",
        default="competitive",
        choices=simulate.MARKETS,
        help="market type (Jones & Sasser 1995): how strongly satisfaction keeps customers "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--no-manifest", action="store_true", help="do not write or refresh OUT/MANIFEST"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite existing files (needed to regenerate the committed datasets/)",
    )


def simulate_parser(prog: str = "python -m crmlab.simulate") -> _Parser:
    """The parser of ``crmlab simulate`` as a standalone program (``python -m crmlab.simulate``)."""
    parser = _Parser(
        prog=prog,
        description=SIMULATE_DESCRIPTION,
        epilog=SIMULATE_EPILOG,
        formatter_class=_FORMATTER,
    )
    add_simulate_arguments(parser)
    parser.set_defaults(func=_cmd_simulate, command="simulate")
    return parser


def _planned_files(out: Path, manifest: bool) -> list[Path]:
    from crmlab import simulate

    files = [out / "company" / f"{table}.csv.gz" for table in simulate.TABLE_SCHEMAS]
    return files + [out / "MANIFEST"] if manifest else files


def _refuse_overwrite(out: Path, files: list[Path]) -> None:
    from crmlab import _resources

    existing = [f for f in files if f.exists()]
    if not existing:
        return
    committed = _resources.data_dir().resolve() == out.resolve()
    what = "files of the committed data sets" if committed else "existing files"
    names = ", ".join(f.relative_to(out).as_posix() for f in existing)
    raise ValueError(
        f"refusing to overwrite {len(existing)} {what} in {out}: {names}. "
        "Pass --force to replace them, or choose another --out."
    )


def _cmd_simulate(args: argparse.Namespace) -> int:
    from crmlab import _progress, simulate

    out = args.out
    if out is None:
        out = Path(f"company_seed{args.seed}_n{args.n_customers}_{args.market}")
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file, not a folder.")
    files = _planned_files(out, manifest=not args.no_manifest)
    if not args.force:
        _refuse_overwrite(out, files)
    n = args.n_customers
    if n >= _WARN_FROM:
        minutes = n * _SECONDS_PER_CUSTOMER / 60
        gigabytes = (_BASE_BYTES + n * _BYTES_PER_CUSTOMER) / 2**30
        print(
            f"simulating {n:,} customers: expect roughly {minutes:.0f} min and "
            f"{gigabytes:.1f} GB of memory (measured on 2 cores; grows with the size)",
            file=sys.stderr,
            flush=True,
        )
    with _progress.bar(len(files) + 1, desc="simulate", unit="step") as progress:
        progress.set_postfix_str(f"{n:,} customers")
        with _progress.ticking(progress):
            tables = simulate.simulate_company(seed=args.seed, n_customers=n, market=args.market)
        progress.update(1)
        for name, frame in tables.items():
            progress.set_postfix_str(f"writing {name} ({len(frame):,} rows)")
            with _progress.ticking(progress):
                for path in simulate.write_company({name: frame}, out):
                    progress.write(f"wrote {path} ({path.stat().st_size:,} bytes)", file=sys.stdout)
            progress.update(1)
        if not args.no_manifest:
            from crmlab.datasets import write_manifest

            progress.set_postfix_str("writing MANIFEST")
            progress.write(f"wrote {write_manifest(out)}", file=sys.stdout)
            progress.update(1)
    return 0


# --- crmlab notebooks ---------------------------------------------------------------------
def _cmd_notebooks(args: argparse.Namespace) -> int:
    from nbclient.exceptions import CellExecutionError

    from crmlab._notebooks import execute_in_place

    paths = [Path(p) for p in args.paths]
    for path in paths:  # every path checked before any notebook runs
        if not path.is_file():
            raise FileNotFoundError(f"no such notebook: {path}")
        if path.suffix != ".ipynb":
            raise ValueError(f"{path} is not a notebook (.ipynb)")
    for path in paths:
        print(f"executing {path}", flush=True)
        try:
            execute_in_place(path, timeout=args.timeout)
        except CellExecutionError as err:
            raise ValueError(f"{path}: a cell raised {err.ename}: {err.evalue}") from None
    return 0


# --- crmlab exercises (registered by crmlab.grading; list and build are run from here) ----
def _cmd_exercises_list(args: argparse.Namespace) -> int:
    from crmlab import _resources

    root, source = _resources.origin()["exercises"]
    students = _resources.student_exercises(root)
    masters = sorted(
        p.name
        for p in (root.iterdir() if root.is_dir() else [])
        if (p / "source" / f"{p.name}.ipynb").is_file()
    )
    names = sorted(set(students) | set(masters))
    if not names:
        raise ValueError(
            f"no exercises in {root} ({source}): set CRMLAB_EXERCISES_DIR to the folder "
            "that holds NN_slug/student/"
        )
    for name in names:
        where = students.get(name)
        print(f"{name}\t{where}" if where else f"{name}\t(no student notebook yet: build it)")
    return 0


def _cmd_exercises_build(args: argparse.Namespace) -> int:
    from crmlab import _progress, grading
    from crmlab.grading.cli import _variant_of

    names = args.names or grading.list_exercises()
    variant = _variant_of(args)  # --seed / --variant / --size: another company
    if getattr(args, "per_student", None) is not None:  # one variant per student
        from crmlab.grading import roster

        if variant is not None:
            raise ValueError("--per-student cannot be combined with --seed/--variant.")
        try:
            roster.build_per_student(
                args.names or None,
                args.per_student,
                args.course_seed,
                build_dir=args.build_dir,
                check=not args.no_check,
                workers=args.workers,
            )
        except grading.BuildError as err:
            raise ValueError(str(err)) from None
        return 0
    with _progress.bar(len(names), desc="build exercises", unit="exercise") as progress:

        def log(message: str) -> None:
            progress.write(message, file=sys.stdout)
            progress.update(1)

        with _progress.ticking(progress):
            try:
                grading.build_all(
                    args.names or None,
                    build_dir=args.build_dir,
                    check=not args.no_check,
                    workers=args.workers,
                    variant=variant,
                    log=log,
                )
            except grading.BuildError as err:
                raise ValueError(str(err)) from None
    return 0


def _check_grade_output(args: argparse.Namespace) -> None:
    for output in args.output or ["gradebook.csv"]:  # -o may be given more than once
        if Path(output).suffix.lower() not in {".csv", ".xlsx"}:
            raise ValueError(
                f"-o {output}: the gradebook's format follows the extension, "
                "which must be .csv or .xlsx"
            )


# --- crmlab report (crmlab.engine.report: the optional [scale] dependencies) ---------------
def _cmd_report(args: argparse.Namespace) -> int:
    try:
        from crmlab.engine.report import report
    except ImportError as err:
        raise ValueError(str(err)) from err

    result = report(
        args.orders,
        args.out,
        engine=args.engine,
        as_of=args.as_of,
        memory_limit=args.memory_limit,
        customer_id=args.customer_id,
        order_date=args.order_date,
        amount=args.amount,
        is_return=args.is_return or None,
    )
    print(result)
    return 0


# --- the parser -------------------------------------------------------------------------
def build_parser() -> _Parser:
    parser = _Parser(
        prog="crmlab",
        description="CRM Lab (客户关系管理): data sets, the synthetic company, notebooks, "
        "exercises and grading. `crmlab COMMAND --help` describes each command.",
        formatter_class=_FORMATTER,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "info",
        help="version and where the data and exercises are read from",
        description="Print the version, and the data and exercise folders in use with the "
        "rule that chose them ($CRMLAB_DATA_DIR / $CRMLAB_EXERCISES_DIR, the repository "
        "checkout, or the copy inside the installed package).",
    )
    p.add_argument("--data", action="store_true", help="print only the data folder")
    p.add_argument(
        "--exercises",
        action="store_true",
        help="print only the exercises folder, e.g. to copy one: "
        'cp -r "$(crmlab info --exercises)/00_why_crm/student" ex00',
    )
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser(
        "datasets",
        help="list the data sets, or print one's datasheet",
        description="Without NAME: the catalogue of data sets (name, title, file, "
        "datasheet). With NAME: its datasheet (Markdown). With --check: verify the files "
        "against the sha256 sums in MANIFEST.",
    )
    p.add_argument("name", nargs="?", help="a data set name, e.g. company_orders or telco_churn")
    p.add_argument(
        "--check",
        action="store_true",
        help="verify every data file (or NAME's) against MANIFEST instead of printing",
    )
    p.set_defaults(func=_cmd_datasets)

    p = sub.add_parser(
        "simulate",
        help="write the synthetic company's tables (to a new folder by default)",
        description=SIMULATE_DESCRIPTION,
        epilog=SIMULATE_EPILOG,
        formatter_class=_FORMATTER,
    )
    add_simulate_arguments(p)
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser(
        "notebooks",
        help="re-execute notebooks in place, without timing data",
        description="Run every cell of each notebook in a fresh kernel, in the notebook's "
        "own folder, and save the outputs in place without timing metadata (what strict "
        "nbval compares). Stops at the first cell that raises, naming the notebook.",
    )
    p.add_argument("paths", nargs="+", metavar="NOTEBOOK", help="notebook files (.ipynb)")
    p.add_argument(
        "--timeout",
        type=_positive_int,
        default=600,
        help="seconds allowed per cell (default: %(default)s)",
    )
    p.set_defaults(func=_cmd_notebooks)

    p = sub.add_parser(
        "report",
        help="customer tables (RFM, tiers, BG/NBD, CLV) and a summary of your own order log",
        description="Read ORDERS (Parquet or CSV, any size) on DuckDB or Spark and write "
        "rfm.parquet, btyd.parquet, summary.txt and summary.json to --out "
        "(needs pip install 'crmlab[scale]').",
    )
    p.add_argument("orders", help="order log: a Parquet file or folder, or a CSV file")
    p.add_argument("--out", required=True, help="folder for the tables and the summary")
    p.add_argument(
        "--engine", default="duckdb", choices=["duckdb", "spark"], help="default: %(default)s"
    )
    p.add_argument("--as-of", default=None, help="reference date (default: the last order)")
    p.add_argument("--memory-limit", default=None, help="DuckDB memory limit, e.g. 2GB")
    p.add_argument("--customer-id", default="customer_id", help="customer id column")
    p.add_argument("--order-date", default="order_date", help="order date column")
    p.add_argument("--amount", default="amount", help="line amount column (returns < 0)")
    p.add_argument("--is-return", default="is_return", help="return flag column ('' = none)")
    p.set_defaults(func=_cmd_report)

    from crmlab import grading

    grading.register_cli(sub)
    _complete_exercises_help(sub)
    return parser


_EXERCISES_HELP = {
    None: "List the exercises (name and student notebook) or build them from their masters.",
    "list": "List every exercise: its name and the path of its student notebook (what a "
    "student opens), from $CRMLAB_EXERCISES_DIR, the repository checkout or the installed "
    "package. Exit status 2 if none is found.",
    "build": "Regenerate each exercise's student notebook, data extract and autograder from "
    "its master (exercises/NN_slug/source/), then grade the solution (full marks) and the "
    "blank notebook (zero). Shows a progress bar per exercise on a terminal.",
    "--workers": "notebooks graded at once during the checks (default: up to 2)",
}


def _complete_exercises_help(sub) -> None:
    """Fill in the help of ``crmlab exercises`` where ``crmlab.grading`` registered none.

    ``list`` and ``build`` run from this module (see :func:`_run`), so their descriptions
    live here until grading's own parser carries them; texts grading sets always win.
    """
    parser = sub.choices.get("exercises")
    if parser is None:
        return
    parser.description = parser.description or _EXERCISES_HELP[None]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                child.description = child.description or _EXERCISES_HELP.get(name)
                for option in child._actions:
                    if option.help is None and "--workers" in option.option_strings:
                        option.help = _EXERCISES_HELP["--workers"]


def _quiet_broken_pipe() -> int:
    # the reader went away (`| head`): send what is left to /dev/null and end quietly
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace, name: str) -> int:
    if args.command == "exercises":
        overrides = {"list": _cmd_exercises_list, "build": _cmd_exercises_build}
        args.func = overrides.get(args.exercises_command, args.func)
    try:
        if args.command == "grade":
            _check_grade_output(args)
        code = int(args.func(args) or 0)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return 130
    except (ValueError, KeyError, OSError) as err:
        # bad input from the command line: say what is wrong in one line, no traceback
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"{name}: error: {' '.join(str(message).split())}", file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    """``crmlab ...``: parse ``argv`` (default: the command line) and run the command."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    name = " ".join(["crmlab", args.command, getattr(args, "exercises_command", None) or ""])
    if extra:  # reported by the command it was given to, not by `crmlab`
        name = name.strip()
        parser.exit(
            2, f"{name}: error: unrecognized arguments: {' '.join(extra)} (see: {name} --help)\n"
        )
    return _run(parser, args, f"crmlab {args.command}")


def simulate_main(argv: list[str] | None = None, prog: str = "python -m crmlab.simulate") -> int:
    """``python -m crmlab.simulate ...``: the ``crmlab simulate`` command under another name."""
    parser = simulate_parser(prog)
    return _run(parser, parser.parse_args(argv), prog)


if __name__ == "__main__":
    sys.exit(main())
