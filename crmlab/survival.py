"""Chapter 04, survival analysis of customer lifetimes (客户生存分析), wrapping
``statsmodels.duration``.

Customer tenure is the time, churn (客户流失) the event; customers still active are
censored. :func:`survival_frame` turns a customer table and a churn table into one row per
customer with a tenure at a coarse grain (months or weeks: few distinct times keep
``PHReg`` fast) and, for customers won before observation began, an entry time (left
truncation). :func:`kaplan_meier` (Kaplan & Meier 1958) and :func:`logrank_test` compare
groups; :func:`cox_model` fits a Cox proportional-hazards model (Cox 1972) with Efron
ties (Efron 1977), tests proportional hazards as R's ``cox.zph`` and reports the
concordance index. The estimators are statsmodels' ``SurvfuncRight``, ``survdiff`` and
``PHReg``; the late-entry adjustment, the band formulas and the diagnostics PHReg
lacks are in :mod:`crmlab._survival_math`.

One convention everywhere: with late entry (``entry``), a customer is at risk at time t
when ``entry < t <= duration``, as in R ``survival`` (``Surv(entry, time, event)``) and
lifelines. The other churn tools (definitions, causes, prediction) are in
:mod:`crmlab.churn`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from crmlab import _survival_math as _diag
from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._readings import describe_terms, ratio_lines, ratio_table
from crmlab._results import Result
from crmlab._validate import (
    check_event,
    format_rows,
    require_columns,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_numeric,
    z_value,
)

__all__ = [
    "GRAIN_DAYS",
    "survival_frame",
    "KaplanMeierResult",
    "kaplan_meier",
    "LogrankResult",
    "logrank_test",
    "CoxResult",
    "cox_model",
    "design_matrix",
    "CI_METHODS",
]

#: Days per unit of tenure for each grain (a month is 365.25 / 12 days).
GRAIN_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}
#: Pointwise confidence bands of a Kaplan-Meier curve, named as R ``survfit(conf.type=)``.
CI_METHODS = _diag.CI_METHODS


# ------------------------------------------------------------------------------ checks
def _durations(data: pd.DataFrame, duration: str) -> np.ndarray:
    require_columns(data, [duration])
    require_non_negative(data, duration)  # also rejects missing and non-numeric values
    return data[duration].to_numpy(dtype=float)


def _entry(data: pd.DataFrame, entry: str | None, time: np.ndarray) -> np.ndarray | None:
    if entry is None:
        return None
    enter = _durations(data, entry)
    bad = enter >= time
    if bad.any():
        raise ValueError(
            f"entry column {entry!r} must be below the duration, but is not in "
            f"rows {format_rows(data.index[bad])}."
        )
    return enter


# ------------------------------------------------------------------------------ data
def survival_frame(
    customers: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    as_of: object,
    grain: str = "month",
    start: object = None,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
) -> pd.DataFrame:
    """One row per customer: tenure (客户生命周期) at ``grain``, churn event, entry time.

    Tenure counts the unit in which the customer is lost or censored as a whole unit:
    ``tenure = floor(days / unit) + 1``, with ``days`` from acquisition to the churn date
    (event 1) or to ``as_of`` (event 0, censored). Customers won before ``observed_from``
    could only be seen to churn after it, so they enter the risk set late (left
    truncation): ``entry = floor(days from acquisition to observed_from / unit)``, 0 for
    the others. Pass ``entry="entry"`` to :func:`kaplan_meier` and :func:`cox_model`.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``customer_id`` and ``acquisition_date`` (datetime) columns.
    churn : DataFrame
        One row per lost customer with ``customer_id`` and ``churn_date``.
    as_of : date-like
        End of observation; churn after it is ignored (censored at ``as_of``).
    grain : {"month", "week", "day"}
        Unit of tenure. Months or weeks keep Cox fits fast (few distinct times).
    start : date-like, optional
        Start of observation of churn (the company: 2022-01-01). Default: no truncation.
    customer_id, acquisition_date, churn_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index ``customer_id``; columns ``acquisition_date``, ``churn_date`` (NaT if censored),
        ``tenure`` (int, >= 1), ``churned`` (0/1) and ``entry`` (int, >= 0).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``grain`` is unknown, a customer is acquired after ``as_of``, a churn date lies
        before its acquisition date, or a lost customer is not in ``customers``.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["a", "b"],
    ...                      "acquisition_date": pd.to_datetime(["2024-01-01", "2024-01-01"])})
    >>> lost = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2024-03-15"])})
    >>> survival_frame(cust, lost, as_of="2024-12-31")[["tenure", "churned", "entry"]]
                 tenure  churned  entry
    customer_id
    a                 3        1      0
    b                12        0      0
    """
    if grain not in GRAIN_DAYS:
        raise ValueError(f"grain must be one of {list(GRAIN_DAYS)}, got {grain!r}.")
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, acquisition_date], "customers")
    require_columns(churn, [customer_id, churn_date], "churn")
    require_no_missing(customers, acquisition_date)
    as_of_ts = pd.Timestamp(as_of)
    late = (customers[acquisition_date] > as_of_ts).to_numpy()
    if late.any():
        raise ValueError(
            f"column {acquisition_date!r} has dates after as_of={as_of_ts.date()} in rows "
            f"{format_rows(customers.index[late])}: they were not yet customers."
        )
    out = customers.set_index(customer_id)[[acquisition_date]].rename(
        columns={acquisition_date: "acquisition_date"}
    )
    lost = churn.set_index(customer_id)[churn_date]
    unknown = ~lost.index.isin(out.index)
    if unknown.any():
        raise ValueError(
            f"churn has customers not in customers: {format_rows(lost.index[unknown])}."
        )
    out["churn_date"] = lost.reindex(out.index)
    out.loc[out["churn_date"] > as_of_ts, "churn_date"] = pd.NaT
    early = (out["churn_date"] < out["acquisition_date"]).to_numpy()
    if early.any():
        raise ValueError(
            f"column {churn_date!r} lies before {acquisition_date!r} (dates out of order) "
            f"for customers {format_rows(out.index[early])}."
        )
    unit = GRAIN_DAYS[grain]
    end = out["churn_date"].fillna(as_of_ts)
    days = (end - out["acquisition_date"]).dt.days.to_numpy()
    out["tenure"] = (np.floor(days / unit) + 1).astype(int)
    out["churned"] = out["churn_date"].notna().astype(int)
    if start is None:
        out["entry"] = 0
    else:
        before = (pd.Timestamp(start) - out["acquisition_date"]).dt.days.clip(lower=0)
        out["entry"] = np.floor(before.to_numpy() / unit).astype(int)
    return out


# ------------------------------------------------------------------------------ Kaplan-Meier
@dataclass
class KaplanMeierResult(Result):
    """Kaplan-Meier curves (生存曲线), one ``SurvfuncRight`` per group.

    Attributes
    ----------
    curves : dict
        Group label → fitted ``statsmodels`` ``SurvfuncRight`` (``"all"`` without groups).
    n, events : dict
        Customers and churn events per group.
    medians : dict
        Median lifetime per group; NaN when the curve never falls to 0.5 (more than half
        of the group is still a customer at the last time observed: the median is then
        "longer than the follow-up", not unknown because of an error).
    logrank : LogrankResult or None
        Log-rank test across the groups (None without groups).
    confidence, method : float, str
        Level and kind of the pointwise bands (see :func:`kaplan_meier`).
    """

    title = N_("Kaplan-Meier survival (生存曲线)")

    curves: dict
    n: dict
    events: dict
    medians: dict
    logrank: LogrankResult | None = None
    confidence: float = 0.95
    _last: dict = field(default_factory=dict, repr=False)
    method: str = "log-log"

    def survival_at(self, times: Sequence[float]) -> pd.DataFrame:
        """S(t) per group (rows) at ``times`` (columns): the step function's value."""
        rows = {}
        for g, sf in self.curves.items():
            idx = np.searchsorted(sf.surv_times, np.asarray(times, dtype=float), side="right")
            prob = np.concatenate([[1.0], sf.surv_prob])
            rows[g] = prob[idx]
        return pd.DataFrame(rows, index=list(times)).T.rename_axis("group")

    def _bands(self, sf) -> tuple[np.ndarray, np.ndarray]:
        return _diag.km_bands(sf.surv_prob, sf.surv_prob_se, z_value(self.confidence), self.method)

    def confidence_interval(self, times: Sequence[float]) -> pd.DataFrame:
        """S(t) with its pointwise band at ``times``, one row per (group, time).

        Columns ``survival``, ``lower``, ``upper``: the values of the step functions at
        t (before the first churn: 1, 1, 1), as R ``summary(survfit(...), times = t)``.
        """
        at = np.asarray(times, dtype=float)
        parts = []
        for g, sf in self.curves.items():
            idx = np.searchsorted(sf.surv_times, at, side="right")
            lo, hi = self._bands(sf)
            parts.append(
                pd.DataFrame(
                    {
                        "group": g,
                        "time": at,
                        "survival": np.concatenate([[1.0], sf.surv_prob])[idx],
                        "lower": np.concatenate([[1.0], lo])[idx],
                        "upper": np.concatenate([[1.0], hi])[idx],
                    }
                )
            )
        return pd.concat(parts, ignore_index=True).set_index(["group", "time"])

    def table(self) -> pd.DataFrame:
        """Long table for plotting: group, time, survival, lower, upper (pointwise band
        of :attr:`method` at :attr:`confidence`), starting at time 0 with S = 1, and
        at_risk (customers at risk just before each time; at time 0 those of the first)."""
        parts = []
        for g, sf in self.curves.items():
            lo, hi = self._bands(sf)
            parts.append(
                pd.DataFrame(
                    {
                        "group": g,
                        "time": np.concatenate([[0.0], sf.surv_times]),
                        "survival": np.concatenate([[1.0], sf.surv_prob]),
                        "lower": np.concatenate([[1.0], lo]),
                        "upper": np.concatenate([[1.0], hi]),
                        "at_risk": np.concatenate([sf.n_risk[:1], sf.n_risk]),
                    }
                )
            )
        return pd.concat(parts, ignore_index=True)

    def notes(self) -> list[str]:
        return [] if self.logrank is None else [str(self.logrank)]

    def summary(self) -> pd.DataFrame:
        """One row per group: n, events, median lifetime and the last time observed."""
        return pd.DataFrame(
            {"n": self.n, "events": self.events, "median": self.medians, "last_time": self._last}
        ).rename_axis("group")

    def plot(self, ax=None, *, ci: bool = True, min_at_risk: int = 10, colours=None):
        """Step curves per group with their bands on ``ax`` (created if None); returns
        ``ax``. Each curve stops where fewer than ``min_at_risk`` customers are at risk
        (:func:`crmlab.plotting.kaplan_meier_plot`); ``colours`` maps group -> colour."""
        import matplotlib.pyplot as plt

        from crmlab.plotting import kaplan_meier_plot

        ax = ax or plt.subplots()[1]
        tab = self.table()
        if not ci:
            tab = tab.assign(lower=tab["survival"], upper=tab["survival"])
        kaplan_meier_plot(ax, tab, min_at_risk=min_at_risk, colours=colours)
        return ax


