"""Chapter 00, why CRM (为什么要做客户关系管理): the economics of keeping customers.

Small, exact models behind the course's rules of thumb, each a function a student can
check by hand: revenue per customer, the leaky bucket (漏斗原理), the value of a point
of retention (Reichheld & Sasser 1990), word of mouth (口碑效应), and what an annual
retention rate means over five years.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab._money import CENTS, to_cents
from crmlab._validate import (
    require_columns,
    require_frame,
    require_int,
    require_no_missing,
    require_numeric,
    require_positive,
    require_share,
)

__all__ = [
    "customer_revenue",
    "revenue_by_year",
    "cost_of_goods",
    "customer_gross_profit",
    "leaky_bucket",
    "leaky_bucket_scenarios",
    "retained_value",
    "retention_uplift",
    "word_of_mouth",
    "retained_after",
    "revenue_by_tenure",
]


def _dates(orders: pd.DataFrame, date: str) -> pd.Series:
    require_columns(orders, [date], "orders")
    d = pd.to_datetime(orders[date], errors="coerce")
    bad = d.isna() & orders[date].notna()
    if bad.any() or d.isna().any():
        rows = list(orders.index[d.isna()][:5])
        raise ValueError(f"column {date!r} has missing or unreadable dates (rows {rows}).")
    return d


def customer_revenue(
    orders: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    amount: str = "amount",
    start: object = None,
    end: object = None,
    order_date: str = "order_date",
) -> pd.Series:
    """Net revenue per customer (returns, as negative lines, are subtracted), over all
    lines or over the days from ``start`` to ``end``.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    customer_id, amount : str
        Column names of the customer id and the line amount.
    start, end : date-like, optional
        First and last day counted, both included (``end="2023-12-31"`` counts the whole
        of 31 December); ``None`` leaves that side open.
    order_date : str
        Column of the line's date, needed only with ``start`` or ``end``.

    Returns
    -------
    Series
        Revenue per customer id (customers with a line in the period), sorted from
        largest to smallest, named ``revenue``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``orders`` is empty, ``amount`` is not numeric or has missing values, a
        customer id is missing, a date is missing or unreadable, ``start``/``end`` is not
        a date, or ``start`` is after ``end``.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [100.0, 80.0, -30.0],
    ...                   "order_date": pd.to_datetime(["2023-05-01T00:00", "2024-02-01T00:00",
    ...                                                 "2023-12-31T15:00"])})
    >>> customer_revenue(o).to_dict()  # b: 80; a: 100 - 30
    {'b': 80.0, 'a': 70.0}
    >>> customer_revenue(o, end="2023-12-31").to_dict()  # the return of 31 December counts
    {'a': 70.0}
    """
    require_frame(orders, "orders")
    require_columns(orders, [customer_id, amount], "orders")
    require_numeric(orders, amount)
    require_no_missing(orders, customer_id)
    if start is not None or end is not None:
        lo = pd.Timestamp(start) if start is not None else None
        hi = pd.Timestamp(end) if end is not None else None
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"start {start!r} is after end {end!r}.")
        d = _dates(orders, order_date)
        keep = pd.Series(True, index=orders.index)
        if lo is not None:
            keep &= d >= lo.normalize()
        if hi is not None:
            keep &= d < hi.normalize() + pd.Timedelta(days=1)
        orders = orders[keep]
    # money in whole cents (crmlab._money): exact sums, the same on every engine
    cents = pd.Series(to_cents(orders[amount].to_numpy(float), amount), index=orders.index)
    revenue = cents.groupby(orders[customer_id], observed=True).sum() / CENTS
    return revenue.sort_values(ascending=False, kind="stable").rename("revenue")


def revenue_by_year(
    orders: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    amount: str = "amount",
    order_date: str = "order_date",
) -> pd.DataFrame:
    """Net revenue per customer and calendar year (0 in a year without lines).

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    customer_id, amount, order_date : str
        Column names of the customer id, the line amount and the line date.

    Returns
    -------
    DataFrame
        Index customer id, one column per year (int), net revenue.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        As :func:`customer_revenue`; or a date is missing or unreadable.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [100.0, 80.0, -30.0],
    ...                   "order_date": pd.to_datetime(["2023-05-01", "2024-02-01",
    ...                                                 "2024-03-01"])})
    >>> revenue_by_year(o).to_dict("index")  # a: 100 in 2023, -30 in 2024; b: 80 in 2024
    {'a': {2023: 100.0, 2024: -30.0}, 'b': {2023: 0.0, 2024: 80.0}}
    """
    require_frame(orders, "orders")
    require_columns(orders, [customer_id, amount], "orders")
    require_numeric(orders, amount)
    require_no_missing(orders, customer_id)
    year = _dates(orders, order_date).dt.year.rename("year")
    table = orders.groupby([orders[customer_id], year])[amount].sum().unstack(fill_value=0.0)
    table.columns = [int(c) for c in table.columns]
    return table.rename_axis(index=customer_id, columns="year")


def cost_of_goods(
    orders: pd.DataFrame,
    products: pd.DataFrame,
    *,
    product_line: str = "product_line",
    quantity: str = "quantity",
    unit_cost: str = "unit_cost",
) -> pd.Series:
    """Cost of goods (销售成本) of each order line: quantity x the product line's unit cost.

    Returned goods (negative quantities) give their cost back.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    products : DataFrame
        One row per product line with its unit cost.
    product_line, quantity, unit_cost : str
        Column names (``unit_cost`` in ``products``).

    Returns
    -------
    Series
        One value per order line (index of ``orders``), named ``cost_of_goods``.

    Raises
    ------
    KeyError
        If a column is missing, or an order's product line has no unit cost.
    ValueError
        If a table is empty or ``quantity`` is not numeric.

    Examples
    --------
    >>> o = pd.DataFrame({"product_line": ["x", "y", "x"], "quantity": [10, 2, -1]})
    >>> p = pd.DataFrame({"product_line": ["x", "y"], "unit_cost": [6.0, 30.0]})
    >>> cost_of_goods(o, p).tolist()  # 10 x 6, 2 x 30, -1 x 6
    [60.0, 60.0, -6.0]
    """
    require_frame(orders, "orders")
    require_frame(products, "products")
    require_columns(orders, [product_line, quantity], "orders")
    require_columns(products, [product_line, unit_cost], "products")
    require_numeric(orders, quantity)
    costs = products.set_index(product_line)[unit_cost]
    unknown = sorted(set(orders[product_line].astype(str)) - set(costs.index.astype(str)))
    if unknown:
        raise KeyError(f"product lines {unknown} of orders have no {unit_cost!r} in products.")
    cogs = orders[quantity].to_numpy(float) * orders[product_line].astype(str).map(
        costs.rename(index=str)
    ).to_numpy(float)
    return pd.Series(cogs, index=orders.index, name="cost_of_goods")


def customer_gross_profit(
    orders: pd.DataFrame,
    products: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    product_line: str = "product_line",
    quantity: str = "quantity",
    amount: str = "amount",
    unit_cost: str = "unit_cost",
) -> pd.Series:
    """Gross profit per customer: revenue minus cost of goods (:func:`cost_of_goods`).

    Returned goods (negative quantities) give their cost back. Cost to serve (incidents,
    contacts, returns handling) is not subtracted here: chapter 05 does that.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    products : DataFrame
        One row per product line with its unit cost.
    customer_id, product_line, quantity, amount, unit_cost : str
        Column names.

    Returns
    -------
    Series
        Gross profit per customer id, largest first, named ``gross_profit``.

    Raises
    ------
    KeyError
        If a column is missing, or an order's product line has no unit cost.
    ValueError
        If a table is empty or ``quantity`` or ``amount`` is not numeric.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "product_line": "x",
    ...                   "quantity": [10, -2, 5], "amount": [100.0, -20.0, 40.0]})
    >>> p = pd.DataFrame({"product_line": ["x"], "unit_cost": [6.0]})
    >>> customer_gross_profit(o, p).to_dict()  # a: 80 - 8 x 6; b: 40 - 5 x 6
    {'a': 32.0, 'b': 10.0}
    """
    require_frame(orders, "orders")
    require_columns(orders, [customer_id, amount], "orders")
    require_numeric(orders, amount)
    cogs = cost_of_goods(
        orders, products, product_line=product_line, quantity=quantity, unit_cost=unit_cost
    )
    # money in whole cents (crmlab._money): each line's amount and cost of goods rounded to
    # the cent, then exact sums, the same on every engine
    profit = to_cents(orders[amount].to_numpy(float), amount) - to_cents(
        cogs.to_numpy(), "cost of goods"
    )
    result = pd.Series(profit, index=orders.index).groupby(orders[customer_id]).sum() / CENTS
    return result.sort_values(ascending=False, kind="stable").rename("gross_profit")


def leaky_bucket(
    *,
    weeks: int = 52,
    n_customers: int = 5_000,
    lost_per_week: int = 100,
    margin_per_week: float = 20.0,
    retention_cost: float = 50.0,
    acquisition_ratio: float = 5.0,
) -> pd.DataFrame:
    """The leaky bucket (漏斗原理): losing ``lost_per_week`` customers and winning as many
    new ones keeps the base flat, but costs far more than keeping them.

    Two firms start with ``n_customers`` customers, each earning ``margin_per_week``:

    - *leaky*: loses ``lost_per_week`` customers a week and replaces them, paying
      ``acquisition_ratio * retention_cost`` per new customer;
    - *retain*: keeps those customers by spending ``retention_cost`` on each one at risk.

    Both stay at ``n_customers`` customers, so revenue is equal; profit differs by
    ``lost_per_week * retention_cost * (acquisition_ratio - 1)`` every week.

    Parameters
    ----------
    weeks : int
        Weeks simulated, at least 1.
    n_customers : int
        Customers of each firm.
    lost_per_week : int
        Customers at risk each week (at most ``n_customers``).
    margin_per_week : float
        Margin of one customer a week.
    retention_cost : float
        Cost of keeping one customer at risk.
    acquisition_ratio : float
        Cost of winning a new customer as a multiple of ``retention_cost`` (the course's
        "five times").

    Returns
    -------
    DataFrame
        One row per week: ``week`` (1..weeks), ``n_customers``, ``profit_leaky``,
        ``profit_retain``, and their cumulative sums ``cum_profit_leaky`` and
        ``cum_profit_retain``.

    Raises
    ------
    ValueError
        If a count is not a non-negative int, ``weeks`` is 0, ``lost_per_week`` exceeds
        ``n_customers``, or a money amount is negative.

    Examples
    --------
    One week, 1,000 customers at 20 a week, 10 lost, keeping costs 50, winning 5 x 50:
    20,000 - 10 x 250 = 17,500 against 20,000 - 10 x 50 = 19,500.

    >>> leaky_bucket(weeks=1, n_customers=1000, lost_per_week=10).iloc[0, 2:4].tolist()
    [17500.0, 19500.0]
    """
    weeks = require_int(weeks, "weeks", low=0)
    n_customers = require_int(n_customers, "n_customers", low=0)
    lost = require_int(lost_per_week, "lost_per_week", low=0)
    if weeks == 0:
        raise ValueError("weeks must be at least 1, got 0.")
    if lost > n_customers:
        raise ValueError(f"lost_per_week ({lost}) cannot exceed n_customers ({n_customers}).")
    margin = require_positive(margin_per_week, "margin_per_week", allow_zero=True)
    keep = require_positive(retention_cost, "retention_cost", allow_zero=True)
    ratio = require_positive(acquisition_ratio, "acquisition_ratio")
    revenue = n_customers * margin
    frame = pd.DataFrame({"week": np.arange(1, weeks + 1), "n_customers": n_customers})
    frame["profit_leaky"] = revenue - lost * ratio * keep
    frame["profit_retain"] = revenue - lost * keep
    frame["cum_profit_leaky"] = frame["profit_leaky"].cumsum()
    frame["cum_profit_retain"] = frame["profit_retain"].cumsum()
    return frame


def leaky_bucket_scenarios(
    ratios: Sequence[float] = (5, 10), **kwargs: object
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`leaky_bucket` for several acquisition-cost ratios, with the cost of the leak.

    Parameters
    ----------
    ratios : sequence of float
        Acquisition cost as multiples of the retention cost (the course's 5 and 10).
    **kwargs
        The other arguments of :func:`leaky_bucket` (``weeks``, ``n_customers``,
        ``lost_per_week``, ``margin_per_week``, ``retention_cost``).

    Returns
    -------
    weekly : DataFrame
        One row per ratio and week: ``acquisition_ratio``, ``week``, ``cum_profit_leaky``,
        ``cum_profit_retain`` and ``cost_of_leak`` (retain − leaky, cumulative).
    summary : DataFrame
        One row per ratio (index ``acquisition_ratio``): the three cumulative figures at
        the last week.

    Raises
    ------
    ValueError
        If ``ratios`` is empty, or as :func:`leaky_bucket`.

    Examples
    --------
    Ten weeks, 10 customers lost a week, keeping one costs 50: the leak costs
    10 x 50 x (ratio - 1) a week, 2,000 a week at ratio 5, 20,000 over ten weeks.

    >>> weekly, summary = leaky_bucket_scenarios((5, 10), weeks=10, lost_per_week=10)
    >>> summary["cost_of_leak"].tolist()  # 10 x 10 x 50 x (5 - 1), ... x (10 - 1)
    [20000.0, 45000.0]
    """
    ratios = list(ratios)
    if not ratios:
        raise ValueError("ratios is empty: give at least one acquisition-cost ratio.")
    frames = []
    for ratio in ratios:
        f = leaky_bucket(acquisition_ratio=ratio, **kwargs)
        frames.append(
            pd.DataFrame(
                {
                    "acquisition_ratio": ratio,
                    "week": f["week"],
                    "cum_profit_leaky": f["cum_profit_leaky"],
                    "cum_profit_retain": f["cum_profit_retain"],
                    "cost_of_leak": f["cum_profit_retain"] - f["cum_profit_leaky"],
                }
            )
        )
    weekly = pd.concat(frames, ignore_index=True)
    summary = weekly.groupby("acquisition_ratio", sort=False).last().drop(columns="week")
    return weekly, summary


