"""Chapter 04, customer churn (客户流失): defining churn.

- the churn rate (流失率, :func:`churn_rate`);
- where no contract ends, churn inferred from inactivity (:func:`inactivity_churn`) and
  how the rate moves with the threshold (:func:`threshold_curve`);
- the dynamic balance of the customer base (动态平衡, :func:`dynamic_balance`) and cohort
  retention (客户保持率, :func:`cohort_retention`), from each customer's lifetime
  (:func:`customer_lifetimes`).

The causes of churn are in :mod:`crmlab.churn_causes`, prediction and early warning in
:mod:`crmlab.churn_warning`, survival analysis (Kaplan-Meier, log-rank, Cox) in
:mod:`crmlab.survival`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab._validate import (
    check_event,
    format_rows,
    require_columns,
    require_dates,
    require_frame,
    require_positive,
)

__all__ = [
    "churn_rate",
    "inactivity_churn",
    "threshold_curve",
    "customer_lifetimes",
    "dynamic_balance",
    "cohort_retention",
]


# ------------------------------------------------------------------------- defining churn
def churn_rate(data: pd.DataFrame, *, event: str = "churned") -> float:
    """Churn rate (流失率): the share of customers whose ``event`` is 1.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    event : str
        The 0/1 churn column.

    Returns
    -------
    float

    Raises
    ------
    KeyError
        If the column is missing.
    ValueError
        If ``data`` is empty or the event is not 0/1.

    Examples
    --------
    >>> churn_rate(pd.DataFrame({"churned": [1, 0, 0, 1, 0]}))  # 2 of 5
    0.4
    """
    require_frame(data)
    return float(check_event(data, event).mean())


def inactivity_churn(
    orders: pd.DataFrame,
    *,
    as_of: object,
    threshold_days: float = 180,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    is_return: str | None = "is_return",
) -> pd.DataFrame:
    """Non-contractual churn: a buyer is "lost" after ``threshold_days`` without a purchase.

    Where no contract ends (the trading company), churn must be inferred from silence.
    Each customer with a purchase on or before ``as_of`` gets ``last_purchase``,
    ``days_silent`` (``as_of`` minus last purchase) and ``churned`` = 1 if
    ``days_silent > threshold_days``. Return lines (``is_return`` true) are not purchases.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    as_of : date-like
        The reference date.
    threshold_days : float
        Days of silence after which a buyer counts as lost.
    customer_id, order_date, is_return : str
        Column names (``is_return`` may be None).

    Returns
    -------
    DataFrame
        Index customer id; ``last_purchase``, ``days_silent``, ``churned`` (0/1).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``threshold_days`` is not positive, ``order_date`` is not datetime, or no purchase
        lies on or before ``as_of``.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "b", "c"], "is_return": False,
    ...     "order_date": pd.to_datetime(["2024-12-01", "2024-05-01", "2024-08-01"])})
    >>> inactivity_churn(o, as_of="2024-12-31", threshold_days=120)["churned"].to_dict()
    {'a': 0, 'b': 1, 'c': 1}
    """
    threshold = require_positive(threshold_days, "threshold_days")
    require_frame(orders, "orders")
    require_columns(
        orders, [customer_id, order_date] + ([is_return] if is_return else []), "orders"
    )
    require_dates(orders, order_date)
    as_of_ts = pd.Timestamp(as_of)
    keep = orders[order_date] <= as_of_ts
    if is_return:
        keep &= ~orders[is_return].astype(bool)
    if not keep.any():
        raise ValueError(f"orders has no purchase on or before as_of={as_of_ts.date()}.")
    last = orders.loc[keep].groupby(customer_id, observed=True)[order_date].max()
    out = pd.DataFrame({"last_purchase": last, "days_silent": (as_of_ts - last).dt.days})
    out["churned"] = (out["days_silent"] > threshold).astype(int)
    return out


def threshold_curve(
    orders: pd.DataFrame,
    *,
    as_of: object,
    thresholds: Sequence[float] = (30, 60, 90, 120, 180, 270, 365, 540),
    churned: pd.Series | None = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    is_return: str | None = "is_return",
) -> pd.DataFrame:
    """How the non-contractual churn rate moves with the inactivity threshold.

    For each threshold: ``churn_rate`` (share of buyers silent longer). If ``churned`` (a
    0/1 Series indexed by customer: the recorded churn, e.g. lost by ``as_of``) is given,
    also ``precision`` (share of the inferred leavers that really left) and ``recall``
    (share of real leavers caught) of the inactivity rule.

    Parameters
    ----------
    orders : DataFrame
        One row per order line.
    as_of : date-like
        The reference date.
    thresholds : sequence of float
        Days of silence to try.
    churned : Series, optional
        The recorded churn (0/1) per customer id, to score the rule against.
    customer_id, order_date, is_return : str
        Column names.

    Returns
    -------
    DataFrame
        Index ``threshold_days``; ``n_buyers``, ``churn_rate`` and, with ``churned``,
        ``precision`` and ``recall``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        As :func:`inactivity_churn`, or an empty or non-positive threshold (the message
        names it).

    Examples
    --------
    Silent 30, 90 and 200 days at 2024-12-31:

    >>> o = pd.DataFrame({"customer_id": ["a", "b", "c"], "is_return": False,
    ...     "order_date": pd.to_datetime(["2024-12-01", "2024-10-02", "2024-06-14"])})
    >>> threshold_curve(o, as_of="2024-12-31", thresholds=[60, 180])["churn_rate"].round(3).tolist()
    [0.667, 0.333]
    """
    thresholds = list(thresholds)
    for t in thresholds:
        require_positive(t, "thresholds")
    if not thresholds:
        raise ValueError("thresholds is empty: give at least one number of days.")
    # the last purchase is found once; each threshold only compares the days of silence
    inact = inactivity_churn(
        orders,
        as_of=as_of,
        threshold_days=thresholds[0],
        customer_id=customer_id,
        order_date=order_date,
        is_return=is_return,
    )
    silent = inact["days_silent"].to_numpy()
    truth = None
    if churned is not None:
        truth = churned.reindex(inact.index).fillna(0).astype(int).to_numpy()
    rows = []
    for t in thresholds:
        flagged = silent > float(t)
        row = {"threshold_days": t, "n_buyers": silent.size, "churn_rate": flagged.mean()}
        if truth is not None:
            row["precision"] = truth[flagged].mean() if flagged.any() else np.nan
            row["recall"] = flagged[truth == 1].mean() if (truth == 1).any() else np.nan
        rows.append(row)
    return pd.DataFrame(rows).set_index("threshold_days")


def customer_lifetimes(
    customers: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
) -> pd.DataFrame:
    """Each customer's acquisition date and churn date (客户生命周期), checked.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``customer_id`` and ``acquisition_date``.
    churn : DataFrame
        One row per lost customer with ``customer_id`` and ``churn_date``.
    customer_id, acquisition_date, churn_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index customer id; ``acquisition_date`` and ``churn_date`` (NaT for a customer
        not lost).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``customers`` is empty, a date column is not datetime, or a churn date lies
        before its acquisition date (the customers are named).

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["a", "b"],
    ...                      "acquisition_date": pd.to_datetime(["2024-01-05", "2024-02-01"])})
    >>> lost = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2024-03-01"])})
    >>> customer_lifetimes(cust, lost)["churn_date"].dt.month.tolist()
    [3.0, nan]
    """
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, acquisition_date], "customers")
    require_columns(churn, [customer_id, churn_date], "churn")
    require_dates(customers, acquisition_date)
    require_dates(churn, churn_date)
    out = customers.set_index(customer_id)[[acquisition_date]].rename(
        columns={acquisition_date: "acquisition_date"}
    )
    out["churn_date"] = churn.set_index(customer_id)[churn_date].reindex(out.index)
    bad = (out["churn_date"] < out["acquisition_date"]).to_numpy()
    if bad.any():
        raise ValueError(
            f"column {churn_date!r} lies before {acquisition_date!r} (dates out of order) "
            f"for customers {format_rows(out.index[bad])}."
        )
    return out


def dynamic_balance(
    customers: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    start: object,
    as_of: object,
    freq: str = "M",
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
) -> pd.DataFrame:
    """The dynamic balance of the customer base (动态平衡): wins, losses, net per period.

    Periods are calendar periods of ``freq`` ("M" month, "Q" quarter, "Y" year) from
    ``start`` to ``as_of``. ``opening`` counts customers acquired before the period and not
    lost before it; ``won`` those acquired in it; ``lost`` those lost in it; ``net`` =
    won − lost; ``closing`` = opening + net; ``churn_rate`` = lost / (opening + won), the
    share of the customers the firm had during the period who left in it.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with its acquisition date.
    churn : DataFrame
        One row per lost customer with its churn date.
    start, as_of : date-like
        First and last period.
    freq : {"M", "Q", "Y"}
        Month, quarter or year.
    customer_id, acquisition_date, churn_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index period; ``opening``, ``won``, ``lost``, ``net``, ``closing``, ``churn_rate``.

    Raises
    ------
    ValueError
        If ``as_of`` is before ``start``, ``freq`` is unknown, a date column is not
        datetime, or a churn date lies before its acquisition date.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": list("abc"), "acquisition_date":
    ...     pd.to_datetime(["2023-12-01", "2024-01-10", "2024-02-05"])})
    >>> lost = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2024-02-20"])})
    >>> balance = dynamic_balance(cust, lost, start="2024-01", as_of="2024-02")
    >>> balance[["opening", "won", "lost", "closing"]]
             opening  won  lost  closing
    period
    2024-01        1    1     0        2
    2024-02        2    1     1        2
    """
    if freq not in ("M", "Q", "Y"):
        raise ValueError(f"freq must be 'M', 'Q' or 'Y', got {freq!r}.")
    start_p, end_p = pd.Period(start, freq), pd.Period(as_of, freq)
    if end_p < start_p:
        raise ValueError(f"as_of {end_p} is before start {start_p} (dates out of order).")
    life = customer_lifetimes(
        customers,
        churn,
        customer_id=customer_id,
        acquisition_date=acquisition_date,
        churn_date=churn_date,
    )
    periods = pd.period_range(start_p, end_p, freq=freq)
    acq = life["acquisition_date"].dt.to_period(freq)
    lost = life["churn_date"].dt.to_period(freq)
    rows = []
    for p in periods:
        opening = int(((acq < p) & (lost.isna() | (lost >= p))).sum())
        won, gone = int((acq == p).sum()), int((lost == p).sum())
        rows.append(
            {
                "period": str(p),
                "opening": opening,
                "won": won,
                "lost": gone,
                "net": won - gone,
                "closing": opening + won - gone,
                "churn_rate": gone / (opening + won) if opening + won else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("period")


def cohort_retention(
    customers: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    as_of: object,
    start: object = None,
    max_age: int | None = None,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
) -> pd.DataFrame:
    """Cohort retention table (客户保持率): share of each acquisition month still a customer
    ``k`` whole months later.

    Row = acquisition month (from ``start``), column ``k`` = 0, 1, ...: the share of the
    cohort not lost before the end of month ``acquisition month + k``. Cells after
    ``as_of``'s month are NaN (not yet observed). ``size`` gives the cohort size.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with its acquisition date.
    churn : DataFrame
        One row per lost customer with its churn date.
    as_of : date-like
        The reference date.
    start : date-like, optional
        First acquisition month shown.
    max_age : int, optional
        Months shown; default up to ``as_of``.
    customer_id, acquisition_date, churn_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index cohort (acquisition month); ``size`` and one column per month of age.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``customers`` is empty, a date column is not datetime, dates are out of order or
        no customer was acquired between ``start`` and ``as_of``.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": list("abcd"), "acquisition_date":
    ...     pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10"])})
    >>> lost = pd.DataFrame({"customer_id": ["a", "c"],
    ...                      "churn_date": pd.to_datetime(["2024-02-15", "2024-02-25"])})
    >>> cohort_retention(cust, lost, as_of="2024-03-31")
             size    0    1    2
    cohort
    2024-01     2  1.0  0.5  0.5
    2024-02     2  0.5  0.5  NaN
    """
    life = customer_lifetimes(
        customers,
        churn,
        customer_id=customer_id,
        acquisition_date=acquisition_date,
        churn_date=churn_date,
    )
    as_of_p = pd.Timestamp(as_of).to_period("M")
    cohort = life["acquisition_date"].dt.to_period("M")
    keep = cohort <= as_of_p
    if start is not None:
        keep &= cohort >= pd.Period(start, "M")
    life, cohort = life[keep], cohort[keep]
    if life.empty:
        raise ValueError("no customer was acquired between start and as_of.")
    lost_p = life["churn_date"].dt.to_period("M")
    age_lost = np.where(
        lost_p.isna(),
        np.inf,
        (lost_p - cohort).apply(lambda x: x.n if pd.notna(x) else np.nan).astype(float),
    )
    ages = (as_of_p - cohort).apply(lambda x: x.n).to_numpy()
    top = int(ages.max()) if max_age is None else int(max_age)
    frame = pd.DataFrame({"cohort": cohort.astype(str).to_numpy(), "age_lost": age_lost})
    out = {}
    for k in range(top + 1):
        alive = (frame["age_lost"] > k).astype(float).where(ages >= k)
        out[k] = alive.groupby(frame["cohort"]).mean()
    table = pd.DataFrame(out)
    table.insert(0, "size", frame.groupby("cohort").size())
    return table.rename_axis("cohort")
