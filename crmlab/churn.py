"""Chapter 04, customer churn (客户流失, seeds 004 §4, 001, 003): defining churn, finding
its causes, warning early, responding.

- **Defining churn**: :func:`churn_rate`; the non-contractual definition by inactivity
  (:func:`inactivity_churn`, :func:`threshold_curve`); the dynamic balance of the
  customer base (动态平衡, :func:`dynamic_balance`); cohort retention
  (:func:`cohort_retention`).
- **Causes** (客户流失原因): Pareto tables (:func:`pareto_table`, :func:`exit_reasons`),
  the correction of noisy stated reasons (:func:`corrected_shares`), whether one type is
  the largest (:func:`largest_share_test`), causes by group (:func:`causes_by_group`),
  incidents and their handling (:func:`incident_churn`).
- **Prediction and early warning** (流失预警): :func:`churn_features` (features up to a
  cut date, churn in the next period), :func:`fit_logit` (statsmodels ``Logit``, odds
  ratios), :func:`auc`, :func:`gains_table`, :func:`calibration_table`,
  :func:`early_warning`, :func:`campaign_plan`.
- **Responses**: :func:`competitive_strategy` (进攻 / 防守 / 撤退) and
  :func:`fault_root_causes`.

Survival analysis (Kaplan-Meier, log-rank, Cox) is in :mod:`crmlab.survival`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from crmlab._results import Result
from crmlab._schema import CHURN_TYPE_OF_CAUSE
from crmlab._validate import (
    as_float_array,
    check_event,
    format_rows,
    require_columns,
    require_dates,
    require_frame,
    require_int,
    require_no_missing,
    require_positive,
    require_share,
    z_value,
)
from crmlab.survival import design_matrix

__all__ = [
    "churn_rate",
    "inactivity_churn",
    "threshold_curve",
    "dynamic_balance",
    "cohort_retention",
    "pareto_table",
    "exit_reasons",
    "corrected_shares",
    "ShareTestResult",
    "largest_share_test",
    "causes_by_group",
    "incident_churn",
    "churn_features",
    "LogitResult",
    "fit_logit",
    "auc",
    "gains_table",
    "calibration_table",
    "early_warning",
    "campaign_plan",
    "STRATEGIES",
    "competitive_strategy",
    "FAULT_ROOT_CAUSES",
    "fault_root_causes",
]


# ------------------------------------------------------------------------- defining churn
def churn_rate(data: pd.DataFrame, *, event: str = "churned") -> float:
    """Churn rate (流失率): the share of customers whose ``event`` is 1.

    Raises ``KeyError`` for a missing column and ``ValueError`` if the event is not 0/1.

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

    Raises ``ValueError`` for an empty or non-positive threshold (the message names it).
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


def _lifetimes(customers, churn, customer_id, acquisition_date, churn_date):
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, acquisition_date], "customers")
    require_columns(churn, [customer_id, churn_date], "churn")
    require_dates(customers, acquisition_date)
    require_dates(churn, churn_date)
    out = customers.set_index(customer_id)[[acquisition_date]].rename(
        columns={acquisition_date: "acquired"}
    )
    out["lost"] = churn.set_index(customer_id)[churn_date].reindex(out.index)
    bad = (out["lost"] < out["acquired"]).to_numpy()
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
    life = _lifetimes(customers, churn, customer_id, acquisition_date, churn_date)
    periods = pd.period_range(start_p, end_p, freq=freq)
    acq = life["acquired"].dt.to_period(freq)
    lost = life["lost"].dt.to_period(freq)
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

    Raises ``ValueError`` for dates out of order or a non-datetime column.

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
    life = _lifetimes(customers, churn, customer_id, acquisition_date, churn_date)
    as_of_p = pd.Timestamp(as_of).to_period("M")
    cohort = life["acquired"].dt.to_period("M")
    keep = cohort <= as_of_p
    if start is not None:
        keep &= cohort >= pd.Period(start, "M")
    life, cohort = life[keep], cohort[keep]
    if life.empty:
        raise ValueError("no customer was acquired between start and as_of.")
    lost_p = life["lost"].dt.to_period("M")
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