def retained_value(margin: float, retention: float, discount_rate: float) -> float:
    """Value of a customer who earns ``margin`` a period while retained.

    With constant retention ``r`` and discount rate ``d``, margin received at the end of
    each period the customer is still there: ``sum_t m r^t / (1 + d)^t = m r / (1 + d - r)``
    (Gupta & Lehmann 2003).

    Parameters
    ----------
    margin : float
        Margin per period, >= 0.
    retention : float
        Share retained each period, in [0, 1).
    discount_rate : float
        Discount rate per period, >= 0.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(retained_value(100, 0.8, 0.1), 2)  # 100 * 0.8 / 0.3
    266.67
    """
    m = require_positive(margin, "margin", allow_zero=True)
    r = require_share(retention, "retention", closed_high=False)
    d = require_positive(discount_rate, "discount_rate", allow_zero=True)
    return m * r / (1 + d - r)


def retention_uplift(
    retention: float, discount_rate: float = 0.1, *, points: float = 0.05
) -> float:
    """Relative rise in customer value when retention rises by ``points`` (0.05 = 5 points).

    The course says keeping 5% more customers can raise profit by up to 100% ([CRM slides]);
    Reichheld & Sasser (1990) report 25-85% across industries. Under the constant-margin
    model of :func:`retained_value` the margin cancels:
    ``uplift = [(r + p) / (1 + d - r - p)] / [r / (1 + d - r)] - 1``.

    Parameters
    ----------
    retention : float
        Retention before, in (0, 1).
    discount_rate : float
        Discount rate per period, >= 0.
    points : float
        Rise of retention, > 0 (0.05 = five percentage points).

    Returns
    -------
    float
        Relative rise of the customer's value (0.275 = +27.5%).

    Raises
    ------
    ValueError
        If an argument is outside its range or ``retention + points`` reaches 1.

    Examples
    --------
    From 80% to 85% retention at a 10% discount rate: (0.85/0.25) / (0.8/0.3) - 1.

    >>> round(retention_uplift(0.80, 0.10), 4)
    0.275
    """
    r = require_share(retention, "retention", closed_low=False, closed_high=False)
    p = require_positive(points, "points")
    if r + p >= 1:
        raise ValueError(f"retention + points must stay below 1, got {r} + {p}.")
    d = require_positive(discount_rate, "discount_rate", allow_zero=True)
    return retained_value(1.0, r + p, d) / retained_value(1.0, r, d) - 1


