"""Chapter 03, customer loyalty: price sensitivity (对价格的敏感程度), one of the course's
five loyalty measures.

:func:`price_elasticity` estimates each customer's price elasticity of quantity from the
order lines (OLS within customer and product line, shrunk toward the customers' mean),
:func:`pooled_elasticity` one elasticity per group with statsmodels and clustered
standard errors, :func:`elasticity_recovery` compares estimates with the simulator's
truth. :mod:`crmlab.loyalty` uses them among the other measures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from crmlab._validate import (
    check_frame,
    format_rows,
    require_int,
    require_no_missing,
    require_numeric,
)

__all__ = [
    "price_elasticity",
    "pooled_elasticity",
    "elasticity_recovery",
]


# --------------------------------------------------------------------------- elasticity
def _sales(orders: pd.DataFrame, customer_id: str, is_return: str | None) -> pd.DataFrame:
    """Purchase lines only (returns are not purchases)."""
    if is_return is None or is_return not in orders.columns:
        return orders
    return orders[~orders[is_return].astype(bool).to_numpy()]


def _checked_sales(
    orders: pd.DataFrame,
    customer_id: str,
    product_line: str,
    quantity: str,
    unit_price: str,
    is_return: str | None,
) -> pd.DataFrame:
    """The purchase lines of ``orders``, checked for the elasticity regressions: ids
    present, quantity and price numeric and > 0 (they are logged)."""
    check_frame(orders, [customer_id, product_line, quantity, unit_price], "orders")
    sales = _sales(orders, customer_id, is_return)
    for col in (quantity, unit_price):
        require_numeric(sales, col)
        bad = sales[col].to_numpy(float) <= 0
        if bad.any():
            raise ValueError(
                f"column {col!r} must be > 0 on purchase lines (log scale); rows "
                f"{format_rows(sales.index[bad])} are not."
            )
    require_no_missing(sales, customer_id)
    return sales


def _demeaned_logs(
    sales: pd.DataFrame, customer_id: str, product_line: str, quantity: str, unit_price: str
) -> pd.DataFrame:
    """log quantity ``y`` and log price ``x`` of each purchase line, demeaned within
    customer x product line (the product-line effects of the elasticity regression)."""
    d = pd.DataFrame(
        {
            "c": sales[customer_id].to_numpy(),
            "g": sales[product_line].astype(str).to_numpy(),
            "y": np.log(sales[quantity].to_numpy(float)),
            "x": np.log(sales[unit_price].to_numpy(float)),
        }
    )
    grp = d.groupby(["c", "g"], sort=False)
    d["x"] -= grp["x"].transform("mean")
    d["y"] -= grp["y"].transform("mean")
    return d


def price_elasticity(
    orders: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    product_line: str = "product_line",
    quantity: str = "quantity",
    unit_price: str = "unit_price",
    is_return: str | None = "is_return",
    min_orders: int = 5,
    shrink: bool = True,
) -> pd.DataFrame:
    """Price sensitivity (对价格的敏感程度) per customer: the slope of log quantity on log
    unit price within the customer, with product-line effects.

    For each customer the model is ``log q = a_line + e log p + u``: an intercept per
    product line the customer bought, one elasticity ``e``. It is estimated by OLS on the
    data demeaned within (customer, line), which gives exactly the dummy-variable OLS
    estimate (Frisch-Waugh-Lovell), for all customers at once. Price varies through list
    price changes, promotions and negotiated discounts.

    **Minimum-orders rule**: a customer needs ``min_orders`` purchase lines, at least one
    residual degree of freedom and some price variation; otherwise ``elasticity`` is NaN.
    **Shrinkage** (``shrink=True``): noisy slopes are pulled toward the customers' mean,
    empirical Bayes with the random-effects variance of DerSimonian & Laird (1986):
    ``tau² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw))`` with ``w = 1/se²``; then
    ``e_shrunk = mu + tau²/(tau² + se²) (e_ols − mu)``, ``mu`` the mean weighted by
    ``1/(se² + tau²)``.

    Parameters
    ----------
    orders : DataFrame
        Order lines; returns (``is_return`` true) are dropped.
    customer_id, product_line, quantity, unit_price, is_return : str
        Column names; ``is_return=None`` when there are no returns.
    min_orders : int, default 5
    shrink : bool, default True

    Returns
    -------
    DataFrame
        Index customer (sorted): ``n_orders``, ``elasticity_ols``, ``se``, ``weight``
        (tau²/(tau² + se²), 1 without shrinkage) and ``elasticity`` (shrunk or OLS).
        ``attrs`` holds ``prior_mean`` and ``prior_sd`` (mu and tau).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        Empty table, non-positive quantity or price on a purchase line, ``min_orders`` < 3.

    References
    ----------
    DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. Controlled
    Clinical Trials 7, 177-188.

    Examples
    --------
    >>> p = np.array([10, 9, 8, 10, 9, 8.0])
    >>> df = pd.DataFrame({"customer_id": "A", "product_line": ["x"] * 3 + ["y"] * 3,
    ...     "unit_price": p, "quantity": 1000 * p ** -2.0, "is_return": False})
    >>> price_elasticity(df, shrink=False)["elasticity"].round(2).tolist()
    [-2.0]
    """
    require_int(min_orders, "min_orders", low=3)
    sales = _checked_sales(orders, customer_id, product_line, quantity, unit_price, is_return)
    d = _demeaned_logs(sales, customer_id, product_line, quantity, unit_price)
    d["xx"], d["xy"], d["yy"] = d["x"] ** 2, d["x"] * d["y"], d["y"] ** 2
    agg = d.groupby("c", sort=True).agg(
        n_orders=("x", "size"), xx=("xx", "sum"), xy=("xy", "sum"), yy=("yy", "sum")
    )
    agg["n_lines"] = d.groupby("c", sort=True)["g"].nunique()
    dof = agg["n_orders"] - agg["n_lines"] - 1
    ok = (agg["n_orders"] >= min_orders) & (dof >= 1) & (agg["xx"] > 1e-12)
    b = (agg["xy"] / agg["xx"]).where(ok)
    rss = (agg["yy"] - b * agg["xy"]).clip(lower=0)
    # one residual variance for all customers (pooled over their residual degrees of
    # freedom): a customer's own variance from a handful of orders is too noisy to weight by
    sigma2 = float(rss[ok].sum() / dof[ok].sum()) if ok.any() else np.nan
    se = np.sqrt(sigma2 / agg["xx"]).where(ok)
    out = pd.DataFrame({"n_orders": agg["n_orders"].astype("int64"), "elasticity_ols": b, "se": se})
    out.index.name = customer_id
    mu, tau = float(np.nan), float(np.nan)
    weight = pd.Series(np.where(ok, 1.0, np.nan), index=out.index)
    if shrink and ok.sum() >= 2:
        bb, s2 = b[ok].to_numpy(), se[ok].to_numpy() ** 2
        w = 1 / s2
        mu_fe = (w * bb).sum() / w.sum()
        q = (w * (bb - mu_fe) ** 2).sum()
        tau2 = max(0.0, (q - (bb.size - 1)) / (w.sum() - (w**2).sum() / w.sum()))
        w_re = 1 / (s2 + tau2)
        mu = float((w_re * bb).sum() / w_re.sum())
        tau = float(np.sqrt(tau2))
        weight[ok] = tau2 / (tau2 + s2)
    out["weight"] = weight
    out["elasticity"] = (mu + weight * (b - mu)) if shrink and np.isfinite(mu) else b
    out.attrs.update(prior_mean=mu, prior_sd=tau, min_orders=int(min_orders))
    return out


def pooled_elasticity(
    orders: pd.DataFrame,
    groups: pd.Series | None = None,
    *,
    customer_id: str = "customer_id",
    product_line: str = "product_line",
    quantity: str = "quantity",
    unit_price: str = "unit_price",
    is_return: str | None = "is_return",
) -> pd.DataFrame:
    """One elasticity per group of customers (e.g. per loyalty type): statsmodels OLS of
    log quantity on log price within (customer, product line), standard errors clustered
    by customer.

    Parameters
    ----------
    groups : Series, optional
        Group label per customer id (index); default one group ``"all"``. Customers
        without a label are left out.

    Returns
    -------
    DataFrame
        Index group: ``elasticity``, ``se``, ``ci_low``, ``ci_high``, ``n_customers``,
        ``n_orders``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``orders`` is empty, quantity or price is not positive on a purchase line, an id
        is missing, or a group has a single customer (clustered errors need two).

    Examples
    --------
    >>> p = np.array([10, 9, 8, 10, 9, 8.0])
    >>> df = pd.DataFrame({"customer_id": list("AAABBB"), "product_line": "x",
    ...     "unit_price": p, "quantity": np.round(1000 * p ** -1.0), "is_return": False})
    >>> pooled_elasticity(df)["elasticity"].round(1).tolist()
    [-1.0]
    """
    sales = _checked_sales(orders, customer_id, product_line, quantity, unit_price, is_return)
    d = _demeaned_logs(sales, customer_id, product_line, quantity, unit_price)
    label = pd.Series("all", index=pd.Index(d["c"].unique())) if groups is None else groups
    d["group"] = d["c"].map(label)
    rows = {}
    for name, part in d.dropna(subset=["group"]).groupby("group", sort=True, observed=True):
        clusters = pd.factorize(part["c"])[0]
        if clusters.max() < 1:
            raise ValueError(
                f"group {name!r} has one customer: clustered standard errors need at least two."
            )
        fit = sm.OLS(part["y"].to_numpy(), part[["x"]].to_numpy()).fit(
            cov_type="cluster", cov_kwds={"groups": clusters}
        )
        low, high = fit.conf_int()[0]
        rows[name] = {
            "elasticity": fit.params[0],
            "se": fit.bse[0],
            "ci_low": low,
            "ci_high": high,
            "n_customers": part["c"].nunique(),
            "n_orders": len(part),
        }
    return pd.DataFrame(rows).T.astype({"n_customers": int, "n_orders": int})


def elasticity_recovery(
    estimates: pd.Series,
    truth: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    price_elasticity: str = "price_elasticity",
    group: str | None = "loyalty_type",
) -> pd.DataFrame:
    """How well estimated elasticities recover the true ones: Pearson correlation, mean
    estimate, mean truth and mean absolute error, overall and per ``group``.

    Parameters
    ----------
    estimates : Series
        Estimated elasticity per customer id (e.g. ``price_elasticity(...)["elasticity"]``).
    truth : DataFrame
        The company's ``truth`` table.
    customer_id, price_elasticity : str
        Column names in ``truth``.
    group : str or None
        Column of ``truth`` to report by (e.g. ``loyalty_type``); None for overall only.

    Returns
    -------
    DataFrame
        Index ``all`` and the groups: ``n``, ``correlation``, ``mean_estimate``,
        ``mean_true``, ``mae``.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``truth`` is empty or no customer of ``estimates`` is in it.

    Examples
    --------
    >>> est = pd.Series([-1.0, -2.0, -0.5], index=["a", "b", "c"])
    >>> tr = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...                    "price_elasticity": [-1.2, -2.2, -0.3]})
    >>> elasticity_recovery(est, tr, group=None)["mae"].round(2).tolist()
    [0.2]
    """
    check_frame(truth, [customer_id, price_elasticity] + ([group] if group else []), "truth")
    t = truth.set_index(customer_id)
    est = pd.Series(estimates).dropna()
    common = est.index.intersection(t.index)
    if common.empty:
        raise ValueError(f"no customer of estimates is in truth[{customer_id!r}].")
    d = pd.DataFrame(
        {
            "est": est.loc[common].astype(float),
            "true": t.loc[common, price_elasticity].astype(float),
        }
    )

    def one(x: pd.DataFrame) -> dict:
        r = np.corrcoef(x["est"], x["true"])[0, 1] if len(x) > 2 else np.nan
        return {
            "n": len(x),
            "correlation": r,
            "mean_estimate": x["est"].mean(),
            "mean_true": x["true"].mean(),
            "mae": (x["est"] - x["true"]).abs().mean(),
        }

    rows = {"all": one(d)}
    if group:
        d["by"] = t.loc[common, group].astype(str)
        rows.update({k: one(g) for k, g in d.groupby("by", sort=True)})
    return pd.DataFrame(rows).T.astype({"n": int})
