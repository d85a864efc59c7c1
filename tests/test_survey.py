"""Chapter 01 survey analysis. Expected values are worked out by hand in comments, or
come from a cited publication."""

import numpy as np
import pandas as pd
import pytest

from crmlab import _schema, datasets, sampling, simulate, survey


@pytest.fixture
def abc():
    # covariances by hand: var a 5/3, b 4/3, c 8/3; cov ab 4/3, ac 2, bc 4/3
    return pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})


@pytest.fixture(scope="module")
def clean():
    raw = datasets.load("company_survey")
    return survey.reverse_code(survey.clean_survey(raw))


# --- sampling
def test_sample_size_proportion_hand_worked():
    # n0 = 1.959964^2 * 0.25 / 0.05^2 = 384.15 -> 385; 384.15 / (1 + 383.15/2000) = 322.4 -> 323
    assert sampling.sample_size_proportion(0.5, 0.05) == 385
    assert sampling.sample_size_proportion(0.5, 0.05, population=2000) == 323
    # 90%: 1.644854^2 * 0.21 / 0.03^2 = 631.3 -> 632
    assert sampling.sample_size_proportion(0.3, 0.03, confidence=0.9) == 632


def test_sample_size_mean_hand_worked():
    # (1.959964 * 2 / 0.25)^2 = 245.86 -> 246; with N=500: 245.86 / (1 + 244.86/500) = 165.04 -> 166
    assert sampling.sample_size_mean(2, 0.25) == 246
    assert sampling.sample_size_mean(2, 0.25, population=500) == 166


def test_sample_size_bad_input():
    with pytest.raises(ValueError, match="margin"):
        sampling.sample_size_proportion(0.5, 0)
    with pytest.raises(ValueError, match="p must"):
        sampling.sample_size_proportion(1.5, 0.05)
    with pytest.raises(ValueError, match="population"):
        sampling.sample_size_proportion(0.5, 0.05, population=0)
    with pytest.raises(ValueError, match="sd"):
        sampling.sample_size_mean(-1, 0.1)
    with pytest.raises(ValueError, match="confidence"):
        sampling.sample_size_mean(1, 0.1, confidence=1.0)


def test_allocate_proportional_largest_remainder():
    # exact 10 * (0.45, 0.35, 0.2) = 4.5, 3.5, 2.0 -> floors 4, 3, 2 (9); one left: tie
    # 0.5 vs 0.5 goes to the stratum listed first -> 5, 3, 2
    alloc = sampling.allocate_sample(pd.Series({"a": 450, "b": 350, "c": 200}), 10)
    assert alloc["n"].tolist() == [5, 3, 2]
    assert alloc["design_weight"].tolist() == [90.0, 350 / 3, 100.0]


def test_allocate_neyman_hand_worked_and_capped():
    # N*S = 100*1, 100*3 = 100, 300 -> 20 * (0.25, 0.75) = 5, 15
    alloc = sampling.allocate_sample(
        pd.Series({"a": 100, "b": 100}), 20, method="neyman", sd=pd.Series({"a": 1.0, "b": 3.0})
    )
    assert alloc["n"].tolist() == [5, 15]
    # b would get 15 of 20 but has only 10: take all 10, the other 10 go to a
    capped = sampling.allocate_sample(
        pd.Series({"a": 100, "b": 10}), 20, method="neyman", sd=pd.Series({"a": 1.0, "b": 30.0})
    )
    assert capped["n"].tolist() == [10, 10]
    assert capped["n"].sum() == 20


def test_allocate_bad_input():
    with pytest.raises(ValueError, match="method"):
        sampling.allocate_sample(pd.Series({"a": 10}), 5, method="quota")
    with pytest.raises(ValueError, match="n must"):
        sampling.allocate_sample(pd.Series({"a": 10}), 11)
    with pytest.raises(ValueError, match="sd"):
        sampling.allocate_sample(pd.Series({"a": 10}), 5, method="neyman")


