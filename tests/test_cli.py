"""The ``crmlab`` command line: help for every command and option, ``--version``, one
parser per command, one clear line and exit status 2 for bad input to each command, a
closed pipe that ends quietly, and ``simulate`` that never overwrites files by accident."""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import crmlab
from crmlab import _progress, cli, datasets, simulate

ROOT = Path(__file__).resolve().parent.parent
ENV = {k: v for k, v in os.environ.items() if not k.startswith("CRMLAB_")}


def _one_line_error(capsys, command: str, code) -> str:
    """The command failed with status 2 and said why in exactly one line on stderr."""
    assert code == 2
    err = capsys.readouterr().err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith(f"{command}: error: "), err
    return err


def _run_main(argv: list[str]):
    try:
        return cli.main(argv)
    except SystemExit as stop:  # argparse's errors
        return stop.code


# --- help, version, one parser ---------------------------------------------------------
def _walk(parser: argparse.ArgumentParser, path: list[str]):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, child in action.choices.items():
                yield path + [name], "help", helps.get(name)
                yield path + [name], "description", child.description
                yield from _walk(child, path + [name])
        elif not isinstance(action, argparse._HelpAction | argparse._VersionAction):
            yield path, f"option {action.option_strings or action.dest}", action.help


def test_every_command_and_option_has_help():
    walk = list(_walk(cli.build_parser(), []))
    missing = [f"{' '.join(p)}: {what}" for p, what, text in walk if not text]
    assert missing == []
    commands = {tuple(p) for p, what, _ in walk if what == "help"}
    assert {("info",), ("datasets",), ("simulate",), ("notebooks",), ("grade",)} <= commands
    assert {("exercises",), ("exercises", "list"), ("exercises", "build")} <= commands


def test_version_is_the_package_version(capsys):
    assert _run_main(["--version"]) == 0
    assert capsys.readouterr().out == f"crmlab {crmlab.__version__}\n"


def test_python_m_simulate_help_is_the_full_description():
    out = subprocess.run(
        [sys.executable, "-m", "crmlab.simulate", "--help"],
        capture_output=True,
        text=True,
        env=ENV,
        check=True,
    ).stdout
    assert out.startswith("usage: python -m crmlab.simulate ")
    # the description's last sentence and every option's help are there, not cut short
    assert "never overwritten without --force, and the command names the files it would" in out
    for option in ("--out", "--seed", "--n-customers", "--market", "--no-manifest", "--force"):
        assert option in out
    assert "seed of the random generator" in out and "examples:" in out


def test_crmlab_simulate_and_python_m_simulate_share_one_parser():
    sub = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction))

    def options(parser):
        return [
            (tuple(a.option_strings), a.default, a.help, a.choices)
            for a in parser._actions
            if a.option_strings and "-h" not in a.option_strings
        ]

    assert options(sub.choices["simulate"]) == options(cli.simulate_parser())
    assert sub.choices["simulate"].description == cli.simulate_parser().description


# --- one clear line and status 2 for bad input, per command ------------------------------
def test_no_command(capsys):
    err = _one_line_error(capsys, "crmlab", _run_main([]))
    assert "COMMAND" in err


def test_info_bad_option(capsys):
    err = _one_line_error(capsys, "crmlab info", _run_main(["info", "--bogus"]))
    assert "--bogus" in err


