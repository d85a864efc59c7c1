"""crmlab.uplift: campaign effect, uplift models, Qini curve, policy value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from crmlab.uplift import (
    campaign_effect,
    fit_uplift,
    policy_value,
    qini_coefficient,
    qini_curve,
)


def _members() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["treatment"] * 4 + ["control"] * 4,
            "retained": [1, 1, 0, 1, 0, 1, 0, 0],
        }
    )


def test_campaign_effect_by_hand():
    # treated [1,1,0,1]: mean .75, sample variance (3 x .0625 + .5625) / 3 = .25;
    # control [0,1,0,0]: mean .25, variance .25. se = sqrt(.25/4 + .25/4) = .353553;
    # Welch df = .125^2 / (2 x .0625^2 / 3) = 6; t(6, .975) = 2.446912;
    # interval .5 +- 2.446912 x .353553 = .5 +- .865113
    r = campaign_effect(_members(), outcome="retained")
    assert r.effect == pytest.approx(0.5)
    assert r.se == pytest.approx(0.353553, abs=1e-6)
    assert r.df == pytest.approx(6.0)
    assert (r.ci_low, r.ci_high) == pytest.approx((-0.365113, 1.365113), abs=1e-6)
    assert (r.n_treated, r.n_control) == (4, 4)
    assert r.summary().loc["retained", "effect"] == pytest.approx(0.5)


def test_campaign_effect_agrees_with_scipy_and_statsmodels():
    rng = np.random.default_rng(3)
    m = pd.DataFrame(
        {
            "group": np.where(rng.random(500) < 0.3, "treatment", "control"),
            "revenue": rng.gamma(2.0, 500.0, 500),
        }
    )
    r = campaign_effect(m, outcome="revenue", confidence=0.9)
    t = m.loc[m.group == "treatment", "revenue"]
    c = m.loc[m.group == "control", "revenue"]
    assert r.p_value == pytest.approx(stats.ttest_ind(t, c, equal_var=False).pvalue, rel=1e-9)
    low, high = CompareMeans(DescrStatsW(t), DescrStatsW(c)).tconfint_diff(
        alpha=0.1, usevar="unequal"
    )
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high), rel=1e-9)


def test_campaign_effect_bad_input():
    m = _members()
    with pytest.raises(KeyError, match="retain"):
        campaign_effect(m, outcome="retain")
    bad = m.assign(group=m["group"].replace({"control": "holdout"}))
    with pytest.raises(ValueError, match=r"'holdout' in rows \[4"):
        campaign_effect(bad, outcome="retained")
    with pytest.raises(ValueError, match="no 'control' rows"):
        campaign_effect(m[m.group == "treatment"], outcome="retained")
    with pytest.raises(ValueError, match="retained"):
        campaign_effect(m.assign(retained=["yes"] * 8), outcome="retained")
    with pytest.raises(ValueError, match="1 row"):
        campaign_effect(m.iloc[3:], outcome="retained")


def test_qini_curve_with_ties_by_hand():
    # sorted: (0.9 T y1), (0.9 C y0) tie -> one point at n=2: 1 treated buyer - 0 = 1;
    # n=3 (0.5 T y1): 2 - 0 = 2; n=4 (0.1 C y1): 2 - 1 x (2 treated / 2 control) = 1
    curve = qini_curve([0.9, 0.9, 0.5, 0.1], [1, 0, 1, 1], [True, False, True, False])
    assert curve["n_targeted"].tolist() == [0, 2, 3, 4]
    assert curve["incremental"].tolist() == [0.0, 1.0, 2.0, 1.0]
    assert curve["random"].tolist() == [0.0, 0.5, 0.75, 1.0]


def test_qini_coefficient_by_hand():
    # model area (trapezoids over n): 1 + 1.5 + 1.5 = 4; random: 1 x 4 / 2 = 2;
    # best ranking (treated buyers, non-buyers, control buyers): points 0, 2, 2, 1 at
    # n = 0, 2, 3, 4 -> area 2 + 2 + 1.5 = 5.5; coefficient (4 - 2) / (5.5 - 2) = 4/7
    q = qini_coefficient([0.9, 0.9, 0.5, 0.1], [1, 0, 1, 1], [True, False, True, False])
    assert q == pytest.approx(4 / 7)


def test_qini_coefficient_matches_scikit_uplift_tests():
    # scikit-uplift 0.5.1, sklift/tests/test_metrics.py::test_qini_auc_score
    # (commit 0038e659): both cases score 1.0
    assert qini_coefficient([0.1, 0.3], [0, 1], [1, 0]) == pytest.approx(1.0)
    assert qini_coefficient([0.1, 0.3], [1, 0], [0, 1]) == pytest.approx(1.0)


def test_qini_bad_input():
    with pytest.raises(ValueError, match="same non-zero length"):
        qini_curve([0.1, 0.2], [1], [True, False])
    with pytest.raises(ValueError, match="True/False"):
        qini_curve([0.1, 0.2], [1, 0], ["t", "c"])
    with pytest.raises(ValueError, match="undefined"):
        qini_coefficient([0.1, 0.2], [0, 0], [True, False])


def _experiment(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Retention with a campaign that helps customers with x > 0 (by 0.1 + 0.1 x) and
    harms those with x < -1 (sleeping dogs, -0.1)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    w = rng.random(n) < 0.4
    base = 0.5 + 0.1 * np.tanh(z)
    effect = np.where(x > 0, 0.1 + 0.1 * np.minimum(x, 2), np.where(x < -1, -0.1, 0.0))
    y = (rng.random(n) < base + w * effect).astype(int)
    data = pd.DataFrame(
        {"x": x, "z": z, "retained": y, "group": np.where(w, "treatment", "control")}
    )
    return data, effect


@pytest.mark.parametrize("method", ["two_model", "transformed_outcome"])
def test_fit_uplift_ranks_by_the_true_effect(method):
    from sklearn.ensemble import HistGradientBoostingRegressor

    train, _ = _experiment(20_000, 1)
    test, effect = _experiment(10_000, 2)
    est = HistGradientBoostingRegressor(max_depth=3, max_iter=50, random_state=0)
    model = fit_uplift(train, features=["x", "z"], outcome="retained", method=method, estimator=est)
    u = model.predict(test)
    # the true effect is a step-wise function of x: the ranking should follow it
    assert stats.spearmanr(u, effect).statistic > 0.6
    # the mean predicted uplift is the average effect (true mean of `effect`)
    assert u.mean() == pytest.approx(effect.mean(), abs=0.02)
    # on the held-out experiment the model's ranking is nearly as good as ranking by the
    # true effects (Qini 0.084 here; a random ranking scores about 0.003)
    treated = test["group"] == "treatment"
    oracle = qini_coefficient(effect, test["retained"], treated)
    assert qini_coefficient(u, test["retained"], treated) > 0.8 * oracle


def test_fit_uplift_bad_input():
    train, _ = _experiment(200, 0)
    with pytest.raises(ValueError, match="method"):
        fit_uplift(train, features=["x"], outcome="retained", method="magic")
    with pytest.raises(KeyError, match="w"):
        fit_uplift(train, features=["w"], outcome="retained")
    model = fit_uplift(train, features=["x"], outcome="retained")
    with pytest.raises(ValueError, match="x"):
        model.predict(train.assign(x=np.nan))


def test_policy_value_by_hand():
    # top 2 of 3 by score: effects 0.2 and -0.1 -> 1000 x 0.1 - 10 x 2 = 80
    assert policy_value(
        [0.9, 0.5, 0.1], [0.2, -0.1, 0.3], share=2 / 3, value_per_unit=1000, cost_per_contact=10
    ) == pytest.approx(80.0)
    # nobody contacted: 0
    assert policy_value([1, 2], [0.5, 0.5], share=0, value_per_unit=1, cost_per_contact=1) == 0
    with pytest.raises(ValueError, match="share"):
        policy_value([1], [1], share=1.5, value_per_unit=1, cost_per_contact=1)
