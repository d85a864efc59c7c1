"""Chapter 05, "buy till you die" models of non-contractual customer value (客户终身价值).

When customers can leave without telling the firm (no contract: a shop, a catalogue,
CDNOW), nobody knows who is still a customer. The BG/NBD model (Fader, Hardie & Lee 2005a)
reads it from three numbers per customer, computed by :func:`rfm_summary`:

- ``frequency`` x: repeat purchases (purchase days after the first one),
- ``recency`` t_x: time from the first to the last purchase,
- ``T``: time from the first purchase to the end of calibration.

While alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase the
customer drops out with probability p ~ Beta(a, b). :func:`fit_bgnbd` fits (r, α, a, b)
by maximum likelihood (the paper's eq. 6, written with ``scipy.special``) and the result
gives P(alive) and the expected purchases in a future period (eq. 10, with the Gaussian
hypergeometric function ``scipy.special.hyp2f1``). :func:`fit_gamma_gamma` fits the
Gamma-Gamma spend model (Fader, Hardie & Lee 2005b; Colombo & Jiang 1999) to the average
spend of repeat purchases. :func:`simulate_bgnbd` draws customers from the model, to check
a fit recovers its parameters and for benchmarks.

The fit is a compact scipy maximum-likelihood estimate, checked in the tests against the
published CDNOW values (r 0.243, α 4.414, a 0.793, b 2.426); customers with the same
(x, t_x, T) are pooled, so a million customers fit in seconds.

What lives where: this module holds the summary (:func:`rfm_summary`, :func:`unit_days`)
and the two fits with their likelihoods; the fitted models :class:`BGNBDResult` and
:class:`GammaGammaResult` are in ``crmlab/_btyd_results.py``, and the checks of a fit
(:func:`holdout_by_frequency`, :func:`simulate_bgnbd`) in ``crmlab/_btyd_checks.py``.
All are imported here: use them through ``crmlab.btyd``.

References
----------
Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005a). "Counting your customers" the easy
way: An alternative to the Pareto/NBD model. *Marketing Science*, 24(2), 275-284.
Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005b). RFM and CLV: Using iso-value curves
for customer base analysis. *Journal of Marketing Research*, 42(4), 415-430.
Schmittlein, D. C., Morrison, D. G., & Colombo, R. (1987). Counting your customers: Who
are they and what will they do next? *Management Science*, 33(1), 1-24.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, digamma, gammaln

from crmlab._btyd_checks import holdout_by_frequency, simulate_bgnbd
from crmlab._btyd_results import BGNBDResult, GammaGammaResult
from crmlab._money import CENTS, from_cents, to_cents
from crmlab._units import UNIT_DAYS, unit_days  # noqa: F401 (UNIT_DAYS: btyd's day counts)
from crmlab._validate import (
    check_btyd_summary,
    format_rows,
    require_columns,
    require_frame,
    require_naive_dates,
    require_no_missing,
    require_non_negative,
    require_numeric,
)

__all__ = [
    "unit_days",
    "rfm_summary",
    "BGNBDResult",
    "fit_bgnbd",
    "GammaGammaResult",
    "fit_gamma_gamma",
    "holdout_by_frequency",
    "simulate_bgnbd",
]


def rfm_summary(
    orders: pd.DataFrame,
    *,
    as_of: object,
    holdout_end: object = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str | None = "amount",
    unit: str = "week",
) -> pd.DataFrame:
    """Frequency, recency and T per customer (the BG/NBD summary statistics).

    Purchases on the same day are merged into one purchase occasion (their amounts are
    added), as in Fader, Hardie & Lee (2005a). Time is counted from each customer's first
    purchase, in ``unit`` (weeks by default). Only customers whose first purchase falls
    in the calibration period are summarised.

    Parameters
    ----------
    orders : DataFrame
        One row per purchase (line).
    as_of : date-like
        Last day of the calibration period (CDNOW: 1997-09-30, the end of week 39).
    holdout_end : date-like, optional
        Last day of the holdout period; the holdout is the days after
        ``as_of`` up to it. Without it, no purchase may fall after ``as_of``.
    customer_id, order_date, amount : str
        Column names; ``amount=None`` skips the spend columns.
    unit : {"week", "day", "month"}

    Returns
    -------
    DataFrame
        Index customer id; ``frequency`` (repeat purchase days), ``recency`` (t_x),
        ``T``; with ``amount``: ``monetary_value`` (mean spend of the repeat purchases,
        0 without any) and ``first_amount``; with ``holdout_end``: ``frequency_holdout``
        and ``duration_holdout`` (length of the holdout in ``unit``).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``holdout_end`` is not after ``as_of`` (the periods would overlap),
        or purchases fall after the end of observation (the rows are named), or dates or
        amounts are missing.

    Examples
    --------
    Customer A buys on days 0, 0 (merged), 14 and 21 of calibration; B once on day 7.

    >>> tx = pd.DataFrame({"customer_id": list("AAABA"), "order_date": pd.to_datetime(
    ...     ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08", "2024-01-22"]),
    ...     "amount": [10.0, 5.0, 20.0, 8.0, 30.0]})
    >>> rfm_summary(tx, as_of="2024-01-29").reset_index()
      customer_id  frequency  recency    T  monetary_value  first_amount
    0           A          2      3.0  4.0            25.0          15.0
    1           B          0      0.0  3.0             0.0           8.0
    """
    require_frame(orders, "orders")
    cols = [customer_id, order_date] + ([amount] if amount is not None else [])
    require_columns(orders, cols, "orders")
    require_no_missing(orders, customer_id)
    require_no_missing(orders, order_date)
    if not pd.api.types.is_datetime64_any_dtype(orders[order_date]):
        raise ValueError(
            f"column {order_date!r} must hold dates (datetime64), "
            f"got dtype {orders[order_date].dtype}."
        )
    require_naive_dates(orders, order_date)
    if amount is not None:
        require_numeric(orders, amount)
    days = unit_days(unit)
    cal_end = pd.Timestamp(as_of)
    end = cal_end if holdout_end is None else pd.Timestamp(holdout_end)
    if end <= cal_end and holdout_end is not None:
        raise ValueError(
            f"holdout_end ({end.date()}) must be after as_of "
            f"({cal_end.date()}): the holdout may not overlap the calibration."
        )
    late = (orders[order_date] > end).to_numpy()
    if late.any():
        what = "holdout_end" if holdout_end is not None else "as_of"
        raise ValueError(
            f"column {order_date!r} has purchases after the end of observation ({what}="
            f"{end.date()}) in rows {format_rows(orders.index[late])}; drop them or pass "
            "a later end."
        )
    tx = orders[cols].copy()
    tx["_day"] = tx[order_date].dt.normalize()
    # money in whole cents (crmlab._money), so that sums are exact on every engine
    tx["_amt"] = 0 if amount is None else to_cents(tx[amount].to_numpy(float), amount)
    occ = tx.groupby([customer_id, "_day"], sort=True, observed=True)["_amt"].sum().reset_index()
    cal = occ[occ["_day"] <= cal_end]
    g = cal.groupby(customer_id, sort=True, observed=True)
    first, last, n = g["_day"].min(), g["_day"].max(), g.size()
    first_amt = g["_amt"].first()
    out = pd.DataFrame(
        {
            "frequency": (n - 1).astype("int64"),
            "recency": (last - first).dt.days / days,
            "T": (cal_end - first).dt.days / days,
        }
    )
    out.index.name = customer_id
    if amount is not None:
        total = g["_amt"].sum()
        repeat = (total - first_amt).to_numpy(float)
        freq = out["frequency"].to_numpy()
        # mean of the repeat purchases: one division of exact integers (cents / cents)
        out["monetary_value"] = np.divide(
            repeat, freq * CENTS, out=np.zeros(len(out)), where=freq > 0
        )
        out["first_amount"] = from_cents(first_amt.to_numpy())
    if holdout_end is not None:
        hold = occ[occ["_day"] > cal_end].groupby(customer_id, observed=True).size()
        out["frequency_holdout"] = hold.reindex(out.index, fill_value=0).astype("int64")
        out["duration_holdout"] = (end - cal_end).days / days
    return out


def _bgnbd_loglik(params: np.ndarray, x, t_x, big_t, weights) -> float:
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b)
    alive = -(r + x) * np.log(alpha + big_t)
    with np.errstate(divide="ignore"):
        dropped = np.where(
            x > 0,
            np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return float(np.sum(weights * (common + np.logaddexp(alive, dropped))))


def fit_bgnbd(
    summary: pd.DataFrame,
    *,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
    weight: str | None = None,
) -> BGNBDResult:
    """Fit the BG/NBD model by maximum likelihood (Fader, Hardie & Lee 2005a, eq. 6).

    The likelihood of a customer with (x, t_x, T) is

    ``B(a, b+x)/B(a, b) Γ(r+x)/Γ(r) α^r [ (α+T)^-(r+x)
    + [x>0] a/(b+x-1) (α+t_x)^-(r+x) ]``,

    maximised over the logarithms of (r, α, a, b) from (1, 1, 1, 1) by L-BFGS-B with the
    analytic gradient. Customers with equal (x, t_x, T) are pooled with weights, so a
    summary pooled beforehand (``weight`` = the number of customers of each row, as
    :func:`crmlab.engine.pooled_summary` gives) fits to the same parameters. One million
    distinct triples fit in a few seconds (``benchmarks/bench_engine.py``).

    Parameters
    ----------
    summary : DataFrame
        One row per customer, as from :func:`rfm_summary`, or per group of customers.
    frequency, recency, T : str
        Column names.
    weight : str, optional
        Column with the number of customers of each row (default: one each).

    Returns
    -------
    BGNBDResult

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If a value is negative or missing, or recency is outside [0, T].

    Examples
    --------
    >>> from crmlab import datasets
    >>> sample = datasets.load("cdnow_sample")
    >>> summary = rfm_summary(
    ...     sample, as_of="1997-09-30", holdout_end="1998-06-30", order_date="date"
    ... )
    >>> fit = fit_bgnbd(summary)
    >>> fit.params.round(3).tolist()  # published: 0.243, 4.414, 0.793, 2.426
    [0.243, 4.414, 0.793, 2.426]
    """
    x, t_x, big_t = check_btyd_summary(summary, frequency=frequency, recency=recency, T=T)
    w = _weights(summary, weight)
    (ux, ut, uT), uw = _pool([x, t_x, big_t], w)
    fit = _maximise(_BGNBDLikelihood(ux, ut, uT, uw), np.zeros(4))
    r, alpha, a, b = np.exp(fit.x)
    return BGNBDResult(
        float(r),
        float(alpha),
        float(a),
        float(b),
        float(-fit.fun * uw.sum()),
        int(round(uw.sum())),
        bool(fit.success),
    )


def _weights(summary: pd.DataFrame, weight: str | None) -> np.ndarray | None:
    if weight is None:
        return None
    require_columns(summary, [weight], "summary")
    require_non_negative(summary, weight)
    return summary[weight].to_numpy(dtype=float)


def _pool(columns: list[np.ndarray], weights: np.ndarray | None):
    """Distinct rows of ``columns`` (sorted, first column first) and their summed weights
    (counts without weights): a per-customer table and the same customers pooled with
    counts give identical arrays, hence identical fits.

    Each column is coded by its sorted distinct values (``pd.factorize``) and the codes
    are folded into one integer key, renumbered in sorted order after each column so that
    it stays below the number of rows; the key's order is the rows' lexicographic order.
    Grouping on that one key takes half the memory of a pandas group-by on the float
    columns themselves (1M customers: a peak of 55 MB instead of 110 MB), and the weights
    go through the same pandas group sum, row by row in the same order, so the sums do not
    change in the last bit.
    """
    key = np.zeros(columns[0].size, dtype=np.int64)
    for c in columns:
        codes, distinct = pd.factorize(c, sort=True)
        key *= distinct.size
        key += codes
        key, groups = pd.factorize(key, sort=True)
    rows = np.empty(groups.size, dtype=np.int64)
    rows[key] = np.arange(key.size)  # a row of each group: all its rows hold the same values
    keys = [np.asarray(c, dtype=float)[rows] for c in columns]
    if weights is None:
        sums = np.bincount(key, minlength=groups.size).astype(float)
    else:
        sums = pd.Series(weights).groupby(key, sort=True).sum().to_numpy(dtype=float)
    return keys, sums


def _maximise(likelihood, start: np.ndarray):
    """Minimise the mean negative log-likelihood over log-parameters with L-BFGS-B and the
    analytic gradient.

    Converged means L-BFGS-B's own test passed or, when its line search stops at the
    limits of float precision (it then reports failure), the gradient is below 1e-6.
    BLAS runs in one thread: the likelihood's dot products are memory-bound, and on a
    busy machine OpenBLAS threads made a dot product of 17,000 numbers take 2.5 ms
    instead of 17 µs.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        fit = minimize(
            likelihood,
            start,
            jac=True,
            method="L-BFGS-B",
            options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000},
        )
    fit.success = bool(fit.success or np.abs(fit.jac).max() < 1e-6)
    return fit


