"""Tests of crmlab.loyalty_market (chapter 03: satisfaction and retention by market,
referrals). Expected values are worked out by hand in comments."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import loyalty_market


# --- market and word of mouth
def test_retention_by_satisfaction_hand_worked():
    df = pd.DataFrame(
        {
            "satisfaction": [1.2, 1.4, 4.6, 5, 3.5],
            "retained": [0, 1, 1, 1, 0],
            "market": ["a", "a", "a", "b", "b"],
        }
    )
    out = loyalty_market.retention_by_satisfaction(df, group="market")
    # a: level 1 -> 1 of 2 = 0.5; level 5 -> 1.0; b: 3.5 rounds half up to 4 -> 0.0
    assert out[["group", "level", "retention"]].values.tolist() == [
        ["a", 1, 0.5],
        ["a", 5, 1.0],
        ["b", 4, 0.0],
        ["b", 5, 1.0],
    ]


def test_market_retention_competitive_steeper():
    from crmlab import simulate

    comp = {
        mk: simulate.simulate_company(seed=5, n_customers=600, market=mk)
        for mk in ("competitive", "monopoly")
    }
    out = loyalty_market.market_retention(comp).set_index(["group", "level"])["retention"]
    assert out["monopoly", 3] > out["competitive", 3]


def test_referral_summary_and_value():
    ref = pd.DataFrame({"referrer_id": ["a", "a", "b"], "referred_id": ["x", "y", "z"]})
    sv = pd.DataFrame({"customer_id": ["a", "b", "c"], "recommend": [5, 3, 3]})
    out = loyalty_market.referral_summary(ref, sv)
    # answer 3: b (1) and c (0) -> 0.5 per customer, half refer; answer 5: a (2)
    assert out.loc[3, "referrals_per_customer"] == 0.5 and out.loc[5, "share_referring"] == 1
    o = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "order_date": pd.to_datetime(["2022-02-01", "2023-06-01", "2022-03-01"]),
            "product_line": "x",
            "quantity": [10, 10, 10],
            "amount": [150.0, 999.0, 120.0],
        }
    )
    p = pd.DataFrame({"product_line": ["x"], "unit_cost": [10.0]})
    c = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "channel": ["referral", "online"],
            "acquisition_date": pd.to_datetime(["2022-01-10", "2022-01-20"]),
        }
    )
    val = loyalty_market.referral_value(o, p, c)
    # a: 150 - 10*10 = 50 in its first 12 months (the 2023-06 order is later); b: 20
    assert val.loc["referral", "mean_gross_profit"] == 50.0
    assert val.loc["online", "mean_gross_profit"] == 20.0


def test_bad_satisfaction_out_of_scale():
    df = pd.DataFrame({"satisfaction": [7.0], "retained": [1]})
    with pytest.raises(ValueError, match="satisfaction"):
        loyalty_market.retention_by_satisfaction(df)


def test_bad_markets_not_dict():
    with pytest.raises(ValueError, match="companies"):
        loyalty_market.market_retention([])
