"""Chapter 01, customer survey analysis (客户调查分析): from questionnaire to drivers.

The steps of the course (seeds 001, 002, 004): sampling design (抽样设计: sample size,
stratified samples, design weights; in :mod:`crmlab.sampling`), data processing (数据处理:
validation, cleaning, reverse coding), reliability (信度: Cronbach's alpha) and structure
(factor analysis), satisfaction as perception minus expectation (SERVQUAL gaps), the five
satisfaction classes, the importance-performance map, key drivers, the five satisfaction
indicators, and satisfaction by segment. Defaults match the synthetic company's survey
(``datasets/company.md``, ``datasets/survey_instrument.csv``); statistics are statsmodels'
and scipy's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from crmlab._results import Result
from crmlab._schema import REVERSE_ITEMS, RQ_SCALES, SERVICE_DIMENSIONS, SURVEY_ITEMS
from crmlab._validate import (
    SCALE,
    answer_columns,
    check_scale,
    numeric_answers,
    require_columns,
    require_frame,
    require_items,
    require_share,
    row_mean,
)

__all__ = [
    "SERVQUAL_ITEMS",
    "RELATIONSHIP_SCALES",
    "SATISFACTION_CLASSES",
    "validation_report",
    "clean_survey",
    "reverse_code",
    "cronbach_alpha",
    "item_analysis",
    "scale_reliability",
    "scale_scores",
    "factor_structure",
    "gap_scores",
    "servqual_gaps",
    "satisfaction_class",
    "importance_performance",
    "key_drivers",
    "satisfaction_indicators",
    "crosstab_test",
    "FactorResult",
    "KeyDriverResult",
    "CrosstabResult",
]

#: SERVQUAL items of the synthetic survey: dimension -> expectation and perception items.
SERVQUAL_ITEMS: dict[str, dict[str, list[str]]] = {
    dim: {
        kind: [i for i in SURVEY_ITEMS if i.startswith(f"{kind[:3]}_{dim[:3]}")]
        for kind in ("expectation", "perception")
    }
    for dim in SERVICE_DIMENSIONS
}
#: Relationship-quality scales (关系质量, seed 002): trust, satisfaction, belonging, friendship.
RELATIONSHIP_SCALES: dict[str, list[str]] = {
    scale: [f"rq_{scale}{j}" for j in range(1, k + 1)] for scale, k in RQ_SCALES.items()
}
#: The course's five satisfaction classes (seed 004), from the top code of a 1-5 scale down.
SATISFACTION_CLASSES = ["非常满意", "很满意", "基本满意", "不满意", "很不满意"]


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
    ValueError
        If an item is unknown or not numeric, or ``per`` is unknown.

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

    Returns
    -------
    DataFrame
        A copy with the original index of the kept rows; items as float (NaN = missing).

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

    Default ``items``: the company's reverse-coded items (``rq_trust3``, ``rq_belong3``). Returns a
    copy; other columns unchanged.

    Raises
    ------
    ValueError
        If an item is unknown or has answers outside ``scale``.

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


def cronbach_alpha(
    data: pd.DataFrame,
    *,
    items: list[str] | None = None,
    scale: tuple[float, float] | None = SCALE,
    standardized: bool = False,
) -> float:
    """Cronbach's alpha (克朗巴哈系数, Cronbach 1951) of a scale.

    ``alpha = k / (k − 1) × (1 − Σ var_i / var_total)`` with the item covariance matrix
    estimated from **pairwise-complete** answers (psych ``alpha()``'s default); the
    standardized alpha uses the correlation matrix instead. Reverse-code items first.

    Parameters
    ----------
    data : DataFrame
    items : list of str, optional
        At least two item columns; default every column of ``data``.
    scale : (low, high) or None, default (1, 5)
        The declared answer scale; None skips the range check.
    standardized : bool, default False

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Fewer than two items; an unknown, all-missing, non-numeric item; answers outside
        ``scale``; a scale with zero total variance.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika 16, 297-334. Revelle, W. psych: ``alpha()``.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> round(cronbach_alpha(df), 4)  # 3/2 x (1 - 17/3 / 15), covariances by hand
    0.9333
    """
    items = require_items(
        data, items, list(data.columns) if isinstance(data, pd.DataFrame) else [], minimum=2
    )
    c = _cov(numeric_answers(data, items, scale))
    if standardized:
        d = np.sqrt(np.diag(c))
        c = c / np.outer(d, d)
    if not np.isfinite(c).all() or c.sum() <= 0:
        raise ValueError(
            f"items {items} have no common variance: alpha is undefined "
            "(an item without variation, or too few joint answers)."
        )
    return _alpha_from_cov(c)


def item_analysis(
    data: pd.DataFrame, *, items: list[str] | None = None, scale: tuple[float, float] | None = SCALE
) -> pd.DataFrame:
    """Item statistics of a scale: mean, sd, answers, corrected item-total correlation
    (``r_drop``: item against the sum of the *other* items, psych's ``r.drop``) and alpha
    if the item is deleted, all from the pairwise covariance matrix.

    An item with a low or negative ``r_drop`` and a higher ``alpha_if_deleted`` than the
    scale's alpha does not measure what the others measure (or needs reverse coding).

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

    Reverse-code items first. Returns one row per scale: ``n_items``, ``alpha``,
    ``alpha_std``, ``n_complete`` (sheets answering every item).

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
        Complete answer sheets used.
    rotation : str
    share_as_intended : float
        Share of items that load most on their intended dimension.
    """

    title = "Exploratory factor analysis (探索性因子分析)"

    loadings: pd.DataFrame  # items x factors (rotated), factors named after dimensions
    check: pd.DataFrame  # per item: intended, loads_on, loading, as_intended
    n_obs: int
    rotation: str

    @property
    def share_as_intended(self) -> float:
        return float(self.check["as_intended"].mean())

    def notes(self) -> list[str]:
        return [
            f"n = {self.n_obs}, rotation {self.rotation}; {self.share_as_intended:.0%} of the "
            "items load most on their intended dimension"
        ]

    def summary(self) -> pd.DataFrame:
        """Loadings with the check columns beside them."""
        return self.loadings.join(self.check[["intended", "loads_on", "as_intended"]])


def factor_structure(
    data: pd.DataFrame,
    *,
    dimensions: dict[str, list[str]],
    rotation: str = "varimax",
    scale: tuple[float, float] | None = SCALE,
    method: str = "pa",
) -> FactorResult:
    """Exploratory factor analysis (探索性因子分析) with statsmodels ``Factor``: do the items
    load on the dimensions they were written for?

    One factor per dimension, fitted (principal axis, ``method="pa"``) on the pairwise
    correlation matrix, rotated. Each
    factor is named after the dimension whose items load on it most (a one-to-one match,
    Hungarian algorithm on the sum of absolute loadings); an item is **as intended** when
    its largest absolute loading is on its own dimension's factor.

    Raises
    ------
    ValueError
        Fewer than two dimensions, an item listed twice, or as :func:`cronbach_alpha`.

    Examples
    --------
    See the notebook: the relationship-quality items load as written.
    """
    from scipy.optimize import linear_sum_assignment
    from statsmodels.multivariate.factor import Factor

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
    fit = Factor(corr=corr, n_factor=k, nobs=max(n_obs, k + 2), method=method).fit()
    if rotation:
        fit.rotate(rotation)
    load = np.asarray(fit.loadings)
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
    return FactorResult(loadings, check, n_obs, rotation)


# --- satisfaction = perception − expectation (客户满意度) ---------------------------------
def _dims(dimensions: dict | None) -> dict[str, dict[str, list[str]]]:
    dims = SERVQUAL_ITEMS if dimensions is None else dimensions
    for dim, spec in dims.items():
        if not isinstance(spec, dict) or not {"expectation", "perception"} <= set(spec):
            raise ValueError(
                f"dimension {dim!r} needs 'expectation' and 'perception' item lists, got {spec!r}."
            )
    return dims


def _row_mean(columns: list[np.ndarray]) -> np.ndarray:
    """:func:`row_mean` of the items given as columns, without stacking them into a table.

    Up to seven items numpy's row sum adds the cells one after another, so summing the
    columns in order gives the same floats; from eight on numpy sums in blocks (pairwise),
    so the stacked table goes through :func:`row_mean` itself."""
    if len(columns) >= 8:
        return row_mean(np.column_stack(columns))
    total, count = np.zeros(len(columns[0])), np.zeros(len(columns[0]), _count_dtype(8))
    for v in columns:
        answered = ~np.isnan(v)
        total += np.where(answered, v, 0.0)
        count += answered
    return np.divide(total, count, out=np.full(count.shape, np.nan), where=count > 0)


def _side_means(
    data: pd.DataFrame, dims: dict[str, dict[str, list[str]]], scale: tuple[float, float] | None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per dimension, each respondent's mean expectation and mean perception answer."""
    out = {}
    for dim, spec in dims.items():
        means = []
        for kind in ("expectation", "perception"):
            its = require_items(data, spec[kind], [])
            means.append(_row_mean(answer_columns(data, its, scale)))
        out[dim] = (means[0], means[1])
    return out


def gap_scores(
    data: pd.DataFrame, *, dimensions: dict | None = None, scale: tuple[float, float] | None = SCALE
) -> pd.DataFrame:
    """Gap score per respondent and dimension: mean perception − mean expectation items
    (SERVQUAL, Parasuraman, Zeithaml & Berry 1988). Missing when either side is unanswered.

    Examples
    --------
    >>> df = pd.DataFrame({"e1": [4, 5], "e2": [4, 3], "p1": [3, 5], "p2": [4, None]})
    >>> gap_scores(
    ...     df, dimensions={"d": {"expectation": ["e1", "e2"], "perception": ["p1", "p2"]}}
    ... )
    ...                                                      # doctest: +NORMALIZE_WHITESPACE
         d
    0 -0.5
    1  1.0
    """
    sides = _side_means(data, _dims(dimensions), scale)
    return pd.DataFrame({dim: p - e for dim, (e, p) in sides.items()}, index=data.index)


def servqual_gaps(
    data: pd.DataFrame,
    *,
    dimensions: dict | None = None,
    confidence: float = 0.95,
    scale: tuple[float, float] | None = SCALE,
    weight: str | None = None,
) -> pd.DataFrame:
    """Satisfaction = perception − expectation (001, 004 Q2) per service dimension, with a
    confidence interval for the mean gap (t distribution; with ``weight``, a weighted mean
    and the Kish effective sample size).

    Returns
    -------
    DataFrame
        Index dimension; ``expectation``, ``perception``, ``gap``, ``se``, ``ci_low``,
        ``ci_high``, ``n`` (respondents with both sides answered). A negative gap means
        the service falls short of what customers expect.

    Raises
    ------
    ValueError
        Unknown or out-of-scale items, a dimension without both item lists, fewer than two
        respondents with a gap.

    Examples
    --------
    >>> df = pd.DataFrame({"e": [4, 4, 5, 3], "p": [3, 4, 4, 2]})
    >>> g = servqual_gaps(df, dimensions={"d": {"expectation": ["e"], "perception": ["p"]}})
    >>> g[["gap", "se", "n"]].round(3).to_dict("records")
    [{'gap': -0.75, 'se': 0.25, 'n': 4.0}]
    """
    z_conf = require_share(confidence, "confidence", closed_low=False, closed_high=False)
    dims = _dims(dimensions)
    sides = _side_means(data, dims, scale)  # each side once: the gap and both means use it
    w_all = None
    if weight is not None:
        require_columns(data, [weight], "data")
        w_all = numeric_answers(data, [weight], None)[:, 0]
    rows = {}
    for dim, (e, p) in sides.items():
        g = p - e
        ok = ~np.isnan(g)
        if ok.sum() < 2:
            raise ValueError(
                f"dimension {dim!r} has {int(ok.sum())} respondents with both "
                "expectation and perception answered; a gap needs at least 2."
            )
        w = np.ones(ok.sum()) if w_all is None else w_all[ok]
        mean = np.average(g[ok], weights=w)
        n_eff = w.sum() ** 2 / (w**2).sum()
        sd = np.sqrt(np.average((g[ok] - mean) ** 2, weights=w) * n_eff / (n_eff - 1))
        se = sd / np.sqrt(n_eff)
        t = stats.t.ppf(1 - (1 - z_conf) / 2, n_eff - 1)
        side = {k: np.average(m[ok], weights=w) for k, m in (("expectation", e), ("perception", p))}
        rows[dim] = {
            **side,
            "gap": mean,
            "se": se,
            "ci_low": mean - t * se,
            "ci_high": mean + t * se,
            "n": int(ok.sum()),
        }
    return pd.DataFrame(rows).T.rename_axis("dimension")


def satisfaction_class(scores: object, *, scale: tuple[float, float] = SCALE) -> pd.Series:
    """The course's five satisfaction classes (客户满意度分级, seed 004) of 1-5 scores.

    **Mapping rule**: 5 非常满意 (very satisfied), 4 很满意 (quite satisfied), 3 基本满意
    (basically satisfied), 2 不满意 (dissatisfied), 1 很不满意 (very dissatisfied). A
    non-integer score (e.g. a scale mean) goes to the nearest point, halves up: cut points
    1.5, 2.5, 3.5, 4.5. Missing stays missing.

    Returns
    -------
    Series
        Ordered categorical from 很不满意 (lowest) to 非常满意, same index as ``scores``.

    Raises
    ------
    ValueError
        A score outside 1..5 or a non-numeric score.

    Examples
    --------
    >>> satisfaction_class([5, 3.5, 1.2]).tolist()
    ['非常满意', '很满意', '很不满意']
    """
    s = scores if isinstance(scores, pd.Series) else pd.Series(scores)
    frame = s.rename("score").to_frame()
    values = numeric_answers(frame, ["score"], scale, need_answers=False)[:, 0]
    low, _ = check_scale(scale)
    code = np.floor(values - low + 0.5)  # 0..4
    levels = SATISFACTION_CLASSES[::-1]
    cat = pd.Categorical.from_codes(
        np.where(np.isnan(code), -1, code).astype(int), categories=levels, ordered=True
    )
    return pd.Series(cat, index=s.index, name="satisfaction_class")


def importance_performance(
    data: pd.DataFrame,
    *,
    dimensions: dict | None = None,
    outcome: str = "overall_sat",
    scale: tuple[float, float] | None = SCALE,
) -> pd.DataFrame:
    """Data of the importance-performance map (重要性-绩效分析, Martilla & James 1977).

    **Performance**: mean perception of the dimension. **Importance** (derived, the survey
    asks no stated importance): the OLS coefficient of the dimension's gap score in a
    regression of ``outcome`` on all gaps (:func:`key_drivers`), as a share of the sum of
    coefficients. Cross-hairs at the mean importance and mean performance give the four
    quadrants: *concentrate here* (important, low performance), *keep up the good work*,
    *low priority*, *possible overkill*.

    Returns
    -------
    DataFrame
        Index dimension; ``performance``, ``importance``, ``quadrant``.
    """
    dims = _dims(dimensions)
    perf = {
        d: float(np.nanmean(numeric_answers(data, s["perception"], scale))) for d, s in dims.items()
    }
    drivers = key_drivers(data, outcome=outcome, dimensions=dims, scale=scale)
    out = pd.DataFrame(
        {"performance": pd.Series(perf), "importance": drivers.table["importance"]}
    ).rename_axis("dimension")
    hi_imp = out["importance"] >= out["importance"].mean()
    hi_perf = out["performance"] >= out["performance"].mean()
    out["quadrant"] = np.select(
        [hi_imp & ~hi_perf, hi_imp & hi_perf, ~hi_imp & ~hi_perf],
        ["concentrate here", "keep up the good work", "low priority"],
        "possible overkill",
    )
    return out


@dataclass
class KeyDriverResult(Result):
    """Key-driver analysis (满意度驱动因素): a statsmodels fit and its coefficient table.

    Attributes
    ----------
    table : DataFrame
        Per driver: ``coef``, ``se``, ``p_value``, ``ci_low``, ``ci_high``, ``importance``.
    model : statsmodels results
        The fit itself (``model.summary()`` is statsmodels' text).
    method : str
    n_obs : int
        Complete answer sheets used.
    """

    title = "Key drivers of satisfaction (满意度驱动因素)"

    table: pd.DataFrame
    model: object
    method: str
    n_obs: int

    def notes(self) -> list[str]:
        return [f"method {self.method}, n = {self.n_obs}"]

    def summary(self) -> pd.DataFrame:
        """The coefficient table (the statsmodels summary is ``self.model.summary()``)."""
        return self.table


def key_drivers(
    data: pd.DataFrame,
    *,
    drivers: list[str] | None = None,
    outcome: str = "overall_sat",
    method: str = "ols",
    dimensions: dict | None = None,
    scale: tuple[float, float] | None = SCALE,
) -> KeyDriverResult:
    """Which dimensions drive overall satisfaction? Regress ``outcome`` on the drivers.

    ``method="ols"``: statsmodels OLS with an intercept (treats 1-5 as interval).
    ``method="ordinal"``: ordinal logit, statsmodels ``OrderedModel`` (``distr="logit"``),
    which respects that the outcome is ordered categories. Drivers default to the gap
    scores of ``dimensions`` (:func:`gap_scores`); rows with any missing value are dropped
    (listwise). ``importance`` = coefficient / sum of coefficients (comparable across the
    two methods and with the simulator's ``TRUE_DRIVER_WEIGHTS``, whose scale is arbitrary).

    Raises
    ------
    ValueError
        Unknown method or columns, out-of-scale answers, too few complete rows.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    >>> df["y"] = 3 + 0.6 * df["a"] + 0.2 * df["b"] + rng.normal(0, 0.1, 200)
    >>> fit = key_drivers(df, drivers=["a", "b"], outcome="y", scale=None)
    >>> fit.table["importance"].round(2).tolist()
    [0.75, 0.25]
    """
    import statsmodels.api as sm
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    if method not in ("ols", "ordinal"):
        raise ValueError(f"method must be 'ols' or 'ordinal', got {method!r}.")
    y_items = require_items(data, [outcome], [])
    if drivers is None:
        x = gap_scores(data, dimensions=dimensions, scale=scale)
    else:
        drivers = require_items(data, drivers, [])
        x = pd.DataFrame(numeric_answers(data, drivers, None), columns=drivers, index=data.index)
    y = pd.Series(numeric_answers(data, y_items, scale)[:, 0], index=data.index, name=outcome)
    ok = x.notna().all(axis=1) & y.notna()
    if ok.sum() < x.shape[1] + 3:
        raise ValueError(
            f"only {int(ok.sum())} complete rows for {x.shape[1]} drivers and "
            f"{outcome!r}: too few to fit."
        )
    x, y = x[ok], y[ok]
    if method == "ols":
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        params, bse, pv, ci = fit.params, fit.bse, fit.pvalues, fit.conf_int()
        keep = list(x.columns)
    else:
        levels = np.sort(y.unique())
        y_cat = pd.Series(pd.Categorical(y, categories=levels, ordered=True), index=y.index)
        fit = OrderedModel(y_cat, x, distr="logit").fit(method="bfgs", disp=False, maxiter=500)
        params, bse, pv, ci = fit.params, fit.bse, fit.pvalues, fit.conf_int()
        keep = list(x.columns)
    coef = params[keep]
    table = pd.DataFrame(
        {
            "coef": coef,
            "se": bse[keep],
            "p_value": pv[keep],
            "ci_low": ci.loc[keep, 0],
            "ci_high": ci.loc[keep, 1],
            "importance": coef / coef.sum(),
        }
    ).rename_axis("driver")
    return KeyDriverResult(table, fit, method, int(ok.sum()))


# --- the course's five satisfaction indicators (客户满意度的衡量指标, seed 001) ------------
def satisfaction_indicators(
    survey: pd.DataFrame,
    orders: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    year: int = 2024,
    customer_id: str = "customer_id",
    recommend: str = "recommend",
    overall_sat: str = "overall_sat",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str = "is_return",
    incident_date: str = "incident_date",
    complaint: str = "complaint",
) -> pd.DataFrame:
    """The five indicators of seed 001, each with the operational definition used here.

    - 美誉度 reputation: share of respondents who would recommend the firm (``recommend``
      4 or 5, "top-two box") among those who answered the item.
    - 知名度 awareness: **not computed**. It is the share of the *market* that knows the
      firm, so it needs answers from non-customers; this survey asks only customers and
      the pipeline records only prospects who already contacted the firm. Value NaN.
    - 回头率 repurchase rate: share of customers with a sale in ``year − 1`` who bought
      again in ``year`` (sales lines, returns excluded).
    - 抱怨率 complaint rate: customers with at least one complaint (``complaint`` True) in
      ``year`` over customers with a sale in ``year``.
    - 销售力 sales power: net revenue in ``year`` per satisfied respondent (``overall_sat``
      4 or 5) over that per other respondent; above 1, satisfaction goes with sales. Our
      reading of the term; it is association, not cause.

    Pass a cleaned survey (:func:`clean_survey`). Returns one row per indicator:
    ``zh``, ``value``, ``numerator``, ``denominator``, ``definition``, ``data``.

    Raises
    ------
    KeyError
        A column is missing.
    ValueError
        Empty tables, answers outside 1..5, no sales in ``year − 1`` or ``year``.
    """
    for frame, name, cols in (
        (survey, "survey", [customer_id, recommend, overall_sat]),
        (orders, "orders", [customer_id, order_date, amount, is_return]),
        (incidents, "incidents", [customer_id, incident_date, complaint]),
    ):
        require_frame(frame, name)
        require_columns(frame, cols, name)
    rec = numeric_answers(survey, [recommend], SCALE)[:, 0]
    sat = numeric_answers(survey, [overall_sat], SCALE)[:, 0]
    sales = orders[~orders[is_return].astype(bool)]
    buyers = {
        y: set(sales.loc[sales[order_date].dt.year == y, customer_id]) for y in (year - 1, year)
    }
    for y, who in buyers.items():
        if not who:
            raise ValueError(
                f"orders have no sales in {y}: the indicators need sales in {year - 1} and {year}."
            )
    complained = set(
        incidents.loc[
            (incidents[incident_date].dt.year == year) & incidents[complaint].astype(bool),
            customer_id,
        ]
    )
    revenue = orders[orders[order_date].dt.year == year].groupby(customer_id)[amount].sum()
    rev = survey[customer_id].map(revenue).fillna(0.0).to_numpy()
    happy, other = sat >= 4, sat <= 3
    rows = [
        (
            "reputation",
            "美誉度",
            (rec >= 4).sum(),
            (~np.isnan(rec)).sum(),
            "respondents with recommend 4-5 / respondents answering it",
            "survey",
        ),
        (
            "awareness",
            "知名度",
            np.nan,
            np.nan,
            "not computable: needs non-customers, whom the survey does not ask",
            "none",
        ),
        (
            "repurchase rate",
            "回头率",
            len(buyers[year - 1] & buyers[year]),
            len(buyers[year - 1]),
            f"buyers of {year - 1} who bought again in {year}",
            "orders",
        ),
        (
            "complaint rate",
            "抱怨率",
            len(complained & buyers[year]),
            len(buyers[year]),
            f"buyers of {year} with a complaint in {year}",
            "incidents, orders",
        ),
        (
            "sales power",
            "销售力",
            rev[happy].mean() if happy.any() else np.nan,
            rev[other].mean() if other.any() else np.nan,
            f"revenue {year} per satisfied respondent / per other respondent",
            "survey, orders",
        ),
    ]
    out = pd.DataFrame(
        rows, columns=["indicator", "zh", "numerator", "denominator", "definition", "data"]
    ).set_index("indicator")
    out.insert(1, "value", out["numerator"].astype(float) / out["denominator"].astype(float))
    return out


@dataclass
class CrosstabResult(Result):
    """Chi-square test of independence (卡方检验) with Cramér's V.

    Attributes
    ----------
    table : DataFrame
        Observed counts (rows x columns).
    chi2, dof, p_value, cramers_v : float
    share_expected_below_5 : float
        Share of cells with an expected count below 5 (the test is rough above 0.2).
    """

    title = "Chi-square test of independence (卡方检验)"

    table: pd.DataFrame
    chi2: float
    dof: int
    p_value: float
    cramers_v: float
    share_expected_below_5: float

    def summary(self) -> pd.DataFrame:
        """The test statistics as a one-row table."""
        return pd.DataFrame(
            [
                {
                    "chi2": self.chi2,
                    "dof": self.dof,
                    "p_value": self.p_value,
                    "cramers_v": self.cramers_v,
                    "n": int(self.table.to_numpy().sum()),
                    "share_expected_below_5": self.share_expected_below_5,
                }
            ]
        )


def crosstab_test(
    data: pd.DataFrame, *, row: str = "size", column: str = "satisfaction_class"
) -> CrosstabResult:
    """Is ``column`` (e.g. the satisfaction class) independent of ``row`` (a segment)?

    Pearson's chi-square test on the contingency table (scipy ``chi2_contingency``, no
    continuity correction) and Cramér's V = sqrt(chi2 / (n (min(r, c) − 1))): 0 none,
    about 0.1 weak, 0.3 moderate, 0.5 strong association. Rows with a missing value are
    left out; empty categories are dropped. The test is unreliable when many expected
    counts are below 5 (see ``share_expected_below_5``).

    Raises
    ------
    KeyError
        A column is missing.
    ValueError
        Fewer than two levels in ``row`` or ``column`` among complete rows.

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a"] * 20 + ["b"] * 20, "s": ["x"] * 15 + ["y"] * 25})
    >>> r = crosstab_test(df, row="g", column="s")
    >>> round(r.chi2, 3), round(r.cramers_v, 3)
    (24.0, 0.775)
    """
    require_frame(data, "data")
    require_columns(data, [row, column], "data")
    table = pd.crosstab(data[row], data[column])
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    for name, k in ((row, table.shape[0]), (column, table.shape[1])):
        if k < 2:
            raise ValueError(
                f"column {name!r} has {k} level(s) among complete rows; the "
                "chi-square test needs at least 2."
            )
    chi2, p, dof, expected = stats.chi2_contingency(table.to_numpy(), correction=False)
    n = table.to_numpy().sum()
    v = float(np.sqrt(chi2 / (n * (min(table.shape) - 1))))
    return CrosstabResult(table, float(chi2), int(dof), float(p), v, float((expected < 5).mean()))
