"""Tests of crmlab.sampling (chapter 01, sampling design). Expected values are worked out
by hand in comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import sampling


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


def test_compare_allocations_by_hand():
    # stratum s: 8 customers, value 1 or 3 (sd 1.069); l: 2 customers, 10 or 30 (sd 14.14).
    # Neyman n_h ~ N_h S_h: 8 x 1.069 = 8.55 vs 2 x 14.14 = 28.3, so 4 of 4 go 1 : 3,
    # capped at l's 2 customers -> l 2, s 2. Proportional: s 8/10 x 4 = 3.2 -> 3, l 1.
    df = pd.DataFrame({"size": ["s"] * 8 + ["l"] * 2, "x": [1.0, 3.0] * 4 + [10.0, 30.0]})
    alloc, est = sampling.compare_allocations(df, 4, value="x", seed=0)
    assert alloc.loc["l"].tolist() == [1, 2, 2] and alloc.loc["s"].tolist() == [3, 2, 8]
    # the true mean (4 x 1 + 4 x 3 + 10 + 30) / 10 = 5.6, the same in every row
    assert est["population (true)"].tolist() == pytest.approx([5.6, 5.6])
    # Neyman takes the whole stratum l (mean 20, weight 1 each) and 2 of s (weight 4):
    # weighted mean = (4 x (s1 + s2) + 10 + 30) / 10
    assert list(est.index) == ["proportional", "neyman"]
    with pytest.raises(ValueError, match="methods is empty"):
        sampling.compare_allocations(df, 4, value="x", methods=[])
