"""Checking a BTYD fit, part of :mod:`crmlab.btyd` (which imports both functions: use them
through ``btyd``): :func:`holdout_by_frequency`, the calibration/holdout comparison of
Fader, Hardie & Lee (2005a, Figure 4), and :func:`simulate_bgnbd`, customers drawn from the
model to check that a fit recovers its parameters (and for benchmarks).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._btyd_results import BGNBDResult
from crmlab._validate import (
    check_btyd_summary,
    require_columns,
    require_int,
    require_positive,
)

__all__ = ["holdout_by_frequency", "simulate_bgnbd"]


def holdout_by_frequency(
    summary: pd.DataFrame,
    fit: BGNBDResult,
    *,
    max_frequency: int = 7,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
    frequency_holdout: str = "frequency_holdout",
    duration_holdout: str = "duration_holdout",
) -> pd.DataFrame:
    """Mean actual and predicted holdout purchases by calibration frequency
    (the calibration/holdout check of Fader, Hardie & Lee 2005a, Figure 4).

    Frequencies at or above ``max_frequency`` are pooled in one row labelled
    ``f"{max_frequency}+"``.

    Parameters
    ----------
    summary : DataFrame
        As from :func:`rfm_summary` with ``holdout_end``.
    fit : BGNBDResult
        The model fitted on the calibration period.
    max_frequency : int
        Frequencies from here on are pooled.
    frequency, recency, T, frequency_holdout, duration_holdout : str
        The summary's columns.

    Returns
    -------
    DataFrame
        Index ``frequency`` (0, 1, ..., "7+"); ``n_customers``, ``actual``, ``predicted``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        As :func:`crmlab._validate.check_btyd_summary`.

    Examples
    --------
    >>> bg = BGNBDResult(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, True)
    >>> s = pd.DataFrame({"frequency": [0, 0, 2], "recency": [0.0, 0.0, 30.0],
    ...     "T": [39.0, 39.0, 39.0], "frequency_holdout": [0, 1, 2], "duration_holdout": 39.0})
    >>> holdout_by_frequency(s, bg, max_frequency=2)["actual"].tolist()  # (0 + 1) / 2, -, 2
    [0.5, nan, 2.0]
    """
    x, t_x, big_t = check_btyd_summary(summary, frequency=frequency, recency=recency, T=T)
    require_columns(summary, [frequency_holdout, duration_holdout], "summary")
    pred = fit.expected_purchases(summary[duration_holdout].to_numpy(float), x, t_x, big_t)
    group = np.minimum(x, max_frequency).astype(int)
    labels = [str(k) for k in range(max_frequency)] + [f"{max_frequency}+"]
    frame = pd.DataFrame(
        {"group": group, "actual": summary[frequency_holdout].to_numpy(float), "predicted": pred}
    )
    out = frame.groupby("group").agg(
        n_customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    out = out.reindex(range(max_frequency + 1))
    out.index = pd.Index(labels, name="frequency")
    return out


def simulate_bgnbd(
    n_customers: int,
    T: float,
    *,
    r: float = 0.243,
    alpha: float = 4.414,
    a: float = 0.793,
    b: float = 2.426,
    holdout: float = 0.0,
    mean_spend: tuple[float, float, float] | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Draw customers from the BG/NBD model, each observed for ``T`` units after a first
    purchase at time 0 (and ``holdout`` units more), as a summary table.

    With ``mean_spend=(p, q, gamma)`` the repeat purchases also get Gamma-Gamma spends,
    and ``monetary_value`` is their mean. Defaults are the CDNOW estimates.

    Parameters
    ----------
    n_customers : int
        Customers to draw, >= 1.
    T : float
        Calibration length after the first purchase, > 0.
    r, alpha, a, b : float
        BG/NBD parameters, > 0.
    holdout : float
        Holdout length after ``T``, >= 0.
    mean_spend : (p, q, gamma), optional
        Gamma-Gamma parameters for spends.
    seed : int
        Seed of the random generator.

    Returns
    -------
    DataFrame
        ``frequency``, ``recency``, ``T`` (and ``frequency_holdout``,
        ``duration_holdout`` if ``holdout`` > 0; ``monetary_value`` with spends);
        the true ``lam``, ``p`` and ``alive`` (at ``T``) for checking.

    Raises
    ------
    ValueError
        If a count or parameter is out of range.

    Examples
    --------
    >>> sim = simulate_bgnbd(1000, 39, seed=1)
    >>> bool((sim["recency"] <= sim["T"]).all()), sorted(sim.columns)[:3]
    (True, ['T', 'alive', 'frequency'])
    """
    n = require_int(n_customers, "n_customers", low=1)
    require_positive(T, "T")
    require_positive(holdout, "holdout", allow_zero=True)
    for name, v in (("r", r), ("alpha", alpha), ("a", a), ("b", b)):
        require_positive(v, name)
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    # purchases until dropout: number of repeat purchases before dying is geometric
    total = T + holdout
    x = np.zeros(n, dtype=np.int64)
    x_hold = np.zeros(n, dtype=np.int64)
    t = np.zeros(n)
    last = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    active = np.arange(n)
    while active.size:
        t[active] += rng.exponential(1 / lam[active])
        in_window = t[active] <= total
        active = active[in_window]
        if not active.size:
            break
        in_cal = t[active] <= T
        x[active[in_cal]] += 1
        last[active[in_cal]] = t[active[in_cal]]
        x_hold[active[~in_cal]] += 1
        # after a purchase the customer drops out with probability p
        dies = rng.random(active.size) < p[active]
        dead = active[dies]
        alive[dead[t[dead] <= T]] = False
        active = active[~dies]
    out = pd.DataFrame({"frequency": x, "recency": last, "T": float(T)})
    if holdout > 0:
        out["frequency_holdout"] = x_hold
        out["duration_holdout"] = float(holdout)
    if mean_spend is not None:
        sp, sq, sg = mean_spend
        nu = rng.gamma(sq, 1 / sg, n)
        # the mean of x Gamma(p, nu) spends is Gamma(p x, nu x)
        xs = np.maximum(x, 1)
        out["monetary_value"] = np.where(x > 0, rng.gamma(sp * xs, 1 / (nu * xs)), 0.0)
    out["lam"], out["p"], out["alive"] = lam, p, alive
    out.index.name = "customer"
    return out
