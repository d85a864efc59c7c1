"""Chapter 01, reliability (信度) of the survey's scales: Cronbach's alpha with Feldt's
interval, item analysis, several scales at once and the scale scores. Part of
:mod:`crmlab.survey`, which imports everything from here: use it through ``survey``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from crmlab._schema import RQ_SCALES
from crmlab._validate import (
    SCALE,
    numeric_answers,
    require_items,
    require_share,
    row_mean,
)

__all__ = [
    "RELATIONSHIP_SCALES",
    "NAN_POLICIES",
    "AlphaEstimate",
    "cronbach_alpha",
    "item_analysis",
    "scale_reliability",
    "scale_scores",
]

#: Relationship-quality scales (关系质量, [CRM essay]): trust, satisfaction, belonging, friendship.
RELATIONSHIP_SCALES: dict[str, list[str]] = {
    scale: [f"rq_{scale}{j}" for j in range(1, k + 1)] for scale, k in RQ_SCALES.items()
}


def _cov(values: np.ndarray) -> np.ndarray:
    return pd.DataFrame(values).cov().to_numpy()  # pairwise complete, like psych's default


def _alpha_from_cov(c: np.ndarray) -> float:
    k = c.shape[0]
    return float(k / (k - 1) * (1 - np.trace(c) / c.sum()))


NAN_POLICIES = ("pairwise", "listwise")


class AlphaEstimate(float):
    """Cronbach's alpha: a ``float`` (the estimate) that also carries its interval.

    Use it as the number it is (``round(a, 3)``, ``a > 0.7``, ``f"{a}"``, in a table);
    the extra attributes say how it was computed, :meth:`summary` gives them as a table.
    Deliberately a number rather than a :class:`crmlab._results.Result`, so that every
    use of alpha as a number keeps working.

    Attributes
    ----------
    ci_low, ci_high : float
        Feldt's interval at :attr:`confidence`.
    confidence : float
    n : int
        Rows (answer sheets) the interval counts.
    n_items : int
    n_complete : int
        Sheets that answer every item (the rows used under ``nan_policy="listwise"``).
    nan_policy : str
    """

    ci_low: float
    ci_high: float
    confidence: float
    n: int
    n_items: int
    n_complete: int
    nan_policy: str

    @property
    def ci(self) -> tuple[float, float]:
        """(lower, upper): Feldt's confidence interval."""
        return (self.ci_low, self.ci_high)

    def summary(self) -> pd.DataFrame:
        """The estimate and its interval as a one-row table."""
        return pd.DataFrame(
            {
                "alpha": [float(self)],
                "ci_low": [self.ci_low],
                "ci_high": [self.ci_high],
                "n": [self.n],
                "n_items": [self.n_items],
                "nan_policy": [self.nan_policy],
            }
        )


