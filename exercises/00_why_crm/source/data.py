"""Data extract for exercise 00_why_crm, written by ``crmlab exercises build``.

``customers_2024.csv``: one row per customer of the synthetic company who placed at
least one order in 2024, with the year's figures in yuan (元):

- ``revenue``: net sales (returns subtracted);
- ``gross_margin``: revenue minus the cost of goods (``products.unit_cost`` x quantity);
- ``cost_to_serve``: account cost (600 a year) + contacts (visits, calls, events) +
  incidents (by severity, +800 if handled badly) + 250 per return line, from ``costs``;
- ``n_orders``: orders placed (return lines not counted).

The student notebook reads only this file, so it runs with pandas alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

YEAR = 2024
FILE = "customers_2024.csv"


def extract() -> pd.DataFrame:
    from crmlab import datasets

    company = datasets.load_company()
    orders, costs = company["orders"], company["costs"]
    unit_cost = company["products"].set_index("product_line")["unit_cost"]
    cost = costs.set_index(["item", "unit"])["cost"]

    o = orders[orders["order_date"].dt.year == YEAR]
    o = o.assign(margin=o["amount"] - o["quantity"] * o["product_line"].map(unit_cost)
                 .astype(float))
    per = o.groupby("customer_id").agg(
        revenue=("amount", "sum"), gross_margin=("margin", "sum"),
        n_orders=("is_return", lambda s: int((~s).sum())),
        n_returns=("is_return", "sum"))
    per = per[per["n_orders"] > 0]

    contacts = company["contacts"]
    contacts = contacts[contacts["contact_date"].dt.year == YEAR]
    contact_cost = contacts.groupby("customer_id")["cost"].sum()
    inc = company["incidents"]
    inc = inc[inc["incident_date"].dt.year == YEAR]
    severity = {s: cost[("incident", f"severity {s}")] for s in (1, 2, 3)}
    inc_cost = (inc["severity"].map(severity)
                + np.where(inc["handled_well"], 0.0,
                           cost[("incident", "handled badly (extra)")]))
    inc_cost = inc_cost.groupby(inc["customer_id"]).sum()
    serve = (cost[("account", "per active customer-year")]
             + contact_cost.reindex(per.index, fill_value=0.0)
             + inc_cost.reindex(per.index, fill_value=0.0)
             + cost[("return", "per return line")] * per["n_returns"])
    out = pd.DataFrame({
        "customer_id": per.index.astype(str),
        "revenue": per["revenue"].round(2).to_numpy(),
        "gross_margin": per["gross_margin"].round(2).to_numpy(),
        "cost_to_serve": serve.round(2).to_numpy(),
        "n_orders": per["n_orders"].astype(int).to_numpy(),
    })
    return out.sort_values("customer_id").reset_index(drop=True)


def write(folder: Path) -> list[Path]:
    """Write the extract into ``folder``; return the paths written."""
    path = Path(folder) / FILE
    extract().to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
    return [path]
