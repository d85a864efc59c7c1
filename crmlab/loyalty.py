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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._results import Result
from crmlab._validate import (
    SCALE,
    check_frame,
    numeric_answers,
    require_columns,
    require_dates_not_after,
    require_items,
    require_no_missing,
    row_mean,
)
from crmlab.elasticity import price_elasticity
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

#: The loyalty types of both course lists and how they map onto one another. ``type`` is
#: the name used in ``truth.loyalty_type`` and by :func:`classify_loyalty_type`.
TYPES = pd.DataFrame(
    [
        ("monopoly", "垄断忠诚", "垄断", "垄断", "no alternative supplier; buys without liking"),
        ("kinship", "亲缘忠诚", "亲缘", "-", "personal or group ties (business friendship)"),
        ("price", "利益忠诚", "利益", "价格", "stays for the price; leaves for a better one"),
        (
            "convenience",
            "方便忠诚",
            "方便 (incl. 惰性)",
            "方便, 惰性",
            "buys where it is easy; habit and inertia",
        ),
        ("trust", "信赖忠诚", "信赖", "-", "trusts the firm: the goal in the textbook"),
        ("incentive", "激励忠诚", "- (in 利益)", "激励", "buys when rewarded (promotions, points)"),
        ("latent", "潜在忠诚", "-", "潜在", "likes the firm but buys little"),
        ("super_value", "超值忠诚", "- (in 信赖)", "超值", "devoted: high value, recommends"),
        ("none", "无忠诚", "-", "-", "neither attitude nor habit"),
    ],
    columns=["type", "zh", "list_004", "list_001", "profile"],
)

#: Dick & Basu (1994): relative attitude (high/low) x repeat patronage (high/low).
DICK_BASU = {"true": "真正忠诚", "latent": "潜在忠诚", "spurious": "虚假忠诚", "none": "不忠诚"}

#: The four layers of [Chen 2011], labels as in the glossary.
LAYERS = {"none": "无忠诚感", "habit": "满意或习惯", "preference": "偏好", "devotion": "忠贞不二"}

#: Survey items of the attitudinal index: repurchase intention, recommendation and
#: preference (``compare_competitors`` reversed: a customer who does not compare prefers us).
ATTITUDE_ITEMS = ["repurchase_intent", "recommend", "compare_competitors"]

#: Thresholds of :func:`classify_loyalty_type`, set from the type profiles in
#: ``datasets/company.md`` (midpoints between neighbouring type means), not fitted to labels.
CLASSIFIER_RULES = {
    "price_elasticity": -1.5,  # at or below (shrunk estimate): price (利益/价格) loyalty
    "price_choosing_days": 9.5,  # or choosing at least this long: price loyalty
    "promotion_lift": 1.6,  # promotion share / firm's share, at or above: incentive
    "slow_choosing_days": 4.5,  # at or above: a customer who shops around
    "attitude_high": 3.5,  # mean of repurchase intention and trust (1-5), at or above: high
    "friendship_high": 3.6,  # business friendship scale, at or above: kinship
    "monopoly_elasticity": -0.6,  # weaker (above) and no competitor comparison: monopoly
    "compare_low": 2.5,  # compare_competitors at or below: does not look at competitors
    "super_value_attitude": 4.3,  # attitude at or above among trusting customers
}


def _sales(orders: pd.DataFrame, customer_id: str, is_return: str | None) -> pd.DataFrame:
    """Purchase lines only (returns are not purchases)."""
    if is_return is None or is_return not in orders.columns:
        return orders
    return orders[~orders[is_return].astype(bool).to_numpy()]


# --------------------------------------------------------------------------- measures
def _survey_items(survey: pd.DataFrame, items: list[str], customer_id: str) -> pd.DataFrame:
    """First answer sheet per customer, the given items as floats on 1-5."""
    items = require_items(survey, items, items, name="survey")
    require_columns(survey, [customer_id], "survey")
    values = numeric_answers(survey, items, SCALE, need_answers=False)
    out = pd.DataFrame(values, columns=items, index=survey[customer_id].to_numpy())
    return out[~out.index.duplicated(keep="first")]