def test_stratified_sample_and_weights():
    frame = pd.DataFrame({"size": ["s"] * 60 + ["l"] * 40, "x": np.arange(100.0)})
    sample = sampling.stratified_sample(frame, 10, seed=3)
    # proportional: 6 of 60 (weight 10), 4 of 40 (weight 10); weights sum to N = 100
    assert sample["size"].value_counts().to_dict() == {"s": 6, "l": 4}
    assert sample["design_weight"].sum() == pytest.approx(100)
    assert sample.index.is_unique
    with pytest.raises(KeyError, match="segment"):
        sampling.stratified_sample(frame, 10, strata="segment")
    with pytest.raises(ValueError, match="value"):
        sampling.stratified_sample(frame, 10, method="neyman")


def test_poststratification_and_weighted_estimates():
    pop = pd.DataFrame({"size": ["s"] * 6 + ["l"] * 4})
    sample = pop.iloc[[0, 1, 6, 7, 8]].assign(x=[1.0, 1.0, 4.0, 4.0, 4.0])
    sample["w"] = sampling.poststratification_weights(sample, pop)
    # weights 6/2 = 3 and 4/3; weighted mean (3+3+16) / (6+4) = 2.2, unweighted 14/5 = 2.8
    est = sampling.weighted_estimates(sample, columns=["x"], weight="w")
    assert est.loc["x", "unweighted"] == pytest.approx(2.8)
    assert est.loc["x", "weighted"] == pytest.approx(2.2)
    with pytest.raises(ValueError, match=r"\['l'\]"):
        sampling.poststratification_weights(pop.iloc[[0]], pop)
    with pytest.raises(KeyError, match="'y'"):
        sampling.weighted_estimates(sample, columns=["y"], weight="w")


# --- data processing
@pytest.fixture
def raw():
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "a"],
            "q1": [1, 9, 4, 2],
            "q2": [2, None, 4, 3],
            "q3": [3, 3, 4, 0],
        }
    )


def test_validation_report_by_check_item_row(raw):
    report = survey.validation_report(raw, items=["q1", "q2", "q3"])
    # missing: 1 cell of 12; out of range: 9 and 0 -> 2; straight-liner: c (4, 4, 4);
    # duplicate: the second 'a'; sheets with a problem: b, c, a(2nd) = 3
    assert report["count"].tolist() == [1, 2, 1, 1, 3]
    assert report.loc["missing answers (cells)", "share"] == pytest.approx(1 / 12)
    items = survey.validation_report(raw, items=["q1", "q2", "q3"], per="item")
    assert items.loc["q1", "codes"] == [9] and items.loc["q3", "out_of_range"] == 1
    rows = survey.validation_report(raw, items=["q1", "q2", "q3"], per="row")
    assert rows["straightliner"].tolist() == [False, False, True, False]
    assert rows["duplicate"].tolist() == [False, False, False, True]


def test_clean_survey_steps(raw):
    out = survey.clean_survey(raw, items=["q1", "q2", "q3"])
    # b kept with 9 -> missing; c dropped (straight-liner); second a dropped (keep first)
    assert out.index.tolist() == [0, 1]
    assert np.isnan(out.loc[1, "q1"])
    kept = survey.clean_survey(raw, items=["q1", "q2", "q3"], drop_straightliners=False)
    assert kept.index.tolist() == [0, 1, 2]


def test_validation_report_bad_input(raw):
    with pytest.raises(KeyError, match="'q9'"):
        survey.validation_report(raw, items=["q1", "q9"])
    with pytest.raises(ValueError, match="per must"):
        survey.validation_report(raw, items=["q1"], per="cell")
    with pytest.raises(ValueError, match="'q1'.*numeric"):
        survey.validation_report(raw.assign(q1="x"), items=["q1"])


def test_reverse_code():
    # 1..5: x -> 6 - x ; 1..6 (bfi): x -> 7 - x
    assert survey.reverse_code(pd.DataFrame({"q": [1, 2, 5]}), items=["q"])["q"].tolist() == [
        5,
        4,
        1,
    ]
    assert survey.reverse_code(pd.DataFrame({"q": [1, 6]}), items=["q"], scale=(1, 6))[
        "q"
    ].tolist() == [6, 1]
    with pytest.raises(ValueError, match=r"'q'.*outside the scale 1\.\.5"):
        survey.reverse_code(pd.DataFrame({"q": [1, 9]}), items=["q"])


