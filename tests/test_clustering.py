"""Tests of crmlab.clustering (chapter 02, k-means): separated groups recovered,
hand-worked standardisation, one test per bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import clustering


def test_log_standardise():
    z = clustering.log_standardise(pd.DataFrame({"x": [0.0, np.e - 1], "y": [1.0, 3.0]}), log=["x"])
    # x: log1p -> 0, 1 -> z -1, 1; y unlogged 1, 3 -> -1, 1
    assert z.round(12).to_dict("list") == {"x": [-1.0, 1.0], "y": [-1.0, 1.0]}


def test_kmeans_recovers_separated_groups_and_is_stable():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [6, 0], [0, 6]])
    X = pd.DataFrame(
        np.repeat(centres, 50, axis=0) + rng.normal(0, 0.5, (150, 2)), columns=["revenue", "b"]
    )
    labels = clustering.kmeans_segments(X, 3, seed=1)
    truth = np.repeat([0, 1, 2], 50)
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(truth, labels) == pytest.approx(1.0)
    # cluster 0 has the largest mean revenue: the group centred at 6
    assert X.loc[labels == 0, "revenue"].mean() > 5
    assert clustering.cluster_stability(X, 3, seeds=range(4), n_init=5).min() == pytest.approx(1)
    k = clustering.choose_k(X, [2, 3, 4], silhouette_sample=None)
    assert k["silhouette"].idxmax() == 3 and k["inertia"].is_monotonic_decreasing
    prof = clustering.cluster_profiles(X, labels)
    assert prof["n_customers"].tolist() == [50, 50, 50] and prof["share"].sum() == 1
