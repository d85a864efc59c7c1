"""Tests of crmlab.investment (chapter 05, what to spend to win and keep customers):
hand-worked values and a brute-force grid as a second method."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import investment


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


def test_max_acquisition_cost():
    out = investment.max_acquisition_cost(
        pd.Series([100.0, 300, 50, 70]), pd.Series(["web", "web", "fair", "fair"])
    )
    assert out["max_cost"].to_dict() == {"fair": 60.0, "web": 200.0}


def test_channel_economics_by_hand():
    clv, orders, products, customers = _channel_case()
    out = investment.channel_economics(clv, orders, products, customers)
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
        investment.channel_economics(clv, orders, products, customers, referral="friends")
    with pytest.raises(ValueError, match="clv must be a pandas Series"):
        investment.channel_economics(clv.to_numpy(), orders, products, customers)
    with pytest.raises(ValueError, match="missing from customers: \\['z'\\]"):
        investment.channel_economics(
            pd.concat([clv, pd.Series({"z": 1.0})]), orders, products, customers
        )


def test_retention_response_by_hand():
    # 0.5 x (1 - e^-1) x 250 = 0.5 x 0.6321206 x 250 = 79.01507
    assert float(investment.retention_response(100, 250, s_max=0.5, k=100)) == pytest.approx(
        79.01507, abs=1e-5
    )
    assert float(investment.retention_response(0, 250)) == 0.0


def test_allocation_two_classes_by_hand():
    # value at risk a = 0.5 x 1000 = 500 and 0.4 x 500 = 200; s_max 0.5, k 100, budget 200.
    # Equal marginal returns 0.5 a / 100 x exp(-B / 100): B_A - B_B = 100 ln(500/200)
    #   = 91.629; B_A + B_B = 200 -> B_A = 145.815, B_B = 54.185.
    # saved: 0.5 x 500 x (1 - e^-1.45815) = 250 x 0.767336 = 191.834;
    #        0.5 x 200 x (1 - e^-0.54185) = 100 x 0.418332 = 41.833; total 233.667
    out = investment.allocate_retention_budget(TWO, 200, s_max=0.5, k=100)
    assert out.loc["A", "budget"] == pytest.approx(145.8145, abs=1e-3)
    assert out.loc["B", "budget"] == pytest.approx(54.1855, abs=1e-3)
    assert out.loc["A", "saved"] == pytest.approx(191.834, abs=1e-3)
    assert out.loc["B", "saved"] == pytest.approx(41.833, abs=1e-3)
    assert out.loc["total", "budget"] == pytest.approx(200)
    # evenly: 100 each: 250 (1 - e^-1) + 100 (1 - e^-1) = 350 x 0.632121 = 221.242
    assert out.loc["total", "even_saved"] == pytest.approx(221.242, abs=1e-3)


def test_allocation_small_budget_funds_one_class():
    # budget 50 < 100 ln(500/200) = 91.6: all to A; saved 250 (1 - e^-0.5) = 98.367
    out = investment.allocate_retention_budget(TWO, 50, s_max=0.5, k=100)
    assert out.loc["A", "budget"] == pytest.approx(50)
    assert out.loc["B", "budget"] == 0.0
    assert out.loc["total", "saved"] == pytest.approx(98.367, abs=1e-3)
    # budget 0: nothing spent, nothing saved
    zero = investment.allocate_retention_budget(TWO, 0, s_max=0.5, k=100)
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
    out = investment.allocate_retention_budget(classes, budget, s_max=s_max, k=k)
    assert out.loc["total", "saved"] >= best - 1e-9
    assert out.loc["total", "saved"] == pytest.approx(best, rel=1e-3)
    assert out.loc["total", "saved"] >= out.loc["total", "even_saved"]
    assert out.loc["total", "budget"] == pytest.approx(budget)


def test_allocation_bad_input():
    with pytest.raises(ValueError, match="budget"):
        investment.allocate_retention_budget(TWO, -1)
    with pytest.raises(ValueError, match="s_max"):
        investment.allocate_retention_budget(TWO, 100, s_max=0)
    with pytest.raises(ValueError, match="k must"):
        investment.allocate_retention_budget(TWO, 100, k=0)
    with pytest.raises(ValueError, match="'p_churn'.*\\['B'\\]"):
        investment.allocate_retention_budget(TWO.assign(p_churn=[0.5, 1.5]), 100)
    with pytest.raises(ValueError, match="'clv'.*\\['A'\\]"):
        investment.allocate_retention_budget(TWO.assign(clv=[-1.0, 500.0]), 100)
    with pytest.raises(ValueError, match="'n_customers' counts no customers"):
        investment.allocate_retention_budget(TWO.assign(n_customers=[0, 0]), 100)
