"""Chapter 03, the five loyalty measures per customer (客户忠诚度的测量, [CRM slides]) and
how to check them against the simulator's truth: :func:`loyalty_measures`,
:func:`values_by_type`, :func:`measure_validity`. Part of :mod:`crmlab.loyalty`, which
imports everything from here: use it through ``loyalty``. :func:`sales_lines` and
:func:`survey_items` are shared with the rest of the chapter (``crmlab/loyalty.py``,
``crmlab/_loyalty_types.py``).
"""

from __future__ import annotations

import pandas as pd

from crmlab._validate import (
    SCALE,
    check_frame,
    numeric_answers,
    require_columns,
    require_dates_not_after,
    require_items,
    require_no_missing,
)
from crmlab.elasticity import price_elasticity

__all__ = ["loyalty_measures", "values_by_type", "measure_validity"]


def sales_lines(orders: pd.DataFrame, customer_id: str, is_return: str | None) -> pd.DataFrame:
    """Purchase lines only (returns are not purchases)."""
    if is_return is None or is_return not in orders.columns:
        return orders
    return orders[~orders[is_return].astype(bool).to_numpy()]


# --------------------------------------------------------------------------- measures
def survey_items(survey: pd.DataFrame, items: list[str], customer_id: str) -> pd.DataFrame:
    """First answer sheet per customer, the given items as floats on 1-5."""
    items = require_items(survey, items, items, name="survey")
    require_columns(survey, [customer_id], "survey")
    values = numeric_answers(survey, items, SCALE, need_answers=False)
    out = pd.DataFrame(values, columns=items, index=survey[customer_id].to_numpy())
    return out[~out.index.duplicated(keep="first")]


def loyalty_measures(
    orders: pd.DataFrame,
    survey: pd.DataFrame | None = None,
    incidents: pd.DataFrame | None = None,
    *,
    as_of: object = None,
    ids: object = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    product_line: str = "product_line",
    quote_days: str = "quote_days",
    promotion: str = "promotion",
    is_return: str | None = "is_return",
    incident_date: str = "incident_date",
    compare_competitors: str = "compare_competitors",
    window_days: int = 180,
    min_orders: int = 5,
) -> pd.DataFrame:
    """The five loyalty measures of the course (客户忠诚度的测量, [CRM slides]) per customer.

    - ``repeat_purchases`` (重复购买次数): purchase lines after the first; also
      ``orders_per_year`` = purchase lines / years from the first purchase to ``as_of``
      (at least a quarter year);
    - ``choosing_days`` (购买挑选时间): mean days from quote to order (``quote_days``);
    - ``price_elasticity`` (对价格的敏感程度): :func:`price_elasticity`, shrunk, with
      ``min_orders``;
    - ``compare_competitors`` (对竞争产品的态度): the survey answer (1 never ... 5 always
      compares with competitors), NaN for customers without a survey answer;
    - ``tolerance`` (对产品质量的承受能力): share of the customer's incidents after which
      they bought again within ``window_days``; only incidents at least ``window_days``
      before ``as_of`` count; NaN without such an incident;
    - and a helper for the incentive type, ``promotion_lift``: the share of the customer's
      purchase lines bought on promotion divided by the firm-wide share.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    survey : DataFrame, optional
        Cleaned survey answers (for ``compare_competitors``).
    incidents : DataFrame, optional
        Service incidents (for ``tolerance``).
    as_of : date-like, optional
        The reference date; default the last order date.
    ids : sequence, optional
        Customer ids to report on; default every customer with a purchase line.
    customer_id, order_date, product_line, quote_days, promotion, is_return : str
        Column names in ``orders``.
    incident_date, compare_competitors : str
        Column names in ``incidents`` and ``survey``.
    window_days : int
        Days after an incident in which a new purchase counts as staying.
    min_orders : int
        Purchase lines needed for an elasticity (>= 3).

    Returns
    -------
    DataFrame
        Index customer id; ``repeat_purchases``, ``orders_per_year``, ``choosing_days``,
        ``promotion_lift``, ``price_elasticity``, ``compare_competitors``, ``tolerance``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        A customer in ``ids`` has no purchase line; dates after ``as_of``; the
        survey lacks ``compare_competitors`` or has answers outside 1-5 (clean it first).

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["A"] * 3, "order_date": pd.to_datetime(
    ...     ["2024-01-01", "2024-04-01", "2024-07-01"]), "product_line": "x",
    ...     "quantity": [10, 9, 8], "unit_price": [1.0, 1.1, 1.2], "quote_days": [2, 4, 3],
    ...     "promotion": [True, False, False], "is_return": False})
    >>> m = loyalty_measures(o, as_of="2024-12-31")
    >>> m[["repeat_purchases", "choosing_days", "promotion_lift"]].round(2).to_dict("records")
    [{'repeat_purchases': 2, 'choosing_days': 3.0, 'promotion_lift': 1.0}]
    """
    check_frame(orders, [customer_id, order_date, product_line, quote_days, promotion], "orders")
    require_no_missing(orders, customer_id)
    as_of_ts = pd.Timestamp(orders[order_date].max() if as_of is None else as_of)
    require_dates_not_after(orders, order_date, as_of_ts)
    sales = sales_lines(orders, customer_id, is_return)
    if ids is not None:
        wanted = pd.Index(pd.Series(ids).astype(object))
        missing = wanted.difference(pd.Index(sales[customer_id].unique()))
        if len(missing):
            raise ValueError(
                f"customer(s) {list(missing[:5])} have no orders (purchase "
                "lines): their loyalty cannot be measured from behaviour."
            )
        sales = sales[sales[customer_id].isin(wanted)]
    g = sales.groupby(customer_id, sort=True)
    first = g[order_date].min()
    years = ((as_of_ts - first).dt.days / 365.25).clip(lower=0.25)
    promo = sales[promotion].astype(bool)
    out = pd.DataFrame({"n_orders": g.size().astype("int64")})
    out["repeat_purchases"] = out["n_orders"] - 1
    out["orders_per_year"] = out["n_orders"] / years
    out["choosing_days"] = g[quote_days].mean().astype(float)
    out["promotion_lift"] = promo.groupby(sales[customer_id]).mean() / max(promo.mean(), 1e-9)
    el = price_elasticity(
        sales,
        customer_id=customer_id,
        product_line=product_line,
        is_return=None,
        min_orders=min_orders,
    )
    out["price_elasticity"] = el["elasticity"].reindex(out.index)
    if survey is not None:
        answers = survey_items(survey, [compare_competitors], customer_id)
        out["compare_competitors"] = answers[compare_competitors].reindex(out.index)
    if incidents is not None:
        out["tolerance"] = _tolerance(
            sales,
            incidents,
            out.index,
            as_of_ts,
            customer_id,
            order_date,
            incident_date,
            window_days,
        )
    out.index.name = customer_id
    return out


