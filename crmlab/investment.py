"""Chapter 05, customer value: what to spend to win and to keep customers (资源配置).

:func:`max_acquisition_cost` is the most to pay for a new customer per group (the mean
CLV), :func:`channel_economics` compares acquisition channels with the value of a
referral; :func:`retention_response` and :func:`allocate_retention_budget` split a
retention budget across customer classes where it saves the most value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate import (
    as_float_array,
    format_rows,
    require_columns,
    require_frame,
    require_in_range,
    require_no_missing,
    require_non_negative,
    require_positive,
    require_share,
)
from crmlab.loyalty_market import referral_value

__all__ = [
    "max_acquisition_cost",
    "channel_economics",
    "retention_response",
    "allocate_retention_budget",
]


def max_acquisition_cost(clv: pd.Series, group: pd.Series) -> pd.DataFrame:
    """The most a firm should pay to win a customer, per group (e.g. acquisition channel):
    the mean CLV of the group's customers (paying more destroys value on average).

    Parameters
    ----------
    clv : Series or array-like
        CLV per customer.
    group : Series or array-like
        The group of each customer, same length and order as ``clv``.

    Returns
    -------
    DataFrame
        Index the groups; ``n``, ``max_cost`` (mean CLV) and ``median_clv``.

    Raises
    ------
    ValueError
        If ``clv`` is not numeric or has missing values, the lengths differ, or a group is
        missing.

    Examples
    --------
    >>> clv = pd.Series([100.0, 300, 50, 70])
    >>> groups = pd.Series(["web", "web", "fair", "fair"])
    >>> max_acquisition_cost(clv, groups)["max_cost"].tolist()  # fair (50 + 70) / 2, web 200
    [60.0, 200.0]
    """
    values = as_float_array(clv, "clv")
    if len(group) != values.size:
        raise ValueError(f"clv has {values.size} values but group has {len(group)}.")
    frame = pd.DataFrame({"group": np.asarray(group), "clv": values})
    require_no_missing(frame, "group")
    out = frame.groupby("group", observed=True)["clv"].agg(
        n="size", max_cost="mean", median_clv="median"
    )
    out.index.name = group.name if isinstance(group, pd.Series) and group.name else "group"
    return out


def channel_economics(
    clv: pd.Series,
    orders: pd.DataFrame,
    products: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    referral: str = "referral",
    channel: str = "channel",
    customer_id: str = "customer_id",
    **referral_kw: object,
) -> pd.DataFrame:
    """The most to pay per acquisition channel beside the value of a referral (chapter 03).

    ``max_cost`` is :func:`max_acquisition_cost` of ``clv`` (index customer id) by the
    customers' ``channel``; ``first_gross_profit`` and ``share_buying`` are
    :func:`crmlab.loyalty_market.referral_value` (gross profit of a new customer's first
    months, ``referral_kw`` passed on: ``months``, ``start``, ``as_of``, ...). The value of a
    referral (推荐价值) is the ``referral`` row: what a referred customer is worth, so the
    most a referral reward should cost; ``vs_referral`` is each channel's ``max_cost``
    minus the referral channel's.

    Parameters
    ----------
    clv : Series
        CLV per customer id.
    orders, products, customers : DataFrame
        The company's tables.
    referral : str
        The referral channel's name.
    channel, customer_id : str
        Column names in ``customers``.
    **referral_kw
        Passed on to :func:`crmlab.loyalty_market.referral_value` (``months``, ``start``,
        ``as_of``, ...).

    Returns
    -------
    DataFrame
        Index channel; ``n``, ``max_cost``, ``median_clv``, ``first_gross_profit``,
        ``share_buying``, ``vs_referral``; sorted by ``max_cost``, largest first.

    Raises
    ------
    ValueError
        If ``referral`` is not one of the channels, or as the functions it calls.

    Examples
    --------
    >>> clv = pd.Series([300.0, 100, 50], index=["a", "b", "c"])
    >>> c = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "channel": ["referral", "online", "online"],
    ...     "acquisition_date": pd.to_datetime(["2022-01-10", "2022-01-20", "2022-02-01"])})
    >>> o = pd.DataFrame({"customer_id": ["a", "b"], "order_date": pd.to_datetime(
    ...     ["2022-02-01", "2022-03-01"]), "product_line": "x", "quantity": [10, 10],
    ...     "amount": [150.0, 120.0]})
    >>> p = pd.DataFrame({"product_line": ["x"], "unit_cost": [10.0]})
    >>> channel_economics(clv, o, p, c)[["max_cost", "first_gross_profit", "vs_referral"]]
    ... # doctest: +NORMALIZE_WHITESPACE
              max_cost  first_gross_profit  vs_referral
    channel
    referral     300.0                50.0          0.0
    online        75.0                10.0       -225.0
    """
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, channel], "customers")
    if not isinstance(clv, pd.Series):
        raise ValueError(
            f"clv must be a pandas Series indexed by customer id, got {type(clv).__name__}."
        )
    groups = customers.set_index(customer_id)[channel].astype(str).reindex(clv.index)
    if groups.isna().any():
        raise ValueError(
            f"clv has customers missing from customers: "
            f"{format_rows(clv.index[groups.isna().to_numpy()])}."
        )
    cost = max_acquisition_cost(clv, groups.rename(channel))
    if referral not in cost.index:
        raise ValueError(
            f"referral={referral!r} is not a channel; channels are {sorted(cost.index)}."
        )
    ref = referral_value(
        orders, products, customers, channel=channel, customer_id=customer_id, **referral_kw
    )
    out = cost.join(
        ref[["mean_gross_profit", "share_buying"]].rename(
            columns={"mean_gross_profit": "first_gross_profit"}
        )
    )
    out["vs_referral"] = out["max_cost"] - out.loc[referral, "max_cost"]
    return out.sort_values("max_cost", ascending=False, kind="stable")


def retention_response(
    spend: float | np.ndarray,
    value_at_risk: float | np.ndarray,
    *,
    s_max: float = 0.3,
    k: float = 1000.0,
) -> np.ndarray:
    """Expected CLV saved per customer by retention spend ``x`` per customer (the response
    model of :func:`allocate_retention_budget`):
    ``s_max (1 - exp(-x / k)) x value_at_risk``, value at risk = P(churn) x CLV.

    Parameters
    ----------
    spend : float or ndarray
        Spend per customer, >= 0.
    value_at_risk : float or ndarray
        P(churn) x CLV per customer.
    s_max : float
        In (0, 1]: the most of the value at risk that spending can save.
    k : float
        > 0: spend per customer that reaches 1 - 1/e = 63% of ``s_max``.

    Returns
    -------
    ndarray

    Raises
    ------
    ValueError
        If ``s_max`` or ``k`` is out of range or a spend is negative.

    Examples
    --------
    Spend 100 with k = 100: 0.5 x (1 - e^-1) x 250 = 0.5 x 0.632121 x 250 = 79.015.

    >>> round(float(retention_response(100, 250, s_max=0.5, k=100)), 3)
    79.015
    """
    x = np.asarray(spend, dtype=float)
    require_share(s_max, "s_max", closed_low=False)
    require_positive(k, "k")
    if (x < 0).any():
        raise ValueError(f"spend must not be negative, got {x[x < 0][:5].tolist()}.")
    return s_max * -np.expm1(-x / k) * np.asarray(value_at_risk, dtype=float)


def allocate_retention_budget(
    classes: pd.DataFrame,
    budget: float,
    *,
    n_customers: str = "n_customers",
    clv: str = "clv",
    p_churn: str = "p_churn",
    s_max: float = 0.3,
    k: float = 1000.0,
) -> pd.DataFrame:
    """Split a retention budget across customer classes to maximise expected CLV saved
    (where to invest, 资源配置; classes such as 战略客户, 主要客户, 交易客户, 风险客户 from
    :func:`crmlab.segment_classes.strategic_class`), against spending evenly.

    **Response model.** Class c has n_c customers with mean CLV v_c and churn probability
    p_c; its value at risk per customer is a_c = p_c v_c. Spending x per customer, spread
    evenly within the class, saves per customer

        g_c(x) = s_max (1 - exp(-x / k)) a_c,

    ``s_max`` the share of would-be churners that unlimited spending could keep and ``k``
    the spend per customer at which 1 - 1/e = 63% of that is reached (diminishing returns).
    A class budget B_c saves n_c g_c(B_c / n_c). The total is concave in (B_c), so the
    optimum gives every funded class the same marginal return λ and no unfunded class
    more (the greedy rule "next yuan to the class with the highest marginal return", taken
    to the limit):

        d saved / d B_c = s_max a_c / k x exp(-B_c / (n_c k)) = λ
        ⇒ B_c = n_c k ln(s_max a_c / (k λ)) if s_max a_c / k > λ, else 0,

    with λ set so that the B_c sum to the budget (water-filling, computed exactly).

    Parameters
    ----------
    classes : DataFrame
        One row per class (index the class): ``n_customers``, mean ``clv``, mean churn
        probability ``p_churn`` (use the mean of p x CLV as ``clv`` with ``p_churn`` 1 when
        they are correlated within a class).
    budget : float
        Total retention budget, >= 0, in the unit of CLV.
    s_max : float
        In (0, 1]: the most of the value at risk that spending can save.
    k : float
        > 0: spend per customer that reaches 63% of ``s_max``.

    Returns
    -------
    DataFrame
        Index the classes; ``n_customers``, ``value_at_risk`` (n_c a_c), ``budget``
        (optimal B_c), ``spend_per_customer``, ``saved``, ``even_budget`` (budget / total
        customers x n_c: the same spend per customer everywhere), ``even_saved``; and a
        last row ``total``.

    Raises
    ------
    ValueError
        Naming the argument or column: a budget, ``s_max`` or ``k`` out of range; negative
        counts or CLV; churn probabilities outside [0, 1].

    Examples
    --------
    Two classes of one customer, a = 0.5 x 1000 = 500 and 0.4 x 500 = 200, s_max 0.5,
    k 100, budget 200: both funded, B_A - B_B = 100 ln(500/200) = 91.63, so B_A = 145.81.

    >>> t = pd.DataFrame({"n_customers": [1, 1], "clv": [1000.0, 500.0],
    ...                   "p_churn": [0.5, 0.4]}, index=["A", "B"])
    >>> allocate_retention_budget(t, 200, s_max=0.5, k=100)[["budget", "saved"]].round(2)
           budget   saved
    A      145.81  191.83
    B       54.19   41.83
    total  200.00  233.67
    """
    require_frame(classes, "classes")
    require_columns(classes, [n_customers, clv, p_churn], "classes")
    for col in (n_customers, clv):
        require_non_negative(classes, col)
    require_in_range(classes, p_churn, 0, 1, allow_nan=False)
    total_budget = require_positive(budget, "budget", allow_zero=True)
    smax = require_share(s_max, "s_max", closed_low=False)
    scale = require_positive(k, "k")
    counts = classes[n_customers].to_numpy(float)
    if counts.sum() <= 0:
        raise ValueError(
            f"column {n_customers!r} counts no customers: it sums to {counts.sum():g}."
        )
    risk = classes[clv].to_numpy(float) * classes[p_churn].to_numpy(float)
    slope = smax * risk / scale  # marginal return of the first yuan in each class
    alloc = np.zeros(counts.size)
    live = (counts > 0) & (slope > 0)
    if total_budget > 0 and live.any():
        order = np.flatnonzero(live)[np.argsort(-slope[live], kind="stable")]
        for m in range(order.size, 0, -1):  # largest active set whose λ is below all slopes
            act = order[:m]
            log_lam = (counts[act] @ np.log(slope[act]) - total_budget / scale) / counts[act].sum()
            if np.log(slope[act[-1]]) > log_lam:
                alloc[act] = counts[act] * scale * (np.log(slope[act]) - log_lam)
                break
    per = np.divide(alloc, counts, out=np.zeros_like(alloc), where=counts > 0)
    even_per = total_budget / counts.sum()
    out = pd.DataFrame(
        {
            "n_customers": counts,
            "value_at_risk": counts * risk,
            "budget": alloc,
            "spend_per_customer": per,
            "saved": counts * retention_response(per, risk, s_max=smax, k=scale),
            "even_budget": even_per * counts,
            "even_saved": counts * retention_response(even_per, risk, s_max=smax, k=scale),
        },
        index=classes.index.astype(object),
    )
    total = out.sum()
    total["spend_per_customer"] = total["budget"] / total["n_customers"]
    out.loc["total"] = total
    return out
