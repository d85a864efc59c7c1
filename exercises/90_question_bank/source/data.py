"""Data extract for exercise 90_question_bank, written by ``crmlab exercises build``.

``customers_2023_2024.csv``: one row per customer of the synthetic company who placed
at least one order in 2023 or 2024: ``customer_id``, ``region``, ``industry``, ``size``
and net sales in yuan (元, returns subtracted) per year, ``revenue_2023`` and
``revenue_2024`` (0 when the customer bought nothing that year).

Used by the practical task (实训) "identify a firm's key customers"; the student
notebook reads only this file, so it runs with pandas alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FILE = "customers_2023_2024.csv"


def extract() -> pd.DataFrame:
    from crmlab import datasets

    orders = datasets.load("company_orders")
    customers = datasets.load("company_customers")
    year = orders["order_date"].dt.year
    o = orders[year.isin([2023, 2024])].assign(year=year)
    buyers = o.loc[~o["is_return"], "customer_id"].unique()
    revenue = (o.pivot_table(index="customer_id", columns="year", values="amount",
                             aggfunc="sum", fill_value=0.0)
               .reindex(columns=[2023, 2024], fill_value=0.0))
    revenue = revenue.loc[revenue.index.isin(buyers)]
    info = customers.set_index("customer_id").loc[revenue.index,
                                                   ["region", "industry", "size"]]
    out = pd.DataFrame({
        "customer_id": revenue.index.astype(str),
        "region": info["region"].astype(str).to_numpy(),
        "industry": info["industry"].astype(str).to_numpy(),
        "size": info["size"].astype(str).to_numpy(),
        "revenue_2023": revenue[2023].round(2).to_numpy(),
        "revenue_2024": revenue[2024].round(2).to_numpy(),
    })
    return out.sort_values("customer_id").reset_index(drop=True)


def write(folder: Path) -> list[Path]:
    """Write the extract into ``folder``; return the paths written."""
    path = Path(folder) / FILE
    extract().to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
    return [path]


def substitutions() -> dict[str, str]:
    """Counts of the committed company written in the master's checks and model answer, and
    what they are on the data in use (the same for the committed company; other counts in a
    variant)."""
    c = extract()
    buyers = c[c["revenue_2024"] > 0].sort_values("revenue_2024", ascending=False)
    before = (buyers["revenue_2024"].cumsum() - buyers["revenue_2024"]) / buyers[
        "revenue_2024"
    ].sum()
    n_key = int((before < 0.8).sum())
    return {
        "len(ids) < 3546": f"len(ids) < {len(buyers)}",
        "sum(counts.values()) == 3546": f"sum(counts.values()) == {len(buyers)}",
        "0 < len(ids) < 632": f"0 < len(ids) < {n_key}",
        "part C: about 18% of the 2024": f"part C: about {100 * n_key / len(buyers):.0f}% of the 2024",
    }
