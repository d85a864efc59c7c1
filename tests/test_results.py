"""Every fit result follows crmlab._results.Result: numbers as attributes, summary() a
DataFrame, str() the text form."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pandas as pd
import pytest

import crmlab
from crmlab._results import Result


def _result_classes() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(crmlab.__path__):
        if "grading" in info.name or info.name == "cli":
            continue
        module = importlib.import_module(f"crmlab.{info.name}")
        found += [
            obj
            for name, obj in vars(module).items()
            if inspect.isclass(obj)
            and name.endswith("Result")
            and obj.__module__ == module.__name__
            and obj is not Result
        ]
    return found


def test_every_result_class_is_a_result_with_its_own_summary():
    classes = _result_classes()
    names = {c.__name__ for c in classes}
    # the ten fits of the package (survey, churn, survival, btyd, loyalty)
    assert {"FactorResult", "KeyDriverResult", "CrosstabResult", "ShareTestResult"} <= names
    assert {"LogitResult", "KaplanMeierResult", "LogrankResult", "CoxResult"} <= names
    assert {"BGNBDResult", "GammaGammaResult", "TypeConfusionResult"} <= names
    for cls in classes:
        assert issubclass(cls, Result), cls
        assert cls.summary is not Result.summary, cls
        assert inspect.signature(cls.summary).return_annotation in ("pd.DataFrame", pd.DataFrame)
        assert cls.title, cls


def test_base_result_text_form():
    class Mean(Result):
        title = "Mean"

        def notes(self):
            return ["n = 2"]

        def summary(self):
            return pd.DataFrame({"value": [1.5]}, index=["mean"])

    # title, notes, a blank line, then the table as pandas prints it
    assert str(Mean()) == "Mean\nn = 2\n\n      value\nmean    1.5"
    with pytest.raises(NotImplementedError):
        Result().summary()
