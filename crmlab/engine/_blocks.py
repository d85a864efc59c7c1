"""Building blocks of the engine's tables: money in whole cents, whole days between two
timestamps, the reference date as a literal, and the check of an order log. The tables
themselves are in :mod:`crmlab.engine.rfm`, :mod:`~crmlab.engine.btyd_summary`,
:mod:`~crmlab.engine.profit` and :mod:`~crmlab.engine.lifetimes`, gathered by
:mod:`crmlab.engine.tables`.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import pandas as pd

from crmlab._money import CENTS, MAX_AMOUNT
from crmlab.engine import _checks
from crmlab.engine.backends import to_pandas  # noqa: F401 (the docstring examples use it)

__all__ = ["check_orders", "cents", "money", "days_between"]


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
    lines, as_of_ts, _ = _checked_lines(
        orders,
        as_of=as_of,
        customer_id=customer_id,
        order_date=order_date,
        amount=amount,
        is_return=is_return,
        returns_allowed=returns_allowed,
        name=name,
    )
    return lines, as_of_ts


def _checked_lines(
    orders: ibis.Table,
    *,
    as_of: object,
    customer_id: str,
    order_date: str,
    amount: str | None,
    is_return: str | None,
    returns_allowed: bool,
    name: str,
) -> tuple[ibis.Table, pd.Timestamp, int]:
    """:func:`check_orders`, also returning the number of lines (counted by the check)."""
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
        # the rule of crmlab._money.to_cents: beyond 2**53 cents a float64 holds no
        # whole number of cents exactly (the pandas path refuses such amounts too)
        bad = value.isnull() | value.isnan() | (value.abs() >= MAX_AMOUNT)
        checks.append(
            (
                "null_amount",
                bad,
                cols,
                f"column {amount!r} has missing, infinite or too large values (|amount| "
                f"must stay below {MAX_AMOUNT:.3g}).",
            )
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
    ts = _ts(orders[order_date])
    extra = {}
    if as_of is None:
        # the reference date is the last order time, found in the same pass as the
        # checks (and no line can be after it)
        extra["_last"] = ts.max()
    else:
        as_of_ts = pd.Timestamp(as_of)
        checks.append(
            (
                "late",
                ts > _as_of_literal(as_of_ts),
                cols,
                f"column {order_date!r} has dates after as_of={_checks.show_date(as_of_ts)}: "
                "cut the table first (nothing after as_of is used).",
            )
        )
    found = _checks.require_values(orders, checks, extra)
    if not found["n_lines"]:
        raise ValueError(f"{name} is empty: it has no rows.")
    if as_of is None:
        as_of_ts = pd.Timestamp(found["_last"])
    out = orders.select(
        **{customer_id: orders[customer_id]},
        _ts=ts,
        _cents=cents(orders[amount]) if amount is not None else ibis.literal(0, type="int64"),
        _sale=~is_ret,
    )
    return out, as_of_ts, int(found["n_lines"])
