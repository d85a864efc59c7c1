"""Chapter 03, customer loyalty (客户忠诚): measuring loyalty and telling its types apart.

The course ([Chen 2011], [CRM slides], [CRM textbook]; course notes §3): the five loyalty
measures (客户忠诚度的测量, [CRM slides]; price sensitivity is estimated in
:mod:`crmlab.elasticity`), behavioural and attitudinal loyalty (行为忠诚, 意识忠诚/情感忠诚,
[Chen 2011]), the attitudinal x behavioural matrix (Dick & Basu 1994), the loyalty types of
two lists ([CRM textbook] and [CRM slides]), the four layers ([Chen 2011]) and the five
loyalty classes ([CRM textbook]). Market types and word of mouth (Jones & Sasser 1995; the
1 -> 8 and 1 -> 25 rules) are in :mod:`crmlab.loyalty_market`.

Defaults match the synthetic company (``datasets/company.md``): ``orders`` with
``customer_id``, ``order_date``, ``product_line``, ``quantity``, ``unit_price``,
``is_return``, ``promotion``, ``quote_days``; a *cleaned* survey
(:func:`crmlab.survey.clean_survey`) with ``repurchase_intent``, ``recommend``,
``compare_competitors`` and the relationship items; ``incidents`` with ``customer_id``
and ``incident_date``. Regressions are statsmodels'.

What lives where: this module holds the indices and the classes built on them
(:func:`loyalty_indices`, :func:`index_reliability`, :func:`dick_basu`,
:func:`loyalty_layers`, :func:`loyalty_level`); the five measures and their checks against
the truth (:func:`loyalty_measures`, :func:`values_by_type`, :func:`measure_validity`) are
in ``crmlab/_loyalty_measures.py``, the loyalty types (:data:`TYPES`,
:func:`classify_loyalty_type`, :data:`CLASSIFIER_RULES`, :func:`type_confusion`,
:func:`check_types`) in ``crmlab/_loyalty_types.py``. All are imported here: use them
through ``crmlab.loyalty``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._loyalty_measures import (
    loyalty_measures,
    measure_validity,
    sales_lines,
    survey_items,
    values_by_type,
)
from crmlab._loyalty_types import (
    CLASSIFIER_RULES,
    TYPES,
    TypeConfusionResult,
    check_types,
    classify_loyalty_type,
    type_confusion,
)
from crmlab._validate import (
    check_frame,
    require_columns,
    require_dates_not_after,
    require_items,
    row_mean,
)
from crmlab.segment_classes import five_level
from crmlab.survey import cronbach_alpha

__all__ = [
    "TYPES",
    "DICK_BASU",
    "LAYERS",
    "ATTITUDE_ITEMS",
    "CLASSIFIER_RULES",
    "loyalty_measures",
    "values_by_type",
    "measure_validity",
    "loyalty_indices",
    "index_reliability",
    "dick_basu",
    "loyalty_layers",
    "loyalty_level",
    "classify_loyalty_type",
    "TypeConfusionResult",
    "type_confusion",
    "check_types",
]
#: Dick & Basu (1994): relative attitude (high/low) x repeat patronage (high/low).
DICK_BASU = {"true": "真正忠诚", "latent": "潜在忠诚", "spurious": "虚假忠诚", "none": "不忠诚"}

#: The four layers of [Chen 2011], labels as in the glossary.
LAYERS = {"none": "无忠诚感", "habit": "满意或习惯", "preference": "偏好", "devotion": "忠贞不二"}

#: Survey items of the attitudinal index: repurchase intention, recommendation and
#: preference (``compare_competitors`` reversed: a customer who does not compare prefers us).
ATTITUDE_ITEMS = ["repurchase_intent", "recommend", "compare_competitors"]


# --------------------------------------------------------------------------- indices
def loyalty_indices(
    orders: pd.DataFrame,
    survey: pd.DataFrame | None = None,
    *,
    as_of: object = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    is_return: str | None = "is_return",
    items: list[str] | None = None,
    reverse: tuple[str, ...] = ("compare_competitors",),
) -> pd.DataFrame:
    """Behavioural (行为忠诚) and attitudinal (意识/情感忠诚) loyalty per customer.

    Behavioural: ``repeat_rate`` (purchase lines per year since the first purchase) and
    ``continuity`` (share of calendar quarters from the first purchase to ``as_of`` with a
    purchase); ``behavioural`` = mean of their percentile ranks, in [0, 1].
    Attitudinal: the survey items ``items`` (default :data:`ATTITUDE_ITEMS`: repurchase
    intention, recommendation, preference = ``compare_competitors`` reversed 6 − x);
    ``attitudinal`` = their mean (1-5) when at least two are answered, else NaN.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    survey : DataFrame, optional
        Cleaned survey answers; without it ``attitudinal`` is NaN.
    as_of : date-like, optional
        The reference date; default the last order date.
    customer_id, order_date, is_return : str
        Column names.
    items : list of str, optional
        Attitude items; default :data:`ATTITUDE_ITEMS`.
    reverse : tuple of str
        Items scored 6 − x (a high answer means low loyalty).

    Returns
    -------
    DataFrame
        Index customer id; ``repeat_rate``, ``continuity``, ``behavioural``, the items and
        ``attitudinal``.

    Raises
    ------
    ValueError
        The survey lacks an item or has answers outside 1-5.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["A", "A", "B"], "order_date": pd.to_datetime(
    ...     ["2024-01-05", "2024-07-01", "2024-10-01"]), "is_return": False})
    >>> loyalty_indices(o, as_of="2024-12-31")["continuity"].tolist()
    [0.5, 1.0]
    """
    check_frame(orders, [customer_id, order_date], "orders")
    as_of_ts = pd.Timestamp(orders[order_date].max() if as_of is None else as_of)
    require_dates_not_after(orders, order_date, as_of_ts)
    sales = sales_lines(orders, customer_id, is_return)
    g = sales.groupby(customer_id, sort=True)
    first = g[order_date].min()
    years = ((as_of_ts - first).dt.days / 365.25).clip(lower=0.25)
    q_end = as_of_ts.year * 4 + (as_of_ts.month - 1) // 3
    q = sales[order_date].dt.year * 4 + (sales[order_date].dt.month - 1) // 3
    n_q = q.groupby(sales[customer_id]).nunique()
    span = q_end - q.groupby(sales[customer_id]).min() + 1
    out = pd.DataFrame({"repeat_rate": g.size() / years, "continuity": n_q / span})
    out["behavioural"] = (out["repeat_rate"].rank(pct=True) + out["continuity"].rank(pct=True)) / 2
    if survey is not None:
        items = list(ATTITUDE_ITEMS if items is None else items)
        answers = survey_items(survey, items, customer_id)
        for item in reverse:
            if item in answers:
                answers[item] = 6 - answers[item]
        answers = answers.reindex(out.index)
        enough = answers.notna().sum(axis=1) >= min(2, len(items))
        out[items] = answers
        out["attitudinal"] = np.where(enough, row_mean(answers.to_numpy(float)), np.nan)
    out.index.name = customer_id
    return out


def index_reliability(
    indices: pd.DataFrame,
    *,
    items: list[str] | None = None,
    behaviour: tuple[str, str] = ("repeat_rate", "continuity"),
) -> pd.DataFrame:
    """Cronbach's alpha (:func:`crmlab.survey.cronbach_alpha`) of the attitudinal items
    and of the two behavioural components (log repeat rate and continuity, standardised:
    alpha of z-scores is the standardised alpha).

    Parameters
    ----------
    indices : DataFrame
        As from :func:`loyalty_indices` (with a survey).
    items : list of str, optional
        Attitude items; default :data:`ATTITUDE_ITEMS`.
    behaviour : (str, str)
        The two behavioural columns.

    Returns
    -------
    DataFrame
        Index ``attitudinal``, ``behavioural``: ``n_items``, ``alpha``, ``n``.

    Raises
    ------
    KeyError
        If an item or column is missing.
    ValueError
        If fewer than two items are given, or an item is off the 1-5 scale.

    Examples
    --------
    var(a) = 5/3, var(b) = 4/3, cov(a, b) = 4/3: alpha = 2 (1 - 3 / (3 + 8/3)) = 0.9412.

    >>> d = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4],
    ...     "repeat_rate": [1.0, 2.0, 4.0, 8.0], "continuity": [0.2, 0.4, 0.6, 0.9]})
    >>> float(index_reliability(d, items=["a", "b"]).loc["attitudinal", "alpha"].round(4))
    0.9412
    """
    items = list(ATTITUDE_ITEMS if items is None else items)
    require_items(indices, items, items, minimum=2, name="indices")
    require_columns(indices, list(behaviour), "indices")
    att = indices[items].dropna(how="all")
    beh = pd.DataFrame(
        {
            "rate": np.log(indices[behaviour[0]].astype(float)),
            "cont": indices[behaviour[1]].astype(float),
        }
    )
    beh = (beh - beh.mean()) / beh.std()
    return pd.DataFrame(
        {
            "n_items": [len(items), 2],
            "alpha": [
                cronbach_alpha(att, items=items),
                cronbach_alpha(beh, items=["rate", "cont"], scale=None),
            ],
            "n": [len(att), len(beh)],
        },
        index=pd.Index(["attitudinal", "behavioural"], name="index"),
    )


def dick_basu(
    indices: pd.DataFrame,
    *,
    attitudinal: str = "attitudinal",
    behavioural: str = "behavioural",
    attitude_cut: float = 3.5,
    behaviour_cut: float = 0.5,
) -> pd.Series:
    """Dick & Basu (1994) loyalty matrix: relative attitude x repeat patronage.

    High attitude and high behaviour: ``true`` (真正忠诚); high attitude, low behaviour:
    ``latent`` (潜在忠诚); low attitude, high behaviour: ``spurious`` (虚假忠诚, habit or
    barriers); both low: ``none`` (不忠诚). High means ``>= cut``: attitude 3.5 (agrees on
    average on the 1-5 items), behaviour 0.5 (above the median customer). Missing
    attitude gives NaN.

    Parameters
    ----------
    indices : DataFrame
        As from :func:`loyalty_indices`.
    attitudinal, behavioural : str
        Column names.
    attitude_cut, behaviour_cut : float
        Where high starts.

    Returns
    -------
    Series
        Categorical ``true``, ``latent``, ``spurious``, ``none`` (NaN without attitude).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``indices`` is empty.

    Examples
    --------
    >>> df = pd.DataFrame({"attitudinal": [4, 4, 2, 2, None],
    ...                    "behavioural": [0.9, 0.1, 0.9, 0.1, 0.9]})
    >>> dick_basu(df).tolist()
    ['true', 'latent', 'spurious', 'none', nan]
    """
    check_frame(indices, [attitudinal, behavioural], "indices")
    a, b = indices[attitudinal].astype(float), indices[behavioural].astype(float)
    cell = np.select(
        [(a >= attitude_cut) & (b >= behaviour_cut), a >= attitude_cut, b >= behaviour_cut],
        ["true", "latent", "spurious"],
        "none",
    )
    cat = pd.Categorical(np.where(a.isna() | b.isna(), None, cell), categories=list(DICK_BASU))
    return pd.Series(cat, index=indices.index, name="dick_basu")


def loyalty_layers(
    indices: pd.DataFrame,
    *,
    attitudinal: str = "attitudinal",
    behavioural: str = "behavioural",
    recommend: str = "recommend",
    attitude_cut: float = 3.5,
    devotion_cut: float = 4.5,
    behaviour_cut: float = 0.5,
) -> pd.Series:
    """The four layers of loyalty (顾客忠诚的层次, [Chen 2011]): ``none`` (无忠诚感) → ``habit``
    (满意或习惯) → ``preference`` (偏好) → ``devotion`` (忠贞不二).

    Rules (ours; [Chen 2011] describes the layers in words): attitude ``>= devotion_cut``,
    behaviour ``>= behaviour_cut`` and recommendation 5: devotion; else attitude
    ``>= attitude_cut``: preference; else behaviour high: habit; else none.

    Parameters
    ----------
    indices : DataFrame
        As from :func:`loyalty_indices`, with a ``recommend`` answer.
    attitudinal, behavioural, recommend : str
        Column names.
    attitude_cut, devotion_cut, behaviour_cut : float
        Where preference, devotion and high behaviour start.

    Returns
    -------
    Series
        Ordered categorical ``none`` < ``habit`` < ``preference`` < ``devotion``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``indices`` is empty.

    Examples
    --------
    >>> df = pd.DataFrame({"attitudinal": [4.7, 4.0, 2.0, 2.0],
    ...     "behavioural": [0.8, 0.2, 0.9, 0.1], "recommend": [5, 4, 3, 2]})
    >>> loyalty_layers(df).tolist()
    ['devotion', 'preference', 'habit', 'none']
    """
    check_frame(indices, [attitudinal, behavioural, recommend], "indices")
    a, b = indices[attitudinal].astype(float), indices[behavioural].astype(float)
    r = indices[recommend].astype(float)
    layer = np.select(
        [
            (a >= devotion_cut) & (b >= behaviour_cut) & (r >= 5),
            a >= attitude_cut,
            b >= behaviour_cut,
        ],
        ["devotion", "preference", "habit"],
        "none",
    )
    cat = pd.Categorical(
        np.where(a.isna() | b.isna(), None, layer), categories=list(LAYERS), ordered=True
    )
    return pd.Series(cat, index=indices.index, name="layer")


def loyalty_level(
    indices: pd.DataFrame, *, attitudinal: str = "attitudinal", behavioural: str = "behavioural"
) -> pd.Series:
    """The five loyalty classes of [CRM textbook] (非常忠诚 … 很不忠诚) from a 1-5 loyalty score:
    ``score = (attitudinal + (1 + 4 × behavioural)) / 2``, the behavioural percentile mapped
    onto 1-5; without a survey answer the behavioural part alone. Classes by
    :func:`crmlab.segment_classes.five_level` (half up).

    Parameters
    ----------
    indices : DataFrame
        As from :func:`loyalty_indices`.
    attitudinal, behavioural : str
        Column names.

    Returns
    -------
    Series
        The five loyalty labels (ordered categorical).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``indices`` is empty.

    Examples
    --------
    >>> df = pd.DataFrame({"attitudinal": [5.0, 1.0, None], "behavioural": [1.0, 0.0, 0.5]})
    >>> loyalty_level(df).tolist()
    ['非常忠诚', '很不忠诚', '基本忠诚']
    """
    check_frame(indices, [attitudinal, behavioural], "indices")
    beh = 1 + 4 * indices[behavioural].astype(float)
    score = pd.concat([indices[attitudinal].astype(float), beh], axis=1).mean(axis=1)
    return five_level(score, "loyalty").rename("loyalty_level")