def kaplan_meier(
    data: pd.DataFrame,
    *,
    duration: str = "tenure",
    event: str = "churned",
    group: str | None = None,
    entry: str | None = None,
    confidence: float = 0.95,
    method: str = "log-log",
) -> KaplanMeierResult:
    """Kaplan-Meier survival curves (Kaplan & Meier 1958), by group, with a log-rank test.

    The curve is statsmodels ``SurvfuncRight``; with ``entry`` a customer is at risk at t
    when ``entry < t <= duration`` (R ``survfit(Surv(entry, time, event) ~ 1)``, lifelines).
    Standard errors are Greenwood's; the pointwise bands are ``method``-transformed.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    duration : str
        Tenure column (non-negative numbers; Telco: ``"tenure"`` in months).
    event : str
        0/1 column, 1 = churned, 0 = still a customer (censored).
    group : str, optional
        Column whose values define the curves (e.g. ``"size"``, ``"contract"``).
    entry : str, optional
        Left-truncation column (time the customer entered observation).
    confidence : float
        Level of the pointwise bands in :meth:`KaplanMeierResult.table`.
    method : {"log-log", "log", "plain", "logit", "arcsin"}
        Band on the scale of log(−log S) by default (lifelines' and Stata's default;
        R ``survfit(conf.type = "log-log")``): it stays inside (0, 1) and covers better
        than ``"plain"`` S ± z·se (Kalbfleisch & Prentice 2002). Names as R's ``conf.type``;
        ``"log"`` is R's default.

    Returns
    -------
    KaplanMeierResult

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If durations are negative or missing, the event is not 0/1, entry >= duration,
        or ``method`` is unknown.

    Examples
    --------
    Five customers worked by hand (see ``tests/test_churn.py``):

    >>> five = pd.DataFrame({"tenure": [2, 3, 3, 5, 8], "churned": [1, 1, 0, 1, 0]})
    >>> km = kaplan_meier(five)
    >>> km.survival_at([2, 3, 5, 8]).round(3).to_dict("records")
    [{2: 0.8, 3: 0.6, 5: 0.3, 8: 0.3}]
    >>> km.medians
    {'all': 5.0}
    """
    if method not in CI_METHODS:
        raise ValueError(f"method must be one of {list(CI_METHODS)}, got {method!r}.")
    require_frame(data)
    time = _durations(data, duration)
    status = check_event(data, event)
    enter = _entry(data, entry, time)
    if group is None:
        labels = pd.Series("all", index=data.index)
    else:
        require_columns(data, [group])
        require_no_missing(data, group)
        labels = data[group]
    keys = (
        list(labels.cat.categories)
        if isinstance(labels.dtype, pd.CategoricalDtype)
        else sorted(pd.unique(labels))
    )
    curves, n, events, medians, last = {}, {}, {}, {}, {}
    codes = labels.to_numpy()
    for g in keys:
        m = codes == g
        if not m.any():
            continue
        sf = SurvfuncRight(time[m], status[m], entry=None if enter is None else enter[m])
        curves[g], n[g], events[g] = sf, int(m.sum()), int(status[m].sum())
        below = np.flatnonzero(sf.surv_prob <= 0.5)
        medians[g] = float(sf.surv_times[below[0]]) if below.size else float("nan")
        last[g] = float(time[m].max())
    lr = None
    if group is not None and len(curves) > 1:
        lr = logrank_test(data, duration=duration, event=event, group=group, entry=entry)
    return KaplanMeierResult(curves, n, events, medians, lr, confidence, last, method)


