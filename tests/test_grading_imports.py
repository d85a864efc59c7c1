"""The teaching package does not need the grading stack: importing ``crmlab`` and every
chapter module (anything but ``crmlab.grading``, ``crmlab.cli`` and the notebook runner)
imports none of otter-grader, nbclient, openpyxl (the ``crmlab[grading]`` extra).

Checked in a fresh interpreter, since this test session has imported them already."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import crmlab

HEAVY = ("otter", "nbclient", "openpyxl")
NOT_TEACHING = {"grading", "cli", "_notebooks"}


def teaching_modules() -> list[str]:
    return sorted(
        f"crmlab.{m.name}"
        for m in pkgutil.iter_modules(crmlab.__path__)
        if m.name not in NOT_TEACHING
    )


def test_the_list_covers_every_chapter():
    modules = teaching_modules()
    for chapter in ("economics", "survey", "segment", "loyalty", "churn", "value", "btyd"):
        assert f"crmlab.{chapter}" in modules
    assert not any(m.startswith("crmlab.grading") for m in modules)


def test_teaching_modules_do_not_import_the_grading_stack():
    code = (
        "import importlib, json, sys\n"
        f"for name in {teaching_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_grading_package_itself_imports_them_only_when_used():
    code = (
        "import json, sys\n"
        "import crmlab.grading, crmlab.grading.run, crmlab.grading.gradebook\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
