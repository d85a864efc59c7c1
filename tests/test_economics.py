"""Chapter 00 economics. Each expected value is worked out by hand in a comment."""

import numpy as np
import pandas as pd
import pytest

from crmlab import datasets, economics


@pytest.fixture
def orders():
    return pd.DataFrame(
        {
            "customer_id": ["A", "A", "B", "C", "A"],
            "order_date": pd.to_datetime(
                ["2022-01-10", "2022-06-01", "2022-03-01", "2023-05-01", "2023-02-01"]
            ),
            "product_line": ["x", "y", "x", "y", "x"],
            "quantity": [10, 2, 5, 1, -2],
            "amount": [100.0, 50.0, 60.0, 30.0, -20.0],
        }
    )


def test_customer_revenue_nets_returns(orders):
    # A: 100 + 50 - 20 = 130; B: 60; C: 30
    revenue = economics.customer_revenue(orders)
    assert revenue.to_dict() == {"A": 130.0, "B": 60.0, "C": 30.0}
    assert revenue.name == "revenue"


def test_customer_gross_profit(orders):
    products = pd.DataFrame({"product_line": ["x", "y"], "unit_cost": [6.0, 20.0]})
    # A: 130 - (10*6 + 2*20 - 2*6) = 130 - 88 = 42; B: 60 - 30 = 30; C: 30 - 20 = 10
    profit = economics.customer_gross_profit(orders, products)
    assert profit.to_dict() == {"A": 42.0, "B": 30.0, "C": 10.0}


def test_customer_gross_profit_unknown_line(orders):
    products = pd.DataFrame({"product_line": ["x"], "unit_cost": [6.0]})
    with pytest.raises(KeyError, match=r"\['y'\]"):
        economics.customer_gross_profit(orders, products)


def test_customer_revenue_bad_input(orders):
    with pytest.raises(KeyError, match="revenue_cny"):
        economics.customer_revenue(orders, amount="revenue_cny")
    with pytest.raises(ValueError, match="empty"):
        economics.customer_revenue(orders.iloc[:0])
    bad = orders.assign(amount=orders["amount"].astype(str))
    with pytest.raises(ValueError, match="'amount' must be numeric"):
        economics.customer_revenue(bad)
    missing = orders.copy()
    missing.loc[3, "customer_id"] = None
    with pytest.raises(ValueError, match=r"'customer_id' has missing values in rows \[3\]"):
        economics.customer_revenue(missing)


def test_leaky_bucket_hand_worked():
    # 1,000 customers x 20 = 20,000 a week; leaky pays 10 x 5 x 50 = 2,500, retain 10 x 50 = 500
    frame = economics.leaky_bucket(
        weeks=3,
        n_customers=1000,
        lost_per_week=10,
        margin_per_week=20,
        retention_cost=50,
        acquisition_ratio=5,
    )
    assert frame["profit_leaky"].tolist() == [17_500.0] * 3
    assert frame["profit_retain"].tolist() == [19_500.0] * 3
    assert frame["cum_profit_retain"].iloc[-1] - frame["cum_profit_leaky"].iloc[-1] == 6_000.0


def test_leaky_bucket_bad_input():
    with pytest.raises(ValueError, match="lost_per_week"):
        economics.leaky_bucket(n_customers=10, lost_per_week=11)
    with pytest.raises(ValueError, match="acquisition_ratio"):
        economics.leaky_bucket(acquisition_ratio=0)
    with pytest.raises(ValueError, match="weeks"):
        economics.leaky_bucket(weeks=2.5)


def test_retained_value_closed_form_matches_sum():
    # m r / (1 + d - r) = 100 * 0.8 / 0.3 = 266.67; second method: the discounted series
    t = np.arange(1, 2000)
    series = np.sum(100 * 0.8**t / 1.1**t)
    assert economics.retained_value(100, 0.8, 0.1) == pytest.approx(800 / 3)
    assert economics.retained_value(100, 0.8, 0.1) == pytest.approx(series)