# ------------------------------------------------------------------------- causes
def pareto_table(labels: pd.Series, categories: Sequence[str] | None = None) -> pd.DataFrame:
    """Pareto table: count, share and cumulative share per label, largest first.

    ``categories`` adds labels with a zero count. Raises ``ValueError`` for empty input
    or missing labels.

    Examples
    --------
    >>> pareto_table(pd.Series(["price", "quality", "price", "competitor", "price"]))
                count  share  cumulative
    price           3    0.6         0.6
    competitor      1    0.2         0.8
    quality         1    0.2         1.0
    """
    labels = pd.Series(labels)
    if labels.empty:
        raise ValueError("labels is empty: nothing to count.")
    if labels.isna().any():
        raise ValueError(
            f"labels has missing values at {format_rows(labels.index[labels.isna()])}."
        )
    counts = labels.astype(str).value_counts()
    if categories is not None:
        counts = counts.reindex(list(dict.fromkeys([*counts.index, *categories])), fill_value=0)
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    out = pd.DataFrame({"count": counts.astype(int), "share": counts / counts.sum()})
    out["cumulative"] = out["share"].cumsum()
    return out.rename_axis(None)


def exit_reasons(
    churn: pd.DataFrame,
    truth: pd.DataFrame | None = None,
    *,
    level: str = "cause",
    customer_id: str = "customer_id",
    stated_reason: str = "stated_reason",
    churn_cause: str = "churn_cause",
    type_of_cause: dict | None = None,
) -> pd.DataFrame:
    """Shares of exit reasons (six causes) or types (three) as stated, and the truth.

    ``level="cause"`` counts ``stated_reason``; ``level="type"`` maps each reason to its
    type with ``type_of_cause`` (default the company's table,
    ``crmlab._schema.CHURN_TYPE_OF_CAUSE``). With ``truth`` (one row per customer with
    ``churn_cause``), adds ``true_count`` and ``true_share`` over the same leavers. Sorted
    by the stated count.

    Raises ``KeyError`` for a missing column and ``ValueError`` for an unknown level or a
    reason without a type.
    """
    if level not in ("cause", "type"):
        raise ValueError(f"level must be 'cause' or 'type', got {level!r}.")
    require_frame(churn, "churn")
    require_columns(churn, [customer_id, stated_reason], "churn")
    require_no_missing(churn, stated_reason)
    mapping = CHURN_TYPE_OF_CAUSE if type_of_cause is None else type_of_cause

    def to_level(s: pd.Series) -> pd.Series:
        s = s.astype(str)
        if level == "cause":
            return s
        unknown = sorted(set(s) - set(mapping))
        if unknown:
            raise ValueError(f"reason(s) {unknown} have no churn type in type_of_cause.")
        return s.map(mapping)

    cats = list(mapping) if level == "cause" else sorted(set(mapping.values()))
    out = pareto_table(to_level(churn[stated_reason]), cats)
    out.columns = ["stated_count", "stated_share", "stated_cumulative"]
    if truth is not None:
        require_columns(truth, [customer_id, churn_cause], "truth")
        true = truth.set_index(customer_id)[churn_cause].reindex(churn[customer_id]).dropna()
        tp = pareto_table(to_level(true), cats)
        out["true_count"] = tp["count"].reindex(out.index).fillna(0).astype(int)
        out["true_share"] = tp["share"].reindex(out.index).fillna(0.0)
    return out


def corrected_shares(stated: pd.Series, noise: float, default: str = "price") -> pd.Series:
    """Undo a known misreporting rate: true shares from stated shares.

    If a share ``noise`` of leavers states ``default`` whatever their true cause and the
    rest state the truth, then ``stated_c = (1 − noise) true_c + noise [c = default]``, so
    ``true_c = (stated_c − noise [c = default]) / (1 − noise)`` (clipped at 0 and
    renormalised). For the company ``noise`` is the simulator's ``STATED_REASON_NOISE`` (0.2).

    Examples
    --------
    >>> corrected_shares(pd.Series({"price": 0.44, "quality": 0.56}), 0.2).round(3).to_dict()
    {'price': 0.3, 'quality': 0.7}
    """
    q = require_share(noise, "noise", closed_high=False)
    s = pd.Series(stated, dtype=float)
    if default not in s.index:
        raise ValueError(f"default {default!r} is not among the stated labels {list(s.index)}.")
    if not np.isclose(s.sum(), 1.0):
        raise ValueError(f"stated shares must sum to 1, got {s.sum():.4f}.")
    true = (s - q * (s.index == default)) / (1 - q)
    true = true.clip(lower=0)
    return true / true.sum()