def word_of_mouth(
    satisfied: int,
    dissatisfied: int,
    *,
    leads_per_satisfied: float = 8,
    deals_per_satisfied: float = 1,
    reach_per_dissatisfied: float = 25,
) -> pd.Series:
    """Word of mouth (口碑效应) arithmetic of the course ([Chen 2011]): one satisfied customer
    brings 8 potential deals of which at least 1 closes; one dissatisfied customer sways
    the purchase intentions of 25 people.

    Parameters
    ----------
    satisfied, dissatisfied : int
        Numbers of satisfied and dissatisfied customers.
    leads_per_satisfied, deals_per_satisfied, reach_per_dissatisfied : float
        The course's multipliers (8, 1, 25).

    Returns
    -------
    Series
        ``potential_deals``, ``closed_deals``, ``people_put_off``.

    Raises
    ------
    ValueError
        If a count is not a non-negative int, a multiplier is negative, or deals exceed
        leads.

    Examples
    --------
    >>> word_of_mouth(10, 2).tolist()  # 10 x 8, 10 x 1, 2 x 25
    [80.0, 10.0, 50.0]
    """
    s = require_int(satisfied, "satisfied", low=0)
    u = require_int(dissatisfied, "dissatisfied", low=0)
    leads = require_positive(leads_per_satisfied, "leads_per_satisfied", allow_zero=True)
    deals = require_positive(deals_per_satisfied, "deals_per_satisfied", allow_zero=True)
    reach = require_positive(reach_per_dissatisfied, "reach_per_dissatisfied", allow_zero=True)
    if deals > leads:
        raise ValueError(f"deals_per_satisfied ({deals}) cannot exceed leads ({leads}).")
    return pd.Series(
        {
            "potential_deals": float(s * leads),
            "closed_deals": float(s * deals),
            "people_put_off": float(u * reach),
        }
    )


