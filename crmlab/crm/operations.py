"""What the CRM's functions measure (chapter 06): sales force automation (销售自动化),
marketing automation (营销自动化), service management (服务管理), channel management
(渠道管理) and messy records, each as one small table from the company's tables.

Every function takes the tables the CRM holds (``pipeline``, ``campaign_members``,
``tickets``, ...) and returns a DataFrame that a notebook prints or plots; the
statistics (effects with intervals, difference in differences, uplift) live in
:mod:`crmlab.uplift` and :mod:`crmlab.rollout`. The pipeline's functions are written in
``crmlab/crm/_sales.py``, the campaigns' in ``crmlab/crm/_campaigns.py``; this module
holds managers, service, channels and records, and is the one to import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate import check_frame, format_rows, require_int
from crmlab.crm._campaigns import campaign_frame, targeting_value, true_effect
from crmlab.crm._sales import (
    STAGE_WEIGHTS,
    STAGES,
    churned_within,
    month_index,
    sales_cycle_panel,
    stage_forecast,
    win_rates,
)
from crmlab.segment_classes import value_tiers

__all__ = [
    "STAGES",
    "STAGE_WEIGHTS",
    "win_rates",
    "stage_forecast",
    "month_index",
    "sales_cycle_panel",
    "churned_within",
    "departure_churn",
    "follow_up_churn",
    "service_times",
    "by_channel",
    "tier_shift",
    "campaign_frame",
    "true_effect",
    "targeting_value",
]


def departure_churn(
    assignments: pd.DataFrame,
    managers: pd.DataFrame,
    churn: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    months: int = 6,
) -> pd.DataFrame:
    """Churn within ``months`` after an account manager leaves: the leaver's customers
    against the other customers of the same region active on the same day.

    For each departure (``managers.leave_date``), "handed over" are the customers whose
    spell with the leaver ended that day; "others" are the region's other customers
    active then (acquired before, not churned). A customer counts once per departure.

    Parameters
    ----------
    assignments, managers, churn, customers : DataFrame
        The company's tables of these names.
    months : int, default 6

    Returns
    -------
    DataFrame
        Index ``handed_over``, ``others``: ``n`` (customer-departures), ``churned``,
        ``share``; and a row ``ratio`` with the ratio of the shares in ``share``.

    Raises
    ------
    KeyError
        If a column is missing.

    Examples
    --------
    Region x, manager m leaves on 2023-01-31; customer a (his) churns in March, b does not.

    >>> a = pd.DataFrame({"customer_id": ["a", "b"], "manager_id": ["m", "n"],
    ...     "end_date": pd.to_datetime(["2023-01-31", None])})
    >>> mg = pd.DataFrame({"manager_id": ["m", "n"], "region": ["x", "x"],
    ...     "leave_date": pd.to_datetime(["2023-01-31", None])})
    >>> ch = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2023-03-05"])})
    >>> cu = pd.DataFrame({"customer_id": ["a", "b"], "region": ["x", "x"],
    ...     "acquisition_date": pd.to_datetime(["2020-01-01"] * 2)})
    >>> departure_churn(a, mg, ch, cu)["share"].to_list()
    [1.0, 0.0, nan]
    """
    require_int(months, "months", low=1)
    spells = check_frame(assignments, ["customer_id", "manager_id", "end_date"], "assignments")
    mgr = check_frame(managers, ["manager_id", "region", "leave_date"], "managers")
    cust = check_frame(customers, ["customer_id", "region", "acquisition_date"], "customers")
    churn_date = check_frame(churn, ["customer_id", "churn_date"], "churn").set_index(
        "customer_id"
    )["churn_date"]
    cust = cust.assign(churn_date=cust["customer_id"].map(churn_date))
    rows = []
    for m in mgr[mgr["leave_date"].notna()].itertuples(index=False):
        handed = spells.loc[
            (spells["manager_id"] == m.manager_id) & (spells["end_date"] == m.leave_date),
            "customer_id",
        ]
        active = cust[
            (cust["region"].astype(str) == str(m.region))
            & (cust["acquisition_date"] <= m.leave_date)
            & ~(cust["churn_date"] <= m.leave_date)
        ]
        end = m.leave_date + pd.DateOffset(months=months)
        churned = (active["churn_date"] <= end).to_numpy()
        is_handed = active["customer_id"].isin(set(handed)).to_numpy()
        rows.append(
            (
                is_handed.sum(),
                churned[is_handed].sum(),
                (~is_handed).sum(),
                churned[~is_handed].sum(),
            )
        )
    n_h, c_h, n_o, c_o = (np.array(rows).sum(axis=0) if rows else np.zeros(4)).astype(int)
    out = pd.DataFrame(
        {"n": [n_h, n_o], "churned": [c_h, c_o]}, index=["handed_over", "others"], dtype=float
    )
    out["share"] = out["churned"] / out["n"]
    others = out.loc["others", "share"]
    ratio = out.loc["handed_over", "share"] / others if others > 0 else np.nan
    out.loc["ratio"] = [np.nan, np.nan, ratio]
    return out


def follow_up_churn(
    tickets: pd.DataFrame,
    incidents: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    treatment: str = "follow_up_visit",
    months: int = 6,
    end: str = "2024-12-31",
) -> pd.DataFrame:
    """Churn within ``months`` after an incident, with and without a follow-up visit (回访),
    by severity (or with and without another flag of the ticket, ``treatment``).

    One row per incident ticket whose customer was still a customer at the end of the
    ticket's month and whose window ends by ``end``; the outcome is churn after that
    month-end and within ``months`` of it. Visits were made at random given severity
    (the company's rule), so within a severity the two groups are comparable; the pooled
    risk ratio is Mantel-Haenszel's (statsmodels ``StratifiedTable.riskratio_pooled``).

    Parameters
    ----------
    tickets : DataFrame
        ``customer_id``, ``incident_id``, ``opened_at`` and ``treatment``.
    incidents : DataFrame
        ``incident_id``, ``severity``.
    churn : DataFrame
        ``customer_id``, ``churn_date``.
    treatment : str, default "follow_up_visit"
        A boolean column of ``tickets`` (e.g. ``handled_well``).
    months : int, default 6
    end : str
        Last date of the data.

    Returns
    -------
    DataFrame
        Indexed by severity and a row ``pooled``: ``n_yes``, ``churn_yes``, ``n_no``,
        ``churn_no`` (shares churned with and without ``treatment``) and ``risk_ratio``
        (yes / no; pooled: Mantel-Haenszel).

    Raises
    ------
    KeyError
        If a column is missing.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": list("abcd"), "incident_id": list("1234"),
    ...     "opened_at": pd.to_datetime(["2023-01-10"] * 4),
    ...     "follow_up_visit": [True, True, False, False]})
    >>> inc = pd.DataFrame({"incident_id": list("1234"), "severity": [1] * 4})
    >>> ch = pd.DataFrame({"customer_id": ["a", "c", "d"],
    ...     "churn_date": pd.to_datetime(["2023-03-01", "2023-04-01", "2023-05-01"])})
    >>> follow_up_churn(t, inc, ch).loc[1, ["churn_yes", "churn_no"]].to_list()
    [0.5, 1.0]
    """
    from statsmodels.stats.contingency_tables import StratifiedTable

    require_int(months, "months", low=1)
    t = check_frame(tickets, ["customer_id", "incident_id", "opened_at", treatment], "tickets")
    inc = check_frame(incidents, ["incident_id", "severity"], "incidents")
    t = t[t["incident_id"].notna()]
    churn_date = t["customer_id"].map(
        check_frame(churn, ["customer_id", "churn_date"], "churn").set_index("customer_id")[
            "churn_date"
        ]
    )
    month_end = t["opened_at"].dt.to_period("M").dt.to_timestamp(how="end").dt.normalize()
    window = month_end + pd.DateOffset(months=months)
    keep = ~(churn_date <= month_end) & (window <= pd.Timestamp(end))
    frame = pd.DataFrame(
        {
            "severity": t["incident_id"].map(inc.set_index("incident_id")["severity"]),
            "visit": t[treatment].astype(bool),
            "churned": (churn_date <= window),
        }
    )[keep]
    rows, tables = {}, []
    for sev, g in frame.groupby("severity", sort=True):
        v, nv = g[g["visit"]], g[~g["visit"]]
        rows[sev] = [len(v), v["churned"].mean(), len(nv), nv["churned"].mean()]
        tables.append(
            [
                [v["churned"].sum(), len(v) - v["churned"].sum()],
                [nv["churned"].sum(), len(nv) - nv["churned"].sum()],
            ]
        )
    out = pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=["n_yes", "churn_yes", "n_no", "churn_no"],
    )
    out["risk_ratio"] = out["churn_yes"] / out["churn_no"]
    pooled = StratifiedTable(np.array(tables, dtype=float).transpose(1, 2, 0)).riskratio_pooled
    out.loc["pooled"] = [
        out["n_yes"].sum(),
        frame.loc[frame["visit"], "churned"].mean(),
        out["n_no"].sum(),
        frame.loc[~frame["visit"], "churned"].mean(),
        pooled,
    ]
    out.index.name = "severity"
    return out


def service_times(
    tickets: pd.DataFrame, customers: pd.DataFrame, rollout: pd.DataFrame
) -> pd.DataFrame:
    """Median first-response and resolution hours of service tickets by channel, before
    and after the customer's region went live in the CRM.

    Parameters
    ----------
    tickets : DataFrame
        ``customer_id``, ``channel``, ``opened_at``, ``first_response_hours``,
        ``resolution_hours`` (missing if unresolved), ``incident_id`` (missing for an
        enquiry: only incidents count for resolution).
    customers : DataFrame
        ``customer_id``, ``region``.
    rollout : DataFrame
        ``region``, ``go_live_date``.

    Returns
    -------
    DataFrame
        Indexed by channel and ``crm`` (``before``, ``live``): ``n_tickets``,
        ``median_response_hours``, ``median_resolution_hours`` (incidents).

    Raises
    ------
    KeyError
        If a column is missing.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["a", "a"], "channel": ["phone", "phone"],
    ...     "opened_at": pd.to_datetime(["2022-06-01", "2023-06-01"]),
    ...     "first_response_hours": [1.0, 0.5], "resolution_hours": [48.0, 30.0],
    ...     "incident_id": ["i1", "i2"]})
    >>> cu = pd.DataFrame({"customer_id": ["a"], "region": ["x"]})
    >>> r = pd.DataFrame({"region": ["x"], "go_live_date": pd.to_datetime(["2023-01-01"])})
    >>> service_times(t, cu, r)["median_response_hours"].to_list()
    [1.0, 0.5]
    """
    cols = [
        "customer_id",
        "channel",
        "opened_at",
        "first_response_hours",
        "resolution_hours",
        "incident_id",
    ]
    t = check_frame(tickets, cols, "tickets")
    region = t["customer_id"].map(
        check_frame(customers, ["customer_id", "region"], "customers")
        .set_index("customer_id")["region"]
        .astype(str)
    )
    r = check_frame(rollout, ["region", "go_live_date"], "rollout")
    go = region.map(r.set_index(r["region"].astype(str))["go_live_date"])
    frame = pd.DataFrame(
        {
            "channel": t["channel"].astype(str),
            "crm": np.where(t["opened_at"] >= go, "live", "before"),
            "response": t["first_response_hours"],
            "resolution": t["resolution_hours"].where(t["incident_id"].notna()),
        }
    )
    return frame.groupby(["channel", "crm"]).agg(
        n_tickets=("response", "size"),
        median_response_hours=("response", "median"),
        median_resolution_hours=("resolution", "median"),
    )


def by_channel(profit: pd.DataFrame, customers: pd.DataFrame, *, channel: str = "channel"):
    """Customers, revenue, cost to serve and profit per channel (渠道).

    Parameters
    ----------
    profit : DataFrame
        :func:`crmlab.segment.customer_profit`'s result (index customer id; ``revenue``,
        ``gross_profit``, ``cost_to_serve``, ``profit``).
    customers : DataFrame
        ``customer_id`` and ``channel``.
    channel : str, default "channel"

    Returns
    -------
    DataFrame
        Indexed by channel, most profit per customer first: ``n_customers``, the sums
        (yuan) and ``cost_to_serve_per_customer``, ``profit_per_customer``,
        ``cost_share`` (cost to serve / gross profit).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If a customer of ``profit`` has no channel (rows named).

    Examples
    --------
    >>> pr = pd.DataFrame({"revenue": [100.0, 50, 80], "gross_profit": [40.0, 20, 30],
    ...     "cost_to_serve": [10.0, 30, 6], "profit": [30.0, -10, 24]}, index=list("abc"))
    >>> cu = pd.DataFrame({"customer_id": list("abc"), "channel": ["web", "web", "fair"]})
    >>> by_channel(pr, cu)["profit_per_customer"].to_dict()
    {'fair': 24.0, 'web': 10.0}
    """
    cols = ["revenue", "gross_profit", "cost_to_serve", "profit"]
    data = check_frame(profit, cols, "profit")
    table = check_frame(customers, ["customer_id", channel], "customers")
    group = data.index.to_series().map(table.set_index("customer_id")[channel].astype(str))
    if group.isna().any():
        raise ValueError(
            f"customers without a {channel!r} in rows {format_rows(group.index[group.isna()])}."
        )
    out = data[cols].groupby(group.to_numpy()).sum()
    out.insert(0, "n_customers", group.value_counts())
    out["cost_to_serve_per_customer"] = out["cost_to_serve"] / out["n_customers"]
    out["profit_per_customer"] = out["profit"] / out["n_customers"]
    out["cost_share"] = out["cost_to_serve"] / out["gross_profit"]
    out.index.name = channel
    return out.sort_values("profit_per_customer", ascending=False)


def tier_shift(orders: pd.DataFrame, firm_of: pd.Series) -> pd.DataFrame:
    """What duplicate records do to the value tiers (客户价值金字塔): tiers by revenue per
    record (the CRM as typed) against tiers by revenue per firm (records linked).

    A firm's tier "as typed" is the best tier among its records.

    Parameters
    ----------
    orders : DataFrame
        ``record_id`` and ``amount`` (returns negative).
    firm_of : Series
        Record id → firm id (the true mapping, or the clusters found by linkage).

    Returns
    -------
    DataFrame
        One row per firm with more than one record: ``n_records``, ``tier_firm`` (linked),
        ``tier_typed`` (best record), ``fell`` (the typed tier is lower).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If an order's record is not in ``firm_of`` (rows named).

    Examples
    --------
    Five records, firm F split over records 1 and 2 (60 + 50 = 110, the largest, so VIP:
    the top ceil(1% of 4 firms) = 1); typed, record 3 (100) is the VIP and record 1 ranks
    second, past the top ceil(20% of 5) = 1 records, so F's best record is small:

    >>> o = pd.DataFrame({"record_id": ["1", "2", "3", "4", "5"],
    ...                   "amount": [60.0, 50.0, 100.0, 5.0, 1.0]})
    >>> firm = pd.Series(["F", "F", "G", "H", "I"], index=["1", "2", "3", "4", "5"])
    >>> tier_shift(o, firm)[["tier_firm", "tier_typed", "fell"]].astype(str).values.tolist()
    [['VIP', 'small', 'True']]
    """
    data = check_frame(orders, ["record_id", "amount"], "orders")
    firm = data["record_id"].map(firm_of)
    if firm.isna().any():
        raise ValueError(
            f"orders whose record_id is not in firm_of: rows "
            f"{format_rows(firm.index[firm.isna()])}."
        )
    by_record = data.groupby("record_id")["amount"].sum()
    records = pd.Index(firm_of.index).union(by_record.index)
    by_record = by_record.reindex(records, fill_value=0.0)
    by_firm = by_record.groupby(firm_of.reindex(records).to_numpy()).sum()
    typed = value_tiers(by_record)["tier"]
    linked = value_tiers(by_firm)["tier"]
    split = firm_of.groupby(firm_of.to_numpy()).size()
    split = split[split > 1]
    best = typed.reindex(firm_of.index).groupby(firm_of.to_numpy()).min()
    out = pd.DataFrame(
        {
            "n_records": split,
            "tier_firm": linked.reindex(split.index),
            "tier_typed": best.reindex(split.index),
        }
    )
    out["fell"] = out["tier_typed"] > out["tier_firm"]
    out.index.name = "firm"
    return out
