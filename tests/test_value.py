"""Tests of crmlab.value (chapter 05, customer lifetime value). Hand-worked values carry
their arithmetic in a comment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import datasets, segment, value
from crmlab.btyd import BGNBDResult, GammaGammaResult

PAPER = BGNBDResult(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, True)


def _channel_case():
    clv = pd.Series([300.0, 100, 50, 40], index=["a", "b", "c", "d"])
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "channel": ["referral", "online", "online", "referral"],
            "acquisition_date": pd.to_datetime(
                ["2022-01-10", "2022-01-20", "2022-02-01", "2022-03-01"]
            ),
        }
    )
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "b", "d"],
            "order_date": pd.to_datetime(["2022-02-01", "2022-03-01", "2022-04-01"]),
            "product_line": "x",
            "quantity": [10, 10, 5],
            "amount": [150.0, 120.0, 80.0],
        }
    )
    products = pd.DataFrame({"product_line": ["x"], "unit_cost": [10.0]})
    return clv, orders, products, customers


TWO = pd.DataFrame(
    {"n_customers": [1, 1], "clv": [1000.0, 500.0], "p_churn": [0.5, 0.4]}, index=["A", "B"]
)


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


def test_max_acquisition_cost():
    out = value.max_acquisition_cost(
        pd.Series([100.0, 300, 50, 70]), pd.Series(["web", "web", "fair", "fair"])
    )
    assert out["max_cost"].to_dict() == {"fair": 60.0, "web": 200.0}


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


def test_channel_economics_by_hand():
    clv, orders, products, customers = _channel_case()
    out = value.channel_economics(clv, orders, products, customers)
    # max cost = mean CLV: referral (300 + 40) / 2 = 170, online (100 + 50) / 2 = 75
    assert out["max_cost"].to_dict() == {"referral": 170.0, "online": 75.0}
    # first-year gross profit: referral a 150 - 10 x 10 = 50, d 80 - 5 x 10 = 30, mean 40;
    # online b 120 - 100 = 20, c no order 0, mean 10
    assert out["first_gross_profit"].to_dict() == {"referral": 40.0, "online": 10.0}
    # online 75 - 170 = -95
    assert out.loc["online", "vs_referral"] == -95.0
    assert out.loc["online", "share_buying"] == 0.5


def test_channel_economics_bad_input():
    clv, orders, products, customers = _channel_case()
    with pytest.raises(ValueError, match="referral='friends'"):
        value.channel_economics(clv, orders, products, customers, referral="friends")
    with pytest.raises(ValueError, match="clv must be a pandas Series"):
        value.channel_economics(clv.to_numpy(), orders, products, customers)
    with pytest.raises(ValueError, match="missing from customers: \\['z'\\]"):
        value.channel_economics(
            pd.concat([clv, pd.Series({"z": 1.0})]), orders, products, customers
        )


def test_retention_response_by_hand():
    # 0.5 x (1 - e^-1) x 250 = 0.5 x 0.6321206 x 250 = 79.01507
    assert float(value.retention_response(100, 250, s_max=0.5, k=100)) == pytest.approx(
        79.01507, abs=1e-5
    )
    assert float(value.retention_response(0, 250)) == 0.0


def test_allocation_two_classes_by_hand():
    # value at risk a = 0.5 x 1000 = 500 and 0.4 x 500 = 200; s_max 0.5, k 100, budget 200.
    # Equal marginal returns 0.5 a / 100 x exp(-B / 100): B_A - B_B = 100 ln(500/200)
    #   = 91.629; B_A + B_B = 200 -> B_A = 145.815, B_B = 54.185.
    # saved: 0.5 x 500 x (1 - e^-1.45815) = 250 x 0.767336 = 191.834;
    #        0.5 x 200 x (1 - e^-0.54185) = 100 x 0.418332 = 41.833; total 233.667
    out = value.allocate_retention_budget(TWO, 200, s_max=0.5, k=100)
    assert out.loc["A", "budget"] == pytest.approx(145.8145, abs=1e-3)
    assert out.loc["B", "budget"] == pytest.approx(54.1855, abs=1e-3)
    assert out.loc["A", "saved"] == pytest.approx(191.834, abs=1e-3)
    assert out.loc["B", "saved"] == pytest.approx(41.833, abs=1e-3)
    assert out.loc["total", "budget"] == pytest.approx(200)
    # evenly: 100 each: 250 (1 - e^-1) + 100 (1 - e^-1) = 350 x 0.632121 = 221.242
    assert out.loc["total", "even_saved"] == pytest.approx(221.242, abs=1e-3)


def test_allocation_small_budget_funds_one_class():
    # budget 50 < 100 ln(500/200) = 91.6: all to A; saved 250 (1 - e^-0.5) = 98.367
    out = value.allocate_retention_budget(TWO, 50, s_max=0.5, k=100)
    assert out.loc["A", "budget"] == pytest.approx(50)
    assert out.loc["B", "budget"] == 0.0
    assert out.loc["total", "saved"] == pytest.approx(98.367, abs=1e-3)
    # budget 0: nothing spent, nothing saved
    zero = value.allocate_retention_budget(TWO, 0, s_max=0.5, k=100)
    assert zero.loc["total", ["budget", "saved", "even_saved"]].tolist() == [0.0, 0.0, 0.0]


def test_allocation_against_brute_force_grid():
    # second method: every split of the budget on a grid of 1-unit steps over three classes
    classes = pd.DataFrame(
        {"n_customers": [2, 5, 10], "clv": [900.0, 300.0, 80.0], "p_churn": [0.2, 0.5, 0.6]},
        index=["strategic", "major", "risk"],
    )
    budget, s_max, k = 120, 0.4, 15.0
    a = (classes["clv"] * classes["p_churn"]).to_numpy()
    n = classes["n_customers"].to_numpy(float)
    b1, b2 = np.meshgrid(np.arange(budget + 1.0), np.arange(budget + 1.0), indexing="ij")
    b3 = budget - b1 - b2
    ok = b3 >= 0
    saved = sum(
        n[i] * s_max * -np.expm1(-b / n[i] / k) * a[i]
        for i, b in enumerate((b1, b2, np.where(ok, b3, 0.0)))
    )
    best = np.where(ok, saved, -np.inf).max()
    out = value.allocate_retention_budget(classes, budget, s_max=s_max, k=k)
    assert out.loc["total", "saved"] >= best - 1e-9
    assert out.loc["total", "saved"] == pytest.approx(best, rel=1e-3)
    assert out.loc["total", "saved"] >= out.loc["total", "even_saved"]
    assert out.loc["total", "budget"] == pytest.approx(budget)


def test_allocation_bad_input():
    with pytest.raises(ValueError, match="budget"):
        value.allocate_retention_budget(TWO, -1)
    with pytest.raises(ValueError, match="s_max"):
        value.allocate_retention_budget(TWO, 100, s_max=0)
    with pytest.raises(ValueError, match="k must"):
        value.allocate_retention_budget(TWO, 100, k=0)
    with pytest.raises(ValueError, match="'p_churn'.*\\['B'\\]"):
        value.allocate_retention_budget(TWO.assign(p_churn=[0.5, 1.5]), 100)
    with pytest.raises(ValueError, match="'clv'.*\\['A'\\]"):
        value.allocate_retention_budget(TWO.assign(clv=[-1.0, 500.0]), 100)
    with pytest.raises(ValueError, match="'n_customers' counts no customers"):
        value.allocate_retention_budget(TWO.assign(n_customers=[0, 0]), 100)
