"""Input checks, part 2: the company's tables (orders, a 0/1 event, a BTYD summary),
built on the column checks of :mod:`crmlab._validate_columns` (re-exported by
:mod:`crmlab._validate`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate_columns import (
    check_frame,
    format_rows,
    require_columns,
    require_dates,
    require_dates_not_after,
    require_no_missing,
    require_numeric,
)

__all__ = ["check_orders", "check_event", "check_btyd_summary"]


def check_orders(
    orders: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str | None = "is_return",
    as_of: object = None,
) -> tuple[np.ndarray, pd.Timestamp]:
    """Check an order table; return the return flags and the reference date.

    The checks, each naming the column and the first offending rows: ``orders`` empty;
    ``amount`` not numeric (text rows named), missing or infinite; ``customer_id`` or
    ``order_date`` missing; dates after ``as_of``; negative amounts on lines not marked as
    returns in ``is_return``. If the ``is_return`` column is absent (as in CDNOW) no line
    is a return, so every negative amount is an error.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    customer_id, order_date, amount, is_return : str
        Column names; ``is_return`` may be None or absent.
    as_of : date-like, optional
        Reference date; default the last order date.

    Returns
    -------
    (ndarray of bool, Timestamp)
        Return flag per line and ``as_of``.

    Raises
    ------
    KeyError
        If ``customer_id``, ``order_date`` or ``amount`` is missing.
    ValueError
        As listed above.

    Examples
    --------
    >>> bad = pd.DataFrame({"customer_id": ["A", "B"], "order_date": pd.to_datetime(
    ...     ["2024-01-02", "2024-01-03"]), "amount": [10.0, -4.0]})
    >>> check_orders(bad)
    Traceback (most recent call last):
    ...
    ValueError: column 'amount' has negative values in rows [1] that are not marked as \
returns (no column 'is_return'): mark returns in a boolean column or drop these lines.
    """
    check_frame(orders, [customer_id, order_date, amount], "orders")
    require_numeric(orders, amount)
    require_no_missing(orders, customer_id)
    require_no_missing(orders, order_date)
    require_dates(orders, order_date)
    as_of_ts = orders[order_date].max() if as_of is None else pd.Timestamp(as_of)
    require_dates_not_after(orders, order_date, as_of_ts)
    if is_return is not None and is_return in orders.columns:
        flags = orders[is_return].fillna(False).to_numpy(dtype=bool)
        where = f"in {is_return!r}"
    else:
        flags = np.zeros(len(orders), dtype=bool)
        where = f"(no column {is_return!r})"
    bad = (orders[amount].to_numpy(dtype=float) < 0) & ~flags
    if bad.any():
        raise ValueError(
            f"column {amount!r} has negative values in rows {format_rows(orders.index[bad])} "
            f"that are not marked as returns {where}: mark returns in a boolean column or "
            "drop these lines."
        )
    return flags, as_of_ts


def check_event(data: pd.DataFrame, event: str) -> np.ndarray:
    """Return the event column (1 = the event, e.g. churned) as an int array of 0/1.

    Booleans are accepted.

    Parameters
    ----------
    data : DataFrame
    event : str
        The event column.

    Returns
    -------
    ndarray of int

    Raises
    ------
    KeyError
        If the column is missing.
    ValueError
        If it has missing values or values other than 0/1 (the message names the first
        offending values and rows).

    Examples
    --------
    >>> check_event(pd.DataFrame({"churned": [True, False]}), "churned")
    array([1, 0])
    >>> check_event(pd.DataFrame({"churn": ["Yes", "No"]}), "churn")
    Traceback (most recent call last):
    ...
    ValueError: event column 'churn' must hold 0/1 (1 = churned), got ['Yes', 'No'] in \
rows [0, 1]. Convert it first, e.g. (data['churn'] == 'Yes').astype(int).
    """
    require_columns(data, [event])
    require_no_missing(data, event)
    col = data[event]
    if pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype=int)
    ok = pd.api.types.is_numeric_dtype(col)
    values = col.to_numpy(dtype=float) if ok else None
    bad = ~np.isin(values, [0, 1]) if ok else np.ones(len(col), dtype=bool)
    if bad.any():
        shown = pd.unique(col[bad])[:5].tolist()
        raise ValueError(
            f"event column {event!r} must hold 0/1 (1 = churned), got {shown} in rows "
            f"{format_rows(data.index[bad])}. Convert it first, e.g. (data[{event!r}] == 'Yes')"
            ".astype(int)."
        )
    return values.astype(int)


def check_btyd_summary(
    summary: pd.DataFrame,
    *,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check a BTYD summary (one row per customer, as from ``btyd.rfm_summary``) and return
    its three columns as float arrays.

    Parameters
    ----------
    summary : DataFrame
    frequency, recency, T : str
        Column names: repeat purchases x, time of the last purchase t_x and age T (the
        names of Fader, Hardie & Lee and of lifetimes).

    Returns
    -------
    (ndarray, ndarray, ndarray)
        x, t_x and T.

    Raises
    ------
    ValueError
        If ``summary`` is empty, a column is not numeric or missing a value, x or t_x is
        negative, t_x lies outside [0, T], or t_x > 0 while x = 0 (rows named).
    KeyError
        If a column is missing.

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [2, 0], "recency": [3.0, 1.0], "T": [4.0, 3.0]})
    >>> check_btyd_summary(s)
    Traceback (most recent call last):
    ...
    ValueError: column 'recency' must lie in [0, 'T'] (and be 0 when 'frequency' is 0); \
rows [1] break this.
    """
    check_frame(summary, [frequency, recency, T], "summary")
    for col in (frequency, recency, T):
        require_numeric(summary, col)
    x = summary[frequency].to_numpy(dtype=float)
    t_x = summary[recency].to_numpy(dtype=float)
    big_t = summary[T].to_numpy(dtype=float)
    for col, arr in ((frequency, x), (recency, t_x)):
        bad = arr < 0
        if bad.any():
            raise ValueError(
                f"column {col!r} has negative values in rows {format_rows(summary.index[bad])}."
            )
    bad = (t_x > big_t + 1e-9) | ((x == 0) & (t_x > 0))
    if bad.any():
        raise ValueError(
            f"column {recency!r} must lie in [0, {T!r}] (and be 0 when {frequency!r} is 0); "
            f"rows {format_rows(summary.index[bad])} break this."
        )
    return x, t_x, big_t
