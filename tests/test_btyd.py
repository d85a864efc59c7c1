"""Tests of crmlab.btyd (chapter 05, BG/NBD and Gamma-Gamma). Hand-worked values carry
their arithmetic in a comment; published values (Fader, Hardie & Lee 2005a, 2005b) name
their source in the docstring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from crmlab import btyd, datasets
from crmlab.btyd import BGNBDResult, GammaGammaResult

PAPER = BGNBDResult(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, True)


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    """Summary of the 2,357-customer sample: calibration to 1997-09-30 (weeks 1-39),
    holdout to 1998-06-30 (weeks 40-78)."""
    return btyd.rfm_summary(
        datasets.load("cdnow_sample"),
        as_of="1997-09-30",
        holdout_end="1998-06-30",
        order_date="date",
    )


@pytest.fixture(scope="module")
def cdnow_fit(cdnow) -> BGNBDResult:
    return btyd.fit_bgnbd(cdnow)


def test_rfm_summary_by_hand():
    # A: days 0, 0 (merged: 10 + 5 = 15), 14, 21 -> x = 2, t_x = 21/7 = 3, T = 28/7 = 4,
    #    repeat spend (20 + 30)/2 = 25; holdout (after day 28): one purchase on day 30
    tx = pd.DataFrame(
        {
            "customer_id": list("AAABAA"),
            "order_date": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08", "2024-01-22", "2024-01-31"]
            ),
            "amount": [10.0, 5.0, 20.0, 8.0, 30.0, 1.0],
        }
    )
    s = btyd.rfm_summary(tx, as_of="2024-01-29", holdout_end="2024-02-26")
    assert s.loc["A"].to_dict() == {
        "frequency": 2,
        "recency": 3.0,
        "T": 4.0,
        "monetary_value": 25.0,
        "first_amount": 15.0,
        "frequency_holdout": 1,
        "duration_holdout": 4.0,
    }
    assert s.loc["B", ["frequency", "recency", "T"]].tolist() == [0, 0.0, 3.0]


def test_unit_days_by_hand():
    # a day is 1 day, a week 7 days, a month 365.25 days / 12 months = 30.4375 days
    assert btyd.unit_days("day") == 1.0
    assert btyd.unit_days("week") == 7.0
    assert btyd.unit_days("month") == 30.4375
    # rfm_summary divides by it: B below buys on 2024-01-08, as_of 2024-02-07 is 30 days
    # later, so T = 30 / 30.4375 = 0.98563... months and 30 / 7 = 4.2857... weeks
    tx = pd.DataFrame({"customer_id": ["B"], "order_date": pd.to_datetime(["2024-01-08"])})
    for unit, days in (("month", 30.4375), ("week", 7.0)):
        got = btyd.rfm_summary(tx, as_of="2024-02-07", amount=None, unit=unit)
        assert got.loc["B", "T"] == pytest.approx(30 / days)


@pytest.mark.parametrize("bad", ["year", "Week", "", 7])
def test_unit_days_refuses_an_unknown_unit(bad):
    # the message lists the units and repeats the bad value
    with pytest.raises(ValueError, match=r"unit must be one of \['day', 'week', 'month'\]") as e:
        btyd.unit_days(bad)
    assert f"got {bad!r}" in str(e.value)


def test_pool_by_hand():
    # rows (x, t): (1, 2), (0, 0), (1, 2), (1, 3) -> distinct rows sorted by x then t:
    # (0, 0) once, (1, 2) twice, (1, 3) once; weights 0.5, 1, 0.25, 2 sum to
    # 1 for (0, 0), 0.5 + 0.25 = 0.75 for (1, 2) and 2 for (1, 3)
    x, t = np.array([1.0, 0.0, 1.0, 1.0]), np.array([2.0, 0.0, 2.0, 3.0])
    (kx, kt), counts = btyd._pool([x, t], None)
    assert kx.tolist() == [0.0, 1.0, 1.0] and kt.tolist() == [0.0, 2.0, 3.0]
    assert counts.tolist() == [1.0, 2.0, 1.0]
    _, sums = btyd._pool([x, t], np.array([0.5, 1.0, 0.25, 2.0]))
    assert sums.tolist() == [1.0, 0.75, 2.0]
    # second method: numpy's distinct rows (lexicographic) and their counts
    rows, n = np.unique(np.column_stack([x, t]), axis=0, return_counts=True)
    assert rows[:, 0].tolist() == kx.tolist() and n.tolist() == counts.tolist()


def test_bgnbd_published_parameters(cdnow_fit):
    """Fader, Hardie & Lee (2005a), "Counting your customers" the easy way, Marketing
    Science 24(2), p. 279: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL -9582.4
    (2,357 customers, 39-week calibration, same-day purchases merged)."""
    assert cdnow_fit.params.round(2).tolist() == [0.24, 4.41, 0.79, 2.43]
    assert cdnow_fit.params.round(3).tolist() == [0.243, 4.414, 0.793, 2.426]
    assert cdnow_fit.log_likelihood == pytest.approx(-9582.4, abs=0.05)


def test_bgnbd_conditional_expectation_published():
    """Fader, Hardie & Lee (2005a), p. 281: a customer with x = 2, t_x = 30.43, T = 38.86
    is expected to make 1.226 purchases in the next 39 weeks (eq. 10, with 2F1)."""
    assert float(PAPER.expected_purchases(39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=5e-4)


def test_p_alive_by_hand():
    # x = 0: alive for sure. x = 2, t_x = 30.43, T = 38.86:
    #   a/(b + x - 1) = 0.793/3.426 = 0.23147; ((4.414 + 38.86)/(4.414 + 30.43))^2.243
    #   = 1.24194^2.243 = 1.62578; P = 1/(1 + 0.23147 x 1.62578) = 0.72658
    assert PAPER.p_alive(0, 0, 30) == 1.0
    assert float(PAPER.p_alive(2, 30.43, 38.86)) == pytest.approx(0.72658, abs=1e-4)


def test_expected_purchases_new_by_numerical_integration():
    # E[X(t)] (eq. 9) checked by integrating the model directly: for given lambda and p,
    # E[X(t) | lambda, p] = (1 - exp(-lambda p t)) / p; averaged over lambda ~ Gamma(r,
    # alpha) (its Laplace transform) that is (1 - (alpha/(alpha + p t))^r) / p; then a
    # numerical integral over p ~ Beta(a, b).
    r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
    t = 39.0
    direct, _ = integrate.quad(
        lambda p: (1 - (alpha / (alpha + p * t)) ** r) / p * stats.beta.pdf(p, a, b),
        0,
        1,
        epsabs=1e-12,
        limit=200,
    )
    assert float(PAPER.expected_purchases_new(t)) == pytest.approx(direct, rel=1e-4)


def test_holdout_by_frequency_tracks(cdnow, cdnow_fit):
    # weeks 40-78: 1,882 repeat purchases in the holdout, the model predicts about 1,653
    table = btyd.holdout_by_frequency(cdnow, cdnow_fit)
    assert table["n_customers"].sum() == 2357
    assert list(table.index[-2:]) == ["6", "7+"]
    assert cdnow["frequency_holdout"].sum() == 1882
    total = (table["predicted"] * table["n_customers"]).sum()
    assert total == pytest.approx(1653.4, abs=0.5)


def test_bgnbd_recovers_simulated_parameters():
    sim = btyd.simulate_bgnbd(20_000, 39, r=0.5, alpha=5.0, a=0.8, b=2.5, seed=1)
    fit = btyd.fit_bgnbd(sim)
    assert fit.params.to_numpy() == pytest.approx([0.5, 5.0, 0.8, 2.5], rel=0.15)


def test_gamma_gamma_published(cdnow):
    """Fader, Hardie & Lee (2005b), RFM and CLV, JMR 42(4), and Fader & Hardie's note
    "The Gamma-Gamma model of monetary value" (2013): p = 6.25, q = 3.74, gamma = 15.44
    for the 946 sample customers with a repeat purchase in weeks 1-39, spend averaged
    over the repeat purchases (same-day purchases merged). Also a second method: the
    likelihood of one customer equals a direct numerical integral over nu."""
    fit = btyd.fit_gamma_gamma(cdnow)
    assert fit.n_customers == 946
    assert fit.params.round(2).tolist() == [6.25, 3.74, 15.44]
    # one customer: x = 3 purchases averaging m = 20. The mean of x Gamma(p, nu) spends is
    # Gamma(p x, nu x); nu ~ Gamma(q, gamma). Integrate the density of m over nu.
    p, q, g, x, m = fit.p, fit.q, fit.gamma, 3.0, 20.0
    direct, _ = integrate.quad(
        lambda nu: (
            stats.gamma.pdf(m, p * x, scale=1 / (nu * x)) * stats.gamma.pdf(nu, q, scale=1 / g)
        ),
        0,
        np.inf,
    )
    assert np.exp(btyd._gg_loglik((p, q, g), np.array([x]), np.array([m])))[0] == pytest.approx(
        direct, rel=1e-6
    )


def test_gamma_gamma_expected_spend_by_hand():
    # p = 6.25, q = 3.74, gamma = 15.44, x = 2, m = 30:
    #   (p gamma + p x m)/(p x + q - 1) = (96.5 + 375)/(12.5 + 2.74) = 471.5/15.24 = 30.938
    gg = GammaGammaResult(6.25, 3.74, 15.44, 0.0, 946, True)
    assert float(gg.expected_spend(2, 30)) == pytest.approx(30.938, abs=1e-3)
    assert gg.mean_spend == pytest.approx(6.25 * 15.44 / 2.74)


def test_holdout_overlapping_calibration():
    tx = pd.DataFrame(
        {"customer_id": ["A"], "order_date": pd.to_datetime(["2024-01-01"]), "amount": [1.0]}
    )
    with pytest.raises(ValueError, match="holdout_end.*overlap"):
        btyd.rfm_summary(tx, as_of="2024-03-01", holdout_end="2024-02-01")


def test_purchases_after_end_of_observation():
    tx = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "order_date": pd.to_datetime(["2024-01-01", "2024-05-01", "2024-02-01"]),
            "amount": [1.0, 2.0, 3.0],
        }
    )
    with pytest.raises(ValueError, match=r"after the end of observation.*rows \[1\]"):
        btyd.rfm_summary(tx, as_of="2024-03-01")
    with pytest.raises(ValueError, match=r"holdout_end=2024-04-01.*rows \[1\]"):
        btyd.rfm_summary(tx, as_of="2024-03-01", holdout_end="2024-04-01")


def test_bad_summary_rows_named():
    bad = pd.DataFrame(
        {"frequency": [1, 0, 2], "recency": [2.0, 1.0, 9.0], "T": [5.0, 5.0, 5.0]},
        index=["a", "b", "c"],
    )
    with pytest.raises(ValueError, match=r"'recency'.*\['b', 'c'\]"):
        btyd.fit_bgnbd(bad)
    neg = pd.DataFrame({"frequency": [-1], "recency": [0.0], "T": [1.0]})
    with pytest.raises(ValueError, match="'frequency' has negative"):
        btyd.fit_bgnbd(neg)
    with pytest.raises(KeyError, match="recency"):
        btyd.fit_bgnbd(neg.drop(columns="recency"))


def test_gamma_gamma_bad_spend():
    s = pd.DataFrame(
        {"frequency": [1, 2, 3, 1], "monetary_value": [10.0, 0.0, 5.0, 3.0]}, index=list("wxyz")
    )
    with pytest.raises(ValueError, match=r"'monetary_value'.*\['x'\]"):
        btyd.fit_gamma_gamma(s)


def test_gamma_gamma_summary_and_text():
    fit = GammaGammaResult(6.25, 3.74, 15.44, -9.0, 946, True)
    table = fit.summary()
    # population mean spend p gamma / (q - 1) = 6.25 x 15.44 / 2.74 = 35.2190
    assert table.loc["mean spend p·gamma/(q-1)", "value"] == pytest.approx(35.2190, abs=1e-4)
    assert table.loc["q", "value"] == 3.74 and "n = 946" in table.loc["log-likelihood", "meaning"]
    assert str(fit).startswith("Gamma-Gamma spend model")


def test_expected_spend_by_hand_and_refused_when_q_is_at_most_one():
    from crmlab.btyd import GammaGammaResult

    fit = GammaGammaResult(2.0, 3.0, 10.0, -1.0, 100, True)
    # x = 0: (p gamma) / (q - 1) = 20 / 2 = 10, the population mean; x = 2, m = 50:
    # (20 + 2 * 2 * 50) / (2 * 2 + 3 - 1) = 220 / 6
    assert fit.expected_spend([0, 2], [0.0, 50.0]) == pytest.approx([10.0, 220 / 6])
    # q = 0.998 (a 3,000-customer synthetic company): the formula would give
    # (2 * 3000) / (0.998 - 1) = -3,000,000 for a one-time buyer; refused instead
    degenerate = GammaGammaResult(2.0, 0.998, 3000.0, -1.0, 1934, True)
    with pytest.raises(ValueError, match=r"q = 0\.998 <= 1.*1934 repeat buyers"):
        degenerate.expected_spend([0, 3], [80.0, 80.0])
    assert degenerate.mean_spend == float("inf")
