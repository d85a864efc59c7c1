"""Tests of crmlab.value (chapter 05, customer lifetime value). Hand-worked values carry
their arithmetic in a comment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import datasets, segment, value
from crmlab.btyd import BGNBDResult, GammaGammaResult

PAPER = BGNBDResult(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, True)


def test_clv_contractual_three_periods_by_hand():
    # margin 100, S = 0.9, 0.8, 0.7, d = 10% a period, margin at the end of each period:
    #   100 (0.9/1.1 + 0.8/1.21 + 0.7/1.331) = 81.8182 + 66.1157 + 52.5920 = 200.5259
    assert value.clv_contractual(100, [0.9, 0.8, 0.7], 0.10) == pytest.approx(200.5259, abs=1e-4)


def test_clv_contractual_margin_per_period():
    # margins 50, 100, 200; S = 1, 0.5, 0.5; d = 0.25:
    #   50/1.25 + 100 x 0.5/1.5625 + 200 x 0.5/1.953125 = 40 + 32 + 51.2 = 123.2
    assert value.clv_contractual([50, 100, 200], [1, 0.5, 0.5], 0.25) == pytest.approx(123.2)


def test_closed_form_by_hand_and_against_long_sum():
    # m r / (1 + d - r) = 100 x 0.8 / (1.1 - 0.8) = 80 / 0.3 = 266.667
    assert value.clv_constant_retention(100, 0.8, 0.10) == pytest.approx(266.6667, abs=1e-4)
    # the same value as the discounted sum of S(t) = 0.8^t over 400 periods
    long_sum = value.clv_contractual(100, 0.8 ** np.arange(1, 401), 0.10)
    assert long_sum == pytest.approx(80 / 0.3, rel=1e-12)
    # retention 0: the customer leaves before the first margin
    assert value.clv_constant_retention(100, 0.0, 0.10) == 0.0


def test_monthly_rate():
    # (1.1)^(1/12) - 1 = 0.0079741
    assert value.monthly_rate(0.10) == pytest.approx(0.0079741, abs=1e-7)


def test_clv_by_group_five_customers_by_hand():
    # KM: S(1) = 1, S(2) = 4/5 = .8, S(3) = .8 x 2/4... (one churn, one censored at 3 of 4
    # at risk: .8 x 3/4 = .6), S(4) = .6, S(5) = .6 x 1/2 = .3, S(6..8) = .3.
    # margin 10, d = 0: 10 x (1 + .8 + .6 + .6 + .3 x 4) = 42 (d tiny instead of 0)
    five = pd.DataFrame(
        {"tenure": [2, 3, 3, 5, 8], "churned": [1, 1, 0, 1, 0], "fee": 10.0, "g": "x"}
    )
    out = value.clv_by_group(five, group="g", margin="fee", discount_rate=1e-12, tail=False)
    assert out.loc["x", "clv"] == pytest.approx(42.0)
    assert out.loc["x", "expected_periods"] == pytest.approx(4.2)
    # the tail: r = (S(8)/S(1))^(1/7)... only 8 periods, so r from S(0)=1 to S(8) = .3^(1/8)
    tail = value.clv_by_group(five, group="g", margin="fee", discount_rate=0.01)
    r = 0.3 ** (1 / 8)
    assert tail.loc["x", "retention_end"] == pytest.approx(r)
    assert tail.loc["x", "clv_tail"] == pytest.approx(0.3 / 1.01**8 * 10 * r / (1.01 - r))


def test_telco_clv_by_contract():
    """Telco (IBM sample): Kaplan-Meier S(72) by contract is 0.1290 / 0.5681 / 0.9357
    (DESIGN.md); value grows with the contract length."""
    telco = datasets.load("telco_churn").assign(churned=lambda d: (d["churn"] == "Yes").astype(int))
    out = value.clv_by_group(telco, group="contract", discount_rate=value.monthly_rate(0.10))
    assert out["survival_end"].round(4).tolist() == [0.129, 0.5681, 0.9357]
    assert out["clv"].is_monotonic_increasing
    assert out.loc["Two year", "clv"] > 2.5 * out.loc["Month-to-month", "clv"]


def test_profit_claims_by_hand():
    # profits 50, 20, 5, -5, -20 (total 50); revenue 100, 60, 30, 10, 0 (total 200)
    # unprofitable: 2 of 5 = .4; among buyers (revenue > 0): 1 of 4 = .25
    # top 20% = 1 customer: profit 50/50 = 1.0, revenue 100/200 = .5
    # whale peak: (50 + 20 + 5) / 50 = 1.5 with 3 of 5 customers
    t = pd.DataFrame({"revenue": [100.0, 60, 30, 10, 0], "profit": [50.0, 20, 5, -5, -20]})
    got = value.profit_claims(t)
    assert got["unprofitable_share"] == 0.4 and got["unprofitable_share_buyers"] == 0.25
    assert got["top_profit_share"] == 1.0 and got["top_revenue_share"] == 0.5
    assert got["whale_peak"] == 1.5 and got["whale_peak_customers"] == 0.6


def test_course_claims_on_the_company():
    """The course: "about 50% of customers bring no profit" (001) and 80/20 (000, 003, 004).
    On the synthetic company far fewer are unprofitable; profit is more concentrated than
    revenue, and the top 20% hold more than 80% of it."""
    c = datasets.load_company()
    profit = segment.customer_profit(
        c["orders"],
        c["products"],
        c["costs"],
        incidents=c["incidents"],
        contacts=c["contacts"],
        customers=c["customers"],
        churn=c["churn"],
    )
    claims = value.profit_claims(profit)
    assert 0.10 < claims["unprofitable_share"] < 0.25  # not 50%
    assert claims["unprofitable_share_buyers"] < claims["unprofitable_share"]
    assert claims["top_profit_share"] > 0.8
    assert claims["top_profit_share"] > claims["top_revenue_share"]
    curve = segment.whale_curve(profit["profit"])
    assert curve["profit_share"].max() == pytest.approx(claims["whale_peak"])


def test_clv_bgnbd_one_period_equals_product():
    # one period of 39 weeks, d ~ 0: clv = E[Y(39)] x E[M] = 1.2259 x 30.938 = 37.93
    gg = GammaGammaResult(6.25, 3.74, 15.44, 0.0, 946, True)
    one = pd.DataFrame(
        {"frequency": [2], "recency": [30.43], "T": [38.86], "monetary_value": [30.0]}
    )
    out = value.clv_bgnbd(one, PAPER, gg, periods=1, period_length=39, discount_rate=1e-12)
    assert out.loc[0, "clv"] == pytest.approx(
        float(PAPER.expected_purchases(39, 2, 30.43, 38.86)) * 471.5 / 15.24
    )
    # splitting into 3 periods of 13 weeks without discounting gives the same total
    three = value.clv_bgnbd(one, PAPER, gg, periods=3, period_length=13, discount_rate=1e-12)
    assert three.loc[0, "clv"] == pytest.approx(out.loc[0, "clv"])


def test_true_clv_by_hand():
    # 12 orders a year of 100 -> 1 a month; dropout 1%; 2 months; d ~ 0:
    #   100 x (0.99 + 0.99^2) = 100 x 1.9701 = 197.01; churned before as_of -> 0
    truth = pd.DataFrame(
        {
            "customer_id": ["A", "B"],
            "purchase_rate": [12.0, 12.0],
            "mean_order_value": [100.0, 100.0],
            "monthly_dropout": [0.01, 0.0],
            "churn_date": pd.to_datetime([None, "2023-06-01"]),
        }
    )
    out = value.true_clv(truth, as_of="2024-01-01", periods=2, discount_rate=1e-12)
    assert out["clv"].round(2).tolist() == [197.01, 0.0]
    assert out["alive"].tolist() == [True, False]


def test_value_pyramid_moves():
    # 4 customers, one per tier: past a > b > c > d, predicted b > d > c > a
    past = pd.Series([90.0, 50, 20, 5], index=list("abcd"))
    clv = pd.Series([10.0, 60, 30, 40], index=list("abcd"))
    pyr = value.value_pyramid(past, clv, tier_cutoffs=(0.25, 0.5, 0.75))
    assert pyr["move"].to_dict() == {"a": "down", "b": "up", "c": "same", "d": "up"}
    moves = value.pyramid_moves(pyr)
    assert moves.loc["VIP", "small"] == 1 and moves.to_numpy().sum() == 4


@pytest.mark.parametrize("rate", [0, 1, -0.1, 1.5, float("nan")])
def test_discount_rate_outside_open_unit_interval(rate):
    with pytest.raises(ValueError, match="discount_rate"):
        value.clv_contractual(100, [0.9], rate)
    with pytest.raises(ValueError, match="discount_rate"):
        value.clv_constant_retention(100, 0.8, rate)


@pytest.mark.parametrize("retention", [-0.1, 1.0, 1.2])
def test_retention_outside_unit_interval(retention):
    with pytest.raises(ValueError, match="retention"):
        value.clv_constant_retention(100, retention, 0.1)


def test_negative_margin():
    with pytest.raises(ValueError, match="margin"):
        value.clv_contractual(-5, [0.9, 0.8], 0.1)
    with pytest.raises(ValueError, match="margin"):
        value.clv_constant_retention(-5, 0.8, 0.1)
    data = pd.DataFrame({"tenure": [1, 2], "churned": [1, 0], "fee": [10.0, -1.0], "g": ["x", "x"]})
    with pytest.raises(ValueError, match=r"'fee'.*\[1\]"):
        value.clv_by_group(data, group="g", margin="fee")


def test_survival_not_a_curve():
    with pytest.raises(ValueError, match="survival must lie in"):
        value.clv_contractual(100, [0.9, 1.2], 0.1)
    with pytest.raises(ValueError, match="survival must not increase"):
        value.clv_contractual(100, [0.8, 0.9], 0.1)
    with pytest.raises(ValueError, match="margin has 2 periods"):
        value.clv_contractual([1, 2], [0.9, 0.8, 0.7], 0.1)


def test_profit_claims_bad_input():
    with pytest.raises(KeyError, match="profit"):
        value.profit_claims(pd.DataFrame({"revenue": [1.0]}))
    with pytest.raises(ValueError, match="'profit' sums to"):
        value.profit_claims(pd.DataFrame({"revenue": [1.0], "profit": [-1.0]}))


def test_clv_check_by_hand():
    p = pd.DataFrame(
        {
            "tier_predicted": pd.Categorical(["VIP", "small", "small", "small"]),
            "predicted": [100.0, 10.0, 20.0, 30.0],
            "true": [80.0, 30.0, 10.0, 20.0],
            "p_alive": [0.9, 0.5, 0.6, 0.7],
            "alive": [1, 0, 1, 1],
        }
    )
    by_tier, overall = value.clv_check(p)
    # small: predicted mean 20, true mean 20 -> error 0; VIP 100 / 80 - 1 = 0.25
    assert by_tier.loc["VIP", "error"] == pytest.approx(0.25)
    assert by_tier.loc["small", "error"] == pytest.approx(0.0)
    assert by_tier.loc["small", "alive"] == pytest.approx(2 / 3)
    # ranks: predicted 4 1 2 3, true 4 3 1 2; d = 0, -2, 1, 1, sum d^2 = 6;
    # Spearman 1 - 6 x 6 / (4 x 15) = 0.4
    assert overall["spearman"] == pytest.approx(0.4)
    assert overall["total_error"] == pytest.approx(160 / 140 - 1)
    # the truth table's alive flag is boolean: the same shares
    by_bool, _ = value.clv_check(p.assign(alive=p["alive"].astype(bool)))
    assert by_bool.loc["small", "alive"] == pytest.approx(2 / 3)


# --- the quantified evaluation system (量化评估体系) -------------------------------------


def test_evaluation_scores_by_hand():
    # profit 10, 40, 20, 30 -> ranks 1, 4, 2, 3 of 4 -> scores 25, 100, 50, 75;
    # satisfaction 5, -, 3, 3 -> a rank 3 of 3 (100); c and d share ranks 1 and 2 (1.5 / 3
    # = 50); b is not scored on it. Weights 3 and 1: a (3*25 + 100) / 4 = 43.75,
    # c (150 + 50) / 4 = 50, d (225 + 50) / 4 = 68.75, b its profit score alone, 100.
    m = pd.DataFrame(
        {"profit": [10, 40, 20, 30], "satisfaction": [5, np.nan, 3, 3]}, index=list("abcd")
    )
    s = value.evaluation_scores(m, {"profit": 3, "satisfaction": 1})
    assert s["profit_score"].tolist() == [25.0, 100.0, 50.0, 75.0]
    assert s["satisfaction_score"].fillna(-1).tolist() == [100.0, -1, 50.0, 50.0]
    assert s["score"].tolist() == pytest.approx([43.75, 100.0, 50.0, 68.75])
    assert s["n_scored"].tolist() == [2, 1, 2, 2]
    assert s["rank"].tolist() == [4, 1, 3, 2]


def test_evaluation_scores_equal_weights_and_unmeasured_customer():
    # equal weights: x scores 50, 100 (ranks 1, 2 of 2); y 100, 50 -> totals 75, 75, tied
    # at rank 1; z measured on nothing keeps its row with no score
    m = pd.DataFrame({"x": [1.0, 2.0, np.nan], "y": [9.0, 8.0, np.nan]}, index=["p", "q", "z"])
    s = value.evaluation_scores(m)
    assert s.loc[["p", "q"], "score"].tolist() == [75.0, 75.0]
    assert s.loc[["p", "q"], "rank"].tolist() == [1, 1]
    assert s.loc["z", "n_scored"] == 0 and np.isnan(s.loc["z", "score"])
    assert pd.isna(s.loc["z", "rank"])


def test_evaluation_scores_zero_weight_leaves_a_dimension_out():
    # weight 0 on y: the total is the x score alone (50, 100)
    m = pd.DataFrame({"x": [1.0, 2.0], "y": [9.0, 8.0]})
    s = value.evaluation_scores(m, {"x": 1})
    assert s["score"].tolist() == [50.0, 100.0]
    assert s["n_scored"].tolist() == [1, 1]


@pytest.mark.parametrize(
    ("measures", "weights", "error", "match"),
    [
        (pd.DataFrame({"x": [1.0]}), {"y": 1}, KeyError, "'y'"),
        (pd.DataFrame({"x": [1.0]}), {"x": -1}, ValueError, "non-negative"),
        (pd.DataFrame({"x": [1.0]}), {"x": 0}, ValueError, "all weights are 0"),
        (pd.DataFrame({"x": [np.nan, np.nan]}), None, ValueError, "'x'.*no value"),
        (pd.DataFrame({"x": ["a", "b"]}), None, ValueError, "x"),
        (pd.DataFrame({"x": []}), None, ValueError, "measures"),
    ],
)
def test_evaluation_scores_rejects_bad_input(measures, weights, error, match):
    with pytest.raises(error, match=match):
        value.evaluation_scores(measures, weights)
