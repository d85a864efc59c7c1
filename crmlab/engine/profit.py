"""Customer profit on the engine where costs are given
(:func:`crmlab.segment.customer_profit` on pandas; money in whole cents)."""

from __future__ import annotations

import ibis
import pandas as pd

from crmlab.engine import _checks
from crmlab.engine._blocks import (
    _ts,
    cents,
    check_orders,
    money,
)
from crmlab.engine.backends import to_pandas  # noqa: F401 (the docstring examples use it)

__all__ = ["customer_profit"]


def _rates(costs: pd.DataFrame) -> dict[str, int]:
    from crmlab._money import to_cents
    from crmlab.segment import cost_rates

    rates = cost_rates(costs)
    return {k: int(c) for k, c in zip(rates, to_cents(list(rates.values()), "cost"), strict=True)}


def _rate(rates: dict[str, int], key: str) -> int:
    if key not in rates:
        raise KeyError(f"costs has no rate {key!r}; it has {sorted(rates)}.")
    return rates[key]


def customer_profit(
    orders: ibis.Table,
    products: pd.DataFrame,
    costs: pd.DataFrame,
    *,
    incidents: ibis.Table | None = None,
    contacts: ibis.Table | None = None,
    customers: ibis.Table | None = None,
    churn: ibis.Table | None = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str = "is_return",
) -> ibis.Table:
    """Profit per customer after the cost to serve, as :func:`crmlab.segment.customer_profit`
    (the same cost model and columns, every sum in whole cents).

    ``products`` and ``costs`` are small pandas tables (unit costs, cost rates); the other
    tables are engine tables.

    Examples
    --------
    >>> orders = ibis.memtable(pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01"]),
    ...     "product_line": ["x", "x", "x"], "quantity": [10, -2, 5],
    ...     "amount": [100.0, -20.0, 50.0], "is_return": [False, True, False]}))
    >>> products = pd.DataFrame({"product_line": ["x"], "unit_cost": [6.0]})
    >>> costs = pd.DataFrame({"item": ["return", "account"], "unit": ["per return line",
    ...     "per active customer-year"], "cost": [5.0, 10.0]})
    >>> to_pandas(customer_profit(orders, products, costs), index="customer_id")["profit"]
    customer_id
    A    17.0
    B    10.0
    Name: profit, dtype: float64
    """

    lines, _as_of = check_orders(
        orders, customer_id=customer_id, order_date=order_date, amount=amount, is_return=is_return
    )
    for col in ("product_line", "quantity"):
        _checks.require_columns(orders, [col], "orders")
    _checks.require_numeric(orders, "quantity", "orders")
    rates = _rates(costs)
    unit_cost = dict(
        zip(
            products["product_line"].astype(str),
            products["unit_cost"].astype(float),
            strict=True,
        )
    )
    known = list(unit_cost)
    line = orders.product_line.cast("string")
    missing = orders.filter(~line.isin(known)).select(line=line).distinct().limit(5)
    missing = missing.to_pandas()["line"]
    if len(missing):
        raise KeyError(
            f"product lines {sorted(missing)} of orders have no 'unit_cost' in products."
        )
    cost = ibis.cases(*[(orders.product_line.cast("string") == k, v) for k, v in unit_cost.items()])
    is_ret = _checks.flag(orders, is_return, "orders")
    has_disc = {"list_price", "unit_price"} <= set(orders.columns)
    disc = (
        cents((orders.list_price - orders.unit_price) * orders.quantity * (~is_ret).cast("int64"))
        if has_disc
        else ibis.literal(0, type="int64")
    )
    o = orders.select(
        customer_id,
        _rev=cents(orders[amount]),
        _cogs=cents(orders.quantity.cast("float64") * cost),
        _disc=disc,
        _ret=is_ret.cast("int64"),
        _year=_ts(orders[order_date]).year(),
    )
    per = o.group_by(customer_id).aggregate(
        _rev=o._rev.sum(),
        _gross=(o._rev - o._cogs).sum(),
        _disc=o._disc.sum(),
        _returns=o._ret.sum() * _rate(rates, "return: per return line"),
        _years=o._year.nunique(),
    )
    y0, y1 = (
        int(v) for v in o.aggregate(a=o._year.min(), b=o._year.max()).to_pandas().iloc[0].tolist()
    )
    parts = [per]
    if incidents is not None:
        _checks.require_columns(incidents, [customer_id, "severity", "handled_well"], "incidents")
        sev = ibis.cases(
            *[
                (incidents.severity.cast("string") == k.split("severity ", 1)[1], v)
                for k, v in rates.items()
                if k.startswith("incident: severity ")
            ],
            else_=ibis.null("int64"),
        )
        extra = _rate(rates, "incident: handled badly (extra)")
        each = sev + extra * (~incidents.handled_well.cast("boolean")).cast("int64")
        unknown = incidents.filter(sev.isnull()).select("severity").distinct().limit(5)
        unknown = unknown.to_pandas()["severity"]
        if len(unknown):
            raise KeyError(
                f"costs has no rate 'incident: severity {unknown.iloc[0]}'; it has {sorted(rates)}."
            )
        parts.append(incidents.group_by(customer_id).aggregate(_incident=each.sum()))
    if contacts is not None:
        _checks.require_columns(contacts, [customer_id, "contact_type"], "contacts")
        kinds = {
            k.split("contact: ", 1)[1]: v for k, v in rates.items() if k.startswith("contact:")
        }
        each = ibis.cases(
            *[(contacts.contact_type.cast("string") == k, v) for k, v in kinds.items()],
            else_=ibis.null("int64"),
        )
        unknown = contacts.filter(each.isnull()).select("contact_type").distinct().limit(5)
        unknown = unknown.to_pandas()["contact_type"]
        if len(unknown):
            raise KeyError(
                f"costs has no rate 'contact: {unknown.iloc[0]}'; it has {sorted(rates)}."
            )
        parts.append(contacts.group_by(customer_id).aggregate(_contact=each.sum()))
    if customers is not None:
        ids = customers.select(customer_id, _acq=_ts(customers.acquisition_date).year())
        if churn is not None:
            left = churn.select(customer_id, _lost=_ts(churn.churn_date).year())
            ids = ids.left_join(left, customer_id).select(ids, left._lost)
        else:
            ids = ids.mutate(_lost=ibis.null("int32"))
        first = ibis.greatest(ids._acq, y0)
        last = ibis.least(ids._lost.fill_null(y1), y1)
        ids = ids.select(customer_id, _active=ibis.greatest(last - first + 1, 0).cast("int64"))
        extra_ids = per.select(customer_id).difference(ids.select(customer_id))
        keys = ids.select(customer_id).union(extra_ids)
    else:
        ids = None
        keys = per.select(customer_id)
    table = keys
    for part in parts + ([ids] if ids is not None else []):
        table = table.left_join(part, customer_id).drop(f"{customer_id}_right")
    account = _rate(rates, "account: per active customer-year")
    zero = ibis.literal(0, type="int64")
    years = table._active if ids is not None else table._years
    rev = table._rev.fill_null(zero)
    gross = table._gross.fill_null(zero)
    returns = table._returns.fill_null(zero)
    incident = table._incident.fill_null(zero) if incidents is not None else zero
    contact = table._contact.fill_null(zero) if contacts is not None else zero
    acc = years.fill_null(zero) * account
    serve = returns + incident + contact + acc
    return table.select(
        customer_id,
        revenue=money(rev),
        gross_profit=money(gross),
        discounts=money(table._disc.fill_null(zero)),
        returns_cost=money(returns),
        incident_cost=money(incident),
        contact_cost=money(contact),
        account_cost=money(acc),
        cost_to_serve=money(serve),
        profit=money(gross - serve),
    )