def test_retention_uplift_hand_worked():
    # (0.85 / 0.25) / (0.8 / 0.3) - 1 = 3.4 / 2.6667 - 1 = 0.275
    assert economics.retention_uplift(0.80, 0.10) == pytest.approx(0.275)
    # from 0.9: (0.95 / 0.15) / (0.9 / 0.2) - 1 = 6.3333 / 4.5 - 1 = 0.4074
    assert economics.retention_uplift(0.90, 0.10) == pytest.approx(0.40741, abs=1e-5)


def test_retention_uplift_bad_input():
    with pytest.raises(ValueError, match="below 1"):
        economics.retention_uplift(0.97)
    with pytest.raises(ValueError, match="retention"):
        economics.retention_uplift(1.2)
    with pytest.raises(ValueError, match="discount_rate"):
        economics.retention_uplift(0.5, -0.1)


def test_word_of_mouth():
    # 10 satisfied x 8 = 80 potential, x 1 = 10 closed; 2 dissatisfied x 25 = 50
    result = economics.word_of_mouth(10, 2)
    assert result.to_dict() == {
        "potential_deals": 80.0,
        "closed_deals": 10.0,
        "people_put_off": 50.0,
    }
    with pytest.raises(ValueError, match="satisfied"):
        economics.word_of_mouth(-1, 0)
    with pytest.raises(ValueError, match="deals_per_satisfied"):
        economics.word_of_mouth(1, 0, leads_per_satisfied=1, deals_per_satisfied=2)


def test_retained_after():
    # 0.5 ** (1/5) = 0.870551; to the fifth power gives back 0.5
    assert economics.retained_after(0.5**0.2, 5) == pytest.approx(0.5)
    assert economics.retained_after(0.9, 2) == pytest.approx(0.81)
    with pytest.raises(ValueError, match="annual_retention"):
        economics.retained_after(1.5)


def test_revenue_by_tenure_hand_worked():
    orders = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A", "B", "B", "C"],
            "order_date": pd.to_datetime(
                ["2022-01-05", "2022-12-01", "2023-03-01", "2022-06-01", "2023-07-01", "2024-12-31"]
            ),
            "amount": [10.0, 20.0, 40.0, 5.0, 7.0, 1.0],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "acquisition_date": pd.to_datetime(["2022-01-01", "2022-05-01", "2024-12-01"]),
        }
    )
    # end = 2024-12-31. A: year 1 = 10 + 20, year 2 = 40; B: year 1 = 5, year 2 = 7 (from
    # 2023-05-01, ends 2024-04-30 <= end); C: year 1 ends 2025-12-01 > end, left out
    out = economics.revenue_by_tenure(orders, customers)
    assert out["n_customers"].to_dict() == {1: 2, 2: 2}
    assert out["revenue"].to_dict() == {1: 35.0, 2: 47.0}
    assert out["revenue_per_customer"].to_dict() == {1: 17.5, 2: 23.5}


def test_revenue_by_tenure_bad_input():
    orders = pd.DataFrame(
        {
            "customer_id": ["A", "Z"],
            "order_date": pd.to_datetime(["2022-01-05", "2022-02-01"]),
            "amount": [1.0, 2.0],
        }
    )
    customers = pd.DataFrame(
        {"customer_id": ["A"], "acquisition_date": pd.to_datetime(["2022-01-01"])}
    )
    with pytest.raises(KeyError, match="Z"):
        economics.revenue_by_tenure(orders, customers)
    early = pd.DataFrame(
        {"customer_id": ["A"], "order_date": pd.to_datetime(["2021-01-01"]), "amount": [1.0]}
    )
    with pytest.raises(ValueError, match=r"before .* rows \[0\]"):
        economics.revenue_by_tenure(early, customers)