# --- reliability
def test_cronbach_alpha_hand_worked_two_ways(abc):
    # covariance formula: 3/2 * (1 - (5/3 + 4/3 + 8/3) / 15) = 3/2 * (1 - 17/45) = 0.9333
    assert survey.cronbach_alpha(abc) == pytest.approx(1.5 * (1 - 17 / 45))
    # second method: item variances and the variance of the total score
    total_var = abc.sum(axis=1).var(ddof=1)
    by_vars = 1.5 * (1 - abc.var(ddof=1).sum() / total_var)
    assert survey.cronbach_alpha(abc) == pytest.approx(by_vars)


def test_cronbach_alpha_bfi_published():
    """psych 2.x, R: ``psych::alpha(bfi[16:20])`` -> raw_alpha 0.81, std.alpha 0.81 (0.8140,
    0.8147 to four places, DESIGN.md); reversed keys 7 - x, pairwise covariances:
    ``alpha(bfi[1:5], keys = "A1")`` 0.7030, C (C4, C5) 0.7267, E (E1, E2) 0.7617, O (O2, O5)
    0.6002. Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality
    Research."""
    bfi = datasets.load("bfi")
    neuro = [f"N{i}" for i in range(1, 6)]
    assert survey.cronbach_alpha(bfi, items=neuro, scale=(1, 6)) == pytest.approx(0.8140, abs=5e-5)
    assert survey.cronbach_alpha(
        bfi, items=neuro, scale=(1, 6), standardized=True
    ) == pytest.approx(0.8147, abs=5e-5)
    for trait, rev, expected in [
        ("A", ["A1"], 0.7030),
        ("C", ["C4", "C5"], 0.7267),
        ("E", ["E1", "E2"], 0.7617),
        ("O", ["O2", "O5"], 0.6002),
    ]:
        data = survey.reverse_code(bfi, items=rev, scale=(1, 6))
        items = [f"{trait}{i}" for i in range(1, 6)]
        assert survey.cronbach_alpha(data, items=items, scale=(1, 6)) == pytest.approx(
            expected, abs=5e-5
        )


def test_cronbach_alpha_bad_input(abc):
    with pytest.raises(ValueError, match="at least 2 items"):
        survey.cronbach_alpha(abc, items=["a"])
    with pytest.raises(KeyError, match="'zz'"):
        survey.cronbach_alpha(abc, items=["a", "zz"])
    with pytest.raises(ValueError, match="'b' is all missing"):
        survey.cronbach_alpha(abc.assign(b=np.nan), items=["a", "b"])
    with pytest.raises(ValueError, match=r"'c' has answers outside the scale 1\.\.5"):
        survey.cronbach_alpha(abc.assign(c=[1, 2, 3, 7]))


def test_item_analysis_hand_worked(abc):
    table = survey.item_analysis(abc)
    # alpha without a: b, c -> 2 * (1 - (4/3 + 8/3) / (4/3 + 8/3 + 8/3)) = 2 * (1 - 0.6) = 0.8
    assert table.loc["a", "alpha_if_deleted"] == pytest.approx(0.8)
    # r_drop of a: cov(a, b + c) = 4/3 + 2 = 10/3; var(b + c) = 20/3; 10/3 / sqrt(5/3 * 20/3)
    assert table.loc["a", "r_drop"] == pytest.approx((10 / 3) / np.sqrt(100 / 9))
    second = np.corrcoef(abc["a"], abc["b"] + abc["c"])[0, 1]  # from the raw scores
    assert table.loc["a", "r_drop"] == pytest.approx(second)
    with pytest.raises(ValueError, match="at least 3 items"):
        survey.item_analysis(abc, items=["a", "b"])


