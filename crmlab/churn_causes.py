"""Chapter 04, customer churn: its causes (客户流失原因) and the responses to them.

- Pareto tables of exit reasons (:func:`pareto_table`, :func:`exit_reasons`), the
  correction of noisy stated reasons (:func:`corrected_shares`), whether one churn type
  is the largest (:func:`largest_share_test`), causes by group (:func:`causes_by_group`),
  incidents and their handling (:func:`incident_churn`);
- responses: attack, defend or retreat against competitive churn
  (:func:`competitive_strategy`) and the root causes of fault churn
  (:func:`fault_root_causes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._results import Result
from crmlab._schema import CHURN_TYPE_OF_CAUSE
from crmlab._validate import (
    format_rows,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_positive,
    require_share,
)

__all__ = [
    "pareto_table",
    "exit_reasons",
    "corrected_shares",
    "ShareTestResult",
    "largest_share_test",
    "causes_by_group",
    "incident_churn",
    "STRATEGIES",
    "competitive_strategy",
    "FAULT_ROOT_CAUSES",
    "fault_root_causes",
]


# ------------------------------------------------------------------------- causes
def pareto_table(labels: pd.Series, categories: Sequence[str] | None = None) -> pd.DataFrame:
    """Pareto table: count, share and cumulative share per label, largest first.

    ``categories`` adds labels with a zero count. Raises ``ValueError`` for empty input
    or missing labels.

    Parameters
    ----------
    labels : Series
        One label per leaver (a cause or a type).
    categories : sequence of str, optional
        Labels to show even with a zero count.

    Returns
    -------
    DataFrame
        Index label; ``count``, ``share``, ``cumulative``; largest first (ties by name).

    Raises
    ------
    ValueError
        If ``labels`` is empty or has missing values (the rows are named).

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

    Parameters
    ----------
    churn : DataFrame
        One row per leaver with the stated reason.
    truth : DataFrame, optional
        One row per customer with the true cause (the company's ``truth``).
    level : {"cause", "type"}
        Count causes, or the churn types they belong to.
    customer_id, stated_reason, churn_cause : str
        Column names.
    type_of_cause : dict, optional
        Cause -> type; default the company's table.

    Returns
    -------
    DataFrame
        Index cause or type; ``stated_count``, ``stated_share``, ``stated_cumulative`` and,
        with ``truth``, ``true_count`` and ``true_share``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``churn`` is empty, a reason is missing, ``level`` is unknown, or a reason has no
        type.

    Examples
    --------
    >>> lost = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...                      "stated_reason": ["price", "quality", "price"]})
    >>> exit_reasons(lost, level="type")["stated_count"].to_dict()
    {'competitive': 2, 'fault': 1, 'natural': 0}
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

    Parameters
    ----------
    stated : Series
        Stated share per label, summing to 1.
    noise : float
        Share of leavers who state ``default`` whatever their cause, in [0, 1).
    default : str
        The label stated by the misreporting leavers.

    Returns
    -------
    Series
        Corrected shares, summing to 1.

    Raises
    ------
    ValueError
        If ``noise`` is outside [0, 1), ``default`` is not a label, or the shares do not
        sum to 1.

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
    (multinomial variance of a difference of two shares). ``supported`` when ``claim`` is
    the largest and ``p_value`` < 1 − ``confidence`` (the level of the Wilson intervals).
    """

    claim: str
    table: pd.DataFrame
    largest: str
    difference: float
    z: float
    p_value: float
    confidence: float = 0.95
    supported: bool = field(init=False)

    def __post_init__(self):
        self.supported = self.largest == self.claim and self.p_value < 1 - self.confidence

    title = N_("Is one category the largest share?")

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
        verdict = _("supported") if self.supported else _("not supported")
        return _(
            "claim '{claim} is the largest share': {verdict}; largest is '{largest}' "
            "({share}); {claim} minus largest other = {difference}, z = {z}, one-sided p = {p}"
        ).format(
            claim=self.claim,
            verdict=verdict,
            largest=self.largest,
            share=f"{self.table.loc[self.largest, 'share']:.1%}",
            difference=f"{self.difference:+.1%}",
            z=f"{self.z:.2f}",
            p=f"{self.p_value:.3g}",
        )


def largest_share_test(
    labels: pd.Series, claim: str = "fault", *, confidence: float = 0.95
) -> ShareTestResult:
    """Test the claim that ``claim`` is the largest category of ``labels``.

    Parameters
    ----------
    labels : Series
        One label per leaver (e.g. the churn type).
    claim : str
        The category claimed to be the largest.
    confidence : float
        Level of the Wilson intervals in the table and of the one-sided test: the claim is
        supported when p < 1 − ``confidence``.

    Returns
    -------
    ShareTestResult
        ``table`` (count, share, interval per category), ``largest``, ``difference``,
        ``z``, ``p_value`` and ``supported``.

    Raises
    ------
    ValueError
        If ``labels`` is empty or has missing values, or ``claim`` is not among them.

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
        return ShareTestResult(claim, table, claim, float(p_a), np.inf, 0.0, confidence)
    p_b = other["share"].iloc[0]
    diff = p_a - p_b
    se = np.sqrt((p_a + p_b - diff**2) / n)
    z = diff / se if se > 0 else np.sign(diff) * np.inf
    return ShareTestResult(
        claim,
        table,
        str(table.index[0]),
        float(diff),
        float(z),
        float(stats.norm.sf(z)),
        confidence,
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

    Parameters
    ----------
    customers : DataFrame
        One row per customer with the group column.
    churn : DataFrame
        One row per leaver with the stated reason.
    group : str
        Grouping column of ``customers`` (segment, tier, size ...).
    stated_reason, customer_id : str
        Column names.
    per : {"customer", "leaver"}
        Rates per customer of the group, or the mix among its leavers.

    Returns
    -------
    DataFrame
        Index the groups; ``n_customers``, ``churn_rate`` and one column per cause.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``customers`` is empty or ``per`` is unknown.

    Examples
    --------
    Group x has 4 customers, two lost (price, quality); group y 2 customers, none lost.

    >>> cust = pd.DataFrame({"customer_id": list("abcdef"), "size": list("xxxxyy")})
    >>> lost = pd.DataFrame({"customer_id": ["a", "b"], "stated_reason": ["price", "quality"]})
    >>> causes_by_group(cust, lost, group="size").loc["x"].to_dict()
    {'n_customers': 4.0, 'churn_rate': 0.5, 'price': 0.25, 'quality': 0.25}
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

    Parameters
    ----------
    incidents : DataFrame
        One row per incident.
    churn : DataFrame
        One row per leaver with the churn date.
    as_of : date-like
        The reference date.
    window_days : float
        Days after an incident in which a churn counts.
    group : str or sequence of str
        Incident columns to compare (default ``handled_well``).
    customer_id, incident_date, churn_date : str
        Column names.
    confidence : float
        Level of the Wilson intervals.

    Returns
    -------
    DataFrame
        Index the groups; ``n_incidents``, ``n_churned``, ``rate``, ``lower``, ``upper``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``incidents`` is empty, ``incident_date`` is not datetime, the window is not
        positive or no incident lies a full window before ``as_of``.

    Examples
    --------
    Two incidents handled badly, one followed by churn within 90 days; one handled well.

    >>> inc = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "handled_well": [False, False, True],
    ...     "incident_date": pd.to_datetime(["2024-01-10", "2024-02-01", "2024-03-01"])})
    >>> lost = pd.DataFrame({"customer_id": ["a"], "churn_date": pd.to_datetime(["2024-02-20"])})
    >>> incident_churn(inc, lost, as_of="2024-12-31")["rate"].to_dict()
    {False: 0.5, True: 0.0}
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