@dataclass
class LogrankResult(Result):
    """Log-rank test (对数秩检验) that all groups share one survival curve.

    Attributes
    ----------
    statistic : float
        Chi-square statistic.
    df : int
        Degrees of freedom (groups - 1).
    p_value : float
    """

    title = N_("Log-rank test (对数秩检验)")

    statistic: float
    df: int
    p_value: float

    def summary(self) -> pd.DataFrame:
        """The test as a one-row table."""
        return pd.DataFrame([{"chi2": self.statistic, "df": self.df, "p_value": self.p_value}])

    def __str__(self) -> str:
        return _("log-rank chi2 = {statistic}, df = {df}, p = {p}").format(
            statistic=f"{self.statistic:.2f}", df=self.df, p=f"{self.p_value:.3g}"
        )


def logrank_test(
    data: pd.DataFrame,
    *,
    duration: str = "tenure",
    event: str = "churned",
    group: str,
    entry: str | None = None,
) -> LogrankResult:
    """Log-rank test of equal survival across the groups of ``group`` (``survdiff``).

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    duration, event : str
        Tenure and churn event (0/1) columns.
    group : str
        The groups to compare.
    entry : str, optional
        Entry-time column (left truncation).

    Returns
    -------
    LogrankResult
        ``statistic``, ``df`` and ``p_value``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        For bad durations or events, or fewer than two groups.

    Examples
    --------
    >>> d = pd.DataFrame({"tenure": [1, 2, 3, 4, 5, 6], "churned": [1, 1, 1, 0, 0, 0],
    ...                   "g": ["a", "a", "a", "b", "b", "b"]})
    >>> round(logrank_test(d, group="g").p_value, 4)
    0.0246
    """
    require_frame(data)
    time = _durations(data, duration)
    status = check_event(data, event)
    enter = _entry(data, entry, time)
    require_columns(data, [group])
    require_no_missing(data, group)
    labels = data[group].astype(str).to_numpy()
    k = len(np.unique(labels))
    if k < 2:
        raise ValueError(f"column {group!r} has only one group: a log-rank test needs two.")
    stat, p = survdiff(time, status, labels, entry=enter)
    return LogrankResult(float(stat), k - 1, float(p))


