"""Input checks shared by every public function: one place, like scikit-learn's
``utils/validation.py``.

A public function of ``crmlab`` checks its input once, at entry, with these helpers, and
passes the checked data inward. One exception type per kind of fault:

- a missing column (or survey item) raises ``KeyError`` naming it and the table's columns;
- a bad value (wrong type, missing, out of range, a date after ``as_of``) raises
  ``ValueError`` naming the column and the first offending rows (:func:`format_rows`).

Never use ``assert`` for input checks: ``python -O`` strips them.

The helpers come in four groups: frames and columns (:func:`require_frame`,
:func:`require_columns`, :func:`check_frame`, :func:`require_numeric`, ...), scalars
(:func:`require_share`, :func:`require_positive`, :func:`require_int`), the company's
tables (:func:`check_orders`, :func:`check_event`, :func:`check_btyd_summary`) and survey
answers (:func:`require_items`, :func:`numeric_answers`, :func:`answer_columns`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "format_rows",
    "require_frame",
    "require_columns",
    "check_frame",
    "require_numeric",
    "require_non_negative",
    "require_no_missing",
    "require_dates",
    "require_dates_not_after",
    "require_in_range",
    "as_float_array",
    "require_share",
    "require_positive",
    "require_int",
    "check_orders",
    "check_event",
    "check_btyd_summary",
    "SCALE",
    "require_items",
    "check_scale",
    "numeric_answers",
    "answer_columns",
    "row_mean",
    "z_value",
]

_MAX_ROWS_SHOWN = 5


def format_rows(index: Iterable) -> str:
    """The first rows of ``index`` as text for an error message, e.g. ``[3, 7] and 2 more``.

    Parameters
    ----------
    index : iterable
        Row labels (an Index, an array, a list).

    Returns
    -------
    str
        At most five labels in brackets, then how many more there are.

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> format_rows(range(8))
    '[0, 1, 2, 3, 4] and 3 more'
    >>> format_rows(pd.Index(["a"]))
    "['a']"
    """
    rows = [r.item() if isinstance(r, np.generic) else r for r in index]
    shown = ", ".join(repr(r) for r in rows[:_MAX_ROWS_SHOWN])
    more = f" and {len(rows) - _MAX_ROWS_SHOWN} more" if len(rows) > _MAX_ROWS_SHOWN else ""
    return f"[{shown}]{more}"


# --- frames and columns -------------------------------------------------------------------
def require_frame(data: object, name: str = "data") -> pd.DataFrame:
    """Return ``data`` if it is a non-empty DataFrame.

    Parameters
    ----------
    data : object
        The table to check.
    name : str
        Its name in the message (the argument's name).

    Returns
    -------
    DataFrame
        ``data`` itself.

    Raises
    ------
    ValueError
        If ``data`` is not a DataFrame or has no rows.

    Examples
    --------
    >>> require_frame(pd.DataFrame(), "orders")
    Traceback (most recent call last):
    ...
    ValueError: orders is empty: it has no rows.
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(data).__name__}.")
    if data.empty:
        raise ValueError(f"{name} is empty: it has no rows.")
    return data


def require_columns(data: pd.DataFrame, columns: Sequence[str], name: str = "data") -> None:
    """Check that ``data`` has every column of ``columns``.

    Parameters
    ----------
    data : DataFrame
    columns : sequence of str
    name : str
        The table's name in the message.

    Returns
    -------
    None

    Raises
    ------
    KeyError
        Naming every missing column and the columns ``data`` has.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "orders")
    Traceback (most recent call last):
    ...
    KeyError: "orders has no column(s) ['b']; its columns are ['a']."
    """
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(f"{name} has no column(s) {missing}; its columns are {list(data.columns)}.")


def check_frame(data: object, columns: Sequence[str], name: str = "data") -> pd.DataFrame:
    """:func:`require_frame` and :func:`require_columns` in one call.

    Parameters
    ----------
    data : object
    columns : sequence of str
        Columns ``data`` must have.
    name : str
        The table's name in the messages.

    Returns
    -------
    DataFrame
        ``data`` itself.

    Raises
    ------
    ValueError
        If ``data`` is not a DataFrame or is empty.
    KeyError
        If a column is missing.

    Examples
    --------
    >>> check_frame(pd.DataFrame({"customer_id": ["a"]}), ["customer_id"]).shape
    (1, 1)
    """
    require_frame(data, name)
    require_columns(data, columns, name)
    return data


