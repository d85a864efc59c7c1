"""Sales force automation (销售自动化) for chapter 06: the pipeline's stages and forecast
weights, win rates, the stage-weighted forecast against what was won, month indices and
the sales-cycle panel of the roll-out, and churn within a window. Imported by
:mod:`crmlab.crm.operations`, where these names are public."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate import check_frame, format_rows, require_int

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
