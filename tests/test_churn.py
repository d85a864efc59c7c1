"""Tests of crmlab.churn and crmlab.survival (chapter 04): hand-worked values, published
values (Rossi, Telco) and one test per bad input."""

import numpy as np
import pandas as pd
import pytest

from crmlab import churn as ch
from crmlab import datasets, simulate
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


def test_telco_kaplan_meier_published(telco):
    """datasets/telco_churn.md (statsmodels SurvfuncRight on tenure, churn = Yes):
    S(12) 0.8432, S(72) 0.5928; S(72) month-to-month 0.1290, one year 0.5681, two year 0.9357.
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
    ph = fit.ph_test()
    assert list(ph.index) == list(fit.params.index) and ph["p"].between(0, 1).all()
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


# --- definitions -------------------------------------------------------------------------
def test_churn_rate_by_hand():
    assert ch.churn_rate(pd.DataFrame({"churned": [1, 0, 0, 1, 0]})) == 0.4  # 2/5
    assert ch.churn_rate(pd.DataFrame({"churned": [True, False]})) == 0.5


def test_inactivity_churn_and_threshold_curve():
    o = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "c"],
            "is_return": [False, False, False, True],
            "order_date": pd.to_datetime(["2024-12-01", "2024-05-01", "2024-08-01", "2024-12-20"]),
        }
    )
    inact = ch.inactivity_churn(o, as_of="2024-12-31", threshold_days=120)
    # silent 30, 244, 152 days (c's return on 12-20 is not a purchase)
    assert inact["days_silent"].tolist() == [30, 244, 152]
    assert inact["churned"].tolist() == [0, 1, 1]
    curve = ch.threshold_curve(
        o, as_of="2024-12-31", thresholds=[20, 100, 200, 300], churned=pd.Series({"b": 1})
    )
    assert curve["churn_rate"].tolist() == pytest.approx([1, 2 / 3, 1 / 3, 0])
    # threshold 100: flags b and c, only b left -> precision 1/2, recall 1
    assert curve.loc[100, "precision"] == 0.5 and curve.loc[100, "recall"] == 1.0


def test_dynamic_balance_by_hand():
    cust = pd.DataFrame(
        {
            "customer_id": list("abc"),
            "acquisition_date": pd.to_datetime(["2023-12-01", "2024-01-10", "2024-02-05"]),
        }
    )
    lost = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2024-02-20"])})
    b = ch.dynamic_balance(cust, lost, start="2024-01", as_of="2024-02")
    assert b["net"].tolist() == [1, 0]
    assert b.loc["2024-02", "churn_rate"] == pytest.approx(1 / 3)  # 1 lost of 2 + 1 won


def test_dynamic_balance_company_closing_is_active_count(company):
    b = ch.dynamic_balance(company["customers"], company["churn"], start="2022-01", as_of="2024-12")
    active = (company["customers"]["status"] == "active").sum()
    assert b["closing"].iloc[-1] == active


def test_cohort_retention_by_hand():
    cust = pd.DataFrame(
        {
            "customer_id": list("abcd"),
            "acquisition_date": pd.to_datetime(
                ["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10"]
            ),
        }
    )
    lost = pd.DataFrame(
        {"customer_id": ["a", "c"], "churn_date": pd.to_datetime(["2024-02-15", "2024-02-25"])}
    )
    r = ch.cohort_retention(cust, lost, as_of="2024-03-31")
    # Jan cohort: a lost in month 1 -> 2/2, 1/2, 1/2; Feb cohort: c lost in month 0 -> 1/2
    assert r.loc["2024-01", [0, 1, 2]].tolist() == [1.0, 0.5, 0.5]
    assert r.loc["2024-02", 0] == 0.5 and np.isnan(r.loc["2024-02", 2])
    assert r["size"].tolist() == [2, 2]


# --- causes ------------------------------------------------------------------------------
def test_pareto_table_by_hand():
    p = ch.pareto_table(
        pd.Series(["price", "quality", "price", "competitor", "price"]), categories=["involuntary"]
    )
    assert p.index.tolist() == ["price", "competitor", "quality", "involuntary"]
    assert p["share"].tolist() == [0.6, 0.2, 0.2, 0.0]  # 3/5, 1/5, 1/5, 0/5
    assert p["cumulative"].iloc[-1] == pytest.approx(1.0)


def test_exit_reasons_company_matches_datasheet(company):
    # datasets/company.md: true price 29.8%, stated 43.1%; fault true 30.8%, stated 25.1%
    r = ch.exit_reasons(company["churn"], company["truth"])
    assert r.loc["price", "stated_share"] == pytest.approx(0.431, abs=5e-4)
    assert r.loc["price", "true_share"] == pytest.approx(0.298, abs=5e-4)
    t = ch.exit_reasons(company["churn"], company["truth"], level="type")
    assert t.loc["fault", "true_share"] == pytest.approx(0.308, abs=5e-4)
    assert t.loc["fault", "stated_share"] == pytest.approx(0.251, abs=5e-4)


def test_corrected_shares_by_hand_and_company(company):
    # stated price 0.44 = 0.8 * true + 0.2 -> true 0.30; quality 0.56 / 0.8 = 0.70
    c = ch.corrected_shares(pd.Series({"price": 0.44, "quality": 0.56}), 0.2)
    assert c.to_dict() == pytest.approx({"price": 0.30, "quality": 0.70})
    stated = ch.exit_reasons(company["churn"], company["truth"])
    fixed = ch.corrected_shares(stated["stated_share"], simulate.STATED_REASON_NOISE)
    np.testing.assert_allclose(fixed, stated["true_share"], atol=0.02)


def test_largest_share_test():
    # 6 fault, 2 natural, 2 competitive: 0.6 - 0.2 = 0.4; var (0.6+0.2-0.16)/10 = 0.064
    r = ch.largest_share_test(pd.Series(["fault"] * 6 + ["natural"] * 2 + ["competitive"] * 2))
    assert r.largest == "fault" and r.difference == pytest.approx(0.4)
    assert r.z == pytest.approx(0.4 / np.sqrt(0.064))
    # z = 0.4 / sqrt((0.6 + 0.2 - 0.4**2) / 10) = 1.58, one-sided p = 0.057: not significant
    assert "fault is the largest share': not supported" in str(r)
    assert r.summary()["largest"].item() == "fault"


def test_fault_churn_is_not_largest_in_company(company):
    r = ch.largest_share_test(company["churn"]["churn_type"])
    assert r.largest == "competitive" and not r.supported


def test_causes_by_group_rows():
    cust = pd.DataFrame({"customer_id": list("abcd"), "seg": ["x", "x", "y", "y"]})
    lost = pd.DataFrame({"customer_id": ["a", "c"], "stated_reason": ["price", "quality"]})
    r = ch.causes_by_group(cust, lost, group="seg")
    assert r.loc["x", "price"] == 0.5 and r.loc["x", "churn_rate"] == 0.5  # 1 of 2
    mix = ch.causes_by_group(cust, lost, group="seg", per="leaver")
    assert mix.loc["y", "quality"] == 1.0


def test_incident_churn_by_hand():
    inc = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "handled_well": [False, True, True],
            "incident_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-12-01"]),
        }
    )
    lost = pd.DataFrame(
        {"customer_id": ["a", "b"], "churn_date": pd.to_datetime(["2024-02-01", "2024-06-01"])}
    )
    r = ch.incident_churn(inc, lost, as_of="2024-12-31", window_days=90)
    # c is too recent; a lost 31 days after (counts); b lost 152 days after (does not)
    assert r.loc[False, "rate"] == 1.0 and r.loc[True, "rate"] == 0.0
    assert r["n_incidents"].tolist() == [1, 1]


def test_incident_handling_effect_company(company):
    r = ch.incident_churn(company["incidents"], company["churn"], as_of="2024-12-31")
    assert r.loc[False, "lower"] > r.loc[True, "upper"]  # badly handled -> more churn


def test_fault_root_causes_company(company):
    r = ch.fault_root_causes(company["churn"], company["incidents"], company["contacts"])
    assert set(r.index) == set(ch.FAULT_ROOT_CAUSES)
    # leavers citing a mishandled incident more often had one than quality leavers
    assert r.loc["incident_mishandled", "bad_incident"] > r.loc["quality", "bad_incident"]


# --- prediction --------------------------------------------------------------------------
def test_auc_gains_calibration_by_hand():
    assert ch.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75  # 3 of 4 pairs in order
    y = [1, 0, 1, 0, 0, 0, 1, 0, 0, 0]
    p = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0]
    g = ch.gains_table(y, p, bins=5)
    # groups of 2: churners 1, 1, 0, 1, 0; overall rate 3/10; group rate 1/2 -> lift 5/3
    assert g["n_churned"].tolist() == [1, 1, 0, 1, 0]
    assert g["lift"].iloc[0] == pytest.approx(5 / 3)
    assert g["cum_capture"].tolist() == pytest.approx([1 / 3, 2 / 3, 2 / 3, 1, 1])
    cal = ch.calibration_table(y, p, bins=5)
    assert cal["mean_predicted"].iloc[0] == pytest.approx(0.05)  # (0.1 + 0) / 2


def test_fit_logit_matches_statsmodels_and_predicts():
    import statsmodels.api as sm

    d = pd.DataFrame({"x": [0, 1, 2, 3, 4, 5, 6, 7], "churned": [0, 0, 1, 0, 1, 0, 1, 1]})
    m = ch.fit_logit(d, features=["x"])
    ref = sm.Logit(d["churned"], sm.add_constant(d[["x"]])).fit(disp=0)
    assert m.odds_ratios.loc["x", "coef"] == pytest.approx(ref.params["x"])
    assert m.predict(d).to_numpy() == pytest.approx(np.asarray(ref.predict()))
    assert m.read()[0].startswith("x: one unit more")


def test_time_split_logit_company(company):
    c = company
    args = (c["customers"], c["orders"], c["incidents"], c["contacts"], c["churn"])
    train = ch.churn_features(*args, as_of="2023-06-30")
    test = ch.churn_features(*args, as_of="2024-06-30")
    # features only up to the cut: nobody lost by the cut is in the table
    lost = c["churn"].set_index("customer_id")["churn_date"]
    assert not (lost.reindex(test.index) <= pd.Timestamp("2024-06-30")).any()
    m = ch.fit_logit(train, features=["quote_days_mean", "n_incidents_6m", "tenure_months"])
    assert m.odds_ratios.loc["quote_days_mean", "odds_ratio"] > 1  # price buyers choose long
    assert 0.55 < ch.auc(test["churned"], m.predict(test)) < 0.8


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
    m = ch.fit_logit(telco[~test], features=f)
    # DESIGN.md: about 0.845 with all features in 5-fold CV
    assert ch.auc(telco["churned"][test], m.predict(telco[test])) == pytest.approx(0.84, abs=0.02)


def test_early_warning_and_campaign_by_hand():
    w = ch.early_warning(
        pd.Series({"a": 0.5, "b": 0.1}),
        pd.Series({"a": 100, "b": 2000}),
        tier=pd.Series({"a": "small", "b": "VIP"}),
    )
    assert w.index.tolist() == ["b", "a"]  # 0.1*2000 = 200 > 0.5*100 = 50
    assert w["value_at_risk"].tolist() == [200, 50] and w.loc["b", "tier"] == "VIP"
    plan = ch.campaign_plan(
        pd.DataFrame({"p_churn": [0.5, 0.2, 0.1], "value": [1000] * 3}, index=list("abc")), 50, 0.3
    )
    # gains: 0.5*0.3*1000-50 = 100; 0.2*0.3*1000-50 = 10; 0.1*0.3*1000-50 = -20
    assert plan["gain"].tolist() == pytest.approx([100, 10, -20])
    assert plan["contact"].tolist() == [True, True, False]
    assert plan["cum_gain"].iloc[1] == pytest.approx(110)


def test_competitive_strategy_rule():
    seg = pd.DataFrame(
        {"value_per_customer": [300, 300, 20, 100], "competitive_churn_rate": [0.3, 0.1, 0.3, 0.1]},
        index=list("abcd"),
    )
    # mean value 180, mean churn 0.2: a high/high attack, b high/low defend,
    # c value 0.11 < 0.5 with high churn retreat, d low/low defend
    r = ch.competitive_strategy(seg)
    assert r["strategy"].tolist() == ["attack", "defend", "retreat", "defend"]
    assert r.loc["a", "strategy_zh"] == "进攻"


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
        ch.churn_rate(pd.DataFrame({"churn": ["Yes", "No"]}), event="churn")


def test_missing_column_rejected(five):
    with pytest.raises(KeyError, match="months"):
        sv.kaplan_meier(five, duration="months")


def test_threshold_zero_rejected():
    o = pd.DataFrame(
        {"customer_id": ["a"], "is_return": [False], "order_date": pd.to_datetime(["2024-01-01"])}
    )
    with pytest.raises(ValueError, match="threshold_days.*0"):
        ch.inactivity_churn(o, as_of="2024-12-31", threshold_days=0)


def test_dates_out_of_order_rejected():
    cust = pd.DataFrame({"customer_id": ["a"], "acquisition_date": pd.to_datetime(["2024-05-01"])})
    lost = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2024-01-01"])})
    with pytest.raises(ValueError, match="'churn_date'.*out of order.*'a'"):
        sv.survival_frame(cust, lost, as_of="2024-12-31")
    with pytest.raises(ValueError, match="out of order.*'a'"):
        ch.dynamic_balance(cust, lost, start="2024-01", as_of="2024-12")
    with pytest.raises(ValueError, match="out of order"):
        ch.dynamic_balance(cust, lost.iloc[:0], start="2024-12", as_of="2024-01")


def test_entry_not_below_duration_rejected(five):
    with pytest.raises(ValueError, match="'entry'.*below"):
        sv.kaplan_meier(five.assign(entry=[0, 3, 0, 0, 0]), entry="entry")


def test_bad_ties_and_no_events_rejected(five):
    with pytest.raises(ValueError, match="ties.*'exact'"):
        sv.cox_model(five.assign(x=1.0), covariates=["x"], ties="exact")
    with pytest.raises(ValueError, match="'churned'.*no events"):
        sv.cox_model(five.assign(churned=0, x=[1, 2, 3, 4, 5]), covariates=["x"])


def test_logit_one_class_rejected():
    with pytest.raises(ValueError, match="'churned'.*one class"):
        ch.fit_logit(pd.DataFrame({"x": [1, 2], "churned": [0, 0]}), features=["x"])


def test_scores_bad_input_rejected():
    with pytest.raises(ValueError, match="differ in length"):
        ch.auc([0, 1], [0.5])
    with pytest.raises(ValueError, match="y must hold 0/1"):
        ch.gains_table([0, 2], [0.1, 0.2], bins=2)
    with pytest.raises(ValueError, match="bins"):
        ch.gains_table([0, 1], [0.1, 0.2], bins=5)


def test_campaign_bad_rates_rejected():
    w = pd.DataFrame({"p_churn": [0.5], "value": [10.0]})
    with pytest.raises(ValueError, match="save_rate"):
        ch.campaign_plan(w, 5, 1.5)
    with pytest.raises(ValueError, match="contact_cost"):
        ch.campaign_plan(w, -1, 0.3)


def test_unknown_options_rejected(five):
    with pytest.raises(ValueError, match="grain.*'year'"):
        sv.survival_frame(pd.DataFrame(), pd.DataFrame(), as_of="2024-12-31", grain="year")
    with pytest.raises(ValueError, match="level.*'reason'"):
        ch.exit_reasons(
            pd.DataFrame({"customer_id": ["a"], "stated_reason": ["price"]}), level="reason"
        )
    with pytest.raises(ValueError, match="claim 'fault'"):
        ch.largest_share_test(pd.Series(["natural", "competitive"]))
    with pytest.raises(ValueError, match="noise"):
        ch.corrected_shares(pd.Series({"price": 1.0}), 1.0)
