"""Marketing automation (营销自动化) for chapter 06: one row per campaign member with its
outcome and what the CRM knew at the start, a true effect from ``truth_effects``, and the
net value of targeting rules. Imported by :mod:`crmlab.crm.operations`, where these names
are public."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate import check_frame
from crmlab.crm._sales import churned_within


def campaign_frame(
    campaign_id: str,
    members: pd.DataFrame,
    campaigns: pd.DataFrame,
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    months: int = 6,
) -> pd.DataFrame:
    """One row per member of a campaign: group, outcome (churn within ``months`` of the
    start, :func:`churned_within`) and what the CRM knew of the customer at the start,
    as numeric features for an uplift model.

    Features: ``tenure_years`` at the start, ``log_revenue_12m`` (log of 1 + revenue in
    the 12 months before the start, thousand yuan) and one 0/1 column per level of
    ``industry``, ``channel`` and ``size`` (``industry_e_commerce``, ...).

    Parameters
    ----------
    campaign_id : str
    members, campaigns, customers, orders, churn : DataFrame
        The company's tables of these names.
    months : int, default 6

    Returns
    -------
    DataFrame
        ``customer_id``, ``group``, ``treated`` (bool), ``churned`` (0/1) and the features.

    Raises
    ------
    KeyError
        If ``campaign_id`` is not in ``campaigns`` or a column is missing.

    Examples
    --------
    >>> m = pd.DataFrame({"campaign_id": ["A"], "customer_id": ["c"], "group": ["control"]})
    >>> k = pd.DataFrame({"campaign_id": ["A"], "start_date": pd.to_datetime(["2023-03-01"])})
    >>> cu = pd.DataFrame({"customer_id": ["c"], "industry": ["retail"], "channel": ["web"],
    ...     "size": ["small"], "acquisition_date": pd.to_datetime(["2021-03-01"])})
    >>> o = pd.DataFrame({"customer_id": ["c"], "order_date": pd.to_datetime(["2023-01-05"]),
    ...     "amount": [999.0]})
    >>> ch = pd.DataFrame({"customer_id": ["c"], "churn_date": pd.to_datetime(["2023-05-01"])})
    >>> f = campaign_frame("A", m, k, cu, o, ch)
    >>> f[["churned", "industry_retail"]].to_dict("records")
    [{'churned': 1, 'industry_retail': 1.0}]
    >>> round(float(f["log_revenue_12m"].iloc[0]), 3)  # log(1 + 0.999)
    0.693
    """
    camp = check_frame(campaigns, ["campaign_id", "start_date"], "campaigns")
    if campaign_id not in set(camp["campaign_id"]):
        raise KeyError(f"campaign {campaign_id!r} is not in campaigns: {list(camp['campaign_id'])}")
    start = pd.Timestamp(camp.set_index("campaign_id").loc[campaign_id, "start_date"])
    m = check_frame(members, ["campaign_id", "customer_id", "group"], "members")
    m = m[m["campaign_id"] == campaign_id].reset_index(drop=True)
    cols = ["customer_id", "industry", "channel", "size", "acquisition_date"]
    cust = check_frame(customers, cols, "customers").set_index("customer_id")
    o = check_frame(orders, ["customer_id", "order_date", "amount"], "orders")
    recent = o[(o["order_date"] < start) & (o["order_date"] >= start - pd.DateOffset(months=12))]
    revenue = recent.groupby("customer_id")["amount"].sum().clip(lower=0) / 1000
    out = pd.DataFrame(
        {
            "customer_id": m["customer_id"],
            "group": m["group"].astype(str),
            "treated": (m["group"].astype(str) == "treatment").to_numpy(),
            "churned": churned_within(
                m["customer_id"], pd.Series(start, index=m.index), churn, months=months
            ),
            "tenure_years": (start - m["customer_id"].map(cust["acquisition_date"])).dt.days
            / 365.25,
            "log_revenue_12m": np.log1p(m["customer_id"].map(revenue).fillna(0.0)),
        }
    )
    for col in ("industry", "channel", "size"):
        levels = cust[col].astype(str)
        for level in sorted(levels.unique()):
            out[f"{col}_{level}"] = (m["customer_id"].map(levels) == level).astype(float)
    return out


def true_effect(
    truth_effects: pd.DataFrame, mechanism: str, parameter: str, level: str = "all"
) -> float:
    """One true value of the company's ``truth_effects`` table (for checking an estimate).

    Parameters
    ----------
    truth_effects : DataFrame
        ``mechanism``, ``parameter``, ``level``, ``value``.
    mechanism, parameter, level : str

    Returns
    -------
    float

    Raises
    ------
    KeyError
        If no row (or more than one) matches.

    Examples
    --------
    >>> te = pd.DataFrame({"mechanism": ["m"], "parameter": ["p"], "level": ["all"],
    ...                    "value": [0.6]})
    >>> true_effect(te, "m", "p")
    0.6
    """
    te = check_frame(truth_effects, ["mechanism", "parameter", "level", "value"], "truth_effects")
    hit = te[
        (te["mechanism"] == mechanism) & (te["parameter"] == parameter) & (te["level"] == level)
    ]
    if len(hit) != 1:
        raise KeyError(
            f"truth_effects has {len(hit)} rows for mechanism={mechanism!r}, "
            f"parameter={parameter!r}, level={level!r}; expected 1."
        )
    return float(hit["value"].iloc[0])


def targeting_value(
    scores: dict[str, pd.Series],
    gains: pd.Series,
    costs: pd.Series,
    *,
    value_per_unit: float,
    shares: tuple[float, ...] = (0.1, 0.2, 0.3, 0.5, 1.0),
) -> pd.DataFrame:
    """Net value in yuan of contacting the top share of customers by each score, when each
    customer's true gain is known: ``value_per_unit`` × (sum of the contacted customers'
    gains) − (sum of their contact costs). As :func:`crmlab.uplift.policy_value`, with a
    cost per customer (two campaigns with different offers).

    Parameters
    ----------
    scores : dict of str to Series
        Ranking rules by name (higher = contacted first), aligned with ``gains``.
    gains : Series
        True gain per customer (e.g. the fall in the probability of churning).
    costs : Series
        Contact cost per customer, yuan.
    value_per_unit : float
        Yuan per unit of gain (e.g. the value of a customer kept).
    shares : tuple of float
        Shares of customers contacted.

    Returns
    -------
    DataFrame
        Index rule, one column per share: yuan. Ties keep the order of ``gains``.

    Raises
    ------
    ValueError
        If lengths differ or a value is missing.

    Examples
    --------
    Gains 0.2, −0.1, 0.3, cost 10 each, 1,000 yuan per unit; contacting the top two by
    score a (customers 1 and 2): 1000 × 0.1 − 20 = 80.

    >>> g, c = pd.Series([0.2, -0.1, 0.3]), pd.Series([10.0] * 3)
    >>> targeting_value({"a": pd.Series([0.9, 0.5, 0.1])}, g, c, value_per_unit=1000,
    ...                 shares=(2 / 3,)).iloc[0].to_list()
    [80.0]
    """
    g = np.asarray(gains, dtype=float)
    c = np.asarray(costs, dtype=float)
    rows = {}
    for name, score in scores.items():
        s = np.asarray(score, dtype=float)
        if not (s.size == g.size == c.size) or np.isnan(s).any() or np.isnan(g).any():
            raise ValueError(f"score {name!r}, gains and costs must have equal length, no NaN.")
        order = np.argsort(-s, kind="stable")
        rows[name] = [
            float(value_per_unit * g[order[:k]].sum() - c[order[:k]].sum())
            for k in (int(round(share * s.size)) for share in shares)
        ]
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(shares))
