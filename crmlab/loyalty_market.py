"""Chapter 03, customer loyalty (客户忠诚), part 2: satisfaction vs retention by market type
(Jones & Sasser 1995; course questions 6 and 7) and word of mouth (口碑效应: the 1 -> 8 and
1 -> 25 rules of [Chen 2011], referrals and the value of a referral).

Part 1 (measures, indices, types) is :mod:`crmlab.loyalty`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._validate import (
    check_frame,
    numeric_answers,
    require_items,
    require_positive,
)
from crmlab.economics import customer_gross_profit

__all__ = ["retention_by_satisfaction", "market_retention", "referral_summary", "referral_value"]


def retention_by_satisfaction(
    data: pd.DataFrame,
    *,
    satisfaction: str = "satisfaction",
    retained: str = "retained",
    group: str | None = None,
) -> pd.DataFrame:
    """Share retained at each satisfaction level (1-5, rounded half up), per ``group``.

    Parameters
    ----------
    data : DataFrame
        One row per customer with a satisfaction score (1-5) and a retained flag.
    satisfaction, retained : str
        Column names (``retained``: 1 = still a customer).
    group : str, optional
        Column to split by (e.g. the market type).

    Returns
    -------
    DataFrame
        Columns ``group`` (if given), ``level``, ``n``, ``retention``.

    Raises
    ------
    ValueError
        Satisfaction outside 1-5.

    Examples
    --------
    >>> df = pd.DataFrame({"satisfaction": [1.2, 1.4, 4.6, 5], "retained": [0, 1, 1, 1]})
    >>> retention_by_satisfaction(df)[["level", "n", "retention"]].values.tolist()
    [[1.0, 2.0, 0.5], [5.0, 2.0, 1.0]]
    """
    check_frame(data, [satisfaction, retained] + ([group] if group else []), "data")
    s = numeric_answers(data, [satisfaction], (1, 5), need_answers=True)[:, 0]
    d = pd.DataFrame(
        {"level": np.floor(s + 0.5), "retained": data[retained].astype(float).to_numpy()}
    )
    keys = ["level"]
    if group:
        d.insert(0, "group", data[group].astype(str).to_numpy())
        keys = ["group", "level"]
    out = (
        d.dropna()
        .groupby(keys, sort=True)
        .agg(n=("retained", "size"), retention=("retained", "mean"))
        .reset_index()
    )
    out["level"] = out["level"].astype(int)
    return out


def market_retention(
    companies: dict[str, dict[str, pd.DataFrame]],
    *,
    start: object = "2022-01-01",
    as_of: object = "2024-12-31",
) -> pd.DataFrame:
    """Jones & Sasser (1995) curves from simulated companies, one per market type.

    For each company (``{market: simulate_company(..., market=market)}``) take the
    customers already acquired at ``start`` (so all are followed for the same span);
    ``satisfaction`` = the latent level ``clip(3.4 + satisfaction_propensity, 1, 5)`` of
    the truth table (the simulator's baseline satisfaction; the survey of September 2024
    comes too late to follow anyone for long); ``retained`` = not churned by ``as_of``.

    Parameters
    ----------
    companies : dict
        ``{market: tables}``, each ``tables`` a dict from
        :func:`crmlab.simulate.simulate_company` with ``truth`` and ``customers``.
    start : date-like
        Customers acquired before it are followed.
    as_of : date-like
        A customer not lost by then is retained.

    Returns
    -------
    DataFrame
        As :func:`retention_by_satisfaction` with ``group`` = market.

    Raises
    ------
    KeyError
        If a table lacks a column.
    ValueError
        If ``companies`` is not a non-empty dict of the simulator's tables.

    Examples
    --------
    >>> from crmlab.simulate import simulate_company
    >>> companies = {m: simulate_company(seed=1, n_customers=300, market=m)
    ...              for m in ("competitive", "monopoly")}
    >>> sorted(market_retention(companies)["group"].unique())
    ['competitive', 'monopoly']
    """
    if not isinstance(companies, dict) or not companies:
        raise ValueError("companies must be a non-empty dict {market: tables}.")
    frames = []
    for market, tables in companies.items():
        if not isinstance(tables, dict) or "truth" not in tables or "customers" not in tables:
            raise ValueError(
                f"companies[{market!r}] must hold the 'truth' and 'customers' "
                "tables of simulate_company."
            )
        truth = check_frame(
            tables["truth"], ["customer_id", "satisfaction_propensity", "churn_date"], "truth"
        )
        cust = check_frame(tables["customers"], ["customer_id", "acquisition_date"], "customers")
        early = set(cust.loc[cust["acquisition_date"] < pd.Timestamp(start), "customer_id"])
        t = truth[truth["customer_id"].isin(early)]
        frames.append(
            pd.DataFrame(
                {
                    "market": market,
                    "satisfaction": np.clip(
                        3.4 + t["satisfaction_propensity"].to_numpy(float), 1, 5
                    ),
                    "retained": ~(t["churn_date"] <= pd.Timestamp(as_of)).to_numpy(bool),
                }
            )
        )
    return retention_by_satisfaction(pd.concat(frames, ignore_index=True), group="market")


def referral_summary(
    referrals: pd.DataFrame,
    survey: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    referrer_id: str = "referrer_id",
    recommend: str = "recommend",
) -> pd.DataFrame:
    """Referrals made by survey respondents, by their answer to ``recommend`` (1-5).

    Parameters
    ----------
    referrals : DataFrame
        One row per referral with the referrer's id.
    survey : DataFrame
        Cleaned survey answers (the first sheet of a customer counts).
    customer_id, referrer_id, recommend : str
        Column names.

    Returns
    -------
    DataFrame
        Index answer: ``n`` respondents, ``share_referring`` (made at least one
        referral), ``referrals_per_customer``.

    Raises
    ------
    ValueError
        The survey has no ``recommend`` column or answers outside 1-5.

    Examples
    --------
    >>> ref = pd.DataFrame({"referrer_id": ["a", "a", "b"], "referred_id": ["x", "y", "z"]})
    >>> sv = pd.DataFrame({"customer_id": ["a", "b", "c"], "recommend": [5, 3, 3]})
    >>> referral_summary(ref, sv)["referrals_per_customer"].tolist()
    [0.5, 2.0]
    """
    check_frame(referrals, [referrer_id], "referrals")
    require_items(survey, [recommend], [recommend], name="survey")
    check_frame(survey, [customer_id], "survey")
    ans = numeric_answers(survey, [recommend], (1, 5), need_answers=True)[:, 0]
    d = pd.DataFrame({"c": survey[customer_id].to_numpy(), "a": ans}).dropna()
    d = d.drop_duplicates("c", keep="first")
    counts = referrals[referrer_id].value_counts()
    d["k"] = d["c"].map(counts).fillna(0).to_numpy(float)
    out = d.groupby("a", sort=True).agg(
        n=("k", "size"),
        share_referring=("k", lambda x: (x > 0).mean()),
        referrals_per_customer=("k", "mean"),
    )
    out.index = out.index.astype(int)
    out.index.name = recommend
    return out


def referral_value(
    orders: pd.DataFrame,
    products: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    months: int = 12,
    start: object = "2022-01-01",
    as_of: object = "2024-12-31",
    channel: str = "channel",
    customer_id: str = "customer_id",
    acquisition_date: str = "acquisition_date",
    order_date: str = "order_date",
) -> pd.DataFrame:
    """Value of a referral: the gross profit (revenue − cost of goods, returns netted) that
    a customer won in ``[start, as_of − months]`` brings in its first ``months`` months, by
    acquisition channel. The value of a referral is the ``referral`` row's mean; the gap
    to other channels is what the referral adds beyond an ordinary new customer.

    Parameters
    ----------
    orders, products, customers : DataFrame
        The company's tables.
    months : int
        Months after acquisition counted.
    start, as_of : date-like
        Customers acquired from ``start`` to ``as_of`` minus ``months`` count (each is
        followed for the full ``months``).
    channel, customer_id, acquisition_date, order_date : str
        Column names.

    Returns
    -------
    DataFrame
        Index channel: ``n_customers``, ``mean_gross_profit``, ``share_buying``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If a table is empty, ``months`` is not positive or no customer was acquired in the
        window.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "b"], "order_date": pd.to_datetime(
    ...     ["2022-02-01", "2022-03-01"]), "product_line": "x", "quantity": [10, 10],
    ...     "amount": [150.0, 120.0]})
    >>> p = pd.DataFrame({"product_line": ["x"], "unit_cost": [10.0]})
    >>> c = pd.DataFrame({"customer_id": ["a", "b"], "channel": ["referral", "online"],
    ...     "acquisition_date": pd.to_datetime(["2022-01-10", "2022-01-20"])})
    >>> referral_value(o, p, c)["mean_gross_profit"].tolist()  # a: 150 - 100, b: 120 - 100
    [50.0, 20.0]
    """
    check_frame(customers, [customer_id, channel, acquisition_date], "customers")
    check_frame(orders, [customer_id, order_date], "orders")
    m = int(require_positive(months, "months"))
    last = pd.Timestamp(as_of) - pd.DateOffset(months=m)
    won = customers[
        (customers[acquisition_date] >= pd.Timestamp(start)) & (customers[acquisition_date] <= last)
    ]
    if won.empty:
        raise ValueError(f"no customer was acquired between {start} and {last.date()}.")
    acq = won.set_index(customer_id)[acquisition_date]
    o = orders[orders[customer_id].isin(acq.index)]
    o = o[o[order_date] < o[customer_id].map(acq) + pd.DateOffset(months=m)]
    gp = (
        customer_gross_profit(o, products, customer_id=customer_id)
        if len(o)
        else pd.Series(dtype=float)
    )
    d = pd.DataFrame(
        {
            "channel": won[channel].astype(str).to_numpy(),
            "gp": won[customer_id].map(gp).fillna(0.0).to_numpy(float),
            "buys": won[customer_id].isin(o[customer_id]).to_numpy(),
        }
    )
    return (
        d.groupby("channel", sort=True)
        .agg(
            n_customers=("gp", "size"),
            mean_gross_profit=("gp", "mean"),
            share_buying=("buys", "mean"),
        )
        .sort_values("mean_gross_profit", ascending=False)
    )
