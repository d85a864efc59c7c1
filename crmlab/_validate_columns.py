"""Input checks, part 1: frames, columns and scalars (re-exported by :mod:`crmlab._validate`).

Every helper raises ``KeyError`` for a missing column and ``ValueError`` for a bad value,
naming the column and the first offending rows (:func:`format_rows`).
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
    "require_naive_dates",
    "require_in_range",
    "as_float_array",
    "require_share",
    "require_positive",
    "require_int",
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
        kinds = {type(x).__name__ for x in values.dropna().head(1000)}
        if not bad.any() and kinds and kinds <= {"Decimal", "int", "float"}:
            # e.g. a DECIMAL column of a Parquet file or a database, read by pandas as
            # decimal.Decimal objects: numbers, but not a numeric dtype
            raise ValueError(
                f"column {column!r} must be numeric, got dtype {values.dtype}: its values "
                f"are numbers stored as Python objects ({', '.join(sorted(kinds))}; a Decimal "
                "comes from a DECIMAL column of a Parquet file or a database). Convert with "
                f"data[{column!r}].astype(float)."
            )
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


def require_naive_dates(data: pd.DataFrame, column: str) -> None:
    """Check that the dates of ``column`` carry no time zone (the reference dates they are
    compared with carry none, and the day of a purchase depends on the zone).

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
        If the column holds time-zone-aware timestamps, saying how to convert them.

    Examples
    --------
    >>> d = pd.DataFrame({"order_date": pd.to_datetime(["2024-01-01 23:30"]).tz_localize("UTC")})
    >>> require_naive_dates(d, "order_date")
    Traceback (most recent call last):
    ...
    ValueError: column 'order_date' holds timestamps with time zone UTC; convert them to \
local dates first, e.g. data['order_date'].dt.tz_convert('Asia/Shanghai').dt.tz_localize(None) \
(the day of a purchase depends on the zone).
    """
    zone = getattr(data[column].dtype, "tz", None)
    if zone is not None:
        raise ValueError(
            f"column {column!r} holds timestamps with time zone {zone}; convert them to "
            f"local dates first, e.g. data[{column!r}].dt.tz_convert('Asia/Shanghai')"
            ".dt.tz_localize(None) (the day of a purchase depends on the zone)."
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
    require_naive_dates(data, column)
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
