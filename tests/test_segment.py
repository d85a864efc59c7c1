"""Value concentration: Lorenz curve, Gini, top share. Expected values worked by hand."""

import numpy as np
import pandas as pd
import pytest

from crmlab import segment


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


@pytest.mark.parametrize("bad, match", [
    ([], "empty"), ([1, np.nan], "missing or infinite values at \\[1\\]"),
    (["a", "b"], "numeric"), ([0, 0], "sum to zero"), ([[1, 2]], "one-dimensional"),
])
def test_bad_values(bad, match):
    with pytest.raises(ValueError, match=match):
        segment.gini(bad)


def test_bad_fraction():
    with pytest.raises(ValueError, match="fraction"):
        segment.top_share([1, 2], 0)
    with pytest.raises(ValueError, match="fraction"):
        segment.top_share([1, 2], 1.5)
