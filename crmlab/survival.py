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

What lives where: this module holds the Kaplan-Meier curves and the log-rank test
(:func:`kaplan_meier`, :func:`logrank_test`); :func:`survival_frame` and the checks of
durations and entry times are in ``crmlab/_survival_data.py``, the Cox model
(:func:`design_matrix`, :func:`cox_model`, :class:`CoxResult`) in
``crmlab/_survival_cox.py``. All are imported here: use them through ``crmlab.survival``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from crmlab import _survival_math as _diag
from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._results import Result
from crmlab._survival_cox import CoxResult, cox_model, design_matrix
from crmlab._survival_data import GRAIN_DAYS, durations, entry_times, survival_frame
from crmlab._validate import (
    check_event,
    require_columns,
    require_frame,
    require_no_missing,
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
#: Pointwise confidence bands of a Kaplan-Meier curve, named as R ``survfit(conf.type=)``.
CI_METHODS = _diag.CI_METHODS


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
    time = durations(data, duration)
    status = check_event(data, event)
    enter = entry_times(data, entry, time)
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
    time = durations(data, duration)
    status = check_event(data, event)
    enter = entry_times(data, entry, time)
    require_columns(data, [group])
    require_no_missing(data, group)
    labels = data[group].astype(str).to_numpy()
    k = len(np.unique(labels))
    if k < 2:
        raise ValueError(f"column {group!r} has only one group: a log-rank test needs two.")
    stat, p = survdiff(time, status, labels, entry=enter)
    return LogrankResult(float(stat), k - 1, float(p))