def test_info_names_the_folders(capsys):
    assert _run_main(["info"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"crmlab {crmlab.__version__} (Python ")
    assert f"data:      {datasets.data_dir()}" in out
    n = len(list((ROOT / "exercises").glob("[0-9][0-9]_*/student/[0-9][0-9]_*.ipynb")))
    assert f"{n} student notebooks" in out and n >= 7


def test_info_prints_single_paths_for_scripts(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CRMLAB_EXERCISES_DIR", str(tmp_path))
    assert _run_main(["info", "--exercises"]) == 0
    assert capsys.readouterr().out == f"{tmp_path}\n"
    assert _run_main(["info", "--data", "--exercises"]) == 0
    assert capsys.readouterr().out == f"{datasets.data_dir()}\n{tmp_path}\n"


def test_datasets_unknown_name(capsys):
    err = _one_line_error(capsys, "crmlab datasets", _run_main(["datasets", "nosuch"]))
    assert "'nosuch'" in err and "telco_churn" in err


def test_datasets_check_names_a_truncated_file(capsys, tmp_path, monkeypatch):
    for rel in ("MANIFEST", "rossi.csv"):
        (tmp_path / rel).write_bytes((datasets.data_dir() / rel).read_bytes())
    assert _run_main(["datasets", "rossi", "--check"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("CRMLAB_DATA_DIR", str(tmp_path))
    assert _run_main(["datasets", "rossi", "--check"]) == 0
    assert f"{tmp_path / 'rossi.csv'} matches MANIFEST" in capsys.readouterr().out
    (tmp_path / "rossi.csv").write_bytes((tmp_path / "rossi.csv").read_bytes()[:-100])
    err = _one_line_error(capsys, "crmlab datasets", _run_main(["datasets", "rossi", "--check"]))
    assert "rossi.csv" in err and "changed or truncated" in err


@pytest.mark.parametrize(
    "argv, says",
    [
        (["--n-customers", "0"], "argument --n-customers: must be at least 1, got 0"),
        (["--n-customers", "abc"], "'abc' is not a whole number"),
        (["--n-customers", "10"], "n_customers"),  # the simulator's own floor (50)
        (["--seed", "-1"], "argument --seed: must be 0 or more, got -1"),
        (["--market", "mars"], "invalid choice: 'mars'"),
    ],
)
def test_simulate_bad_input(capsys, tmp_path, argv, says):
    code = _run_main(["simulate", "--out", str(tmp_path / "out"), *argv])
    assert says in _one_line_error(capsys, "crmlab simulate", code)
    assert not (tmp_path / "out").exists()


def test_notebooks_bad_input(capsys, tmp_path):
    err = _one_line_error(
        capsys, "crmlab notebooks", _run_main(["notebooks", str(tmp_path / "none.ipynb")])
    )
    assert "no such notebook" in err
    text = tmp_path / "notes.txt"
    text.write_text("x")
    err = _one_line_error(capsys, "crmlab notebooks", _run_main(["notebooks", str(text)]))
    assert "is not a notebook (.ipynb)" in err
    err = _one_line_error(
        capsys, "crmlab notebooks", _run_main(["notebooks", str(text), "--timeout", "0"])
    )
    assert "--timeout: must be at least 1" in err


def test_notebooks_names_the_failing_cell(capsys, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("x / 0")]
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    code = _run_main(["notebooks", str(path)])
    err = _one_line_error(capsys, "crmlab notebooks", code)
    assert f"{path}: a cell raised ZeroDivisionError: division by zero" in err


def test_grade_output_extension_is_checked(capsys, tmp_path):
    code = _run_main(["grade", "00", str(tmp_path), "-o", str(tmp_path / "gb.txt")])
    err = _one_line_error(capsys, "crmlab grade", code)
    assert "gb.txt" in err and ".csv or .xlsx" in err
    assert not (tmp_path / "gb.txt").exists()


def test_exercises_build_unknown_name(capsys):
    code = _run_main(["exercises", "build", "99_nosuch"])
    assert "unknown exercise '99_nosuch'" in _one_line_error(capsys, "crmlab exercises", code)


def test_exercises_list_empty_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CRMLAB_EXERCISES_DIR", str(tmp_path))
    err = _one_line_error(capsys, "crmlab exercises", _run_main(["exercises", "list"]))
    assert str(tmp_path) in err and "CRMLAB_EXERCISES_DIR" in err


def test_exercises_list_names_every_student_notebook(capsys):
    assert _run_main(["exercises", "list"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    folders = sorted(p.name for p in (ROOT / "exercises").glob("[0-9][0-9]_*") if p.is_dir())
    assert [name for name, _ in rows] == folders
    for name, path in rows:
        assert Path(path) == ROOT / "exercises" / name / "student" / f"{name}.ipynb"


# --- a closed pipe ends quietly ---------------------------------------------------------------
def test_closed_pipe_ends_quietly():
    # the reader is gone before crmlab writes (as with `| head` on long output)
    proc = subprocess.Popen(
        [sys.executable, "-m", "crmlab.cli", "datasets", "company_orders"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 1
    assert err == ""


# --- simulate never overwrites by accident --------------------------------------------------
def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_simulate_refuses_the_committed_datasets_and_names_the_files(capsys):
    root = datasets.data_dir()
    before = _digest(root)
    code = _run_main(["simulate", "--out", str(root), "--seed", "7", "--n-customers", "100"])
    err = _one_line_error(capsys, "crmlab simulate", code)
    committed = sorted(p.name for p in (root / "company").glob("*.csv.gz"))
    # 11 first-edition tables + mentions, market_prices, truth_effects (behaviour part) +
    # managers, assignments, invoices, credit_lists, tickets, campaigns, campaign_members,
    # crm_rollout, records, truth_campaign, truth_records, truth_managers (CRM part):
    # 11 + 3 + 12 = 26
    assert len(committed) == len(simulate.TABLE_SCHEMAS) == 26
    assert f"refusing to overwrite {len(committed) + 1} files of the committed data sets" in err
    for name in committed:
        assert f"company/{name}" in err
    assert "MANIFEST" in err and "--force" in err
    assert _digest(root) == before


def test_simulate_writes_a_new_folder_by_default_then_refuses_then_forces(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    argv = ["simulate", "--seed", "3", "--n-customers", "60", "--market", "monopoly"]
    assert _run_main(argv) == 0
    out = tmp_path / "company_seed3_n60_monopoly"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted(["MANIFEST"] + [f"company/{t}.csv.gz" for t in simulate.TABLE_SCHEMAS])
    first = _digest(out)
    capsys.readouterr()
    err = _one_line_error(capsys, "crmlab simulate", _run_main(argv))
    assert "refusing to overwrite 27 existing files" in err  # 26 tables + MANIFEST
    assert _run_main([*argv, "--force"]) == 0
    assert _digest(out) == first  # the same options give the same files, bit for bit


def test_python_m_simulate_refuses_too(tmp_path):
    out = tmp_path / "d"
    (out / "company").mkdir(parents=True)
    (out / "company" / "orders.csv.gz").write_bytes(b"mine")
    proc = subprocess.run(
        [sys.executable, "-m", "crmlab.simulate", "--out", str(out), "--n-customers", "60"],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("python -m crmlab.simulate: error: refusing to overwrite 1 ")
    assert "company/orders.csv.gz" in proc.stderr
    assert (out / "company" / "orders.csv.gz").read_bytes() == b"mine"


def test_simulate_warns_about_time_and_memory_at_large_sizes(capsys, tmp_path, monkeypatch):
    def stop(**kwargs):
        raise KeyboardInterrupt  # the warning must come before the work starts

    monkeypatch.setattr(simulate, "simulate_company", stop)
    code = _run_main(["simulate", "--out", str(tmp_path), "--n-customers", "500000"])
    assert code == 130
    err = capsys.readouterr().err
    # 500,000 customers were measured at about 5.8 GB (linear model: 0.134 + 0.521 x 500/45)
    assert "simulating 500,000 customers: expect roughly 4 min and 5.9 GB" in err
    assert err.endswith("crmlab simulate: interrupted\n")


# --- progress ------------------------------------------------------------------------------
def test_ticking_keeps_the_clock_moving():
    from tqdm import tqdm

    stream = io.StringIO()
    bar = tqdm(total=1, file=stream, disable=False, mininterval=0)
    with _progress.ticking(bar, interval=0.05):
        time.sleep(0.5)
    bar.close()
    # one draw at start, one at close, and the refreshes in between (about 10)
    assert stream.getvalue().count("\r") >= 6


def test_progress_bar_is_shown_only_on_a_terminal():
    bar = _progress.bar(3, "x")
    assert bool(bar.disable) == (not sys.stderr.isatty())  # captured by pytest: not one
    bar.close()


def test_cli_module_runs_as_a_script():
    proc = subprocess.run(
        [sys.executable, "-m", "crmlab.cli", "--version"], capture_output=True, text=True, env=ENV
    )
    assert proc.stdout == f"crmlab {crmlab.__version__}\n" and proc.returncode == 0