def cronbach_alpha(
    data: pd.DataFrame,
    *,
    items: list[str] | None = None,
    scale: tuple[float, float] | None = None,
    standardized: bool = False,
    nan_policy: str = "pairwise",
    confidence: float = 0.95,
) -> AlphaEstimate:
    """Cronbach's alpha (克朗巴哈系数, Cronbach 1951) of a scale, with Feldt's interval.

    ``alpha = k / (k − 1) × (1 − Σ var_i / var_total)`` from the item covariance matrix;
    the standardized alpha uses the correlation matrix instead. Reverse-code items first.
    Missing answers: ``nan_policy="pairwise"`` estimates each covariance from the sheets
    answering both items (psych ``alpha()``'s default, ``use = "pairwise"``; pingouin's
    default); ``"listwise"`` keeps only the sheets answering every item (psych
    ``use = "complete.obs"``). The interval is Feldt's (Feldt, Woodruff & Salih 1987):
    ``1 − (1 − alpha) F``, F the upper and lower (1 − confidence)/2 quantiles of
    F(n − 1, (n − 1)(k − 1)), with n the rows of ``data`` as in psych and pingouin
    (also under listwise deletion, where it then overstates the information).

    Parameters
    ----------
    data : DataFrame
    items : list of str, optional
        At least two item columns; default every column of ``data``.
    scale : (low, high), optional
        The answer scale, e.g. ``(1, 5)`` for the company's survey or ``(1, 6)`` for
        ``bfi``: answers off it raise an error. Default: no scale assumed (any numbers).
    standardized : bool, default False
    nan_policy : {"pairwise", "listwise"}
    confidence : float, default 0.95
        Level of the interval.

    Returns
    -------
    AlphaEstimate
        A float (alpha) with ``ci``, ``ci_low``, ``ci_high``, ``n``, ``n_items``.

    Raises
    ------
    KeyError
        If an item is not a column.
    ValueError
        Fewer than two items; an unknown, all-missing, non-numeric item; answers outside
        ``scale``; an unknown ``nan_policy``; fewer than two complete sheets under
        listwise deletion; a scale with zero total variance.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika 16, 297-334. Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987).
    Statistical inference for coefficient alpha. Applied Psychological Measurement 11(1),
    93-103. Revelle, W. psych: ``alpha()``; Vallat, R. pingouin: ``cronbach_alpha``.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> a = cronbach_alpha(df)  # 3/2 x (1 - 17/3 / 15), covariances by hand
    >>> round(a, 4), [round(v, 3) for v in a.ci]
    (0.9333, [0.56, 0.995])
    """
    if nan_policy not in NAN_POLICIES:
        raise ValueError(f"nan_policy must be one of {list(NAN_POLICIES)}, got {nan_policy!r}.")
    confidence = require_share(confidence, "confidence", closed_low=False, closed_high=False)
    items = require_items(
        data, items, list(data.columns) if isinstance(data, pd.DataFrame) else [], minimum=2
    )
    values = numeric_answers(data, items, scale)
    complete = ~np.isnan(values).any(axis=1)
    if nan_policy == "listwise":
        if complete.sum() < 2:
            raise ValueError(
                f"only {int(complete.sum())} sheet(s) answer all of {items}: listwise "
                "deletion leaves too few for a covariance; use nan_policy='pairwise'."
            )
        values = values[complete]
    c = _cov(values)
    if standardized:
        d = np.sqrt(np.diag(c))
        c = c / np.outer(d, d)
    if not np.isfinite(c).all() or c.sum() <= 0:
        raise ValueError(
            f"items {items} have no common variance: alpha is undefined "
            "(an item without variation, or too few joint answers)."
        )
    alpha = _alpha_from_cov(c)
    n, k = len(data), len(items)
    tail = (1 - confidence) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    out = AlphaEstimate(alpha)
    out.ci_low = float(1 - (1 - alpha) * stats.f.isf(tail, df1, df2))
    out.ci_high = float(1 - (1 - alpha) * stats.f.isf(1 - tail, df1, df2))
    out.confidence, out.n, out.n_items = confidence, n, k
    out.n_complete, out.nan_policy = int(complete.sum()), nan_policy
    return out


def item_analysis(
    data: pd.DataFrame, *, items: list[str] | None = None, scale: tuple[float, float] | None = None
) -> pd.DataFrame:
    """Item statistics of a scale: mean, sd, answers, corrected item-total correlation
    (``r_drop``: item against the sum of the *other* items, psych's ``r.drop``) and alpha
    if the item is deleted, all from the pairwise covariance matrix.

    An item with a low or negative ``r_drop`` and a higher ``alpha_if_deleted`` than the
    scale's alpha does not measure what the others measure (or needs reverse coding).

    Parameters
    ----------
    data : DataFrame
        Answers, one sheet per row.
    items : list of str, optional
        The scale's items (at least three); default every column.
    scale : (low, high) or None
        Answer scale (None: no range check).

    Returns
    -------
    DataFrame
        Index item; ``mean``, ``sd``, ``n``, ``r_drop``, ``alpha_if_deleted``.

    Raises
    ------
    ValueError
        As :func:`cronbach_alpha`; also for fewer than three items (alpha-if-deleted needs
        two items left).

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> item_analysis(df)["alpha_if_deleted"].round(3).tolist()
    [0.8, 0.96, 0.941]
    """
    items = require_items(
        data, items, list(data.columns) if isinstance(data, pd.DataFrame) else [], minimum=3
    )
    values = numeric_answers(data, items, scale)
    c = _cov(values)
    k = len(items)
    r_drop, alpha_del = np.empty(k), np.empty(k)
    for i in range(k):
        rest = np.delete(np.arange(k), i)
        sub = c[np.ix_(rest, rest)]
        r_drop[i] = c[i, rest].sum() / np.sqrt(c[i, i] * sub.sum())
        alpha_del[i] = _alpha_from_cov(sub)
    return pd.DataFrame(
        {
            "mean": np.nanmean(values, axis=0),
            "sd": np.sqrt(np.diag(c)),
            "n": (~np.isnan(values)).sum(axis=0),
            "r_drop": r_drop,
            "alpha_if_deleted": alpha_del,
        },
        index=pd.Index(items, name="item"),
    )


