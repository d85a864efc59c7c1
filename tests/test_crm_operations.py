"""crmlab.crm.operations: the small tables of chapter 06, each against a hand-worked value."""

import numpy as np
import pandas as pd
import pytest

from crmlab.crm import operations as ops

D = pd.to_datetime


def test_win_rates_leave_open_deals_out():
    # a: 2 won, 1 lost, 5 open -> 2 / 3; b: 1 won, 3 lost -> 1 / 4
    p = pd.DataFrame(
        {
            "source": ["a"] * 8 + ["b"] * 4,
            "outcome": ["won", "won", "lost"] + ["open"] * 5 + ["won"] + ["lost"] * 3,
        }
    )
    out = ops.win_rates(p)
    assert out.index.to_list() == ["a", "b"]
    assert out.loc["a", "win_rate"] == pytest.approx(2 / 3)
    assert out.loc["b", "win_rate"] == pytest.approx(0.25)
    assert out.loc["a", "n_opportunities"] == 8


def test_win_rates_name_an_unknown_outcome():
    p = pd.DataFrame({"source": ["a", "a"], "outcome": ["won", "maybe"]})
    with pytest.raises(ValueError, match=r"'maybe' in rows \[1\]"):
        ops.win_rates(p)


def test_stage_forecast_by_hand():
    # deals: A won 100 (contract), B lost 60 at negotiation, C lost 40 at contact, D open
    p = pd.DataFrame(
        {
            "stage_reached": ["contract", "negotiation", "contact", "intention"],
            "outcome": ["won", "lost", "lost", "open"],
            "deal_value": [100.0, 60.0, 40.0, 999.0],
        }
    )
    out = ops.stage_forecast(p)
    # contact: all three closed deals, 0.10 x 200 = 20 against 100 won, 1 of 3 won
    assert out.loc["contact", "forecast"] == pytest.approx(20.0)
    assert out.loc["contact", "share_won"] == pytest.approx(1 / 3)
    # intention: A and B, 0.25 x 160 = 40; contract: A, 1.00 x 100 = 100
    assert out.loc["intention", "forecast"] == pytest.approx(40.0)
    assert out.loc["contract", "forecast_ratio"] == pytest.approx(1.0)
    assert out["won_value"].to_list() == [100.0] * 4


def test_stage_forecast_names_an_unknown_stage():
    p = pd.DataFrame({"stage_reached": ["quote"], "outcome": ["lost"], "deal_value": [1.0]})
    with pytest.raises(ValueError, match="stage_reached"):
        ops.stage_forecast(p)


def test_sales_cycle_panel_months_and_a_region_live_after_the_data():
    p = pd.DataFrame(
        {
            "region": ["x", "y", "y"],
            "open_date": D(["2022-01-20", "2023-12-01", "2023-12-01"]),
            "intention_date": D(["2022-02-19", "2023-12-11", None]),
        }
    )
    r = pd.DataFrame({"region": ["x", "y"], "go_live_date": D(["2022-03-01", "2025-04-01"])})
    out = ops.sales_cycle_panel(p, r)
    # x: opened month 0, live month 2, 30 days; y: live after the last opening -> missing
    assert out["month"].to_list() == [0, 23]
    assert out["go_live"].iloc[0] == 2 and pd.isna(out["go_live"].iloc[1])
    assert out["log_days"].to_list() == pytest.approx([np.log(30), np.log(10)])


def test_churned_within_six_months_and_a_churn_before_the_start():
    churn = pd.DataFrame({"customer_id": ["a", "b"], "churn_date": D(["2023-09-01", "2023-09-02"])})
    # start 2023-03-02: 6 months end 2023-09-02 (exclusive): a churned within, b not
    out = ops.churned_within(pd.Series(["a", "b"]), pd.Series(D(["2023-03-02"] * 2)), churn)
    assert out.to_list() == [1, 0]
    with pytest.raises(ValueError, match=r"before their start date in rows \[0\]"):
        ops.churned_within(pd.Series(["a"]), pd.Series(D(["2023-10-01"])), churn)


def test_departure_churn_by_hand():
    # manager m (region x) leaves 2023-01-31 with customers a, b; c and d are x's others,
    # e is in region y. a churns in March (within 6 months), c in October (after), d never.
    a = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "manager_id": ["m", "m", "n", "n", "k"],
            "end_date": D(["2023-01-31", "2023-01-31", None, None, None]),
        }
    )
    mg = pd.DataFrame(
        {
            "manager_id": ["m", "n", "k"],
            "region": ["x", "x", "y"],
            "leave_date": D(["2023-01-31", None, None]),
        }
    )
    ch = pd.DataFrame({"customer_id": ["a", "c"], "churn_date": D(["2023-03-05", "2023-10-01"])})
    cu = pd.DataFrame(
        {
            "customer_id": list("abcde"),
            "region": ["x"] * 4 + ["y"],
            "acquisition_date": D(["2020-01-01"] * 5),
        }
    )
    out = ops.departure_churn(a, mg, ch, cu)
    assert out.loc["handed_over", ["n", "churned", "share"]].to_list() == [2, 1, 0.5]
    assert out.loc["others", ["n", "churned", "share"]].to_list() == [2, 0, 0.0]


