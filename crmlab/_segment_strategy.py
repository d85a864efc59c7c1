"""Strategic classes, resource allocation and relationship levels (part of
:mod:`crmlab.segment_classes`, which re-exports every public name)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab._validate import (
    check_frame,
    require_columns,
    require_frame,
    require_numeric,
    require_positive,
)

# --------------------------------------------------------------------------- strategic

#: The strategic classes of [CRM essay] with the course's relationship strategy, and the
#: resource allocation rule used in the notebook.
STRATEGIC_CLASSES = pd.DataFrame(
    [
        (
            "strategic",
            "战略客户",
            "long, close alliance (长期紧密联盟)",
            "most resources: account team, visits, joint planning",
        ),
        (
            "major",
            "主要客户",
            "long, stable learning relationship (长期稳定的学习型关系)",
            "regular visits and calls, tailored offers",
        ),
        (
            "transactional",
            "交易客户",
            "keep the transactional relationship (维持交易关系)",
            "low-cost channels: calls, online, standard terms",
        ),
        (
            "risk",
            "风险客户",
            "refuse or end service (拒绝或终止服务)",
            "no relationship spend; cash or secured terms",
        ),
    ],
    columns=["class", "zh", "relationship_strategy", "resource_allocation"],
)


def strategic_class(
    data: pd.DataFrame,
    *,
    tier: str = "tier",
    potential: str = "potential",
    risk: str = "risk",
    strategic_tiers: Sequence[str] = ("VIP", "major"),
    major_tiers: Sequence[str] = ("VIP", "major", "ordinary"),
) -> pd.Series:
    """Strategic classes ([CRM essay]) from value x potential/risk.

    Rule, first that holds:

    - ``risk`` 风险客户: ``risk`` is true (e.g. black-listed credit, or losing money);
    - ``strategic`` 战略客户: tier in ``strategic_tiers`` (VIP, major: the top 5%) and
      ``potential`` true (e.g. growing);
    - ``major`` 主要客户: tier in ``major_tiers`` (top 20%);
    - ``transactional`` 交易客户: the rest.

    Parameters
    ----------
    data : DataFrame
        One row per customer with its value tier, a potential flag and a risk flag.
    tier, potential, risk : str
        Column names.
    strategic_tiers : sequence of str
        Tiers that make a customer with potential strategic.
    major_tiers : sequence of str
        Tiers of the major customers.

    Returns
    -------
    Series
        Categorical ``strategic_class`` (strategic, major, transactional, risk), same index.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``data`` is empty.

    Examples
    --------
    >>> t = pd.DataFrame({"tier": ["VIP", "VIP", "ordinary", "small", "small"],
    ...     "potential": [True, False, True, True, False],
    ...     "risk": [False, False, False, False, True]})
    >>> strategic_class(t).tolist()
    ['strategic', 'major', 'major', 'transactional', 'risk']
    """
    require_frame(data, "table")
    require_columns(data, [tier, potential, risk], "table")
    t = data[tier].astype(str)
    codes = np.select(
        [
            data[risk].astype(bool).to_numpy(),
            (t.isin(list(strategic_tiers)) & data[potential].astype(bool)).to_numpy(),
            t.isin(list(major_tiers)).to_numpy(),
        ],
        [3, 0, 1],
        2,
    )
    names = STRATEGIC_CLASSES["class"].tolist()
    return pd.Series(
        pd.Categorical.from_codes(codes, names), index=data.index, name="strategic_class"
    )


# --------------------------------------------------------------------------- levels

#: Relationship levels ([CRM slides], after Kotler): name, 中文, contacts a year (upper bound).
RELATIONSHIP_LEVELS = [
    ("basic", "基本型", 0),
    ("reactive", "被动型", 2),
    ("accountable", "负责型", 6),
    ("proactive", "能动型", 12),
    ("partnership", "伙伴型", np.inf),
]


def resource_allocation(
    data: pd.DataFrame, *, group: str = "class", profit: str = "profit", cost: str = "contact_cost"
) -> pd.DataFrame:
    """Does the spend follow the value? Each class's share of customers' profit beside its
    share of a cost (e.g. account-manager contacts), and the cost per customer.

    Parameters
    ----------
    data : DataFrame
        One row per customer with its class, profit and cost.
    group, profit, cost : str
        Column names.

    Returns
    -------
    DataFrame
        One row per class (every category): ``n_customers``, ``profit_share`` (of the
        total profit), ``{cost}_share`` (of the total cost), ``{cost}_per_customer``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``data`` is empty, ``profit`` or ``cost`` is not numeric or has missing values,
        or a total is 0.

    Examples
    --------
    >>> d = pd.DataFrame({"class": ["x", "x", "y"], "profit": [30.0, 30.0, 40.0],
    ...                   "contact_cost": [10.0, 0.0, 30.0]})
    >>> resource_allocation(d).loc["x"].tolist()  # 60 of 100 profit, 10 of 40 cost, 10 / 2
    [2.0, 0.6, 0.25, 5.0]
    """
    require_frame(data, "data")
    require_columns(data, [group, profit, cost], "data")
    for col in (profit, cost):
        require_numeric(data, col)
        if float(data[col].sum()) == 0:
            raise ValueError(f"the total of {col!r} is 0: shares are undefined.")
    g = data.groupby(group, observed=False)
    n = g.size()
    return pd.DataFrame(
        {
            "n_customers": n,
            "profit_share": g[profit].sum() / data[profit].sum(),
            f"{cost}_share": g[cost].sum() / data[cost].sum(),
            f"{cost}_per_customer": g[cost].sum() / n,
        }
    )


def relationship_level(
    contacts: pd.DataFrame,
    ids: Sequence,
    *,
    as_of: object,
    window_days: int = 365,
    customer_id: str = "customer_id",
    contact_date: str = "contact_date",
) -> pd.DataFrame:
    """Relationship levels (客户关系类型, [CRM slides]) by contact intensity.

    Contacts (visits, calls, events) in the ``window_days`` before ``as_of`` are scaled
    to a year; then: 0 ``basic`` 基本型 (sell and leave); up to 2 ``reactive`` 被动型;
    up to 6 ``accountable`` 负责型 (follow-up); up to 12 ``proactive`` 能动型 (regular
    contact); more ``partnership`` 伙伴型 (continuous work together). The data show only
    the firm's contacts, so "reactive" (the customer calls) is approximated by a
    few contacts.

    Parameters
    ----------
    contacts : DataFrame
        One row per account-manager contact.
    ids : sequence
        Customer ids to report on (the output's index); customers without contacts are
        ``basic``.
    as_of : date-like
        The reference date.
    window_days : int
        Days before ``as_of`` counted.
    customer_id, contact_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index customer id; ``contacts_per_year`` and ``level`` (ordered categorical).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``contacts`` is empty or ``window_days`` is not positive.

    Examples
    --------
    >>> contacts = pd.DataFrame({"customer_id": ["A"] * 3 + ["B"] * 20, "contact_date":
    ...     pd.Timestamp("2024-06-01")})
    >>> relationship_level(contacts, ["A", "B", "C"], as_of="2024-12-31")["level"].tolist()
    ['accountable', 'partnership', 'basic']
    """
    as_of = pd.Timestamp(as_of)
    require_positive(window_days, "window_days")
    check_frame(contacts, [customer_id, contact_date], "contacts")
    window = contacts[
        (contacts[contact_date] <= as_of)
        & (contacts[contact_date] > as_of - pd.Timedelta(days=window_days))
    ]
    per_year = (
        window.groupby(customer_id).size().reindex(pd.Index(ids), fill_value=0) * 365 / window_days
    )
    bounds = np.array([b for _, _, b in RELATIONSHIP_LEVELS])
    codes = np.searchsorted(bounds, per_year.to_numpy(), side="left")
    names = [n for n, _, _ in RELATIONSHIP_LEVELS]
    return pd.DataFrame(
        {
            "contacts_per_year": per_year.to_numpy(),
            "level": pd.Categorical.from_codes(codes, names, ordered=True),
        },
        index=per_year.index.rename(customer_id),
    )