class _BGNBDLikelihood:
    """Mean negative BG/NBD log-likelihood (eq. 6) and its gradient in log-parameters.

    ``log L = log B(a, b+x)/B(a, b) + log Γ(r+x)/Γ(r) + r log α - (r+x) log(α+T)
    + [x>0] log(1 + exp(d))`` with ``d = log a - log(b+x-1) - (r+x) (log(α+t_x) - log(α+T))``.
    Terms in x alone (Γ, B, ψ) are summed once per distinct frequency, terms in T alone
    once per distinct T; only customers with repeat purchases need work per pooled
    triple (one exp and one log), so a million triples take tens of milliseconds.
    """

    def __init__(self, x, t_x, big_t, w):
        self.total = w.sum()
        self.xs, ix = np.unique(x, return_inverse=True)
        self.wx = np.bincount(ix, weights=w, minlength=self.xs.size)
        self.Ts, iT = np.unique(big_t, return_inverse=True)
        self.w_T = np.bincount(iT, weights=w, minlength=self.Ts.size)
        self.wx_T = np.bincount(iT, weights=w * x, minlength=self.Ts.size)
        rep = x > 0
        self.ts, self.it = np.unique(t_x[rep], return_inverse=True)
        self.ix, self.iT = ix[rep], iT[rep]
        self.x, self.w = x[rep], w[rep]

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(theta)
        xs, wx, total = self.xs, self.wx, self.total
        log_Ts = np.log(alpha + self.Ts)
        inv_Ts = 1.0 / (alpha + self.Ts)
        rw_T = r * self.w_T + self.wx_T  # sum of w (r + x) per distinct T
        ab = digamma(a + b) - digamma(a + b + xs)
        ll = (
            wx @ (gammaln(r + xs) + betaln(a, b + xs))
            + total * (r * np.log(alpha) - gammaln(r) - betaln(a, b))
            - rw_T @ log_Ts
        )
        d_r = wx @ digamma(r + xs) + total * (np.log(alpha) - digamma(r)) - self.w_T @ log_Ts
        d_alpha = total * r / alpha - rw_T @ inv_Ts
        d_a = wx @ ab
        d_b = wx @ (digamma(b + xs) - digamma(b) + ab)
        if self.w.size:
            # repeat buyers: + log(1 + exp(d)); s = exp(d) / (1 + exp(d))
            bx = np.log(np.maximum(b + xs - 1, 1e-300))[self.ix]
            dlog = np.log(alpha + self.ts)[self.it] - log_Ts[self.iT]
            dinv = (1.0 / (alpha + self.ts))[self.it] - inv_Ts[self.iT]
            rx = r + self.x
            d = np.log(a) - bx - rx * dlog
            e = np.exp(-np.abs(d))
            ll += self.w @ (np.maximum(d, 0.0) + np.log1p(e))
            ws = self.w * (np.where(d > 0, 1.0, e) / (1.0 + e))
            d_r -= ws @ dlog
            d_alpha -= ws @ (rx * dinv)
            d_a += ws.sum() / a
            d_b -= ws @ np.exp(-bx)
        grad = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
        return float(-ll / total), -grad / total


