"""Data extracts for exercise 04_churn, written by ``crmlab exercises build``.

- ``telco.csv``: the IBM Watson Telco churn sample (``datasets/telco_churn.md``), one row
  per customer: ``tenure`` (months with the firm), ``contract`` (``Month-to-month``,
  ``One year``, ``Two year``) and ``churned`` (1 = left in the last month, else 0).
- ``churn_reasons.csv``: every customer of the synthetic company lost in 2022-2024
  (``churn`` table): ``customer_id``, ``churn_date``, ``stated_reason`` (what the leaver
  said) and ``churn_type`` (natural, competitive or fault, from the stated reason).
- ``warning_list.csv``: the early-warning list of ``notebooks/04_churn.ipynb`` section 5,
  one row per customer active on 2024-06-30: ``customer_id``, ``tier`` (value tier of
  chapter 02 by ``value``), ``p_churn`` (probability of churning in 2024 H2 from the
  logistic model trained on the cuts 2022-12-31, 2023-06-30 and 2023-12-31, 4 decimals)
  and ``value`` (revenue in the 12 months before the cut, yuan, negative values set to 0).

The student notebook reads only these files, so it runs with pandas alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FILES = ["telco.csv", "churn_reasons.csv", "warning_list.csv"]
FEATURES = ["tenure_months", "days_since_last", "n_orders_12m", "quote_days_mean",
            "promo_share_12m", "n_incidents_6m", "n_bad_incidents_6m", "n_contacts_6m", "size"]


def telco() -> pd.DataFrame:
    from crmlab import datasets

    t = datasets.load("telco_churn")
    return pd.DataFrame({"tenure": t["tenure"].astype(int),
                         "contract": t["contract"].astype(str),
                         "churned": (t["churn"] == "Yes").astype(int)})


def churn_reasons() -> pd.DataFrame:
    from crmlab import datasets

    lost = datasets.load_company()["churn"]
    out = lost[["customer_id", "churn_date", "stated_reason", "churn_type"]].copy()
    for col in ("customer_id", "stated_reason", "churn_type"):
        out[col] = out[col].astype(str)
    out["churn_date"] = out["churn_date"].dt.strftime("%Y-%m-%d")
    return out.sort_values(["churn_date", "customer_id"]).reset_index(drop=True)


def warning_list() -> pd.DataFrame:
    from crmlab import churn_warning
    from crmlab import datasets
    from crmlab.segment_classes import value_tiers

    company = datasets.load_company()
    tables = tuple(company[k] for k in ("customers", "orders", "incidents", "contacts",
                                        "churn"))
    train = pd.concat([churn_warning.churn_features(*tables, as_of=cut)
                       for cut in ["2022-12-31", "2023-06-30", "2023-12-31"]])
    test = churn_warning.churn_features(*tables, as_of="2024-06-30")
    logit = churn_warning.fit_logit(train, features=FEATURES)
    p = logit.predict(test).round(4)
    value = test["revenue_12m"].clip(lower=0).round(2)
    tier = value_tiers(value)["tier"].astype(str)
    out = pd.DataFrame({"customer_id": p.index.astype(str), "tier": tier.reindex(p.index)
                        .to_numpy(), "p_churn": p.to_numpy(), "value": value.reindex(p.index)
                        .to_numpy()})
    return out.sort_values("customer_id").reset_index(drop=True)


def write(folder: Path) -> list[Path]:
    """Write the extracts into ``folder``; return the paths written."""
    folder = Path(folder)
    paths = []
    for name, frame, fmt in [("telco.csv", telco(), None),
                             ("churn_reasons.csv", churn_reasons(), None),
                             ("warning_list.csv", warning_list(), "%.4f")]:
        path = folder / name
        frame.to_csv(path, index=False, float_format=fmt, lineterminator="\n")
        paths.append(path)
    return paths


def substitutions() -> dict[str, str]:
    """Texts of the master that hold a count of the committed company's data (the rows of
    the early-warning list, the upper bound of question 6's check), and what they are on
    the data in use (the same for the committed company; another count in a variant)."""
    n = len(warning_list())
    return {
        "n_contact <= 3150": f"n_contact <= {n}",
        "(3,150 rows): between 0 and 3,150": f"({n:,} rows): between 0 and {n:,}",
        # the same in the Chinese message
        "名单（3,150 行）中的客户：在 0 到 3,150 之间": (
            f"名单（{n:,} 行）中的客户：在 0 到 {n:,} 之间"
        ),
    }