def require_numeric(data: pd.DataFrame, column: str, *, allow_nan: bool = False) -> None:
    """Check that ``column`` is numeric and (unless ``allow_nan``) has no missing values.

    Parameters
    ----------
    data : DataFrame
    column : str
    allow_nan : bool
        Accept missing values (infinite values are never accepted).

    Returns
    -------
    None

    Raises
    ------
    ValueError
        If the column is not numeric (for a text column the message names the rows whose
        values are not numbers) or holds missing or infinite values.

    Examples
    --------
    >>> require_numeric(pd.DataFrame({"amount": ["1", "x", "3"]}), "amount")
    Traceback (most recent call last):
    ...
    ValueError: column 'amount' must be numeric, got dtype ...; rows with values that are \
not numbers: [1] ['x']. Convert with pd.to_numeric(data['amount']) after fixing them.
    """
    values = data[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        if pd.api.types.is_bool_dtype(values):
            coerced = pd.Series(np.nan, index=values.index)
        else:
            coerced = pd.to_numeric(values, errors="coerce")
        bad = (coerced.isna() & values.notna()).to_numpy()
        rows = format_rows(data.index[bad]) if bad.any() else "none (numbers stored as text)"
        shown = f" {values[bad].head(_MAX_ROWS_SHOWN).tolist()}" if bad.any() else ""
        raise ValueError(
            f"column {column!r} must be numeric, got dtype {values.dtype}; rows with values "
            f"that are not numbers: {rows}{shown}. Convert with "
            f"pd.to_numeric(data[{column!r}]) after fixing them."
        )
    finite = np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
    bad = ~finite if not allow_nan else np.isinf(values.to_numpy(dtype=float, na_value=0.0))
    if bad.any():
        raise ValueError(
            f"column {column!r} has missing or infinite values in rows "
            f"{format_rows(data.index[bad])}. Try data[{column!r}].isna() to find them."
        )


def require_non_negative(data: pd.DataFrame, column: str) -> None:
    """Check that ``column`` is numeric, complete and never negative.

    Parameters
    ----------
    data : DataFrame
    column : str

    Returns
    -------
    None

    Raises
    ------
    ValueError
        As :func:`require_numeric`, or naming the rows with negative values.

    Examples
    --------
    >>> require_non_negative(pd.DataFrame({"tenure": [3, -1]}), "tenure")
    Traceback (most recent call last):
    ...
    ValueError: column 'tenure' has negative values in rows [1].
    """
    require_numeric(data, column)
    bad = data[column].to_numpy() < 0
    if bad.any():
        raise ValueError(
            f"column {column!r} has negative values in rows {format_rows(data.index[bad])}."
        )


def require_no_missing(data: pd.DataFrame, column: str) -> None:
    """Check that ``column`` has no missing values.

    Parameters
    ----------
    data : DataFrame
    column : str

    Returns
    -------
    None

    Raises
    ------
    ValueError
        Naming the rows where the column is missing.

    Examples
    --------
    >>> require_no_missing(pd.DataFrame({"customer_id": ["a", None]}), "customer_id")
    Traceback (most recent call last):
    ...
    ValueError: column 'customer_id' has missing values in rows [1].
    """
    bad = data[column].isna().to_numpy()
    if bad.any():
        raise ValueError(
            f"column {column!r} has missing values in rows {format_rows(data.index[bad])}."
        )


def require_dates(data: pd.DataFrame, column: str) -> None:
    """Check that ``column`` holds dates (a ``datetime64`` dtype, time zone or not).

    Parameters
    ----------
    data : DataFrame
    column : str

    Returns
    -------
    None

    Raises
    ------
    ValueError
        If the column is not ``datetime64`` (convert it with ``pd.to_datetime`` first).

    Examples
    --------
    >>> require_dates(pd.DataFrame({"order_date": ["2024-01-01"]}), "order_date")
    Traceback (most recent call last):
    ...
    ValueError: column 'order_date' must hold dates (datetime64), got dtype .... Convert \
it with pd.to_datetime first.
    """
    if not pd.api.types.is_datetime64_any_dtype(data[column]):
        raise ValueError(
            f"column {column!r} must hold dates (datetime64), got dtype {data[column].dtype}. "
            "Convert it with pd.to_datetime first."
        )


def require_dates_not_after(data: pd.DataFrame, column: str, as_of: object) -> pd.Timestamp:
    """Check that ``column`` holds dates, none after ``as_of``; return ``as_of``.

    Parameters
    ----------
    data : DataFrame
    column : str
    as_of : date-like
        The reference date.

    Returns
    -------
    Timestamp
        ``as_of`` as a Timestamp.

    Raises
    ------
    ValueError
        If the column is not datetime, or naming the rows dated after ``as_of``.

    Examples
    --------
    >>> d = pd.DataFrame({"order_date": pd.to_datetime(["2024-01-01", "2025-01-01"])})
    >>> require_dates_not_after(d, "order_date", "2024-12-31")
    Traceback (most recent call last):
    ...
    ValueError: column 'order_date' has dates after as_of=2024-12-31 in rows [1].
    """
    as_of_ts = pd.Timestamp(as_of)
    require_dates(data, column)
    bad = (data[column] > as_of_ts).to_numpy()
    if bad.any():
        raise ValueError(
            f"column {column!r} has dates after as_of={as_of_ts.date()} in rows "
            f"{format_rows(data.index[bad])}."
        )
    return as_of_ts


def require_in_range(
    data: pd.DataFrame, column: str, low: float, high: float, *, allow_nan: bool = True
) -> None:
    """Check that ``column`` lies in ``[low, high]``.

    Parameters
    ----------
    data : DataFrame
    column : str
    low, high : float
        Bounds, both included.
    allow_nan : bool
        Accept missing values.

    Returns
    -------
    None

    Raises
    ------
    ValueError
        As :func:`require_numeric`, or naming the rows outside the range and their values.

    Examples
    --------
    >>> require_in_range(pd.DataFrame({"p_churn": [0.2, 1.5]}), "p_churn", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: column 'p_churn' has values outside [0, 1] in rows [1]: [1.5].
    """
    require_numeric(data, column, allow_nan=allow_nan)
    values = data[column]
    bad = ((values < low) | (values > high)).to_numpy(dtype=bool, na_value=False)
    if bad.any():
        raise ValueError(
            f"column {column!r} has values outside [{low}, {high}] in rows "
            f"{format_rows(data.index[bad])}: {values[bad].head(_MAX_ROWS_SHOWN).tolist()}."
        )


def as_float_array(values: object, name: str = "values") -> np.ndarray:
    """Return ``values`` as a 1-D float array.

    Parameters
    ----------
    values : array-like or Series
    name : str
        The argument's name in the message.

    Returns
    -------
    ndarray of float

    Raises
    ------
    ValueError
        For empty or non-numeric input, more than one dimension, or missing or infinite
        values (naming their first positions).

    Examples
    --------
    >>> as_float_array([1, 2.5])
    array([1. , 2.5])
    >>> as_float_array([1, float("nan")], "profit")
    Traceback (most recent call last):
    ...
    ValueError: profit has missing or infinite values at [1].
    """
    if isinstance(values, (pd.Series, pd.Index)):
        index = values.index if isinstance(values, pd.Series) else range(len(values))
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise ValueError(f"{name} must be numeric, got dtype {values.dtype}.")
        arr = np.asarray(values.to_numpy(dtype=float, na_value=np.nan))
    else:
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{name} must be numeric: {err}") from None
        index = range(arr.size)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty.")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = format_rows(np.asarray(index)[bad])
        raise ValueError(f"{name} has missing or infinite values at {where}.")
    return arr


# --- scalars ------------------------------------------------------------------------------
def require_share(
    value: float, name: str, *, closed_low: bool = True, closed_high: bool = True
) -> float:
    """Return ``value`` as a float in [0, 1] (the ends open or closed as stated).

    Parameters
    ----------
    value : float
    name : str
        The argument's name in the message.
    closed_low, closed_high : bool
        Whether 0 and 1 are allowed.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``value`` is not a number in the interval.

    Examples
    --------
    >>> require_share(1.0, "retention", closed_high=False)
    Traceback (most recent call last):
    ...
    ValueError: retention must lie in [0, 1), got 1.0.
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}.") from None
    low_ok = v >= 0 if closed_low else v > 0
    high_ok = v <= 1 if closed_high else v < 1
    if not (np.isfinite(v) and low_ok and high_ok):
        lo = "[" if closed_low else "("
        hi = "]" if closed_high else ")"
        raise ValueError(f"{name} must lie in {lo}0, 1{hi}, got {value!r}.")
    return v


def require_positive(value: object, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a finite float > 0 (>= 0 with ``allow_zero``).

    Parameters
    ----------
    value : float
    name : str
        The argument's name in the message.
    allow_zero : bool

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``value`` is not a finite number above (or at) 0.

    Examples
    --------
    >>> require_positive(0, "window_days")
    Traceback (most recent call last):
    ...
    ValueError: window_days must be a number > 0, got 0.
    """
    bound = ">= 0" if allow_zero else "> 0"
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number {bound}, got {value!r}.") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise ValueError(f"{name} must be a number {bound}, got {value!r}.")
    return v


def require_int(
    value: object, name: str, *, low: int | None = None, high: int | None = None
) -> int:
    """Return ``value`` as an int in ``[low, high]`` (a bool is not an int here).

    Parameters
    ----------
    value : int
    name : str
        The argument's name in the message.
    low, high : int, optional
        Bounds, both included; None for no bound.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``value`` is not an int (``True``, ``2.0`` and ``"2"`` are not) or lies outside
        the bounds.

    Examples
    --------
    >>> require_int(5, "bins", low=2, high=10)
    5
    >>> require_int(1.5, "seed", low=0)
    Traceback (most recent call last):
    ...
    ValueError: seed must be an int >= 0, got 1.5.
    """
    if low is not None and high is not None:
        bound = f" from {low} to {high}"
    elif low is not None:
        bound = f" >= {low}"
    elif high is not None:
        bound = f" <= {high}"
    else:
        bound = ""
    ok = not isinstance(value, bool) and isinstance(value, (int, np.integer))
    if not ok or (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be an int{bound}, got {value!r}.")
    return int(value)


# --- the company's tables -----------------------------------------------------------------
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


# --- survey answers (Likert items) --------------------------------------------------------
#: The answer scale of the company's survey: 1 (worst) to 5 (best).
SCALE = (1, 5)


def require_items(
    data: pd.DataFrame, items: object, default: list[str], *, minimum: int = 1, name: str = "data"
) -> list[str]:
    """Resolve the item columns of a survey function and check they exist.

    Parameters
    ----------
    data : DataFrame
        The answers, one sheet per row.
    items : str, list of str or None
        The items asked for; None takes ``default``.
    default : list of str
    minimum : int
        Fewest items the method needs.
    name : str
        The table's name in the message.

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        If ``data`` is not a non-empty DataFrame or fewer than ``minimum`` items are given.
    KeyError
        Naming the items that are not columns of ``data``.

    Examples
    --------
    >>> require_items(pd.DataFrame({"q1": [1]}), ["q1", "q2"], [], name="survey")
    Traceback (most recent call last):
    ...
    KeyError: "unknown item(s) ['q2']: survey has no such column; its columns are ['q1']."
    """
    require_frame(data, name)
    items = list(default if items is None else ([items] if isinstance(items, str) else items))
    unknown = [i for i in items if i not in data.columns]
    if unknown:
        raise KeyError(
            f"unknown item(s) {unknown}: {name} has no such column; "
            f"its columns are {list(data.columns)}."
        )
    if len(items) < minimum:
        raise ValueError(f"need at least {minimum} items, got {len(items)}: {items}.")
    return items


def check_scale(scale: tuple[float, float]) -> tuple[float, float]:
    """Return the answer scale ``(low, high)`` as floats.

    Parameters
    ----------
    scale : (low, high)

    Returns
    -------
    (float, float)

    Raises
    ------
    ValueError
        If ``scale`` is not a pair of numbers with low < high.

    Examples
    --------
    >>> check_scale((1, 5))
    (1.0, 5.0)
    >>> check_scale((5, 1))
    Traceback (most recent call last):
    ...
    ValueError: scale must have low < high, got (5, 1).
    """
    try:
        low, high = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise ValueError(f"scale must be a pair (low, high), got {scale!r}.") from None
    if not low < high:
        raise ValueError(f"scale must have low < high, got {scale!r}.")
    return low, high


def _answer_floats(col: pd.Series, item: str) -> np.ndarray:
    """One item as 1-D floats (NaN = missing): a view when it is already float64 (NaN is
    then its only missing value), else a converted copy."""
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        raise ValueError(f"item {item!r} must hold numeric answers, got dtype {col.dtype}.")
    if isinstance(col.dtype, np.dtype) and col.dtype == np.float64:
        return col.to_numpy(copy=False)
    return col.to_numpy(dtype=float, na_value=np.nan)


def _all_missing_error(item: str) -> ValueError:
    return ValueError(f"item {item!r} is all missing: an item needs at least one answer.")


def _scale_error(
    data: pd.DataFrame, item: str, values: np.ndarray, bad: np.ndarray, low: float, high: float
) -> ValueError:
    return ValueError(
        f"item {item!r} has answers outside the scale {low:g}..{high:g} in rows "
        f"{format_rows(data.index[bad])}: {np.unique(values[bad])[:5].tolist()}. Set "
        "out-of-range codes to missing first (clean_survey)."
    )


def numeric_answers(
    data: pd.DataFrame,
    items: list[str],
    scale: tuple[float, float] | None = SCALE,
    *,
    need_answers: bool = True,
) -> np.ndarray:
    """The answers to ``items`` as a float array (NaN = missing), checked.

    Parameters
    ----------
    data : DataFrame
    items : list of str
        Item columns (checked to exist by :func:`require_items` first).
    scale : (low, high) or None
        Answers must lie on it; None skips the range check.
    need_answers : bool
        Reject an item with no answer at all.

    Returns
    -------
    ndarray, shape (n_rows, n_items)

    Raises
    ------
    ValueError
        Naming the first item that is not numeric, has no answer, or has answers off the
        scale (with its rows and codes).

    Examples
    --------
    >>> numeric_answers(pd.DataFrame({"q1": [1, 9]}), ["q1"])
    Traceback (most recent call last):
    ...
    ValueError: item 'q1' has answers outside the scale 1..5 in rows [1]: [9.0]. Set \
out-of-range codes to missing first (clean_survey).
    """
    out = np.empty((len(data), len(items)))
    for j, item in enumerate(items):
        out[:, j] = _answer_floats(data[item], item)
    if need_answers:
        empty = np.isnan(out).all(axis=0)
        if empty.any():
            raise _all_missing_error(items[int(np.argmax(empty))])
    if scale is not None:
        low, high = check_scale(scale)
        bad = (out < low) | (out > high) | (np.isinf(out))
        if bad.any():
            j = int(np.argmax(bad.any(axis=0)))
            raise _scale_error(data, items[j], out[:, j], bad[:, j], low, high)
    return out


def answer_columns(
    data: pd.DataFrame,
    items: list[str],
    scale: tuple[float, float] | None = SCALE,
    *,
    need_answers: bool = True,
) -> list[np.ndarray]:
    """The answers to ``items`` as one 1-D float array each (NaN = missing).

    The checks and messages of :func:`numeric_answers` in the same order, but without
    copying the table: a float64 column comes back as a view of the frame's data. For
    large tables; never write into the arrays.

    Parameters
    ----------
    data : DataFrame
    items : list of str
    scale : (low, high) or None
    need_answers : bool

    Returns
    -------
    list of ndarray

    Raises
    ------
    ValueError
        As :func:`numeric_answers`.

    Examples
    --------
    >>> [a.tolist() for a in answer_columns(pd.DataFrame({"q1": [1.0, None]}), ["q1"])]
    [[1.0, nan]]
    """
    cols = [_answer_floats(data[item], item) for item in items]
    if not cols or len(data) == 0:  # nothing to scan: the table-wide checks decide
        numeric_answers(data, items, scale, need_answers=need_answers)
        return cols
    # NaN-ignoring min and max: NaN when all missing; +-inf show up as a min or max
    lows = [np.fmin.reduce(v) for v in cols]
    highs = [np.fmax.reduce(v) for v in cols]
    if need_answers:
        for item, lo in zip(items, lows, strict=True):
            if np.isnan(lo):
                raise _all_missing_error(item)
    if scale is not None:
        low, high = check_scale(scale)
        for item, v, lo, hi in zip(items, cols, lows, highs, strict=True):
            if lo < low or hi > high or np.isinf(lo) or np.isinf(hi):
                raise _scale_error(data, item, v, (v < low) | (v > high) | np.isinf(v), low, high)
    return cols


def row_mean(values: np.ndarray) -> np.ndarray:
    """Mean of the answered cells of each row; NaN for a row with none (no warning).

    Parameters
    ----------
    values : ndarray, shape (n_rows, n_items)
        NaN = missing.

    Returns
    -------
    ndarray, shape (n_rows,)

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> row_mean(np.array([[1.0, 3.0], [np.nan, 4.0], [np.nan, np.nan]])).tolist()
    [2.0, 4.0, nan]
    """
    count = (~np.isnan(values)).sum(axis=1)
    total = np.nansum(values, axis=1)
    return np.divide(total, count, out=np.full(count.shape, np.nan), where=count > 0)


def z_value(confidence: float) -> float:
    """The two-sided normal quantile of a confidence level.

    Parameters
    ----------
    confidence : float
        In (0, 1), e.g. 0.95.

    Returns
    -------
    float
        ``z`` with ``P(|Z| <= z) = confidence``.

    Raises
    ------
    ValueError
        If ``confidence`` is not in (0, 1).

    Examples
    --------
    >>> round(z_value(0.95), 4)
    1.96
    """
    conf = require_share(confidence, "confidence", closed_low=False, closed_high=False)
    return float(stats.norm.ppf(1 - (1 - conf) / 2))
