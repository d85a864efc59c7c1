"""Fixtures shared by the website tests (``test_site.py``), the browser tests and the
survey tests (``test_survey.py``, ``test_satisfaction.py``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def sphinx_command(out: Path, doctrees: Path) -> list[str]:
    """The build ``make site`` runs: warnings are errors, references are checked (-n)."""
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-n",
        "-q",
        "-c",
        str(ROOT / "docs"),
        "-d",
        str(doctrees),
        str(ROOT),
        str(out),
    ]


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> subprocess.CompletedProcess:
    """The website built once per session into a temporary folder, from the stored outputs.

    ``.args[-1]`` is the output folder; ``.stderr`` what Sphinx printed.
    """
    base = tmp_path_factory.mktemp("site")
    return subprocess.run(
        sphinx_command(base / "html", base / "doctrees"), capture_output=True, text=True, cwd=ROOT
    )


@pytest.fixture(scope="session")
def site(site_build) -> Path:
    if site_build.returncode != 0:
        pytest.fail(f"the site does not build:\n{site_build.stderr[-3000:]}")
    return Path(site_build.args[-1])


# --- survey tables (test_survey.py, test_satisfaction.py) -------------------------------
@pytest.fixture(scope="module")
def clean():
    """The company's survey, cleaned and reverse-coded."""
    from crmlab import datasets, survey

    raw = datasets.load("company_survey")
    return survey.reverse_code(survey.clean_survey(raw))


@pytest.fixture
def raw():
    """Four answer sheets with a duplicate respondent, a missing and out-of-range codes."""
    import pandas as pd

    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "a"],
            "q1": [1, 9, 4, 2],
            "q2": [2, None, 4, 3],
            "q3": [3, 3, 4, 0],
        }
    )
