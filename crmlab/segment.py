"""Chapter 02, customer segmentation (客户细分). For now: value concentration, which
chapter 00 uses to test the 80/20 rule (二八定律)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate import as_float_array, require_share

__all__ = ["lorenz_curve", "gini", "top_share"]


def _non_negative(values: object, name: str = "values") -> np.ndarray:
    arr = as_float_array(values, name)
    bad = np.flatnonzero(arr < 0)
    if bad.size:
        raise ValueError(
            f"{name} has negative values at positions {bad[:5].tolist()}"
            f"{' and more' if bad.size > 5 else ''}: concentration measures need values >= 0 "
            "(for profit with losses use a whale curve instead)."
        )
    if arr.sum() == 0:
        raise ValueError(f"{name} sum to zero: there is nothing to concentrate.")
    return arr


def lorenz_curve(values: object) -> pd.DataFrame:
    """Lorenz curve of ``values`` (e.g. revenue per customer).

    Customers are sorted from smallest to largest; row ``k`` gives the share of customers
    ``k/n`` and the share of the total they hold. The curve starts at (0, 0) and ends at
    (1, 1); the further it sags below the diagonal, the more concentrated the values.

    Parameters
    ----------
    values : array-like of float
        Non-negative values, one per customer.

    Returns
    -------
    DataFrame
        Columns ``customer_share`` and ``value_share``, ``n + 1`` rows.

    Raises
    ------
    ValueError
        If ``values`` is empty, non-numeric, holds NaN or negative values, or sums to 0.

    Examples
    --------
    >>> lorenz_curve([1, 3]).round(2).to_dict("list")
    {'customer_share': [0.0, 0.5, 1.0], 'value_share': [0.0, 0.25, 1.0]}
    """
    arr = np.sort(_non_negative(values))
    n = arr.size
    return pd.DataFrame({
        "customer_share": np.arange(n + 1) / n,
        "value_share": np.concatenate([[0.0], np.cumsum(arr) / arr.sum()]),
    })


def gini(values: object) -> float:
    """Gini coefficient of ``values``: 0 when all customers are worth the same, towards 1
    when one customer holds everything.

    Computed as ``G = 2 * sum(i * x_(i)) / (n * sum(x)) - (n + 1) / n`` with ``x`` sorted
    ascending and ``i = 1..n``; this equals the mean absolute difference over all pairs
    divided by twice the mean, and twice the area between the diagonal and the Lorenz
    curve drawn as steps (no small-sample correction).

    Examples
    --------
    >>> gini([1, 2, 3, 4, 10])
    0.4
    """
    arr = np.sort(_non_negative(values))
    n = arr.size
    i = np.arange(1, n + 1)
    return float(round(2 * np.sum(i * arr) / (n * arr.sum()) - (n + 1) / n, 12))


def top_share(values: object, fraction: float = 0.2) -> float:
    """Share of the total held by the top ``fraction`` of customers.

    The top group is the ``ceil(fraction * n)`` largest values (so with 5 customers and
    ``fraction=0.2`` it is the single largest). The 80/20 rule (二八定律) claims
    ``top_share(revenue, 0.2)`` is about 0.8.

    Examples
    --------
    >>> top_share([1, 2, 3, 4, 10], 0.2)
    0.5
    """
    frac = require_share(fraction, "fraction", closed_low=False)
    arr = np.sort(_non_negative(values))[::-1]
    k = int(np.ceil(round(frac * arr.size, 9)))
    return float(arr[:k].sum() / arr.sum())
