"""Chapter 01, customer satisfaction (客户满意度): from the cleaned survey to drivers.

Satisfaction as perception minus expectation per service dimension (SERVQUAL gaps,
:func:`gap_scores`, :func:`servqual_gaps`); the course's five satisfaction classes
(:func:`satisfaction_class`); the importance-performance map
(:func:`importance_performance`) and key drivers (:func:`key_drivers`, statsmodels OLS or
ordinal logit); the five satisfaction indicators (:func:`satisfaction_indicators`) and
satisfaction by segment (:func:`crosstab_test`). The survey is read and cleaned with
:mod:`crmlab.survey`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._results import Result
from crmlab._validate import (
    SCALE,
    answer_columns,
    numeric_answers,
    require_columns,
    require_frame,
    require_items,
    require_share,
    row_mean,
)
from crmlab.segment_classes import FIVE_LEVELS, five_level
from crmlab.survey import SERVQUAL_ITEMS

__all__ = [
    "SATISFACTION_CLASSES",
    "gap_scores",
    "servqual_gaps",
    "satisfaction_class",
    "importance_performance",
    "KeyDriverResult",
    "key_drivers",
    "satisfaction_indicators",
    "CrosstabResult",
    "crosstab_test",
]

#: The course's five satisfaction classes ([CRM textbook]), from the top code of a 1-5 scale down
#: (the labels of :data:`crmlab.segment_classes.FIVE_LEVELS`, highest first).
SATISFACTION_CLASSES = FIVE_LEVELS["satisfaction"][::-1]


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
    total, count = np.zeros(len(columns[0])), np.zeros(len(columns[0]), np.int8)
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

    Parameters
    ----------
    data : DataFrame
        Cleaned survey answers, one sheet per row.
    dimensions : dict, optional
        ``{dimension: {"expectation": [...], "perception": [...]}}``; default the company's
        SERVQUAL items.
    scale : (low, high) or None
        Answer scale (None: no range check).

    Returns
    -------
    DataFrame
        Same index; one gap column per dimension (NaN where a side has no answer).

    Raises
    ------
    KeyError
        If an item is missing.
    ValueError
        If a dimension lacks a side, or answers are not numeric or off the scale.

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
    """Satisfaction = perception − expectation ([CRM slides], [textbook Q2]) per service
    dimension, with a confidence interval for the mean gap (t distribution; with
    ``weight``, a weighted mean and the Kish effective sample size).

    Parameters
    ----------
    data : DataFrame
        Cleaned survey answers, one sheet per row.
    dimensions : dict, optional
        As in :func:`gap_scores`.
    confidence : float
        Level of the t intervals.
    scale : (low, high) or None
        Answer scale.
    weight : str, optional
        Column of design or post-stratification weights.

    Returns
    -------
    DataFrame
        Index dimension; ``expectation``, ``perception``, ``gap``, ``se``, ``ci_low``,
        ``ci_high``, ``n`` (respondents with both sides answered). A negative gap means
        the service falls short of what customers expect.

    Raises
    ------
    KeyError
        If an item is not a column.
    ValueError
        Out-of-scale items, a dimension without both item lists, fewer than two
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
    """The course's five satisfaction classes (客户满意度分级, [CRM textbook]) of 1-5 scores.

    **Mapping rule** (:func:`crmlab.segment_classes.five_level`, the one rule for the
    five levels): 5 非常满意 (very satisfied), 4 很满意 (quite satisfied), 3 基本满意
    (basically satisfied), 2 不满意 (dissatisfied), 1 很不满意 (very dissatisfied). A
    non-integer score (e.g. a scale mean) goes to the nearest point, halves up: cut points
    1.5, 2.5, 3.5, 4.5. Missing stays missing; a code off the scale (0, 6, 9 in the raw
    survey) is an error, not a missing class.

    Parameters
    ----------
    scores : array-like or Series
        Overall-satisfaction answers or scores on the scale.
    scale : (low, high)
        The answer scale (five points).

    Returns
    -------
    Series
        Ordered categorical from 很不满意 (lowest) to 非常满意, same index as ``scores``.

    Raises
    ------
    ValueError
        A score outside the scale or a non-numeric score (rows and codes named).

    Examples
    --------
    >>> satisfaction_class([5, 3.5, 1.2]).tolist()
    ['非常满意', '很满意', '很不满意']
    """
    return five_level(scores, "satisfaction", scale=scale).rename("satisfaction_class")


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

    Parameters
    ----------
    data : DataFrame
        Cleaned survey answers.
    dimensions : dict, optional
        As in :func:`gap_scores`.
    outcome : str
        The overall-satisfaction item.
    scale : (low, high) or None
        Answer scale.

    Returns
    -------
    DataFrame
        Index dimension; ``performance``, ``importance``, ``quadrant``.

    Raises
    ------
    KeyError
        If an item is missing.
    ValueError
        As :func:`key_drivers`.

    Examples
    --------
    Satisfaction follows dimension a (gap weight 1) more than b (0.2); a performs worse.

    >>> rng = np.random.default_rng(1)
    >>> pa, pb = rng.integers(1, 6, 300), rng.integers(1, 6, 300)
    >>> df = pd.DataFrame({"ea": 3, "pa": pa, "eb": 2, "pb": pb})
    >>> df["overall"] = np.clip(np.round(3 + (pa - 3) + 0.2 * (pb - 2)), 1, 5)
    >>> dims = {"a": {"expectation": ["ea"], "perception": ["pa"]},
    ...         "b": {"expectation": ["eb"], "perception": ["pb"]}}
    >>> importance_performance(df, dimensions=dims, outcome="overall")["importance"].idxmax()
    'a'
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

    title = N_("Key drivers of satisfaction (满意度驱动因素)")

    table: pd.DataFrame
    model: object
    method: str
    n_obs: int

    def notes(self) -> list[str]:
        return [_("method {method}, n = {n}").format(method=self.method, n=self.n_obs)]

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

    Parameters
    ----------
    data : DataFrame
        Cleaned survey answers.
    drivers : list of str, optional
        Driver columns; default the gap scores of ``dimensions``.
    outcome : str
        The overall-satisfaction item.
    method : {"ols", "ordinal"}
        statsmodels OLS or ordinal logit.
    dimensions : dict, optional
        As in :func:`gap_scores` (when ``drivers`` is None).
    scale : (low, high) or None
        Answer scale of the outcome and gaps.

    Returns
    -------
    KeyDriverResult
        ``table`` (coef, se, p_value, ci_low, ci_high, importance per driver), the
        statsmodels ``model``, ``method`` and ``n_obs``.

    Raises
    ------
    KeyError
        If a driver or the outcome is not a column.
    ValueError
        Unknown method, out-of-scale answers, too few complete rows.

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


