"""Did the CRM system pay off? A roll-out evaluated by difference in differences (双重差分).

A firm that switches a CRM system on region by region (a staggered roll-out) creates a
comparison: regions already live against regions not yet live, in the same months.
:func:`did` fits the two-way fixed-effects regression
``outcome ~ live + C(unit) + C(period)`` (statsmodels OLS) with standard errors
clustered by unit, and, because a handful of units gives clustered errors that are too
optimistic, a permutation p-value that re-assigns the go-live dates among the units.
:func:`event_study` shows the effect by months since go-live (with months before it as a
check of parallel trends) and :func:`before_after` the naive comparison a firm often
reports instead.

The two-way fixed-effects estimate is the average effect only when the effect is the
same in every unit and does not change with time since go-live; with effects that grow
or differ, staggered timing biases it (Goodman-Bacon 2021) and the event study is the
better reading.

References: Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*,
ch. 5. Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment
timing. *Journal of Econometrics* 225, 254-277. Cameron, A. C. & Miller, D. L. (2015). A
practitioner's guide to cluster-robust inference. *Journal of Human Resources* 50, 317-372.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

from crmlab._results import Result
from crmlab._validate import check_frame, format_rows, require_int, require_numeric

__all__ = ["DiDResult", "did", "event_study", "before_after"]


class DiDResult(Result):
    """Two-way fixed-effects difference-in-differences estimate.

    Attributes
    ----------
    effect, se, ci_low, ci_high, p_value : float
        Coefficient of ``live`` with its unit-clustered standard error, 95% interval and
        p-value (t with G − 1 degrees of freedom, G = number of clusters).
    permutation_p : float
        Share of re-assignments of go-live dates among units whose estimate is at least
        as large in absolute value as the observed one (the observed one included).
    n_permutations : int
    n_units, n_periods, n_obs : int
    outcome : str
    """

    title = "Difference in differences (two-way fixed effects, unit-clustered errors)"

    def __init__(self, **values: float | int | str) -> None:
        for key, value in values.items():
            setattr(self, key, value)

    def notes(self) -> list[str]:
        """The sample and the warning about few clusters.

        Returns
        -------
        list of str
        """
        out = [f"{self.n_obs:,} observations, {self.n_units} units, {self.n_periods} periods"]
        if self.n_units < 30:
            out.append(
                f"only {self.n_units} clusters: read the permutation p-value "
                f"({self.n_permutations} re-assignments) rather than the clustered one"
            )
        return out

    def summary(self) -> pd.DataFrame:
        """One row: the effect, its clustered interval and both p-values.

        Returns
        -------
        DataFrame
        """
        return pd.DataFrame(
            {
                "effect": [self.effect],
                "se_clustered": [self.se],
                "ci_low_95%": [self.ci_low],
                "ci_high_95%": [self.ci_high],
                "p_clustered": [self.p_value],
                "p_permutation": [self.permutation_p],
            },
            index=[self.outcome],
        )


def _panel(data: object, outcome: str, unit: str, period: str, go_live: str) -> pd.DataFrame:
    frame = check_frame(data, [outcome, unit, period, go_live], "panel")
    require_numeric(frame, outcome)
    for col in (unit, period):
        if frame[col].isna().any():
            rows = frame.index[frame[col].isna()]
            raise ValueError(f"column {col!r} has missing values in rows {format_rows(rows)}.")
    per_unit = frame.groupby(unit, observed=True)[go_live].nunique(dropna=False)
    if (per_unit > 1).any():
        bad = per_unit.index[per_unit > 1][0]
        raise ValueError(f"column {go_live!r} must be one value per {unit}; {bad!r} has several.")
    return frame


def _live(frame: pd.DataFrame, period: str, go_live: str) -> np.ndarray:
    start = frame[go_live].to_numpy()
    has = pd.notna(start)
    live = np.zeros(len(frame))
    live[has] = frame[period].to_numpy()[has] >= start[has]
    return live


def _clustered(fit, names: list[str], n_clusters: int) -> pd.DataFrame:
    """se, 95% interval and p-value of the named coefficients from the cluster-robust
    covariance, with t on G − 1 degrees of freedom (Cameron & Miller 2015). Only these
    entries are read: the full covariance has rank at most G − 1, so the fixed effects'
    own variances may be meaningless."""
    cov = fit.cov_params()
    df = n_clusters - 1
    rows = []
    for name in names:
        var = float(cov.loc[name, name])
        se = math.sqrt(var) if var > 0 else math.nan
        half = float(stats.t.ppf(0.975, df)) * se
        coef = float(fit.params[name])
        p = float(2 * stats.t.sf(abs(coef) / se, df)) if se > 0 else math.nan
        rows.append((se, coef - half, coef + half, p))
    return pd.DataFrame(rows, index=names, columns=["se", "ci_low", "ci_high", "p"])


def _twfe_coef(
    y_resid: np.ndarray, live: np.ndarray, dummies: np.ndarray, pinv: np.ndarray
) -> float:
    """Coefficient of ``live`` by Frisch-Waugh-Lovell: ``live`` residualised on the
    fixed-effect dummies (``pinv`` = their pseudo-inverse, computed once) regressed on the
    residualised outcome."""
    x = live - dummies @ (pinv @ live)
    return float(x @ y_resid / (x @ x))


def did(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str = "region",
    period: str = "month",
    go_live: str = "go_live",
    n_permutations: int = 1000,
    seed: int = 0,
) -> DiDResult:
    """Effect of going live on ``outcome`` by two-way fixed effects.

    Parameters
    ----------
    panel : DataFrame
        One row per observation (a unit-period cell, or a customer or deal with its unit
        and period): ``outcome``, ``unit``, ``period`` and ``go_live`` (the unit's go-live
        period, comparable with ``period``; missing for a unit never live in the data).
    outcome : str
        Numeric outcome column.
    unit : str, default "region"
        The unit that goes live; errors are clustered by it.
    period : str, default "month"
        Time period (numbers or dates).
    go_live : str, default "go_live"
        The unit's go-live period.
    n_permutations : int, default 1000
        Re-assignments of go-live dates among units for the permutation p-value; when
        the units allow fewer distinct assignments, all of them are used.
    seed : int, default 0
        Seed for drawing re-assignments when not all are used.

    Returns
    -------
    DiDResult

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``outcome`` is not numeric, ``unit`` or ``period`` has missing values, a unit
        has more than one go-live value, or no unit (or every unit) is ever live.

    Examples
    --------
    Two customers per region and month; region a goes live in month 2:

    >>> p = pd.DataFrame({"region": list("aaaabbbb"), "month": [1, 1, 2, 2] * 2,
    ...                   "go_live": [2] * 4 + [None] * 4,
    ...                   "sales": [10.0, 12, 15, 17, 8, 6, 9, 7]})
    >>> round(did(p, outcome="sales").effect, 6)  # (16 - 11) - (8 - 7)
    4.0
    """
    frame = _panel(panel, outcome, unit, period, go_live)
    require_int(n_permutations, "n_permutations", low=1)
    live = _live(frame, period, go_live)
    if live.all() or not live.any():
        raise ValueError(
            f"difference in differences needs rows live and not live; "
            f"every row of {outcome!r} is {'live' if live.all() else 'not live'}."
        )
    n_params = 1 + frame[unit].nunique() + frame[period].nunique() - 1
    if len(frame) <= n_params:
        raise ValueError(
            f"{len(frame)} observations for {n_params} parameters (effect, unit and period "
            f"effects): difference in differences needs more observations than that."
        )
    data = pd.DataFrame(
        {
            "y": frame[outcome].to_numpy(dtype=float),
            "live": live,
            "u": frame[unit].astype(str).to_numpy(),
            "t": frame[period].astype(str).to_numpy(),
        }
    )
    n_units = data["u"].nunique()
    if n_units < 2:
        raise ValueError(f"difference in differences needs at least 2 units in {unit!r}.")
    fit = smf.ols("y ~ live + C(u) + C(t)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["u"])[0]}
    )
    effect = float(fit.params["live"])
    se, low, high, p_value = _clustered(fit, ["live"], n_units).iloc[0]
    # permutation: re-assign the units' go-live values among the units
    units = frame[unit].astype(str).to_numpy()
    starts = frame.groupby(frame[unit].astype(str), observed=True)[go_live].first()
    names = starts.index.to_numpy()
    dummies = pd.get_dummies(data[["u", "t"]], drop_first=True, dtype=float)
    dummies.insert(0, "const", 1.0)
    dm = dummies.to_numpy()
    y = data["y"].to_numpy()
    code = pd.Index(names).get_indexer(units)
    per = frame[period].to_numpy()
    if math.factorial(len(names)) <= n_permutations:
        orders = [np.array(p) for p in itertools.permutations(range(len(names)))]
    else:
        rng = np.random.default_rng(seed)
        orders = [np.arange(len(names))] + [
            rng.permutation(len(names)) for _ in range(n_permutations - 1)
        ]
    pinv = np.linalg.pinv(dm)
    y_resid = y - dm @ (pinv @ y)
    observed = abs(_twfe_coef(y_resid, live, dm, pinv))
    extreme = 0
    for order in orders:
        start = starts.to_numpy()[order][code]
        has = pd.notna(start)
        perm_live = np.zeros(y.size)
        perm_live[has] = (per[has] >= start[has]).astype(float)
        if perm_live.all() or not perm_live.any():
            extreme += 1  # an assignment with no contrast counts against the effect
            continue
        extreme += abs(_twfe_coef(y_resid, perm_live, dm, pinv)) >= observed * (1 - 1e-9)
    return DiDResult(
        outcome=outcome,
        effect=effect,
        se=se,
        ci_low=low,
        ci_high=high,
        p_value=float(p_value),
        permutation_p=extreme / len(orders),
        n_permutations=len(orders),
        n_units=int(n_units),
        n_periods=int(data["t"].nunique()),
        n_obs=int(len(data)),
    )


def event_study(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str = "region",
    period: str = "month",
    go_live: str = "go_live",
    window: tuple[int, int] = (-6, 6),
) -> pd.DataFrame:
    """Effect by periods since go-live, relative to the period just before it.

    Regression of ``outcome`` on one indicator per event time k in ``window`` (k = −1
    left out as the reference; earlier and later periods binned into the ends) plus
    unit and period fixed effects, errors clustered by unit. Leads (k < −1) near zero
    are what parallel trends predict; lags (k ≥ 0) trace the effect over time.

    Parameters
    ----------
    panel : DataFrame
        As for :func:`did`, with integer ``period`` and ``go_live`` (e.g. month numbers).
    outcome, unit, period, go_live : str
        As for :func:`did`.
    window : (int, int), default (-6, 6)
        First and last event time shown; must contain −1.

    Returns
    -------
    DataFrame
        Indexed by ``event_time``: ``effect``, ``se``, ``ci_low``, ``ci_high`` (95%,
        t with G − 1 degrees of freedom); the reference period −1 is a row of zeros.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``period`` or ``go_live`` is not integer, or ``window`` does not contain −1.

    Examples
    --------
    >>> rows = [(u, m, g, 5.0 + (m >= g if g else 0) * 2.0)
    ...         for u, g in [("a", 3), ("b", 5), ("c", None)] for m in range(1, 8)]
    >>> p = pd.DataFrame(rows, columns=["region", "month", "go_live", "sales"])
    >>> (event_study(p, outcome="sales", window=(-2, 2))["effect"].round(6) + 0.0).tolist()
    [0.0, 0.0, 2.0, 2.0, 2.0]
    """
    frame = _panel(panel, outcome, unit, period, go_live)
    low, high = (int(v) for v in window)
    if not low <= -1 <= high:
        raise ValueError(f"window must contain -1 (the reference period); got {window}.")
    for col in (period, go_live):
        values = frame[col].dropna()
        if not np.allclose(values.to_numpy(dtype=float), np.round(values.to_numpy(dtype=float))):
            raise ValueError(f"column {col!r} must hold whole periods for an event study.")
    start = frame[go_live].to_numpy(dtype=float)
    k = frame[period].to_numpy(dtype=float) - start
    data = pd.DataFrame(
        {
            "y": frame[outcome].to_numpy(dtype=float),
            "u": frame[unit].astype(str).to_numpy(),
            "t": frame[period].astype(str).to_numpy(),
        }
    )
    times = [t for t in range(low, high + 1) if t != -1]
    names = []
    for t in times:
        name = f"k_m{-t}" if t < 0 else f"k_{t}"
        hit = k <= t if t == low else (k >= t if t == high else k == t)
        data[name] = np.where(np.isnan(k), 0.0, hit.astype(float))
        names.append(name)
    fit = smf.ols("y ~ " + " + ".join(names) + " + C(u) + C(t)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["u"])[0]}
    )
    inference = _clustered(fit, names, data["u"].nunique())
    out = pd.DataFrame(
        {
            "effect": [float(fit.params[n]) for n in names],
            "se": inference["se"].to_numpy(),
            "ci_low": inference["ci_low"].to_numpy(),
            "ci_high": inference["ci_high"].to_numpy(),
        },
        index=pd.Index(times, name="event_time"),
    )
    out.loc[-1] = 0.0
    return out.sort_index()


def before_after(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str = "region",
    period: str = "month",
    go_live: str = "go_live",
) -> pd.DataFrame:
    """The naive reading: in units that went live, the mean outcome after go-live minus
    the mean before (no comparison group, so any trend or season counts as "effect").

    Parameters
    ----------
    panel : DataFrame
        As for :func:`did`.
    outcome, unit, period, go_live : str
        As for :func:`did`.

    Returns
    -------
    DataFrame
        One row per live unit and a row ``all`` (rows pooled): ``before``, ``after``,
        ``difference``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If no unit went live.

    Examples
    --------
    >>> p = pd.DataFrame({"region": list("aabb"), "month": [1, 2, 1, 2],
    ...                   "go_live": [2, 2, None, None], "sales": [10.0, 15, 8, 9]})
    >>> before_after(p, outcome="sales").loc["all", "difference"]
    np.float64(5.0)
    """
    frame = _panel(panel, outcome, unit, period, go_live)
    treated = frame[frame[go_live].notna()]
    if treated.empty:
        raise ValueError(f"no unit in {unit!r} has a {go_live!r} value: nothing went live.")
    after = (treated[period] >= treated[go_live]).map({True: "after", False: "before"})
    table = treated.groupby([treated[unit].astype(str), after])[outcome].mean().unstack()
    pooled = treated.groupby(after)[outcome].mean()
    table.loc["all"] = pooled
    table = table.reindex(columns=["before", "after"])
    table["difference"] = table["after"] - table["before"]
    table.index.name = unit
    return table