def retained_after(annual_retention: float, years: float = 5) -> float:
    """Share of today's customers still there after ``years`` at constant retention.

    The course quotes Fortune 500 firms losing about half their customers in 5 years
    ([CRM slides]): that is ``retained_after(r, 5) = 0.5``, i.e. ``r = 0.5 ** (1/5) = 0.8706``.

    Parameters
    ----------
    annual_retention : float
        In [0, 1].
    years : float
        >= 0.

    Returns
    -------
    float
        ``annual_retention ** years``.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(retained_after(0.8706, 5), 3)
    0.5
    """
    r = require_share(annual_retention, "annual_retention")
    y = require_positive(years, "years", allow_zero=True)
    return float(r**y)


def revenue_by_tenure(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    acquisition_date: str = "acquisition_date",
    amount: str = "amount",
    start: object = None,
) -> pd.DataFrame:
    """Revenue per customer by year of tenure (year 1 = first 12 months after acquisition).

    Only customers acquired on or after ``start`` (default: the first day of the month of
    the earliest order, where the order history begins) are counted, so every
    tenure year starts at the same point of the relationship, and a tenure year counts
    only when it ended inside the window (no partly observed years).

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    customers : DataFrame
        One row per customer with its acquisition date.
    customer_id, order_date, acquisition_date, amount : str
        Column names.
    start : date-like, optional
        First acquisition date counted.

    Returns
    -------
    DataFrame
        Index ``tenure_year``; columns ``n_customers`` (with any order that year),
        ``revenue`` and ``revenue_per_customer``.

    Raises
    ------
    KeyError
        If a column is missing or an order's customer is not in ``customers``.
    ValueError
        If a table is empty, ``amount`` is not numeric, or an order precedes its
        customer's acquisition date.

    Examples
    --------
    Two customers acquired in January 2022, orders up to 2024-02-01. Year 1: a 100 + 50,
    b 60; year 2 (ended 2024-01-01 for a): a 40; b's order of 2024 falls in its year 3,
    which has not ended, so it is left out.

    >>> c = pd.DataFrame({"customer_id": ["a", "b"],
    ...                   "acquisition_date": pd.to_datetime(["2022-01-01", "2022-01-10"])})
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b", "a", "b"],
    ...     "order_date": pd.to_datetime(["2022-02-01", "2022-06-01", "2022-03-01",
    ...                                   "2023-03-01", "2024-02-01"]),
    ...     "amount": [100.0, 50.0, 60.0, 40.0, 30.0]})
    >>> revenue_by_tenure(o, c, start="2022-01-01")["revenue"].to_dict()
    {1: 210.0, 2: 40.0}
    """
    require_frame(orders, "orders")
    require_frame(customers, "customers")
    require_columns(orders, [customer_id, order_date, amount], "orders")
    require_columns(customers, [customer_id, acquisition_date], "customers")
    require_numeric(orders, amount)
    first = orders[order_date].min()
    start = pd.Timestamp(first.year, first.month, 1) if start is None else pd.Timestamp(start)
    acq = customers.set_index(customer_id)[acquisition_date]
    missing = orders.loc[~orders[customer_id].isin(acq.index), customer_id]
    if len(missing):
        raise KeyError(f"orders hold customer ids not in customers: {missing.unique()[:5]}.")
    joined = orders[[customer_id, order_date, amount]].join(acq, on=customer_id)
    early = joined[order_date] < joined[acquisition_date]
    if early.any():
        raise ValueError(
            f"orders dated before the customer's {acquisition_date!r} in rows "
            f"{joined.index[early][:5].tolist()}."
        )
    joined = joined[joined[acquisition_date] >= start]
    days = (joined[order_date] - joined[acquisition_date]).dt.days
    joined = joined.assign(tenure_year=(days // 365 + 1).astype(int))
    year_end = joined[acquisition_date] + pd.to_timedelta(joined["tenure_year"] * 365, unit="D")
    joined = joined[year_end <= orders[order_date].max()]
    out = joined.groupby("tenure_year").agg(
        n_customers=(customer_id, "nunique"), revenue=(amount, "sum")
    )
    out["revenue_per_customer"] = out["revenue"] / out["n_customers"]
    return out
