"""The ``crmlab`` command line: ``crmlab datasets``, ``crmlab simulate``, ``crmlab grade``,
``crmlab exercises build``, ``crmlab notebooks``.

Nothing in the package imports this module.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_datasets(args: argparse.Namespace) -> int:
    from crmlab import datasets

    if args.name:
        print(datasets.describe(args.name))
        return 0
    with_rows = datasets.catalog()
    print(with_rows.to_string())
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    from crmlab import simulate

    return simulate.main(
        [
            "--out",
            args.out,
            "--seed",
            str(args.seed),
            "--n-customers",
            str(args.n_customers),
            "--market",
            args.market,
        ]
    )


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from crmlab._notebooks import execute_in_place

    for path in args.paths:
        print(f"executing {path}", flush=True)
        execute_in_place(Path(path), timeout=args.timeout)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmlab",
        description="CRM Lab (客户关系管理): data sets, the synthetic company, notebooks, "
        "exercises and grading.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("datasets", help="list the data sets, or print one's datasheet")
    p.add_argument("name", nargs="?", help="a data set name: print its datasheet")
    p.set_defaults(func=_cmd_datasets)

    from crmlab import simulate

    p = sub.add_parser("simulate", help="write the synthetic company's tables")
    p.add_argument("--out", default="datasets/", help="folder (default: datasets/)")
    p.add_argument("--seed", type=int, default=simulate.DEFAULT_SEED)
    p.add_argument("--n-customers", type=int, default=simulate.DEFAULT_N_CUSTOMERS)
    p.add_argument("--market", default="competitive", choices=simulate.MARKETS)
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser("notebooks", help="re-execute notebooks in place, without timing data")
    p.add_argument("paths", nargs="+")
    p.add_argument("--timeout", type=int, default=600)
    p.set_defaults(func=_cmd_notebooks)

    from crmlab import grading

    grading.register_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, KeyError, FileNotFoundError) as err:
        # bad input from the command line: say what is wrong without a traceback
        parser.exit(2, f"crmlab {args.command}: error: {err}\n")


if __name__ == "__main__":
    sys.exit(main())
