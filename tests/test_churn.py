"""Tests of crmlab.churn (chapter 04, defining churn): hand-worked values and one test per
bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import churn, datasets


@pytest.fixture(scope="module")
def company():
    return datasets.load_company()


# --- definitions -------------------------------------------------------------------------
def test_churn_rate_by_hand():
    assert churn.churn_rate(pd.DataFrame({"churned": [1, 0, 0, 1, 0]})) == 0.4  # 2/5
    assert churn.churn_rate(pd.DataFrame({"churned": [True, False]})) == 0.5


def test_inactivity_churn_and_threshold_curve():
    o = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "c"],
            "is_return": [False, False, False, True],
            "order_date": pd.to_datetime(["2024-12-01", "2024-05-01", "2024-08-01", "2024-12-20"]),
        }
    )
    inact = churn.inactivity_churn(o, as_of="2024-12-31", threshold_days=120)
    # silent 30, 244, 152 days (c's return on 12-20 is not a purchase)
    assert inact["days_silent"].tolist() == [30, 244, 152]
    assert inact["churned"].tolist() == [0, 1, 1]
    curve = churn.threshold_curve(
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
    b = churn.dynamic_balance(cust, lost, start="2024-01", as_of="2024-02")
    assert b["net"].tolist() == [1, 0]
    assert b.loc["2024-02", "churn_rate"] == pytest.approx(1 / 3)  # 1 lost of 2 + 1 won


def test_dynamic_balance_company_closing_is_active_count(company):
    b = churn.dynamic_balance(
        company["customers"], company["churn"], start="2022-01", as_of="2024-12"
    )
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
    r = churn.cohort_retention(cust, lost, as_of="2024-03-31")
    # Jan cohort: a lost in month 1 -> 2/2, 1/2, 1/2; Feb cohort: c lost in month 0 -> 1/2
    assert r.loc["2024-01", [0, 1, 2]].tolist() == [1.0, 0.5, 0.5]
    assert r.loc["2024-02", 0] == 0.5 and np.isnan(r.loc["2024-02", 2])
    assert r["size"].tolist() == [2, 2]


def test_threshold_zero_rejected():
    o = pd.DataFrame(
        {"customer_id": ["a"], "is_return": [False], "order_date": pd.to_datetime(["2024-01-01"])}
    )
    with pytest.raises(ValueError, match="threshold_days.*0"):
        churn.inactivity_churn(o, as_of="2024-12-31", threshold_days=0)


def test_customer_lifetimes_by_hand_and_bad_order():
    cust = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "acquisition_date": pd.to_datetime(["2024-01-05", "2024-02-01"]),
        }
    )
    lost = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2024-03-01"])})
    life = churn.customer_lifetimes(cust, lost)
    assert life.index.tolist() == ["a", "b"]
    assert life.loc["a", "churn_date"] == pd.Timestamp("2024-03-01")
    assert pd.isna(life.loc["b", "churn_date"])  # still a customer
    early = lost.assign(churn_date=pd.to_datetime(["2023-12-01"]))
    with pytest.raises(ValueError, match=r"lies before 'acquisition_date'.*\['a'\]"):
        churn.customer_lifetimes(cust, early)
