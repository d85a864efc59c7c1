"""Risk-set arithmetic that statsmodels' survival models do not offer, used by
:mod:`crmlab.survival`: the late-entry adjustment for ``PHReg``, the transformed
pointwise bands of a Kaplan-Meier curve (R ``survfit``'s ``conf.type``), the
proportional-hazards score test of R's ``survival::cox.zph`` (with the scaled Schoenfeld
residuals it plots) and the concordance index of ``survival::concordance``.

The Cox diagnostics take the fitted coefficients from ``PHReg`` and only add up risk-set
sums; the risk set at an event time t is every customer with ``entry < t <= time`` (R's
``Surv(entry, time, event)`` counting-process convention, also lifelines'). The formulas
follow the code of R ``survival`` 3.x (``survfit_confint``, ``zph1.c``, ``zph2.c``,
``concordance``), checked against R 4.2 / survival 3.5-3 in
``tests/test_reference_survival.py``.

References
----------
Grambsch, P. M., & Therneau, T. M. (1994). Proportional hazards tests and diagnostics
based on weighted residuals. *Biometrika*, 81(3), 515-526.
Kalbfleisch, J. D., & Prentice, R. L. (2002). *The Statistical Analysis of Failure Time
Data* (2nd ed.). Wiley (transformed confidence bands).
Therneau, T. M. (2024). *A package for survival analysis in R* (``cox.zph``: the score
test since survival 3.0, 2019; ``concordance``).
Harrell, F. E., Califf, R. M., Pryor, D. B., Lee, K. L., & Rosati, R. A. (1982).
Evaluating the yield of medical tests. *JAMA*, 247(18), 2543-2546.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight

__all__ = [
    "CI_METHODS",
    "TRANSFORMS",
    "open_entry",
    "km_bands",
    "time_transform",
    "zph_parts",
    "zph_score_tests",
    "zph_approx_tests",
    "concordance_counts",
]

#: Pointwise confidence bands of a Kaplan-Meier curve, named as R ``survfit(conf.type=)``.
CI_METHODS = ("log-log", "log", "plain", "logit", "arcsin")


def open_entry(enter: np.ndarray | None, time: np.ndarray) -> np.ndarray | None:
    """Entry times for ``PHReg`` such that its risk sets are ``entry < t <= time``.

    A customer who enters at t was not observed *at* t (left truncation at t: only the
    churn after t could be seen), so R ``coxph(Surv(entry, time, event))``, lifelines and
    ``SurvfuncRight`` (our Kaplan-Meier) leave them out of the risk set at t. ``PHReg``
    counts them in (its ``risk_exit`` uses ``searchsorted(..., side="left")``: entry <= t).
    Each entry equal to an observed time is therefore moved halfway to the next distinct
    time: no event time lies in between, so every risk set equals R's exactly. Entries
    between times are unchanged.

    Parameters
    ----------
    enter : ndarray or None
        Entry times, each below its ``time`` (checked by the caller).
    time : ndarray
        Durations (event or censoring times).

    Returns
    -------
    ndarray or None
        The entries to pass to ``PHReg`` (None when ``enter`` is None).

    Raises
    ------
    Nothing of its own: the caller (:func:`crmlab.survival.cox_model`) checks the entries.

    Examples
    --------
    Times 2, 3, 4: the entry at 2 moves to 2.5, the entries at 0 and 1.5 stay.

    >>> open_entry(np.array([0.0, 2.0, 1.5]), np.array([2.0, 3.0, 4.0])).tolist()
    [0.0, 2.5, 1.5]
    """
    if enter is None:
        return None
    times = np.unique(time)
    hit = np.isin(enter, times)
    if not hit.any():
        return enter
    nxt = times[np.minimum(np.searchsorted(times, enter[hit], side="right"), len(times) - 1)]
    out = enter.astype(float, copy=True)
    out[hit] = (enter[hit] + nxt) / 2  # entry < time, so a later time always exists
    return out


def km_bands(
    surv: np.ndarray, se: np.ndarray, z: float, method: str
) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise (lower, upper) band of a Kaplan-Meier curve S(t) from Greenwood's
    standard error ``se`` of S.

    The formulas of R ``survival`` (``survfit_confint``): with σ = se / S the standard
    error of log S, ``plain`` S ± zσS clipped to [0, 1]; ``log`` exp(log S ± zσ), upper
    capped at 1; ``log-log`` exp(−exp(log(−log S) ∓ zσ/log S)), lifelines' and Stata's
    default (R's own default is ``log``); ``logit`` and ``arcsin`` as R. Where σ = 0 (no
    event yet) the band is S itself; where S = 0 it is undefined (NaN), as in R.

    Parameters
    ----------
    surv, se : ndarray
        S(t) at the event times and its standard error (statsmodels ``SurvfuncRight``'s
        ``surv_prob`` and ``surv_prob_se``).
    z : float
        Normal quantile of the level (1.96 for 95%).
    method : {"log-log", "log", "plain", "logit", "arcsin"}

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper limits.

    Raises
    ------
    ValueError
        If ``method`` is unknown.

    Examples
    --------
    S = 5/6 after one of six is lost (σ = √(1/30)): R's log-log band 0.2731-0.9747.

    >>> surv = np.array([5 / 6])
    >>> lo, hi = km_bands(surv, surv * np.sqrt(1 / 30), 1.959964, "log-log")
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.2731, 0.9747)
    """
    if method not in CI_METHODS:
        raise ValueError(f"method must be one of {list(CI_METHODS)}, got {method!r}.")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(surv > 0, surv, np.nan)
        sig = se / p
        if method == "plain":
            lo, hi = np.maximum(surv - z * sig * surv, 0), np.minimum(surv + z * sig * surv, 1)
        elif method == "log":
            lo, hi = np.exp(np.log(p) - z * sig), np.minimum(np.exp(np.log(p) + z * sig), 1)
        elif method == "log-log":
            q = np.where(p < 1, p, np.nan)
            w = z * sig / np.log(q)
            lo = np.exp(-np.exp(np.log(-np.log(q)) - w))
            hi = np.exp(-np.exp(np.log(-np.log(q)) + w))
        elif method == "logit":
            w = z * sig * (1 + p / (1 - p))
            lo = 1 - 1 / (1 + np.exp(np.log(p / (1 - p)) - w))
            hi = 1 - 1 / (1 + np.exp(np.log(p / (1 - p)) + w))
        else:  # arcsin
            w = 0.5 * z * sig * np.sqrt(p / (1 - p))
            a = np.arcsin(np.sqrt(p))
            lo, hi = np.sin(np.maximum(0, a - w)) ** 2, np.sin(np.minimum(np.pi / 2, a + w)) ** 2
    flat = se == 0
    return np.where(flat, surv, lo), np.where(flat, surv, hi)