def test_follow_up_churn_pooled_risk_ratio_by_hand():
    # severity 1: visited 1 of 4 churn, not visited 2 of 4; severity 2: 2 of 4 and 2 of 2.
    # Mantel-Haenszel RR = sum(a (c + d) / n) / sum(c (a + b) / n)
    #   = (1*4/8 + 2*2/6) / (2*4/8 + 2*4/6) = (0.5 + 0.6667) / (1 + 1.3333) = 0.5
    rows = (
        [(1, True, True)]
        + [(1, True, False)] * 3
        + [(1, False, True)] * 2
        + [(1, False, False)] * 2
        + [(2, True, True)] * 2
        + [(2, True, False)] * 2
        + [(2, False, True)] * 2
    )
    n = len(rows)
    ids = [f"c{i}" for i in range(n)]
    t = pd.DataFrame(
        {
            "customer_id": ids,
            "incident_id": [f"i{i}" for i in range(n)],
            "opened_at": D(["2023-01-10"] * n),
            "follow_up_visit": [r[1] for r in rows],
        }
    )
    inc = pd.DataFrame({"incident_id": t["incident_id"], "severity": [r[0] for r in rows]})
    churned = [i for i, r in zip(ids, rows, strict=True) if r[2]]
    ch = pd.DataFrame({"customer_id": churned, "churn_date": D(["2023-04-01"] * len(churned))})
    out = ops.follow_up_churn(t, inc, ch)
    assert out.loc[1, "risk_ratio"] == pytest.approx(0.25 / 0.5)
    assert out.loc[2, "risk_ratio"] == pytest.approx(0.5 / 1.0)
    assert out.loc["pooled", "risk_ratio"] == pytest.approx((0.5 + 4 / 6) / (1 + 8 / 6))


def test_service_times_split_at_go_live():
    t = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a"],
            "channel": ["email"] * 3,
            "opened_at": D(["2022-06-01", "2022-07-01", "2023-06-01"]),
            "first_response_hours": [10.0, 6.0, 4.0],
            "resolution_hours": [50.0, 6.0, 20.0],
            "incident_id": ["i1", None, "i3"],  # the enquiry's resolution is left out
        }
    )
    cu = pd.DataFrame({"customer_id": ["a"], "region": ["x"]})
    r = pd.DataFrame({"region": ["x"], "go_live_date": D(["2023-01-01"])})
    out = ops.service_times(t, cu, r)
    assert out.loc[("email", "before"), "median_response_hours"] == 8.0  # (10 + 6) / 2
    assert out.loc[("email", "before"), "median_resolution_hours"] == 50.0
    assert out.loc[("email", "live"), "n_tickets"] == 1


def test_by_channel_sums_and_a_customer_without_channel():
    pr = pd.DataFrame(
        {
            "revenue": [100.0, 50, 80],
            "gross_profit": [40.0, 20, 30],
            "cost_to_serve": [10.0, 30, 6],
            "profit": [30.0, -10, 24],
        },
        index=list("abc"),
    )
    cu = pd.DataFrame({"customer_id": list("abc"), "channel": ["web", "web", "fair"]})
    out = ops.by_channel(pr, cu)
    # web: cost to serve 40 of gross profit 60; 20 per customer
    assert out.loc["web", "cost_share"] == pytest.approx(40 / 60)
    assert out.loc["web", "cost_to_serve_per_customer"] == 20.0
    with pytest.raises(ValueError, match="channel"):
        ops.by_channel(pr, cu.iloc[:2])


def test_tier_shift_a_split_firm_falls():
    # 25 records, one per firm except F (records 1 and 2: 60 + 50). Linked, F has 110, the
    # largest: VIP (the top ceil(0.01 x 24) = 1). Typed, record 3 (100) is first, so record
    # 1 (60) is second: major (ranks 2..ceil(0.05 x 25) = 2).
    ids = [str(i) for i in range(1, 26)]
    o = pd.DataFrame({"record_id": ids, "amount": [60.0, 50.0, 100.0] + [1.0] * 22})
    firm = pd.Series(["F", "F"] + [f"G{i}" for i in range(23)], index=ids)
    out = ops.tier_shift(o, firm)
    assert out.index.to_list() == ["F"]
    assert (str(out.loc["F", "tier_firm"]), str(out.loc["F", "tier_typed"])) == ("VIP", "major")
    assert bool(out.loc["F", "fell"])


def test_tier_shift_names_orders_of_unknown_records():
    o = pd.DataFrame({"record_id": ["1", "9"], "amount": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"rows \[1\]"):
        ops.tier_shift(o, pd.Series(["F"], index=["1"]))


def test_true_effect_reads_one_row_and_names_a_missing_one():
    te = pd.DataFrame(
        {
            "mechanism": ["m", "m"],
            "parameter": ["p", "p"],
            "level": ["all", "x"],
            "value": [0.6, 2.0],
        }
    )
    assert ops.true_effect(te, "m", "p", "x") == 2.0
    with pytest.raises(KeyError, match="parameter='q'"):
        ops.true_effect(te, "m", "q")


def test_targeting_value_by_hand():
    # gains 0.3, 0.1, -0.2, 0.05; costs 20, 5, 5, 5; 1,000 yuan per unit of gain
    gains = pd.Series([0.3, 0.1, -0.2, 0.05])
    costs = pd.Series([20.0, 5.0, 5.0, 5.0])
    scores = {"good": pd.Series([4.0, 3, 1, 2]), "bad": pd.Series([1.0, 2, 4, 3])}
    out = ops.targeting_value(scores, gains, costs, value_per_unit=1000, shares=(0.5, 1.0))
    # good, top 2 (customers 1, 2): 1000 x 0.4 - 25 = 375; bad, top 2 (3, 4): -150 - 10
    assert out.loc["good", 0.5] == pytest.approx(375.0)
    assert out.loc["bad", 0.5] == pytest.approx(-160.0)
    # everyone: 1000 x 0.25 - 35 = 215 whatever the score
    assert out[1.0].to_list() == pytest.approx([215.0, 215.0])
