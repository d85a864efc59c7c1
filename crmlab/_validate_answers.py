"""Input checks, part 3: survey answers on a Likert scale (re-exported by
:mod:`crmlab._validate`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate_columns import format_rows, require_frame

__all__ = ["SCALE", "require_items", "check_scale", "numeric_answers", "answer_columns", "row_mean"]

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