def test_scale_reliability_and_scores(abc):
    rel = survey.scale_reliability(abc, scales={"s": ["a", "b", "c"]})
    assert rel.loc["s", "alpha"] == pytest.approx(1.5 * (1 - 17 / 45))
    df = pd.DataFrame({"a": [1, None], "b": [3, None], "c": [2, 4]})
    # row 0: (1 + 3 + 2) / 3 = 2; row 1: 1 of 3 answered < half -> missing
    assert survey.scale_scores(df, scales={"s": ["a", "b", "c"]})["s"].tolist()[0] == 2.0
    assert np.isnan(survey.scale_scores(df, scales={"s": ["a", "b", "c"]})["s"].iloc[1])
    with pytest.raises(KeyError, match="'d'"):
        survey.scale_scores(df, scales={"s": ["a", "d"]})


def test_factor_structure_recovers_relationship_scales(clean):
    result = survey.factor_structure(clean, dimensions=survey.RELATIONSHIP_SCALES)
    assert result.share_as_intended == 1.0
    assert list(result.loadings.columns) == ["trust", "satisf", "belong", "friend"]
    assert "as_intended" in result.summary()
    with pytest.raises(ValueError, match="more than one dimension"):
        survey.factor_structure(
            clean, dimensions={"x": ["rq_trust1", "rq_trust2"], "y": ["rq_trust2"]}
        )


# --- satisfaction
DIM = {"d": {"expectation": ["e"], "perception": ["p"]}}


def test_gaps_hand_worked():
    df = pd.DataFrame({"e": [4, 4, 5, 3], "p": [3, 4, 4, 2]})
    # gaps -1, 0, -1, -1: mean -0.75, sd 0.5, se 0.25, t(3, 0.975) = 3.182
    assert survey.gap_scores(df, dimensions=DIM)["d"].tolist() == [-1, 0, -1, -1]
    g = survey.servqual_gaps(df, dimensions=DIM).loc["d"]
    assert (g["gap"], g["se"]) == pytest.approx((-0.75, 0.25))
    assert g["ci_low"] == pytest.approx(-0.75 - 3.182446 * 0.25, abs=1e-6)
    assert g["expectation"] - g["perception"] == pytest.approx(0.75)


def test_gaps_bad_input():
    df = pd.DataFrame({"e": [4, 4, 5, 3], "p": [3, 4, 4, 2]})
    with pytest.raises(ValueError, match="'d' needs 'expectation' and 'perception'"):
        survey.servqual_gaps(df, dimensions={"d": {"expectation": ["e"]}})
    with pytest.raises(ValueError, match="'p' has answers outside"):
        survey.servqual_gaps(df.assign(p=[3, 4, 6, 2]), dimensions=DIM)
    with pytest.raises(ValueError, match="at least 2"):
        survey.servqual_gaps(df.assign(p=[3, None, None, None]), dimensions=DIM)


def test_satisfaction_class_rule():
    # 5 -> 非常满意, 3.5 rounds half up to 4 -> 很满意, 1.2 -> 1 -> 很不满意
    assert survey.satisfaction_class([5, 3.5, 1.2, 2]).tolist() == [
        "非常满意",
        "很满意",
        "很不满意",
        "不满意",
    ]
    assert survey.satisfaction_class(pd.Series([3.0, None])).isna().tolist() == [False, True]
    with pytest.raises(ValueError, match="outside the scale"):
        survey.satisfaction_class([6])


def test_key_drivers_ols_and_ordinal_recover_truth(clean):
    truth = pd.Series(simulate.TRUE_DRIVER_WEIGHTS)
    for method in ("ols", "ordinal"):
        result = survey.key_drivers(clean, method=method)
        share = result.table["importance"]
        assert share.sum() == pytest.approx(1)
        assert share.idxmax() == "reliability"  # truth: reliability 0.40 is the largest
        assert (share - truth).abs().max() < 0.06
        assert result.summary().index.tolist() == list(truth.index)


