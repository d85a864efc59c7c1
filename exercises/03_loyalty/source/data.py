"""Data extract for exercise 03_loyalty, written by ``crmlab exercises build``.

``loyalty_survey.csv``: one row per customer of the synthetic company who answered the
(cleaned) customer survey of chapter 01 (its 2024 wave, September 2024), with their
behaviour from the order history 2022-2024 and their referrals:

- ``n_orders``: orders placed 2022-2024 (distinct ``order_id`` of purchase lines; return
  lines are not purchases);
- ``choosing_days``: time spent choosing (购买挑选时间), the mean ``quote_days`` (days from
  quote to order) over the customer's purchase lines, 2 decimals (empty without orders);
- ``overall_sat``, ``repurchase_intent``, ``recommend``: survey answers on 1-5 (empty when
  not answered);
- ``referrals``: new customers the customer referred to the firm, 2022-2024.

The student notebook reads only this file, so it runs with pandas alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FILE = "loyalty_survey.csv"
ITEMS = ["overall_sat", "repurchase_intent", "recommend"]
WAVE = 2024


def extract() -> pd.DataFrame:
    from crmlab import datasets, survey

    company = datasets.load_company()
    wave = company["survey"][company["survey"]["wave"] == WAVE]
    clean = survey.reverse_code(survey.clean_survey(wave))
    answers = clean.drop_duplicates("customer_id").set_index("customer_id")[ITEMS]
    ids = answers.index
    orders = company["orders"]
    sales = orders[~orders["is_return"]]
    n_orders = sales.groupby("customer_id")["order_id"].nunique()
    choosing = sales.groupby("customer_id")["quote_days"].mean()
    referrals = company["referrals"]["referrer_id"].value_counts()
    out = pd.DataFrame({"customer_id": ids.astype(str)})
    out["n_orders"] = n_orders.reindex(ids, fill_value=0).astype(int).to_numpy()
    out["choosing_days"] = choosing.reindex(ids).round(2).to_numpy()
    for item in ITEMS:
        out[item] = answers[item].round().astype("Int64").to_numpy()
    out["referrals"] = referrals.reindex(ids, fill_value=0).astype(int).to_numpy()
    return out.sort_values("customer_id").reset_index(drop=True)


def write(folder: Path) -> list[Path]:
    """Write the extract into ``folder``; return the paths written."""
    path = Path(folder) / FILE
    extract().to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
    return [path]