def loyalty_measures(
    orders: pd.DataFrame,
    survey: pd.DataFrame | None = None,
    incidents: pd.DataFrame | None = None,
    *,
    as_of: object = None,
    ids: object = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    product_line: str = "product_line",
    quote_days: str = "quote_days",
    promotion: str = "promotion",
    is_return: str | None = "is_return",
    incident_date: str = "incident_date",
    compare_competitors: str = "compare_competitors",
    window_days: int = 180,
    min_orders: int = 5,
) -> pd.DataFrame:
    """The five loyalty measures of the course (客户忠诚度的测量, [CRM slides]) per customer.

    - ``repeat_purchases`` (重复购买次数): purchase lines after the first; also
      ``orders_per_year`` = purchase lines / years from the first purchase to ``as_of``
      (at least a quarter year);
    - ``choosing_days`` (购买挑选时间): mean days from quote to order (``quote_days``);
    - ``price_elasticity`` (对价格的敏感程度): :func:`price_elasticity`, shrunk, with
      ``min_orders``;
    - ``compare_competitors`` (对竞争产品的态度): the survey answer (1 never ... 5 always
      compares with competitors), NaN for customers without a survey answer;
    - ``tolerance`` (对产品质量的承受能力): share of the customer's incidents after which
      they bought again within ``window_days``; only incidents at least ``window_days``
      before ``as_of`` count; NaN without such an incident;
    - and a helper for the incentive type, ``promotion_lift``: the share of the customer's
      purchase lines bought on promotion divided by the firm-wide share.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    survey : DataFrame, optional
        Cleaned survey answers (for ``compare_competitors``).
    incidents : DataFrame, optional
        Service incidents (for ``tolerance``).
    as_of : date-like, optional
        The reference date; default the last order date.
    ids : sequence, optional
        Customer ids to report on; default every customer with a purchase line.
    customer_id, order_date, product_line, quote_days, promotion, is_return : str
        Column names in ``orders``.
    incident_date, compare_competitors : str
        Column names in ``incidents`` and ``survey``.
    window_days : int
        Days after an incident in which a new purchase counts as staying.
    min_orders : int
        Purchase lines needed for an elasticity (>= 3).

    Returns
    -------
    DataFrame
        Index customer id; ``repeat_purchases``, ``orders_per_year``, ``choosing_days``,
        ``promotion_lift``, ``price_elasticity``, ``compare_competitors``, ``tolerance``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        A customer in ``ids`` has no purchase line; dates after ``as_of``; the
        survey lacks ``compare_competitors`` or has answers outside 1-5 (clean it first).

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["A"] * 3, "order_date": pd.to_datetime(
    ...     ["2024-01-01", "2024-04-01", "2024-07-01"]), "product_line": "x",
    ...     "quantity": [10, 9, 8], "unit_price": [1.0, 1.1, 1.2], "quote_days": [2, 4, 3],
    ...     "promotion": [True, False, False], "is_return": False})
    >>> m = loyalty_measures(o, as_of="2024-12-31")
    >>> m[["repeat_purchases", "choosing_days", "promotion_lift"]].round(2).to_dict("records")
    [{'repeat_purchases': 2, 'choosing_days': 3.0, 'promotion_lift': 1.0}]
    """
    check_frame(orders, [customer_id, order_date, product_line, quote_days, promotion], "orders")
    require_no_missing(orders, customer_id)
    as_of_ts = pd.Timestamp(orders[order_date].max() if as_of is None else as_of)
    require_dates_not_after(orders, order_date, as_of_ts)
    sales = _sales(orders, customer_id, is_return)
    if ids is not None:
        wanted = pd.Index(pd.Series(ids).astype(object))
        missing = wanted.difference(pd.Index(sales[customer_id].unique()))
        if len(missing):
            raise ValueError(
                f"customer(s) {list(missing[:5])} have no orders (purchase "
                "lines): their loyalty cannot be measured from behaviour."
            )
        sales = sales[sales[customer_id].isin(wanted)]
    g = sales.groupby(customer_id, sort=True)
    first = g[order_date].min()
    years = ((as_of_ts - first).dt.days / 365.25).clip(lower=0.25)
    promo = sales[promotion].astype(bool)
    out = pd.DataFrame({"n_orders": g.size().astype("int64")})
    out["repeat_purchases"] = out["n_orders"] - 1
    out["orders_per_year"] = out["n_orders"] / years
    out["choosing_days"] = g[quote_days].mean().astype(float)
    out["promotion_lift"] = promo.groupby(sales[customer_id]).mean() / max(promo.mean(), 1e-9)
    el = price_elasticity(
        sales,
        customer_id=customer_id,
        product_line=product_line,
        is_return=None,
        min_orders=min_orders,
    )
    out["price_elasticity"] = el["elasticity"].reindex(out.index)
    if survey is not None:
        answers = _survey_items(survey, [compare_competitors], customer_id)
        out["compare_competitors"] = answers[compare_competitors].reindex(out.index)
    if incidents is not None:
        out["tolerance"] = _tolerance(
            sales,
            incidents,
            out.index,
            as_of_ts,
            customer_id,
            order_date,
            incident_date,
            window_days,
        )
    out.index.name = customer_id
    return out