@dataclass
class ShareTestResult(Result):
    """Is one category (e.g. fault churn 过失流失) the largest share?

    ``table`` holds count, share and Wilson CI per category; ``largest`` the category with
    the largest share; ``difference`` = share of ``claim`` minus the largest other share,
    with its ``z`` and one-sided ``p_value`` for "``claim`` is larger than every other"
    (multinomial variance of a difference of two shares).
    """

    claim: str
    table: pd.DataFrame
    largest: str
    difference: float
    z: float
    p_value: float
    supported: bool = field(init=False)

    def __post_init__(self):
        self.supported = self.largest == self.claim and self.p_value < 0.05

    title = "Is one category the largest share?"

    def summary(self) -> pd.DataFrame:
        """The test as a one-row table (the per-category shares are :attr:`table`)."""
        return pd.DataFrame(
            [
                {
                    "claim": self.claim,
                    "largest": self.largest,
                    "difference": self.difference,
                    "z": self.z,
                    "p_value": self.p_value,
                    "supported": self.supported,
                }
            ]
        )

    def __str__(self) -> str:
        verdict = "supported" if self.supported else "not supported"
        return (
            f"claim '{self.claim} is the largest share': {verdict}; largest is "
            f"'{self.largest}' ({self.table.loc[self.largest, 'share']:.1%}); "
            f"{self.claim} minus largest other = {self.difference:+.1%}, "
            f"z = {self.z:.2f}, one-sided p = {self.p_value:.3g}"
        )


def largest_share_test(
    labels: pd.Series, claim: str = "fault", *, confidence: float = 0.95
) -> ShareTestResult:
    """Test the claim that ``claim`` is the largest category of ``labels``.

    Raises ``ValueError`` if ``claim`` does not occur in ``labels`` (the message names it).

    Examples
    --------
    >>> r = largest_share_test(pd.Series(["fault"] * 6 + ["natural"] * 2 + ["competitive"] * 2))
    >>> r.largest, round(r.difference, 2)
    ('fault', 0.4)
    """
    table = pareto_table(labels)
    if claim not in table.index:
        raise ValueError(f"claim {claim!r} is not among the labels {list(table.index)}.")
    n = int(table["count"].sum())
    low, high = proportion_confint(table["count"], n, alpha=1 - confidence, method="wilson")
    table["lower"], table["upper"] = low, high
    p_a = table.loc[claim, "share"]
    other = table.drop(index=claim)
    if other.empty:
        return ShareTestResult(claim, table, claim, float(p_a), np.inf, 0.0)
    p_b = other["share"].iloc[0]
    diff = p_a - p_b
    se = np.sqrt((p_a + p_b - diff**2) / n)
    z = diff / se if se > 0 else np.sign(diff) * np.inf
    return ShareTestResult(
        claim, table, str(table.index[0]), float(diff), float(z), float(stats.norm.sf(z))
    )


def causes_by_group(
    customers: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    group: str,
    stated_reason: str = "stated_reason",
    customer_id: str = "customer_id",
    per: str = "customer",
) -> pd.DataFrame:
    """Churn by cause within each group (segment, value tier ...).

    ``per="customer"``: leavers of each cause per customer of the group (cause-specific
    churn rates; the row sum is the group's churn rate). ``per="leaver"``: the mix of
    causes among the group's leavers (rows sum to 1). Column ``n_customers`` and
    ``churn_rate`` are added.

    Raises ``KeyError`` for a missing column and ``ValueError`` for an unknown ``per``.
    """
    if per not in ("customer", "leaver"):
        raise ValueError(f"per must be 'customer' or 'leaver', got {per!r}.")
    require_frame(customers, "customers")
    require_columns(customers, [customer_id, group], "customers")
    require_columns(churn, [customer_id, stated_reason], "churn")
    g = customers.set_index(customer_id)[group]
    lost = churn.set_index(customer_id)[stated_reason]
    counts = pd.crosstab(g.reindex(lost.index), lost)
    n = g.value_counts().reindex(counts.index)
    share = counts.div(n if per == "customer" else counts.sum(axis=1), axis=0)
    share.columns = share.columns.astype(str)
    share.insert(0, "churn_rate", counts.sum(axis=1) / n)
    share.insert(0, "n_customers", n.astype(int))
    return share


