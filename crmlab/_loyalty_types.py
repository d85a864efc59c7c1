"""Chapter 03, the course's loyalty types (two lists, [CRM textbook] and [CRM slides]):
:data:`TYPES`, the decision list :func:`classify_loyalty_type` with its thresholds
:data:`CLASSIFIER_RULES`, and :func:`type_confusion` to score it against the true types.
Part of :mod:`crmlab.loyalty`, which imports everything from here: use it through
``loyalty``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._loyalty_measures import survey_items
from crmlab._results import Result
from crmlab._validate import check_frame, row_mean

__all__ = [
    "TYPES",
    "CLASSIFIER_RULES",
    "check_types",
    "classify_loyalty_type",
    "TypeConfusionResult",
    "type_confusion",
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
        s = survey_items(survey, list(attitude_items) + list(friendship_items), customer_id)
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