# ------------------------------------------------------------------------------ Cox model
def design_matrix(data: pd.DataFrame, *, covariates: Sequence[str]) -> pd.DataFrame:
    """Numeric design matrix: numeric and boolean columns as they are, categorical or
    text columns one-hot with the first level (category order) as the reference.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    covariates : sequence of str
        Columns to code.

    Returns
    -------
    DataFrame
        Float columns: numeric and boolean ones as they are, ``col=level`` dummies for the
        others.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``covariates`` is empty, a column has missing values or a single value.

    Examples
    --------
    >>> d = pd.DataFrame({"size": pd.Categorical(["small", "large", "small"],
    ...                                          categories=["small", "large"]), "age": [1, 2, 3]})
    >>> design_matrix(d, covariates=["size", "age"]).columns.tolist()
    ['size=large', 'age']
    """
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    if not covariates:
        raise ValueError("covariates is empty: name at least one column.")
    require_columns(data, covariates)
    parts = []
    for col in covariates:
        s = data[col]
        if pd.api.types.is_bool_dtype(s):
            require_no_missing(data, col)
            parts.append(s.astype(float).rename(col))
            continue
        if pd.api.types.is_numeric_dtype(s):
            require_numeric(data, col)
            parts.append(s.astype(float).rename(col))
            continue
        require_no_missing(data, col)
        cat = s if isinstance(s.dtype, pd.CategoricalDtype) else s.astype("category")
        cat = cat.cat.remove_unused_categories()
        if len(cat.cat.categories) < 2:
            raise ValueError(f"column {col!r} has a single value: nothing to compare.")
        dummies = pd.get_dummies(cat, prefix=col, prefix_sep="=", drop_first=True, dtype=float)
        parts.append(dummies)
    return pd.concat(parts, axis=1)