# --- the course's five satisfaction indicators (客户满意度的衡量指标, [CRM slides]) ------------
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
    """The five indicators of [CRM slides], each with the operational definition used here.

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

    Pass a cleaned survey (:func:`crmlab.survey.clean_survey`).

    Parameters
    ----------
    survey : DataFrame
        Cleaned survey answers.
    orders, incidents : DataFrame
        The company's orders and incidents.
    year : int
        The calendar year measured (repurchase compares it with the year before).
    customer_id, recommend, overall_sat : str
        Column names in ``survey``.
    order_date, amount, is_return : str
        Column names in ``orders``.
    incident_date, complaint : str
        Column names in ``incidents``.

    Returns
    -------
    DataFrame
        Index indicator; ``zh``, ``value``, ``numerator``, ``denominator``,
        ``definition``, ``data``.

    Raises
    ------
    KeyError
        A column is missing.
    ValueError
        Empty tables, answers outside 1..5, no sales in ``year − 1`` or ``year``.

    Examples
    --------
    Reputation 2 of 3 recommend; of 2023's buyers {a, b} only a bought again; of 2024's
    buyers {a, c}, c complained; sales power: a (satisfied) 30 against the others' mean
    (0 + 60) / 2 = 30.

    >>> sv = pd.DataFrame({"customer_id": ["a", "b", "c"], "recommend": [5, 2, 4],
    ...                    "overall_sat": [5, 2, 3]})
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "a", "c"], "is_return": False,
    ...     "order_date": pd.to_datetime(["2023-03-01", "2023-05-01", "2024-02-01",
    ...                                   "2024-03-01"]), "amount": [10.0, 20.0, 30.0, 60.0]})
    >>> inc = pd.DataFrame({"customer_id": ["c"], "complaint": [True],
    ...                     "incident_date": pd.to_datetime(["2024-04-01"])})
    >>> satisfaction_indicators(sv, orders, inc, year=2024)["value"].round(4).tolist()
    [0.6667, nan, 0.5, 0.5, 1.0]
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

    title = N_("Chi-square test of independence (卡方检验)")

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

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    row, column : str
        The two categorical columns.

    Returns
    -------
    CrosstabResult
        ``table`` (counts), ``chi2``, ``dof``, ``p_value``, ``cramers_v`` and
        ``share_expected_below_5``.

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