TRANSFORMS = ("km", "rank", "identity", "log")


def time_transform(
    time: np.ndarray, status: np.ndarray, entry: np.ndarray | None, transform: str
) -> np.ndarray:
    """g(t) of ``cox.zph`` for every row, before centring.

    Parameters
    ----------
    time, status : ndarray
        Durations and 0/1 events.
    entry : ndarray or None
        Late entry times (for the Kaplan-Meier transform).
    transform : {"km", "rank", "identity", "log"}
        ``km``: 1 − S(t−), the Kaplan-Meier curve (with the same late entry) just before
        t (R's default); ``rank``: the rank of t among all rows, ties averaged;
        ``identity``: t; ``log``: log t.

    Returns
    -------
    ndarray
        g(t) per row.

    Raises
    ------
    ValueError
        If ``transform`` is unknown.

    Examples
    --------
    Three customers, lost at 1 and 3, censored at 2: S = 2/3 after t = 1, 0 after t = 3,
    so 1 − S(t−) is 0, 1/3, 1/3.

    >>> time_transform(np.array([1.0, 2.0, 3.0]), np.array([1, 0, 1]), None, "km").round(3)
    array([0.   , 0.333, 0.333])
    """
    if transform == "km":
        sf = SurvfuncRight(time, status, entry=entry)
        before = np.searchsorted(sf.surv_times, time, side="left")  # event times < t
        return 1.0 - np.concatenate([[1.0], sf.surv_prob])[before]
    if transform == "rank":
        return stats.rankdata(time)
    if transform == "identity":
        return time.astype(float)
    if transform == "log":
        return np.log(time)
    raise ValueError(f"transform must be one of {list(TRANSFORMS)}, got {transform!r}.")


