"""Chapter 01, customer survey analysis (客户调查分析): from the questionnaire to scores.

The steps of the course ([CRM slides], [CRM essay], [CRM textbook]; course notes §1) before
any satisfaction figure: data processing (数据处理: :func:`validation_report`,
:func:`clean_survey`, :func:`reverse_code`), reliability (信度: :func:`cronbach_alpha`,
:func:`item_analysis`, :func:`scale_reliability`, :func:`scale_scores`) and structure
(:func:`factor_structure`, statsmodels' factor analysis). Sampling design is in
:mod:`crmlab.sampling`; satisfaction (SERVQUAL gaps, classes, drivers, indicators) in
:mod:`crmlab.satisfaction`. Defaults match the synthetic company's survey
(``datasets/company.md``, ``datasets/survey_instrument.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from crmlab import _factor_math
from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._results import Result
from crmlab._schema import REVERSE_ITEMS, RQ_SCALES, SERVICE_DIMENSIONS, SURVEY_ITEMS
from crmlab._validate import (
    SCALE,
    answer_columns,
    check_scale,
    numeric_answers,
    require_columns,
    require_items,
    require_share,
    row_mean,
)

__all__ = [
    "SERVQUAL_ITEMS",
    "RELATIONSHIP_SCALES",
    "validation_report",
    "clean_survey",
    "reverse_code",
    "cronbach_alpha",
    "AlphaEstimate",
    "item_analysis",
    "scale_reliability",
    "scale_scores",
    "factor_structure",
    "FactorResult",
]

#: SERVQUAL items of the synthetic survey: dimension -> expectation and perception items.
SERVQUAL_ITEMS: dict[str, dict[str, list[str]]] = {
    dim: {
        kind: [i for i in SURVEY_ITEMS if i.startswith(f"{kind[:3]}_{dim[:3]}")]
        for kind in ("expectation", "perception")
    }
    for dim in SERVICE_DIMENSIONS
}
#: Relationship-quality scales (关系质量, [CRM essay]): trust, satisfaction, belonging, friendship.
RELATIONSHIP_SCALES: dict[str, list[str]] = {
    scale: [f"rq_{scale}{j}" for j in range(1, k + 1)] for scale, k in RQ_SCALES.items()
}


# --- data processing (数据处理) ----------------------------------------------------------
def _count_dtype(k: int) -> type:
    """Smallest integer type that counts to ``k`` per row (a 1M-row int64 counter is 8 MB)."""
    return np.int8 if k < 2**7 else np.int16 if k < 2**15 else np.int64


def _check_cells(
    columns: list[np.ndarray], low: float, high: float, min_answers: int, codes: bool = False
) -> dict:
    """The per-cell rules of :func:`validation_report`, one item column at a time (no
    sheets x items float copy): per item the missing and out-of-range counts (and with
    ``codes`` the distinct out-of-range codes), per sheet the missing and out-of-range
    counts and the straight-liner flag."""
    n, k = len(columns[0]), len(columns)
    counter = _count_dtype(k)
    n_missing, n_oor, n_ok = (np.zeros(n, counter) for _ in range(3))
    lo, hi = np.full(n, np.inf), np.full(n, -np.inf)
    item_missing, item_oor, found = np.empty(k, np.int64), np.empty(k, np.int64), []
    for j, v in enumerate(columns):
        missing = np.isnan(v)
        oor = (v < low) | (v > high)  # NaN compares False: never both
        ok = ~(missing | oor)  # an in-range answer
        n_missing += missing
        n_oor += oor
        n_ok += ok
        np.fmin(lo, v, out=lo, where=ok)  # min and max of the in-range answers of a sheet
        np.fmax(hi, v, out=hi, where=ok)
        item_missing[j], item_oor[j] = np.count_nonzero(missing), np.count_nonzero(oor)
        if codes:
            found.append(np.unique(v[oor]))
    return {
        "item_missing": item_missing,
        "item_oor": item_oor,
        "codes": found,
        "n_missing": n_missing.astype(np.int64),
        "n_oor": n_oor.astype(np.int64),
        "straight": (n_ok >= min_answers) & (lo == hi),
    }


def validation_report(
    survey: pd.DataFrame,
    *,
    items: list[str] | None = None,
    scale: tuple[float, float] = SCALE,
    customer_id: str = "customer_id",
    per: str = "check",
) -> pd.DataFrame:
    """Check raw answers (数据检查) before any analysis; a table, not prints.

    Rules: an answer outside ``scale`` is an **out-of-range code** (data-entry error);
    **missing** is no answer; a **straight-liner** gave the same in-range answer to every
    item answered (at least half of ``items``; a genuine respondent varies, not least on
    reverse-coded items); a **duplicate** is a later sheet of a respondent already seen
    earlier in the row order.

    Parameters
    ----------
    survey : DataFrame
        One answer sheet per row.
    items : list of str, optional
        Item columns; default the company's 36 items (``crmlab._schema.SURVEY_ITEMS``).
    scale : (low, high), default (1, 5)
    customer_id : str, default "customer_id"
    per : {"check", "item", "row"}
        ``check``: one row per rule with counts and shares; ``item``: per item, answers,
        missing, out of range and the codes found; ``row``: per sheet, the flags.

    Returns
    -------
    DataFrame

    Raises
    ------
    KeyError
        If an item is not a column.
    ValueError
        If an item is not numeric, or ``per`` is unknown.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["a", "b", "a"], "q1": [1, 9, 2], "q2": [1, None, 3]})
    >>> validation_report(df, items=["q1", "q2"])["count"].tolist()
    [1, 1, 1, 1, 3]
    """
    if per not in ("check", "item", "row"):
        raise ValueError(f"per must be 'check', 'item' or 'row', got {per!r}.")
    items = require_items(survey, items, SURVEY_ITEMS, name="survey")
    require_columns(survey, [customer_id], "survey")
    columns = answer_columns(survey, items, None, need_answers=False)
    low, high = check_scale(scale)
    n_sheets, n_cells = len(survey), len(survey) * len(items)
    cells = _check_cells(
        columns, low, high, max(2, int(np.ceil(len(items) / 2))), codes=per == "item"
    )
    if per == "item":
        codes = [
            sorted({int(v) if float(v).is_integer() else float(v) for v in found})
            for found in cells["codes"]
        ]
        missing, oor = cells["item_missing"], cells["item_oor"]
        return pd.DataFrame(
            {
                "answered": n_sheets - missing - oor,
                "missing": missing,
                "out_of_range": oor,
                "share_missing": missing / n_sheets,
                "share_out_of_range": oor / n_sheets,
                "codes": codes,
            },
            index=pd.Index(items, name="item"),
        )
    straight = cells["straight"]
    dup = survey[customer_id].duplicated(keep="first").to_numpy()
    rows = pd.DataFrame(
        {
            "n_missing": cells["n_missing"],
            "n_out_of_range": cells["n_oor"],
            "straightliner": straight,
            "duplicate": dup,
        },
        index=survey.index,
    )
    rows["any_problem"] = (
        (rows["n_missing"] > 0)
        | (rows["n_out_of_range"] > 0)
        | rows["straightliner"]
        | rows["duplicate"]
    )
    if per == "row":
        return rows
    missing_cells, oor_cells = int(cells["item_missing"].sum()), int(cells["item_oor"].sum())
    checks = [
        ("missing answers (cells)", missing_cells, n_cells, "no answer"),
        ("out-of-range codes (cells)", oor_cells, n_cells, f"answer outside {low:g}..{high:g}"),
        (
            "straight-liners (sheets)",
            int(straight.sum()),
            n_sheets,
            "same answer to every item answered (at least half the items)",
        ),
        (
            "duplicate respondents (sheets)",
            int(dup.sum()),
            n_sheets,
            f"{customer_id} already answered on an earlier row",
        ),
        ("sheets with any problem", int(rows["any_problem"].sum()), n_sheets, "any of the above"),
    ]
    out = pd.DataFrame(checks, columns=["check", "count", "of", "rule"]).set_index("check")
    out.insert(2, "share", out["count"] / out["of"])
    return out


def clean_survey(
    survey: pd.DataFrame,
    *,
    items: list[str] | None = None,
    scale: tuple[float, float] = SCALE,
    customer_id: str = "customer_id",
    drop_straightliners: bool = True,
) -> pd.DataFrame:
    """Clean raw answers (数据清洗) by the rules of :func:`validation_report`.

    Steps, in order: (1) out-of-range codes become missing (an entry error carries no
    answer); (2) duplicate respondents: **keep the first sheet** in row order (the
    synthetic survey is sorted by date, so the earliest answer) and drop later ones;
    (3) straight-liners are dropped (``drop_straightliners``). Missing answers stay
    missing: nothing is imputed. Reverse coding is a separate step (:func:`reverse_code`).

    Parameters
    ----------
    survey : DataFrame
        Raw answers, one sheet per row (the company's ``survey`` table).
    items : list of str, optional
        Item columns; default the company's 36 items.
    scale : (low, high)
        Answer scale.
    customer_id : str
        Respondent column (a later sheet of the same customer is a duplicate).
    drop_straightliners : bool
        Drop sheets with the same answer to every item.

    Returns
    -------
    DataFrame
        A copy with the original index of the kept rows; items as float (NaN = missing).

    Raises
    ------
    KeyError
        If an item or ``customer_id`` is not a column.
    ValueError
        If ``survey`` is empty or an item is not numeric.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["a", "b", "a"], "q1": [4, 9, 2], "q2": [2, 3, 3]})
    >>> clean_survey(df, items=["q1", "q2"])["q1"].tolist()
    [4.0, nan]
    """
    items = require_items(survey, items, SURVEY_ITEMS, name="survey")
    report = validation_report(survey, items=items, scale=scale, customer_id=customer_id, per="row")
    low, high = check_scale(scale)
    out = survey.copy()
    values = numeric_answers(survey, items, None, need_answers=False)
    values[(values < low) | (values > high)] = np.nan
    out[items] = values
    keep = ~report["duplicate"] & ~(report["straightliner"] & drop_straightliners)
    return out.loc[keep.to_numpy()]


def reverse_code(
    data: pd.DataFrame, *, items: list[str] | None = None, scale: tuple[float, float] = SCALE
) -> pd.DataFrame:
    """Reverse-code items (反向计分): ``x -> low + high − x`` (1..5: 1 <-> 5, 2 <-> 4).

    Default ``items``: the company's reverse-coded items (``rq_trust3``, ``rq_belong3``).

    Parameters
    ----------
    data : DataFrame
        Answers, one sheet per row.
    items : list of str, optional
        Items to reverse; default the company's reverse-coded items.
    scale : (low, high)
        Answer scale.

    Returns
    -------
    DataFrame
        A copy with the items reversed (as floats); other columns unchanged.

    Raises
    ------
    KeyError
        If an item is not a column.
    ValueError
        If an item has answers outside ``scale``.

    Examples
    --------
    >>> reverse_code(pd.DataFrame({"q": [1, 2, 5]}), items=["q"])["q"].tolist()
    [5.0, 4.0, 1.0]
    """
    items = require_items(data, items, REVERSE_ITEMS)
    low, high = check_scale(scale)
    values = numeric_answers(data, items, scale, need_answers=False)
    out = data.copy()
    out[items] = low + high - values
    return out


# --- reliability and structure (信度与结构) ----------------------------------------------
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


@dataclass
class FactorResult(Result):
    """Exploratory factor analysis checked against the intended dimensions.

    Attributes
    ----------
    loadings : DataFrame
        Items x factors (rotated); factors named after the dimensions.
    check : DataFrame
        Per item: ``intended``, ``loads_on``, ``loading``, ``as_intended``.
    n_obs : int
        Complete answer sheets (the ``nobs`` of the fit; the correlations are pairwise).
    rotation : str
    share_as_intended : float
        Share of items that load most on their intended dimension.
    method : str
        Extraction: ``minres``, ``pa`` or ``ml``.
    communality : Series
        Per item, the share of its variance the factors explain (h², before rotation).
    heywood : list of str
        Items with a communality of 0.995 or more (a Heywood case: the factors explain
        all of the item, its uniqueness is at the bound). The solution is then improper,
        typically a factor carried by one or two items.
    converged : bool
    n_iter : int
        Optimiser iterations (minres, ml); for principal axis the iteration limit
        (statsmodels does not report how many it used).
    """

    title = N_("Exploratory factor analysis (探索性因子分析)")

    loadings: pd.DataFrame  # items x factors (rotated), factors named after dimensions
    check: pd.DataFrame  # per item: intended, loads_on, loading, as_intended
    n_obs: int
    rotation: str
    method: str = "minres"
    communality: pd.Series | None = None
    heywood: list | None = None
    converged: bool = True
    n_iter: int = 0

    @property
    def share_as_intended(self) -> float:
        return float(self.check["as_intended"].mean())

    def notes(self) -> list[str]:
        lines = [
            _(
                "n = {n}, {method} extraction, rotation {rotation}; {share} of the items "
                "load most on their intended dimension"
            ).format(
                n=self.n_obs,
                method=self.method,
                rotation=self.rotation,
                share=f"{self.share_as_intended:.0%}",
            )
        ]
        if self.heywood:
            lines.append(
                _("Heywood case (communality >= 0.995): {items}").format(
                    items=", ".join(self.heywood)
                )
            )
        if not self.converged:
            lines.append(_("not converged after {n} iterations").format(n=self.n_iter))
        return lines

    def summary(self) -> pd.DataFrame:
        """Loadings with the check columns beside them."""
        return self.loadings.join(self.check[["intended", "loads_on", "as_intended"]])


def factor_structure(
    data: pd.DataFrame,
    *,
    dimensions: dict[str, list[str]],
    rotation: str | None = "varimax",
    scale: tuple[float, float] | None = None,
    method: str = "minres",
    kaiser: bool = True,
    maxiter: int = 1000,
    seed: int = 0,
) -> FactorResult:
    """Exploratory factor analysis (探索性因子分析): do the items load on the dimensions
    they were written for?

    One factor per dimension, extracted from the pairwise correlation matrix, then
    rotated. Each factor is named after the dimension whose items load on it most (a
    one-to-one match, Hungarian algorithm on the sum of absolute loadings); an item is
    **as intended** when its largest absolute loading is on its own dimension's factor.

    Extraction ``method``: ``"minres"`` (default; minimum residual, psych's and
    factor_analyzer's default, matching psych ``fa(r, nf, fm = "minres")``), ``"pa"``
    (iterated principal axis, statsmodels ``Factor``; it converges to the minres solution
    when it converges at all) or ``"ml"`` (maximum likelihood, statsmodels ``Factor``).
    Rotation: varimax with Kaiser normalisation by default (R ``stats::varimax``, psych).

    Two warnings (statsmodels ``ConvergenceWarning``, ``EstimationWarning``) say when
    not to read the loadings at face value: the fit did not converge within ``maxiter``
    (iteration count given), or an item is a **Heywood case** (communality >= 0.995):
    the factor is then carried by that item alone, usually because its dimension has too
    few items (two items per factor are barely identified).

    Parameters
    ----------
    data : DataFrame
    dimensions : dict
        Dimension name -> its item columns (at least two dimensions).
    rotation : {"varimax", "quartimax", "equamax", "promax"} or None
    scale : (low, high), optional
        Answer scale to check; default none assumed.
    method : {"minres", "pa", "ml"}
    kaiser : bool, default True
        Kaiser-normalise the rows before rotating (False: raw rotation).
    maxiter : int, default 1000
    seed : int, default 0
        Start of the EM steps of ``"ml"`` (statsmodels draws random starting loadings).

    Returns
    -------
    FactorResult

    Parameters
    ----------
    data : DataFrame
        Answers, one sheet per row, reverse-coded.
    dimensions : dict
        ``{dimension: [items]}``, at least two dimensions.
    rotation : str
        statsmodels rotation (``varimax``, ``promax``, ...).
    scale : (low, high) or None
        Answer scale.
    method : str
        statsmodels ``Factor`` method (``pa`` principal axis, ``ml``).

    Returns
    -------
    FactorResult
        ``loadings``, ``check`` (per item: intended, loads_on, loading, as_intended),
        ``n_obs``, ``rotation`` and ``share_as_intended``.

    Raises
    ------
    ValueError
        Fewer than two dimensions, an item listed twice, an unknown method or rotation,
        or as :func:`cronbach_alpha`.

    References
    ----------
    Revelle, W. psych: ``fa()``. Kaiser, H. F. (1958). The varimax criterion for analytic
    rotation in factor analysis. Psychometrika 23, 187-200. Heywood, H. B. (1931). On
    finite sequences of real numbers. Proc. Royal Society A 134, 486-501.

    Examples
    --------
    Two latent factors, three noisy five-point items each:

    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(300, 2))
    >>> df = pd.DataFrame({f"{d}{j}": np.clip(np.round(3 + f[:, i] + rng.normal(0, 0.5, 300)),
    ...                                       1, 5) for i, d in enumerate("xy") for j in (1, 2, 3)})
    >>> fit = factor_structure(df, dimensions={"x": ["x1", "x2", "x3"], "y": ["y1", "y2", "y3"]})
    >>> fit.share_as_intended, fit.check["loads_on"].tolist()
    (1.0, ['x', 'x', 'x', 'y', 'y', 'y'])
    """
    import warnings

    from scipy.optimize import linear_sum_assignment
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, EstimationWarning

    if method not in _factor_math.METHODS:
        raise ValueError(f"method must be one of {list(_factor_math.METHODS)}, got {method!r}.")
    if rotation and rotation not in _factor_math.ROTATIONS:
        raise ValueError(
            f"rotation must be one of {list(_factor_math.ROTATIONS)} or None, got {rotation!r}."
        )
    if len(dimensions) < 2:
        raise ValueError(f"need at least two dimensions, got {list(dimensions)}.")
    items = [i for its in dimensions.values() for i in its]
    twice = sorted({i for i in items if items.count(i) > 1})
    if twice:
        raise ValueError(f"items {twice} are listed under more than one dimension.")
    items = require_items(data, items, [], minimum=3)
    values = numeric_answers(data, items, scale)
    corr = pd.DataFrame(values).corr().to_numpy()
    n_obs = int((~np.isnan(values)).all(axis=1).sum())
    k = len(dimensions)
    if method == "minres":
        load, converged, n_iter = _factor_math.minres(corr, k, maxiter)
    elif method == "pa":
        load, converged, n_iter = _factor_math.principal_axis(corr, k, max(n_obs, k + 2), maxiter)
    else:
        load, converged, n_iter = _factor_math.max_likelihood(
            corr, k, max(n_obs, k + 2), maxiter, seed
        )
    if not converged:
        warnings.warn(
            _(
                "factor_structure: {method} extraction did not converge after {n} "
                "iterations; the loadings are not a solution (try method='minres' or more "
                "maxiter)."
            ).format(method=method, n=n_iter),
            ConvergenceWarning,
            stacklevel=2,
        )
    communality = pd.Series((load**2).sum(axis=1), index=pd.Index(items, name="item"))
    heywood = list(communality.index[communality >= _factor_math.HEYWOOD_COMMUNALITY])
    if heywood:
        warnings.warn(
            _(
                "factor_structure: Heywood case for {items} (communality {values}): a "
                "factor rests on these items alone; read their loadings with care (too few "
                "items per factor?)."
            ).format(items=heywood, values=", ".join(f"{communality[i]:.3f}" for i in heywood)),
            EstimationWarning,
            stacklevel=2,
        )
    load = _factor_math.rotate(load, rotation, kaiser)
    names = list(dimensions)
    owner = np.array([d for d, its in dimensions.items() for _ in its])
    score = np.array([np.abs(load[owner == d]).sum(axis=0) for d in names])  # dims x factors
    rows, cols = linear_sum_assignment(-score)
    factor_name = {int(f): names[int(d)] for d, f in zip(rows, cols, strict=True)}
    load = load * np.where(load.sum(axis=0) < 0, -1, 1)  # sign: mostly positive
    loadings = pd.DataFrame(
        load, index=pd.Index(items, name="item"), columns=[factor_name[j] for j in range(k)]
    )[names]
    top = loadings.abs().idxmax(axis=1)
    check = pd.DataFrame(
        {
            "intended": owner,
            "loads_on": top.to_numpy(),
            "loading": [loadings.loc[i, top[i]] for i in items],
        },
        index=items,
    )
    check["as_intended"] = check["intended"] == check["loads_on"]
    label = f"{rotation} (Kaiser-normalised)" if rotation and kaiser else str(rotation)
    return FactorResult(
        loadings, check, n_obs, label, method, communality, heywood, converged, n_iter
    )
