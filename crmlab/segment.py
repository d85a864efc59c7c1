"""Chapter 02, customer segmentation (客户细分).

Here: value concentration (Lorenz, Gini, top share), profit after cost to serve (whale
curve), and RFM tables and scores. k-means clusters are in :mod:`crmlab.clustering`; the
course's classifications (value tiers VIP客户/主要客户/普通客户/小客户 and ABC,
relationship, credit, status, strategic classes, relationship levels) are rules, kept in
:mod:`crmlab.segment_classes`; the sales funnel (销售漏斗) is in :mod:`crmlab.funnel`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from crmlab._labels import RFM_SEGMENTS
from crmlab._money import CENTS, from_cents, to_cents
from crmlab._validate import (
    as_float_array,
    check_orders,
    require_columns,
    require_frame,
    require_int,
    require_numeric,
    require_share,
)
from crmlab.economics import cost_of_goods

__all__ = [
    "lorenz_curve",
    "gini",
    "top_share",
    "cost_rates",
    "customer_profit",
    "whale_curve",
    "rfm_table",
    "rfm_scores",
    "RFM_SEGMENTS",
    "rfm_grid",
]


def _non_negative(values: object, name: str = "values") -> np.ndarray:
    arr = as_float_array(values, name)
    bad = np.flatnonzero(arr < 0)
    if bad.size:
        raise ValueError(
            f"{name} has negative values at positions {bad[:5].tolist()}"
            f"{' and more' if bad.size > 5 else ''}: concentration measures need values >= 0 "
            "(for profit with losses use a whale curve instead)."
        )
    if arr.sum() == 0:
        raise ValueError(f"{name} sum to zero: there is nothing to concentrate.")
    return arr


def lorenz_curve(values: object) -> pd.DataFrame:
    """Lorenz curve of ``values`` (e.g. revenue per customer).

    Customers are sorted from smallest to largest; row ``k`` gives the share of customers
    ``k/n`` and the share of the total they hold. The curve starts at (0, 0) and ends at
    (1, 1); the further it sags below the diagonal, the more concentrated the values.

    Parameters
    ----------
    values : array-like of float
        Non-negative values, one per customer.

    Returns
    -------
    DataFrame
        Columns ``customer_share`` and ``value_share``, ``n + 1`` rows.

    Raises
    ------
    ValueError
        If ``values`` is empty, non-numeric, holds NaN or negative values, or sums to 0.

    Examples
    --------
    >>> lorenz_curve([1, 3]).round(2).to_dict("list")
    {'customer_share': [0.0, 0.5, 1.0], 'value_share': [0.0, 0.25, 1.0]}
    """
    arr = np.sort(_non_negative(values))
    n = arr.size
    return pd.DataFrame(
        {
            "customer_share": np.arange(n + 1) / n,
            "value_share": np.concatenate([[0.0], np.cumsum(arr) / arr.sum()]),
        }
    )


def gini(values: object) -> float:
    """Gini coefficient of ``values``: 0 when all customers are worth the same, towards 1
    when one customer holds everything.

    Computed as ``G = 2 * sum(i * x_(i)) / (n * sum(x)) - (n + 1) / n`` with ``x`` sorted
    ascending and ``i = 1..n``; this equals the mean absolute difference over all pairs
    divided by twice the mean, and twice the area between the diagonal and the Lorenz
    curve drawn as steps (no small-sample correction).

    Parameters
    ----------
    values : array-like
        Non-negative values, one per customer (e.g. revenue).

    Returns
    -------
    float
        In [0, 1).

    Raises
    ------
    ValueError
        If ``values`` is empty, not numeric, has missing or negative values, or sums to 0.

    Examples
    --------
    >>> gini([1, 2, 3, 4, 10])
    0.4
    """
    arr = np.sort(_non_negative(values))
    n = arr.size
    i = np.arange(1, n + 1)
    return float(round(2 * np.sum(i * arr) / (n * arr.sum()) - (n + 1) / n, 12))


def top_share(values: object, fraction: float = 0.2) -> float:
    """Share of the total held by the top ``fraction`` of customers.

    The top group is the ``ceil(fraction * n)`` largest values (so with 5 customers and
    ``fraction=0.2`` it is the single largest). The 80/20 rule (二八定律) claims
    ``top_share(revenue, 0.2)`` is about 0.8.

    Parameters
    ----------
    values : array-like
        Non-negative values, one per customer.
    fraction : float
        Share of customers at the top, in (0, 1].

    Returns
    -------
    float
        Their share of the total.

    Raises
    ------
    ValueError
        As :func:`gini`, or ``fraction`` outside (0, 1].

    Examples
    --------
    >>> top_share([1, 2, 3, 4, 10], 0.2)
    0.5
    """
    frac = require_share(fraction, "fraction", closed_low=False)
    arr = np.sort(_non_negative(values))[::-1]
    k = int(np.ceil(round(frac * arr.size, 9)))
    return float(arr[:k].sum() / arr.sum())


# --------------------------------------------------------------------------- orders check


# --------------------------------------------------------------------------- profit


def cost_rates(
    costs: pd.DataFrame, *, item: str = "item", unit: str = "unit", cost: str = "cost"
) -> dict[str, float]:
    """Cost rates of a ``costs`` table as ``{"item: unit": cost}``.

    Parameters
    ----------
    costs : DataFrame
        The company's ``costs`` table: one row per cost item and unit.
    item, unit, cost : str
        Column names.

    Returns
    -------
    dict
        ``{"item: unit": cost}``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``costs`` is empty or ``cost`` is not numeric.

    Examples
    --------
    >>> costs = pd.DataFrame({"item": ["return"], "unit": ["per return line"], "cost": [250.0]})
    >>> cost_rates(costs)
    {'return: per return line': 250.0}
    """
    require_frame(costs, "costs")
    require_columns(costs, [item, unit, cost], "costs")
    require_numeric(costs, cost)
    keys = costs[item].astype(str) + ": " + costs[unit].astype(str)
    return dict(zip(keys, costs[cost].astype(float), strict=True))


def _rate(rates: dict[str, float], key: str) -> float:
    if key not in rates:
        raise KeyError(f"costs has no rate {key!r}; it has {sorted(rates)}.")
    return rates[key]


def _cents(rates: dict[str, float], key: str) -> int:
    """A cost rate in whole cents (crmlab._money)."""
    return int(to_cents([_rate(rates, key)], key)[0])


def _active_years(
    customers: pd.DataFrame, churn: pd.DataFrame | None, years: range, customer_id: str
) -> pd.Series:
    acquired = customers.set_index(customer_id)["acquisition_date"]
    left = pd.Series(pd.NaT, index=acquired.index, dtype="datetime64[ns]")
    if churn is not None:
        left = churn.set_index(customer_id)["churn_date"].reindex(acquired.index)
    n = pd.Series(0, index=acquired.index)
    for y in years:
        start, end = pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
        n += ((acquired <= end) & (left.isna() | (left >= start))).astype(int)
    return n


def customer_profit(
    orders: pd.DataFrame,
    products: pd.DataFrame,
    costs: pd.DataFrame,
    *,
    incidents: pd.DataFrame | None = None,
    contacts: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    churn: pd.DataFrame | None = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str = "is_return",
) -> pd.DataFrame:
    """Profit per customer after the cost to serve (服务成本).

    The cost model, every rate read from ``costs`` (the company's ``costs`` table):

    - gross profit = net revenue - cost of goods (:func:`crmlab.economics.customer_gross_profit`;
      returned goods give their cost back);
    - returns: ``return: per return line`` for each return line;
    - incidents: ``incident: severity s`` per incident, plus ``incident: handled badly
      (extra)`` if ``handled_well`` is false;
    - contacts: ``contact: visit|call|event`` by ``contact_type``;
    - account: ``account: per active customer-year`` for each calendar year of the order
      window in which the customer was active (acquired by its end and not lost before
      its start, from ``customers.acquisition_date`` and ``churn.churn_date``); without
      ``customers``, each year with an order line counts.

    ``profit = gross_profit - returns_cost - incident_cost - contact_cost - account_cost``.
    Discounts are shown (``discounts`` = (list price - unit price) x quantity on sales
    lines, where those columns exist) but not subtracted again: they already lower revenue.

    Parameters
    ----------
    orders, products, costs : DataFrame
        The company's tables of the same names.
    incidents, contacts, customers, churn : DataFrame, optional
        If given, their costs are counted; ``customers`` also adds customers without orders.
    customer_id, order_date, amount, is_return : str
        Column names in ``orders`` (and ``customer_id`` in the other tables).

    Returns
    -------
    DataFrame
        Index customer id; columns ``revenue``, ``gross_profit``, ``discounts``,
        ``returns_cost``, ``incident_cost``, ``contact_cost``, ``account_cost``,
        ``cost_to_serve``, ``profit``; sorted by profit, largest first.

    Raises
    ------
    KeyError
        If a column or a cost rate is missing.
    ValueError
        As in :func:`check_orders`.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B"], "order_date": pd.to_datetime(
    ...     ["2024-01-05", "2024-02-01", "2024-03-01"]), "product_line": ["x", "x", "x"],
    ...     "quantity": [10, -2, 5], "amount": [100.0, -20.0, 50.0],
    ...     "is_return": [False, True, False]})
    >>> products = pd.DataFrame({"product_line": ["x"], "unit_cost": [6.0]})
    >>> costs = pd.DataFrame({"item": ["return", "account"], "unit": ["per return line",
    ...     "per active customer-year"], "cost": [5.0, 10.0]})
    >>> customer_profit(orders, products, costs)["profit"].to_dict()
    {'A': 17.0, 'B': 10.0}
    """
    flags, _ = check_orders(
        orders, customer_id=customer_id, order_date=order_date, amount=amount, is_return=is_return
    )
    rates = cost_rates(costs)
    # orders are checked above: revenue and gross profit are computed, not checked again
    by_customer = orders[customer_id]
    revenue = orders.groupby(customer_id, observed=True)[amount].sum()
    revenue = revenue.sort_values(ascending=False, kind="stable")
    margin = orders[amount].to_numpy(float) - cost_of_goods(orders, products).to_numpy()
    gross = pd.Series(margin, index=orders.index).groupby(by_customer).sum()
    ids = revenue.index
    if customers is not None:
        ids = pd.Index(customers[customer_id]).append(ids.difference(customers[customer_id]))
    # every sum in whole cents (crmlab._money): exact, and the same on every engine
    out = pd.DataFrame(index=ids.rename(customer_id))
    out["revenue"] = to_cents(revenue.reindex(ids, fill_value=0.0), "revenue")
    out["gross_profit"] = to_cents(gross.reindex(ids, fill_value=0.0), "gross_profit")
    if {"list_price", "unit_price", "quantity"} <= set(orders.columns):
        given = (orders["list_price"] - orders["unit_price"]) * orders["quantity"] * ~flags
        given = pd.Series(to_cents(given.to_numpy(float), "discounts"), index=orders.index)
        out["discounts"] = given.groupby(orders[customer_id]).sum().reindex(ids, fill_value=0)
    else:
        out["discounts"] = 0
    n_returns = pd.Series(flags, index=orders.index).groupby(orders[customer_id]).sum()
    out["returns_cost"] = n_returns.reindex(ids, fill_value=0) * _cents(
        rates, "return: per return line"
    )
    out["incident_cost"] = 0
    if incidents is not None and len(incidents):
        require_columns(incidents, [customer_id, "severity", "handled_well"], "incidents")
        sev = incidents["severity"].map(lambda s: _cents(rates, f"incident: severity {s}"))
        extra = _cents(rates, "incident: handled badly (extra)")
        each = sev.astype("int64") + extra * ~incidents["handled_well"].astype(bool)
        out["incident_cost"] = each.groupby(incidents[customer_id]).sum().reindex(ids, fill_value=0)
    out["contact_cost"] = 0
    if contacts is not None and len(contacts):
        require_columns(contacts, [customer_id, "contact_type"], "contacts")
        each = contacts["contact_type"].astype(str).map(lambda t: _cents(rates, f"contact: {t}"))
        out["contact_cost"] = each.groupby(contacts[customer_id]).sum().reindex(ids, fill_value=0)
    years = range(orders[order_date].min().year, orders[order_date].max().year + 1)
    if customers is not None:
        n_years = _active_years(customers, churn, years, customer_id)
    else:
        n_years = orders.groupby(customer_id)[order_date].agg(lambda d: d.dt.year.nunique())
    out["account_cost"] = n_years.reindex(ids, fill_value=0) * _cents(
        rates, "account: per active customer-year"
    )
    serve = ["returns_cost", "incident_cost", "contact_cost", "account_cost"]
    out["cost_to_serve"] = out[serve].sum(axis=1)
    out["profit"] = out["gross_profit"] - out["cost_to_serve"]
    out = out.astype("int64") / CENTS
    return out.sort_values("profit", ascending=False, kind="stable")


def whale_curve(profit: object) -> pd.DataFrame:
    """Whale curve (Kaplan & Cooper 1998): cumulative share of total profit, customers
    sorted from most to least profitable.

    The curve rises above 1 while customers add profit and falls back to 1 as the
    loss-making customers at the end take it away; the peak says how much profit the
    profitable customers make before the losses.

    Parameters
    ----------
    profit : array-like
        Profit per customer (losses negative).

    Returns
    -------
    DataFrame
        ``customer_share`` (0, 1/n, ..., 1) and ``profit_share`` (0, ..., 1), n + 1 rows.

    Raises
    ------
    ValueError
        If ``profit`` is empty, non-numeric, or sums to zero or less.

    Examples
    --------
    >>> whale_curve([50, -10, 20, -20])["profit_share"].tolist()
    [0.0, 1.25, 1.75, 1.5, 1.0]
    """
    arr = np.sort(as_float_array(profit, "profit"))[::-1]
    total = arr.sum()
    if total <= 0:
        raise ValueError(f"profit sums to {total:g}: a whale curve needs a positive total.")
    return pd.DataFrame(
        {
            "customer_share": np.arange(arr.size + 1) / arr.size,
            "profit_share": np.concatenate([[0.0], np.cumsum(arr) / total]),
        }
    )


# --------------------------------------------------------------------------- RFM


def rfm_table(
    orders: pd.DataFrame,
    *,
    as_of: object = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str | None = "is_return",
    start: object = None,
) -> pd.DataFrame:
    """Recency, frequency and monetary value per customer (RFM, Hughes 1994).

    - ``days_since_last`` (recency): days from the last purchase line to ``as_of``
      (0 = bought on ``as_of``);
    - ``n_orders`` (frequency): number of purchase lines (each line counts, also several
      on one day); returns do not count;
    - ``revenue`` (monetary value): net amount, purchases minus returns (returns are
      negative lines),
      so a returned order does not make a customer look more valuable.

    Only lines dated in ``[start, as_of]`` are used; customers with no purchase line
    there (e.g. only a return) are left out.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    as_of : date-like, optional
        Reference date; default the last order date. Lines after it are an error
        (cut the table first), not silently dropped.
    customer_id, order_date, amount, is_return : str
        Column names; without an ``is_return`` column no line is a return.
    start : date-like, optional
        First date of the window.

    Returns
    -------
    DataFrame
        Index customer id (sorted); columns ``days_since_last`` (int), ``n_orders`` (int),
        ``revenue`` (float), ``first_purchase``, ``last_purchase``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        As in :func:`check_orders`: empty table, non-numeric or missing amounts, missing
        ids or dates, dates after ``as_of``, negative amounts not marked as returns.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B", "A"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
    ...                                   "2024-03-10"]),
    ...     "amount": [100.0, 50.0, 80.0, -30.0], "is_return": [False, False, False, True]})
    >>> rfm = rfm_table(orders, as_of="2024-03-31")
    >>> rfm[["days_since_last", "n_orders", "revenue"]].to_dict("index")
    {'A': {'days_since_last': 30, 'n_orders': 2, 'revenue': 120.0}, \
'B': {'days_since_last': 59, 'n_orders': 1, 'revenue': 80.0}}
    """
    flags, as_of_ts = check_orders(
        orders,
        customer_id=customer_id,
        order_date=order_date,
        amount=amount,
        is_return=is_return,
        as_of=as_of,
    )
    dates = orders[order_date]
    keep = None if start is None else (dates >= pd.Timestamp(start)).to_numpy()
    codes, n_groups, labels = _group_codes(pd.Series(orders[customer_id].to_numpy(), copy=False))
    stamps, to_dates = _date_ints(dates)
    amounts = to_cents(orders[amount].to_numpy(dtype=float), amount)
    sale = ~flags
    if keep is not None:
        codes, stamps, amounts, sale = codes[keep], stamps[keep], amounts[keep], sale[keep]
    n_orders = np.bincount(codes, weights=sale, minlength=n_groups).astype("int64")
    never, always = np.iinfo(np.int64).max, np.iinfo(np.int64).min  # returns: no date
    first = np.full(n_groups, never)
    np.minimum.at(first, codes, np.where(sale, stamps, never))
    last = np.full(n_groups, always)
    np.maximum.at(last, codes, np.where(sale, stamps, always))
    # money in whole cents (crmlab._money): the float sum of whole cents is exact in any
    # order, so the revenue is the same on every engine (crmlab.engine)
    revenue = from_cents(np.bincount(codes, weights=amounts, minlength=n_groups))
    bought = n_orders > 0
    out = pd.DataFrame(
        {
            "n_orders": n_orders[bought],
            "revenue": revenue[bought],
            "first_purchase": to_dates(first[bought]),
            "last_purchase": to_dates(last[bought]),
        },
        index=labels(bought).rename(customer_id),
    )
    out.insert(0, "days_since_last", (as_of_ts - out["last_purchase"]).dt.days.astype("int64"))
    return out


def _group_codes(ids: pd.Series) -> tuple[np.ndarray, int, Callable[[np.ndarray], pd.Index]]:
    """Group codes of ``ids`` numbered in sorted id order, their number, and a function
    giving the sorted ids of the codes selected by a boolean mask (the index that
    ``groupby(sort=True)`` gives).

    Dense integer ids (range no wider than the number of lines, as in the benchmark) are
    their own codes after subtracting the smallest, which avoids hashing; other ids go
    through ``pd.factorize(sort=True)``, as groupby does.
    """
    values = ids.to_numpy() if isinstance(ids.dtype, np.dtype) else None
    if values is not None and values.dtype.kind in "iu":
        low = values.min()
        n_groups = int(values.max()) - int(low) + 1
        if n_groups <= values.size:

            def labels(mask: np.ndarray) -> pd.Index:
                return pd.Index(np.flatnonzero(mask).astype(values.dtype) + low)

            return (values - low).astype(np.intp, copy=False), n_groups, labels
    codes, uniques = pd.factorize(ids, sort=True)
    return codes, len(uniques), lambda mask: uniques[mask]


def _date_ints(dates: pd.Series) -> tuple[np.ndarray, Callable[[np.ndarray], object]]:
    """``dates`` (no missing values) as int64 ticks of their unit (UTC for time zones),
    and the function turning ticks back into dates of the same dtype."""
    tz = getattr(dates.dtype, "tz", None)
    naive = dates.dt.tz_convert(None) if tz is not None else dates
    stamps = naive.to_numpy()
    unit = stamps.dtype

    def to_dates(ticks: np.ndarray) -> object:
        out = pd.Series(ticks.view(unit))
        return out.dt.tz_localize("UTC").dt.tz_convert(tz).array if tz is not None else out.array

    return stamps.view(np.int64), to_dates


def _quantile_score(values: np.ndarray, bins: int) -> np.ndarray:
    """1 + floor(bins * (rank_min - 1) / n): ties share the score of their lowest rank."""
    ranks = pd.Series(values).rank(method="min").to_numpy()
    return (1 + np.floor(bins * (ranks - 1) / values.size)).astype("int64")


def rfm_scores(
    rfm: pd.DataFrame,
    *,
    bins: int = 5,
    days_since_last: str = "days_since_last",
    n_orders: str = "n_orders",
    revenue: str = "revenue",
) -> pd.DataFrame:
    """Score R, F and M from 1 (worst) to ``bins`` (best) by quantile, and name segments.

    **Score rule.** With ``n`` customers and ``rank_min`` the rank of a value counting
    ties as their lowest position (1 = worst), ``score = 1 + floor(bins * (rank_min - 1)
    / n)``. Short recency is good, so R ranks ``-days_since_last``. **Ties**: equal values always
    get equal scores (the score of the lowest position in the tie), so heavily tied
    variables (many customers with ``n_orders`` 1) fill the low scores and leave some
    high scores smaller or empty; the groups are quintiles only without ties.

    **Segments** (:data:`RFM_SEGMENTS`, first rule that holds): champions 核心客户
    R>=4, F>=4; loyal 忠诚客户 R>=3, F>=3; new 新客户 R>=4, F<=2; at_risk 需挽留客户
    R<=2, F>=3; need_attention 需关注客户 R=3, F<=2; hibernating 沉睡客户 R<=2, F<=2.
    Together they cover the 5 x 5 grid once; M is left to the value tiers. With other
    ``bins`` the scores are mapped to 1-5 by ``ceil(score * 5 / bins)`` for the names.

    Parameters
    ----------
    rfm : DataFrame
        One row per customer, as from :func:`rfm_table`.
    bins : int
        Number of score levels, 2 to 10 (5: quintiles).
    days_since_last, n_orders, revenue : str
        The recency, frequency and monetary columns.

    Returns
    -------
    DataFrame
        ``rfm`` plus ``R``, ``F``, ``M`` (int), ``rfm_code`` (e.g. "545"),
        ``rfm_sum`` and ``segment`` (categorical in the order above).

    Raises
    ------
    ValueError
        If ``rfm`` is empty, a column is not numeric, or ``bins`` is not 2..10.

    Examples
    --------
    Five customers, so each rank is its own score; R ranks -days_since_last: -500 < -50 < -20 <
    -5 = -5, so R = 1, 2, 3 and 4 for both tied customers (nobody gets 5).

    >>> rfm = pd.DataFrame({"days_since_last": [5, 50, 500, 5, 20],
    ...                     "n_orders": [9, 3, 1, 1, 2],
    ...                     "revenue": [900.0, 300.0, 10.0, 20.0, 50.0]})
    >>> rfm_scores(rfm)[["R", "F", "M", "segment"]]
       R  F  M      segment
    0  4  5  5    champions
    1  2  4  4      at_risk
    2  1  1  1  hibernating
    3  4  1  2          new
    4  3  3  3        loyal
    """
    require_frame(rfm, "rfm")
    require_columns(rfm, [days_since_last, n_orders, revenue], "rfm")
    require_int(bins, "bins", low=2, high=10)
    for col in (days_since_last, n_orders, revenue):
        require_numeric(rfm, col)
    out = rfm.copy()
    out["R"] = _quantile_score(-rfm[days_since_last].to_numpy(float), bins)
    out["F"] = _quantile_score(rfm[n_orders].to_numpy(float), bins)
    out["M"] = _quantile_score(rfm[revenue].to_numpy(float), bins)
    out["rfm_code"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    out["rfm_sum"] = out["R"] + out["F"] + out["M"]
    r = np.ceil(out["R"].to_numpy() * 5 / bins)  # rules are written for 5 bins
    f = np.ceil(out["F"].to_numpy() * 5 / bins)
    rules = [
        (r >= 4) & (f >= 4),
        (r >= 3) & (f >= 3),
        (r >= 4) & (f <= 2),
        (r <= 2) & (f >= 3),
        (r > 2) & (r < 4) & (f <= 2),
        np.ones(len(r), bool),
    ]
    names = [s[0] for s in RFM_SEGMENTS]
    out["segment"] = pd.Categorical(np.select(rules, names, default=""), categories=names)
    return out


def rfm_grid(
    scores: pd.DataFrame, *, value: str | None = None, row: str = "R", col: str = "F"
) -> pd.DataFrame:
    """R x F grid for a heat map: customer counts, or the mean of ``value`` per cell.

    Rows are R from best (top) to worst, columns F from worst to best; empty cells are NaN
    for means and 0 for counts.

    Parameters
    ----------
    scores : DataFrame
        As from :func:`rfm_scores`.
    value : str, optional
        Column to average per cell; without it, customers are counted.
    row, col : str
        The score columns of the rows and columns.

    Returns
    -------
    DataFrame
        R (rows, best first) x F (columns, worst first).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``scores`` is empty.

    Examples
    --------
    >>> s = pd.DataFrame({"R": [1, 2, 2], "F": [1, 1, 2], "revenue": [1.0, 3.0, 5.0]})
    >>> rfm_grid(s, value="revenue").to_dict("index")
    {2: {1: 3.0, 2: 5.0}, 1: {1: 1.0, 2: nan}}
    """
    require_frame(scores, "scores")
    require_columns(scores, [row, col] + ([value] if value else []), "scores")
    if value is None:
        grid = pd.crosstab(scores[row], scores[col])
    else:
        grid = scores.pivot_table(
            index=row, columns=col, values=value, aggfunc="mean", observed=False
        )
    return grid.sort_index(ascending=False).sort_index(axis=1)


# --------------------------------------------------------------------------- clustering
