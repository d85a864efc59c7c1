"""Data extract for exercise 02_segmentation, written by ``crmlab exercises build``.

``orders_africa_2023_2024.csv``: every order line of 2023 and 2024 of the synthetic
company's customers in the Africa region (its smallest sales office, 326 customers who
bought in those years), in date order: ``customer_id``, ``order_date``, ``amount`` (net
line amount in yuan, 元; negative for a return) and ``is_return`` (True for a return
line). Used for RFM, value tiers, ABC classes, tier transitions and the key customers.

The student notebook reads only this file, so it runs with pandas alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FILE = "orders_africa_2023_2024.csv"
REGION = "africa"
YEARS = (2023, 2024)


def extract() -> pd.DataFrame:
    from crmlab import datasets

    orders = datasets.load("company_orders")
    customers = datasets.load("company_customers")
    ids = customers.loc[customers["region"] == REGION, "customer_id"]
    o = orders[orders["order_date"].dt.year.isin(YEARS) & orders["customer_id"].isin(ids)]
    out = pd.DataFrame({
        "customer_id": o["customer_id"].astype(str).to_numpy(),
        "order_date": o["order_date"].dt.strftime("%Y-%m-%d").to_numpy(),
        "amount": o["amount"].round(2).to_numpy(),
        "is_return": o["is_return"].astype(bool).to_numpy(),
    })
    return out.reset_index(drop=True)


def write(folder: Path) -> list[Path]:
    """Write the extract into ``folder``; return the paths written."""
    path = Path(folder) / FILE
    extract().to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
    return [path]


def substitutions() -> dict[str, str]:
    """Texts of the master that name the committed company's customers or counts, and what
    they are on the data in use (the same for the committed company; in a variant built on
    another simulated company, that company's customer with the most return lines, its
    third buyer in id order, and its counts)."""
    o = extract()
    returns = o[o["is_return"]].groupby("customer_id").size()
    most_returns = returns[returns == returns.max()].sort_index().index[0]
    third_buyer = sorted(o.loc[~o["is_return"], "customer_id"].unique())[2]
    n = o["customer_id"].nunique()
    year = o["order_date"].str[:4] == "2024"
    n_buyers = int((o[year].groupby("customer_id")["amount"].sum() > 0).sum())
    return {
        "C000935": most_returns,
        "C000071": third_buyer,
        "< 331,": f"< {n},",
        "below the 331 customers": f"below the {n} customers",
        "少于全部 331 位客户": f"少于全部 {n} 位客户",
        "< 285,": f"< {n_buyers},",
    }
