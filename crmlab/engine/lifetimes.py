"""Lifetimes on the engine: the cohort counts behind the retention table and the counts
of the life table that Kaplan-Meier needs (:func:`crmlab.churn.cohort_retention`,
:func:`crmlab.survival.survival_frame` on pandas)."""

from __future__ import annotations

import ibis
import pandas as pd
from ibis import _

from crmlab._units import UNIT_DAYS as GRAIN_DAYS
from crmlab.engine import _checks
from crmlab.engine._blocks import (
    _as_of_literal,
    _ts,
    days_between,
)
from crmlab.engine.backends import to_pandas  # noqa: F401 (the docstring examples use it)

__all__ = ["cohort_counts", "life_counts"]


def _lifetimes(
    customers: ibis.Table,
    churn: ibis.Table,
    customer_id: str,
    acquisition_date: str,
    churn_date: str,
) -> ibis.Table:
    _checks.require_columns(customers, [customer_id, acquisition_date], "customers")
    _checks.require_columns(churn, [customer_id, churn_date], "churn")
    _checks.require_dates(customers, acquisition_date, "customers")
    _checks.require_dates(churn, churn_date, "churn")
    dup = churn.group_by(customer_id).aggregate(n=_.count()).filter(_.n > 1)
    shown = dup.limit(5).to_pandas()
    if len(shown):
        raise ValueError(
            f"churn has more than one row for customers {shown[customer_id].tolist()}: one "
            "churn date per customer."
        )
    cust = customers.select(customer_id, acquired=_ts(customers[acquisition_date]))
    lost = churn.select(customer_id, lost=_ts(churn[churn_date]))
    life = cust.left_join(lost, customer_id).select(cust, lost.lost)
    _checks.require_values(
        life,
        [
            (
                "early",
                life.lost < life.acquired,
                [customer_id, "acquired", "lost"],
                f"column {churn_date!r} lies before {acquisition_date!r} (dates out of order).",
            )
        ],
    )
    return life


def _month_no(ts: ibis.Value) -> ibis.Value:
    return (ts.year() * 12 + ts.month() - 1).cast("int64")


def cohort_counts(
    customers: ibis.Table,
    churn: ibis.Table,
    *,
    as_of: object,
    start: object = None,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
) -> ibis.Table:
    """Customers per acquisition month (``cohort``, months since 0 AD) and month of loss
    relative to it (``age_lost``, null if never lost): the counts behind
    :func:`crmlab.churn.cohort_retention`; :func:`crmlab.engine.cohort_retention` turns
    them into the same table.

    Examples
    --------
    >>> cust = ibis.memtable(pd.DataFrame({"customer_id": list("abcd"), "acquisition_date":
    ...     pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10"])}))
    >>> lost = ibis.memtable(pd.DataFrame({"customer_id": ["a", "c"],
    ...     "churn_date": pd.to_datetime(["2024-02-15", "2024-02-25"])}))
    >>> from crmlab.engine import cohort_retention
    >>> cohort_retention(cohort_counts(cust, lost, as_of="2024-03-31"), as_of="2024-03-31")
             size    0    1    2
    cohort
    2024-01     2  1.0  0.5  0.5
    2024-02     2  0.5  0.5  NaN
    """
    life = _lifetimes(customers, churn, customer_id, acquisition_date, churn_date)
    as_of_m = pd.Timestamp(as_of).year * 12 + pd.Timestamp(as_of).month - 1
    cohort = _month_no(life.acquired)
    keep = cohort <= as_of_m
    if start is not None:
        s = pd.Timestamp(start)
        keep &= cohort >= s.year * 12 + s.month - 1
    life = life.filter(keep)
    return life.group_by(
        cohort=_month_no(life.acquired), age_lost=_month_no(life.lost) - _month_no(life.acquired)
    ).aggregate(n_customers=_.count())


def life_counts(
    customers: ibis.Table,
    churn: ibis.Table,
    *,
    as_of: object,
    grain: str = "month",
    start: object = None,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
) -> ibis.Table:
    """Customers pooled by (``entry``, ``tenure``, ``churned``) as
    :func:`crmlab.survival.survival_frame` defines them (tenure = whole units + 1, churn
    after ``as_of`` censored, entry for customers won before ``start``), with their
    number ``n_customers``: all a Kaplan-Meier estimate needs
    (:func:`crmlab.engine.life_table`).

    Examples
    --------
    >>> cust = ibis.memtable(pd.DataFrame({"customer_id": list("abcd"), "acquisition_date":
    ...     pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10"])}))
    >>> lost = ibis.memtable(pd.DataFrame({"customer_id": ["a", "c"],
    ...     "churn_date": pd.to_datetime(["2024-02-15", "2024-02-25"])}))
    >>> counts = life_counts(cust, lost, as_of="2024-03-31").to_pandas()
    >>> counts.sort_values(["tenure", "churned"], ignore_index=True)
       entry  tenure  churned  n_customers
    0      0       1        1            1
    1      0       2        0            1
    2      0       2        1            1
    3      0       3        0            1
    """
    if grain not in GRAIN_DAYS:
        raise ValueError(f"grain must be one of {list(GRAIN_DAYS)}, got {grain!r}.")
    unit = GRAIN_DAYS[grain]
    as_of_ts = pd.Timestamp(as_of)
    life = _lifetimes(customers, churn, customer_id, acquisition_date, churn_date)
    strangers = churn.anti_join(customers, customer_id).select(customer_id).limit(5)
    strangers = strangers.to_pandas()[customer_id].tolist()
    if strangers:
        raise ValueError(f"churn has customers not in customers: {strangers} (the first).")
    late = life.acquired > _as_of_literal(as_of_ts)
    _checks.require_values(
        life,
        [
            (
                "late",
                late,
                [customer_id, "acquired"],
                f"column {acquisition_date!r} has dates after as_of={as_of_ts.date()}: they "
                "were not yet customers.",
            )
        ],
    )
    churned = life.lost.notnull() & (life.lost <= _as_of_literal(as_of_ts))
    end = ibis.ifelse(churned, life.lost, _as_of_literal(as_of_ts))
    days = days_between(life.acquired, end)
    tenure = ((days.cast("float64") / unit).floor() + 1).cast("int64")
    if start is None:
        entry = ibis.literal(0, type="int64")
    else:
        start_lit = _as_of_literal(pd.Timestamp(start))
        before = ibis.ifelse(life.acquired < start_lit, days_between(life.acquired, start_lit), 0)
        entry = (before.cast("float64") / unit).floor().cast("int64")
    return life.group_by(entry=entry, tenure=tenure, churned=churned.cast("int64")).aggregate(
        n_customers=_.count()
    )