# ------------------------------------------------------------------------- responses
#: The course's three responses to competitive churn (竞争流失, [CRM textbook]; course notes §4).
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

    Parameters
    ----------
    segments : DataFrame
        One row per segment with value per customer and competitive churn rate.
    value_per_customer, competitive_churn_rate : str
        Column names.
    retreat_below : float
        Value index under which a segment under pressure is given up.

    Returns
    -------
    DataFrame
        ``segments`` plus ``value_index``, ``churn_index``, ``strategy`` and
        ``strategy_zh``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``segments`` is empty, ``retreat_below`` is not positive, or a column has a
        mean of zero or less.

    Examples
    --------
    Mean value 100, mean churn 0.1: A (value 2x, churn 1.5x) attack; B (value 0.4x, churn
    1.2x) retreat; C (value 0.6x, churn 0.3x) defend.

    >>> seg = pd.DataFrame({"value_per_customer": [200.0, 40, 60],
    ...     "competitive_churn_rate": [0.15, 0.12, 0.03]}, index=list("ABC"))
    >>> competitive_strategy(seg)["strategy"].tolist()
    ['attack', 'retreat', 'defend']
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


#: The course's root causes of fault churn (过失流失, [CRM textbook]; course notes §4), mapped
#: to the causes.
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

    Parameters
    ----------
    churn : DataFrame
        One row per leaver with churn date and stated reason.
    incidents, contacts : DataFrame
        The company's incidents (with ``handled_well`` and ``incident_type``) and contacts.
    window_days : float
        Days before leaving that are searched.
    stated_reason, customer_id, churn_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index fault cause; ``n``, ``bad_incident``, ``quality_incident``, ``no_contact``
        (shares of its leavers) and ``root_causes``; largest ``n`` first.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``window_days`` is not positive.

    Examples
    --------
    >>> lost = pd.DataFrame({"customer_id": ["a", "b"], "stated_reason": ["quality"] * 2,
    ...     "churn_date": pd.to_datetime(["2024-06-01", "2024-06-01"])})
    >>> inc = pd.DataFrame({"customer_id": ["a"], "handled_well": [False],
    ...     "incident_type": ["quality"], "incident_date": pd.to_datetime(["2024-05-01"])})
    >>> con = pd.DataFrame({"customer_id": ["b"],
    ...                     "contact_date": pd.to_datetime(["2024-04-01"])})
    >>> out = fault_root_causes(lost, inc, con)  # a: bad incident, no contact; b: contact
    >>> out.loc["quality", ["n", "bad_incident", "no_contact"]].tolist()
    [2.0, 0.5, 0.5]
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
