"""Chapter 01, customer survey analysis (客户调查分析): from the questionnaire to scores.

The steps of the course ([CRM slides], [CRM essay], [CRM textbook]; course notes §1) before
any satisfaction figure: data processing (数据处理: :func:`validation_report`,
:func:`clean_survey`, :func:`reverse_code`), reliability (信度: :func:`cronbach_alpha`,
:func:`item_analysis`, :func:`scale_reliability`, :func:`scale_scores`) and structure
(:func:`factor_structure`, statsmodels' factor analysis); the last two topics live in
``_survey_reliability`` and ``_survey_factors`` and are imported here. Sampling design is in
:mod:`crmlab.sampling`; satisfaction (SERVQUAL gaps, classes, drivers, indicators) in
:mod:`crmlab.satisfaction`. Defaults match the synthetic company's survey
(``datasets/company.md``, ``datasets/survey_instrument.csv``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._schema import REVERSE_ITEMS, SERVICE_DIMENSIONS, SURVEY_ITEMS
from crmlab._survey_factors import FactorResult, factor_structure
from crmlab._survey_reliability import (
    NAN_POLICIES,  # noqa: F401  (survey.NAN_POLICIES, as before the split)
    RELATIONSHIP_SCALES,
    AlphaEstimate,
    cronbach_alpha,
    item_analysis,
    scale_reliability,
    scale_scores,
)
from crmlab._validate import (
    SCALE,
    answer_columns,
    check_scale,
    numeric_answers,
    require_columns,
    require_items,
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
    wave: str | None = "wave",
    per: str = "check",
) -> pd.DataFrame:
    """Check raw answers (数据检查) before any analysis; a table, not prints.

    Rules: an answer outside ``scale`` is an **out-of-range code** (data-entry error);
    **missing** is no answer; a **straight-liner** gave the same in-range answer to every
    item answered (at least half of ``items``; a genuine respondent varies, not least on
    reverse-coded items); a **duplicate** is a later sheet of a respondent already seen
    earlier in the row order, within the same survey wave when the table has a ``wave``
    column (a panel member answers once a wave: a later wave's sheet is not a duplicate).

    Parameters
    ----------
    survey : DataFrame
        One answer sheet per row.
    items : list of str, optional
        Item columns; default the company's 36 items (``crmlab._schema.SURVEY_ITEMS``).
    scale : (low, high), default (1, 5)
    customer_id : str, default "customer_id"
    wave : str or None, default "wave"
        Column of the survey wave, if the table has it (the company's survey has yearly
        waves); ``None`` counts every later sheet of a respondent as a duplicate.
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
    keys = [customer_id] + ([wave] if wave is not None and wave in survey.columns else [])
    dup = survey.duplicated(subset=keys, keep="first").to_numpy()
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
            f"{customer_id} already answered on an earlier row"
            + (f" of the same {keys[1]}" if len(keys) > 1 else ""),
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
    wave: str | None = "wave",
    drop_straightliners: bool = True,
) -> pd.DataFrame:
    """Clean raw answers (数据清洗) by the rules of :func:`validation_report`.

    Steps, in order: (1) out-of-range codes become missing (an entry error carries no
    answer); (2) duplicate respondents: **keep the first sheet** in row order (the
    synthetic survey is sorted by date, so the earliest answer) and drop later ones of
    the same wave (every wave of a panel member is kept);
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
    wave : str or None, default "wave"
        Wave column, used if the table has it: duplicates are counted within a wave.
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
    report = validation_report(
        survey, items=items, scale=scale, customer_id=customer_id, wave=wave, per="row"
    )
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