@dataclass
class CoxResult(Result):
    """A Cox proportional-hazards fit (Cox 1972), wrapping statsmodels ``PHReg``.

    Attributes
    ----------
    params, bse : Series
        Coefficients (log hazard ratios) and standard errors, by design column.
    hazard_ratios : DataFrame
        ``coef``, ``se``, ``hazard_ratio``, ``lower``, ``upper`` (CI of the ratio), ``p``.
    n, events : int
    ties : str
    result : statsmodels ``PHRegResults`` (for anything else).
    log_likelihood : float
        The maximised log partial likelihood (R ``fit$loglik[2]``, lifelines
        ``log_likelihood_``).
    confidence : float
        Level of the intervals in ``hazard_ratios`` and :meth:`read`.
    concordance : float
        Harrell's C (see the property).
    """

    title = N_("Cox proportional-hazards model, hazard ratios")

    params: pd.Series
    bse: pd.Series
    hazard_ratios: pd.DataFrame
    n: int
    events: int
    ties: str
    result: object = field(repr=False)
    _time: np.ndarray = field(repr=False, default=None)
    _status: np.ndarray = field(repr=False, default=None)
    log_likelihood: float = float("nan")
    confidence: float = 0.95
    _entry: np.ndarray | None = field(repr=False, default=None)
    _X: np.ndarray | None = field(repr=False, default=None)
    _terms: dict = field(repr=False, default_factory=dict)
    _kinds: dict = field(repr=False, default_factory=dict)

    def notes(self) -> list[str]:
        return [
            _(
                "n = {n}, events = {events}, ties {ties}; log partial likelihood "
                "{log_likelihood}, concordance {concordance}"
            ).format(
                n=self.n,
                events=self.events,
                ties=self.ties,
                log_likelihood=f"{self.log_likelihood:.2f}",
                concordance=f"{self.concordance:.3f}",
            )
        ]

    def summary(self) -> pd.DataFrame:
        """The hazard-ratio table (one row per covariate)."""
        return self.hazard_ratios

    def read(self, per: Mapping[str, object] | None = None) -> list[str]:
        """Each hazard ratio in words, with its interval at :attr:`confidence` and its p,
        in a form that fits the covariate's type: a categorical level against the
        reference level, a 0/1 covariate as 1 rather than 0, a numeric one per unit, per
        the step named in ``per`` (``{"revenue": (1000, "1,000 yuan")}``), or per a round
        step near one standard deviation when the per-unit ratio is within half a percent
        of 1 (see
        :func:`crmlab._readings.ratio_lines`)."""
        return ratio_lines(
            self.hazard_ratios,
            "hazard_ratio",
            self._kinds,
            what=_("the churn hazard"),
            confidence=self.confidence,
            per=per,
            show_p=True,
        )

    @cached_property
    def concordance(self) -> float:
        """Harrell's concordance index C (一致性指数), as R ``concordance(fit)``.

        Over the comparable pairs (one customer churns at t while the other is still at
        risk at t, ``entry < t``, and does not churn at t), the share in which the one
        who churned has the higher risk score x·β; pairs with equal scores count half.
        0.5 is a coin toss, 1 a perfect ranking of who leaves first. Computed on the
        data the model was fitted to (in-sample: optimistic for prediction).
        """
        score = self._X @ self.params.to_numpy()
        conc, disc, tied = _diag.concordance_counts(self._time, self._status, score, self._entry)
        total = conc + disc + tied
        return float((conc + tied / 2) / total) if total else float("nan")

    def _zph(self, transform: str, method: str) -> dict:
        if transform not in _diag.TRANSFORMS:
            raise ValueError(
                f"transform must be one of {list(_diag.TRANSFORMS)}, got {transform!r}."
            )
        if method not in ("score", "approx"):
            raise ValueError(f"method must be 'score' or 'approx', got {method!r}.")
        time, status = self._time, self._status
        g = _diag.time_transform(time, status, self._entry, transform)
        if method == "approx" and transform == "rank":  # survival < 3.0: rank among events
            g = np.zeros(len(time))
            g[status == 1] = stats.rankdata(time[status == 1])
        beta = self.params.to_numpy()
        return _diag.zph_parts(self._X, beta, time, status, self._entry, self.ties, g)

    def ph_test(self, transform: str = "km", *, method: str = "score") -> pd.DataFrame:
        """Proportional-hazards test (比例风险检验) of R ``cox.zph``, per covariate and global.

        The Cox model assumes each hazard ratio is constant over tenure. The test adds a
        term γ·g(t)·x for each covariate, g a transform of time, and asks whether γ = 0:
        the **score test** at the fitted β (R ``survival`` ≥ 3.0, ``cox.zph``; Grambsch &
        Therneau 1994), one χ² per covariate as passed to :func:`cox_model` (a
        categorical covariate tests all its dummy columns together, df = levels − 1) and a
        ``GLOBAL`` test of all of them. A small p says the effect drifts with tenure, so
        one hazard ratio averages a changing effect: stratify by that covariate or let
        its effect change with time. Plot :meth:`scaled_schoenfeld` to see how.

        Parameters
        ----------
        transform : {"km", "rank", "identity", "log"}
            g(t): ``"km"`` (default, as R) is 1 − S(t−) of the Kaplan-Meier curve, which
            spreads the events evenly; ``"rank"`` the rank of t among all rows.
        method : {"score", "approx"}
            ``"approx"``: the older approximation (R ``survival`` < 3.0 and lifelines'
            ``proportional_hazard_test``): per design column, T = (Σ g r*)² / (d V_jj
            Σ g²) from the scaled Schoenfeld residuals r* and the covariance V of β,
            with ``"rank"`` the rank among event times.

        Returns
        -------
        DataFrame
            Index covariate (design columns for ``"approx"``) and ``GLOBAL``; ``chisq``,
            ``df``, ``p``.

        Examples
        --------
        R: ``cox.zph(coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro +
        prio, data = Rossi))`` gives age χ² 5.974 (p 0.0145), GLOBAL 17.69 on 7 df:

        >>> from crmlab import datasets
        >>> fit = cox_model(datasets.load("rossi"), duration="week", event="arrest",
        ...                 covariates=["fin", "age", "race", "wexp", "mar", "paro", "prio"])
        >>> fit.ph_test().loc[["age", "GLOBAL"]].round(4)
                  chisq  df       p
        covariate
        age      5.9740   1  0.0145
        GLOBAL  17.6944   7  0.0134
        """
        parts = self._zph(transform, method)
        if method == "score":
            tests = _diag.zph_score_tests(parts, self._terms)
        else:
            cov = np.asarray(self.result.cov_params())
            per, total = _diag.zph_approx_tests(parts, cov)
            tests = {name: (float(v), 1) for name, v in zip(self.params.index, per, strict=True)}
            tests["GLOBAL"] = (total, len(per))
        out = pd.DataFrame(
            {
                "chisq": [v[0] for v in tests.values()],
                "df": [v[1] for v in tests.values()],
                "p": [float(stats.chi2.sf(v[0], v[1])) for v in tests.values()],
            },
            index=pd.Index(list(tests), name="covariate"),
        )
        return out

    def scaled_schoenfeld(self, transform: str = "km") -> pd.DataFrame:
        """Scaled Schoenfeld residuals (R ``cox.zph(fit)$y``), one row per churn event.

        ``β + V⁻¹ r`` with r the Schoenfeld residual and V = I/d the information per
        event (Grambsch & Therneau 1994): their smoothed trend against ``g`` (column
        ``g``, the transformed time) estimates how each coefficient β(t) changes with
        tenure. A flat trend at β is what proportional hazards means.
        """
        parts = self._zph(transform, "score")
        p = len(self.params)
        vmean = parts["imat"][:p, :p] / parts["n_events"]
        scaled = parts["resid"] @ np.linalg.inv(vmean) + self.params.to_numpy()
        rows = parts["event_rows"]
        g_raw = _diag.time_transform(self._time, self._status, self._entry, transform)
        out = pd.DataFrame(scaled, columns=self.params.index)
        out.insert(0, "g", g_raw[rows])
        out.insert(0, "time", self._time[rows])
        return out.sort_values("time", kind="stable").reset_index(drop=True)


