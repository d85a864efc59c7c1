"""Tests of crmlab.churn_causes (chapter 04, causes of churn and responses): hand-worked
values, the company datasheet and one test per bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import churn_causes, datasets, simulate
from crmlab import survival as sv


@pytest.fixture(scope="module")
def company():
    return datasets.load_company()


@pytest.fixture
def five():
    # five customers: tenure 2, 3, 3, 5, 8; lost at 2, 3 and 5; censored at 3 and 8
    return pd.DataFrame(
        {"tenure": [2, 3, 3, 5, 8], "churned": [1, 1, 0, 1, 0], "g": ["a", "a", "b", "b", "b"]}
    )


# --- causes ------------------------------------------------------------------------------
def test_pareto_table_by_hand():
    p = churn_causes.pareto_table(
        pd.Series(["price", "quality", "price", "competitor", "price"]), categories=["involuntary"]
    )
    assert p.index.tolist() == ["price", "competitor", "quality", "involuntary"]
    assert p["share"].tolist() == [0.6, 0.2, 0.2, 0.0]  # 3/5, 1/5, 1/5, 0/5
    assert p["cumulative"].iloc[-1] == pytest.approx(1.0)


def test_exit_reasons_company_matches_datasheet(company):
    # datasets/company.md (counted with value_counts on the committed churn and truth
    # tables): of 1,542 leavers, price stated by 756 (49.0%) and true for 545 (35.3%);
    # fault type true for 441 = 107 + 60 + 274 (28.6%), recorded for 347 (22.5%)
    r = churn_causes.exit_reasons(company["churn"], company["truth"])
    assert r.loc["price", "stated_share"] == pytest.approx(756 / 1542, abs=1e-12)
    assert r.loc["price", "true_share"] == pytest.approx(545 / 1542, abs=1e-12)
    t = churn_causes.exit_reasons(company["churn"], company["truth"], level="type")
    assert t.loc["fault", "true_share"] == pytest.approx(441 / 1542, abs=1e-12)
    assert t.loc["fault", "stated_share"] == pytest.approx(347 / 1542, abs=1e-12)


def test_corrected_shares_by_hand_and_company(company):
    # stated price 0.44 = 0.8 * true + 0.2 -> true 0.30; quality 0.56 / 0.8 = 0.70
    c = churn_causes.corrected_shares(pd.Series({"price": 0.44, "quality": 0.56}), 0.2)
    assert c.to_dict() == pytest.approx({"price": 0.30, "quality": 0.70})
    stated = churn_causes.exit_reasons(company["churn"], company["truth"])
    fixed = churn_causes.corrected_shares(stated["stated_share"], simulate.STATED_REASON_NOISE)
    np.testing.assert_allclose(fixed, stated["true_share"], atol=0.02)


def test_largest_share_test():
    # 6 fault, 2 natural, 2 competitive: 0.6 - 0.2 = 0.4; var (0.6+0.2-0.16)/10 = 0.064
    r = churn_causes.largest_share_test(
        pd.Series(["fault"] * 6 + ["natural"] * 2 + ["competitive"] * 2)
    )
    assert r.largest == "fault" and r.difference == pytest.approx(0.4)
    assert r.z == pytest.approx(0.4 / np.sqrt(0.064))
    # z = 0.4 / sqrt((0.6 + 0.2 - 0.4**2) / 10) = 1.58, one-sided p = 0.057: not significant
    assert "fault is the largest share': not supported" in str(r)
    assert r.summary()["largest"].item() == "fault"


def test_largest_share_test_level_follows_confidence():
    # same counts: z = 0.4 / sqrt(0.064) = 1.5811, one-sided p = 1 - Phi(1.5811) = 0.0569:
    # not supported at the 5% level (confidence 0.95), supported at 10% (confidence 0.90)
    labels = pd.Series(["fault"] * 6 + ["natural"] * 2 + ["competitive"] * 2)
    r95 = churn_causes.largest_share_test(labels)
    r90 = churn_causes.largest_share_test(labels, confidence=0.90)
    assert r95.p_value == pytest.approx(0.0569, abs=1e-4)
    assert not r95.supported and r90.supported
    assert r90.table["upper"].iloc[0] < r95.table["upper"].iloc[0]  # narrower Wilson band


def test_fault_churn_is_not_largest_in_company(company):
    r = churn_causes.largest_share_test(company["churn"]["churn_type"])
    assert r.largest == "competitive" and not r.supported


def test_causes_by_group_rows():
    cust = pd.DataFrame({"customer_id": list("abcd"), "seg": ["x", "x", "y", "y"]})
    lost = pd.DataFrame({"customer_id": ["a", "c"], "stated_reason": ["price", "quality"]})
    r = churn_causes.causes_by_group(cust, lost, group="seg")
    assert r.loc["x", "price"] == 0.5 and r.loc["x", "churn_rate"] == 0.5  # 1 of 2
    mix = churn_causes.causes_by_group(cust, lost, group="seg", per="leaver")
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
    r = churn_causes.incident_churn(inc, lost, as_of="2024-12-31", window_days=90)
    # c is too recent; a lost 31 days after (counts); b lost 152 days after (does not)
    assert r.loc[False, "rate"] == 1.0 and r.loc[True, "rate"] == 0.0
    assert r["n_incidents"].tolist() == [1, 1]


def test_incident_handling_effect_company(company):
    r = churn_causes.incident_churn(company["incidents"], company["churn"], as_of="2024-12-31")
    assert r.loc[False, "lower"] > r.loc[True, "upper"]  # badly handled -> more churn


def test_fault_root_causes_company(company):
    r = churn_causes.fault_root_causes(company["churn"], company["incidents"], company["contacts"])
    assert set(r.index) == set(churn_causes.FAULT_ROOT_CAUSES)
    # leavers citing a mishandled incident more often had one than quality leavers
    assert r.loc["incident_mishandled", "bad_incident"] > r.loc["quality", "bad_incident"]


def test_competitive_strategy_rule():
    seg = pd.DataFrame(
        {"value_per_customer": [300, 300, 20, 100], "competitive_churn_rate": [0.3, 0.1, 0.3, 0.1]},
        index=list("abcd"),
    )
    # mean value 180, mean churn 0.2: a high/high attack, b high/low defend,
    # c value 0.11 < 0.5 with high churn retreat, d low/low defend
    r = churn_causes.competitive_strategy(seg)
    assert r["strategy"].tolist() == ["attack", "defend", "retreat", "defend"]
    assert r.loc["a", "strategy_zh"] == "进攻"


def test_unknown_options_rejected(five):
    with pytest.raises(ValueError, match="grain.*'year'"):
        sv.survival_frame(pd.DataFrame(), pd.DataFrame(), as_of="2024-12-31", grain="year")
    with pytest.raises(ValueError, match="level.*'reason'"):
        churn_causes.exit_reasons(
            pd.DataFrame({"customer_id": ["a"], "stated_reason": ["price"]}), level="reason"
        )
    with pytest.raises(ValueError, match="claim 'fault'"):
        churn_causes.largest_share_test(pd.Series(["natural", "competitive"]))
    with pytest.raises(ValueError, match="noise"):
        churn_causes.corrected_shares(pd.Series({"price": 1.0}), 1.0)
