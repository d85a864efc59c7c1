"""Chapter 05, customer value (客户价值与客户终身价值): profit, lifetime value and the
value pyramid looking forward.

- **Profitability** (客户盈利能力): profit per customer after cost to serve is
  :func:`crmlab.segment.customer_profit` (the cost model of ``datasets/company.md``);
  :func:`profit_claims` tests the course's rules on it ("about 50% of customers bring no
  profit", 80/20 on profit) and reads the whale curve (:func:`crmlab.segment.whale_curve`).
- **Contractual lifetime value** (合同型客户终身价值): :func:`clv_contractual` discounts a
  margin over a survival curve; :func:`clv_constant_retention` is the closed form
  m r / (1 + d - r) of Gupta & Lehmann (2003) (:func:`crmlab.economics.retained_value`);
  :func:`clv_by_group` uses Kaplan-Meier curves from chapter 04 (e.g. Telco by contract).
- **Non-contractual lifetime value** (非合同型): :func:`clv_bgnbd` combines the BG/NBD
  and Gamma-Gamma fits of :mod:`crmlab.btyd`; :func:`true_clv` computes the same value
  from the synthetic company's ``truth`` table, to check the models.
- **The value pyramid, forward-looking** (客户价值金字塔): :func:`value_pyramid` tiers
  customers by past value and by predicted CLV (:func:`crmlab.segment_classes.value_tiers`)
  and says who moves up or down.
- **The quantified evaluation system** (量化评估体系): :func:`evaluation_scores` scores
  customers on profit, influence, loyalty, potential and satisfaction and combines them.
- **What to spend** (资源配置) on winning and keeping customers is in
  :mod:`crmlab.investment`.

All rates are per period; a yearly discount rate ``d`` is ``(1 + d) ** (1/12) - 1`` a month.

References
----------
Gupta, S., & Lehmann, D. R. (2003). Customers as assets. *Journal of Interactive
Marketing*, 17(1), 9-24.
Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your customers" the easy
way. *Marketing Science*, 24(2), 275-284; and RFM and CLV: Using iso-value curves for
customer base analysis. *Journal of Marketing Research*, 42(4), 415-430.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab._validate import (
    as_float_array,
    check_btyd_summary,
    format_rows,
    require_columns,
    require_frame,
    require_int,
    require_numeric,
    require_positive,
    require_share,
)
from crmlab._value_scores import EVALUATION_DIMENSIONS, evaluation_scores
from crmlab.btyd import BGNBDResult, GammaGammaResult
from crmlab.economics import retained_value
from crmlab.segment_classes import TIERS, value_tiers
from crmlab.survival import kaplan_meier

__all__ = [
    "profit_claims",
    "monthly_rate",
    "clv_contractual",
    "clv_constant_retention",
    "clv_by_group",
    "clv_bgnbd",
    "true_clv",
    "value_pyramid",
    "pyramid_moves",
    "clv_check",
    "EVALUATION_DIMENSIONS",
    "evaluation_scores",
]


def _discount(discount_rate: float) -> float:
    return require_share(discount_rate, "discount_rate", closed_low=False, closed_high=False)


def monthly_rate(yearly_rate: float) -> float:
    """Monthly rate equivalent to a yearly rate: ``(1 + d) ** (1 / 12) - 1``.

    Parameters
    ----------
    yearly_rate : float
        Discount rate per year, in (0, 1).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``yearly_rate`` is outside (0, 1).

    Examples
    --------
    >>> round(monthly_rate(0.10), 6)  # 1.1 ** (1/12) - 1
    0.007974
    """
    return (1 + _discount(yearly_rate)) ** (1 / 12) - 1


# --------------------------------------------------------------------------- profit


def profit_claims(
    data: pd.DataFrame, *, profit: str = "profit", revenue: str = "revenue", top: float = 0.2
) -> pd.Series:
    """The course's profit rules of thumb measured on a profit table (客户盈利能力).

    Parameters
    ----------
    data : DataFrame
        One row per customer, as from :func:`crmlab.segment.customer_profit`.
    profit, revenue : str
        Column names of profit and net revenue.
    top : float
        Share of customers at the top (0.2 for 80/20, 二八定律).

    Returns
    -------
    Series
        ``n_customers``; ``unprofitable_share`` (profit <= 0: "bring no profit", [CRM slides]
        says about 50%), ``unprofitable_share_buyers`` (the same among customers with
        revenue > 0); ``top_profit_share`` and ``top_revenue_share`` (share of the total
        held by the ``top`` customers ranked by that measure); ``whale_peak`` (profit of
        the profitable customers over total profit) and ``whale_peak_customers`` (their
        share of customers).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``data`` is empty, a column is not numeric, ``top`` is outside (0, 1] or
        profit sums to zero or less.

    Examples
    --------
    >>> t = pd.DataFrame({"revenue": [100.0, 60, 30, 10, 0], "profit": [50.0, 20, 5, -5, -20]})
    >>> profit_claims(t).round(3).to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'n_customers': 5.0, 'unprofitable_share': 0.4, 'unprofitable_share_buyers': 0.25,
     'top_profit_share': 1.0, 'top_revenue_share': 0.5, 'whale_peak': 1.5,
     'whale_peak_customers': 0.6}
    """
    require_frame(data, "data")
    require_columns(data, [profit, revenue], "data")
    require_numeric(data, profit)
    require_numeric(data, revenue)
    share = require_share(top, "top", closed_low=False)
    p = data[profit].to_numpy(float)
    rev = data[revenue].to_numpy(float)
    n = p.size
    k = int(np.ceil(round(share * n, 9)))
    total = p.sum()
    if total <= 0:
        raise ValueError(
            f"column {profit!r} sums to {total:g}: shares of profit need a positive total."
        )
    buyers = rev > 0
    return pd.Series(
        {
            "n_customers": float(n),
            "unprofitable_share": float(np.mean(p <= 0)),
            "unprofitable_share_buyers": float(np.mean(p[buyers] <= 0)) if buyers.any() else np.nan,
            "top_profit_share": float(np.sort(p)[::-1][:k].sum() / total),
            "top_revenue_share": float(np.sort(rev)[::-1][:k].sum() / rev.sum()),
            "whale_peak": float(p[p > 0].sum() / total),
            "whale_peak_customers": float(np.mean(p > 0)),
        }
    )


# --------------------------------------------------------------------------- contractual


def clv_contractual(
    margin: float | Sequence[float], survival: Sequence[float], discount_rate: float
) -> float:
    """Contractual customer lifetime value: ``sum_t m_t S(t) / (1 + d)^t`` for t = 1..n.

    ``survival[k]`` is S(k + 1), the chance the customer is still there at the end of
    period k + 1, when the period's margin is received (the convention of
    :func:`clv_constant_retention`, so S(t) = r^t gives the same value up to n periods).

    Parameters
    ----------
    margin : float or sequence
        Margin per period (one number, or one per period); not negative.
    survival : sequence of float
        S(1), ..., S(n): in [0, 1] and not increasing.
    discount_rate : float
        Per period, in (0, 1).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If a margin is negative, survival leaves [0, 1] or rises, the margins and
        survival differ in length, or the discount rate is outside (0, 1).

    Examples
    --------
    Margin 100 a period, S = 0.9, 0.8, 0.7, 10% a period:
    90/1.1 + 80/1.21 + 70/1.331 = 81.818 + 66.116 + 52.592.

    >>> round(clv_contractual(100, [0.9, 0.8, 0.7], 0.10), 2)
    200.53
    """
    s = as_float_array(survival, "survival")
    d = _discount(discount_rate)
    m = as_float_array(
        np.broadcast_to(margin, s.shape) if np.ndim(margin) == 0 else margin, "margin"
    )
    if m.size != s.size:
        raise ValueError(f"margin has {m.size} periods but survival has {s.size}.")
    if (m < 0).any():
        raise ValueError(
            f"margin must not be negative; it is at periods "
            f"{np.flatnonzero(m < 0)[:5].tolist()}: {m[m < 0][:5].tolist()}."
        )
    if ((s < 0) | (s > 1)).any():
        bad = np.flatnonzero((s < 0) | (s > 1))
        raise ValueError(
            f"survival must lie in [0, 1]; it does not at periods "
            f"{bad[:5].tolist()}: {s[bad][:5].tolist()}."
        )
    if (np.diff(s) > 1e-12).any():
        bad = np.flatnonzero(np.diff(s) > 1e-12) + 1
        raise ValueError(f"survival must not increase; it rises at periods {bad[:5].tolist()}.")
    t = np.arange(1, s.size + 1)
    return float(np.sum(m * s / (1 + d) ** t))


def clv_constant_retention(margin: float, retention: float, discount_rate: float) -> float:
    """Closed form of lifetime value with constant retention: ``m r / (1 + d - r)``.

    The infinite sum ``sum_{t>=1} m r^t / (1 + d)^t`` (Gupta & Lehmann 2003), computed by
    :func:`crmlab.economics.retained_value` after checking the inputs.

    Parameters
    ----------
    margin : float
        Margin per period, >= 0.
    retention : float
        Share retained each period, in [0, 1).
    discount_rate : float
        Discount rate per period, in (0, 1).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``margin`` is negative, ``retention`` is outside [0, 1) or ``discount_rate``
        outside (0, 1).

    Examples
    --------
    Margin 100 a year, retention 80%, 10% a year: 100 x 0.8 / 0.3.

    >>> round(clv_constant_retention(100, 0.8, 0.10), 2)
    266.67
    """
    require_positive(margin, "margin", allow_zero=True)
    r = require_share(retention, "retention")
    if r == 1:
        raise ValueError(
            "retention must be below 1: with retention 1 a customer never "
            "leaves and the value grows without bound as d falls."
        )
    return retained_value(margin, r, _discount(discount_rate))


def clv_by_group(
    data: pd.DataFrame,
    *,
    group: str = "contract",
    duration: str = "tenure",
    event: str = "churned",
    margin: str = "monthly_charges",
    margin_rate: float = 1.0,
    discount_rate: float = 0.008,
    horizon: int | None = None,
    tail: bool = True,
) -> pd.DataFrame:
    """Contractual CLV of a new customer per group, from Kaplan-Meier survival (chapter 04).

    For each group: S(1..H) from :func:`crmlab.survival.kaplan_meier` (H = ``horizon``,
    default the longest tenure observed), the group's mean ``margin`` x ``margin_rate``
    per period, and :func:`clv_contractual`. With ``tail``, the value beyond H is added
    as if retention stayed at the mean of the last 12 periods, r:
    ``S(H) / (1 + d)^H x m r / (1 + d - r)``.

    Parameters
    ----------
    data : DataFrame
        One row per customer with tenure, churn event, group and margin (e.g. Telco).
    group : str
        Grouping column (e.g. ``contract``).
    duration, event : str
        Tenure (in periods) and churn event (0/1) columns.
    margin : str
        Margin (or revenue) per period column.
    margin_rate : float
        Share of ``margin`` that is margin (1 if it already is).
    discount_rate : float
        Discount rate per period, in (0, 1).
    horizon : int, optional
        Periods H of the survival curve; default the longest tenure.
    tail : bool
        Add the value beyond H at the last year's retention.

    Returns
    -------
    DataFrame
        Index the groups; ``n``, ``margin`` (per period), ``survival_12``,
        ``survival_end`` (S(H)), ``retention_end`` (r), ``clv_horizon`` (value up to H),
        ``clv_tail``, ``clv`` (their sum) and ``expected_periods`` (sum of S(1..H)).

    Raises
    ------
    KeyError, ValueError
        As :func:`kaplan_meier` and :func:`clv_contractual`; also for a negative margin.

    Examples
    --------
    S(1..8) = 1, .8, .6, .6, .3, .3, .3, .3; 10 x sum S(t) / 1.01^t:

    >>> five = pd.DataFrame({"tenure": [2, 3, 3, 5, 8], "churned": [1, 1, 0, 1, 0],
    ...                      "fee": 10.0, "g": "all"})
    >>> clv_by_group(five, group="g", margin="fee", discount_rate=0.01, tail=False)[
    ...     ["survival_end", "clv"]].round(3).to_dict("records")
    [{'survival_end': 0.3, 'clv': 40.582}]
    """
    require_frame(data)
    require_columns(data, [group, margin], "data")
    require_numeric(data, margin)
    neg = data[margin].to_numpy(float) < 0
    if neg.any():
        raise ValueError(
            f"column {margin!r} has negative margins in rows {format_rows(data.index[neg])}."
        )
    rate = require_positive(margin_rate, "margin_rate", allow_zero=True)
    d = _discount(discount_rate)
    km = kaplan_meier(data, duration=duration, event=event, group=group)
    h = int(horizon) if horizon is not None else int(np.ceil(data[duration].max()))
    if h < 1:
        raise ValueError(f"horizon must be at least 1 period, got {horizon!r}.")
    times = np.arange(1, h + 1)
    surv = km.survival_at(times)
    mean_margin = data.groupby(group, observed=True)[margin].mean() * rate
    rows = {}
    for g, s in surv.iterrows():
        s = s.to_numpy(float)
        m = float(mean_margin[g])
        value = clv_contractual(m, s, d)
        last = s[-13:] if s.size > 12 else np.concatenate([[1.0], s])
        r = float((last[-1] / last[0]) ** (1 / (last.size - 1))) if last[0] > 0 else 0.0
        extra = (
            s[-1] / (1 + d) ** h * clv_constant_retention(m, min(r, 1 - 1e-9), d)
            if tail and s[-1] > 0
            else 0.0
        )
        rows[g] = {
            "n": km.n[g],
            "margin": m,
            "survival_12": float(s[min(11, s.size - 1)]),
            "survival_end": float(s[-1]),
            "retention_end": r,
            "clv_horizon": value,
            "clv_tail": extra,
            "clv": value + extra,
            "expected_periods": float(s.sum()),
        }
    out = pd.DataFrame(rows).T
    out["n"] = out["n"].astype("int64")
    out.index.name = group
    return out


# --------------------------------------------------------------------------- non-contractual


def clv_bgnbd(
    summary: pd.DataFrame,
    bgnbd: BGNBDResult,
    gamma_gamma: GammaGammaResult,
    *,
    periods: int = 12,
    period_length: float = 52 / 12,
    discount_rate: float = 0.008,
    margin_rate: float = 1.0,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
    monetary_value: str = "monetary_value",
) -> pd.DataFrame:
    """Non-contractual CLV: BG/NBD expected purchases x Gamma-Gamma spend x margin,
    discounted period by period (Fader, Hardie & Lee 2005b).

    Expected purchases in period k are E[Y(kL)] - E[Y((k-1)L)] (L = ``period_length`` in
    the summary's time unit; 52/12 weeks = a month), each discounted by (1 + d)^k.

    Parameters
    ----------
    summary : DataFrame
        One row per customer, as from :func:`crmlab.btyd.rfm_summary`.
    bgnbd : BGNBDResult
        The purchase and dropout model (:func:`crmlab.btyd.fit_bgnbd`).
    gamma_gamma : GammaGammaResult
        The spend model (:func:`crmlab.btyd.fit_gamma_gamma`).
    periods : int
        Periods ahead, >= 1.
    period_length : float
        One period in the summary's time unit (52/12 weeks = a month).
    discount_rate : float
        Discount rate per period, in (0, 1).
    margin_rate : float
        Share of the spend that is margin.
    frequency, recency, T, monetary_value : str
        The summary's columns (the BTYD literature's names).

    Returns
    -------
    DataFrame
        Index as ``summary``; ``p_alive``, ``expected_purchases`` (over all periods),
        ``expected_spend`` (per purchase), ``clv``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        As :func:`crmlab._validate.check_btyd_summary`; also for a bad period, length,
        rate or a non-numeric ``monetary_value``.

    Examples
    --------
    The paper's customer (x = 2, t_x = 30.43, T = 38.86 weeks) and a Gamma-Gamma fit;
    39 weeks as one period without discounting (d close to 0):

    >>> from crmlab.btyd import BGNBDResult, GammaGammaResult
    >>> bg = BGNBDResult(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, True)
    >>> gg = GammaGammaResult(6.25, 3.74, 15.44, 0.0, 946, True)
    >>> one = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86],
    ...                     "monetary_value": [30.0]})
    >>> clv_bgnbd(one, bg, gg, periods=1, period_length=39, discount_rate=1e-12).round(3)
       p_alive  expected_purchases  expected_spend     clv
    0    0.727               1.226          30.938  37.931
    """
    x, t_x, big_t = check_btyd_summary(summary, frequency=frequency, recency=recency, T=T)
    require_columns(summary, [monetary_value], "summary")
    require_numeric(summary, monetary_value)
    d = _discount(discount_rate)
    rate = require_positive(margin_rate, "margin_rate", allow_zero=True)
    length = require_positive(period_length, "period_length")
    require_int(periods, "periods", low=1)
    cum = np.vstack(
        [bgnbd.expected_purchases(k * length, x, t_x, big_t) for k in range(1, int(periods) + 1)]
    )
    per = np.diff(np.vstack([np.zeros_like(x), cum]), axis=0)
    disc = (1 + d) ** -np.arange(1, int(periods) + 1)
    spend = gamma_gamma.expected_spend(x, summary[monetary_value].to_numpy(float))
    return pd.DataFrame(
        {
            "p_alive": bgnbd.p_alive(x, t_x, big_t),
            "expected_purchases": cum[-1],
            "expected_spend": spend,
            "clv": (disc @ per) * spend * rate,
        },
        index=summary.index,
    )


def true_clv(
    truth: pd.DataFrame,
    *,
    as_of: object,
    periods: int = 12,
    discount_rate: float = 0.008,
    margin_rate: float = 1.0,
    customer_id: str = "customer_id",
    purchase_rate: str = "purchase_rate",
    mean_order_value: str = "mean_order_value",
    monthly_dropout: str = "monthly_dropout",
    churn_date: str = "churn_date",
) -> pd.DataFrame:
    """Lifetime value from the synthetic company's latent traits (the ``truth`` table).

    A customer still there at ``as_of`` (no churn date on or before it) buys
    ``purchase_rate / 12`` order lines a month of ``mean_order_value`` each and stays
    each month with probability ``1 - monthly_dropout``:
    ``sum_{k=1..periods} (λ/12) v (1 - p)^k / (1 + d)^k``. Baselines only (no seasonality,
    trend, promotions or incident-driven churn: see the datasheet).

    Parameters
    ----------
    truth : DataFrame
        The company's ``truth`` table (one row per customer).
    as_of : date-like
        Customers lost on or before it are worth 0.
    periods : int
        Months ahead, >= 1.
    discount_rate : float
        Monthly discount rate, in (0, 1).
    margin_rate : float
        Share of the spend that is margin.
    customer_id, purchase_rate, mean_order_value, monthly_dropout, churn_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index customer id; ``alive`` (bool), ``expected_purchases``, ``clv``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``truth`` is empty, a rate is not numeric, ``periods`` is not an int >= 1 or the
        discount rate is outside (0, 1).

    Examples
    --------
    12 orders a year of 100, dropout 0 and 1% a month over 2 months, d near 0:
    1 x 100 x (1 + 1) = 200 and 100 x (0.99 + 0.9801) = 197.01.

    >>> truth = pd.DataFrame({"customer_id": ["A", "B"], "purchase_rate": [12.0, 12.0],
    ...     "mean_order_value": [100.0, 100.0], "monthly_dropout": [0.0, 0.01],
    ...     "churn_date": pd.to_datetime([None, None])})
    >>> clv = true_clv(truth, as_of="2024-01-01", periods=2, discount_rate=1e-12)
    >>> clv["clv"].round(2).tolist()
    [200.0, 197.01]
    """
    require_frame(truth, "truth")
    require_columns(
        truth, [customer_id, purchase_rate, mean_order_value, monthly_dropout, churn_date], "truth"
    )
    for col in (purchase_rate, mean_order_value, monthly_dropout):
        require_numeric(truth, col)
    d = _discount(discount_rate)
    periods = require_int(periods, "periods", low=1)
    as_of_ts = pd.Timestamp(as_of)
    alive = (truth[churn_date].isna() | (truth[churn_date] > as_of_ts)).to_numpy()
    keep = (1 - truth[monthly_dropout].to_numpy(float))[:, None] ** np.arange(1, periods + 1)
    disc = (1 + d) ** -np.arange(1, periods + 1)
    monthly = truth[purchase_rate].to_numpy(float) / 12 * alive
    out = pd.DataFrame(
        {
            "alive": alive,
            "expected_purchases": monthly * keep.sum(axis=1),
            "clv": monthly * (keep @ disc) * truth[mean_order_value].to_numpy(float) * margin_rate,
        },
        index=pd.Index(truth[customer_id], name=customer_id),
    )
    return out


# --------------------------------------------------------------------------- pyramid


def value_pyramid(
    past: pd.Series, predicted: pd.Series, *, tier_cutoffs: Sequence[float] = (0.01, 0.05, 0.20)
) -> pd.DataFrame:
    """The value pyramid by past value beside the pyramid by predicted CLV.

    Both are :func:`crmlab.segment_classes.value_tiers` over the same customers
    (a customer missing from one side counts 0 there).

    Parameters
    ----------
    past : Series
        Past value (e.g. revenue or profit) per customer id.
    predicted : Series
        Predicted CLV per customer id.
    tier_cutoffs : sequence of float
        Shares of customers at the top of the VIP, major and ordinary tiers.

    Returns
    -------
    DataFrame
        Index customer id; ``past``, ``predicted``, ``tier_past``, ``tier_predicted``
        (ordered VIP > major > ordinary > small) and ``move`` (``up``, ``down``, ``same``).

    Raises
    ------
    ValueError
        As :func:`crmlab.segment_classes.value_tiers` (non-numeric or missing values, bad
        cut-offs).

    Examples
    --------
    >>> past = pd.Series([90.0, 50, 20, 5], index=list("abcd"))
    >>> clv = pd.Series([10.0, 60, 30, 40], index=list("abcd"))
    >>> value_pyramid(past, clv, tier_cutoffs=(0.25, 0.5, 0.75))["move"].to_dict()
    {'a': 'down', 'b': 'up', 'c': 'same', 'd': 'up'}
    """
    ids = pd.Index(past.index).union(pd.Index(predicted.index), sort=False)
    p = past.reindex(ids, fill_value=0.0).astype(float)
    q = predicted.reindex(ids, fill_value=0.0).astype(float)
    a = value_tiers(p, tier_cutoffs=tier_cutoffs)["tier"]
    b = value_tiers(q, tier_cutoffs=tier_cutoffs)["tier"]
    out = pd.DataFrame(
        {"past": p, "predicted": q, "tier_past": a.reindex(ids), "tier_predicted": b.reindex(ids)},
        index=ids,
    )
    ca, cb = out["tier_past"].cat.codes, out["tier_predicted"].cat.codes
    out["move"] = np.where(cb < ca, "up", np.where(cb > ca, "down", "same"))
    return out


def pyramid_moves(pyramid: pd.DataFrame) -> pd.DataFrame:
    """Counts of customers by tier of past value (rows) and of predicted CLV (columns).

    Parameters
    ----------
    pyramid : DataFrame
        The output of :func:`value_pyramid`.

    Returns
    -------
    DataFrame
        Tiers x tiers (VIP, major, ordinary, small), counts; the diagonal holds the
        customers who stay in their tier.

    Raises
    ------
    KeyError
        If ``tier_past`` or ``tier_predicted`` is missing.
    ValueError
        If ``pyramid`` is empty.

    Examples
    --------
    >>> past = pd.Series([90.0, 50, 20, 5], index=list("abcd"))
    >>> clv = pd.Series([10.0, 60, 30, 40], index=list("abcd"))
    >>> moves = pyramid_moves(value_pyramid(past, clv, tier_cutoffs=(0.25, 0.5, 0.75)))
    >>> int(moves.loc["VIP", "small"]), int(moves.loc["ordinary", "ordinary"])  # a, c
    (1, 1)
    """
    require_frame(pyramid, "pyramid")
    require_columns(pyramid, ["tier_past", "tier_predicted"], "pyramid")
    out = pd.crosstab(pyramid["tier_past"], pyramid["tier_predicted"]).reindex(
        index=list(TIERS), columns=list(TIERS), fill_value=0
    )
    out.index.name, out.columns.name = "by past value", "by predicted CLV"
    return out


# --------------------------------------------------------------------------- where to invest


def clv_check(
    pyramid: pd.DataFrame,
    *,
    tier: str = "tier_predicted",
    predicted: str = "predicted",
    true: str = "true",
    p_alive: str = "p_alive",
    alive: str = "alive",
) -> tuple[pd.DataFrame, pd.Series]:
    """Predicted against true customer value, by tier and overall (where the truth is known,
    as in the simulator).

    Parameters
    ----------
    pyramid : DataFrame
        One row per customer: its tier, predicted and true value, predicted probability
        of being alive and the true alive flag, 0/1 or boolean (e.g. :func:`value_pyramid` with
        ``true``, ``p_alive`` and ``alive`` added).
    tier, predicted, true, p_alive, alive : str
        Column names.

    Returns
    -------
    by_tier : DataFrame
        One row per tier present: ``n``, mean ``predicted``, mean ``true``, mean
        ``p_alive``, share ``alive``, and ``error`` = predicted / true − 1 (of the means).
    overall : Series
        ``spearman`` (rank correlation), ``pearson``, ``pearson_log`` (Pearson of
        log(1 + value)) and ``total_error`` (sum predicted / sum true − 1).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``pyramid`` is empty or a value column is not numeric or has missing values.

    Examples
    --------
    >>> p = pd.DataFrame({"tier_predicted": ["a", "a", "b"], "predicted": [10.0, 20, 3],
    ...                   "true": [10.0, 10, 4], "p_alive": [0.9, 0.7, 0.2],
    ...                   "alive": [1, 1, 0]})
    >>> by_tier, overall = clv_check(p)
    >>> by_tier["error"].tolist()  # a: 15 / 10 - 1; b: 3 / 4 - 1
    [0.5, -0.25]
    >>> round(float(overall["total_error"]), 4)  # 33 / 24 - 1
    0.375
    """
    require_frame(pyramid, "pyramid")
    require_columns(pyramid, [tier, predicted, true, p_alive, alive], "pyramid")
    for col in (predicted, true, p_alive):
        require_numeric(pyramid, col)
    if not pd.api.types.is_bool_dtype(pyramid[alive]):
        require_numeric(pyramid, alive)
    by_tier = pyramid.groupby(tier, observed=True).agg(
        n=(true, "size"),
        predicted=(predicted, "mean"),
        true=(true, "mean"),
        p_alive=(p_alive, "mean"),
        alive=(alive, "mean"),
    )
    by_tier["error"] = by_tier["predicted"] / by_tier["true"] - 1
    pred, tru = pyramid[predicted].astype(float), pyramid[true].astype(float)
    overall = pd.Series(
        {
            "spearman": pred.corr(tru, method="spearman"),
            "pearson": pred.corr(tru),
            "pearson_log": np.log1p(pred).corr(np.log1p(tru)),
            "total_error": pred.sum() / tru.sum() - 1,
        }
    )
    return by_tier, overall
