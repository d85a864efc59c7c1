"""Tests of crmlab._survey_reliability (chapter 01: Cronbach's alpha, item analysis,
scale scores), called through crmlab.survey as students call them. Expected values are
worked out by hand in comments, or come from a cited publication; more published values
in test_reference_survey.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import _survey_reliability, datasets, survey


@pytest.fixture
def abc():
    # covariances by hand: var a 5/3, b 4/3, c 8/3; cov ab 4/3, ac 2, bc 4/3
    return pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})


def test_survey_gathers_the_reliability_functions():
    for name in _survey_reliability.__all__:
        assert getattr(survey, name) is getattr(_survey_reliability, name), name


def test_cronbach_alpha_hand_worked_two_ways(abc):
    # covariance formula: 3/2 * (1 - (5/3 + 4/3 + 8/3) / 15) = 3/2 * (1 - 17/45) = 0.9333
    assert survey.cronbach_alpha(abc) == pytest.approx(1.5 * (1 - 17 / 45))
    # second method: item variances and the variance of the total score
    total_var = abc.sum(axis=1).var(ddof=1)
    by_vars = 1.5 * (1 - abc.var(ddof=1).sum() / total_var)
    assert survey.cronbach_alpha(abc) == pytest.approx(by_vars)


def test_cronbach_alpha_bfi_published():
    """psych 2.x, R: ``psych::alpha(bfi[16:20])`` -> raw_alpha 0.81, std.alpha 0.81 (0.8140,
    0.8147 to four places, DESIGN.md); reversed keys 7 - x, pairwise covariances:
    ``alpha(bfi[1:5], keys = "A1")`` 0.7030, C (C4, C5) 0.7267, E (E1, E2) 0.7617, O (O2, O5)
    0.6002. Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality
    Research."""
    bfi = datasets.load("bfi")
    neuro = [f"N{i}" for i in range(1, 6)]
    assert survey.cronbach_alpha(bfi, items=neuro, scale=(1, 6)) == pytest.approx(0.8140, abs=5e-5)
    assert survey.cronbach_alpha(
        bfi, items=neuro, scale=(1, 6), standardized=True
    ) == pytest.approx(0.8147, abs=5e-5)
    for trait, rev, expected in [
        ("A", ["A1"], 0.7030),
        ("C", ["C4", "C5"], 0.7267),
        ("E", ["E1", "E2"], 0.7617),
        ("O", ["O2", "O5"], 0.6002),
    ]:
        data = survey.reverse_code(bfi, items=rev, scale=(1, 6))
        items = [f"{trait}{i}" for i in range(1, 6)]
        assert survey.cronbach_alpha(data, items=items, scale=(1, 6)) == pytest.approx(
            expected, abs=5e-5
        )


def test_cronbach_alpha_bad_input(abc):
    with pytest.raises(ValueError, match="at least 2 items"):
        survey.cronbach_alpha(abc, items=["a"])
    with pytest.raises(KeyError, match="'zz'"):
        survey.cronbach_alpha(abc, items=["a", "zz"])
    with pytest.raises(ValueError, match="'b' is all missing"):
        survey.cronbach_alpha(abc.assign(b=np.nan), items=["a", "b"])
    with pytest.raises(ValueError, match=r"'c' has answers outside the scale 1\.\.5"):
        survey.cronbach_alpha(abc.assign(c=[1, 2, 3, 7]), scale=(1, 5))
    with pytest.raises(ValueError, match="nan_policy"):
        survey.cronbach_alpha(abc, nan_policy="drop")
    with pytest.raises(ValueError, match="listwise"):
        survey.cronbach_alpha(abc.assign(c=[1, None, None, None]), nan_policy="listwise")


def test_item_analysis_hand_worked(abc):
    table = survey.item_analysis(abc)
    # alpha without a: b, c -> 2 * (1 - (4/3 + 8/3) / (4/3 + 8/3 + 8/3)) = 2 * (1 - 0.6) = 0.8
    assert table.loc["a", "alpha_if_deleted"] == pytest.approx(0.8)
    # r_drop of a: cov(a, b + c) = 4/3 + 2 = 10/3; var(b + c) = 20/3; 10/3 / sqrt(5/3 * 20/3)
    assert table.loc["a", "r_drop"] == pytest.approx((10 / 3) / np.sqrt(100 / 9))
    second = np.corrcoef(abc["a"], abc["b"] + abc["c"])[0, 1]  # from the raw scores
    assert table.loc["a", "r_drop"] == pytest.approx(second)
    with pytest.raises(ValueError, match="at least 3 items"):
        survey.item_analysis(abc, items=["a", "b"])


def test_scale_reliability_and_scores(abc):
    rel = survey.scale_reliability(abc, scales={"s": ["a", "b", "c"]})
    assert rel.loc["s", "alpha"] == pytest.approx(1.5 * (1 - 17 / 45))
    df = pd.DataFrame({"a": [1, None], "b": [3, None], "c": [2, 4]})
    # row 0: (1 + 3 + 2) / 3 = 2; row 1: 1 of 3 answered < half -> missing
    assert survey.scale_scores(df, scales={"s": ["a", "b", "c"]})["s"].tolist()[0] == 2.0
    assert np.isnan(survey.scale_scores(df, scales={"s": ["a", "b", "c"]})["s"].iloc[1])
    with pytest.raises(KeyError, match="'d'"):
        survey.scale_scores(df, scales={"s": ["a", "d"]})
