"""Tests of crmlab.churn_warning (chapter 04, prediction and early warning): hand-worked
values, statsmodels as a second method, the Telco sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import churn_warning, datasets


@pytest.fixture(scope="module")
def company():
    return datasets.load_company()


@pytest.fixture(scope="module")
def telco():
    t = datasets.load("telco_churn")
    return t.assign(churned=(t["churn"] == "Yes").astype(int))


# --- prediction --------------------------------------------------------------------------
def test_auc_gains_calibration_by_hand():
    assert churn_warning.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75  # 3 of 4 pairs in order
    y = [1, 0, 1, 0, 0, 0, 1, 0, 0, 0]
    p = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0]
    g = churn_warning.gains_table(y, p, bins=5)
    # groups of 2: churners 1, 1, 0, 1, 0; overall rate 3/10; group rate 1/2 -> lift 5/3
    assert g["n_churned"].tolist() == [1, 1, 0, 1, 0]
    assert g["lift"].iloc[0] == pytest.approx(5 / 3)
    assert g["cum_capture"].tolist() == pytest.approx([1 / 3, 2 / 3, 2 / 3, 1, 1])
    cal = churn_warning.calibration_table(y, p, bins=5)
    assert cal["mean_predicted"].iloc[0] == pytest.approx(0.05)  # (0.1 + 0) / 2


def test_fit_logit_matches_statsmodels_and_predicts():
    import statsmodels.api as sm

    d = pd.DataFrame({"x": [0, 1, 2, 3, 4, 5, 6, 7], "churned": [0, 0, 1, 0, 1, 0, 1, 1]})
    m = churn_warning.fit_logit(d, features=["x"])
    ref = sm.Logit(d["churned"], sm.add_constant(d[["x"]])).fit(disp=0)
    assert m.odds_ratios.loc["x", "coef"] == pytest.approx(ref.params["x"])
    assert m.predict(d).to_numpy() == pytest.approx(np.asarray(ref.predict()))
    assert m.read()[0].startswith("x: one unit more")


def test_logit_read_uses_its_confidence():
    # x: coef 0.5941, se 0.4322, p = 0.169. At confidence 0.8 the 80% interval
    # exp(0.5941 +- 1.2816 x 0.4322) = 1.04-3.15 excludes 1 and p < 0.2: significant,
    # and the text names the 80% interval (it printed "95% CI" and tested p < 0.05);
    # exp(0.5941) = 1.811, exp(0.0402) = 1.041, exp(1.1480) = 3.152
    d = pd.DataFrame({"x": [0, 1, 2, 3, 4, 5, 6, 7], "churned": [0, 0, 1, 0, 1, 0, 1, 1]})
    line80 = churn_warning.fit_logit(d, features=["x"], confidence=0.8).read()[0]
    assert line80 == (
        "x: one unit more multiplies the odds of churn by 1.811 (+81%; 80% CI 1.041-3.152)"
    )
    line95 = churn_warning.fit_logit(d, features=["x"]).read()[0]
    assert "not significant at the 5% level" in line95 and "95% CI" in line95


def test_time_split_logit_company(company):
    c = company
    args = (c["customers"], c["orders"], c["incidents"], c["contacts"], c["churn"])
    train = churn_warning.churn_features(*args, as_of="2023-06-30")
    test = churn_warning.churn_features(*args, as_of="2024-06-30")
    # features only up to the cut: nobody lost by the cut is in the table
    lost = c["churn"].set_index("customer_id")["churn_date"]
    assert not (lost.reindex(test.index) <= pd.Timestamp("2024-06-30")).any()
    m = churn_warning.fit_logit(
        train, features=["quote_days_mean", "n_incidents_6m", "tenure_months"]
    )
    assert m.odds_ratios.loc["quote_days_mean", "odds_ratio"] > 1  # price buyers choose long
    assert 0.55 < churn_warning.auc(test["churned"], m.predict(test)) < 0.8


def test_telco_logit_auc(telco):
    rng = np.random.default_rng(4)
    test = rng.random(len(telco)) < 0.3
    f = [
        "tenure",
        "contract",
        "internet_service",
        "monthly_charges",
        "paperless_billing",
        "senior_citizen",
        "payment_method",
    ]
    m = churn_warning.fit_logit(telco[~test], features=f)
    # DESIGN.md: about 0.845 with all features in 5-fold CV
    assert churn_warning.auc(telco["churned"][test], m.predict(telco[test])) == pytest.approx(
        0.84, abs=0.02
    )


def test_early_warning_and_campaign_by_hand():
    w = churn_warning.early_warning(
        pd.Series({"a": 0.5, "b": 0.1}),
        pd.Series({"a": 100, "b": 2000}),
        tier=pd.Series({"a": "small", "b": "VIP"}),
    )
    assert w.index.tolist() == ["b", "a"]  # 0.1*2000 = 200 > 0.5*100 = 50
    assert w["value_at_risk"].tolist() == [200, 50] and w.loc["b", "tier"] == "VIP"
    plan = churn_warning.campaign_plan(
        pd.DataFrame({"p_churn": [0.5, 0.2, 0.1], "value": [1000] * 3}, index=list("abc")), 50, 0.3
    )
    # gains: 0.5*0.3*1000-50 = 100; 0.2*0.3*1000-50 = 10; 0.1*0.3*1000-50 = -20
    assert plan["gain"].tolist() == pytest.approx([100, 10, -20])
    assert plan["contact"].tolist() == [True, True, False]
    assert plan["cum_gain"].iloc[1] == pytest.approx(110)


def test_logit_one_class_rejected():
    with pytest.raises(ValueError, match="'churned'.*one class"):
        churn_warning.fit_logit(pd.DataFrame({"x": [1, 2], "churned": [0, 0]}), features=["x"])


def test_scores_bad_input_rejected():
    with pytest.raises(ValueError, match="differ in length"):
        churn_warning.auc([0, 1], [0.5])
    with pytest.raises(ValueError, match="y must hold 0/1"):
        churn_warning.gains_table([0, 2], [0.1, 0.2], bins=2)
    with pytest.raises(ValueError, match="bins"):
        churn_warning.gains_table([0, 1], [0.1, 0.2], bins=5)


def test_campaign_bad_rates_rejected():
    w = pd.DataFrame({"p_churn": [0.5], "value": [10.0]})
    with pytest.raises(ValueError, match="save_rate"):
        churn_warning.campaign_plan(w, 5, 1.5)
    with pytest.raises(ValueError, match="contact_cost"):
        churn_warning.campaign_plan(w, -1, 0.3)