def _tolerance(
    sales: pd.DataFrame,
    incidents: pd.DataFrame,
    ids: pd.Index,
    as_of: pd.Timestamp,
    customer_id: str,
    order_date: str,
    incident_date: str,
    window_days: int,
) -> pd.Series:
    check_frame(incidents, [customer_id, incident_date], "incidents")
    inc = incidents[incidents[incident_date] <= as_of - pd.Timedelta(days=window_days)]
    inc = inc[inc[customer_id].isin(ids)]
    s = sales[[customer_id, order_date]].sort_values([customer_id, order_date])
    i = inc[[customer_id, incident_date]].rename(columns={incident_date: "_t"}).sort_values("_t")
    s = s.rename(columns={order_date: "_t"}).assign(_next=lambda x: x["_t"]).sort_values("_t")
    nxt = pd.merge_asof(
        i, s, on="_t", by=customer_id, direction="forward", allow_exact_matches=False
    )
    cont = (nxt["_next"] - nxt["_t"]).dt.days <= window_days
    return cont.groupby(nxt[customer_id]).mean().reindex(ids)


def values_by_type(values: pd.Series, types: pd.Series) -> dict[str, pd.Series]:
    """The values of one measure split by loyalty type, types ordered by their median
    (smallest first), missing values left out: the groups of a box plot.

    Parameters
    ----------
    values : Series
        One measure per customer id (e.g. ``choosing_days`` of :func:`loyalty_measures`).
    types : Series
        The loyalty type per customer id (e.g. the simulator's true type).

    Returns
    -------
    dict
        Type -> its customers' non-missing values, in order of increasing median.

    Raises
    ------
    ValueError
        If no customer has both a value and a type.

    Examples
    --------
    >>> v = pd.Series([9.0, 11, 2, 3, None], index=list("abcde"))
    >>> t = pd.Series(["price", "price", "trust", "trust", "trust"], index=list("abcde"))
    >>> {k: s.tolist() for k, s in values_by_type(v, t).items()}  # medians 2.5 and 10
    {'trust': [2.0, 3.0], 'price': [9.0, 11.0]}
    """
    d = pd.DataFrame({"v": values, "t": types.reindex(values.index)}).dropna()
    if d.empty:
        raise ValueError("no customer has both a value and a type.")
    order = d.groupby("t", observed=True)["v"].median().sort_values(kind="stable").index
    return {t: d.loc[d["t"] == t, "v"] for t in order}


def measure_validity(
    measures: pd.DataFrame,
    truth: pd.DataFrame,
    *,
    target: str = "switching_cost",
    customer_id: str = "customer_id",
    method: str = "spearman",
) -> pd.Series:
    """How well each measured loyalty trait tracks a true trait: the correlation of every
    column of ``measures`` with ``truth[target]``, customers matched by id (pairs with a
    missing value left out).

    Parameters
    ----------
    measures : DataFrame
        Measures per customer, indexed by customer id (e.g. :func:`loyalty_measures`).
    truth : DataFrame
        One row per customer with ``customer_id`` and the true ``target``.
    target, customer_id : str
        Column names in ``truth``.
    method : {"spearman", "pearson", "kendall"}
        Correlation (pandas ``corrwith``); Spearman by default, as the measures are skewed.

    Returns
    -------
    Series
        One correlation per measure column.

    Raises
    ------
    KeyError
        If ``target`` or ``customer_id`` is missing from ``truth``.
    ValueError
        If ``method`` is unknown or a customer id repeats in ``truth``.

    Examples
    --------
    >>> m = pd.DataFrame({"days": [1.0, 2, 3, 4], "orders": [4.0, 3, 1, 2]},
    ...                  index=list("abcd"))
    >>> t = pd.DataFrame({"customer_id": list("abcd"), "switching_cost": [0.1, 0.2, 0.3, 0.4]})
    >>> measure_validity(m, t).round(2).to_dict()  # ranks 1234 vs 1234; 4312 vs 1234
    {'days': 1.0, 'orders': -0.8}
    """
    require_columns(truth, [customer_id, target], "truth")
    if method not in ("spearman", "pearson", "kendall"):
        raise ValueError(f"method must be 'spearman', 'pearson' or 'kendall', got {method!r}.")
    dup = truth[customer_id].duplicated()
    if dup.any():
        raise ValueError(
            f"truth has repeated customer ids: {truth.loc[dup, customer_id].tolist()[:5]}."
        )
    true = truth.set_index(customer_id)[target].reindex(measures.index)
    return measures.corrwith(true, method=method)