# --------------------------------------------------------------------------- Gamma-Gamma


def _gg_loglik(params, x, m):
    p, q, gamma = params
    return (
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(gamma)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(gamma + m * x)
    )


def fit_gamma_gamma(
    summary: pd.DataFrame,
    *,
    frequency: str = "frequency",
    monetary_value: str = "monetary_value",
    weight: str | None = None,
) -> GammaGammaResult:
    """Fit the Gamma-Gamma spend model by maximum likelihood.

    Fitted to the customers with at least one repeat purchase: for x purchases averaging
    m_x, ``L = Γ(px+q)/(Γ(px)Γ(q)) γ^q m_x^(px-1) x^(px) / (γ + m_x x)^(px+q)``. The model
    assumes spend does not depend on frequency; check it (a correlation near 0). Maximised
    over the logarithms of (p, q, γ) by L-BFGS-B with the analytic gradient; customers with
    equal (x, m_x) are pooled, so a table pooled beforehand with ``weight`` (the number of
    customers per row) fits to the same parameters.

    Parameters
    ----------
    summary : DataFrame
        One row per customer, as from :func:`rfm_summary` (with spends).
    frequency, monetary_value : str
        Repeat purchases and their mean spend (the literature's names).
    weight : str, optional
        Column with the number of customers of each row (default: one each).

    Returns
    -------
    GammaGammaResult
        ``p``, ``q``, ``gamma``, ``log_likelihood``, ``n_customers`` and ``converged``;
        ``expected_spend()`` and ``summary()``.

    Raises
    ------
    ValueError
        If a spend is not positive for a customer with repeat purchases, or fewer than
        three customers have repeat purchases.

    Examples
    --------
    >>> from crmlab import datasets
    >>> summary = rfm_summary(
    ...     datasets.load("cdnow_sample"), as_of="1997-09-30", holdout_end="1998-06-30",
    ...     order_date="date",
    ... )
    >>> fit_gamma_gamma(summary).params.round(2).tolist()  # published: 6.25, 3.74, 15.44
    [6.25, 3.74, 15.44]
    """
    require_frame(summary, "summary")
    require_columns(summary, [frequency, monetary_value], "summary")
    require_numeric(summary, frequency)
    require_numeric(summary, monetary_value)
    rep = summary[summary[frequency] > 0]
    bad = rep[monetary_value].to_numpy() <= 0
    if bad.any():
        raise ValueError(
            f"column {monetary_value!r} must be > 0 for customers with repeat "
            f"purchases; rows {format_rows(rep.index[bad])} are not."
        )
    w = _weights(rep, weight)
    n_rep = len(rep) if w is None else w.sum()
    if n_rep < 3:
        raise ValueError(f"need at least 3 customers with {frequency!r} > 0, got {n_rep:g}.")
    (x, m), uw = _pool([rep[frequency].to_numpy(float), rep[monetary_value].to_numpy(float)], w)
    start = np.log([1.0, 1.0, max(float(np.mean(m)), 1.0)])
    fit = _maximise(_GammaGammaLikelihood(x, m, uw), start)
    p, q, g = np.exp(fit.x)
    return GammaGammaResult(
        float(p),
        float(q),
        float(g),
        float(-fit.fun * uw.sum()),
        int(round(uw.sum())),
        bool(fit.success),
    )


class _GammaGammaLikelihood:
    """Mean negative Gamma-Gamma log-likelihood and its gradient in log-parameters."""

    def __init__(self, x, m, w):
        self.x, self.m, self.w, self.total = x, m, w, w.sum()
        self.log_m, self.log_x = np.log(m), np.log(x)
        self.mx = m * x

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, gamma = np.exp(theta)
        x, w = self.x, self.w
        px = p * x
        log_gm = np.log(gamma + self.mx)
        ll = w @ _gg_loglik((p, q, gamma), x, self.m)
        psi = digamma(px + q)
        d_p = w @ (x * (psi - digamma(px) + self.log_m + self.log_x - log_gm))
        d_q = w @ (psi - log_gm) + self.total * (np.log(gamma) - digamma(q))
        d_g = self.total * q / gamma - w @ ((px + q) / (gamma + self.mx))
        grad = np.array([d_p * p, d_q * q, d_g * gamma])
        return float(-ll / self.total), -grad / self.total
