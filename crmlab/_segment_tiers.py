"""Value tiers of the customer pyramid and ABC classes, their summary, year-to-year
transitions and the pyramid plot (part of :mod:`crmlab.segment_classes`, which re-exports
every public name)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab._labels import TIERS
from crmlab._money import to_cents
from crmlab._validate import (
    as_float_array,
    check_frame,
    check_orders,
    require_columns,
    require_frame,
    require_share,
)

# --------------------------------------------------------------------------- value tiers


def _cutoffs(cutoffs: Sequence[float], n: int, name: str) -> list[float]:
    values = [require_share(c, name, closed_low=False) for c in cutoffs]
    if len(values) != n or any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError(f"{name} must be {n} increasing shares in (0, 1], got {cutoffs!r}.")
    return values


def value_tiers(
    values: pd.Series,
    *,
    tier_cutoffs: Sequence[float] = (0.01, 0.05, 0.20),
    abc_cutoffs: Sequence[float] = (0.80, 0.95),
) -> pd.DataFrame:
    """Value tiers of the customer pyramid (客户价值金字塔) and ABC classes.

    Customers are ranked by value, largest first; equal values keep the order of the
    index (ties never make a tier larger than its cut-off).

    - **Tiers** by share of customers: with ``n`` customers and cut-offs ``(c1, c2, c3)``
      the first ``ceil(c1 n)`` are ``VIP`` (VIP客户), up to ``ceil(c2 n)`` ``major``
      (主要客户), up to ``ceil(c3 n)`` ``ordinary`` (普通客户), the rest ``small``
      (小客户). The default 1% / 4% / 15% / 80% is the pyramid of Chinese CRM textbooks.
    - **ABC** by cumulative share of value: a customer is ``A`` if the customers ranked
      above it hold less than ``a`` (default 80%) of the total, so the customer that
      crosses 80% is still A; ``B`` likewise up to ``b`` (95%); the rest ``C``.
      Negative values count as 0 in the shares (they are always C or at the bottom).

    Parameters
    ----------
    values : Series
        One value per customer (revenue, profit, ...), indexed by customer id.
    tier_cutoffs : three increasing shares of customers
    abc_cutoffs : two increasing shares of value

    Returns
    -------
    DataFrame
        Index as ``values``, largest first; columns ``value``, ``rank`` (1 = largest),
        ``value_share`` (cumulative, 0..1), ``tier`` and ``abc`` (ordered categoricals,
        top class first).

    Raises
    ------
    ValueError
        If ``values`` is empty, non-numeric or has NaN, or a cut-off is invalid.

    Examples
    --------
    >>> tiers = value_tiers(pd.Series([50, 30, 10, 5, 5], index=list("abcde")),
    ...                     tier_cutoffs=(0.2, 0.4, 0.6))
    >>> tiers[["tier", "abc"]].astype(str).agg("/".join, axis=1).to_dict()
    {'a': 'VIP/A', 'b': 'major/A', 'c': 'ordinary/B', 'd': 'small/B', 'e': 'small/C'}
    """
    if not isinstance(values, pd.Series):
        values = pd.Series(values)
    arr = as_float_array(values, "values")
    t1, t2, t3 = _cutoffs(tier_cutoffs, 3, "tier_cutoffs")
    a, b = _cutoffs(abc_cutoffs, 2, "abc_cutoffs")
    order = np.argsort(-arr, kind="stable")
    sorted_vals = arr[order]
    n = arr.size
    rank = np.arange(1, n + 1)
    # shares of money in whole cents (crmlab._money): an exact running sum, the same on
    # every engine (crmlab.engine), whatever the order of the additions
    pos = np.clip(to_cents(sorted_vals, "values"), 0, None)
    total = pos.sum()
    cum = np.cumsum(pos) / total if total > 0 else np.zeros(n)
    before = np.concatenate([[0.0], cum[:-1]])
    bounds = [int(np.ceil(round(c * n, 9))) for c in (t1, t2, t3)]
    tier_codes = np.searchsorted(np.array(bounds), rank, side="left")
    abc_codes = np.where(before < a, 0, np.where(before < b, 1, 2))
    if total == 0:
        abc_codes[:] = 2
    out = pd.DataFrame(
        {"value": sorted_vals, "rank": rank, "value_share": cum}, index=values.index[order]
    )
    out["tier"] = pd.Categorical.from_codes(tier_codes, list(TIERS), ordered=True)
    out["abc"] = pd.Categorical.from_codes(abc_codes, ["A", "B", "C"], ordered=True)
    return out


def tier_summary(tiers: pd.DataFrame, *, group: str = "tier", value: str = "value") -> pd.DataFrame:
    """Customers and value per tier (or ABC class) of :func:`value_tiers`.

    Parameters
    ----------
    tiers : DataFrame
        The output of :func:`value_tiers` (or any table with ``group`` and ``value``).
    group : str
        The class column: ``"tier"`` or ``"abc"``.
    value : str
        The value column.

    Returns
    -------
    DataFrame
        One row per class (every category, empty ones with 0): ``n_customers``,
        ``customer_share`` (of all customers) and ``value_share`` (of the total value).

    Raises
    ------
    KeyError
        If ``group`` or ``value`` is missing.
    ValueError
        If ``tiers`` is empty or the total value is 0.

    Examples
    --------
    >>> t = value_tiers(pd.Series([50, 30, 10, 5, 5], index=list("abcde")),
    ...                 tier_cutoffs=(0.2, 0.4, 0.6))
    >>> tier_summary(t, group="abc").to_dict("index")["A"]  # a and b: 2 of 5, 80 of 100
    {'n_customers': 2, 'customer_share': 0.4, 'value_share': 0.8}
    """
    require_frame(tiers, "tiers")
    require_columns(tiers, [group, value], "tiers")
    total = float(tiers[value].sum())
    if total == 0:
        raise ValueError(f"the total of {value!r} is 0: value shares are undefined.")
    g = tiers.groupby(group, observed=False)
    n = g.size()
    return pd.DataFrame(
        {"n_customers": n, "customer_share": n / len(tiers), "value_share": g[value].sum() / total}
    )


def tier_transitions(
    orders: pd.DataFrame,
    year_from: int,
    year_to: int,
    *,
    tier_cutoffs: Sequence[float] = (0.01, 0.05, 0.20),
    normalize: bool = False,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str | None = "is_return",
) -> pd.DataFrame:
    """Movements between value tiers from one year to the next (transition matrix).

    Each year, customers with positive net revenue that year are tiered by
    :func:`value_tiers`; customers who bought in one of the two years but not the other
    are ``none`` (无购买) in that year. Rows are ``year_from`` tiers, columns
    ``year_to`` tiers.

    Parameters
    ----------
    orders : DataFrame
    year_from, year_to : int
        Calendar years.
    tier_cutoffs : as in :func:`value_tiers`
    normalize : bool, default False
        If True, each row is divided by its total (the chance of moving to each tier).

    Returns
    -------
    DataFrame
        Counts (or row shares); index and columns ``VIP, major, ordinary, small, none``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        As :func:`crmlab._validate.check_orders`, or a year without orders of positive
        revenue.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": list("ABCAB"), "order_date": pd.to_datetime(
    ...     ["2023-03-01", "2023-04-01", "2023-05-01", "2024-03-01", "2024-06-01"]),
    ...     "amount": [90.0, 10.0, 5.0, 1.0, 50.0]})
    >>> m = tier_transitions(orders, 2023, 2024, tier_cutoffs=(0.33, 0.66, 0.99))
    >>> {(r, c): int(m.loc[r, c]) for r in m.index for c in m.columns if m.loc[r, c]}
    {('VIP', 'major'): 1, ('major', 'VIP'): 1, ('ordinary', 'none'): 1}
    """
    check_orders(
        orders, customer_id=customer_id, order_date=order_date, amount=amount, is_return=is_return
    )
    labels = [*TIERS, "none"]
    year = orders[order_date].dt.year
    tiers = {}
    for y in (year_from, year_to):
        revenue = orders.loc[year == y].groupby(customer_id)[amount].sum()
        revenue = revenue[revenue > 0]
        if revenue.empty:
            raise ValueError(f"column {order_date!r} has no orders with positive revenue in {y}.")
        tiers[y] = value_tiers(revenue, tier_cutoffs=tier_cutoffs)["tier"].astype(str)
    both = pd.DataFrame(tiers).fillna("none")
    counts = pd.crosstab(both[year_from], both[year_to]).reindex(
        index=labels, columns=labels, fill_value=0
    )
    counts.index.name, counts.columns.name = str(year_from), str(year_to)
    if normalize:
        counts = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    return counts


def plot_value_pyramid(tiers: pd.DataFrame, ax=None, *, tier: str = "tier", value: str = "value"):
    """Draw the customer value pyramid (客户价值金字塔) of :func:`value_tiers`.

    One centred bar per tier, VIP on top, its width the tier's share of customers on a
    square-root scale (so the 1% VIP band stays visible); each bar is labelled with the
    share of customers and the share of value, inside when the label fits and beside the
    bar when not, in sequential blues, VIP darkest (:func:`crmlab.plotting.value_pyramid`).
    The labels carry the tiers' Chinese names, so the shipped Chinese font is switched on
    (:func:`crmlab.plotting.use_chinese_font`). Returns the matplotlib Axes.

    Parameters
    ----------
    tiers : DataFrame
        As from :func:`value_tiers`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if None.
    tier, value : str
        Column names.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``tiers`` is empty.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> tiers = value_tiers(pd.Series([100.0, 50, 20, 10, 5]), tier_cutoffs=(0.2, 0.4, 0.6))
    >>> ax = plot_value_pyramid(tiers)
    >>> len(ax.patches)  # one bar per tier
    4
    """
    import matplotlib.pyplot as plt

    from crmlab.plotting import use_chinese_font, value_pyramid

    check_frame(tiers, [tier, value], "tiers")
    use_chinese_font()  # the tier names are Chinese (VIP客户, 主要客户, ...)
    summary = tiers.groupby(tier, observed=False)[value].agg(["size", "sum"])
    share_n = summary["size"] / summary["size"].sum()
    share_v = summary["sum"].clip(lower=0) / summary["sum"].clip(lower=0).sum()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.2))
    names = [f"{TIERS.get(str(name), name)} {name}" for name in summary.index]
    value_pyramid(ax, share_n.to_numpy(), share_v.to_numpy(), names)
    return ax