def _tolerance(
    sales: pd.DataFrame,
    incidents: pd.DataFrame,
    ids: pd.Index,
    as_of: pd.Timestamp,
    customer_id: str,
    order_date: str,
    incident_date: str,
    window_days: int,
) -> pd.Series:
    check_frame(incidents, [customer_id, incident_date], "incidents")
    inc = incidents[incidents[incident_date] <= as_of - pd.Timedelta(days=window_days)]
    inc = inc[inc[customer_id].isin(ids)]
    s = sales[[customer_id, order_date]].sort_values([customer_id, order_date])
    i = inc[[customer_id, incident_date]].rename(columns={incident_date: "_t"}).sort_values("_t")
    s = s.rename(columns={order_date: "_t"}).assign(_next=lambda x: x["_t"]).sort_values("_t")
    nxt = pd.merge_asof(
        i, s, on="_t", by=customer_id, direction="forward", allow_exact_matches=False
    )
    cont = (nxt["_next"] - nxt["_t"]).dt.days <= window_days
    return cont.groupby(nxt[customer_id]).mean().reindex(ids)


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
    sales = _sales(orders, customer_id, is_return)
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
        answers = _survey_items(survey, items, customer_id)
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


# --------------------------------------------------------------------------- types
def check_types(names: object) -> list[str]:
    """Raise ``ValueError`` naming any loyalty type not in :data:`TYPES`.

    Parameters
    ----------
    names : str, sequence or Series
        Loyalty type names (missing values are ignored).

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        Naming the names that are not loyalty types.

    Examples
    --------
    >>> check_types(["trust", "price"])
    ['trust', 'price']
    """
    values = [names] if isinstance(names, str) else list(pd.Series(names).dropna())
    known = set(TYPES["type"])
    unknown = sorted({str(v) for v in values} - known)
    if unknown:
        raise ValueError(
            f"unknown loyalty type(s) {unknown}; the types are {TYPES['type'].tolist()}."
        )
    return [str(v) for v in values]