def incident_churn(
    incidents: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    as_of: object,
    window_days: float = 90,
    group: str | Sequence[str] = "handled_well",
    customer_id: str = "customer_id",
    incident_date: str = "incident_date",
    churn_date: str = "churn_date",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of incidents (投诉/服务事件) followed by churn within ``window_days``, by group.

    Only incidents at least ``window_days`` before ``as_of`` count (each had the full
    window to be followed). Columns ``n_incidents``, ``n_churned``, ``rate`` and its Wilson
    ``lower``/``upper``. With handling randomised given severity and size (the company),
    the difference between ``handled_well`` groups is the causal effect of handling.

    Raises ``ValueError`` for a non-positive window or no incident old enough.
    """
    window = require_positive(window_days, "window_days")
    group = [group] if isinstance(group, str) else list(group)
    require_frame(incidents, "incidents")
    require_columns(incidents, [customer_id, incident_date, *group], "incidents")
    require_columns(churn, [customer_id, churn_date], "churn")
    require_dates(incidents, incident_date)
    cutoff = pd.Timestamp(as_of) - pd.Timedelta(days=window)
    inc = incidents[incidents[incident_date] <= cutoff]
    if inc.empty:
        raise ValueError(f"no incident lies {window:g} days or more before as_of={as_of}.")
    lost = churn.set_index(customer_id)[churn_date].reindex(inc[customer_id]).to_numpy()
    gap = (pd.to_datetime(lost) - inc[incident_date].to_numpy()).days.to_numpy(dtype=float)
    inc = inc.assign(_churned=((gap >= 0) & (gap <= window)).astype(int))
    grouped = inc.groupby(group, observed=True)["_churned"].agg(["size", "sum"])
    grouped.columns = ["n_incidents", "n_churned"]
    grouped["rate"] = grouped["n_churned"] / grouped["n_incidents"]
    low, high = proportion_confint(
        grouped["n_churned"], grouped["n_incidents"], alpha=1 - confidence, method="wilson"
    )
    grouped["lower"], grouped["upper"] = low, high
    return grouped


# ------------------------------------------------------------------------- prediction
def churn_features(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    incidents: pd.DataFrame,
    contacts: pd.DataFrame,
    churn: pd.DataFrame,
    *,
    as_of: object,
    horizon_days: int = 182,
    customer_id: str = "customer_id",
) -> pd.DataFrame:
    """Features known at ``as_of`` and churn in the next ``horizon_days`` (a split in time).

    One row per customer acquired on or before ``as_of`` and not lost by then. Features
    use only data dated on or before ``as_of``: ``tenure_months``; over the last 365 days
    ``n_orders_12m`` (purchase lines), ``revenue_12m`` (net of returns), ``n_returns_12m``;
    ``days_since_last`` purchase (365 if none in the year), ``quote_days_mean``
    (mean days from quote to order) and ``promo_share_12m`` (share of purchase lines on
    promotion), both set to the mean for customers without a purchase; over the last 182
    days ``n_incidents_6m``, ``n_bad_incidents_6m`` (handled badly), ``n_contacts_6m``; and
    ``size``. Event ``churned`` = 1 if lost in (as_of, as_of + horizon]. Company column names
    (``acquisition_date``, ``order_date``, ``amount``, ``is_return``, ``incident_date``,
    ``handled_well``, ``contact_date``, ``churn_date``, ``size``) are expected.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``horizon_days`` is not positive, or no customer is active at ``as_of``.
    """
    horizon = require_positive(horizon_days, "horizon_days")
    as_of_ts = pd.Timestamp(as_of)
    require_columns(customers, [customer_id, "acquisition_date", "size"], "customers")
    require_columns(orders, [customer_id, "order_date", "amount", "is_return"], "orders")
    require_columns(incidents, [customer_id, "incident_date", "handled_well"], "incidents")
    require_columns(contacts, [customer_id, "contact_date"], "contacts")
    life = _lifetimes(customers, churn, customer_id, "acquisition_date", "churn_date")
    life = life[(life["acquired"] <= as_of_ts) & (life["lost"].isna() | (life["lost"] > as_of_ts))]
    if life.empty:
        raise ValueError(f"no customer is active at as_of={as_of_ts.date()}.")
    out = pd.DataFrame(index=life.index)
    out["tenure_months"] = ((as_of_ts - life["acquired"]).dt.days / (365.25 / 12)).round(1)
    year = orders[
        (orders["order_date"] > as_of_ts - pd.Timedelta(days=365))
        & (orders["order_date"] <= as_of_ts)
    ]
    buys = year[~year["is_return"].astype(bool)]
    out["n_orders_12m"] = buys.groupby(customer_id).size().reindex(out.index, fill_value=0)
    out["revenue_12m"] = year.groupby(customer_id)["amount"].sum().reindex(out.index, fill_value=0)
    out["n_returns_12m"] = (
        year.groupby(customer_id)["is_return"].sum().reindex(out.index, fill_value=0).astype(int)
    )
    last = buys.groupby(customer_id)["order_date"].max().reindex(out.index)
    out["days_since_last"] = (as_of_ts - last).dt.days.fillna(365).astype(int)
    # time spent choosing (购买挑选时间) and promotion buying: traces of price-driven buyers
    g = buys.groupby(customer_id)
    out["quote_days_mean"] = (
        g["quote_days"].mean().astype(float).reindex(out.index) if "quote_days" in buys else np.nan
    )
    out["promo_share_12m"] = (
        g["promotion"].mean().astype(float).reindex(out.index) if "promotion" in buys else np.nan
    )
    for col in ("quote_days_mean", "promo_share_12m"):  # no purchase: the average buyer
        out[col] = out[col].fillna(out[col].mean()).round(4)
    half = pd.Timedelta(days=182)
    inc = incidents[
        (incidents["incident_date"] > as_of_ts - half) & (incidents["incident_date"] <= as_of_ts)
    ]
    out["n_incidents_6m"] = inc.groupby(customer_id).size().reindex(out.index, fill_value=0)
    out["n_bad_incidents_6m"] = (
        inc[~inc["handled_well"].astype(bool)]
        .groupby(customer_id)
        .size()
        .reindex(out.index, fill_value=0)
    )
    con = contacts[
        (contacts["contact_date"] > as_of_ts - half) & (contacts["contact_date"] <= as_of_ts)
    ]
    out["n_contacts_6m"] = con.groupby(customer_id).size().reindex(out.index, fill_value=0)
    out["size"] = customers.set_index(customer_id)["size"].reindex(out.index)
    end = as_of_ts + pd.Timedelta(days=horizon)
    out["churned"] = ((life["lost"] > as_of_ts) & (life["lost"] <= end)).astype(int)
    out.insert(0, "as_of", as_of_ts)
    return out


@dataclass
class LogitResult(Result):
    """A logistic churn model (逻辑回归) fitted with statsmodels ``Logit``.

    Attributes
    ----------
    features : list of str
        The columns it was fitted on (before one-hot coding).
    odds_ratios : DataFrame
        ``coef``, ``se``, ``odds_ratio``, ``lower``, ``upper`` (CI of the ratio), ``p``.
    n, events : int
    result : statsmodels ``LogitResults``.
    """

    features: list
    odds_ratios: pd.DataFrame
    n: int
    events: int
    result: object = field(repr=False)
    _columns: list = field(repr=False, default_factory=list)

    title = "Logistic churn model (逻辑回归), odds ratios"

    def notes(self) -> list[str]:
        return [f"n = {self.n}, events = {self.events}"]

    def summary(self) -> pd.DataFrame:
        """The odds-ratio table (one row per design column, the constant first)."""
        return self.odds_ratios

    def predict(self, data: pd.DataFrame) -> pd.Series:
        """Churn probability for each row of ``data`` (same feature columns)."""
        X = design_matrix(data, covariates=self.features).reindex(
            columns=self._columns[1:], fill_value=0.0
        )
        X = sm.add_constant(X, has_constant="add")
        return pd.Series(self.result.predict(X.to_numpy()), index=data.index, name="p_churn")

    def read(self) -> list[str]:
        """Each odds ratio in words (odds, not probability)."""
        lines = []
        for name, r in self.odds_ratios.drop(index="const", errors="ignore").iterrows():
            word = "multiplies" if r.p < 0.05 else "multiplies (not significantly)"
            lines.append(
                f"{name}: one unit more {word} the odds of churn by "
                f"{r.odds_ratio:.3g} (95% CI {r.lower:.3g}-{r.upper:.3g})"
            )
        return lines


def fit_logit(
    data: pd.DataFrame,
    *,
    event: str = "churned",
    features: Sequence[str] = ("days_since_last", "n_orders_12m"),
    confidence: float = 0.95,
) -> LogitResult:
    """Fit a logistic regression of churn on ``features`` (statsmodels ``Logit``).

    Categorical features are one-hot coded against their first level. Odds ratios are
    ``exp(coef)`` with Wald intervals.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``event`` is not 0/1 or has one class only, or a feature has missing values.

    Examples
    --------
    >>> d = pd.DataFrame({"x": [0, 1, 2, 3, 4, 5, 6, 7], "churned": [0, 0, 1, 0, 1, 0, 1, 1]})
    >>> fit_logit(d, features=["x"]).odds_ratios.loc["x", "odds_ratio"].round(3)
    np.float64(1.811)
    """
    require_frame(data)
    y = check_event(data, event)
    if y.min() == y.max():
        raise ValueError(f"event column {event!r} has one class only: need 0s and 1s.")
    features = [features] if isinstance(features, str) else list(features)
    X = sm.add_constant(design_matrix(data, covariates=features), has_constant="add")
    res = sm.Logit(y, X.to_numpy(dtype=float)).fit(disp=0, maxiter=200)
    cols = list(X.columns)
    params, bse = pd.Series(res.params, index=cols), pd.Series(res.bse, index=cols)
    z = z_value(confidence)
    table = pd.DataFrame(
        {
            "coef": params,
            "se": bse,
            "odds_ratio": np.exp(params),
            "lower": np.exp(params - z * bse),
            "upper": np.exp(params + z * bse),
            "p": 2 * stats.norm.sf(np.abs(params / bse)),
        }
    ).rename_axis("feature")
    return LogitResult(features, table, len(y), int(y.sum()), res, cols)


def _scores(y: object, p: object) -> tuple[np.ndarray, np.ndarray]:
    y_arr = as_float_array(y, "y")
    p_arr = as_float_array(p, "p")
    if y_arr.size != p_arr.size:
        raise ValueError(f"y and p differ in length: {y_arr.size} vs {p_arr.size}.")
    if not np.isin(y_arr, [0, 1]).all():
        raise ValueError(f"y must hold 0/1, got {np.unique(y_arr[~np.isin(y_arr, [0, 1])])[:5]}.")
    if ((p_arr < 0) | (p_arr > 1)).any():
        raise ValueError("p must hold probabilities in [0, 1].")
    return y_arr.astype(int), p_arr


def auc(y: object, p: object) -> float:
    """Area under the ROC curve (scikit-learn ``roc_auc_score``).

    Examples
    --------
    >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])  # 3 of 4 pairs ordered right
    0.75
    """
    from sklearn.metrics import roc_auc_score

    y_arr, p_arr = _scores(y, p)
    if y_arr.min() == y_arr.max():
        raise ValueError("y has one class only: AUC needs churners and stayers.")
    return float(roc_auc_score(y_arr, p_arr))


def gains_table(y: object, p: object, bins: int = 10) -> pd.DataFrame:
    """Gains and lift table: customers ranked by ``p``, cut into ``bins`` equal groups.

    Per group (1 = highest scores): ``n``, ``n_churned``, ``rate``, ``lift`` (rate / overall
    rate), ``cum_share_customers``, ``cum_capture`` (share of all churners caught so far)
    and ``cum_lift``. Ties in ``p`` keep the input order (stable sort).

    Examples
    --------
    >>> g = gains_table([1, 0, 1, 0, 0, 0, 1, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2, .1, 0],
    ...                 bins=5)
    >>> g[["n_churned", "lift", "cum_capture"]].round(3).iloc[:2].to_dict("list")
    {'n_churned': [1, 1], 'lift': [1.667, 1.667], 'cum_capture': [0.333, 0.667]}
    """
    y_arr, p_arr = _scores(y, p)
    require_int(bins, "bins", low=1, high=y_arr.size)
    order = np.argsort(-p_arr, kind="stable")
    group = np.arange(y_arr.size) * bins // y_arr.size + 1
    frame = pd.DataFrame({"group": group, "y": y_arr[order], "p": p_arr[order]})
    out = frame.groupby("group").agg(n=("y", "size"), n_churned=("y", "sum"), mean_p=("p", "mean"))
    overall = y_arr.mean()
    out["rate"] = out["n_churned"] / out["n"]
    out["lift"] = out["rate"] / overall if overall > 0 else np.nan
    out["cum_share_customers"] = out["n"].cumsum() / y_arr.size
    out["cum_capture"] = out["n_churned"].cumsum() / max(y_arr.sum(), 1)
    out["cum_lift"] = out["cum_capture"] / out["cum_share_customers"]
    return out


def calibration_table(y: object, p: object, bins: int = 10) -> pd.DataFrame:
    """Calibration: mean predicted ``p`` vs observed churn share in ``bins`` groups of
    equal size (by predicted probability, lowest first)."""
    g = gains_table(y, p, bins).iloc[::-1]
    out = pd.DataFrame(
        {
            "n": g["n"].to_numpy(),
            "mean_predicted": g["mean_p"].to_numpy(),
            "observed": g["rate"].to_numpy(),
        },
        index=range(1, len(g) + 1),
    )
    return out.rename_axis("bin")


def early_warning(
    p_churn: pd.Series, value: pd.Series, *, tier: pd.Series | None = None, top: int | None = None
) -> pd.DataFrame:
    """Ranked early-warning list (流失预警名单): value at risk = value x churn probability.

    Customers (the index shared by ``p_churn`` and ``value``) sorted by ``value_at_risk``,
    largest first, so valuable customers at risk (VIPs) are protected first. ``tier`` adds
    a value-tier column; ``top`` keeps the first rows.

    Raises ``ValueError`` if the indexes differ or probabilities lie outside [0, 1].

    Examples
    --------
    >>> early_warning(pd.Series({"a": 0.5, "b": 0.1}), pd.Series({"a": 100, "b": 2000}))
       p_churn   value  value_at_risk  rank
    b      0.1  2000.0          200.0     1
    a      0.5   100.0           50.0     2
    """
    p = pd.Series(p_churn, dtype=float)
    v = pd.Series(value, dtype=float)
    if not p.index.sort_values().equals(v.index.sort_values()):
        raise ValueError("p_churn and value must have the same customers (index).")
    _scores(np.zeros(len(p)), p.to_numpy())
    out = pd.DataFrame({"p_churn": p, "value": v.reindex(p.index)})
    out["value_at_risk"] = out["p_churn"] * out["value"]
    if tier is not None:
        out["tier"] = pd.Series(tier).reindex(out.index)
    out = out.sort_values("value_at_risk", ascending=False, kind="stable")
    out["rank"] = np.arange(1, len(out) + 1)
    return out if top is None else out.head(int(top))


def campaign_plan(
    warning: pd.DataFrame,
    contact_cost: float,
    save_rate: float,
    *,
    p_churn: str = "p_churn",
    value: str = "value",
) -> pd.DataFrame:
    """Cost-benefit of a retention campaign (挽留): whom to contact.

    Contacting a customer costs ``contact_cost`` and keeps a would-be leaver with
    probability ``save_rate``, saving ``value``. Expected gain = ``p_churn x save_rate x
    value − contact_cost``; contact exactly the customers with a positive gain. The table
    is sorted by gain with ``contact`` (bool) and ``cum_gain``.

    Examples
    --------
    >>> w = pd.DataFrame({"p_churn": [0.5, 0.2, 0.1], "value": [1000, 1000, 1000]},
    ...                  index=list("abc"))
    >>> campaign_plan(w, 50, 0.3)[["gain", "contact"]]  # 0.5*0.3*1000-50 = 100 ...
        gain  contact
    a  100.0     True
    b   10.0     True
    c  -20.0    False
    """
    cost = require_positive(contact_cost, "contact_cost", allow_zero=True)
    rate = require_share(save_rate, "save_rate")
    require_frame(warning, "warning")
    require_columns(warning, [p_churn, value], "warning")
    out = warning.copy()
    out["gain"] = out[p_churn] * rate * out[value] - cost
    out = out.sort_values("gain", ascending=False, kind="stable")
    out["contact"] = out["gain"] > 0
    out["cum_gain"] = out["gain"].cumsum()
    return out


# ------------------------------------------------------------------------- responses
#: The course's three responses to competitive churn (竞争流失, 004 §4).
STRATEGIES = {"attack": "进攻", "defend": "防守", "retreat": "撤退"}


def competitive_strategy(
    segments: pd.DataFrame,
    *,
    value_per_customer: str = "value_per_customer",
    competitive_churn_rate: str = "competitive_churn_rate",
    retreat_below: float = 0.5,
) -> pd.DataFrame:
    """Decision rule for competitive churn per segment: attack, defend or retreat.

    With ``value_index`` = segment value per customer / mean over segments (weighted by
    nothing: each segment counts once) and ``churn_index`` = competitive churn rate /
    mean over segments:

    - **attack (进攻)** if ``value_index >= 1`` and ``churn_index >= 1``: valuable customers
      under competitor pressure; counter the competitor (match offers selectively, win
      back the lost, go after the competitor's customers);
    - **retreat (撤退)** if ``value_index < retreat_below`` and ``churn_index >= 1``: a
      price war for low-value customers does not pay; stop subsidising, serve cheaply;
    - **defend (防守)** otherwise: hold the position (service, switching barriers,
      loyalty programmes), most firmly where value is high.

    Raises ``KeyError`` for a missing column, ``ValueError`` for a bad threshold or a
    segment table with non-positive mean value or churn.
    """
    thr = require_positive(retreat_below, "retreat_below")
    require_frame(segments, "segments")
    require_columns(segments, [value_per_customer, competitive_churn_rate], "segments")
    out = segments.copy()
    for col in (value_per_customer, competitive_churn_rate):
        mean = out[col].astype(float).mean()
        if not mean > 0:
            raise ValueError(f"column {col!r} must have a positive mean, got {mean!r}.")
    out["value_index"] = out[value_per_customer] / out[value_per_customer].mean()
    out["churn_index"] = out[competitive_churn_rate] / out[competitive_churn_rate].mean()
    high_churn = out["churn_index"] >= 1
    rule = np.where(
        (out["value_index"] >= 1) & high_churn,
        "attack",
        np.where((out["value_index"] < thr) & high_churn, "retreat", "defend"),
    )
    out["strategy"] = rule
    out["strategy_zh"] = out["strategy"].map(STRATEGIES)
    return out


#: The course's root causes of fault churn (过失流失, 004 §4), mapped to the causes.
FAULT_ROOT_CAUSES = {
    "quality": "shoddy products; no innovation",
    "incident_mishandled": "ignoring customers; ignoring feedback (complaints)",
    "passive_service": "ignoring customers; ignoring staff (service attitude)",
}


def fault_root_causes(
    churn: pd.DataFrame,
    incidents: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    window_days: float = 180,
    stated_reason: str = "stated_reason",
    customer_id: str = "customer_id",
    churn_date: str = "churn_date",
) -> pd.DataFrame:
    """Evidence for the root causes of fault churn, per fault cause.

    For the leavers of each fault cause: ``n``, and the shares with a badly handled
    incident, a quality incident, and no account-manager contact in the ``window_days``
    before leaving; ``root_causes`` from :data:`FAULT_ROOT_CAUSES`.

    Raises ``KeyError`` for a missing column, ``ValueError`` for a non-positive window.
    """
    window = pd.Timedelta(days=require_positive(window_days, "window_days"))
    require_columns(churn, [customer_id, churn_date, stated_reason], "churn")
    require_columns(
        incidents, [customer_id, "incident_date", "handled_well", "incident_type"], "incidents"
    )
    require_columns(contacts, [customer_id, "contact_date"], "contacts")
    lost = churn[churn[stated_reason].astype(str).isin(FAULT_ROOT_CAUSES)].set_index(customer_id)
    end = lost[churn_date]

    def had(frame: pd.DataFrame, date: str) -> pd.Series:
        d = frame[frame[customer_id].isin(end.index)]
        e = end.reindex(d[customer_id]).to_numpy()
        inside = (d[date].to_numpy() <= e) & (d[date].to_numpy() > e - window)
        ids = set(d.loc[inside, customer_id])
        return pd.Series(end.index.isin(list(ids)), index=end.index)

    inc = incidents
    flags = pd.DataFrame(
        {
            "bad_incident": had(inc[~inc["handled_well"].astype(bool)], "incident_date"),
            "quality_incident": had(
                inc[inc["incident_type"].astype(str) == "quality"], "incident_date"
            ),
            "no_contact": ~had(contacts, "contact_date"),
        }
    )
    flags["cause"] = lost[stated_reason].astype(str)
    out = flags.groupby("cause").agg(
        n=("bad_incident", "size"),
        bad_incident=("bad_incident", "mean"),
        quality_incident=("quality_incident", "mean"),
        no_contact=("no_contact", "mean"),
    )
    out["root_causes"] = out.index.map(FAULT_ROOT_CAUSES)
    return out.sort_values("n", ascending=False)
