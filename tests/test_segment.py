"""Tests of crmlab.segment (chapter 02): concentration, profit, RFM. Expected values are
worked out by hand in comments, or checked against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import segment


@pytest.fixture
def orders():
    """Three customers; A returns part of an order (a negative line marked as a return)."""
    return pd.DataFrame(
        {
            "customer_id": ["A", "A", "B", "A", "C", "C", "C"],
            "order_date": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-03-01",
                    "2024-02-01",
                    "2024-03-10",
                    "2024-03-30",
                    "2024-03-30",
                    "2023-12-01",
                ]
            ),
            "product_line": ["x"] * 7,
            "quantity": [10, 5, 8, -3, 1, 1, 2],
            "amount": [100.0, 50.0, 80.0, -30.0, 10.0, 10.0, 20.0],
            "is_return": [False, False, False, True, False, False, False],
        }
    )


def test_gini_hand_worked():
    # sorted x = 1,2,3,4,10; sum(i*x) = 1+4+9+16+50 = 80; 2*80/(5*20) - 6/5 = 0.4
    assert segment.gini([10, 1, 4, 2, 3]) == pytest.approx(0.4)


def test_gini_equals_mean_absolute_difference():
    # second method: G = sum_ij |xi - xj| / (2 n^2 mean)
    x = np.random.default_rng(1).lognormal(0, 1, 200)
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())
    assert segment.gini(x) == pytest.approx(mad, rel=1e-12)


def test_gini_extremes():
    assert segment.gini([5, 5, 5, 5]) == pytest.approx(0.0)
    # one of n holds everything: G = (n - 1) / n = 0.75 for n = 4
    assert segment.gini([0, 0, 0, 7]) == pytest.approx(0.75)


def test_top_share_hand_worked():
    # ceil(0.2 * 5) = 1 customer, 10 of 20
    assert segment.top_share([1, 2, 3, 4, 10]) == pytest.approx(0.5)
    # ceil(0.2 * 10) = 2 customers: (10 + 9) / 55
    assert segment.top_share(range(1, 11), 0.2) == pytest.approx(19 / 55)
    # ceil(0.25 * 10) = 3: (10 + 9 + 8) / 55
    assert segment.top_share(pd.Series(range(1, 11)), 0.25) == pytest.approx(27 / 55)
    assert segment.top_share([3, 1], 1.0) == pytest.approx(1.0)


def test_lorenz_curve_hand_worked():
    curve = segment.lorenz_curve([3, 1])
    assert curve["customer_share"].tolist() == [0.0, 0.5, 1.0]
    assert curve["value_share"].tolist() == [0.0, 0.25, 1.0]


def test_gini_is_twice_area_between_diagonal_and_step_lorenz():
    x = np.random.default_rng(2).gamma(0.5, 1, 300)
    curve = segment.lorenz_curve(x)
    # area under the step Lorenz curve (trapezoids over n equal-width steps)
    y = curve["value_share"].to_numpy()
    area = np.sum((y[1:] + y[:-1]) / 2) / x.size
    assert segment.gini(x) == pytest.approx(1 - 2 * area, rel=1e-12)


def test_cdnow_published_figures():
    """DESIGN.md: CDNOW master, top 20% of customers 67.78% of revenue, Gini 0.6346."""
    from crmlab import datasets, economics

    spend = economics.customer_revenue(datasets.load("cdnow_master"))
    assert segment.top_share(spend, 0.2) == pytest.approx(0.6778, abs=5e-5)
    assert segment.gini(spend) == pytest.approx(0.6346, abs=5e-5)


@pytest.mark.parametrize("func", [segment.gini, segment.lorenz_curve, segment.top_share])
def test_negative_values_are_named(func):
    with pytest.raises(ValueError, match=r"negative values at positions \[1\]"):
        func([1.0, -2.0, 3.0])


@pytest.mark.parametrize(
    "bad, match",
    [
        ([], "empty"),
        ([1, np.nan], "missing or infinite values at \\[1\\]"),
        (["a", "b"], "numeric"),
        ([0, 0], "sum to zero"),
        ([[1, 2]], "one-dimensional"),
    ],
)
def test_bad_values(bad, match):
    with pytest.raises(ValueError, match=match):
        segment.gini(bad)


def test_bad_fraction():
    with pytest.raises(ValueError, match="fraction"):
        segment.top_share([1, 2], 0)
    with pytest.raises(ValueError, match="fraction"):
        segment.top_share([1, 2], 1.5)


def test_rfm_table_hand_worked(orders):
    # as_of 2024-03-31. A: last purchase 03-01 -> 30 days; 2 purchase lines (the return
    # does not count); 100 + 50 - 30 = 120. B: 02-01 -> 59 days, 1 line, 80.
    # C: 03-30 -> 1 day; 3 lines (two on one day count twice); 10 + 10 + 20 = 40.
    rfm = segment.rfm_table(orders, as_of="2024-03-31")
    assert rfm["days_since_last"].to_dict() == {"A": 30, "B": 59, "C": 1}
    assert rfm["n_orders"].to_dict() == {"A": 2, "B": 1, "C": 3}
    assert rfm["revenue"].to_dict() == {"A": 120.0, "B": 80.0, "C": 40.0}


def test_rfm_table_since_window(orders):
    # since 2024-01-01 drops C's 2023 line: C has 2 lines, 20 yuan
    rfm = segment.rfm_table(orders, as_of="2024-03-31", start="2024-01-01")
    assert rfm.loc["C", ["n_orders", "revenue"]].tolist() == [2, 20.0]


def test_rfm_table_equals_plain_groupby():
    # second method: plain pandas on the company's orders
    from crmlab import datasets

    o = datasets.load("company_orders")
    as_of = pd.Timestamp("2024-12-31")
    rfm = segment.rfm_table(o, as_of=as_of)
    sales = o[~o["is_return"]]
    g = sales.groupby("customer_id")
    assert (rfm["days_since_last"] == (as_of - g["order_date"].max()).dt.days).all()
    assert (rfm["n_orders"] == g.size()).all()
    net = o.groupby("customer_id")["amount"].sum().loc[rfm.index]
    np.testing.assert_allclose(rfm["revenue"], net)


@pytest.mark.parametrize("ids", ["dense int", "sparse int", "str"])
@pytest.mark.parametrize("since", [None, "2024-02-01"])
def test_rfm_table_equals_plain_groupby_exactly(ids, since):
    # second method: a plain pandas groupby, compared bit for bit (the sums too, of whole
    # cents as crmlab._money defines money). A random
    # table with returns, ties (several lines on one day, equal amounts) and several dates
    # per customer; customer 9 has only a return and is left out. Dense integer ids take
    # the no-hashing path, sparse ones and text ids pd.factorize.
    rng = np.random.default_rng(7)
    n = 5000
    is_return = rng.random(n) < 0.1
    amount = rng.choice(np.round(rng.lognormal(5, 1, 300), 2), n)
    o = pd.DataFrame(
        {
            "customer_id": rng.integers(10, 400, n),
            "order_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n), "D"),
            "amount": np.where(is_return, -amount / 2, amount),
            "is_return": is_return,
        }
    )
    o.loc[len(o)] = [9, pd.Timestamp("2024-02-15"), -5.0, True]
    if ids == "sparse int":
        o["customer_id"] = o["customer_id"] * 1_000_003
    elif ids == "str":
        o["customer_id"] = "C" + o["customer_id"].astype(str)
    as_of = pd.Timestamp("2024-03-31")
    rfm = segment.rfm_table(o, as_of=as_of, start=since)

    lines = o if since is None else o[o["order_date"] >= pd.Timestamp(since)]
    sales = lines[~lines["is_return"]].groupby("customer_id")["order_date"]
    expected = pd.DataFrame({"last_purchase": sales.max()})
    expected.insert(0, "days_since_last", (as_of - expected["last_purchase"]).dt.days)
    expected.insert(1, "n_orders", sales.size())
    # money in whole cents, halves up (half-cent returns here round): sum the cents, / 100
    cents = np.floor(lines["amount"] * 100 + 0.5).astype("int64")
    expected.insert(2, "revenue", cents.groupby(lines["customer_id"]).sum() / 100)
    expected.insert(3, "first_purchase", sales.min())
    assert o["customer_id"].iloc[-1] not in rfm.index
    assert rfm.groupby("last_purchase").size().max() > 1  # ties on the last date
    pd.testing.assert_frame_equal(rfm, expected, check_exact=True)


def test_rfm_scores_ties_hand_worked():
    # 10 distinct values -> ranks 1..10, score = 1 + floor(5 (rank - 1) / 10)
    # = 1,1,2,2,3,3,4,4,5,5
    rfm = pd.DataFrame(
        {
            "days_since_last": range(10, 0, -1),
            "n_orders": range(1, 11),
            "revenue": np.arange(1.0, 11.0),
        }
    )
    s = segment.rfm_scores(rfm)
    assert s["F"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert s["R"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]  # short recency is good
    # ties: frequencies 1,1,1,1,1,1,2,2,3,4 -> rank_min 1 (six times), 7, 7, 9, 10
    # -> 1 + floor(5 * (0, 6, 6, 8, 9) / 10) = 1, 4, 4, 5, 5: equal values, equal score
    tied = rfm.assign(n_orders=[1, 1, 1, 1, 1, 1, 2, 2, 3, 4])
    assert segment.rfm_scores(tied)["F"].tolist() == [1] * 6 + [4, 4, 5, 5]


def test_rfm_segments_cover_grid():
    r, f = np.meshgrid(np.arange(1, 6), np.arange(1, 6))
    scores = pd.DataFrame(
        {"days_since_last": -r.ravel(), "n_orders": f.ravel(), "revenue": f.ravel() * 1.0}
    )
    s = segment.rfm_scores(scores)
    assert s["segment"].notna().all()
    assert s["segment"].value_counts().to_dict() == {
        "champions": 4,
        "loyal": 5,
        "new": 4,
        "at_risk": 6,
        "need_attention": 2,
        "hibernating": 4,
    }


def test_rfm_grid_counts():
    s = pd.DataFrame({"R": [5, 5, 1], "F": [1, 1, 2]})
    grid = segment.rfm_grid(s)
    assert grid.loc[5, 1] == 2 and grid.loc[1, 2] == 1 and grid.index.tolist() == [5, 1]


def test_customer_profit_hand_worked(orders):
    products = pd.DataFrame({"product_line": ["x"], "unit_cost": [6.0]})
    costs = pd.DataFrame(
        {
            "item": ["incident", "incident", "contact", "return", "account"],
            "unit": [
                "severity 1",
                "handled badly (extra)",
                "call",
                "per return line",
                "per active customer-year",
            ],
            "cost": [30.0, 20.0, 4.0, 5.0, 10.0],
        }
    )
    incidents = pd.DataFrame(
        {"customer_id": ["B", "B"], "severity": [1, 1], "handled_well": [True, False]}
    )
    contacts = pd.DataFrame({"customer_id": ["A", "A", "C"], "contact_type": ["call"] * 3})
    p = segment.customer_profit(orders, products, costs, incidents=incidents, contacts=contacts)
    # A: revenue 120, cogs (10 + 5 - 3) * 6 = 72, gross 48; 1 return 5, 2 calls 8,
    #    1 year 10 -> 48 - 23 = 25
    # B: 80 - 48 = 32; incidents 30 + (30 + 20) = 80; 1 year 10 -> 32 - 90 = -58
    # C: 40 - 24 = 16; 1 call 4; 2 years (2023, 2024) 20 -> 16 - 24 = -8
    assert p["profit"].to_dict() == {"A": 25.0, "C": -8.0, "B": -58.0}
    assert p.loc["B", "cost_to_serve"] == 90.0


def test_customer_profit_account_years_from_customers(orders):
    products = pd.DataFrame({"product_line": ["x"], "unit_cost": [6.0]})
    costs = pd.DataFrame(
        {
            "item": ["return", "account"],
            "unit": ["per return line", "per active customer-year"],
            "cost": [0.0, 10.0],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D"],
            "acquisition_date": pd.to_datetime(
                ["2020-01-01", "2024-01-01", "2023-06-01", "2023-01-01"]
            ),
        }
    )
    churn = pd.DataFrame({"customer_id": ["D"], "churn_date": pd.to_datetime(["2023-05-01"])})
    p = segment.customer_profit(orders, products, costs, customers=customers, churn=churn)
    # window 2023-2024: A 2 years, B 1 (acquired 2024), C 2, D 1 (lost in 2023), no orders
    assert p["account_cost"].to_dict() == {"A": 20.0, "B": 10.0, "C": 20.0, "D": 10.0}
    assert p.loc["D", "profit"] == -10.0


def test_whale_curve_hand_worked():
    # sorted 50, 20, -10, -20; total 40: 1.25, 1.75, 1.5, 1.0
    assert segment.whale_curve([-10, 50, -20, 20])["profit_share"].tolist() == [
        0.0,
        1.25,
        1.75,
        1.5,
        1.0,
    ]


def test_bad_empty(orders):
    with pytest.raises(ValueError, match="orders is empty"):
        segment.rfm_table(orders.iloc[:0])


def test_bad_negative_amount_not_a_return(orders):
    orders.loc[2, "amount"] = -80.0
    with pytest.raises(
        ValueError,
        match=r"'amount' has negative values in rows \[2\].*"
        r"not marked as returns in 'is_return'",
    ):
        segment.rfm_table(orders, as_of="2024-03-31")


def test_bad_negative_amount_without_return_column(orders):
    orders.loc[3, "is_return"] = False
    with pytest.raises(ValueError, match=r"'amount' has negative values in rows \[3\]"):
        segment.rfm_table(orders.drop(columns="is_return"), as_of="2024-03-31")


def test_bad_missing_customer_id(orders):
    orders.loc[[1, 4], "customer_id"] = None
    with pytest.raises(ValueError, match=r"'customer_id' has missing values in rows \[1, 4\]"):
        segment.rfm_table(orders, as_of="2024-03-31")


def test_bad_dates_after_as_of(orders):
    with pytest.raises(
        ValueError,
        match=r"'order_date' has dates after as_of=2024-03-15 "
        r"in rows \[4, 5\]",
    ):
        segment.rfm_table(orders, as_of="2024-03-15")


def test_bad_non_numeric_amount(orders):
    orders["amount"] = orders["amount"].astype(object)
    orders.loc[1, "amount"] = "50,0"
    with pytest.raises(ValueError, match=r"'amount' must be numeric.*rows .*\[1\] \['50,0'\]"):
        segment.rfm_table(orders, as_of="2024-03-31")


def test_bad_missing_amount(orders):
    orders.loc[6, "amount"] = np.nan
    with pytest.raises(ValueError, match=r"'amount' has missing or infinite values in rows \[6\]"):
        segment.rfm_table(orders, as_of="2024-03-31")


def test_bad_missing_column(orders):
    with pytest.raises(KeyError, match="order_date"):
        segment.rfm_table(orders.drop(columns="order_date"))


def test_bad_input_reaches_profit(orders):
    orders.loc[0, "amount"] = -1.0
    orders.loc[0, "is_return"] = False
    products = pd.DataFrame({"product_line": ["x"], "unit_cost": [6.0]})
    costs = pd.DataFrame(
        {
            "item": ["return", "account"],
            "unit": ["per return line", "per active customer-year"],
            "cost": [0.0, 0.0],
        }
    )
    with pytest.raises(ValueError, match=r"rows \[0\]"):
        segment.customer_profit(orders, products, costs)
