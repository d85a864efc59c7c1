"""Chapter 04, survival analysis of customer lifetimes (客户生存分析), wrapping
``statsmodels.duration``.

Customer tenure is the time, churn (客户流失) the event; customers still active are
censored. :func:`survival_frame` turns a customer table and a churn table into one row per
customer with a tenure at a coarse grain (months or weeks: few distinct times keep
``PHReg`` fast) and, for customers won before observation began, an entry time (left
truncation). :func:`kaplan_meier` (Kaplan & Meier 1958) and :func:`logrank_test` compare
groups; :func:`cox_model` fits a Cox proportional-hazards model (Cox 1972) with Efron
ties (Efron 1977) and checks proportional hazards with Schoenfeld residuals. Nothing here
re-implements an estimator: the numbers come from ``SurvfuncRight``, ``survdiff`` and
``PHReg``. The other churn tools (definitions, causes, prediction) are in
:mod:`crmlab.churn`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

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
]

#: Days per unit of tenure for each grain (a month is 365.25 / 12 days).
GRAIN_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}


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
    """

    title = "Kaplan-Meier survival (生存曲线)"

    curves: dict
    n: dict
    events: dict
    medians: dict
    logrank: LogrankResult | None = None
    confidence: float = 0.95
    _last: dict = field(default_factory=dict, repr=False)

    def survival_at(self, times: Sequence[float]) -> pd.DataFrame:
        """S(t) per group (rows) at ``times`` (columns): the step function's value."""
        rows = {}
        for g, sf in self.curves.items():
            idx = np.searchsorted(sf.surv_times, np.asarray(times, dtype=float), side="right")
            prob = np.concatenate([[1.0], sf.surv_prob])
            rows[g] = prob[idx]
        return pd.DataFrame(rows, index=list(times)).T.rename_axis("group")

    def table(self) -> pd.DataFrame:
        """Long table for plotting: group, time, survival, lower, upper (pointwise CI),
        starting at time 0 with S = 1."""
        z = z_value(self.confidence)
        parts = []
        for g, sf in self.curves.items():
            se = np.nan_to_num(sf.surv_prob_se)
            parts.append(
                pd.DataFrame(
                    {
                        "group": g,
                        "time": np.concatenate([[0.0], sf.surv_times]),
                        "survival": np.concatenate([[1.0], sf.surv_prob]),
                        "lower": np.concatenate([[1.0], np.clip(sf.surv_prob - z * se, 0, 1)]),
                        "upper": np.concatenate([[1.0], np.clip(sf.surv_prob + z * se, 0, 1)]),
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

    def plot(self, ax=None, *, ci: bool = True):
        """Step curves per group on ``ax`` (created if None); returns ``ax``."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots()[1]
        tab = self.table()
        for g, part in tab.groupby("group", sort=False):
            line = ax.step(part["time"], part["survival"], where="post", label=str(g))[0]
            if ci:
                ax.fill_between(
                    part["time"],
                    part["lower"],
                    part["upper"],
                    step="post",
                    alpha=0.15,
                    color=line.get_color(),
                )
        ax.set_ylim(0, 1.02)
        return ax


def kaplan_meier(
    data: pd.DataFrame,
    *,
    duration: str = "tenure",
    event: str = "churned",
    group: str | None = None,
    entry: str | None = None,
    confidence: float = 0.95,
) -> KaplanMeierResult:
    """Kaplan-Meier survival curves (Kaplan & Meier 1958), by group, with a log-rank test.

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

    Returns
    -------
    KaplanMeierResult

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If durations are negative or missing, the event is not 0/1, or entry >= duration.

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
    return KaplanMeierResult(curves, n, events, medians, lr, confidence, last)


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

    title = "Log-rank test (对数秩检验)"

    statistic: float
    df: int
    p_value: float

    def summary(self) -> pd.DataFrame:
        """The test as a one-row table."""
        return pd.DataFrame([{"chi2": self.statistic, "df": self.df, "p_value": self.p_value}])

    def __str__(self) -> str:
        return f"log-rank chi2 = {self.statistic:.2f}, df = {self.df}, p = {self.p_value:.3g}"


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
    """

    title = "Cox proportional-hazards model, hazard ratios"

    params: pd.Series
    bse: pd.Series
    hazard_ratios: pd.DataFrame
    n: int
    events: int
    ties: str
    result: object = field(repr=False)
    _time: np.ndarray = field(repr=False, default=None)
    _status: np.ndarray = field(repr=False, default=None)

    def notes(self) -> list[str]:
        return [f"n = {self.n}, events = {self.events}, ties {self.ties}"]

    def summary(self) -> pd.DataFrame:
        """The hazard-ratio table (one row per covariate)."""
        return self.hazard_ratios

    def read(self) -> list[str]:
        """Each hazard ratio in words."""
        lines = []
        for name, r in self.hazard_ratios.iterrows():
            change = (
                f"{r.hazard_ratio - 1:+.0%}" if r.hazard_ratio >= 1 else f"{r.hazard_ratio - 1:.0%}"
            )
            lines.append(
                f"{name}: one unit more changes the churn hazard by {change} "
                f"(HR {r.hazard_ratio:.2f}, CI {r.lower:.2f}-{r.upper:.2f}, "
                f"p = {r.p:.3g})"
            )
        return lines

    def ph_test(self) -> pd.DataFrame:
        """Proportional-hazards check (比例风险检验) with Schoenfeld residuals.

        For each covariate, the correlation of its scaled-free Schoenfeld residuals (from
        ``PHReg``) with the rank of the event time, and the p-value of that correlation
        (Pearson). A small p (say below 0.01) says the covariate's effect drifts with
        tenure, so a single hazard ratio averages a changing effect.
        """
        resid = np.asarray(self.result.schoenfeld_residuals)
        ok = (self._status == 1) & np.isfinite(resid).all(axis=1)
        rank = stats.rankdata(self._time[ok])
        rows = {}
        for j, name in enumerate(self.params.index):
            r, p = stats.pearsonr(rank, resid[ok, j])
            rows[name] = {"rho": r, "p": p}
        return pd.DataFrame(rows).T.rename_axis("covariate")


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

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    duration, event : str
        Tenure column and 0/1 churn column.
    covariates : sequence of str
        Columns; categorical ones are one-hot coded against their first level.
    entry : str, optional
        Left-truncation column.
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
    model = PHReg(time, X.to_numpy(), status=status, entry=enter, ties=ties)
    res = model.fit()
    names = list(X.columns)
    params = pd.Series(res.params, index=names)
    bse = pd.Series(res.bse, index=names)
    z = z_value(confidence)
    table = pd.DataFrame(
        {
            "coef": params,
            "se": bse,
            "hazard_ratio": np.exp(params),
            "lower": np.exp(params - z * bse),
            "upper": np.exp(params + z * bse),
            "p": 2 * stats.norm.sf(np.abs(params / bse)),
        }
    ).rename_axis("covariate")
    return CoxResult(params, bse, table, len(time), int(status.sum()), ties, res, time, status)
