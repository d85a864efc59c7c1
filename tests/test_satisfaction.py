"""Tests of crmlab.satisfaction (chapter 01, SERVQUAL gaps, classes, drivers,
indicators). Expected values are worked out by hand in comments, or checked against the
simulator's known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import satisfaction, simulate

# --- data processing


DIM = {"d": {"expectation": ["e"], "perception": ["p"]}}


def test_gaps_hand_worked():
    df = pd.DataFrame({"e": [4, 4, 5, 3], "p": [3, 4, 4, 2]})
    # gaps -1, 0, -1, -1: mean -0.75, sd 0.5, se 0.25, t(3, 0.975) = 3.182
    assert satisfaction.gap_scores(df, dimensions=DIM)["d"].tolist() == [-1, 0, -1, -1]
    g = satisfaction.servqual_gaps(df, dimensions=DIM).loc["d"]
    assert (g["gap"], g["se"]) == pytest.approx((-0.75, 0.25))
    assert g["ci_low"] == pytest.approx(-0.75 - 3.182446 * 0.25, abs=1e-6)
    assert g["expectation"] - g["perception"] == pytest.approx(0.75)


def test_gaps_bad_input():
    df = pd.DataFrame({"e": [4, 4, 5, 3], "p": [3, 4, 4, 2]})
    with pytest.raises(ValueError, match="'d' needs 'expectation' and 'perception'"):
        satisfaction.servqual_gaps(df, dimensions={"d": {"expectation": ["e"]}})
    with pytest.raises(ValueError, match="'p' has answers outside"):
        satisfaction.servqual_gaps(df.assign(p=[3, 4, 6, 2]), dimensions=DIM)
    with pytest.raises(ValueError, match="at least 2"):
        satisfaction.servqual_gaps(df.assign(p=[3, None, None, None]), dimensions=DIM)


def test_satisfaction_class_rule():
    # 5 -> 非常满意, 3.5 rounds half up to 4 -> 很满意, 1.2 -> 1 -> 很不满意
    assert satisfaction.satisfaction_class([5, 3.5, 1.2, 2]).tolist() == [
        "非常满意",
        "很满意",
        "很不满意",
        "不满意",
    ]
    assert satisfaction.satisfaction_class(pd.Series([3.0, None])).isna().tolist() == [False, True]
    with pytest.raises(ValueError, match="outside the scale"):
        satisfaction.satisfaction_class([6])


# Importance shares of OLS on the gaps in a very large sample (the method's limit): the
# simulator at 40,000 customers, seed 1, 2024 wave (13,971 clean sheets):
#   c = simulate_company(seed=1, n_customers=40000)
#   cl = survey.reverse_code(survey.clean_survey(c["survey"]))
#   satisfaction.key_drivers(cl[cl["wave"] == 2024], method="ols").table["importance"]
# The 2022 and 2023 waves give the same within 0.015. The gaps are measured with error
# (rounded, clipped items) and share the satisfaction term, so the shares are pulled
# toward equal: the limit is up to 0.07 from TRUE_DRIVER_WEIGHTS.
LARGE_SAMPLE_SHARES = {
    "tangibles": 0.130,
    "reliability": 0.332,
    "responsiveness": 0.230,
    "assurance": 0.163,
    "empathy": 0.145,
}


def test_key_drivers_ols_and_ordinal_recover_truth(clean):
    """One wave (2024, 1,744 clean sheets): the shares lie within 0.045 of the large-sample
    limit above (3 bootstrap standard errors: 200 resamples of the wave gave 0.013-0.015
    per share) and within 0.08 of the truth; reliability is the largest, as in truth."""
    wave = clean[clean["wave"] == 2024]
    truth = pd.Series(simulate.TRUE_DRIVER_WEIGHTS)
    limit = pd.Series(LARGE_SAMPLE_SHARES)
    for method in ("ols", "ordinal"):
        result = satisfaction.key_drivers(wave, method=method)
        share = result.table["importance"]
        assert share.sum() == pytest.approx(1)
        assert share.idxmax() == "reliability"  # truth: reliability 0.40 is the largest
        assert (share - limit.loc[share.index]).abs().max() < 0.045, method
        assert (share - truth).abs().max() < 0.08, method
        assert result.summary().index.tolist() == list(truth.index)


def test_key_drivers_hand_worked_and_bad_input():
    x = np.array([0.0, 1, 2, 3, 4, 5, 6, 7])
    df = pd.DataFrame({"x": x, "z": x % 2, "y": 1 + 0.5 * x + 0.25 * (x % 2)})
    # exact fit y = 1 + 0.5 x + 0.25 z -> importance 0.5/0.75, 0.25/0.75
    table = satisfaction.key_drivers(df, drivers=["x", "z"], outcome="y", scale=None).table
    assert table["coef"].tolist() == pytest.approx([0.5, 0.25])
    with pytest.raises(ValueError, match="method"):
        satisfaction.key_drivers(df, drivers=["x"], outcome="y", method="probit")
    with pytest.raises(KeyError, match="'w'"):
        satisfaction.key_drivers(df, drivers=["w"], outcome="y")


def test_importance_performance(clean):
    ipa = satisfaction.importance_performance(clean)
    assert ipa.loc["reliability", "quadrant"] == "concentrate here"
    assert set(ipa["quadrant"]) <= {
        "concentrate here",
        "keep up the good work",
        "low priority",
        "possible overkill",
    }


def test_satisfaction_indicators_hand_worked():
    sv = pd.DataFrame(
        {"customer_id": ["a", "b", "c"], "recommend": [5, 2, 4], "overall_sat": [5, 2, 3]}
    )
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "b", "a", "c"],
            "order_date": pd.to_datetime(["2023-03-01", "2023-05-01", "2024-02-01", "2024-03-01"]),
            "amount": [10.0, 20.0, 30.0, 60.0],
            "is_return": [False] * 4,
        }
    )
    inc = pd.DataFrame(
        {
            "customer_id": ["c", "b"],
            "complaint": [True, True],
            "incident_date": pd.to_datetime(["2024-04-01", "2023-01-01"]),
        }
    )
    out = satisfaction.satisfaction_indicators(sv, orders, inc, year=2024)
    # reputation 2/3; repurchase: of {a, b} in 2023 only a again -> 1/2; complaint: of
    # buyers {a, c} in 2024, c complained -> 1/2; sales power: a (sat 5) 30 / mean(b 0, c 60) = 1
    assert out["value"].round(4).tolist()[:1] == [0.6667]
    assert np.isnan(out.loc["awareness", "value"])
    assert out.loc[["repurchase rate", "complaint rate", "sales power"], "value"].tolist() == [
        0.5,
        0.5,
        1.0,
    ]
    with pytest.raises(KeyError, match="complaint"):
        satisfaction.satisfaction_indicators(sv, orders, inc.drop(columns="complaint"))
    with pytest.raises(ValueError, match="no sales in 2022"):
        satisfaction.satisfaction_indicators(sv, orders, inc, year=2023)


def test_crosstab_test_hand_worked():
    df = pd.DataFrame({"g": ["a"] * 20 + ["b"] * 20, "s": ["x"] * 15 + ["y"] * 25})
    # table [[15, 5], [0, 20]], expected 7.5 and 12.5 in each row:
    # chi2 = 2 * (7.5^2/7.5 + 7.5^2/12.5) = 2 * (7.5 + 4.5) = 24; V = sqrt(24 / 40) = 0.7746
    result = satisfaction.crosstab_test(df, row="g", column="s")
    assert result.chi2 == pytest.approx(24.0)
    assert result.cramers_v == pytest.approx(np.sqrt(0.6))
    assert result.dof == 1
    assert result.summary()["n"].item() == 40
    with pytest.raises(ValueError, match="'g' has 1 level"):
        satisfaction.crosstab_test(df.assign(g="a"), row="g", column="s")