def _risk_sums(X, risk, time, entry, times):
    """Sums over the risk set at each of ``times``: S0 = Σ r, S1 = Σ r x, S2 = Σ r x xᵀ."""
    k = len(times)
    last = np.searchsorted(times, time, side="right") - 1  # at risk up to times[last]
    first = None if entry is None else np.searchsorted(times, entry, side="right")

    def total(w):
        ok = last >= 0
        out = np.bincount(last[ok], weights=w[ok], minlength=k)[::-1].cumsum()[::-1]
        if first is not None:  # not yet at risk before times[first]: entry >= t
            late = np.bincount(first, weights=w, minlength=k + 1)[::-1].cumsum()[::-1]
            out = out - late[1 : k + 1]
        return out

    p = X.shape[1]
    s0 = total(risk)
    s1 = np.column_stack([total(risk * X[:, a]) for a in range(p)])
    s2 = np.empty((k, p, p))
    for a in range(p):
        for b in range(a, p):
            s2[:, a, b] = s2[:, b, a] = total(risk * X[:, a] * X[:, b])
    return s0, s1, s2


def _event_sums(X, risk, at, k):
    p = X.shape[1]
    d0 = np.bincount(at, weights=risk, minlength=k)
    d1 = np.column_stack([np.bincount(at, weights=risk * X[:, a], minlength=k) for a in range(p)])
    d2 = np.empty((k, p, p))
    for a in range(p):
        for b in range(a, p):
            d2[:, a, b] = d2[:, b, a] = np.bincount(
                at, weights=risk * X[:, a] * X[:, b], minlength=k
            )
    return d0, d1, d2


def zph_parts(
    X: np.ndarray,
    beta: np.ndarray,
    time: np.ndarray,
    status: np.ndarray,
    entry: np.ndarray | None,
    ties: str,
    g_rows: np.ndarray,
) -> dict:
    """The pieces of the ``cox.zph`` score test at the fitted β (and γ = 0 for the terms
    γ·g(t)·x): the score ``u`` of the time-weighted terms, the 2p × 2p information
    matrix ``imat`` of the model with both sets of terms, and the Schoenfeld residuals.

    Efron ties are handled as R does: with d events at t, the d terms of the partial
    likelihood use the risk set with fractions 1/d, 2/d, ..., 1 of the tied events; the
    residual of each tied event is x minus the mean of those d weighted means.

    Parameters
    ----------
    X : ndarray, shape (n, p)
        Design matrix.
    beta : ndarray, shape (p,)
        Fitted coefficients.
    time, status : ndarray
        Durations and 0/1 events.
    entry : ndarray or None
        Late entry times (risk set ``entry < t <= time``).
    ties : {"efron", "breslow"}
    g_rows : ndarray
        g(t) per row (:func:`time_transform`); centred here over the events.

    Returns
    -------
    dict
        ``u`` (p,), ``imat`` (2p, 2p), ``resid`` (events × p Schoenfeld residuals),
        ``event_rows``, ``g`` (centred g of the events) and ``n_events``.

    Raises
    ------
    Nothing of its own; NumPy's errors for malformed arrays.

    Examples
    --------
    lifelines' five-row example (all lost), β from ``PHReg``:

    >>> from statsmodels.duration.hazard_regression import PHReg
    >>> t = np.array([5.269797, 6.601666, 7.335846, 11.684092, 12.678458])
    >>> e = np.ones(5, dtype=int)
    >>> x = np.array([[0.209325], [0.693919], [0.443804], [0.065636], [0.386294]])
    >>> beta = PHReg(t, x, status=e).fit().params
    >>> parts = zph_parts(x, beta, t, e, None, "efron", time_transform(t, e, None, "km"))
    >>> parts["imat"].shape, parts["n_events"]
    ((2, 2), 5)
    """
    X = X - X.mean(axis=0)  # as R: centring only reduces round-off
    eta = X @ beta
    risk = np.exp(eta - eta.max())
    ev = status == 1
    times = np.unique(time[ev])
    k = len(times)
    at = np.searchsorted(times, time[ev])
    s0, s1, s2 = _risk_sums(X, risk, time, entry, times)
    d0, d1, d2 = _event_sums(X[ev], risk[ev], at, k)
    e0, e1, e2 = s0 - d0, s1 - d1, s2 - d2  # risk set without the events at t
    n_dead = np.bincount(at, minlength=k).astype(float)
    order = np.argsort(at, kind="stable")
    tied = at[order]
    j = np.arange(len(tied)) - np.searchsorted(tied, tied, side="left") + 1  # 1..d
    frac = j / n_dead[tied] if ties == "efron" else np.ones(len(tied))
    den = e0[tied] + frac * d0[tied]

    def per_time(w):
        return np.bincount(tied, weights=w, minlength=k)

    a0, a1 = per_time(1 / den), per_time(frac / den)
    b0, b1, b2 = per_time(1 / den**2), per_time(frac / den**2), per_time(frac**2 / den**2)
    mean_sum = e1 * a0[:, None] + d1 * a1[:, None]  # Σ over the d terms of the means
    outer = np.einsum
    var_sum = (
        e2 * a0[:, None, None]
        + d2 * a1[:, None, None]
        - outer("ka,kb->kab", e1, e1) * b0[:, None, None]
        - (outer("ka,kb->kab", e1, d1) + outer("ka,kb->kab", d1, e1)) * b1[:, None, None]
        - outer("ka,kb->kab", d1, d1) * b2[:, None, None]
    )
    g_ev = g_rows[ev] - g_rows[ev].mean()
    g = np.zeros(k)
    g[at] = g_ev
    u = (g_ev[:, None] * X[ev]).sum(axis=0) - (g[:, None] * mean_sum).sum(axis=0)
    i11 = var_sum.sum(axis=0)
    i12 = (g[:, None, None] * var_sum).sum(axis=0)
    i22 = (g[:, None, None] ** 2 * var_sum).sum(axis=0)
    resid = X[ev] - mean_sum[at] / n_dead[at][:, None]
    return {
        "u": u,
        "imat": np.block([[i11, i12], [i12.T, i22]]),
        "resid": resid,
        "event_rows": np.flatnonzero(ev),
        "g": g_ev,
        "n_events": int(ev.sum()),
    }


