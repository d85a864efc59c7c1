"""The workbook's per-customer tables as Ibis expressions: the same names, arguments and
results as the pandas functions, on any engine Ibis drives (DuckDB, Spark, ...).

Each function takes Ibis tables with the workbook's column vocabulary and returns an
Ibis table (an unevaluated query); :func:`crmlab.engine.to_pandas` runs it. On the same
data the results equal the pandas path exactly (not approximately): money is summed in
whole cents (:mod:`crmlab._money`), days are whole days, ranks and ties follow the same
rules, and every float is one IEEE operation on exact integers, which pandas, DuckDB and
Spark compute alike.

| here | pandas path |
|---|---|
| :func:`rfm_table` | :func:`crmlab.segment.rfm_table` |
| :func:`rfm_scores` | :func:`crmlab.segment.rfm_scores` |
| :func:`value_tiers` | :func:`crmlab.segment_classes.value_tiers` |
| :func:`rfm_summary`, :func:`pooled_summary` | :func:`crmlab.btyd.rfm_summary` |
| :func:`customer_profit` | :func:`crmlab.segment.customer_profit` |
| :func:`cohort_counts` | :func:`crmlab.churn.cohort_retention` |
| :func:`life_counts` | :func:`crmlab.survival.survival_frame` |
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import ibis
import ibis.expr.datatypes as dt
import pandas as pd
from ibis import _

from crmlab._money import CENTS
from crmlab.btyd import UNIT_DAYS
from crmlab.engine import _checks
from crmlab.engine.backends import to_pandas  # noqa: F401 (the docstring examples use it)
from crmlab.survival import GRAIN_DAYS

__all__ = [
    "check_orders",
    "rfm_table",
    "rfm_scores",
    "value_tiers",
    "rfm_summary",
    "pooled_summary",
    "customer_profit",
    "cohort_counts",
    "life_counts",
    "cents",
    "days_between",
]

TIERS = ("VIP", "major", "ordinary", "small")


# --------------------------------------------------------------------------- building blocks


def cents(amount: ibis.Value) -> ibis.Value:
    """Whole cents of an amount, ``floor(amount * 100 + 0.5)`` as int64 (the definition of
    :func:`crmlab._money.to_cents`; a DECIMAL is read as float64 first, like pandas).

    Examples
    --------
    >>> t = ibis.memtable(pd.DataFrame({"amount": [19.99, 0.125, -12.345]}))
    >>> t.select(c=cents(t.amount)).to_pandas()["c"].tolist()
    [1999, 13, -1234]
    """
    return (amount.cast("float64") * CENTS + 0.5).floor().cast("int64")


def money(cents_value: ibis.Value) -> ibis.Value:
    """Whole cents back to money, ``cents / 100`` (one division, as :func:`from_cents`)."""
    return cents_value.cast("float64") / CENTS


def _ts(value: ibis.Value) -> ibis.Value:
    """A date or timestamp as a timestamp in microseconds (what Spark holds). Nanosecond
    timestamps are cast too: DuckDB 2.0.1 rewrites ``EXTRACT(year FROM ts) >= 2022`` on a
    TIMESTAMP_NS column into a wrong range filter (all rows pass); on TIMESTAMP it is
    right."""
    kind = value.type()
    if kind.is_timestamp() and kind.scale in (None, 6):
        return value
    return value.cast(dt.Timestamp(scale=6))


def days_between(early: ibis.Value, late: ibis.Value) -> ibis.Value:
    """Whole days from ``early`` to ``late`` (``late >= early``), as pandas'
    ``(late - early).dt.days``: the calendar days between them, less one if the time of
    day of ``late`` is before that of ``early``.

    Examples
    --------
    >>> a = ibis.literal(pd.Timestamp("2024-01-01 23:00").to_pydatetime())
    >>> b = ibis.literal(pd.Timestamp("2024-01-03 01:00").to_pydatetime())
    >>> int(days_between(a, b).execute())  # 26 hours: one whole day, not two dates apart
    1
    """
    early, late = _ts(early), _ts(late)
    calendar = late.date().epoch_days() - early.date().epoch_days()
    return (calendar - (early.time() > late.time()).cast("int64")).cast("int64")


def _as_of_literal(as_of: pd.Timestamp) -> ibis.Value:
    return ibis.literal(as_of.to_pydatetime(), type="timestamp")


def check_orders(
    orders: ibis.Table,
    *,
    as_of: object = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str | None = "amount",
    is_return: str | None = "is_return",
    returns_allowed: bool = True,
    name: str = "orders",
) -> tuple[ibis.Table, pd.Timestamp]:
    """Check an orders table and return it in a normal form, with the reference date.

    The checks of :func:`crmlab.segment.check_orders`, run in the engine: missing columns
    (``KeyError``); ``order_date`` not a date, ``amount`` not numeric, ``is_return`` not
    boolean; missing ids, dates or amounts; lines after ``as_of``; negative amounts on
    lines not marked as returns (``ValueError``, with the first offending lines).

    Returns
    -------
    (Table, Timestamp)
        Columns ``customer_id`` (as named), ``_ts`` (the order time as a timestamp),
        ``_cents`` (the line's money in whole cents, 0 without ``amount``) and ``_sale``
        (not a return); and ``as_of`` (default: the last order time).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        As listed above, naming the column and showing the first offending lines.

    Examples
    --------
    >>> orders = ibis.memtable(pd.DataFrame({"customer_id": ["A", "A", "B", "A"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
    ...                                   "2024-03-10"]),
    ...     "amount": [100.0, 50.0, 80.0, -30.0], "is_return": [False, False, False, True]}))
    >>> lines, as_of = check_orders(orders)
    >>> as_of, lines.columns
    (Timestamp('2024-03-10 00:00:00'), ('customer_id', '_ts', '_cents', '_sale'))
    """
    cols = [customer_id, order_date] + ([amount] if amount is not None else [])
    _checks.require_columns(orders, cols, name)
    _checks.require_dates(orders, order_date, name)
    if amount is not None:
        _checks.require_numeric(orders, amount, name)
    is_ret = _checks.flag(orders, is_return, name)
    checks = [
        (
            "null_id",
            orders[customer_id].isnull(),
            cols,
            f"column {customer_id!r} has missing values.",
        ),
        (
            "null_date",
            orders[order_date].isnull(),
            cols,
            f"column {order_date!r} has missing values.",
        ),
    ]
    if amount is not None:
        value = orders[amount].cast("float64")
        bad = value.isnull() | value.isnan() | value.isinf()
        checks.append(
            ("null_amount", bad, cols, f"column {amount!r} has missing or infinite values.")
        )
        if returns_allowed:
            where = (
                f"in {is_return!r}"
                if is_return is not None and is_return in orders.columns
                else f"(no column {is_return!r})"
            )
            checks.append(
                (
                    "negative",
                    (value < 0) & ~is_ret,
                    cols,
                    f"column {amount!r} has negative values not marked as returns {where}: mark "
                    "returns in a boolean column or drop these lines.",
                )
            )
    if as_of is None:
        last = orders.aggregate(last=_ts(orders[order_date]).max()).to_pandas()["last"].iloc[0]
        if pd.isna(last):
            raise ValueError(f"{name} is empty: it has no rows.")
        as_of_ts = pd.Timestamp(last)
    else:
        as_of_ts = pd.Timestamp(as_of)
    late = _ts(orders[order_date]) > _as_of_literal(as_of_ts)
    checks.append(
        (
            "late",
            late,
            cols,
            f"column {order_date!r} has dates after as_of={_checks.show_date(as_of_ts)}: "
            "cut the table first (nothing after as_of is used).",
        )
    )
    if not _checks.require_values(orders, checks)["n_lines"]:
        raise ValueError(f"{name} is empty: it has no rows.")
    out = orders.select(
        **{customer_id: orders[customer_id]},
        _ts=_ts(orders[order_date]),
        _cents=cents(orders[amount]) if amount is not None else ibis.literal(0, type="int64"),
        _sale=~is_ret,
    )
    return out, as_of_ts


# --------------------------------------------------------------------------- RFM


def rfm_table(
    orders: ibis.Table,
    *,
    as_of: object = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str | None = "is_return",
    start: object = None,
) -> ibis.Table:
    """Recency, frequency and money per customer, as :func:`crmlab.segment.rfm_table`.

    ``days_since_last`` (days from the last purchase line to ``as_of``), ``n_orders``
    (purchase lines; returns do not count), ``revenue`` (net amount in the window, in
    whole cents / 100), ``first_purchase``, ``last_purchase``; only lines in ``[start,
    as_of]``; customers without a purchase line there are left out.

    Returns
    -------
    ibis.Table
        One row per customer (unordered: :func:`crmlab.engine.to_pandas` sorts by id).

    Raises
    ------
    KeyError, ValueError
        As :func:`check_orders`.

    Examples
    --------
    >>> orders = ibis.memtable(pd.DataFrame({"customer_id": ["A", "A", "B", "A"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
    ...                                   "2024-03-10"]),
    ...     "amount": [100.0, 50.0, 80.0, -30.0], "is_return": [False, False, False, True]}))
    >>> rfm = rfm_table(orders, as_of="2024-03-31")
    >>> to_pandas(rfm, index="customer_id")[["days_since_last", "n_orders", "revenue"]]
                 days_since_last  n_orders  revenue
    customer_id
    A                         30         2    120.0
    B                         59         1     80.0
    """
    lines, as_of_ts = check_orders(
        orders,
        as_of=as_of,
        customer_id=customer_id,
        order_date=order_date,
        amount=amount,
        is_return=is_return,
    )
    if start is not None:
        lines = lines.filter(lines._ts >= _as_of_literal(pd.Timestamp(start)))
    sale_ts = ibis.ifelse(lines._sale, lines._ts, ibis.null("timestamp"))
    per = lines.group_by(customer_id).aggregate(
        n_orders=lines._sale.cast("int64").sum(),
        _revenue_cents=lines._cents.sum(),
        first_purchase=sale_ts.min(),
        last_purchase=sale_ts.max(),
    )
    per = per.filter(per.n_orders > 0)
    return per.select(
        customer_id,
        days_since_last=days_between(per.last_purchase, _as_of_literal(as_of_ts)),
        n_orders=per.n_orders,
        revenue=money(per._revenue_cents),
        first_purchase=per.first_purchase,
        last_purchase=per.last_purchase,
    )


def _score(value: ibis.Value, n: ibis.Value, bins: int, descending: bool) -> ibis.Value:
    # pandas: 1 + floor(bins * (rank_min - 1) / n); ibis.rank() is rank_min - 1
    order = ibis.desc(value) if descending else value
    rank0 = ibis.rank().over(order_by=order)
    return (1 + (bins * rank0) // n).cast("int64")


def rfm_scores(
    rfm: ibis.Table,
    *,
    bins: int = 5,
    days_since_last: str = "days_since_last",
    n_orders: str = "n_orders",
    revenue: str = "revenue",
) -> ibis.Table:
    """R, F, M scores, ``rfm_code``, ``rfm_sum`` and ``segment``, as
    :func:`crmlab.segment.rfm_scores` (ties share the score of their lowest rank; the
    segment rules of :data:`crmlab.segment.RFM_SEGMENTS`).

    Examples
    --------
    >>> orders = ibis.memtable(pd.DataFrame({"customer_id": ["A", "A", "B", "A"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
    ...                                   "2024-03-10"]),
    ...     "amount": [100.0, 50.0, 80.0, -30.0], "is_return": [False, False, False, True]}))
    >>> scores = rfm_scores(rfm_table(orders, as_of="2024-03-31"))
    >>> to_pandas(scores, index="customer_id")[["R", "F", "M", "segment"]]
                 R  F  M      segment
    customer_id
    A            3  3  3        loyal
    B            1  1  1  hibernating
    """
    from crmlab.segment import RFM_SEGMENTS

    if isinstance(bins, bool) or not isinstance(bins, int) or not 2 <= bins <= 10:
        raise ValueError(f"bins must be an int from 2 to 10, got {bins!r}.")
    _checks.require_columns(rfm, [days_since_last, n_orders, revenue], "rfm")
    for col in (days_since_last, n_orders, revenue):
        _checks.require_numeric(rfm, col, "rfm")
    n = rfm[n_orders].count().over(ibis.window())
    out = rfm.mutate(
        R=_score(rfm[days_since_last], n, bins, descending=True),
        F=_score(rfm[n_orders], n, bins, descending=False),
        M=_score(rfm[revenue], n, bins, descending=False),
    )
    r = ((out.R * 5 + bins - 1) // bins).cast("int64")  # ceil(score * 5 / bins)
    f = ((out.F * 5 + bins - 1) // bins).cast("int64")
    rules = [
        (r >= 4) & (f >= 4),
        (r >= 3) & (f >= 3),
        (r >= 4) & (f <= 2),
        (r <= 2) & (f >= 3),
        (r == 3) & (f <= 2),
    ]
    names = [s[0] for s in RFM_SEGMENTS]
    segment = ibis.cases(*zip(rules, names[:-1], strict=True), else_=names[-1])
    return out.mutate(
        rfm_code=out.R.cast("string").concat(out.F.cast("string"), out.M.cast("string")),
        rfm_sum=out.R + out.F + out.M,
        segment=segment,
    )


def _fraction(share: float, name: str) -> Fraction:
    value = float(share)
    if not 0 < value < 1:
        raise ValueError(f"{name} must lie in (0, 1), got {share!r}.")
    return Fraction(repr(value))


def value_tiers(
    data: ibis.Table,
    *,
    value: str = "revenue",
    customer_id: str = "customer_id",
    tier_cutoffs: Sequence[float] = (0.01, 0.05, 0.20),
    abc_cutoffs: Sequence[float] = (0.80, 0.95),
) -> ibis.Table:
    """Value tiers (客户价值金字塔) and ABC classes, as
    :func:`crmlab.segment_classes.value_tiers` on ``data[value]`` indexed by sorted ids.

    Adds ``rank`` (1 = largest value; equal values in order of the id), ``value_share``
    (cumulative share of the value, negative values counting 0, computed in whole cents),
    ``tier`` and ``abc``. The tier bounds ``ceil(c n)`` are exact integer arithmetic on
    the decimal cut-offs.

    Examples
    --------
    >>> orders = ibis.memtable(pd.DataFrame({"customer_id": ["A", "A", "B", "A"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
    ...                                   "2024-03-10"]),
    ...     "amount": [100.0, 50.0, 80.0, -30.0], "is_return": [False, False, False, True]}))
    >>> tiers = value_tiers(rfm_table(orders, as_of="2024-03-31"), tier_cutoffs=(0.3, 0.6, 0.9))
    >>> to_pandas(tiers, index="customer_id")[["rank", "value_share", "tier", "abc"]]
                 rank  value_share   tier abc
    customer_id
    A               1          0.6    VIP   A
    B               2          1.0  major   A
    """
    _checks.require_columns(data, [customer_id, value], "data")
    _checks.require_numeric(data, value, "data")
    t = [_fraction(c, "tier_cutoffs") for c in tier_cutoffs]
    a, b = (float(c) for c in abc_cutoffs)
    if len(t) != 3 or not t[0] < t[1] < t[2] or not 0 < a < b < 1:
        raise ValueError(
            f"tier_cutoffs must be three increasing shares and abc_cutoffs two, got "
            f"{tuple(tier_cutoffs)} and {tuple(abc_cutoffs)}."
        )
    order = [ibis.desc(data[value]), data[customer_id]]
    pos = ibis.greatest(cents(data[value]), 0)
    n = data[value].count().over(ibis.window())
    out = data.mutate(
        rank=ibis.row_number().over(order_by=order).cast("int64") + 1,
        _pos=pos,
        _cum=pos.sum().over(ibis.window(order_by=order, rows=(None, 0))),
        _total=pos.sum().over(ibis.window()),
        _n=n,
    )
    bounds = [(c.numerator * out._n + c.denominator - 1) // c.denominator for c in t]
    tier = ibis.cases(
        (out["rank"] <= bounds[0], TIERS[0]),
        (out["rank"] <= bounds[1], TIERS[1]),
        (out["rank"] <= bounds[2], TIERS[2]),
        else_=TIERS[3],
    )
    total = out._total.cast("float64")
    before = (out._cum - out._pos).cast("float64") / total
    abc = ibis.cases((out._total == 0, "C"), (before < a, "A"), (before < b, "B"), else_="C")
    share = ibis.ifelse(out._total > 0, out._cum.cast("float64") / total, 0.0)
    return out.mutate(value_share=share, tier=tier, abc=abc).drop("_pos", "_cum", "_total", "_n")


# --------------------------------------------------------------------------- BTYD


def _unit_days(unit: str) -> float:
    if unit not in UNIT_DAYS:
        raise ValueError(f"unit must be one of {list(UNIT_DAYS)}, got {unit!r}.")
    return UNIT_DAYS[unit]


def rfm_summary(
    orders: ibis.Table,
    *,
    as_of: object,
    holdout_end: object = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str | None = "amount",
    unit: str = "week",
    whole_units: bool = False,
) -> ibis.Table:
    """Frequency, recency and T per customer (the BG/NBD summary), as
    :func:`crmlab.btyd.rfm_summary`: purchases on one day are one occasion, time counts
    from each customer's first purchase in ``unit``, only customers whose first purchase
    falls in the calibration period (up to ``as_of``) are summarised.

    One aggregation pass over the customer-day table (a self-join of that table ran out
    of memory at 2 GB on 100 M lines; this does not).

    Parameters
    ----------
    whole_units : bool, default False
        Count ``recency`` and ``T`` in whole units (completed weeks), which caps the
        number of distinct (frequency, recency, T) triples and so the fitting time; a
        modelling choice that moves the estimates (see the notebook
        ``90_your_own_data``). Not in the pandas path.

    Examples
    --------
    >>> orders = ibis.memtable(pd.DataFrame({"customer_id": ["A", "A", "B", "A"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
    ...                                   "2024-03-10"]),
    ...     "amount": [100.0, 50.0, 80.0, -30.0], "is_return": [False, False, False, True]}))
    >>> summary = rfm_summary(orders.filter(~orders.is_return), as_of="2024-03-31")
    >>> to_pandas(summary, index="customer_id")
                 frequency   recency          T  monetary_value  first_amount
    customer_id
    A                    1  8.571429  12.857143            50.0         100.0
    B                    0  0.000000   8.428571             0.0          80.0
    """
    days = _unit_days(unit)
    cal_end = pd.Timestamp(as_of)
    end = cal_end if holdout_end is None else pd.Timestamp(holdout_end)
    if holdout_end is not None and end <= cal_end:
        raise ValueError(
            f"holdout_end ({end.date()}) must be after as_of ({cal_end.date()}): the "
            "holdout may not overlap the calibration."
        )
    lines, _as_of = check_orders(
        orders,
        as_of=end,
        customer_id=customer_id,
        order_date=order_date,
        amount=amount,
        is_return=None,
        returns_allowed=False,
    )
    cal_day = cal_end.normalize()
    day_no = lines._ts.date().epoch_days()
    occ = lines.group_by([customer_id, day_no.name("_day")]).aggregate(_cents=_._cents.sum())
    cal_no = int((cal_day - pd.Timestamp("1970-01-01")).days)
    in_cal = occ._day <= cal_no
    per = occ.group_by(customer_id).aggregate(
        _first=occ._day.min(where=in_cal),
        _last=occ._day.max(where=in_cal),
        _n=in_cal.cast("int64").sum(),
        _total=occ._cents.sum(where=in_cal),
        _first_cents=occ._cents.argmin(occ._day, where=in_cal),
        _hold=(~in_cal).cast("int64").sum(),
    )
    per = per.filter(per._n > 0)
    recency_days = per._last - per._first
    t_days = cal_no - per._first
    if whole_units:
        recency = (recency_days.cast("float64") / days).floor().cast("float64")
        big_t = (t_days.cast("float64") / days).floor().cast("float64")
    else:
        recency = recency_days.cast("float64") / days
        big_t = t_days.cast("float64") / days
    cols = {
        customer_id: per[customer_id],
        "frequency": (per._n - 1).cast("int64"),
        "recency": recency,
        "T": big_t,
    }
    if amount is not None:
        freq = per._n - 1
        repeat = per._total - per._first_cents
        cols["monetary_value"] = ibis.ifelse(
            freq > 0, repeat.cast("float64") / (freq * CENTS).cast("float64"), 0.0
        )
        cols["first_amount"] = money(per._first_cents)
    if holdout_end is not None:
        cols["frequency_holdout"] = per._hold.cast("int64")
        cols["duration_holdout"] = ibis.literal(float((end - cal_end).days / days))
    return per.select(**cols)


def pooled_summary(
    summary: ibis.Table,
    *,
    columns: Sequence[str] = ("frequency", "recency", "T"),
    repeat_only: bool = False,
) -> ibis.Table:
    """Customers pooled by equal values of ``columns``, with their number ``n_customers``:
    the weights of :func:`crmlab.btyd.fit_bgnbd` (``weight="n_customers"``).

    ``columns=("frequency", "monetary_value")`` with ``repeat_only=True`` gives the
    table that :func:`crmlab.btyd.fit_gamma_gamma` needs.

    Examples
    --------
    >>> orders = ibis.memtable(pd.DataFrame({"customer_id": ["A", "A", "B", "A"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
    ...                                   "2024-03-10"]),
    ...     "amount": [100.0, 50.0, 80.0, -30.0], "is_return": [False, False, False, True]}))
    >>> summary = rfm_summary(orders.filter(~orders.is_return), as_of="2024-03-31")
    >>> pooled_summary(summary).to_pandas().sort_values("frequency", ignore_index=True)
       frequency   recency          T  n_customers
    0          0  0.000000   8.428571            1
    1          1  8.571429  12.857143            1
    """
    _checks.require_columns(summary, list(columns), "summary")
    data = summary.filter(summary.frequency > 0) if repeat_only else summary
    return data.group_by(list(columns)).aggregate(n_customers=_.count())


# --------------------------------------------------------------------------- profit


def _rates(costs: pd.DataFrame) -> dict[str, int]:
    from crmlab._money import to_cents
    from crmlab.segment import cost_rates

    rates = cost_rates(costs)
    return {k: int(c) for k, c in zip(rates, to_cents(list(rates.values()), "cost"), strict=True)}


def _rate(rates: dict[str, int], key: str) -> int:
    if key not in rates:
        raise KeyError(f"costs has no rate {key!r}; it has {sorted(rates)}.")
    return rates[key]


def customer_profit(
    orders: ibis.Table,
    products: pd.DataFrame,
    costs: pd.DataFrame,
    *,
    incidents: ibis.Table | None = None,
    contacts: ibis.Table | None = None,
    customers: ibis.Table | None = None,
    churn: ibis.Table | None = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str = "is_return",
) -> ibis.Table:
    """Profit per customer after the cost to serve, as :func:`crmlab.segment.customer_profit`
    (the same cost model and columns, every sum in whole cents).

    ``products`` and ``costs`` are small pandas tables (unit costs, cost rates); the other
    tables are engine tables.

    Examples
    --------
    >>> orders = ibis.memtable(pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01"]),
    ...     "product_line": ["x", "x", "x"], "quantity": [10, -2, 5],
    ...     "amount": [100.0, -20.0, 50.0], "is_return": [False, True, False]}))
    >>> products = pd.DataFrame({"product_line": ["x"], "unit_cost": [6.0]})
    >>> costs = pd.DataFrame({"item": ["return", "account"], "unit": ["per return line",
    ...     "per active customer-year"], "cost": [5.0, 10.0]})
    >>> to_pandas(customer_profit(orders, products, costs), index="customer_id")["profit"]
    customer_id
    A    17.0
    B    10.0
    Name: profit, dtype: float64
    """

    lines, _as_of = check_orders(
        orders, customer_id=customer_id, order_date=order_date, amount=amount, is_return=is_return
    )
    for col in ("product_line", "quantity"):
        _checks.require_columns(orders, [col], "orders")
    _checks.require_numeric(orders, "quantity", "orders")
    rates = _rates(costs)
    unit_cost = dict(
        zip(
            products["product_line"].astype(str),
            products["unit_cost"].astype(float),
            strict=True,
        )
    )
    known = list(unit_cost)
    line = orders.product_line.cast("string")
    missing = orders.filter(~line.isin(known)).select(line=line).distinct().limit(5)
    missing = missing.to_pandas()["line"]
    if len(missing):
        raise KeyError(
            f"product lines {sorted(missing)} of orders have no 'unit_cost' in products."
        )
    cost = ibis.cases(*[(orders.product_line.cast("string") == k, v) for k, v in unit_cost.items()])
    is_ret = _checks.flag(orders, is_return, "orders")
    has_disc = {"list_price", "unit_price"} <= set(orders.columns)
    disc = (
        cents((orders.list_price - orders.unit_price) * orders.quantity * (~is_ret).cast("int64"))
        if has_disc
        else ibis.literal(0, type="int64")
    )
    o = orders.select(
        customer_id,
        _rev=cents(orders[amount]),
        _cogs=cents(orders.quantity.cast("float64") * cost),
        _disc=disc,
        _ret=is_ret.cast("int64"),
        _year=_ts(orders[order_date]).year(),
    )
    per = o.group_by(customer_id).aggregate(
        _rev=o._rev.sum(),
        _gross=(o._rev - o._cogs).sum(),
        _disc=o._disc.sum(),
        _returns=o._ret.sum() * _rate(rates, "return: per return line"),
        _years=o._year.nunique(),
    )
    y0, y1 = (
        int(v) for v in o.aggregate(a=o._year.min(), b=o._year.max()).to_pandas().iloc[0].tolist()
    )
    parts = [per]
    if incidents is not None:
        _checks.require_columns(incidents, [customer_id, "severity", "handled_well"], "incidents")
        sev = ibis.cases(
            *[
                (incidents.severity.cast("string") == k.split("severity ", 1)[1], v)
                for k, v in rates.items()
                if k.startswith("incident: severity ")
            ],
            else_=ibis.null("int64"),
        )
        extra = _rate(rates, "incident: handled badly (extra)")
        each = sev + extra * (~incidents.handled_well.cast("boolean")).cast("int64")
        unknown = incidents.filter(sev.isnull()).select("severity").distinct().limit(5)
        unknown = unknown.to_pandas()["severity"]
        if len(unknown):
            raise KeyError(
                f"costs has no rate 'incident: severity {unknown.iloc[0]}'; it has {sorted(rates)}."
            )
        parts.append(incidents.group_by(customer_id).aggregate(_incident=each.sum()))
    if contacts is not None:
        _checks.require_columns(contacts, [customer_id, "contact_type"], "contacts")
        kinds = {
            k.split("contact: ", 1)[1]: v for k, v in rates.items() if k.startswith("contact:")
        }
        each = ibis.cases(
            *[(contacts.contact_type.cast("string") == k, v) for k, v in kinds.items()],
            else_=ibis.null("int64"),
        )
        unknown = contacts.filter(each.isnull()).select("contact_type").distinct().limit(5)
        unknown = unknown.to_pandas()["contact_type"]
        if len(unknown):
            raise KeyError(
                f"costs has no rate 'contact: {unknown.iloc[0]}'; it has {sorted(rates)}."
            )
        parts.append(contacts.group_by(customer_id).aggregate(_contact=each.sum()))
    if customers is not None:
        ids = customers.select(customer_id, _acq=_ts(customers.acquisition_date).year())
        if churn is not None:
            left = churn.select(customer_id, _lost=_ts(churn.churn_date).year())
            ids = ids.left_join(left, customer_id).select(ids, left._lost)
        else:
            ids = ids.mutate(_lost=ibis.null("int32"))
        first = ibis.greatest(ids._acq, y0)
        last = ibis.least(ids._lost.fill_null(y1), y1)
        ids = ids.select(customer_id, _active=ibis.greatest(last - first + 1, 0).cast("int64"))
        extra_ids = per.select(customer_id).difference(ids.select(customer_id))
        keys = ids.select(customer_id).union(extra_ids)
    else:
        ids = None
        keys = per.select(customer_id)
    table = keys
    for part in parts + ([ids] if ids is not None else []):
        table = table.left_join(part, customer_id).drop(f"{customer_id}_right")
    account = _rate(rates, "account: per active customer-year")
    zero = ibis.literal(0, type="int64")
    years = table._active if ids is not None else table._years
    rev = table._rev.fill_null(zero)
    gross = table._gross.fill_null(zero)
    returns = table._returns.fill_null(zero)
    incident = table._incident.fill_null(zero) if incidents is not None else zero
    contact = table._contact.fill_null(zero) if contacts is not None else zero
    acc = years.fill_null(zero) * account
    serve = returns + incident + contact + acc
    return table.select(
        customer_id,
        revenue=money(rev),
        gross_profit=money(gross),
        discounts=money(table._disc.fill_null(zero)),
        returns_cost=money(returns),
        incident_cost=money(incident),
        contact_cost=money(contact),
        account_cost=money(acc),
        cost_to_serve=money(serve),
        profit=money(gross - serve),
    )


# --------------------------------------------------------------------------- lifetimes


def _lifetimes(
    customers: ibis.Table,
    churn: ibis.Table,
    customer_id: str,
    acquisition_date: str,
    churn_date: str,
) -> ibis.Table:
    _checks.require_columns(customers, [customer_id, acquisition_date], "customers")
    _checks.require_columns(churn, [customer_id, churn_date], "churn")
    _checks.require_dates(customers, acquisition_date, "customers")
    _checks.require_dates(churn, churn_date, "churn")
    dup = churn.group_by(customer_id).aggregate(n=_.count()).filter(_.n > 1)
    shown = dup.limit(5).to_pandas()
    if len(shown):
        raise ValueError(
            f"churn has more than one row for customers {shown[customer_id].tolist()}: one "
            "churn date per customer."
        )
    cust = customers.select(customer_id, acquired=_ts(customers[acquisition_date]))
    lost = churn.select(customer_id, lost=_ts(churn[churn_date]))
    life = cust.left_join(lost, customer_id).select(cust, lost.lost)
    _checks.require_values(
        life,
        [
            (
                "early",
                life.lost < life.acquired,
                [customer_id, "acquired", "lost"],
                f"column {churn_date!r} lies before {acquisition_date!r} (dates out of order).",
            )
        ],
    )
    return life


def _month_no(ts: ibis.Value) -> ibis.Value:
    return (ts.year() * 12 + ts.month() - 1).cast("int64")


def cohort_counts(
    customers: ibis.Table,
    churn: ibis.Table,
    *,
    as_of: object,
    start: object = None,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
) -> ibis.Table:
    """Customers per acquisition month (``cohort``, months since 0 AD) and month of loss
    relative to it (``age_lost``, null if never lost): the counts behind
    :func:`crmlab.churn.cohort_retention`; :func:`crmlab.engine.cohort_retention` turns
    them into the same table.

    Examples
    --------
    >>> cust = ibis.memtable(pd.DataFrame({"customer_id": list("abcd"), "acquisition_date":
    ...     pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10"])}))
    >>> lost = ibis.memtable(pd.DataFrame({"customer_id": ["a", "c"],
    ...     "churn_date": pd.to_datetime(["2024-02-15", "2024-02-25"])}))
    >>> from crmlab.engine import cohort_retention
    >>> cohort_retention(cohort_counts(cust, lost, as_of="2024-03-31"), as_of="2024-03-31")
             size    0    1    2
    cohort
    2024-01     2  1.0  0.5  0.5
    2024-02     2  0.5  0.5  NaN
    """
    life = _lifetimes(customers, churn, customer_id, acquisition_date, churn_date)
    as_of_m = pd.Timestamp(as_of).year * 12 + pd.Timestamp(as_of).month - 1
    cohort = _month_no(life.acquired)
    keep = cohort <= as_of_m
    if start is not None:
        s = pd.Timestamp(start)
        keep &= cohort >= s.year * 12 + s.month - 1
    life = life.filter(keep)
    return life.group_by(
        cohort=_month_no(life.acquired), age_lost=_month_no(life.lost) - _month_no(life.acquired)
    ).aggregate(n_customers=_.count())


def life_counts(
    customers: ibis.Table,
    churn: ibis.Table,
    *,
    as_of: object,
    grain: str = "month",
    start: object = None,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
) -> ibis.Table:
    """Customers pooled by (``entry``, ``tenure``, ``churned``) as
    :func:`crmlab.survival.survival_frame` defines them (tenure = whole units + 1, churn
    after ``as_of`` censored, entry for customers won before ``start``), with their
    number ``n_customers``: all a Kaplan-Meier estimate needs
    (:func:`crmlab.engine.life_table`).

    Examples
    --------
    >>> cust = ibis.memtable(pd.DataFrame({"customer_id": list("abcd"), "acquisition_date":
    ...     pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10"])}))
    >>> lost = ibis.memtable(pd.DataFrame({"customer_id": ["a", "c"],
    ...     "churn_date": pd.to_datetime(["2024-02-15", "2024-02-25"])}))
    >>> counts = life_counts(cust, lost, as_of="2024-03-31").to_pandas()
    >>> counts.sort_values(["tenure", "churned"], ignore_index=True)
       entry  tenure  churned  n_customers
    0      0       1        1            1
    1      0       2        0            1
    2      0       2        1            1
    3      0       3        0            1
    """
    if grain not in GRAIN_DAYS:
        raise ValueError(f"grain must be one of {list(GRAIN_DAYS)}, got {grain!r}.")
    unit = GRAIN_DAYS[grain]
    as_of_ts = pd.Timestamp(as_of)
    life = _lifetimes(customers, churn, customer_id, acquisition_date, churn_date)
    strangers = churn.anti_join(customers, customer_id).select(customer_id).limit(5)
    strangers = strangers.to_pandas()[customer_id].tolist()
    if strangers:
        raise ValueError(f"churn has customers not in customers: {strangers} (the first).")
    late = life.acquired > _as_of_literal(as_of_ts)
    _checks.require_values(
        life,
        [
            (
                "late",
                late,
                [customer_id, "acquired"],
                f"column {acquisition_date!r} has dates after as_of={as_of_ts.date()}: they "
                "were not yet customers.",
            )
        ],
    )
    churned = life.lost.notnull() & (life.lost <= _as_of_literal(as_of_ts))
    end = ibis.ifelse(churned, life.lost, _as_of_literal(as_of_ts))
    days = days_between(life.acquired, end)
    tenure = ((days.cast("float64") / unit).floor() + 1).cast("int64")
    if start is None:
        entry = ibis.literal(0, type="int64")
    else:
        start_lit = _as_of_literal(pd.Timestamp(start))
        before = ibis.ifelse(life.acquired < start_lit, days_between(life.acquired, start_lit), 0)
        entry = (before.cast("float64") / unit).floor().cast("int64")
    return life.group_by(entry=entry, tenure=tenure, churned=churned.cast("int64")).aggregate(
        n_customers=_.count()
    )
