"""Data extract for exercise 06_crm_systems, written by ``crmlab exercises build``.

Small CSV extracts of the synthetic company's CRM system (客户关系管理系统), read by the
student notebook with pandas and DuckDB:

- ``crm_managers.csv``: every account manager (客户经理): ``manager_id``, ``region``,
  ``hire_date``, ``leave_date`` (empty while employed at 2024-12-31);
- ``crm_assignments.csv``: every spell of a customer with an account manager:
  ``customer_id``, ``manager_id``, ``start_date``, ``end_date`` (empty for the current
  spell);
- ``crm_invoices_q4_2024.csv``: the invoices (应收账款) dated October to December 2024
  (a quarter keeps the file small): ``invoice_id``,
  ``customer_id``, ``invoice_date``, ``due_date``, ``amount`` (yuan), ``paid_date``
  (empty if unpaid at 2024-12-31);
- ``linkage_pairs.csv``: the pairs of customer records (客户档案) that
  :func:`crmlab.crm.linkage.find_duplicates` links at a match probability of at least 0.05
  (a loose threshold: precision well below 1 on the committed company)
  (``record_id_1`` < ``record_id_2``, ``match_probability``), and ``record_firms.csv``:
  the true firm of every record (``record_id``, ``firm_id``, from ``truth_records``);
- ``campaign_a01.csv``: the members of the randomised campaign ``A01`` (营销活动):
  ``customer_id``, ``industry``, ``group`` (``treatment`` or ``control``),
  ``churn_date`` (empty if the customer had not churned by 2024-12-31); ``campaign.csv``:
  its ``campaign_id``, ``start_date`` and ``cost_per_contact`` (yuan);
- ``deals_closed.csv``: every opportunity of the sales pipeline closed (won or lost) in
  2022-2024 in the two regions of the difference-in-differences question: ``region``,
  ``open_date``, ``close_date``; ``crm_rollout.csv``: the go-live date of the CRM system
  (CRM系统上线) of every region.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

CAMPAIGN = "A01"
# the region that goes live, and the one never live in the data (the comparison)
TREATED, COMPARISON = "europe", "africa"
FILES = (
    "crm_managers.csv",
    "crm_assignments.csv",
    "crm_invoices_q4_2024.csv",
    "linkage_pairs.csv",
    "record_firms.csv",
    "campaign_a01.csv",
    "campaign.csv",
    "deals_closed.csv",
    "crm_rollout.csv",
)


def _day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d")


def extract() -> dict[str, pd.DataFrame]:
    from crmlab import datasets
    from crmlab.crm.linkage import find_duplicates

    c = datasets.load_company()
    out: dict[str, pd.DataFrame] = {}
    m = c["managers"]
    out["crm_managers.csv"] = pd.DataFrame(
        {
            "manager_id": m["manager_id"].astype(str),
            "region": m["region"].astype(str),
            "hire_date": _day(m["hire_date"]),
            "leave_date": _day(m["leave_date"]),
        }
    ).sort_values("manager_id")
    a = c["assignments"]
    out["crm_assignments.csv"] = pd.DataFrame(
        {
            "customer_id": a["customer_id"].astype(str),
            "manager_id": a["manager_id"].astype(str),
            "start_date": _day(a["start_date"]),
            "end_date": _day(a["end_date"]),
        }
    ).sort_values(["customer_id", "start_date"])
    inv = c["invoices"]
    inv = inv[inv["invoice_date"] >= "2024-10-01"]
    out["crm_invoices_q4_2024.csv"] = pd.DataFrame(
        {
            "invoice_id": inv["invoice_id"].astype(str),
            "customer_id": inv["customer_id"].astype(str),
            "invoice_date": _day(inv["invoice_date"]),
            "due_date": _day(inv["due_date"]),
            "amount": inv["amount"].round(2),
            "paid_date": _day(inv["paid_date"]),
        }
    ).sort_values("invoice_id")
    pairs = find_duplicates(c["records"], threshold=0.05)
    first = pairs[["record_id_1", "record_id_2"]].min(axis=1)
    second = pairs[["record_id_1", "record_id_2"]].max(axis=1)
    out["linkage_pairs.csv"] = pd.DataFrame(
        {
            "record_id_1": first.astype(str),
            "record_id_2": second.astype(str),
            "match_probability": pairs["match_probability"].round(4),
        }
    ).sort_values(["record_id_1", "record_id_2"])
    t = c["truth_records"]
    out["record_firms.csv"] = pd.DataFrame(
        {
            "record_id": t["record_id"].astype(str),
            "firm_id": t["customer_id"].astype(str),
        }
    ).sort_values("record_id")
    camp = c["campaigns"].set_index("campaign_id").loc[[CAMPAIGN]].reset_index()
    out["campaign.csv"] = pd.DataFrame(
        {
            "campaign_id": camp["campaign_id"].astype(str),
            "start_date": _day(camp["start_date"]),
            "cost_per_contact": camp["cost_per_contact"].round(2),
        }
    )
    mem = c["campaign_members"]
    mem = mem[mem["campaign_id"] == CAMPAIGN]
    cust = c["customers"].set_index("customer_id")
    churn = c["churn"].set_index("customer_id")["churn_date"]
    ids = mem["customer_id"].astype(str)
    out["campaign_a01.csv"] = pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "industry": cust["industry"].reindex(ids).astype(str).to_numpy(),
            "group": mem["group"].astype(str).to_numpy(),
            "churn_date": _day(churn.reindex(ids)).to_numpy(),
        }
    ).sort_values("customer_id")
    p = c["pipeline"]
    p = p[p["region"].isin([TREATED, COMPARISON]) & p["outcome"].isin(["won", "lost"])]
    p = p[p["close_date"].dt.year.between(2022, 2024)]
    out["deals_closed.csv"] = pd.DataFrame(
        {
            "region": p["region"].astype(str),
            "open_date": _day(p["open_date"]),
            "close_date": _day(p["close_date"]),
        }
    ).sort_values(["open_date", "region", "close_date"])
    r = c["crm_rollout"]
    out["crm_rollout.csv"] = pd.DataFrame(
        {
            "region": r["region"].astype(str),
            "go_live_date": _day(r["go_live_date"]),
        }
    ).sort_values("go_live_date")
    return {name: frame.reset_index(drop=True) for name, frame in out.items()}


def write(folder: Path) -> list[Path]:
    """Write the extracts into ``folder``; return the paths written."""
    paths = []
    for name, frame in extract().items():
        path = Path(folder) / name
        frame.to_csv(path, index=False, lineterminator="\n")
        paths.append(path)
    return paths
