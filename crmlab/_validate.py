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
from scipy import stats

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
        raise KeyError(f"{name} has no column(s) {missing}; its columns are {list(data.columns)}.")


def require_numeric(data: pd.DataFrame, column: str, *, allow_nan: bool = False) -> None:
    """Raise ``ValueError`` if ``column`` is not numeric or holds NaN/inf values.

    For a text column the message names the rows whose values are not numbers."""
    values = data[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        if pd.api.types.is_bool_dtype(values):
            coerced = pd.Series(np.nan, index=values.index)
        else:
            coerced = pd.to_numeric(values, errors="coerce")
        bad = (coerced.isna() & values.notna()).to_numpy()
        rows = _rows(data.index[bad]) if bad.any() else "none (numbers stored as text)"
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
            f"{_rows(data.index[bad])}. Try data[{column!r}].isna() to find them."
        )


def require_non_negative(data: pd.DataFrame, column: str) -> None:
    """Raise ``ValueError`` naming the rows where ``column`` is negative."""
    require_numeric(data, column)
    bad = data[column].to_numpy() < 0
    if bad.any():
        raise ValueError(f"column {column!r} has negative values in rows {_rows(data.index[bad])}.")


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


def require_positive(value: object, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a finite float > 0 (>= 0 with ``allow_zero``), else raise
    ``ValueError`` naming ``name``."""
    bound = ">= 0" if allow_zero else "> 0"
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number {bound}, got {value!r}.") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise ValueError(f"{name} must be a number {bound}, got {value!r}.")
    return v


# --- survey answers (Likert items) ------------------------------------------------------
SCALE = (1, 5)


def require_items(
    data: pd.DataFrame, items: object, default: list[str], *, minimum: int = 1, name: str = "data"
) -> list[str]:
    require_frame(data, name)
    items = list(default if items is None else ([items] if isinstance(items, str) else items))
    unknown = [i for i in items if i not in data.columns]
    if unknown:
        raise ValueError(
            f"unknown item(s) {unknown}: {name} has no such column; "
            f"its columns are {list(data.columns)}."
        )
    if len(items) < minimum:
        raise ValueError(f"need at least {minimum} items, got {len(items)}: {items}.")
    return items


def check_scale(scale: tuple[float, float]) -> tuple[float, float]:
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
    rows = data.index[bad][:5].tolist()
    return ValueError(
        f"item {item!r} has answers outside the scale {low:g}..{high:g} in rows "
        f"{rows}: {np.unique(values[bad])[:5].tolist()}. Set out-of-range codes "
        "to missing first (clean_survey)."
    )


def numeric_answers(
    data: pd.DataFrame,
    items: list[str],
    scale: tuple[float, float] | None = SCALE,
    *,
    need_answers: bool = True,
) -> np.ndarray:
    """Items as a float array (NaN = missing); raise naming an item that breaks a rule."""
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
    """Items as one 1-D float array each (NaN = missing), with the checks and messages of
    :func:`numeric_answers` in the same order, but without copying the table: a float64
    column comes back as a view of the frame's data. For large tables; never write into
    the arrays."""
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
    """Mean of the answered cells of each row; NaN for a row with none (no warning)."""
    count = (~np.isnan(values)).sum(axis=1)
    total = np.nansum(values, axis=1)
    return np.divide(total, count, out=np.full(count.shape, np.nan), where=count > 0)


def z_value(confidence: float) -> float:
    conf = require_share(confidence, "confidence", closed_low=False, closed_high=False)
    return float(stats.norm.ppf(1 - (1 - conf) / 2))
