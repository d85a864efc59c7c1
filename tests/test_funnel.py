"""Tests of crmlab.funnel (chapter 02, the sales funnel): the course's figures and
hand-worked values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import funnel


def test_course_funnel_rates_by_hand():
    f = funnel.funnel_table(
        funnel.COURSE_FUNNEL["n_customers"],
        funnel.COURSE_FUNNEL["forecast"],
        stages=funnel.COURSE_FUNNEL.index,
    )
    # 30/80 = 0.375, 16/30 = 0.5333, 10/16 = 0.625; 10/80 = 0.125
    assert f["stage_conversion"].iloc[1:].tolist() == pytest.approx([0.375, 16 / 30, 0.625])
    assert f.loc["contract", "cumulative_conversion"] == 0.125
    # win rate from each stage: 10/80, 10/30, 10/16, 1
    assert f["win_rate"].tolist() == pytest.approx([0.125, 1 / 3, 0.625, 1.0])
    # forecasts: 318/1125 = 0.2827, 168/318 = 0.5283, 108/168 = 0.6429;
    # per customer 1125/80 = 14.0625 ... 108/10 = 10.8 (万元)
    assert f["forecast_conversion"].iloc[1:].tolist() == pytest.approx(
        [318 / 1125, 168 / 318, 108 / 168]
    )
    assert f["forecast_per_customer"].tolist() == pytest.approx([14.0625, 10.6, 10.5, 10.8])


def test_funnel_forecast_hand_worked():
    f = funnel.funnel_table([80, 30, 16, 10])
    # 80 x 0.125 = 10: a fresh batch like the course's gives its 10 contracts
    assert funnel.funnel_forecast(f, [80, 0, 0, 0])["expected_contracts"].sum() == 10
    # 40 x 0.125 + 10 x 1/3 + 4 x 0.625 = 5 + 3.333 + 2.5
    assert funnel.funnel_forecast(f, [40, 10, 4, 0])["expected_contracts"].sum() == pytest.approx(
        10.8333, abs=1e-4
    )


def test_pipeline_funnel_counts_every_stage_reached():
    p = pd.DataFrame(
        {
            "stage_reached": ["contact", "contract", "intention", "negotiation"],
            "forecast_value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    f = funnel.pipeline_funnel(p)
    # reached >= contact 4, >= intention 3, >= negotiation 2, contract 1
    assert f["n_customers"].tolist() == [4, 3, 2, 1]
    assert f["forecast"].tolist() == [10.0, 9.0, 6.0, 2.0]
    with pytest.raises(ValueError, match=r"'stage_reached' has stages .* rows \[1\]"):
        funnel.pipeline_funnel(p.assign(stage_reached=["contact", "won", "contact", "contact"]))


def test_pipeline_funnel_recovers_simulator_conversion():
    """The second edition's pipeline (datasets/company.md): an opportunity is won with
    probability w = logistic(a_source + b_relationship + 0.4 skill) and passes its three
    stages with w^0.5, w^0.3, w^0.2, so a lost one reached intention with probability
    (w^0.5 - w) / (1 - w) and negotiation with (w^0.8 - w) / (1 - w). From the truth
    (truth_effects' win log-odds, truth_managers' skill) the expected funnel of the closed
    opportunities is, with W won and the sums over the lost ones:
    contact -> intention (W + sum a) / n, intention -> negotiation (W + sum b) / (W + sum a),
    negotiation -> contract W / (W + sum b): 0.386, 0.606, 0.737 on the committed data.
    The funnel of the stages reached must be within 0.03 of it (the window's two ends cut
    deals by their close date, which depends on the stage reached)."""
    from crmlab import datasets

    p = datasets.load("company_pipeline")
    closed = p[p["outcome"] != "open"]
    effects = datasets.load("company_truth_effects")
    win = effects[effects["mechanism"] == "pipeline"].set_index("level")["value"]
    skill_per_sd = effects.set_index(["mechanism", "parameter"]).loc[
        ("manager_skill", "win_log_odds_per_sd"), "value"
    ]
    skill = datasets.load("company_truth_managers").set_index("manager_id")["skill"]
    logit = (
        ("source " + closed["source"].astype(str)).map(win)
        + ("relationship " + closed["relationship"].astype(str)).map(win)
        + skill_per_sd * closed["manager_id"].map(skill)
    ).astype(float)
    w = 1 / (1 + np.exp(-logit))
    lost = (closed["outcome"] == "lost").to_numpy()
    n_won = int((~lost).sum())
    a = ((w**0.5 - w) / (1 - w))[lost].sum()
    b = ((w**0.8 - w) / (1 - w))[lost].sum()
    expected = [(n_won + a) / len(closed), (n_won + b) / (n_won + a), n_won / (n_won + b)]
    f = funnel.pipeline_funnel(closed)
    np.testing.assert_allclose(f["stage_conversion"].iloc[1:], expected, atol=0.03)


def test_funnel_bad_counts():
    with pytest.raises(ValueError, match="not increase"):
        funnel.funnel_table([10, 30])