def classify_loyalty_type(
    measures: pd.DataFrame,
    survey: pd.DataFrame | None = None,
    *,
    rules: dict | None = None,
    customer_id: str = "customer_id",
    attitude_items: tuple[str, ...] = ("repurchase_intent", "rq_trust1", "rq_trust2"),
    friendship_items: tuple[str, ...] = ("rq_friend1", "rq_friend2", "rq_friend3"),
) -> pd.DataFrame:
    """Classify customers into the course's loyalty types (a documented decision list).

    Inputs: the measures of :func:`loyalty_measures` (``price_elasticity``,
    ``promotion_lift``, ``choosing_days``, ``compare_competitors``) and, for survey
    respondents, attitude (mean of ``attitude_items``) and business friendship (mean of
    ``friendship_items``). Rules, first match wins (thresholds :data:`CLASSIFIER_RULES`):

    1. elasticity <= −1.5 (shrunk: the truth's −2.4 shrinks toward −1.1) or choosing
       >= 9.5 days → ``price`` (利益/价格: buys for the price, shops around longest);
    2. promotion lift >= 1.6 → ``incentive`` (激励: buys when rewarded);
    3. slow choosing (>= 4.5 days, shops around): attitude high → ``latent`` (潜在: likes
       us, buys little and carefully); else → ``none`` (无忠诚);
    4. quick choosing: friendship high → ``kinship`` (亲缘); attitude >= 4.3 →
       ``super_value`` (超值); attitude high → ``trust`` (信赖); elasticity above −0.6
       and compares little (<= 2.5, or no answer) → ``monopoly`` (垄断); else →
       ``convenience`` (方便/惰性).

    Without a survey answer attitude is unknown and counts as not high. Missing
    elasticity (too few orders) skips rule 1 and the monopoly test.

    Parameters
    ----------
    measures : DataFrame
        As from :func:`loyalty_measures`.
    survey : DataFrame, optional
        Cleaned survey answers, for attitude and friendship.
    rules : dict, optional
        Thresholds overriding :data:`CLASSIFIER_RULES`.
    customer_id : str
        Column name in ``survey``.
    attitude_items, friendship_items : tuple of str
        Survey items of attitude and business friendship.

    Returns
    -------
    DataFrame
        Index as ``measures``: ``loyalty_type``, ``zh``, ``rule`` (number of the rule).

    Raises
    ------
    KeyError
        If a measure or survey item is missing.
    ValueError
        If a rule name is unknown or ``measures`` is empty.

    Examples
    --------
    >>> m = pd.DataFrame({"price_elasticity": [-2.5, -1.0, -1.0, -0.4],
    ...     "promotion_lift": [1, 2, 1, 1], "choosing_days": [10, 5, 9, 1.5],
    ...     "compare_competitors": [4, 3, 4, 2]})
    >>> classify_loyalty_type(m)["loyalty_type"].tolist()
    ['price', 'incentive', 'none', 'monopoly']
    """
    r = {**CLASSIFIER_RULES, **(rules or {})}
    unknown = sorted(set(r) - set(CLASSIFIER_RULES))
    if unknown:
        raise ValueError(f"unknown rule(s) {unknown}; the rules are {list(CLASSIFIER_RULES)}.")
    need = ["price_elasticity", "promotion_lift", "choosing_days"]
    check_frame(measures, need, "measures")
    att = pd.Series(np.nan, index=measures.index)
    friend = pd.Series(np.nan, index=measures.index)
    if survey is not None:
        s = _survey_items(survey, list(attitude_items) + list(friendship_items), customer_id)
        att = pd.Series(row_mean(s[list(attitude_items)].to_numpy(float)), index=s.index).reindex(
            measures.index
        )
        friend = pd.Series(
            row_mean(s[list(friendship_items)].to_numpy(float)), index=s.index
        ).reindex(measures.index)
    el = measures["price_elasticity"].astype(float)
    comp = (
        measures["compare_competitors"].astype(float)
        if "compare_competitors" in measures
        else pd.Series(np.nan, index=measures.index)
    )
    slow = measures["choosing_days"].astype(float) >= r["slow_choosing_days"]
    high = att >= r["attitude_high"]
    conds = [
        (el <= r["price_elasticity"])
        | (measures["choosing_days"].astype(float) >= r["price_choosing_days"]),
        measures["promotion_lift"].astype(float) >= r["promotion_lift"],
        slow & high,
        slow,
        friend >= r["friendship_high"],
        att >= r["super_value_attitude"],
        high,
        (el > r["monopoly_elasticity"]) & ~(comp > r["compare_low"]),
    ]
    names = ["price", "incentive", "latent", "none", "kinship", "super_value", "trust", "monopoly"]
    conds = [c.fillna(False).to_numpy(bool) for c in conds]
    rule = np.select(conds, np.arange(1, len(conds) + 1), len(conds) + 1)
    labels = np.array(names + ["convenience"], dtype=object)[rule - 1]
    zh = TYPES.set_index("type")["zh"]
    out = pd.DataFrame(
        {"loyalty_type": labels, "zh": zh.loc[labels].to_numpy(), "rule": rule},
        index=measures.index,
    )
    return out


@dataclass
class TypeConfusionResult(Result):
    """How well predicted loyalty types match the true ones.

    Attributes
    ----------
    table : DataFrame
        Confusion matrix: rows true type, columns predicted type (counts), and the
        ``recall`` of each true type in a last column.
    accuracy : float
        Share of customers classified correctly.
    n : int
        Customers compared (those with both a prediction and a true type).
    """

    title = N_("Loyalty types: predicted against true")

    table: pd.DataFrame
    accuracy: float
    n: int

    def notes(self) -> list[str]:
        return [
            _("accuracy {accuracy} on {n} customers").format(
                accuracy=f"{self.accuracy:.3f}", n=self.n
            )
        ]

    def summary(self) -> pd.DataFrame:
        """The confusion matrix with the recall column."""
        return self.table


