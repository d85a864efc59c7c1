"""crmlab.btyd against lifetimes' own test suite and exact values (issue 13).

lifetimes 0.11.3, ``tests/test_estimation.py``, classes ``TestBetaGeoFitter`` and
``TestGammaGammaFitter`` (test named in each docstring); their expected values come from
Fader, Hardie & Lee (2005) and Hardie's spreadsheets. For histories where the direct
formula overflows, the reference is the same formula evaluated with ``mpmath`` at 50
significant digits (``mpmath.hyp2f1``), a second method, with lifetimes' own answer
(which falls back to Euler's transformation) quoted beside it.
"""

import numpy as np
import pytest

from crmlab import btyd, datasets
from crmlab.btyd import BGNBDResult, GammaGammaResult

PAPER = BGNBDResult(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, True)


@pytest.fixture(scope="module")
def sample():
    return datasets.load("cdnow_sample")


@pytest.fixture(scope="module")
def summary(sample):
    return btyd.rfm_summary(sample, as_of="1997-09-30", holdout_end="1998-06-30", order_date="date")


@pytest.fixture(scope="module")
def fit(summary):
    return btyd.fit_bgnbd(summary)


# --- BG/NBD ------------------------------------------------------------------------------
def test_bgnbd_params_as_lifetimes(fit):
    """lifetimes, TestBetaGeoFitter.test_params_out_is_close_to_Hardie_paper:
    r, alpha, a, b = 0.243, 4.414, 0.793, 2.426 (to 2 decimals there)."""
    np.testing.assert_array_almost_equal(fit.params, [0.243, 4.414, 0.793, 2.426], decimal=3)


def test_bgnbd_conditional_expectation_as_lifetimes(fit):
    """lifetimes, TestBetaGeoFitter.test_conditional_expectation_returns_same_value_as_
    Hardie_excel_sheet: x = 2, t_x = 30.43, T = 38.86, t = 39 -> 1.226 (within 0.001)."""
    assert float(fit.expected_purchases(39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=1e-3)


def test_bgnbd_unconditional_expectation_as_lifetimes(fit):
    """lifetimes, TestBetaGeoFitter.test_expectation_returns_same_value_Hardie_excel_sheet:
    E[X(t)] at t = 0.1429, 1, 3, 31.8571, 32, 78 is 0.0078, 0.0532, 0.1506, 1.0405,
    1.0437, 1.8576 (3 decimals)."""
    times = np.array([0.1429, 1.0, 3.00, 31.8571, 32.00, 78.00])
    expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576]
    np.testing.assert_array_almost_equal(fit.expected_purchases_new(times), expected, decimal=3)


def test_p_alive_bounds_as_lifetimes(fit):
    """lifetimes, TestBetaGeoFitter.test_conditional_probability_alive_returns_1_if_no_
    repeat_purchases and ..._is_between_0_and_1 (the same grid of x, t_x <= T)."""
    assert float(fit.p_alive(0, 1, 1)) == 1.0
    grid = [
        (i, j, k) for i in range(0, 100, 10) for j in range(0, 100, 10) for k in range(j, 100, 10)
    ]
    x, t_x, big_t = (np.array(v, dtype=float) for v in zip(*grid, strict=True))
    p = fit.p_alive(x, t_x, big_t)
    assert ((p >= 0) & (p <= 1)).all()


def test_p_alive_no_overflow_as_lifetimes(fit):
    """lifetimes, TestBetaGeoFitter.test_no_runtime_warnings_high_frequency: under
    np.seterr(all="raise"), P(alive | x = 1000, t_x = 10, T = 100) == 0.0 (the exact value
    is 8.3e-858, below the smallest double)."""
    old = np.seterr(all="raise")
    try:
        p = fit.p_alive(1000, 10, 100)
    finally:
        np.seterr(**old)
    assert float(p) == 0.0


@pytest.mark.parametrize(
    ("x", "t_x", "big_t", "exact"),
    [(200, 30, 38.86, 3.03590752261026e-18), (60, 37, 38.86, 0.845940383995347)],
)
def test_p_alive_exact(x, t_x, big_t, exact):
    # mpmath, 50 digits: 1 / (1 + a/(b + x - 1) ((alpha + T)/(alpha + t_x))^(r + x)) with the
    # paper's parameters; lifetimes conditional_probability_alive gives the same
    assert float(PAPER.p_alive(x, t_x, big_t)) == pytest.approx(exact, rel=1e-10)


