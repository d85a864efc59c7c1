"""Tests of crmlab.survival (chapter 04): Kaplan-Meier, log-rank and Cox against hand-worked
values and published fits (Rossi, Telco), and one test per bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import churn, datasets
from crmlab import survival as sv


@pytest.fixture(scope="module")
def company():
    return datasets.load_company()


@pytest.fixture(scope="module")
def telco():
    t = datasets.load("telco_churn")
    return t.assign(churned=(t["churn"] == "Yes").astype(int))


@pytest.fixture
def five():
    # five customers: tenure 2, 3, 3, 5, 8; lost at 2, 3 and 5; censored at 3 and 8
    return pd.DataFrame(
        {"tenure": [2, 3, 3, 5, 8], "churned": [1, 1, 0, 1, 0], "g": ["a", "a", "b", "b", "b"]}
    )


# --- Kaplan-Meier ------------------------------------------------------------------------
def test_kaplan_meier_five_customers_by_hand(five):
    # t=2: 5 at risk, 1 lost -> S = 4/5 = 0.8
    # t=3: 4 at risk (the one censored at 3 is still at risk), 1 lost -> 0.8 * 3/4 = 0.6
    # t=5: 2 at risk (5 and 8), 1 lost -> 0.6 * 1/2 = 0.3; t=8 censored: S stays 0.3
    km = sv.kaplan_meier(five)
    s = km.survival_at([0, 1, 2, 3, 4, 5, 8]).loc["all"].to_numpy()
    np.testing.assert_allclose(s, [1, 1, 0.8, 0.6, 0.6, 0.3, 0.3])
    assert km.medians == {"all": 5.0}  # first time S <= 0.5
    assert km.n == {"all": 5} and km.events == {"all": 3}
    assert km.logrank is None
    tab = km.table()
    assert tab["time"].iloc[0] == 0 and tab["survival"].iloc[0] == 1
    assert list(km.summary().columns) == ["n", "events", "median", "last_time"]


def test_kaplan_meier_median_nan_when_curve_stays_above_half():
    # 4 customers, one lost at 1: S = 3/4 = 0.75 and never reaches 0.5
    d = pd.DataFrame({"tenure": [1, 4, 4, 4], "churned": [1, 0, 0, 0]})
    km = sv.kaplan_meier(d)
    assert np.isnan(km.medians["all"])
    assert km.survival_at([4]).iloc[0, 0] == pytest.approx(0.75)


def test_kaplan_meier_with_entry_left_truncation():
    # entry 2 for the second customer: at t=1 only the first is at risk -> S(1) = 0
    # (statsmodels conditions on entry; the curve before t=2 uses customer 1 alone)
    d = pd.DataFrame({"tenure": [1, 3, 3], "churned": [0, 1, 0], "entry": [0, 2, 0]})
    km = sv.kaplan_meier(d, entry="entry")
    # t=3: at risk 2 (customers 2 and 3), 1 lost -> 0.5
    assert km.survival_at([3]).iloc[0, 0] == pytest.approx(0.5)


def test_kaplan_meier_groups_and_logrank(five):
    km = sv.kaplan_meier(five, group="g")
    assert set(km.curves) == {"a", "b"}
    assert km.logrank.df == 1 and 0 <= km.logrank.p_value <= 1
    assert str(km.logrank).startswith("log-rank chi2 = ")
    assert km.logrank.summary()["df"].item() == 1
    assert "log-rank" in str(km)


def test_telco_kaplan_meier_regression_pin(telco):
    """A regression pin, not an independent check: the figures of datasets/telco_churn.md
    (S(12) 0.8432, S(72) 0.5928; S(72) month-to-month 0.1290, one year 0.5681, two year
    0.9357) were produced the same way (statsmodels SurvfuncRight on tenure, churn = Yes).
    Telco's churn is "left within the last month", so these read a one-month snapshot as
    lifetimes (notebook 04 says so); the values only guard against the code changing.
    """
    s = sv.kaplan_meier(telco, duration="tenure", event="churned").survival_at([12, 72]).loc["all"]
    assert s[12] == pytest.approx(0.8432, abs=5e-5)
    assert s[72] == pytest.approx(0.5928, abs=5e-5)
    km = sv.kaplan_meier(telco, duration="tenure", event="churned", group="contract")
    s72 = km.survival_at([72])[72]
    np.testing.assert_allclose(
        s72[["Month-to-month", "One year", "Two year"]], [0.1290, 0.5681, 0.9357], atol=5e-5
    )
    assert np.isnan(km.medians["Two year"]) and km.medians["Month-to-month"] == 35
    assert km.logrank.p_value < 1e-10


def test_logrank_hand_example():
    # 3 lost at 1, 2, 3 in group a; group b censored at 4, 5, 6: strong difference
    d = pd.DataFrame(
        {"tenure": [1, 2, 3, 4, 5, 6], "churned": [1, 1, 1, 0, 0, 0], "g": list("aaabbb")}
    )
    r = sv.logrank_test(d, group="g")
    # expected a: 1/6*... O-E = 3 - (1/2 + 2/5 + 1/4) = 1.85; V = 0.25+0.24+0.1875 = 0.6775
    # chi2 = 1.85^2 / 0.6775 = 5.0517
    assert r.statistic == pytest.approx(5.0517, abs=1e-4)
    assert r.p_value == pytest.approx(0.0246, abs=1e-4)


# --- Cox ---------------------------------------------------------------------------------
def test_cox_rossi_published():
    """R: coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio,
    data = Rossi, ties = "efron") (Allison 1995; lifelines' tests): fin -0.37942 (0.19138),
    age -0.05744, race 0.31390, wexp -0.14980, mar -0.43370, paro -0.08487, prio 0.09150."""
    rossi = datasets.load("rossi")
    fit = sv.cox_model(
        rossi,
        duration="week",
        event="arrest",
        covariates=["fin", "age", "race", "wexp", "mar", "paro", "prio"],
    )
    assert fit.params["fin"] == pytest.approx(-0.37942, abs=5e-6)
    assert fit.bse["fin"] == pytest.approx(0.19138, abs=5e-6)
    np.testing.assert_allclose(
        fit.params, [-0.37942, -0.05744, 0.31390, -0.14980, -0.43370, -0.08487, 0.09150], atol=5e-5
    )
    hr = fit.hazard_ratios.loc["fin"]
    assert hr["hazard_ratio"] == pytest.approx(np.exp(-0.37942), abs=1e-5)
    assert hr["lower"] < hr["hazard_ratio"] < hr["upper"]
    assert fit.n == 432 and fit.events == 114 and fit.ties == "efron"
    assert "fin" in fit.read()[0]
    ph = fit.ph_test()  # values checked against R cox.zph in test_reference_survival.py
    assert list(ph.index) == [*fit.params.index, "GLOBAL"] and ph["p"].between(0, 1).all()
    breslow = sv.cox_model(
        rossi,
        duration="week",
        event="arrest",
        covariates=["fin", "age", "race", "wexp", "mar", "paro", "prio"],
        ties="breslow",
    )
    assert breslow.params["fin"] == pytest.approx(-0.379022, abs=5e-6)  # DESIGN.md


def test_cox_recovers_simulator_drivers(company):
    sf = sv.survival_frame(
        company["customers"], company["churn"], as_of="2024-12-31", start="2022-01-01"
    )
    d = sf.join(
        company["truth"].set_index("customer_id")[
            ["switching_cost", "satisfaction_propensity", "quality_tolerance"]
        ]
    )
    fit = sv.cox_model(
        d,
        covariates=["switching_cost", "satisfaction_propensity", "quality_tolerance"],
        entry="entry",
    )
    # the simulator lowers every voluntary hazard with these three traits
    assert (fit.params < 0).all() and (fit.hazard_ratios["upper"] < 1).all()


def test_design_matrix_dummies_and_bool():
    d = pd.DataFrame({"c": pd.Categorical(["x", "y", "z", "x"]), "b": [True, False, True, True]})
    X = sv.design_matrix(d, covariates=["c", "b"])
    assert list(X.columns) == ["c=y", "c=z", "b"] and X["b"].tolist() == [1, 0, 1, 1]


# --- survival frame ----------------------------------------------------------------------
def test_survival_frame_by_hand():
    cust = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "acquisition_date": pd.to_datetime(["2024-01-01", "2024-06-01", "2021-12-01"]),
        }
    )
    lost = pd.DataFrame(
        {"customer_id": ["a", "b"], "churn_date": pd.to_datetime(["2024-01-20", "2025-03-01"])}
    )
    f = sv.survival_frame(cust, lost, as_of="2024-12-31", start="2022-01-01")
    # a: 19 days -> floor(19/30.44)+1 = 1, lost; b: lost after as_of -> censored,
    # 213 days -> floor(6.998)+1 = 7; c: 1126 days -> 36+1 = 37, entry floor(31/30.44) = 1
    assert f["tenure"].tolist() == [1, 7, 37]
    assert f["churned"].tolist() == [1, 0, 0]
    assert f["entry"].tolist() == [0, 0, 1]
    w = sv.survival_frame(cust, lost, as_of="2024-12-31", grain="week")
    assert w.loc["a", "tenure"] == 3  # 19 days -> floor(19/7)+1


# --- bad input ---------------------------------------------------------------------------
def test_negative_duration_rejected(five):
    bad = five.assign(tenure=[2, -3, 3, 5, 8])
    with pytest.raises(ValueError, match="'tenure'.*negative"):
        sv.kaplan_meier(bad)


def test_missing_duration_rejected(five):
    bad = five.assign(tenure=[2, np.nan, 3, 5, 8])
    with pytest.raises(ValueError, match="'tenure'.*missing"):
        sv.cox_model(bad.assign(x=[1, 2, 3, 4, 5]), covariates=["x"])


def test_event_not_zero_one_rejected(five):
    with pytest.raises(ValueError, match=r"'churned'.*0/1.*\[2\]"):
        sv.kaplan_meier(five.assign(churned=[1, 2, 0, 1, 0]))
    with pytest.raises(ValueError, match="'churn'.*'Yes'"):
        churn.churn_rate(pd.DataFrame({"churn": ["Yes", "No"]}), event="churn")


def test_missing_column_rejected(five):
    with pytest.raises(KeyError, match="months"):
        sv.kaplan_meier(five, duration="months")


def test_dates_out_of_order_rejected():
    cust = pd.DataFrame({"customer_id": ["a"], "acquisition_date": pd.to_datetime(["2024-05-01"])})
    lost = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2024-01-01"])})
    with pytest.raises(ValueError, match="'churn_date'.*out of order.*'a'"):
        sv.survival_frame(cust, lost, as_of="2024-12-31")
    with pytest.raises(ValueError, match="out of order.*'a'"):
        churn.dynamic_balance(cust, lost, start="2024-01", as_of="2024-12")
    with pytest.raises(ValueError, match="out of order"):
        churn.dynamic_balance(cust, lost.iloc[:0], start="2024-12", as_of="2024-01")


def test_entry_not_below_duration_rejected(five):
    with pytest.raises(ValueError, match="'entry'.*below"):
        sv.kaplan_meier(five.assign(entry=[0, 3, 0, 0, 0]), entry="entry")


def test_bad_ties_and_no_events_rejected(five):
    with pytest.raises(ValueError, match="ties.*'exact'"):
        sv.cox_model(five.assign(x=1.0), covariates=["x"], ties="exact")
    with pytest.raises(ValueError, match="'churned'.*no events"):
        sv.cox_model(five.assign(churned=0, x=[1, 2, 3, 4, 5]), covariates=["x"])
