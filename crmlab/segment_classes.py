"""Chapter 02, the course's customer classifications (客户细分, [CRM slides], [CRM essay],
[CRM textbook]) as explicit rules.

Each function computes one classification from data with its rule written in the
docstring and its thresholds as arguments: value tiers (VIP客户/主要客户/普通客户/小客户)
and ABC classes with their year-to-year transitions; relationship (现有/潜在/历史/竞争者
客户); credit lists (红名单/灰名单/黑名单); status (新客户/忠诚客户/流失客户); five-level
satisfaction and loyalty; strategic classes (战略/主要/交易/风险客户); relationship
levels (基本型 → 伙伴型). Measurement (RFM, profit) is in :mod:`crmlab.segment`, clusters
in :mod:`crmlab.clustering`, the sales funnel in :mod:`crmlab.funnel`.

Two course terms have one definition here, used by the exercises and the notebooks:
:func:`key_customers` (关键客户) and :func:`risk_customers` (风险客户).

The functions live in three modules by topic (``_segment_tiers``: value tiers and ABC;
``_segment_lists``: relationship, credit, status, five levels; ``_segment_strategy``:
strategic classes, resource allocation, relationship levels); import them from here.
"""

from __future__ import annotations

import pandas as pd

from crmlab._segment_lists import (
    FIVE_LEVELS,
    RELATIONSHIPS,
    STATUSES,
    credit_list,
    five_level,
    relationship_class,
    status_class,
)
from crmlab._segment_strategy import (
    RELATIONSHIP_LEVELS,
    STRATEGIC_CLASSES,
    relationship_level,
    resource_allocation,
    strategic_class,
)
from crmlab._segment_tiers import (
    TIERS,
    plot_value_pyramid,
    tier_summary,
    tier_transitions,
    value_tiers,
)
from crmlab._validate import require_columns, require_frame, require_share

__all__ = [
    "TIERS",
    "value_tiers",
    "tier_summary",
    "tier_transitions",
    "plot_value_pyramid",
    "key_customers",
    "risk_customers",
    "RELATIONSHIPS",
    "relationship_class",
    "credit_list",
    "STATUSES",
    "status_class",
    "FIVE_LEVELS",
    "five_level",
    "STRATEGIC_CLASSES",
    "strategic_class",
    "resource_allocation",
    "RELATIONSHIP_LEVELS",
    "relationship_level",
]


# --------------------------------------------------------------------------- course terms
def key_customers(revenue: pd.Series, *, share: float = 0.80) -> pd.Index:
    """The key customers (关键客户) of a period: its A customers of the ABC classes.

    The course's practical task (实训) asks students to pick out, among a firm's many
    customers, the few that matter most to its results. The workbook's one definition:

    - the **buyers** are the customers with a positive net revenue in the period
      (a customer whose returns cancel the purchases is not a buyer);
    - rank them by that revenue, largest first (equal revenues keep the order of the
      index);
    - a buyer is a key customer when the buyers ranked **above** it hold less than
      ``share`` (80%) of the buyers' total revenue: the smallest group at the top whose
      revenue reaches 80%, the buyer who crosses 80% included. This is class ``A`` of
      :func:`value_tiers` over the buyers.

    Activity is not part of the definition: a key customer who has stopped buying is still
    a key customer, one to call first (exercise 02 asks for the *active* key customers,
    those who also bought in the last 90 days).

    Parameters
    ----------
    revenue : Series
        Net revenue of the period per customer (returns included, so it may be 0 or
        negative), indexed by customer id.
    share : float
        Share of the buyers' revenue that the key customers reach, in (0, 1].

    Returns
    -------
    Index
        The key customers' ids, largest revenue first.

    Raises
    ------
    ValueError
        If ``revenue`` is empty, non-numeric or has NaN, has a customer twice, has no buyer,
        or ``share`` is not in (0, 1].

    Examples
    --------
    >>> r = pd.Series([50.0, 30.0, 10.0, 5.0, 5.0, -3.0], index=list("abcdef"))
    >>> key_customers(r).tolist()   # b starts at 50%: key; c starts at 80%: not
    ['a', 'b']
    """
    share = require_share(share, "share", closed_low=False)
    if not isinstance(revenue, pd.Series):
        revenue = pd.Series(revenue)
    if len(revenue) == 0:
        raise ValueError("revenue is empty: one net revenue per customer is needed.")
    twice = revenue.index[revenue.index.duplicated()]
    if len(twice):
        raise ValueError(
            f"revenue has customers more than once: {list(twice.unique()[:5])}; "
            "add up each customer's revenue first (groupby(...).sum())."
        )
    numeric = pd.to_numeric(revenue, errors="coerce")
    bad = revenue.index[numeric.isna()]
    if len(bad):
        raise ValueError(
            f"revenue must be numbers without missing values; customers {list(bad[:5])} have none."
        )
    buyers = numeric[numeric > 0]
    if buyers.empty:
        raise ValueError("no customer has a positive revenue: there are no buyers to rank.")
    if share >= 1:  # every buyer: the ones above the last hold less than 100%
        return value_tiers(buyers).index.copy()
    tiers = value_tiers(buyers, abc_cutoffs=(share, 1.0))
    return tiers.index[tiers["abc"] == "A"]


def risk_customers(
    data: pd.DataFrame, *, profit: str = "profit", credit: str | None = "credit"
) -> pd.Series:
    """Risk customers (风险客户): customers the firm may refuse or stop serving.

    [CRM essay] names as risk customers those who cost the firm more than they bring or
    expose it to losses; the course's strategy for them is to refuse or end service
    (拒绝或终止服务). The workbook's one definition: a customer is a risk customer when

    - it **loses money**: ``profit`` below 0 (a customer at exactly 0 costs nothing), or
    - it is on the **black list** (黑名单) of :func:`credit_list`: ``credit == "black"``
      (skipped when ``credit`` is None, for data without credit lists).

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    profit : str
        Column of the customer's profit (revenue less costs, e.g. from
        :func:`crmlab.segment.customer_profit`).
    credit : str or None
        Column of the credit list (``red``, ``grey``, ``black``), or None.

    Returns
    -------
    Series
        Boolean ``risk`` per customer, same index, for :func:`strategic_class`.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``data`` is empty or a profit is missing or not a number, or the credit column
        holds a value other than red, grey or black.

    Examples
    --------
    >>> t = pd.DataFrame({"profit": [120.0, -5.0, 0.0, 40.0],
    ...                   "credit": ["red", "red", "grey", "black"]})
    >>> risk_customers(t).tolist()
    [False, True, False, True]
    """
    require_frame(data, "data")
    require_columns(data, [profit] + ([credit] if credit is not None else []), "data")
    values = pd.to_numeric(data[profit], errors="coerce")
    bad = data.index[values.isna()]
    if len(bad):
        raise ValueError(
            f"column {profit!r} must hold a number for every customer; rows {list(bad[:5])} "
            "have none."
        )
    risk = values < 0
    if credit is not None:
        lists = data[credit].astype("string")
        odd = data.index[~lists.isin(["red", "grey", "black"]).fillna(False)]
        if len(odd):
            raise ValueError(
                f"column {credit!r} must be 'red', 'grey' or 'black'; rows {list(odd[:5])} "
                f"hold {sorted(map(str, data.loc[odd, credit].unique()[:5]))}."
            )
        risk = risk | (lists == "black").to_numpy(dtype=bool)
    return pd.Series(risk.to_numpy(dtype=bool), index=data.index, name="risk")
