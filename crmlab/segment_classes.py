"""Chapter 02, the course's customer classifications (客户细分, [CRM slides], [CRM essay],
[CRM textbook]) as explicit rules.

Each function computes one classification from data with its rule written in the
docstring and its thresholds as arguments: value tiers (VIP客户/主要客户/普通客户/小客户)
and ABC classes with their year-to-year transitions; relationship (现有/潜在/历史/竞争者
客户); credit lists (红名单/灰名单/黑名单); status (新客户/忠诚客户/流失客户); five-level
satisfaction and loyalty; strategic classes (战略/主要/交易/风险客户); relationship
levels (基本型 → 伙伴型). Measurement (RFM, profit) is in :mod:`crmlab.segment`, clusters
in :mod:`crmlab.clustering`, the sales funnel in :mod:`crmlab.funnel`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab._money import to_cents
from crmlab._validate import (
    as_float_array,
    check_frame,
    check_orders,
    check_scale,
    format_rows,
    numeric_answers,
    require_columns,
    require_frame,
    require_no_missing,
    require_numeric,
    require_positive,
    require_share,
)

__all__ = [
    "TIERS",
    "value_tiers",
    "tier_summary",
    "tier_transitions",
    "plot_value_pyramid",
    "relationship_class",
    "credit_list",
    "status_class",
    "five_level",
    "STRATEGIC_CLASSES",
    "strategic_class",
    "resource_allocation",
    "RELATIONSHIP_LEVELS",
    "relationship_level",
]


# --------------------------------------------------------------------------- value tiers

#: The course's value classes ([CRM textbook]), top first, with Chinese names.
TIERS = {"VIP": "VIP客户", "major": "主要客户", "ordinary": "普通客户", "small": "小客户"}


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
    Returns the matplotlib Axes.

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

    from crmlab.plotting import value_pyramid

    check_frame(tiers, [tier, value], "tiers")
    summary = tiers.groupby(tier, observed=False)[value].agg(["size", "sum"])
    share_n = summary["size"] / summary["size"].sum()
    share_v = summary["sum"].clip(lower=0) / summary["sum"].clip(lower=0).sum()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.2))
    names = [f"{TIERS.get(str(name), name)} {name}" for name in summary.index]
    value_pyramid(ax, share_n.to_numpy(), share_v.to_numpy(), names)
    return ax


# --------------------------------------------------------------------------- relationship


def _categorical(codes: np.ndarray, labels: dict[str, str]) -> pd.Categorical:
    return pd.Categorical(np.asarray(list(labels))[codes], categories=list(labels))


#: Classes by relationship ([CRM textbook]), with Chinese names.
RELATIONSHIPS = {
    "current": "现有客户",
    "potential": "潜在客户",
    "historical": "历史客户",
    "competitor": "竞争者客户",
}


def relationship_class(
    customers: pd.DataFrame,
    pipeline: pd.DataFrame,
    churn: pd.DataFrame | None = None,
    *,
    as_of: object,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
    opportunity_id: str = "opportunity_id",
    open_date: str = "open_date",
    relationship: str = "relationship",
) -> pd.DataFrame:
    """Customers and prospects by relationship (按关系分类, [CRM textbook]).

    Rule, at ``as_of``:

    - ``current`` 现有客户: acquired on or before ``as_of`` and not lost by then;
    - ``historical`` 历史客户: acquired, and lost (``churn_date``) on or before ``as_of``;
    - ``potential`` 潜在客户 and ``competitor`` 竞争者客户: pipeline opportunities opened by
      ``as_of`` that have not become customers (no ``customer_id``), split by the
      pipeline's ``relationship`` column (``potential`` / ``competitor``: whether the
      prospect buys from a competitor now). Each unconverted opportunity counts as one
      prospect.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with its acquisition date.
    pipeline : DataFrame
        The sales pipeline: one row per opportunity (``customer_id`` empty if not won).
    churn : DataFrame, optional
        One row per lost customer with its churn date.
    as_of : date-like
        The reference date.
    customer_id, acquisition_date, churn_date, opportunity_id, open_date, relationship : str
        Column names.

    Returns
    -------
    DataFrame
        Columns ``id`` (customer or opportunity id), ``source`` (``customer`` or
        ``pipeline``) and ``relationship`` (categorical in the order above).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``customers`` is empty or ``relationship`` holds another value than
        ``potential`` or ``competitor`` (the rows are named).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["A", "B"], "acquisition_date":
    ...     pd.to_datetime(["2023-01-01", "2023-02-01"])})
    >>> churn = pd.DataFrame({"customer_id": ["B"], "churn_date": pd.to_datetime(["2024-05-01"])})
    >>> pipeline = pd.DataFrame({"opportunity_id": ["P1", "P2"], "customer_id": [None, None],
    ...     "open_date": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...     "relationship": ["potential", "competitor"]})
    >>> relationship_class(customers, pipeline, churn, as_of="2024-12-31")[
    ...     "relationship"].tolist()
    ['current', 'historical', 'potential', 'competitor']
    """
    as_of = pd.Timestamp(as_of)
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, acquisition_date], "customers")
    require_columns(pipeline, [opportunity_id, customer_id, open_date, relationship], "pipeline")
    cust = customers[customers[acquisition_date] <= as_of]
    lost = pd.Series(False, index=cust.index)
    if churn is not None:
        dates = churn.set_index(customer_id)[churn_date]
        lost = cust[customer_id].map(dates).le(as_of).fillna(False).astype(bool)
    prospects = pipeline[pipeline[customer_id].isna() & (pipeline[open_date] <= as_of)]
    kind = prospects[relationship].astype(str)
    unknown = ~kind.isin(["potential", "competitor"])
    if unknown.any():
        raise ValueError(
            f"column {relationship!r} must be 'potential' or 'competitor'; rows "
            f"{format_rows(prospects.index[unknown])} hold {kind[unknown].unique()[:5]}."
        )
    return pd.DataFrame(
        {
            "id": np.concatenate(
                [cust[customer_id].to_numpy(), prospects[opportunity_id].to_numpy()]
            ),
            "source": ["customer"] * len(cust) + ["pipeline"] * len(prospects),
            "relationship": pd.Categorical(
                np.concatenate([np.where(lost, "historical", "current"), kind.to_numpy()]),
                categories=list(RELATIONSHIPS),
            ),
        }
    )


# --------------------------------------------------------------------------- credit


def credit_list(
    orders: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    days_late: str = "days_late",
    defaulted: str = "defaulted",
    is_return: str | None = "is_return",
    black_min_defaults: int = 2,
    grey_late_share: float = 0.5,
    grey_mean_days: float = 15.0,
) -> pd.DataFrame:
    """Credit lists (按信用分类, [CRM textbook]) from payment behaviour on sales lines.

    Rule, per customer over its sales lines (returns ignored):

    - ``black`` 黑名单: at least ``black_min_defaults`` (default 2) lines never paid;
    - ``grey`` 灰名单: otherwise, one unpaid line, or more than ``grey_late_share`` (50%)
      of lines paid late, or more than ``grey_mean_days`` (15) days late on average;
    - ``red`` 红名单: everyone else (pays on time, the customers to trust with credit).

    Parameters
    ----------
    orders : DataFrame
        One row per order line with days late and a default flag.
    customer_id, days_late, defaulted, is_return : str
        Column names (``is_return`` may be None or absent).
    black_min_defaults : int
        Unpaid lines that put a customer on the black list.
    grey_late_share : float
        Share of lines paid late above which a customer is grey.
    grey_mean_days : float
        Mean days late above which a customer is grey.

    Returns
    -------
    DataFrame
        Index customer id; ``lines``, ``late_share``, ``mean_days_late``, ``defaults`` and
        ``credit`` (categorical red, grey, black).

    Raises
    ------
    ValueError
        If ``days_late`` is not numeric, negative or missing on a sales line.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": list("AABBC"), "days_late": [0, 0, 40, 0, 5],
    ...                        "defaulted": [False, False, False, False, True]})
    >>> credit_list(orders)["credit"].astype(str).to_dict()
    {'A': 'red', 'B': 'grey', 'C': 'grey'}
    """
    require_frame(orders, "orders")
    require_columns(orders, [customer_id, days_late, defaulted], "orders")
    require_no_missing(orders, customer_id)
    sales = orders
    if is_return is not None and is_return in orders.columns:
        sales = orders[~orders[is_return].fillna(False).astype(bool)]
    late = pd.to_numeric(sales[days_late], errors="coerce")
    bad = late.isna() | (late < 0)
    if bad.any():
        raise ValueError(
            f"column {days_late!r} must be a number of days >= 0 on sales lines; "
            f"rows {format_rows(sales.index[bad.to_numpy()])} are missing or negative."
        )
    frame = pd.DataFrame(
        {
            customer_id: sales[customer_id],
            "late": (late > 0).astype(float),
            "days": late.astype(float),
            "default": sales[defaulted].fillna(False).astype(int),
        }
    )
    out = frame.groupby(customer_id).agg(
        lines=("late", "size"),
        late_share=("late", "mean"),
        mean_days_late=("days", "mean"),
        defaults=("default", "sum"),
    )
    black = out["defaults"] >= black_min_defaults
    grey = (
        (out["defaults"] >= 1)
        | (out["late_share"] > grey_late_share)
        | (out["mean_days_late"] > grey_mean_days)
    )
    codes = np.where(black, 2, np.where(grey, 1, 0))
    out["credit"] = pd.Categorical.from_codes(codes, ["red", "grey", "black"])
    return out


# --------------------------------------------------------------------------- status

#: Classes by status ([textbook Q4]), plus the remainder the course does not name.
STATUSES = {
    "new": "新客户",
    "loyal": "忠诚客户",
    "churned": "流失客户",
    "other_active": "其他现有客户",
}


def status_class(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    churn: pd.DataFrame | None = None,
    *,
    as_of: object,
    new_days: int = 365,
    loyal_years: int = 2,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str | None = "is_return",
) -> pd.DataFrame:
    """Customers by status (按状态分类, [textbook Q4]) at ``as_of``.

    Rule, first that holds (customers acquired after ``as_of`` are left out):

    - ``churned`` 流失客户: lost on or before ``as_of``;
    - ``new`` 新客户: acquired within ``new_days`` (365) days before ``as_of``;
    - ``loyal`` 忠诚客户: bought (a sales line) in each of the last ``loyal_years`` (2)
      periods of 365 days before ``as_of`` (behavioural loyalty: repeat purchase);
    - ``other_active`` 其他现有客户: active but not new and not loyal. The course's three
      classes do not cover everyone; this remainder says so.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with its acquisition date.
    orders : DataFrame
        One row per order line.
    churn : DataFrame, optional
        One row per lost customer with its churn date.
    as_of : date-like
        The reference date.
    new_days : int
        A customer acquired this many days before ``as_of`` or later is new.
    loyal_years : int
        Consecutive yearly periods with a purchase that make a customer loyal.
    customer_id, acquisition_date, churn_date, order_date, amount, is_return : str
        Column names. ``amount`` and ``is_return`` tell returns (negative lines marked in
        ``is_return``) from sales; only sales count as purchases.

    Returns
    -------
    DataFrame
        Index customer id; ``tenure_days``, ``active_periods`` and ``status``.

    Raises
    ------
    KeyError
        A missing column, named (e.g. ``amount`` when the orders have none: pass
        ``amount=`` with your column's name).
    ValueError
        If ``customers`` is empty, or as :func:`crmlab._validate.check_orders` (orders after
        ``as_of`` included).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": list("ABCD"), "acquisition_date":
    ...     pd.to_datetime(["2020-01-01", "2020-01-01", "2024-06-01", "2020-01-01"])})
    >>> orders = pd.DataFrame({"customer_id": list("AABC"), "order_date": pd.to_datetime(
    ...     ["2023-06-01", "2024-06-01", "2024-06-01", "2024-07-01"]), "amount": 1.0})
    >>> churn = pd.DataFrame({"customer_id": ["D"], "churn_date": pd.to_datetime(["2023-01-05"])})
    >>> status_class(customers, orders, churn, as_of="2024-12-31")["status"].astype(
    ...     str).to_dict()
    {'A': 'loyal', 'B': 'other_active', 'C': 'new', 'D': 'churned'}
    """
    as_of = pd.Timestamp(as_of)
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, acquisition_date], "customers")
    flags, _ = (
        check_orders(
            orders,
            customer_id=customer_id,
            order_date=order_date,
            amount=amount,
            is_return=is_return,
            as_of=as_of,
        )
        if len(orders)
        else (None, None)
    )
    cust = customers[customers[acquisition_date] <= as_of].set_index(customer_id)
    out = pd.DataFrame(index=cust.index)
    out["tenure_days"] = (as_of - cust[acquisition_date]).dt.days
    sales = orders if flags is None else orders[~flags]
    age = (as_of - sales[order_date]).dt.days // 365
    recent = sales[age < loyal_years]
    periods = recent.groupby(customer_id)[order_date].agg(
        lambda d: ((as_of - d).dt.days // 365).nunique()
    )
    out["active_periods"] = periods.reindex(out.index, fill_value=0).astype(int)
    lost = pd.Series(False, index=out.index)
    if churn is not None:
        lost = churn.set_index(customer_id)[churn_date].reindex(out.index).le(as_of)
    codes = np.select(
        [
            lost.to_numpy(),
            (out["tenure_days"] <= new_days).to_numpy(),
            (out["active_periods"] >= loyal_years).to_numpy(),
        ],
        [2, 0, 1],
        3,
    )
    out["status"] = _categorical(codes, STATUSES)
    return out


# --------------------------------------------------------------------------- five levels

FIVE_LEVELS = {
    "satisfaction": ["很不满意", "不满意", "基本满意", "很满意", "非常满意"],
    "loyalty": ["很不忠诚", "不忠诚", "基本忠诚", "很忠诚", "非常忠诚"],
}


def five_level(
    scores: object, kind: str = "satisfaction", *, scale: tuple[float, float] = (1, 5)
) -> pd.Series:
    """The course's five-level classes ([CRM textbook]) from a score on a five-point scale.

    **Rule** (one for satisfaction and loyalty; :func:`crmlab.survey.satisfaction_class`
    is this rule): a score goes to the nearest point of the scale, halves up (cut points
    1.5, 2.5, 3.5, 4.5 on 1-5, so a mean of two items, 3.5, is level 4); 1 is 很不满意
    (very dissatisfied) or 很不忠诚 (very disloyal), 5 is 非常满意 or 非常忠诚. Missing
    stays missing. A code off the scale (0, 6 or 9, the raw survey's data-entry errors)
    is an error, not silently a missing level: set such codes to missing first
    (``survey.clean_survey`` does).

    Parameters
    ----------
    scores : Series or array-like
    kind : {"satisfaction", "loyalty"}
    scale : (low, high), default (1, 5)
        A five-point scale (high − low = 4).

    Returns
    -------
    Series
        Ordered categorical, lowest level first; same index as ``scores``.

    Raises
    ------
    ValueError
        An unknown ``kind``, a scale that is not five points, a non-numeric score or a
        score off the scale (the message names the rows and codes).

    Parameters
    ----------
    scores : Series
        Scores on 1-5 (an answer or a mean of answers).
    kind : {"satisfaction", "loyalty"}
        Which five labels (:data:`FIVE_LEVELS`).

    Returns
    -------
    Series
        Ordered categorical labels, same index; NaN where the score is missing or off the
        scale.

    Raises
    ------
    ValueError
        If ``kind`` is unknown.

    Examples
    --------
    >>> five_level(pd.Series([5, 3.5, 1, None])).tolist()
    ['非常满意', '很满意', '很不满意', nan]
    >>> five_level(pd.Series([4, 9]))
    Traceback (most recent call last):
    ...
    ValueError: item 'score' has answers outside the scale 1..5 in rows [1]: [9.0]. Set \
out-of-range codes to missing first (clean_survey).
    """
    if kind not in FIVE_LEVELS:
        raise ValueError(f"kind must be one of {list(FIVE_LEVELS)}, got {kind!r}.")
    low, high = check_scale(scale)
    if high - low != 4:
        raise ValueError(f"scale must have five points (high - low = 4), got {scale!r}.")
    s = scores if isinstance(scores, pd.Series) else pd.Series(scores)
    values = numeric_answers(s.rename("score").to_frame(), ["score"], scale, need_answers=False)
    code = np.floor(values[:, 0] - low + 0.5)  # 0..4, NaN for missing
    return pd.Series(
        pd.Categorical.from_codes(
            np.where(np.isnan(code), -1, code).astype(int), FIVE_LEVELS[kind], ordered=True
        ),
        index=s.index,
        name=kind,
    )


# --------------------------------------------------------------------------- strategic

#: The strategic classes of [CRM essay] with the course's relationship strategy, and the
#: resource allocation rule used in the notebook.
STRATEGIC_CLASSES = pd.DataFrame(
    [
        (
            "strategic",
            "战略客户",
            "long, close alliance (长期紧密联盟)",
            "most resources: account team, visits, joint planning",
        ),
        (
            "major",
            "主要客户",
            "long, stable learning relationship (长期稳定的学习型关系)",
            "regular visits and calls, tailored offers",
        ),
        (
            "transactional",
            "交易客户",
            "keep the transactional relationship (维持交易关系)",
            "low-cost channels: calls, online, standard terms",
        ),
        (
            "risk",
            "风险客户",
            "refuse or end service (拒绝或终止服务)",
            "no relationship spend; cash or secured terms",
        ),
    ],
    columns=["class", "zh", "relationship_strategy", "resource_allocation"],
)


def strategic_class(
    data: pd.DataFrame,
    *,
    tier: str = "tier",
    potential: str = "potential",
    risk: str = "risk",
    strategic_tiers: Sequence[str] = ("VIP", "major"),
    major_tiers: Sequence[str] = ("VIP", "major", "ordinary"),
) -> pd.Series:
    """Strategic classes ([CRM essay]) from value x potential/risk.

    Rule, first that holds:

    - ``risk`` 风险客户: ``risk`` is true (e.g. black-listed credit, or losing money);
    - ``strategic`` 战略客户: tier in ``strategic_tiers`` (VIP, major: the top 5%) and
      ``potential`` true (e.g. growing);
    - ``major`` 主要客户: tier in ``major_tiers`` (top 20%);
    - ``transactional`` 交易客户: the rest.

    Parameters
    ----------
    data : DataFrame
        One row per customer with its value tier, a potential flag and a risk flag.
    tier, potential, risk : str
        Column names.
    strategic_tiers : sequence of str
        Tiers that make a customer with potential strategic.
    major_tiers : sequence of str
        Tiers of the major customers.

    Returns
    -------
    Series
        Categorical ``strategic_class`` (strategic, major, transactional, risk), same index.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``data`` is empty.

    Examples
    --------
    >>> t = pd.DataFrame({"tier": ["VIP", "VIP", "ordinary", "small", "small"],
    ...     "potential": [True, False, True, True, False],
    ...     "risk": [False, False, False, False, True]})
    >>> strategic_class(t).tolist()
    ['strategic', 'major', 'major', 'transactional', 'risk']
    """
    require_frame(data, "table")
    require_columns(data, [tier, potential, risk], "table")
    t = data[tier].astype(str)
    codes = np.select(
        [
            data[risk].astype(bool).to_numpy(),
            (t.isin(list(strategic_tiers)) & data[potential].astype(bool)).to_numpy(),
            t.isin(list(major_tiers)).to_numpy(),
        ],
        [3, 0, 1],
        2,
    )
    names = STRATEGIC_CLASSES["class"].tolist()
    return pd.Series(
        pd.Categorical.from_codes(codes, names), index=data.index, name="strategic_class"
    )


# --------------------------------------------------------------------------- levels

#: Relationship levels ([CRM slides], after Kotler): name, 中文, contacts a year (upper bound).
RELATIONSHIP_LEVELS = [
    ("basic", "基本型", 0),
    ("reactive", "被动型", 2),
    ("accountable", "负责型", 6),
    ("proactive", "能动型", 12),
    ("partnership", "伙伴型", np.inf),
]


def resource_allocation(
    data: pd.DataFrame, *, group: str = "class", profit: str = "profit", cost: str = "contact_cost"
) -> pd.DataFrame:
    """Does the spend follow the value? Each class's share of customers' profit beside its
    share of a cost (e.g. account-manager contacts), and the cost per customer.

    Parameters
    ----------
    data : DataFrame
        One row per customer with its class, profit and cost.
    group, profit, cost : str
        Column names.

    Returns
    -------
    DataFrame
        One row per class (every category): ``n_customers``, ``profit_share`` (of the
        total profit), ``{cost}_share`` (of the total cost), ``{cost}_per_customer``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``data`` is empty, ``profit`` or ``cost`` is not numeric or has missing values,
        or a total is 0.

    Examples
    --------
    >>> d = pd.DataFrame({"class": ["x", "x", "y"], "profit": [30.0, 30.0, 40.0],
    ...                   "contact_cost": [10.0, 0.0, 30.0]})
    >>> resource_allocation(d).loc["x"].tolist()  # 60 of 100 profit, 10 of 40 cost, 10 / 2
    [2.0, 0.6, 0.25, 5.0]
    """
    require_frame(data, "data")
    require_columns(data, [group, profit, cost], "data")
    for col in (profit, cost):
        require_numeric(data, col)
        if float(data[col].sum()) == 0:
            raise ValueError(f"the total of {col!r} is 0: shares are undefined.")
    g = data.groupby(group, observed=False)
    n = g.size()
    return pd.DataFrame(
        {
            "n_customers": n,
            "profit_share": g[profit].sum() / data[profit].sum(),
            f"{cost}_share": g[cost].sum() / data[cost].sum(),
            f"{cost}_per_customer": g[cost].sum() / n,
        }
    )


def relationship_level(
    contacts: pd.DataFrame,
    ids: Sequence,
    *,
    as_of: object,
    window_days: int = 365,
    customer_id: str = "customer_id",
    contact_date: str = "contact_date",
) -> pd.DataFrame:
    """Relationship levels (客户关系类型, [CRM slides]) by contact intensity.

    Contacts (visits, calls, events) in the ``window_days`` before ``as_of`` are scaled
    to a year; then: 0 ``basic`` 基本型 (sell and leave); up to 2 ``reactive`` 被动型;
    up to 6 ``accountable`` 负责型 (follow-up); up to 12 ``proactive`` 能动型 (regular
    contact); more ``partnership`` 伙伴型 (continuous work together). The data show only
    the firm's contacts, so "reactive" (the customer calls) is approximated by a
    few contacts.

    Parameters
    ----------
    contacts : DataFrame
        One row per account-manager contact.
    ids : sequence
        Customer ids to report on (the output's index); customers without contacts are
        ``basic``.
    as_of : date-like
        The reference date.
    window_days : int
        Days before ``as_of`` counted.
    customer_id, contact_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index customer id; ``contacts_per_year`` and ``level`` (ordered categorical).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``contacts`` is empty or ``window_days`` is not positive.

    Examples
    --------
    >>> contacts = pd.DataFrame({"customer_id": ["A"] * 3 + ["B"] * 20, "contact_date":
    ...     pd.Timestamp("2024-06-01")})
    >>> relationship_level(contacts, ["A", "B", "C"], as_of="2024-12-31")["level"].tolist()
    ['accountable', 'partnership', 'basic']
    """
    as_of = pd.Timestamp(as_of)
    require_positive(window_days, "window_days")
    check_frame(contacts, [customer_id, contact_date], "contacts")
    window = contacts[
        (contacts[contact_date] <= as_of)
        & (contacts[contact_date] > as_of - pd.Timedelta(days=window_days))
    ]
    per_year = (
        window.groupby(customer_id).size().reindex(pd.Index(ids), fill_value=0) * 365 / window_days
    )
    bounds = np.array([b for _, _, b in RELATIONSHIP_LEVELS])
    codes = np.searchsorted(bounds, per_year.to_numpy(), side="left")
    names = [n for n, _, _ in RELATIONSHIP_LEVELS]
    return pd.DataFrame(
        {
            "contacts_per_year": per_year.to_numpy(),
            "level": pd.Categorical.from_codes(codes, names, ordered=True),
        },
        index=per_year.index.rename(customer_id),
    )


# --------------------------------------------------------------------------- funnel