def cox_model(
    data: pd.DataFrame,
    *,
    duration: str = "tenure",
    event: str = "churned",
    covariates: Sequence[str] = ("size",),
    entry: str | None = None,
    ties: str = "efron",
    confidence: float = 0.95,
) -> CoxResult:
    """Fit a Cox proportional-hazards model (Cox 1972) with ``PHReg``.

    Ties (customers lost in the same month) use Efron's approximation by default (Efron
    1977); use a coarse tenure grain (months, weeks) for speed: ``PHReg`` time grows with
    the number of distinct event times.

    **Late entry.** With ``entry``, a customer is in the risk set at t when ``entry < t
    <= duration``: someone who enters at month 24 was not watched during month 24, so
    cannot be seen to churn in it. This is R ``coxph(Surv(entry, time, event))``,
    lifelines ``CoxPHFitter(entry_col=)`` and :func:`kaplan_meier`. ``PHReg`` itself
    counts a customer at risk at the entry time, so entries equal to an observed time are
    moved halfway to the next time before fitting (no event time lies in between; the
    coefficients then equal R's, see ``tests/test_reference_survival.py``).

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    duration, event : str
        Tenure column and 0/1 churn column.
    covariates : sequence of str
        Columns; categorical ones are one-hot coded against their first level.
    entry : str, optional
        Left-truncation column: the tenure at which the customer came under
        observation (0 for customers watched from the start).
    ties : {"efron", "breslow"}
    confidence : float
        Level of the hazard-ratio intervals.

    Returns
    -------
    CoxResult

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        For bad durations or events, a covariate with missing values, an unknown
        ``ties``, or no events at all.

    Examples
    --------
    Rossi et al. (1980), the published fit (R ``coxph``; Allison 1995):

    >>> from crmlab import datasets
    >>> rossi = datasets.load("rossi")
    >>> fit = cox_model(rossi, duration="week", event="arrest",
    ...                 covariates=["fin", "age", "race", "wexp", "mar", "paro", "prio"])
    >>> fit.params["fin"].round(5), fit.bse["fin"].round(5)
    (np.float64(-0.37942), np.float64(0.19138))
    """
    if ties not in ("efron", "breslow"):
        raise ValueError(f"ties must be 'efron' or 'breslow', got {ties!r}.")
    require_frame(data)
    time = _durations(data, duration)
    status = check_event(data, event)
    enter = _entry(data, entry, time)
    if status.sum() == 0:
        raise ValueError(f"event column {event!r} has no events (no 1s): nothing to fit.")
    X = design_matrix(data, covariates=covariates)
    model = PHReg(time, X.to_numpy(), status=status, entry=_diag.open_entry(enter, time), ties=ties)
    res = model.fit()
    names = list(X.columns)
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    terms = {
        c: [j for j, name in enumerate(names) if name == c or name.startswith(f"{c}=")]
        for c in covariates
    }
    params = pd.Series(res.params, index=names)
    bse = pd.Series(res.bse, index=names)
    table = ratio_table(params, bse, z=z_value(confidence), ratio="hazard_ratio", index="covariate")
    return CoxResult(
        params,
        bse,
        table,
        len(time),
        int(status.sum()),
        ties,
        res,
        time,
        status,
        float(res.llf),
        confidence,
        enter,
        X.to_numpy(dtype=float),
        terms,
        describe_terms(data, covariates),
    )
