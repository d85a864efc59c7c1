"""What the CRM's functions measure (chapter 06): sales force automation (销售自动化),
marketing automation (营销自动化), service management (服务管理), channel management
(渠道管理) and messy records, each as one small table from the company's tables.

Every function takes the tables the CRM holds (``pipeline``, ``campaign_members``,
``tickets``, ...) and returns a DataFrame that a notebook prints or plots; the
statistics (effects with intervals, difference in differences, uplift) live in
:mod:`crmlab.uplift` and :mod:`crmlab.rollout`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate import check_frame, format_rows, require_int
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

#: The pipeline's stages in order (初步接触, 意向, 谈判, 签约).
STAGES = ("contact", "intention", "negotiation", "contract")
#: The CRM's forecast weights of a deal at each stage reached (``pipeline.forecast_value``).
STAGE_WEIGHTS = (0.10, 0.25, 0.50, 1.00)


def win_rates(pipeline: pd.DataFrame, by: str = "source") -> pd.DataFrame:
    """Opportunities, wins and the win rate per group of the pipeline.

    win rate = won / (won + lost): open deals are left out (their outcome is not known).

    Parameters
    ----------
    pipeline : DataFrame
        One row per opportunity with ``outcome`` (``won``, ``lost``, ``open``) and ``by``.
    by : str, default "source"
        Grouping column (lead source, region, manager, ...).

    Returns
    -------
    DataFrame
        Indexed by group, highest win rate first: ``n_opportunities``, ``won``, ``lost``,
        ``open``, ``win_rate``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``outcome`` holds another value (rows named).

    Examples
    --------
    >>> p = pd.DataFrame({"source": ["a", "a", "a", "b"],
    ...                   "outcome": ["won", "lost", "open", "lost"]})
    >>> win_rates(p)["win_rate"].to_dict()
    {'a': 0.5, 'b': 0.0}
    """
    data = check_frame(pipeline, [by, "outcome"], "pipeline")
    outcome = data["outcome"].astype(str)
    bad = ~outcome.isin(["won", "lost", "open"])
    if bad.any():
        raise ValueError(
            f"column 'outcome' must be won, lost or open; found {outcome[bad].iloc[0]!r} "
            f"in rows {format_rows(data.index[bad])}."
        )
    counts = pd.crosstab(data[by].astype(str), outcome).reindex(
        columns=["won", "lost", "open"], fill_value=0
    )
    out = pd.DataFrame({"n_opportunities": counts.sum(axis=1)}).join(counts)
    closed = out["won"] + out["lost"]
    out["win_rate"] = (out["won"] / closed).where(closed > 0)
    out.index.name = by
    return out.sort_values("win_rate", ascending=False, kind="stable")


def stage_forecast(pipeline: pd.DataFrame) -> pd.DataFrame:
    """The CRM's stage-weighted forecast against what was won, for closed deals.

    A deal that reached a stage was once "at" that stage; the CRM then forecast
    ``weight × deal_value`` (:data:`STAGE_WEIGHTS`). Per stage: the deals that reached
    it (won or lost), their forecast, the value of those of them won, and the share won
    (the weight the stage would need to forecast right).

    Parameters
    ----------
    pipeline : DataFrame
        ``stage_reached``, ``outcome`` and ``deal_value``; open deals are left out.

    Returns
    -------
    DataFrame
        Indexed by stage: ``n_deals``, ``crm_weight``, ``share_won`` (of deals),
        ``forecast`` and ``won_value`` (yuan), ``forecast_ratio`` = forecast / won.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If a stage is not one of :data:`STAGES` (rows named).

    Examples
    --------
    Two deals reached negotiation, one was won (value 100): the forecast there was
    0.5 × (100 + 60) = 80 against 100 won.

    >>> p = pd.DataFrame({"stage_reached": ["contract", "negotiation"],
    ...                   "outcome": ["won", "lost"], "deal_value": [100.0, 60.0]})
    >>> stage_forecast(p).loc["negotiation", ["forecast", "won_value"]].to_list()
    [80.0, 100.0]
    """
    data = check_frame(pipeline, ["stage_reached", "outcome", "deal_value"], "pipeline")
    data = data[data["outcome"].astype(str) != "open"]
    code = pd.Index(STAGES).get_indexer(data["stage_reached"].astype(str))
    if (code < 0).any():
        raise ValueError(
            f"column 'stage_reached' must be one of {list(STAGES)}; rows "
            f"{format_rows(data.index[code < 0])} are not."
        )
    value = data["deal_value"].to_numpy(dtype=float)
    won = (data["outcome"].astype(str) == "won").to_numpy()
    rows = []
    for i, (stage, weight) in enumerate(zip(STAGES, STAGE_WEIGHTS, strict=True)):
        at = code >= i
        rows.append(
            {
                "stage": stage,
                "n_deals": int(at.sum()),
                "crm_weight": weight,
                "share_won": won[at].mean() if at.any() else np.nan,
                "forecast": weight * value[at].sum(),
                "won_value": value[at & won].sum(),
            }
        )
    out = pd.DataFrame(rows).set_index("stage")
    out["forecast_ratio"] = out["forecast"] / out["won_value"]
    return out


def month_index(dates: pd.Series) -> pd.Series:
    """Months since January 2022 (2022-01 = 0), the period of the roll-out analysis;
    missing stays missing.

    Parameters
    ----------
    dates : Series of datetime

    Returns
    -------
    Series
        ``Int64``, indexed like ``dates``.

    Raises
    ------
    ValueError
        If a value is not a date.

    Examples
    --------
    >>> month_index(pd.Series(pd.to_datetime(["2021-12-31", "2023-04-01", None]))).to_list()
    [-1, 15, <NA>]
    """
    d = pd.to_datetime(pd.Series(dates))
    return ((d.dt.year - 2022) * 12 + d.dt.month - 1).astype("Int64")


def sales_cycle_panel(
    pipeline: pd.DataFrame,
    rollout: pd.DataFrame,
    *,
    start: str = "2021-07-01",
    end: str = "2024-06-30",
) -> pd.DataFrame:
    """One row per deal that reached intention: days from opening to intention, the month
    it was opened and the month its region went live in the CRM (for
    :func:`crmlab.rollout.did`).

    Deals opened between ``start`` and ``end`` (away from the data's ends, where only
    short or only long cycles are seen).

    Parameters
    ----------
    pipeline : DataFrame
        ``region``, ``open_date``, ``intention_date``.
    rollout : DataFrame
        ``region``, ``go_live_date`` (the company's ``crm_rollout``).
    start, end : str
        Opening dates kept.

    Returns
    -------
    DataFrame
        ``region``, ``month`` and ``go_live`` (:func:`month_index`; ``go_live`` missing
        for a region live only after the data end), ``days`` and ``log_days``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If a deal's region has no go-live date, or intention comes before opening.

    Examples
    --------
    >>> p = pd.DataFrame({"region": ["x"], "open_date": pd.to_datetime(["2023-02-10"]),
    ...                   "intention_date": pd.to_datetime(["2023-03-12"])})
    >>> r = pd.DataFrame({"region": ["x"], "go_live_date": pd.to_datetime(["2023-01-01"])})
    >>> sales_cycle_panel(p, r)[["month", "go_live", "days"]].to_dict("records")
    [{'month': 13, 'go_live': 12, 'days': 30}]
    """
    data = check_frame(pipeline, ["region", "open_date", "intention_date"], "pipeline")
    live = check_frame(rollout, ["region", "go_live_date"], "rollout")
    data = data[data["intention_date"].notna() & data["open_date"].between(start, end)]
    go = data["region"].astype(str).map(live.set_index(live["region"].astype(str))["go_live_date"])
    unknown = ~data["region"].astype(str).isin(live["region"].astype(str))
    if unknown.any():
        raise ValueError(
            f"regions without a go-live date in rows {format_rows(data.index[unknown])}."
        )
    days = (data["intention_date"] - data["open_date"]).dt.days
    if (days <= 0).any():
        raise ValueError(
            f"intention_date is not after open_date in rows {format_rows(data.index[days <= 0])}."
        )
    last = pd.Timestamp(data["open_date"].max())
    out = pd.DataFrame(
        {
            "region": data["region"].astype(str),
            "month": month_index(data["open_date"]),
            "go_live": pd.array(month_index(go.where(go <= last)), dtype="Int64"),
            "days": days.astype(int),
        },
        index=data.index,
    )
    out["log_days"] = np.log(out["days"])
    return out.reset_index(drop=True)


def churned_within(
    customer_ids: pd.Series, start: pd.Series, churn: pd.DataFrame, *, months: int = 6
) -> pd.Series:
    """1 if the customer churned within ``months`` after ``start`` (from the ``churn``
    table), else 0: the outcome of the company's campaigns.

    Parameters
    ----------
    customer_ids : Series of str
    start : Series of datetime
        Same length and index as ``customer_ids``.
    churn : DataFrame
        ``customer_id``, ``churn_date``.
    months : int, default 6

    Returns
    -------
    Series
        0/1 integers, indexed like ``customer_ids``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If a customer churned before its start date (rows named) or ``months`` < 1.

    Examples
    --------
    >>> churn = pd.DataFrame({"customer_id": ["a", "b"],
    ...                       "churn_date": pd.to_datetime(["2023-05-01", "2024-01-01"])})
    >>> churned_within(pd.Series(["a", "b", "c"]), pd.Series(pd.to_datetime(["2023-03-01"] * 3)),
    ...                churn).to_list()
    [1, 0, 0]
    """
    require_int(months, "months", low=1)
    table = check_frame(churn, ["customer_id", "churn_date"], "churn")
    date = pd.Series(customer_ids).map(table.set_index("customer_id")["churn_date"])
    start = pd.to_datetime(pd.Series(start, index=date.index))
    before = date < start
    if before.any():
        raise ValueError(
            f"customers churned before their start date in rows {format_rows(date.index[before])}."
        )
    return (date < start + pd.DateOffset(months=months)).astype(int)


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