def zph_score_tests(parts: dict, terms: dict[str, list[int]]) -> dict[str, tuple[float, int]]:
    """χ² and df per term and ``GLOBAL``: ``u' I⁻¹ u`` on the rows and columns of the
    β block and the term's γ block (R ``cox.zph``, survival ≥ 3.0).

    Parameters
    ----------
    parts : dict
        From :func:`zph_parts`.
    terms : dict
        Term name → its design-column positions (a categorical covariate has several).

    Returns
    -------
    dict
        Term name (and ``"GLOBAL"``) → (χ², degrees of freedom).

    Raises
    ------
    numpy.linalg.LinAlgError
        If the information matrix is singular (e.g. too few events per covariate).

    Examples
    --------
    lifelines' five-row example; R survival 3.5-3 ``cox.zph(fit)`` gives χ² 0.016725:

    >>> from statsmodels.duration.hazard_regression import PHReg
    >>> t = np.array([5.269797, 6.601666, 7.335846, 11.684092, 12.678458])
    >>> e = np.ones(5, dtype=int)
    >>> x = np.array([[0.209325], [0.693919], [0.443804], [0.065636], [0.386294]])
    >>> beta = PHReg(t, x, status=e).fit().params
    >>> parts = zph_parts(x, beta, t, e, None, "efron", time_transform(t, e, None, "km"))
    >>> round(zph_score_tests(parts, {"var1": [0]})["var1"][0], 6)
    0.016725
    """
    u2, imat = parts["u"], parts["imat"]
    p = len(u2)
    out = {}
    for name, cols in terms.items():
        keep = list(range(p)) + [p + c for c in cols]
        u = np.concatenate([np.zeros(p), u2[cols]])
        out[name] = (float(u @ np.linalg.solve(imat[np.ix_(keep, keep)], u)), len(cols))
    u = np.concatenate([np.zeros(p), u2])
    out["GLOBAL"] = (float(u @ np.linalg.solve(imat, u)), p)
    return out


