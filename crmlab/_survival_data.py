"""Chapter 04, the data of survival analysis: :func:`survival_frame` (one row per customer:
tenure at a grain, churn event, entry time) and the checks of durations and entry times
that the estimators share (:func:`durations`, :func:`entry_times`). Part of
:mod:`crmlab.survival`, which imports :func:`survival_frame` and :data:`GRAIN_DAYS` from
here: use them through ``survival``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._units import UNIT_DAYS
from crmlab._validate import (
    format_rows,
    require_columns,
    require_frame,
    require_no_missing,
    require_non_negative,
)

__all__ = ["GRAIN_DAYS", "survival_frame"]

#: Days per unit of tenure for each grain (a month is 365.25 / 12 days).
GRAIN_DAYS = UNIT_DAYS  # the same day counts as the BTYD summaries' units


# ------------------------------------------------------------------------------ checks
def durations(data: pd.DataFrame, duration: str) -> np.ndarray:
    require_columns(data, [duration])
    require_non_negative(data, duration)  # also rejects missing and non-numeric values
    return data[duration].to_numpy(dtype=float)


def entry_times(data: pd.DataFrame, entry: str | None, time: np.ndarray) -> np.ndarray | None:
    if entry is None:
        return None
    enter = durations(data, entry)
    bad = enter >= time
    if bad.any():
        raise ValueError(
            f"entry column {entry!r} must be below the duration, but is not in "
            f"rows {format_rows(data.index[bad])}."
        )
    return enter


# ------------------------------------------------------------------------------ data
def survival_frame(
    customers: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    as_of: object,
    grain: str = "month",
    start: object = None,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
) -> pd.DataFrame:
    """One row per customer: tenure (客户生命周期) at ``grain``, churn event, entry time.

    Tenure counts the unit in which the customer is lost or censored as a whole unit:
    ``tenure = floor(days / unit) + 1``, with ``days`` from acquisition to the churn date
    (event 1) or to ``as_of`` (event 0, censored). Customers won before ``observed_from``
    could only be seen to churn after it, so they enter the risk set late (left
    truncation): ``entry = floor(days from acquisition to observed_from / unit)``, 0 for
    the others. Pass ``entry="entry"`` to :func:`kaplan_meier` and :func:`cox_model`.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``customer_id`` and ``acquisition_date`` (datetime) columns.
    churn : DataFrame
        One row per lost customer with ``customer_id`` and ``churn_date``.
    as_of : date-like
        End of observation; churn after it is ignored (censored at ``as_of``).
    grain : {"month", "week", "day"}
        Unit of tenure. Months or weeks keep Cox fits fast (few distinct times).
    start : date-like, optional
        Start of observation of churn (the company: 2022-01-01). Default: no truncation.
    customer_id, acquisition_date, churn_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index ``customer_id``; columns ``acquisition_date``, ``churn_date`` (NaT if censored),
        ``tenure`` (int, >= 1), ``churned`` (0/1) and ``entry`` (int, >= 0).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``grain`` is unknown, a customer is acquired after ``as_of``, a churn date lies
        before its acquisition date, or a lost customer is not in ``customers``.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["a", "b"],
    ...                      "acquisition_date": pd.to_datetime(["2024-01-01", "2024-01-01"])})
    >>> lost = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2024-03-15"])})
    >>> survival_frame(cust, lost, as_of="2024-12-31")[["tenure", "churned", "entry"]]
                 tenure  churned  entry
    customer_id
    a                 3        1      0
    b                12        0      0
    """
    if grain not in GRAIN_DAYS:
        raise ValueError(f"grain must be one of {list(GRAIN_DAYS)}, got {grain!r}.")
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, acquisition_date], "customers")
    require_columns(churn, [customer_id, churn_date], "churn")
    require_no_missing(customers, acquisition_date)
    as_of_ts = pd.Timestamp(as_of)
    late = (customers[acquisition_date] > as_of_ts).to_numpy()
    if late.any():
        raise ValueError(
            f"column {acquisition_date!r} has dates after as_of={as_of_ts.date()} in rows "
            f"{format_rows(customers.index[late])}: they were not yet customers."
        )
    out = customers.set_index(customer_id)[[acquisition_date]].rename(
        columns={acquisition_date: "acquisition_date"}
    )
    lost = churn.set_index(customer_id)[churn_date]
    unknown = ~lost.index.isin(out.index)
    if unknown.any():
        raise ValueError(
            f"churn has customers not in customers: {format_rows(lost.index[unknown])}."
        )
    out["churn_date"] = lost.reindex(out.index)
    out.loc[out["churn_date"] > as_of_ts, "churn_date"] = pd.NaT
    early = (out["churn_date"] < out["acquisition_date"]).to_numpy()
    if early.any():
        raise ValueError(
            f"column {churn_date!r} lies before {acquisition_date!r} (dates out of order) "
            f"for customers {format_rows(out.index[early])}."
        )
    unit = GRAIN_DAYS[grain]
    end = out["churn_date"].fillna(as_of_ts)
    days = (end - out["acquisition_date"]).dt.days.to_numpy()
    out["tenure"] = (np.floor(days / unit) + 1).astype(int)
    out["churned"] = out["churn_date"].notna().astype(int)
    if start is None:
        out["entry"] = 0
    else:
        before = (pd.Timestamp(start) - out["acquisition_date"]).dt.days.clip(lower=0)
        out["entry"] = np.floor(before.to_numpy() / unit).astype(int)
    return out