def test_key_drivers_hand_worked_and_bad_input():
    x = np.array([0.0, 1, 2, 3, 4, 5, 6, 7])
    df = pd.DataFrame({"x": x, "z": x % 2, "y": 1 + 0.5 * x + 0.25 * (x % 2)})
    # exact fit y = 1 + 0.5 x + 0.25 z -> importance 0.5/0.75, 0.25/0.75
    table = survey.key_drivers(df, drivers=["x", "z"], outcome="y", scale=None).table
    assert table["coef"].tolist() == pytest.approx([0.5, 0.25])
    with pytest.raises(ValueError, match="method"):
        survey.key_drivers(df, drivers=["x"], outcome="y", method="probit")
    with pytest.raises(KeyError, match="'w'"):
        survey.key_drivers(df, drivers=["w"], outcome="y")


def test_importance_performance(clean):
    ipa = survey.importance_performance(clean)
    assert ipa.loc["reliability", "quadrant"] == "concentrate here"
    assert set(ipa["quadrant"]) <= {
        "concentrate here",
        "keep up the good work",
        "low priority",
        "possible overkill",
    }


def test_satisfaction_indicators_hand_worked():
    sv = pd.DataFrame(
        {"customer_id": ["a", "b", "c"], "recommend": [5, 2, 4], "overall_sat": [5, 2, 3]}
    )
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "b", "a", "c"],
            "order_date": pd.to_datetime(["2023-03-01", "2023-05-01", "2024-02-01", "2024-03-01"]),
            "amount": [10.0, 20.0, 30.0, 60.0],
            "is_return": [False] * 4,
        }
    )
    inc = pd.DataFrame(
        {
            "customer_id": ["c", "b"],
            "complaint": [True, True],
            "incident_date": pd.to_datetime(["2024-04-01", "2023-01-01"]),
        }
    )
    out = survey.satisfaction_indicators(sv, orders, inc, year=2024)
    # reputation 2/3; repurchase: of {a, b} in 2023 only a again -> 1/2; complaint: of
    # buyers {a, c} in 2024, c complained -> 1/2; sales power: a (sat 5) 30 / mean(b 0, c 60) = 1
    assert out["value"].round(4).tolist()[:1] == [0.6667]
    assert np.isnan(out.loc["awareness", "value"])
    assert out.loc[["repurchase rate", "complaint rate", "sales power"], "value"].tolist() == [
        0.5,
        0.5,
        1.0,
    ]
    with pytest.raises(KeyError, match="complaint"):
        survey.satisfaction_indicators(sv, orders, inc.drop(columns="complaint"))
    with pytest.raises(ValueError, match="no sales in 2022"):
        survey.satisfaction_indicators(sv, orders, inc, year=2023)


def test_crosstab_test_hand_worked():
    df = pd.DataFrame({"g": ["a"] * 20 + ["b"] * 20, "s": ["x"] * 15 + ["y"] * 25})
    # table [[15, 5], [0, 20]], expected 7.5 and 12.5 in each row:
    # chi2 = 2 * (7.5^2/7.5 + 7.5^2/12.5) = 2 * (7.5 + 4.5) = 24; V = sqrt(24 / 40) = 0.7746
    result = survey.crosstab_test(df, row="g", column="s")
    assert result.chi2 == pytest.approx(24.0)
    assert result.cramers_v == pytest.approx(np.sqrt(0.6))
    assert result.dof == 1
    assert result.summary()["n"].item() == 40
    with pytest.raises(ValueError, match="'g' has 1 level"):
        survey.crosstab_test(df.assign(g="a"), row="g", column="s")


# --- the instrument
def test_instrument_matches_simulator():
    instrument = datasets.load("survey_instrument")
    assert instrument["item_id"].tolist() == _schema.SURVEY_ITEMS
    reversed_items = instrument.loc[instrument["reverse_coded"], "item_id"].tolist()
    assert reversed_items == _schema.REVERSE_ITEMS
    assert instrument[["wording_zh", "wording_en", "construct"]].notna().all().all()


def test_constants_match_simulator():
    items = [i for spec in survey.SERVQUAL_ITEMS.values() for kind in spec.values() for i in kind]
    assert sorted(items) == sorted(i for i in _schema.SURVEY_ITEMS if i[:4] in ("exp_", "per_"))
    assert len(survey.SATISFACTION_CLASSES) == 5