def type_confusion(predicted: pd.Series, true: pd.Series) -> TypeConfusionResult:
    """Confusion matrix of loyalty types and the accuracy of a classification.

    Both Series are matched on their index (customer id); customers missing from either
    are left out.

    Parameters
    ----------
    predicted, true : Series
        Loyalty type per customer (names of :data:`TYPES`).

    Returns
    -------
    TypeConfusionResult
        ``table`` (rows true, columns predicted, counts, plus ``recall``), ``accuracy``
        and ``n``.

    Raises
    ------
    ValueError
        A name that is not a loyalty type, or no common customers.

    Examples
    --------
    >>> t = pd.Series(["trust", "price", "price"], index=[1, 2, 3])
    >>> p = pd.Series(["trust", "price", "none"], index=[1, 2, 3])
    >>> round(type_confusion(p, t).accuracy, 3)  # 2 of 3
    0.667
    """
    check_types(predicted)
    check_types(true)
    common = pd.Series(predicted).dropna().index.intersection(pd.Series(true).dropna().index)
    if common.empty:
        raise ValueError("predicted and true have no customer (index value) in common.")
    order = TYPES["type"].tolist()
    p = pd.Categorical(pd.Series(predicted).loc[common].astype(str), categories=order)
    t = pd.Categorical(pd.Series(true).loc[common].astype(str), categories=order)
    table = pd.crosstab(pd.Series(t, name="true"), pd.Series(p, name="predicted"), dropna=False)
    diag = np.diag(table.to_numpy()).astype(float)
    total = table.to_numpy().sum(axis=1).astype(float)
    table["recall"] = np.divide(diag, total, out=np.full(len(diag), np.nan), where=total > 0)
    return TypeConfusionResult(table, float(diag.sum() / len(common)), len(common))


def values_by_type(values: pd.Series, types: pd.Series) -> dict[str, pd.Series]:
    """The values of one measure split by loyalty type, types ordered by their median
    (smallest first), missing values left out: the groups of a box plot.

    Parameters
    ----------
    values : Series
        One measure per customer id (e.g. ``choosing_days`` of :func:`loyalty_measures`).
    types : Series
        The loyalty type per customer id (e.g. the simulator's true type).

    Returns
    -------
    dict
        Type -> its customers' non-missing values, in order of increasing median.

    Raises
    ------
    ValueError
        If no customer has both a value and a type.

    Examples
    --------
    >>> v = pd.Series([9.0, 11, 2, 3, None], index=list("abcde"))
    >>> t = pd.Series(["price", "price", "trust", "trust", "trust"], index=list("abcde"))
    >>> {k: s.tolist() for k, s in values_by_type(v, t).items()}  # medians 2.5 and 10
    {'trust': [2.0, 3.0], 'price': [9.0, 11.0]}
    """
    d = pd.DataFrame({"v": values, "t": types.reindex(values.index)}).dropna()
    if d.empty:
        raise ValueError("no customer has both a value and a type.")
    order = d.groupby("t", observed=True)["v"].median().sort_values(kind="stable").index
    return {t: d.loc[d["t"] == t, "v"] for t in order}


def measure_validity(
    measures: pd.DataFrame,
    truth: pd.DataFrame,
    *,
    target: str = "switching_cost",
    customer_id: str = "customer_id",
    method: str = "spearman",
) -> pd.Series:
    """How well each measured loyalty trait tracks a true trait: the correlation of every
    column of ``measures`` with ``truth[target]``, customers matched by id (pairs with a
    missing value left out).

    Parameters
    ----------
    measures : DataFrame
        Measures per customer, indexed by customer id (e.g. :func:`loyalty_measures`).
    truth : DataFrame
        One row per customer with ``customer_id`` and the true ``target``.
    target, customer_id : str
        Column names in ``truth``.
    method : {"spearman", "pearson", "kendall"}
        Correlation (pandas ``corrwith``); Spearman by default, as the measures are skewed.

    Returns
    -------
    Series
        One correlation per measure column.

    Raises
    ------
    KeyError
        If ``target`` or ``customer_id`` is missing from ``truth``.
    ValueError
        If ``method`` is unknown or a customer id repeats in ``truth``.

    Examples
    --------
    >>> m = pd.DataFrame({"days": [1.0, 2, 3, 4], "orders": [4.0, 3, 1, 2]},
    ...                  index=list("abcd"))
    >>> t = pd.DataFrame({"customer_id": list("abcd"), "switching_cost": [0.1, 0.2, 0.3, 0.4]})
    >>> measure_validity(m, t).round(2).to_dict()  # ranks 1234 vs 1234; 4312 vs 1234
    {'days': 1.0, 'orders': -0.8}
    """
    require_columns(truth, [customer_id, target], "truth")
    if method not in ("spearman", "pearson", "kendall"):
        raise ValueError(f"method must be 'spearman', 'pearson' or 'kendall', got {method!r}.")
    dup = truth[customer_id].duplicated()
    if dup.any():
        raise ValueError(
            f"truth has repeated customer ids: {truth.loc[dup, customer_id].tolist()[:5]}."
        )
    true = truth.set_index(customer_id)[target].reindex(measures.index)
    return measures.corrwith(true, method=method)
