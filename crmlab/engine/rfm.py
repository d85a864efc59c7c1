"""RFM on the engine: the per-customer table, its quintile scores and the value tiers
(:func:`crmlab.segment.rfm_table`, :func:`crmlab.segment.rfm_scores`,
:func:`crmlab.segment_classes.value_tiers` on pandas; same tie rules)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import ibis
import pandas as pd

from crmlab._labels import RFM_SEGMENTS
from crmlab._labels import TIERS as _TIER_NAMES
from crmlab.engine import _checks
from crmlab.engine._blocks import (
    _as_of_literal,
    cents,
    check_orders,
    days_between,
    money,
)
from crmlab.engine.backends import to_pandas  # noqa: F401 (the docstring examples use it)

__all__ = ["rfm_table", "rfm_scores", "value_tiers", "TIERS"]


TIERS = tuple(_TIER_NAMES)  # ("VIP", "major", "ordinary", "small"), top first


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
    return _rfm_of_lines(lines, customer_id=customer_id, as_of=as_of_ts, start=start)


def _rfm_of_lines(
    lines: ibis.Table, *, customer_id: str, as_of: pd.Timestamp, start: object = None
) -> ibis.Table:
    """The table of :func:`rfm_table` from lines already checked by
    :func:`crmlab.engine.check_orders` (columns ``customer_id``, ``_ts``, ``_cents``,
    ``_sale``; none after ``as_of``)."""
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
        days_since_last=days_between(per.last_purchase, _as_of_literal(as_of)),
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
