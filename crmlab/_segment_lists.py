"""Customer classes by relationship, credit list, status and five-level scales (part of
:mod:`crmlab.segment_classes`, which re-exports every public name)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate import (
    check_orders,
    check_scale,
    format_rows,
    numeric_answers,
    require_columns,
    require_frame,
    require_no_missing,
)

# --------------------------------------------------------------------------- relationship


def _categorical(codes: np.ndarray, labels: dict[str, str]) -> pd.Categorical:
    return pd.Categorical(np.asarray(list(labels))[codes], categories=list(labels))


#: Classes by relationship ([CRM textbook]), with Chinese names.
RELATIONSHIPS = {
    "current": "现有客户",
    "potential": "潜在客户",
    "historical": "历史客户",
    "competitor": "竞争者客户",
}


def relationship_class(
    customers: pd.DataFrame,
    pipeline: pd.DataFrame,
    churn: pd.DataFrame | None = None,
    *,
    as_of: object,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
    opportunity_id: str = "opportunity_id",
    open_date: str = "open_date",
    relationship: str = "relationship",
) -> pd.DataFrame:
    """Customers and prospects by relationship (按关系分类, [CRM textbook]).

    Rule, at ``as_of``:

    - ``current`` 现有客户: acquired on or before ``as_of`` and not lost by then;
    - ``historical`` 历史客户: acquired, and lost (``churn_date``) on or before ``as_of``;
    - ``potential`` 潜在客户 and ``competitor`` 竞争者客户: pipeline opportunities opened by
      ``as_of`` that have not become customers (no ``customer_id``), split by the
      pipeline's ``relationship`` column (``potential`` / ``competitor``: whether the
      prospect buys from a competitor now). Each unconverted opportunity counts as one
      prospect.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with its acquisition date.
    pipeline : DataFrame
        The sales pipeline: one row per opportunity (``customer_id`` empty if not won).
    churn : DataFrame, optional
        One row per lost customer with its churn date.
    as_of : date-like
        The reference date.
    customer_id, acquisition_date, churn_date, opportunity_id, open_date, relationship : str
        Column names.

    Returns
    -------
    DataFrame
        Columns ``id`` (customer or opportunity id), ``source`` (``customer`` or
        ``pipeline``) and ``relationship`` (categorical in the order above).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``customers`` is empty or ``relationship`` holds another value than
        ``potential`` or ``competitor`` (the rows are named).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["A", "B"], "acquisition_date":
    ...     pd.to_datetime(["2023-01-01", "2023-02-01"])})
    >>> churn = pd.DataFrame({"customer_id": ["B"], "churn_date": pd.to_datetime(["2024-05-01"])})
    >>> pipeline = pd.DataFrame({"opportunity_id": ["P1", "P2"], "customer_id": [None, None],
    ...     "open_date": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...     "relationship": ["potential", "competitor"]})
    >>> relationship_class(customers, pipeline, churn, as_of="2024-12-31")[
    ...     "relationship"].tolist()
    ['current', 'historical', 'potential', 'competitor']
    """
    as_of = pd.Timestamp(as_of)
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, acquisition_date], "customers")
    require_columns(pipeline, [opportunity_id, customer_id, open_date, relationship], "pipeline")
    cust = customers[customers[acquisition_date] <= as_of]
    lost = pd.Series(False, index=cust.index)
    if churn is not None:
        dates = churn.set_index(customer_id)[churn_date]
        lost = cust[customer_id].map(dates).le(as_of).fillna(False).astype(bool)
    prospects = pipeline[pipeline[customer_id].isna() & (pipeline[open_date] <= as_of)]
    kind = prospects[relationship].astype(str)
    unknown = ~kind.isin(["potential", "competitor"])
    if unknown.any():
        raise ValueError(
            f"column {relationship!r} must be 'potential' or 'competitor'; rows "
            f"{format_rows(prospects.index[unknown])} hold {kind[unknown].unique()[:5]}."
        )
    return pd.DataFrame(
        {
            "id": np.concatenate(
                [cust[customer_id].to_numpy(), prospects[opportunity_id].to_numpy()]
            ),
            "source": ["customer"] * len(cust) + ["pipeline"] * len(prospects),
            "relationship": pd.Categorical(
                np.concatenate([np.where(lost, "historical", "current"), kind.to_numpy()]),
                categories=list(RELATIONSHIPS),
            ),
        }
    )


# --------------------------------------------------------------------------- credit


def credit_list(
    orders: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    days_late: str = "days_late",
    defaulted: str = "defaulted",
    is_return: str | None = "is_return",
    black_min_defaults: int = 2,
    grey_late_share: float = 0.5,
    grey_mean_days: float = 15.0,
) -> pd.DataFrame:
    """Credit lists (按信用分类, [CRM textbook]) from payment behaviour on sales lines.

    Rule, per customer over its sales lines (returns ignored):

    - ``black`` 黑名单: at least ``black_min_defaults`` (default 2) lines never paid;
    - ``grey`` 灰名单: otherwise, one unpaid line, or more than ``grey_late_share`` (50%)
      of lines paid late, or more than ``grey_mean_days`` (15) days late on average;
    - ``red`` 红名单: everyone else (pays on time, the customers to trust with credit).

    Parameters
    ----------
    orders : DataFrame
        One row per order line with days late and a default flag.
    customer_id, days_late, defaulted, is_return : str
        Column names (``is_return`` may be None or absent).
    black_min_defaults : int
        Unpaid lines that put a customer on the black list.
    grey_late_share : float
        Share of lines paid late above which a customer is grey.
    grey_mean_days : float
        Mean days late above which a customer is grey.

    Returns
    -------
    DataFrame
        Index customer id; ``lines``, ``late_share``, ``mean_days_late``, ``defaults`` and
        ``credit`` (categorical red, grey, black).

    Raises
    ------
    ValueError
        If ``days_late`` is not numeric, negative or missing on a sales line.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": list("AABBC"), "days_late": [0, 0, 40, 0, 5],
    ...                        "defaulted": [False, False, False, False, True]})
    >>> credit_list(orders)["credit"].astype(str).to_dict()
    {'A': 'red', 'B': 'grey', 'C': 'grey'}
    """
    require_frame(orders, "orders")
    require_columns(orders, [customer_id, days_late, defaulted], "orders")
    require_no_missing(orders, customer_id)
    sales = orders
    if is_return is not None and is_return in orders.columns:
        sales = orders[~orders[is_return].fillna(False).astype(bool)]
    late = pd.to_numeric(sales[days_late], errors="coerce")
    bad = late.isna() | (late < 0)
    if bad.any():
        raise ValueError(
            f"column {days_late!r} must be a number of days >= 0 on sales lines; "
            f"rows {format_rows(sales.index[bad.to_numpy()])} are missing or negative."
        )
    frame = pd.DataFrame(
        {
            customer_id: sales[customer_id],
            "late": (late > 0).astype(float),
            "days": late.astype(float),
            "default": sales[defaulted].fillna(False).astype(int),
        }
    )
    out = frame.groupby(customer_id).agg(
        lines=("late", "size"),
        late_share=("late", "mean"),
        mean_days_late=("days", "mean"),
        defaults=("default", "sum"),
    )
    black = out["defaults"] >= black_min_defaults
    grey = (
        (out["defaults"] >= 1)
        | (out["late_share"] > grey_late_share)
        | (out["mean_days_late"] > grey_mean_days)
    )
    codes = np.where(black, 2, np.where(grey, 1, 0))
    out["credit"] = pd.Categorical.from_codes(codes, ["red", "grey", "black"])
    return out


# --------------------------------------------------------------------------- status

#: Classes by status ([textbook Q4]), plus the remainder the course does not name.
STATUSES = {
    "new": "新客户",
    "loyal": "忠诚客户",
    "churned": "流失客户",
    "other_active": "其他现有客户",
}


def status_class(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    churn: pd.DataFrame | None = None,
    *,
    as_of: object,
    new_days: int = 365,
    loyal_years: int = 2,
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    churn_date: str = "churn_date",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str | None = "is_return",
) -> pd.DataFrame:
    """Customers by status (按状态分类, [textbook Q4]) at ``as_of``.

    Rule, first that holds (customers acquired after ``as_of`` are left out):

    - ``churned`` 流失客户: lost on or before ``as_of``;
    - ``new`` 新客户: acquired within ``new_days`` (365) days before ``as_of``;
    - ``loyal`` 忠诚客户: bought (a sales line) in each of the last ``loyal_years`` (2)
      periods of 365 days before ``as_of`` (behavioural loyalty: repeat purchase);
    - ``other_active`` 其他现有客户: active but not new and not loyal. The course's three
      classes do not cover everyone; this remainder says so.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with its acquisition date.
    orders : DataFrame
        One row per order line.
    churn : DataFrame, optional
        One row per lost customer with its churn date.
    as_of : date-like
        The reference date.
    new_days : int
        A customer acquired this many days before ``as_of`` or later is new.
    loyal_years : int
        Consecutive yearly periods with a purchase that make a customer loyal.
    customer_id, acquisition_date, churn_date, order_date, amount, is_return : str
        Column names. ``amount`` and ``is_return`` tell returns (negative lines marked in
        ``is_return``) from sales; only sales count as purchases.

    Returns
    -------
    DataFrame
        Index customer id; ``tenure_days``, ``active_periods`` and ``status``.

    Raises
    ------
    KeyError
        A missing column, named (e.g. ``amount`` when the orders have none: pass
        ``amount=`` with your column's name).
    ValueError
        If ``customers`` is empty, or as :func:`crmlab._validate.check_orders` (orders after
        ``as_of`` included).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": list("ABCD"), "acquisition_date":
    ...     pd.to_datetime(["2020-01-01", "2020-01-01", "2024-06-01", "2020-01-01"])})
    >>> orders = pd.DataFrame({"customer_id": list("AABC"), "order_date": pd.to_datetime(
    ...     ["2023-06-01", "2024-06-01", "2024-06-01", "2024-07-01"]), "amount": 1.0})
    >>> churn = pd.DataFrame({"customer_id": ["D"], "churn_date": pd.to_datetime(["2023-01-05"])})
    >>> status_class(customers, orders, churn, as_of="2024-12-31")["status"].astype(
    ...     str).to_dict()
    {'A': 'loyal', 'B': 'other_active', 'C': 'new', 'D': 'churned'}
    """
    as_of = pd.Timestamp(as_of)
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, acquisition_date], "customers")
    flags, _ = (
        check_orders(
            orders,
            customer_id=customer_id,
            order_date=order_date,
            amount=amount,
            is_return=is_return,
            as_of=as_of,
        )
        if len(orders)
        else (None, None)
    )
    cust = customers[customers[acquisition_date] <= as_of].set_index(customer_id)
    out = pd.DataFrame(index=cust.index)
    out["tenure_days"] = (as_of - cust[acquisition_date]).dt.days
    sales = orders if flags is None else orders[~flags]
    age = (as_of - sales[order_date]).dt.days // 365
    recent = sales[age < loyal_years]
    periods = recent.groupby(customer_id)[order_date].agg(
        lambda d: ((as_of - d).dt.days // 365).nunique()
    )
    out["active_periods"] = periods.reindex(out.index, fill_value=0).astype(int)
    lost = pd.Series(False, index=out.index)
    if churn is not None:
        lost = churn.set_index(customer_id)[churn_date].reindex(out.index).le(as_of)
    codes = np.select(
        [
            lost.to_numpy(),
            (out["tenure_days"] <= new_days).to_numpy(),
            (out["active_periods"] >= loyal_years).to_numpy(),
        ],
        [2, 0, 1],
        3,
    )
    out["status"] = _categorical(codes, STATUSES)
    return out


# --------------------------------------------------------------------------- five levels

FIVE_LEVELS = {
    "satisfaction": ["很不满意", "不满意", "基本满意", "很满意", "非常满意"],
    "loyalty": ["很不忠诚", "不忠诚", "基本忠诚", "很忠诚", "非常忠诚"],
}


def five_level(
    scores: object, kind: str = "satisfaction", *, scale: tuple[float, float] = (1, 5)
) -> pd.Series:
    """The course's five-level classes ([CRM textbook]) from a score on a five-point scale.

    **Rule** (one for satisfaction and loyalty; :func:`crmlab.survey.satisfaction_class`
    is this rule): a score goes to the nearest point of the scale, halves up (cut points
    1.5, 2.5, 3.5, 4.5 on 1-5, so a mean of two items, 3.5, is level 4); 1 is 很不满意
    (very dissatisfied) or 很不忠诚 (very disloyal), 5 is 非常满意 or 非常忠诚. Missing
    stays missing. A code off the scale (0, 6 or 9, the raw survey's data-entry errors)
    is an error, not silently a missing level: set such codes to missing first
    (``survey.clean_survey`` does).

    Parameters
    ----------
    scores : Series or array-like
    kind : {"satisfaction", "loyalty"}
    scale : (low, high), default (1, 5)
        A five-point scale (high − low = 4).

    Returns
    -------
    Series
        Ordered categorical, lowest level first; same index as ``scores``.

    Raises
    ------
    ValueError
        An unknown ``kind``, a scale that is not five points, a non-numeric score or a
        score off the scale (the message names the rows and codes).

    Parameters
    ----------
    scores : Series
        Scores on 1-5 (an answer or a mean of answers).
    kind : {"satisfaction", "loyalty"}
        Which five labels (:data:`FIVE_LEVELS`).

    Returns
    -------
    Series
        Ordered categorical labels, same index; NaN where the score is missing or off the
        scale.

    Raises
    ------
    ValueError
        If ``kind`` is unknown.

    Examples
    --------
    >>> five_level(pd.Series([5, 3.5, 1, None])).tolist()
    ['非常满意', '很满意', '很不满意', nan]
    >>> five_level(pd.Series([4, 9]))
    Traceback (most recent call last):
    ...
    ValueError: item 'score' has answers outside the scale 1..5 in rows [1]: [9.0]. Set \
out-of-range codes to missing first (clean_survey).
    """
    if kind not in FIVE_LEVELS:
        raise ValueError(f"kind must be one of {list(FIVE_LEVELS)}, got {kind!r}.")
    low, high = check_scale(scale)
    if high - low != 4:
        raise ValueError(f"scale must have five points (high - low = 4), got {scale!r}.")
    s = scores if isinstance(scores, pd.Series) else pd.Series(scores)
    values = numeric_answers(s.rename("score").to_frame(), ["score"], scale, need_answers=False)
    code = np.floor(values[:, 0] - low + 0.5)  # 0..4, NaN for missing
    return pd.Series(
        pd.Categorical.from_codes(
            np.where(np.isnan(code), -1, code).astype(int), FIVE_LEVELS[kind], ordered=True
        ),
        index=s.index,
        name=kind,
    )