def test_cost_of_goods_by_hand_and_bad_input():
    o = pd.DataFrame({"product_line": ["x", "y", "x"], "quantity": [10, 2, -1]})
    p = pd.DataFrame({"product_line": ["x", "y"], "unit_cost": [6.0, 30.0]})
    # 10 x 6 = 60; 2 x 30 = 60; a return of 1 x gives back 6
    assert economics.cost_of_goods(o, p).tolist() == [60.0, 60.0, -6.0]
    with pytest.raises(KeyError, match=r"product lines \['z'\] of orders have no 'unit_cost'"):
        economics.cost_of_goods(o.assign(product_line=["x", "y", "z"]), p)
    with pytest.raises(KeyError, match="quantity"):
        economics.cost_of_goods(o.drop(columns="quantity"), p)
    with pytest.raises(ValueError, match="'quantity' must be numeric"):
        economics.cost_of_goods(o.assign(quantity=["1", "two", "3"]), p)


def _dated_orders():
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "a", "c"],
            "amount": [100.0, 40.0, 80.0, -30.0, 5.0],
            "order_date": pd.to_datetime(
                ["2022-12-31", "2023-06-01", "2023-12-31T18:30", "2024-01-01", "2024-05-05"],
                format="ISO8601",
            ),
        }
    )


def test_customer_revenue_over_a_period_counts_whole_days():
    o = _dated_orders()
    # 2023: a 40 (1 June); b 80 (31 December, evening: the end day counts whole)
    assert economics.customer_revenue(o, start="2023-01-01", end="2023-12-31").to_dict() == {
        "b": 80.0,
        "a": 40.0,
    }
    # open start, to the end of 2023: a 100 + 40 = 140, b 80
    assert economics.customer_revenue(o, end="2023-12-31").to_dict() == {"a": 140.0, "b": 80.0}
    # from 2024 on: a -30 (a return), c 5
    assert economics.customer_revenue(o, start="2024-01-01").to_dict() == {"c": 5.0, "a": -30.0}
    with pytest.raises(ValueError, match="after end"):
        economics.customer_revenue(o, start="2024-01-01", end="2023-01-01")
    bad = o.assign(order_date=o["order_date"].astype(object))
    bad.loc[2, "order_date"] = None
    with pytest.raises(ValueError, match=r"order_date.*rows \[2\]"):
        economics.customer_revenue(bad, end="2023-12-31")


def test_revenue_by_year_by_hand():
    t = economics.revenue_by_year(_dated_orders())
    # a: 100 (2022), 40 (2023), -30 (2024); b: 80 (2023); c: 5 (2024)
    assert list(t.columns) == [2022, 2023, 2024]
    assert t.loc["a"].tolist() == [100.0, 40.0, -30.0]
    assert t.loc["b"].tolist() == [0.0, 80.0, 0.0]
    assert t.loc["c"].tolist() == [0.0, 0.0, 5.0]


@pytest.fixture(scope="module")
def company():
    return datasets.load_company()


def test_period_revenue_matches_the_year_table_on_the_company(company):
    # two ways to the 2024 revenue of each customer: a period sum and the year table
    orders = company["orders"]
    period = economics.customer_revenue(orders, start="2024-01-01", end="2024-12-31")
    table = economics.revenue_by_year(orders)[2024]
    pd.testing.assert_series_equal(
        period.sort_index(), table[table.index.isin(period.index)].sort_index(), check_names=False
    )


def test_leaky_bucket_scenarios_cost_of_leak_by_hand():
    # 2 weeks, 100 customers at 30 a week, 4 lost a week, keeping costs 10:
    # leak per week 4 x 10 x (ratio - 1): 160 at ratio 5, 360 at ratio 10
    weekly, summary = economics.leaky_bucket_scenarios(
        (5, 10), weeks=2, n_customers=100, lost_per_week=4, margin_per_week=30, retention_cost=10
    )
    assert weekly["cost_of_leak"].tolist() == [160.0, 320.0, 360.0, 720.0]
    assert summary.index.tolist() == [5, 10]
    # ratio 5, after 2 weeks: retain 2 x (3,000 - 40) = 5,920; leaky 2 x (3,000 - 200) = 5,600
    assert summary.loc[5].tolist() == [5600.0, 5920.0, 320.0]
    with pytest.raises(ValueError, match="ratios is empty"):
        economics.leaky_bucket_scenarios(())
