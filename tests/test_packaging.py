"""Packaging: one version, JupyterLab's kernel metadata in every notebook, the rule that
finds the data and the exercises, and a wheel that works outside the repository.

The wheel test builds the wheel, installs it with ``--no-index`` into a fresh virtual
environment in a temporary folder (the pinned dependencies come from this environment,
offered through a ``.pth`` file: nothing is downloaded), and from a folder outside the
repository loads every data set and lists every exercise.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml

import crmlab
from crmlab import _resources, datasets

ROOT = Path(__file__).resolve().parent.parent
# what JupyterLab 4 writes when it saves a notebook on the default kernel (observed: the
# browser test saves a notebook in Lab and compares the bytes)
LAB_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def test_one_version_everywhere():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "crmlab.__version__"}
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == crmlab.__version__
    assert metadata.version("crmlab") == crmlab.__version__, "reinstall: make venv"
    assert re.fullmatch(r"\d+\.\d+\.\d+", crmlab.__version__)


def test_every_subpackage_is_listed_for_the_wheel():
    # setuptools packs only the listed packages: a new subpackage left out of the list
    # imports in the repository and fails in an installed wheel
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "crmlab").rglob("__init__.py")
        if "_data" not in p.parts
    }
    assert found == listed


def test_pyproject_describes_the_project():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "客户关系管理" in project["keywords"] and len(project["keywords"]) >= 5
    assert "Intended Audience :: Education" in project["classifiers"]
    assert f"Programming Language :: Python :: {sys.version_info[0]}" in project["classifiers"]


NOTEBOOKS = sorted(
    list((ROOT / "notebooks").rglob("*.ipynb")) + list((ROOT / "exercises").glob("*/*/*.ipynb"))
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_kernel_metadata_is_what_jupyterlab_writes(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"] == LAB_KERNELSPEC


def test_company_datasheet_states_a_licence():
    sheet = (ROOT / "datasets" / "company.md").read_text(encoding="utf-8")
    assert "## Licence" in sheet and "CC0 1.0" in sheet


# --- where the data and the exercises are ---------------------------------------------------
def test_locating_rule(tmp_path, monkeypatch):
    checkout, packaged = tmp_path / "checkout", tmp_path / "pkg" / "_data"
    # a folder named datasets/ without MANIFEST (e.g. Hugging Face's package) is not ours
    (checkout / "datasets").mkdir(parents=True)
    (packaged / "datasets").mkdir(parents=True)
    (packaged / "datasets" / "MANIFEST").write_text("")
    monkeypatch.setattr(_resources, "_CHECKOUT", checkout)
    monkeypatch.setattr(_resources, "_PACKAGED", packaged)
    monkeypatch.delenv("CRMLAB_DATA_DIR", raising=False)
    assert _resources.data_dir() == packaged / "datasets"
    (checkout / "datasets" / "MANIFEST").write_text("")
    assert _resources.data_dir() == checkout / "datasets"
    monkeypatch.setenv("CRMLAB_DATA_DIR", str(tmp_path / "mine"))
    assert datasets.data_dir() == tmp_path / "mine"
    assert _resources.origin()["data"] == (tmp_path / "mine", "$CRMLAB_DATA_DIR")


def test_student_exercises_need_the_student_notebook(tmp_path):
    (tmp_path / "00_a" / "student").mkdir(parents=True)
    (tmp_path / "00_a" / "student" / "00_a.ipynb").write_text("{}")
    (tmp_path / "01_b" / "source").mkdir(parents=True)  # a master only
    (tmp_path / "01_b" / "source" / "01_b.ipynb").write_text("{}")
    (tmp_path / "notes").mkdir()
    assert _resources.student_exercises(tmp_path) == {
        "00_a": tmp_path / "00_a" / "student" / "00_a.ipynb"
    }


# --- the wheel, installed outside the repository ------------------------------------------------
def _deps_folder(tmp: Path) -> Path:
    """This environment's packages without crmlab, as symlinks (offered to the fresh venv)."""
    site = Path(sysconfig.get_path("purelib"))
    folder = tmp / "deps"
    folder.mkdir()
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("crmlab", "__editable__", "__pycache__")) or "crmlab" in name:
            continue
        (folder / entry.name).symlink_to(entry)
    return folder


@pytest.mark.slow
def test_wheel_installed_elsewhere_has_every_data_set_and_exercise(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "--quiet", "--wheel-dir", str(dist), str(ROOT)],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("crmlab-*.whl")
    assert wheel.name == f"crmlab-{crmlab.__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if "/source/" in n]  # never the masters
    # the compiled message catalogue that crmlab.set_language("zh") reads
    assert "crmlab/locale/zh/LC_MESSAGES/crmlab.mo" in names
    students = sorted(
        p.relative_to(ROOT / "exercises").as_posix()
        for p in (ROOT / "exercises").glob("[0-9][0-9]_*/student/*")
    )
    assert {f"crmlab/_data/exercises/{s}" for s in students} <= set(names)
    # the CRM's SQL files are package data (pyproject.toml [tool.setuptools.package-data])
    assert {"crmlab/crm/schema.sql", "crmlab/crm/customer_360.sql"} <= set(names)
    assert wheel.stat().st_size < 8 * 2**20

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "crmlab-test-deps.pth").write_text(f"{_deps_folder(tmp_path)}\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index"]
        + ["--quiet", "--find-links", str(dist), "crmlab"],
        check=True,
        cwd=tmp_path,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRMLAB_", "PYTHON"))}
    script = (
        "import json, crmlab\n"
        "from crmlab import datasets\n"
        "rows = {n: len(datasets.load(n)) for n in datasets.list_datasets()}\n"
        "crmlab.set_language('zh')\n"
        "from crmlab._i18n import gettext as _\n"
        "from crmlab.crm import read_schema, customer_360_sql\n"
        "crm = [len(read_schema()), 'WITH' in customer_360_sql()]\n"
        "print(json.dumps({'file': crmlab.__file__, 'data': str(datasets.data_dir()),"
        " 'rows': rows, 'zh': _('one unit'), 'crm': crm}))\n"
    )
    out = subprocess.run(
        [python, "-c", script], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert out.returncode == 0, out.stderr[-2000:]
    installed = json.loads(out.stdout)
    assert installed["file"].startswith(str(env_dir))
    assert installed["zh"] == "1 个单位"  # read from the wheel's .mo
    assert installed["data"] == str(Path(purelib) / "crmlab" / "_data" / "datasets")
    assert installed["crm"] == [21, True]  # the schema's 21 tables, read from the wheel
    # the same rows as the checkout's files (each load checked its sha256 against MANIFEST)
    assert installed["rows"] == {n: len(datasets.load(n)) for n in datasets.list_datasets()}

    crmlab_bin = env_dir / "bin" / "crmlab"
    listing = subprocess.run(
        [crmlab_bin, "exercises", "list"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert listing.returncode == 0, listing.stderr
    rows = [line.split("\t") for line in listing.stdout.splitlines()]
    expected = sorted(p.name for p in (ROOT / "exercises").glob("[0-9][0-9]_*") if p.is_dir())
    assert [name for name, _ in rows] == expected
    for name, path in rows:
        assert path == str(
            Path(purelib) / "crmlab/_data/exercises" / name / "student" / f"{name}.ipynb"
        )
        assert Path(path).is_file()
    version = subprocess.run([crmlab_bin, "--version"], capture_output=True, text=True, env=env)
    assert version.stdout == f"crmlab {crmlab.__version__}\n"
    info = subprocess.run([crmlab_bin, "info"], capture_output=True, text=True, env=env)
    assert info.stdout.count("[the installed package;") == 2
