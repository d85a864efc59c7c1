"""The course's quantified evaluation system (量化评估体系) for chapter 05: five dimensions
scored as percentiles and combined by weights. Imported by :mod:`crmlab.value`, where
these names are public."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate import (
    require_frame,
    require_numeric,
)

#: The five dimensions of the course's quantified evaluation system (量化评估体系).
EVALUATION_DIMENSIONS = {
    "profit": "客户利润",
    "influence": "客户影响力",
    "loyalty": "客户忠诚度",
    "potential": "客户潜力",
    "satisfaction": "客户满意度",
}


def evaluation_scores(
    measures: pd.DataFrame, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """Score each customer on several dimensions and combine them (量化评估体系).

    The course's quantified evaluation system names five dimensions (profit, influence,
    loyalty, potential, satisfaction: :data:`EVALUATION_DIMENSIONS`) but no formulas or
    weights. Measured in different units, each dimension is turned into a score from 0 to
    100: the customer's percentile rank among the customers measured on it (rank / n x 100,
    ties sharing their average rank; the best customer scores 100). The total ``score`` is
    the weighted mean of the dimension scores a customer has: a customer not measured on a
    dimension (no survey answer, say) is scored on the others with their weights scaled up,
    and ``n_scored`` says on how many dimensions. ``rank`` 1 is the highest total.

    Parameters
    ----------
    measures : DataFrame
        One row per customer, one numeric column per dimension, larger = better (negate a
        measure where smaller is better); NaN = not measured.
    weights : dict, optional
        Column -> weight (non-negative, not all zero); default equal weights. Columns left
        out of ``weights`` get weight 0.

    Returns
    -------
    DataFrame
        Index of ``measures``; ``<column>_score`` per dimension, ``score``, ``n_scored``
        and ``rank``.

    Raises
    ------
    KeyError
        If ``weights`` names a column not in ``measures``.
    ValueError
        If ``measures`` is empty, a column is not numeric or holds no value at all, or a
        weight is negative or all weights are 0.

    Examples
    --------
    Profit 10, 40, 20, 30 scores 25, 100, 50, 75. Satisfaction 5, -, 3, 3 scores 100 for
    a, and 50 for c and d (tied at ranks 1 and 2 of 3: average 1.5 / 3). With weights 3
    and 1, a scores (3 x 25 + 100) / 4 = 43.75; b, not asked, keeps its profit score 100.

    >>> m = pd.DataFrame({"profit": [10, 40, 20, 30], "satisfaction": [5, None, 3, 3]},
    ...                  index=list("abcd"))
    >>> s = evaluation_scores(m, {"profit": 3, "satisfaction": 1})
    >>> s[["score", "n_scored", "rank"]].to_dict("list")
    {'score': [43.75, 100.0, 50.0, 68.75], 'n_scored': [2, 1, 2, 2], 'rank': [4, 1, 3, 2]}
    """
    require_frame(measures, "measures")
    columns = [str(c) for c in measures.columns]
    for column in columns:
        require_numeric(measures, column, allow_nan=True)
        if measures[column].notna().sum() == 0:
            raise ValueError(f"column {column!r} of measures holds no value to score.")
    given = {c: 1.0 for c in columns} if weights is None else dict(weights)
    unknown = sorted(set(given) - set(columns))
    if unknown:
        raise KeyError(f"weights name columns not in measures: {unknown}; it has {columns}.")
    bad = {c: w for c, w in given.items() if not np.isfinite(w) or w < 0}
    if bad:
        raise ValueError(f"weights must be finite and non-negative, got {bad}.")
    w = pd.Series({c: float(given.get(c, 0.0)) for c in columns})
    if w.sum() == 0:
        raise ValueError("all weights are 0: nothing to combine.")
    scores = measures[columns].astype(float).rank(method="average", pct=True) * 100
    present = scores.notna()
    weight = present.mul(w, axis=1)
    total = scores.fillna(0).mul(w, axis=1).sum(axis=1) / weight.sum(axis=1).replace(0, np.nan)
    out = scores.add_suffix("_score")
    out["score"] = total
    out["n_scored"] = present[w.index[w > 0]].sum(axis=1).astype(int)
    out["rank"] = total.rank(method="min", ascending=False).astype("Int64")
    return out
