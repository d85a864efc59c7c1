"""Chapter 04, customer churn: prediction and early warning (流失预警).

:func:`churn_features` builds features known at a date and the churn that follows (a split
in time); :func:`fit_logit` fits statsmodels ``Logit`` and reads odds ratios;
:func:`auc`, :func:`gains_table` and :func:`calibration_table` judge the scores;
:func:`early_warning` ranks customers by value at risk and :func:`campaign_plan` decides
whom a retention campaign (挽留) should contact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._readings import describe_terms, ratio_lines, ratio_table
from crmlab._results import Result
from crmlab._validate import (
    as_float_array,
    check_event,
    require_columns,
    require_frame,
    require_int,
    require_positive,
    require_share,
    z_value,
)
from crmlab.churn import customer_lifetimes
from crmlab.survival import design_matrix

__all__ = [
    "churn_features",
    "LogitResult",
    "fit_logit",
    "auc",
    "gains_table",
    "calibration_table",
    "early_warning",
    "campaign_plan",
]


# ------------------------------------------------------------------------- prediction
def churn_features(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    incidents: pd.DataFrame,
    contacts: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    as_of: object,
    horizon_days: int = 182,
    customer_id: str = "customer_id",
) -> pd.DataFrame:
    """Features known at ``as_of`` and churn in the next ``horizon_days`` (a split in time).

    One row per customer acquired on or before ``as_of`` and not lost by then. Features
    use only data dated on or before ``as_of``: ``tenure_months``; over the last 365 days
    ``n_orders_12m`` (purchase lines), ``revenue_12m`` (net of returns), ``n_returns_12m``;
    ``days_since_last`` purchase (365 if none in the year), ``quote_days_mean``
    (mean days from quote to order) and ``promo_share_12m`` (share of purchase lines on
    promotion), both set to the mean for customers without a purchase; over the last 182
    days ``n_incidents_6m``, ``n_bad_incidents_6m`` (handled badly), ``n_contacts_6m``; and
    ``size``. Event ``churned`` = 1 if lost in (as_of, as_of + horizon]. Company column names
    (``acquisition_date``, ``order_date``, ``amount``, ``is_return``, ``incident_date``,
    ``handled_well``, ``contact_date``, ``churn_date``, ``size``) are expected.

    Parameters
    ----------
    customers, orders, incidents, contacts, churn : DataFrame
        The company's tables.
    as_of : date-like
        The date the features are known at (the split in time).
    horizon_days : int
        Days after ``as_of`` in which a churn is the event.
    customer_id : str
        The id column of every table.

    Returns
    -------
    DataFrame
        Index customer id; ``as_of``, the features above and ``churned`` (0/1).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``horizon_days`` is not positive, or no customer is active at ``as_of``.

    Examples
    --------
    >>> from crmlab import datasets
    >>> company = datasets.load_company()
    >>> tables = [company[k] for k in ("customers", "orders", "incidents", "contacts", "churn")]
    >>> f = churn_features(*tables, as_of="2024-06-30")
    >>> list(f.columns[:4]), int(f["churned"].sum()) <= len(f)
    (['as_of', 'tenure_months', 'n_orders_12m', 'revenue_12m'], True)
    """
    horizon = require_positive(horizon_days, "horizon_days")
    as_of_ts = pd.Timestamp(as_of)
    require_columns(customers, [customer_id, "acquisition_date", "size"], "customers")
    require_columns(orders, [customer_id, "order_date", "amount", "is_return"], "orders")
    require_columns(incidents, [customer_id, "incident_date", "handled_well"], "incidents")
    require_columns(contacts, [customer_id, "contact_date"], "contacts")
    life = customer_lifetimes(customers, churn, customer_id=customer_id)
    life = life[
        (life["acquisition_date"] <= as_of_ts)
        & (life["churn_date"].isna() | (life["churn_date"] > as_of_ts))
    ]
    if life.empty:
        raise ValueError(f"no customer is active at as_of={as_of_ts.date()}.")
    out = pd.DataFrame(index=life.index)
    out["tenure_months"] = ((as_of_ts - life["acquisition_date"]).dt.days / (365.25 / 12)).round(1)
    year = orders[
        (orders["order_date"] > as_of_ts - pd.Timedelta(days=365))
        & (orders["order_date"] <= as_of_ts)
    ]
    buys = year[~year["is_return"].astype(bool)]
    out["n_orders_12m"] = buys.groupby(customer_id).size().reindex(out.index, fill_value=0)
    out["revenue_12m"] = year.groupby(customer_id)["amount"].sum().reindex(out.index, fill_value=0)
    out["n_returns_12m"] = (
        year.groupby(customer_id)["is_return"].sum().reindex(out.index, fill_value=0).astype(int)
    )
    last = buys.groupby(customer_id)["order_date"].max().reindex(out.index)
    out["days_since_last"] = (as_of_ts - last).dt.days.fillna(365).astype(int)
    # time spent choosing (购买挑选时间) and promotion buying: traces of price-driven buyers
    g = buys.groupby(customer_id)
    out["quote_days_mean"] = (
        g["quote_days"].mean().astype(float).reindex(out.index) if "quote_days" in buys else np.nan
    )
    out["promo_share_12m"] = (
        g["promotion"].mean().astype(float).reindex(out.index) if "promotion" in buys else np.nan
    )
    for col in ("quote_days_mean", "promo_share_12m"):  # no purchase: the average buyer
        out[col] = out[col].fillna(out[col].mean()).round(4)
    half = pd.Timedelta(days=182)
    inc = incidents[
        (incidents["incident_date"] > as_of_ts - half) & (incidents["incident_date"] <= as_of_ts)
    ]
    out["n_incidents_6m"] = inc.groupby(customer_id).size().reindex(out.index, fill_value=0)
    out["n_bad_incidents_6m"] = (
        inc[~inc["handled_well"].astype(bool)]
        .groupby(customer_id)
        .size()
        .reindex(out.index, fill_value=0)
    )
    con = contacts[
        (contacts["contact_date"] > as_of_ts - half) & (contacts["contact_date"] <= as_of_ts)
    ]
    out["n_contacts_6m"] = con.groupby(customer_id).size().reindex(out.index, fill_value=0)
    out["size"] = customers.set_index(customer_id)["size"].reindex(out.index)
    end = as_of_ts + pd.Timedelta(days=horizon)
    out["churned"] = ((life["churn_date"] > as_of_ts) & (life["churn_date"] <= end)).astype(int)
    out.insert(0, "as_of", as_of_ts)
    return out


@dataclass
class LogitResult(Result):
    """A logistic churn model (逻辑回归) fitted with statsmodels ``Logit``.

    Attributes
    ----------
    features : list of str
        The columns it was fitted on (before one-hot coding).
    odds_ratios : DataFrame
        ``coef``, ``se``, ``odds_ratio``, ``lower``, ``upper`` (CI of the ratio), ``p``.
    n, events : int
    result : statsmodels ``LogitResults``.
    confidence : float
        Level of the intervals; :meth:`read` calls an odds ratio significant when its
        two-sided p is below 1 − ``confidence`` (then the interval excludes 1).
    """

    features: list
    odds_ratios: pd.DataFrame
    n: int
    events: int
    result: object = field(repr=False)
    _columns: list = field(repr=False, default_factory=list)
    confidence: float = 0.95
    _kinds: dict = field(repr=False, default_factory=dict)

    title = N_("Logistic churn model (逻辑回归), odds ratios")

    def notes(self) -> list[str]:
        return [_("n = {n}, events = {events}").format(n=self.n, events=self.events)]

    def summary(self) -> pd.DataFrame:
        """The odds-ratio table (one row per design column, the constant first)."""
        return self.odds_ratios

    def predict(self, data: pd.DataFrame) -> pd.Series:
        """Churn probability for each row of ``data`` (same feature columns)."""
        X = design_matrix(data, covariates=self.features).reindex(
            columns=self._columns[1:], fill_value=0.0
        )
        X = sm.add_constant(X, has_constant="add")
        return pd.Series(self.result.predict(X.to_numpy()), index=data.index, name="p_churn")

    def read(self, per: Mapping[str, object] | None = None) -> list[str]:
        """Each odds ratio in words (odds, not probability), with its interval at
        :attr:`confidence`, in a form that fits the feature's type: a categorical level
        against the reference level, a 0/1 feature as 1 rather than 0, a numeric one per
        unit, per the step named in ``per`` (``{"revenue": (1000, "1,000 yuan")}``), or
        per a round step near one standard deviation when the per-unit ratio is within
        half a percent of 1
        (see :func:`crmlab._readings.ratio_lines`)."""
        return ratio_lines(
            self.odds_ratios,
            "odds_ratio",
            self._kinds,
            what=_("the odds of churn"),
            confidence=self.confidence,
            per=per,
        )


def fit_logit(
    data: pd.DataFrame,
    *,
    event: str = "churned",
    features: Sequence[str] = ("days_since_last", "n_orders_12m"),
    confidence: float = 0.95,
) -> LogitResult:
    """Fit a logistic regression of churn on ``features`` (statsmodels ``Logit``).

    Categorical features are one-hot coded against their first level. Odds ratios are
    ``exp(coef)`` with Wald intervals.

    Parameters
    ----------
    data : DataFrame
        One row per customer with the event and the features.
    event : str
        The 0/1 churn column.
    features : sequence of str
        Feature columns (numeric, bool or categorical).
    confidence : float
        Level of the odds-ratio intervals.

    Returns
    -------
    LogitResult
        ``odds_ratios`` (coef, se, odds_ratio, lower, upper, p), ``n``, ``events``, the
        statsmodels ``result``; ``predict()`` gives churn probabilities.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``event`` is not 0/1 or has one class only, or a feature has missing values.

    Examples
    --------
    >>> d = pd.DataFrame({"x": [0, 1, 2, 3, 4, 5, 6, 7], "churned": [0, 0, 1, 0, 1, 0, 1, 1]})
    >>> fit_logit(d, features=["x"]).odds_ratios.loc["x", "odds_ratio"].round(3)
    np.float64(1.811)
    """
    require_frame(data)
    y = check_event(data, event)
    if y.min() == y.max():
        raise ValueError(f"event column {event!r} has one class only: need 0s and 1s.")
    features = [features] if isinstance(features, str) else list(features)
    X = sm.add_constant(design_matrix(data, covariates=features), has_constant="add")
    res = sm.Logit(y, X.to_numpy(dtype=float)).fit(disp=0, maxiter=200)
    cols = list(X.columns)
    params, bse = pd.Series(res.params, index=cols), pd.Series(res.bse, index=cols)
    table = ratio_table(params, bse, z=z_value(confidence), ratio="odds_ratio", index="feature")
    return LogitResult(
        features,
        table,
        len(y),
        int(y.sum()),
        res,
        cols,
        confidence,
        describe_terms(data, features),
    )


def _scores(y: object, p: object) -> tuple[np.ndarray, np.ndarray]:
    y_arr = as_float_array(y, "y")
    p_arr = as_float_array(p, "p")
    if y_arr.size != p_arr.size:
        raise ValueError(f"y and p differ in length: {y_arr.size} vs {p_arr.size}.")
    if not np.isin(y_arr, [0, 1]).all():
        raise ValueError(f"y must hold 0/1, got {np.unique(y_arr[~np.isin(y_arr, [0, 1])])[:5]}.")
    if ((p_arr < 0) | (p_arr > 1)).any():
        raise ValueError("p must hold probabilities in [0, 1].")
    return y_arr.astype(int), p_arr


def auc(y: object, p: object) -> float:
    """Area under the ROC curve (scikit-learn ``roc_auc_score``).

    Parameters
    ----------
    y : array-like
        0/1 outcomes.
    p : array-like
        Scores or probabilities, same length.

    Returns
    -------
    float
        The chance that a random churner is scored above a random stayer.

    Raises
    ------
    ValueError
        If the lengths differ, ``y`` is not 0/1 or has one class only, or ``p`` leaves
        [0, 1] or has missing values.

    Examples
    --------
    >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])  # 3 of 4 pairs ordered right
    0.75
    """
    from sklearn.metrics import roc_auc_score

    y_arr, p_arr = _scores(y, p)
    if y_arr.min() == y_arr.max():
        raise ValueError("y has one class only: AUC needs churners and stayers.")
    return float(roc_auc_score(y_arr, p_arr))


def gains_table(y: object, p: object, bins: int = 10) -> pd.DataFrame:
    """Gains and lift table: customers ranked by ``p``, cut into ``bins`` equal groups.

    Per group (1 = highest scores): ``n``, ``n_churned``, ``rate``, ``lift`` (rate / overall
    rate), ``cum_share_customers``, ``cum_capture`` (share of all churners caught so far)
    and ``cum_lift``. Ties in ``p`` keep the input order (stable sort).

    Parameters
    ----------
    y : array-like
        0/1 outcomes.
    p : array-like
        Predicted probabilities, same length.
    bins : int
        Number of groups, from 1 to the number of customers.

    Returns
    -------
    DataFrame
        Index group (1 = highest scores); ``n``, ``n_churned``, ``mean_p``, ``rate``,
        ``lift``, ``cum_share_customers``, ``cum_capture``, ``cum_lift``.

    Raises
    ------
    ValueError
        As :func:`auc`, or ``bins`` out of range.

    Examples
    --------
    >>> g = gains_table([1, 0, 1, 0, 0, 0, 1, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2, .1, 0],
    ...                 bins=5)
    >>> g[["n_churned", "lift", "cum_capture"]].round(3).iloc[:2].to_dict("list")
    {'n_churned': [1, 1], 'lift': [1.667, 1.667], 'cum_capture': [0.333, 0.667]}
    """
    y_arr, p_arr = _scores(y, p)
    require_int(bins, "bins", low=1, high=y_arr.size)
    order = np.argsort(-p_arr, kind="stable")
    group = np.arange(y_arr.size) * bins // y_arr.size + 1
    frame = pd.DataFrame({"group": group, "y": y_arr[order], "p": p_arr[order]})
    out = frame.groupby("group").agg(n=("y", "size"), n_churned=("y", "sum"), mean_p=("p", "mean"))
    overall = y_arr.mean()
    out["rate"] = out["n_churned"] / out["n"]
    out["lift"] = out["rate"] / overall if overall > 0 else np.nan
    out["cum_share_customers"] = out["n"].cumsum() / y_arr.size
    out["cum_capture"] = out["n_churned"].cumsum() / max(y_arr.sum(), 1)
    out["cum_lift"] = out["cum_capture"] / out["cum_share_customers"]
    return out


def calibration_table(y: object, p: object, bins: int = 10) -> pd.DataFrame:
    """Calibration: mean predicted ``p`` vs observed churn share in ``bins`` groups of
    equal size (by predicted probability, lowest first).

    Parameters
    ----------
    y : array-like
        0/1 outcomes.
    p : array-like
        Predicted probabilities, same length.
    bins : int
        Number of groups.

    Returns
    -------
    DataFrame
        Index bin (1 = lowest predictions); ``n``, ``mean_predicted``, ``observed``.

    Raises
    ------
    ValueError
        As :func:`gains_table`.

    Examples
    --------
    >>> calibration_table([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.8], bins=2)
         n  mean_predicted  observed
    bin
    1    2             0.2       0.0
    2    2             0.7       1.0
    """
    g = gains_table(y, p, bins).iloc[::-1]
    out = pd.DataFrame(
        {
            "n": g["n"].to_numpy(),
            "mean_predicted": g["mean_p"].to_numpy(),
            "observed": g["rate"].to_numpy(),
        },
        index=range(1, len(g) + 1),
    )
    return out.rename_axis("bin")


def early_warning(
    p_churn: pd.Series, value: pd.Series, *, tier: pd.Series | None = None, top: int | None = None
) -> pd.DataFrame:
    """Ranked early-warning list (流失预警名单): value at risk = value x churn probability.

    Customers (the index shared by ``p_churn`` and ``value``) sorted by ``value_at_risk``,
    largest first, so valuable customers at risk (VIPs) are protected first. ``tier`` adds
    a value-tier column; ``top`` keeps the first rows.

    Parameters
    ----------
    p_churn : Series
        Churn probability per customer id.
    value : Series
        Value per customer id (revenue, profit or CLV), same index.
    tier : Series, optional
        Value tier per customer id, added as a column.
    top : int, optional
        Keep the first ``top`` rows.

    Returns
    -------
    DataFrame
        ``p_churn``, ``value``, ``value_at_risk``, (``tier``) and ``rank``; largest value at
        risk first.

    Raises
    ------
    ValueError
        If the indexes differ or probabilities lie outside [0, 1].

    Examples
    --------
    >>> early_warning(pd.Series({"a": 0.5, "b": 0.1}), pd.Series({"a": 100, "b": 2000}))
       p_churn   value  value_at_risk  rank
    b      0.1  2000.0          200.0     1
    a      0.5   100.0           50.0     2
    """
    p = pd.Series(p_churn, dtype=float)
    v = pd.Series(value, dtype=float)
    if not p.index.sort_values().equals(v.index.sort_values()):
        raise ValueError("p_churn and value must have the same customers (index).")
    _scores(np.zeros(len(p)), p.to_numpy())
    out = pd.DataFrame({"p_churn": p, "value": v.reindex(p.index)})
    out["value_at_risk"] = out["p_churn"] * out["value"]
    if tier is not None:
        out["tier"] = pd.Series(tier).reindex(out.index)
    out = out.sort_values("value_at_risk", ascending=False, kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    return out if top is None else out.head(int(top))


def campaign_plan(
    warning: pd.DataFrame,
    contact_cost: float,
    save_rate: float,
    *,
    p_churn: str = "p_churn",
    value: str = "value",
) -> pd.DataFrame:
    """Cost-benefit of a retention campaign (挽留): whom to contact.

    Contacting a customer costs ``contact_cost`` and keeps a would-be leaver with
    probability ``save_rate``, saving ``value``. Expected gain = ``p_churn x save_rate x
    value − contact_cost``; contact exactly the customers with a positive gain. The table
    is sorted by gain with ``contact`` (bool) and ``cum_gain``.

    Parameters
    ----------
    warning : DataFrame
        As from :func:`early_warning`.
    contact_cost : float
        Cost of contacting one customer, >= 0.
    save_rate : float
        Share of would-be leavers a contact keeps, in [0, 1].
    p_churn, value : str
        Column names.

    Returns
    -------
    DataFrame
        ``warning`` plus ``gain``, ``contact`` (bool) and ``cum_gain``, sorted by gain.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``warning`` is empty, the cost is negative or the save rate is outside [0, 1].

    Examples
    --------
    >>> w = pd.DataFrame({"p_churn": [0.5, 0.2, 0.1], "value": [1000, 1000, 1000]},
    ...                  index=list("abc"))
    >>> campaign_plan(w, 50, 0.3)[["gain", "contact"]]  # 0.5*0.3*1000-50 = 100 ...
        gain  contact
    a  100.0     True
    b   10.0     True
    c  -20.0    False
    """
    cost = require_positive(contact_cost, "contact_cost", allow_zero=True)
    rate = require_share(save_rate, "save_rate")
    require_frame(warning, "warning")
    require_columns(warning, [p_churn, value], "warning")
    out = warning.copy()
    out["gain"] = out[p_churn] * rate * out[value] - cost
    out = out.sort_values("gain", ascending=False, kind="stable")
    out["contact"] = out["gain"] > 0
    out["cum_gain"] = out["gain"].cumsum()
    return out