def zph_approx_tests(parts: dict, cov: np.ndarray) -> tuple[np.ndarray, float]:
    """The Grambsch & Therneau (1994) approximation of R ``survival`` < 3.0 (and of
    lifelines' ``proportional_hazard_test``): with scaled residuals r* = d·r·V(β) and
    centred g, ``T_j = (Σ g r*_j)² / (d V_jj Σ g²)`` per column and the global
    ``(Σ g r)ᵀ V (Σ g r) d / Σ g²`` (V the covariance of β, d the number of events).

    Parameters
    ----------
    parts : dict
        From :func:`zph_parts`.
    cov : ndarray, shape (p, p)
        Covariance matrix of β.

    Returns
    -------
    (ndarray, float)
        χ² per design column and the global χ².

    Raises
    ------
    Nothing of its own.

    Examples
    --------
    lifelines' ``test_proportional_hazard_test_with_kmf`` (old ``cox.zph``): 0.00971.

    >>> from statsmodels.duration.hazard_regression import PHReg
    >>> t = np.array([5.269797, 6.601666, 7.335846, 11.684092, 12.678458])
    >>> e = np.ones(5, dtype=int)
    >>> x = np.array([[0.209325], [0.693919], [0.443804], [0.065636], [0.386294]])
    >>> fit = PHReg(t, x, status=e).fit()
    >>> parts = zph_parts(x, fit.params, t, e, None, "efron", time_transform(t, e, None, "km"))
    >>> round(float(zph_approx_tests(parts, fit.cov_params())[0][0]), 5)
    0.00971
    """
    d, g = parts["n_events"], parts["g"]
    scaled = d * parts["resid"] @ cov
    num = g @ scaled
    per = num**2 / (d * np.diag(cov) * (g**2).sum())
    gr = g @ parts["resid"]
    total = float(gr @ cov @ gr * d / (g**2).sum())
    return per, total


def concordance_counts(
    time: np.ndarray, status: np.ndarray, score: np.ndarray, entry: np.ndarray | None = None
) -> tuple[float, float, float]:
    """Concordant, discordant and tied-score pairs as R ``concordance()`` counts them.

    A pair is comparable when one customer churns at t and the other is at risk at t
    (``entry < t <= time``) without churning at t: a customer censored at t outlived
    the one lost at t. Pairs lost at the same t are not comparable (R's ``tied.y``). The
    pair is concordant when the one lost has the higher risk score ``score`` (x β).

    One pass over the event times from the last to the first with a Fenwick tree over
    the ranks of the scores, updated and queried a batch at a time: O(n log n) work.

    Parameters
    ----------
    time, status : ndarray
        Durations and 0/1 events.
    score : ndarray
        Risk score per row (x·β; higher = expected to leave sooner).
    entry : ndarray or None
        Late entry times.

    Returns
    -------
    (float, float, float)
        Concordant, discordant and tied-score pairs; C = (conc + tied/2) / total.

    Raises
    ------
    Nothing of its own.

    Examples
    --------
    Lost at 1, 2, 3, censored at 4, scores 3, 1, 2, 0: of the six comparable pairs only
    (2, 3) is discordant (the one lost at 2 scored 1 < 2).

    >>> concordance_counts(np.array([1, 2, 3, 4]), np.array([1, 1, 1, 0]),
    ...                    np.array([3.0, 1.0, 2.0, 0.0]))
    (5.0, 1.0, 0.0)
    """
    levels, rank = np.unique(score, return_inverse=True)
    m = len(levels)
    tree = np.zeros(m + 1)
    rank = rank + 1  # 1-based positions in the tree

    def add(pos, delta):
        pos = pos.copy()
        while pos.size:
            np.add.at(tree, pos, delta)
            pos = pos + (pos & -pos)
            pos = pos[pos <= m]

    def below_or_at(pos):  # how many in the tree have rank <= pos
        pos, out = pos.copy(), np.zeros(len(pos))
        while (pos > 0).any():
            out += tree[pos]
            pos = np.maximum(pos - (pos & -pos), 0)
        return out

    ev = status == 1
    by_time = np.argsort(-time, kind="stable")
    by_entry = None if entry is None else np.argsort(-entry, kind="stable")
    i_time, i_entry, size = 0, 0, 0
    conc = disc = tied = 0.0
    for t in np.unique(time[ev])[::-1]:
        stop = i_time + np.searchsorted(-time[by_time[i_time:]], -t, side="right")
        new = by_time[i_time:stop]
        i_time = stop
        dead = new[ev[new] & (time[new] == t)]
        alive = new[~(ev[new] & (time[new] == t))]
        if alive.size:
            add(rank[alive], 1.0)
            size += alive.size
        if by_entry is not None:
            stop = i_entry + np.searchsorted(-entry[by_entry[i_entry:]], -t, side="right")
            gone = by_entry[i_entry:stop]  # entry >= t: not yet at risk at t
            i_entry = stop
            if gone.size:
                add(rank[gone], -1.0)
                size -= gone.size
        lower = below_or_at(rank[dead] - 1)
        upto = below_or_at(rank[dead])
        conc += lower.sum()
        tied += (upto - lower).sum()
        disc += (size - upto).sum()
        add(rank[dead], 1.0)
        size += dead.size
    return float(conc), float(disc), float(tied)