@pytest.mark.parametrize(
    ("t", "x", "t_x", "big_t", "exact", "lifetimes"),
    [
        (520, 500, 39.32, 39.32, 1686.61481270303, 1686.614812702345),
        (520, 500, 38.86, 38.86, 1694.91996927735, 1694.9199692761183),
        (39, 200, 38, 38.86, 113.098524455762, 113.09852445573352),
        (52, 1000, 38.86, 38.86, 857.280816833637, 857.2808168343743),
    ],
)
def test_expected_purchases_heavy_buyers(t, x, t_x, big_t, exact, lifetimes):
    """Heavy buyers, where 2F1(r + x, b + x; a + b + x - 1; z) overflows and the direct
    formula gave NaN (issue 13: x = 500, t = 520). Reference: eq. 10 with mpmath.hyp2f1 at
    50 digits; lifetimes 0.11.3 conditional_expected_number_of_purchases_up_to_time (its
    Euler fallback) gives the LIFETIMES column. Paper parameters 0.243, 4.414, 0.793, 2.426."""
    old = np.seterr(all="raise")
    try:
        ours = float(PAPER.expected_purchases(t, x, t_x, big_t))
    finally:
        np.seterr(**old)
    assert ours == pytest.approx(exact, rel=1e-10)
    assert ours == pytest.approx(lifetimes, rel=1e-10)


def test_euler_route_equals_direct_route():
    # where both are finite, (1-z)^(r+x) 2F1(r+x, b+x; c; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1;
    # c; z) with c = a + b + x - 1 (Euler's transformation): the fallback is the same number
    from scipy.special import hyp2f1

    r, alpha, a, b = PAPER.r, PAPER.alpha, PAPER.a, PAPER.b
    for x, big_t, t in [(2, 38.86, 39), (10, 30, 52), (0, 20, 100)]:
        z = t / (alpha + big_t + t)
        direct = (1 - z) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
        euler = (1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        assert euler == pytest.approx(direct, rel=1e-12)
    # and the paper's customer is unchanged: mpmath gives 1.22602817476714
    assert float(PAPER.expected_purchases(39, 2, 30.43, 38.86)) == pytest.approx(
        1.22602817476714, rel=1e-12
    )


# --- Gamma-Gamma -------------------------------------------------------------------------
def test_gamma_gamma_params_as_lifetimes(summary):
    """lifetimes, TestGammaGammaFitter.test_params_out_is_close_to_Hardie_paper:
    p, q, v = 6.25, 3.74, 15.44 (2 decimals) on the customers with repeat purchases."""
    gg = btyd.fit_gamma_gamma(summary)
    np.testing.assert_array_almost_equal(gg.params, [6.25, 3.74, 15.44], decimal=2)


def test_gamma_gamma_expected_spend_as_lifetimes(sample, summary):
    """lifetimes, TestGammaGammaFitter.test_conditional_expected_average_profit (Hardie's
    spreadsheet, brucehardie.com/notes/025): with p, q, v = 6.25, 3.74, 15.44 the first
    ten sample customers expect 24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17,
    27.28, 35.17 per purchase (atol 0.1). Their (x, mean spend) come from our own
    rfm_summary of sample ids 0001-0010 (lifetimes' summary file: x 2, 1, 0, 0, 0, 7, 1,
    0, 2, 0; zbar 22.35, 11.77, 0, 0, 0, 73.74, 11.77, 0, 25.55, 0)."""
    first = sample.drop_duplicates("customer_id").set_index("sample_id")["customer_id"]
    ten = summary.loc[first.sort_index().iloc[:10].to_numpy()]
    np.testing.assert_array_equal(ten["frequency"], [2, 1, 0, 0, 0, 7, 1, 0, 2, 0])
    np.testing.assert_allclose(
        ten["monetary_value"], [22.35, 11.77, 0, 0, 0, 73.74, 11.77, 0, 25.55, 0], atol=0.006
    )
    gg = GammaGammaResult(6.25, 3.74, 15.44, 0.0, 946, True)
    expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17]
    np.testing.assert_allclose(
        gg.expected_spend(ten["frequency"], ten["monetary_value"]), expected, atol=0.1
    )
    # the population mean p v / (q - 1) = 6.25 x 15.44 / 2.74 = 35.219 (x = 0 customers)
    assert gg.mean_spend == pytest.approx(35.219, abs=1e-3)
