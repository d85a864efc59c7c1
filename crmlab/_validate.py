"""Input checks shared by every public function (one place, like scikit-learn's
``utils/validation.py``).

Each helper raises ``ValueError`` (or ``KeyError`` for missing columns) whose message
names the column and the first offending rows, so a student can find the problem.
Never use ``assert`` for input checks: ``python -O`` strips them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

_MAX_ROWS_SHOWN = 5


def _rows(index: Iterable) -> str:
    rows = [r.item() if isinstance(r, np.generic) else r for r in index]
    shown = ", ".join(repr(r) for r in rows[:_MAX_ROWS_SHOWN])
    more = f" and {len(rows) - _MAX_ROWS_SHOWN} more" if len(rows) > _MAX_ROWS_SHOWN else ""
    return f"[{shown}]{more}"


def require_frame(data: object, name: str = "data") -> pd.DataFrame:
    """Return ``data`` if it is a non-empty DataFrame, else raise ``ValueError``."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(data).__name__}.")
    if data.empty:
        raise ValueError(f"{name} is empty: it has no rows.")
    return data


def require_columns(data: pd.DataFrame, columns: Sequence[str], name: str = "data") -> None:
    """Raise ``KeyError`` naming every column of ``columns`` missing from ``data``."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(
            f"{name} has no column(s) {missing}; its columns are {list(data.columns)}."
        )


def require_numeric(data: pd.DataFrame, column: str, *, allow_nan: bool = False) -> None:
    """Raise ``ValueError`` if ``column`` is not numeric or holds NaN/inf values."""
    values = data[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise ValueError(f"column {column!r} must be numeric, got dtype {values.dtype}.")
    finite = np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
    bad = ~finite if not allow_nan else np.isinf(values.to_numpy(dtype=float, na_value=0.0))
    if bad.any():
        raise ValueError(
            f"column {column!r} has missing or infinite values in rows "
            f"{_rows(data.index[bad])}. Try data[{column!r}].isna() to find them."
        )


def require_non_negative(data: pd.DataFrame, column: str) -> None:
    """Raise ``ValueError`` naming the rows where ``column`` is negative."""
    require_numeric(data, column)
    bad = data[column].to_numpy() < 0
    if bad.any():
        raise ValueError(
            f"column {column!r} has negative values in rows {_rows(data.index[bad])}."
        )


def require_no_missing(data: pd.DataFrame, column: str) -> None:
    """Raise ``ValueError`` naming the rows where ``column`` is missing."""
    bad = data[column].isna().to_numpy()
    if bad.any():
        raise ValueError(f"column {column!r} has missing values in rows {_rows(data.index[bad])}.")


def require_dates_not_after(data: pd.DataFrame, column: str, as_of: object) -> pd.Timestamp:
    """Raise ``ValueError`` naming rows whose ``column`` date lies after ``as_of``."""
    as_of_ts = pd.Timestamp(as_of)
    if not pd.api.types.is_datetime64_any_dtype(data[column]):
        raise ValueError(
            f"column {column!r} must hold dates (datetime64), got dtype {data[column].dtype}."
        )
    bad = (data[column] > as_of_ts).to_numpy()
    if bad.any():
        raise ValueError(
            f"column {column!r} has dates after as_of={as_of_ts.date()} in rows "
            f"{_rows(data.index[bad])}."
        )
    return as_of_ts


def require_in_range(
    data: pd.DataFrame, column: str, low: float, high: float, *, allow_nan: bool = True
) -> None:
    """Raise ``ValueError`` naming rows where ``column`` lies outside ``[low, high]``."""
    require_numeric(data, column, allow_nan=allow_nan)
    values = data[column]
    bad = ((values < low) | (values > high)).to_numpy(dtype=bool, na_value=False)
    if bad.any():
        raise ValueError(
            f"column {column!r} has values outside [{low}, {high}] in rows "
            f"{_rows(data.index[bad])}: {values[bad].head(_MAX_ROWS_SHOWN).tolist()}."
        )


def as_float_array(values: object, name: str = "values") -> np.ndarray:
    """Return ``values`` as a 1-D float array, raising ``ValueError`` on bad input.

    Rejects empty input, non-numeric entries and NaN/inf, naming the first positions.
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
        where = _rows(np.asarray(index)[bad])
        raise ValueError(f"{name} has missing or infinite values at {where}.")
    return arr


def require_share(
    value: float, name: str, *, closed_low: bool = True, closed_high: bool = True
) -> float:
    """Raise ``ValueError`` unless ``value`` is a number in [0, 1] (ends as stated)."""
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