def scale_reliability(
    data: pd.DataFrame,
    *,
    scales: dict[str, list[str]] | None = None,
    scale: tuple[float, float] | None = SCALE,
) -> pd.DataFrame:
    """Alpha (raw and standardized) of several scales; default :data:`RELATIONSHIP_SCALES`.

    Reverse-code items first. ``n_complete`` counts the sheets answering every item.

    Parameters
    ----------
    data : DataFrame
        Answers, one sheet per row, reverse-coded.
    scales : dict, optional
        ``{scale: [items]}``, at least two items each; default
        :data:`RELATIONSHIP_SCALES`.
    scale : (low, high) or None
        Answer scale.

    Returns
    -------
    DataFrame
        Index scale; ``n_items``, ``alpha``, ``alpha_std``, ``n_complete``.

    Raises
    ------
    KeyError
        If an item is not a column.
    ValueError
        As :func:`cronbach_alpha`.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> scale_reliability(df, scales={"s": ["a", "b", "c"]})["alpha"].round(4).tolist()
    [0.9333]
    """
    scales = RELATIONSHIP_SCALES if scales is None else scales
    rows = {}
    for name, items in scales.items():
        items = require_items(data, items, [], minimum=2)
        rows[name] = {
            "n_items": len(items),
            "alpha": cronbach_alpha(data, items=items, scale=scale),
            "alpha_std": cronbach_alpha(data, items=items, scale=scale, standardized=True),
            "n_complete": int(data[items].notna().all(axis=1).sum()),
        }
    out = pd.DataFrame(rows).T.rename_axis("scale")
    return out.astype({"n_items": int, "n_complete": int})


def scale_scores(
    data: pd.DataFrame,
    *,
    scales: dict[str, list[str]] | None = None,
    scale: tuple[float, float] | None = SCALE,
    min_share: float = 0.5,
) -> pd.DataFrame:
    """Score of each respondent on each scale: the mean of the answered items, missing
    when fewer than ``min_share`` of the scale's items are answered. Reverse-code first.

    Parameters
    ----------
    data : DataFrame
        Answers, one sheet per row, reverse-coded.
    scales : dict, optional
        ``{scale: [items]}``; default :data:`RELATIONSHIP_SCALES`.
    scale : (low, high) or None
        Answer scale.
    min_share : float
        Share of a scale's items that must be answered, in [0, 1].

    Returns
    -------
    DataFrame
        Same index; one score column per scale.

    Raises
    ------
    KeyError
        If an item is not a column.
    ValueError
        If answers are not numeric or off the scale, or ``min_share`` is outside [0, 1].

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, None], "b": [3, None], "c": [2, 4]})
    >>> scale_scores(df, scales={"s": ["a", "b", "c"]})["s"].tolist()
    [2.0, nan]
    """
    scales = RELATIONSHIP_SCALES if scales is None else scales
    share = require_share(min_share, "min_share")
    out = {}
    for name, items in scales.items():
        items = require_items(data, items, [])
        values = numeric_answers(data, items, scale, need_answers=False)
        enough = (~np.isnan(values)).sum(axis=1) >= share * len(items)
        out[name] = np.where(enough, row_mean(values), np.nan)
    return pd.DataFrame(out, index=data.index)
