"""Time and peak memory of building the CRM database and of the customer 360 query.

Generated tables of every schema table with the simulator's proportions per customer
(about 10 order lines, a return on 3% of them, an invoice per sale, a survey answer from
10% of the customers in each of three waves, ...); ids, levels and dates valid, so every
check passes. Each step runs in a fresh process (``_measure.measure``), so peaks do not
mix; the peak of the first two includes the generated tables themselves (the input).

- ``check_tables``: every rule of the schema, as SQL over the DataFrames;
- ``build_crm(check=False)``: create, load (the database enforces its keys and CHECKs)
  and the integrity check (row counts and money sums);
- ``customer_360``: the query over the database file, all customers.

Run: ``.venv/bin/python benchmarks/bench_crm.py [n_customers] [lines_per_customer]``
(default 1,000,000 and 10).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402

MAKE = """
import numpy as np, pandas as pd
from crmlab._schema import SURVEY_ITEMS
rng = np.random.default_rng(0)
n, per = {n}, {per}
REGIONS = ["east_asia", "southeast_asia", "europe", "north_america", "middle_east", "africa"]

def ids(prefix, k, width):
    return pd.array(np.char.add(prefix, np.char.zfill(np.arange(1, k + 1).astype(str), width)),
                    dtype="str")

def cat(values, levels):
    return pd.Categorical.from_codes(values, levels)

def day(start, offsets):
    return (pd.Timestamp(start) + pd.to_timedelta(offsets, "D")).astype("datetime64[ns]")

t = {{}}
n_man = max(n // 2000, 2)
t["products"] = pd.DataFrame({{"product_line": cat([0, 1, 2, 3], ["textiles", "electronics",
    "machinery_parts", "household"]), "name_zh": ["纺织服装", "电子元件", "机械配件", "家居用品"],
    "base_list_price": [12.0, 45.0, 120.0, 8.5], "unit_cost": [9.0, 35.0, 88.0, 6.2],
    "mean_quantity": [900.0, 220.0, 70.0, 1300.0]}})
t["costs"] = pd.DataFrame({{"item": ["contact", "contact"], "unit": ["visit", "call"],
    "cost": [900.0, 40.0]}})
t["crm_rollout"] = pd.DataFrame({{"region": cat(np.arange(6), REGIONS),
    "go_live_date": day("2022-07-01", np.arange(6) * 120)}})
man = ids("M", n_man, 4)
t["managers"] = pd.DataFrame({{"manager_id": man, "region": cat(rng.integers(0, 6, n_man), REGIONS),
    "hire_date": day("2015-01-01", rng.integers(0, 2000, n_man)), "leave_date": pd.NaT}})
t["campaigns"] = pd.DataFrame({{"campaign_id": ["G01"], "name": ["winback"],
    "start_date": day("2023-03-01", [0]), "end_date": day("2023-04-30", [0]),
    "target_rule": ["all active"], "offer": ["5% off"], "cost_per_contact": [120.0]}})
cust = ids("C", n, 7)
owner = rng.integers(0, n_man, n)
churned = rng.random(n) < 0.3
t["customers"] = pd.DataFrame({{"customer_id": cust, "region": cat(rng.integers(0, 6, n), REGIONS),
    "industry": cat(rng.integers(0, 5, n), ["retail_chain", "wholesaler", "manufacturer",
        "e_commerce", "importer_agent"]),
    "size": pd.Categorical.from_codes(rng.integers(0, 3, n), ["small", "medium", "large"],
        ordered=True),
    "channel": cat(rng.integers(0, 5, n), ["trade_fair", "referral", "sales_visit", "online",
        "agent"]),
    "acquisition_date": day("2016-01-01", rng.integers(0, 2900, n)),
    "payment_terms_days": rng.choice([30, 60, 90], n),
    "status": cat(churned.astype(int), ["active", "churned"]),
    "manager_id": man[owner], "credit_limit": np.round(rng.lognormal(10, 1, n), 2)}})
n_rec = n + n // 10
rec_of = np.concatenate([np.arange(n), rng.integers(0, n, n_rec - n)])
t["records"] = pd.DataFrame({{"record_id": ids("D", n_rec, 8),
    "name": pd.array(np.char.add("firm ", rec_of.astype(str)), dtype="str"),
    "phone": pd.array(np.char.add("021-", (rec_of + 10**7).astype(str)), dtype="str"),
    "address": pd.array(np.char.add("road ", rec_of.astype(str)), dtype="str"),
    "region": cat(rng.integers(0, 6, n_rec), REGIONS),
    "created_date": day("2016-01-01", rng.integers(0, 2900, n_rec))}})
t["assignments"] = pd.DataFrame({{"customer_id": cust, "manager_id": man[owner],
    "start_date": t["customers"]["acquisition_date"], "end_date": pd.NaT}})
m = n * per
buyer = rng.integers(0, n, m)
is_ret = rng.random(m) < 0.03
is_ret[0] = False
qty = rng.integers(1, 2000, m)
price = np.round(rng.uniform(5, 150, m), 2)
sale_ids = np.char.add("O", np.char.zfill(np.arange(1, m + 1).astype(str), 9))
order_id = np.where(is_ret, np.char.replace(sale_ids, "O", "R"), sale_ids)
# a return names an earlier sale of anyone (enough for the keys; customers may differ)
sale_pos = np.flatnonzero(~is_ret)
ret_of = np.where(is_ret, order_id[sale_pos[np.searchsorted(sale_pos, np.arange(m)) - 1]], None)
amount = np.round(qty * price, 2)
t["orders"] = pd.DataFrame({{"order_id": pd.array(order_id, dtype="str"),
    "customer_id": cust[buyer], "order_date": day("2022-01-01", rng.integers(0, 1096, m)),
    "product_line": cat(rng.integers(0, 4, m), ["textiles", "electronics", "machinery_parts",
        "household"]),
    "quantity": np.where(is_ret, -np.maximum(qty // 10, 1), qty), "list_price": price,
    "discount": 0.0, "unit_price": price,
    "amount": np.where(is_ret, -np.round(np.maximum(qty // 10, 1) * price, 2), amount),
    "promotion": rng.random(m) < 0.2, "is_return": is_ret,
    "return_of": pd.array(ret_of, dtype="str"),
    "quote_days": pd.array(np.where(is_ret, None, rng.integers(0, 30, m)), dtype="Int64"),
    "days_late": pd.array(np.where(is_ret, None, rng.integers(0, 60, m)), dtype="Int64"),
    "defaulted": False, "record_id": t["records"]["record_id"].to_numpy()[buyer]}})
sales = t["orders"][~is_ret]
k = len(sales)
paid = rng.random(k) < 0.95
t["invoices"] = pd.DataFrame({{"invoice_id": ids("V", k, 9),
    "customer_id": sales["customer_id"].to_numpy(), "order_id": sales["order_id"].to_numpy(),
    "invoice_date": sales["order_date"].to_numpy(),
    "due_date": sales["order_date"].to_numpy() + pd.Timedelta(days=60),
    "amount": sales["amount"].to_numpy(),
    "paid_date": np.where(paid, sales["order_date"].to_numpy() + pd.Timedelta(days=50),
        np.datetime64("NaT")).astype("datetime64[ns]"),
    "days_overdue": np.where(paid, 0, rng.integers(0, 300, k))}})
lc = rng.choice(n, n // 20, replace=False)
t["credit_lists"] = pd.DataFrame({{"customer_id": cust[lc],
    "list_date": day("2023-01-01", rng.integers(0, 700, len(lc))),
    "list": cat(rng.integers(0, 4, len(lc)), ["red", "grey", "black", "none"]),
    "reason": "overdue_30"}})
ni = n // 2
t["incidents"] = pd.DataFrame({{"incident_id": ids("I", ni, 8),
    "customer_id": cust[rng.integers(0, n, ni)],
    "incident_date": day("2022-01-01", rng.integers(0, 1096, ni)),
    "incident_type": cat(rng.integers(0, 4, ni), ["quality", "delivery", "billing", "service"]),
    "severity": rng.integers(1, 4, ni), "resolution_days": rng.integers(0, 20, ni),
    "resolved": True, "handled_well": rng.random(ni) < 0.8, "complaint": rng.random(ni) < 0.4}})
nt = n // 2
t["tickets"] = pd.DataFrame({{"ticket_id": ids("T", nt, 8),
    "customer_id": t["incidents"]["customer_id"].to_numpy(),
    "incident_id": t["incidents"]["incident_id"].to_numpy(),
    "opened_at": day("2022-01-01", rng.integers(0, 1096, nt)),
    "channel": cat(rng.integers(0, 4, nt), ["phone", "email", "wechat", "visit"]),
    "first_response_hours": np.round(rng.exponential(3, nt), 2),
    "resolution_hours": np.round(rng.exponential(3, nt), 2) + 50,
    "escalated": False, "follow_up_visit": False, "handled_well": True}})
nc = 2 * n
t["contacts"] = pd.DataFrame({{"contact_id": ids("K", nc, 8),
    "customer_id": cust[rng.integers(0, n, nc)],
    "contact_date": day("2022-01-01", rng.integers(0, 1096, nc)),
    "contact_type": cat(rng.integers(0, 3, nc), ["visit", "call", "event"]),
    "cost": 40.0}})
nr = n // 10
t["referrals"] = pd.DataFrame({{"referrer_id": cust[:nr], "referred_id": cust[nr:2 * nr],
    "referral_date": day("2022-01-01", rng.integers(0, 1096, nr))}})
nm = n // 5
t["mentions"] = pd.DataFrame({{"mention_id": ids("N", nm, 8),
    "customer_id": cust[rng.integers(0, n, nm)],
    "mention_date": day("2022-01-01", rng.integers(0, 1096, nm)),
    "channel": cat(rng.integers(0, 3, nm), ["forum", "social_media", "trade_group"]),
    "sentiment": cat(rng.integers(0, 2, nm), ["positive", "negative"])}})
gone = np.flatnonzero(churned)
t["churn"] = pd.DataFrame({{"customer_id": cust[gone],
    "churn_date": day("2022-01-01", rng.integers(0, 1096, len(gone))),
    "stated_reason": cat(rng.integers(0, 6, len(gone)), ["price", "incident_mishandled",
        "quality", "passive_service", "competitor", "involuntary"]),
    "churn_type": cat(rng.integers(0, 3, len(gone)), ["natural", "competitive", "fault"])}})
ns = 3 * (n // 10)
survey = {{"response_id": ids("S", ns, 8), "customer_id": cust[rng.integers(0, n, ns)],
    "response_date": day("2022-09-01", np.repeat([0, 365, 731], ns // 3))}}
for item in SURVEY_ITEMS:
    survey[item] = pd.array(rng.integers(1, 6, ns), dtype="Int64")
survey["wave"] = np.repeat([2022, 2023, 2024], ns // 3)
t["survey"] = pd.DataFrame(survey)
npl = n // 2
t["pipeline"] = pd.DataFrame({{"opportunity_id": ids("P", npl, 8),
    "customer_id": pd.array([None] * npl, dtype="str"),
    "source": cat(rng.integers(0, 4, npl), ["referral", "event", "cold_call", "web"]),
    "manager_id": man[rng.integers(0, n_man, npl)], "region": cat(rng.integers(0, 6, npl), REGIONS),
    "size": pd.Categorical.from_codes(rng.integers(0, 3, npl), ["small", "medium", "large"],
        ordered=True),
    "relationship": pd.Categorical.from_codes(rng.integers(0, 3, npl),
        ["none", "acquainted", "existing_contact"], ordered=True),
    "prospect_type": cat(rng.integers(0, 2, npl), ["potential", "competitor"]),
    "open_date": day("2022-01-01", rng.integers(0, 900, npl)),
    "intention_date": pd.NaT, "negotiation_date": pd.NaT, "contract_date": pd.NaT,
    "close_date": day("2024-10-01", np.zeros(npl, int)),
    "stage_reached": pd.Categorical.from_codes(np.zeros(npl, int),
        ["contact", "intention", "negotiation", "contract"], ordered=True),
    "outcome": cat(np.ones(npl, int), ["won", "lost", "open"]),
    "lost_reason": cat(np.zeros(npl, int), ["price", "competitor", "no_budget", "no_response",
        "negative_word_of_mouth"]),
    "forecast_value": 0.0, "deal_value": np.round(rng.lognormal(10, 1, npl), 2)}})
nb = n // 5
treat = rng.random(nb) < 0.5
t["campaign_members"] = pd.DataFrame({{"campaign_id": "G01",
    "customer_id": cust[rng.choice(n, nb, replace=False)],
    "group": cat((~treat).astype(int), ["treatment", "control"]),
    "contact_date": np.where(treat, np.datetime64("2023-03-02"),
        np.datetime64("NaT")).astype("datetime64[ns]")}})
import time
from crmlab.crm import build_crm, check_tables, customer_360
n_rows = sum(len(f) for f in t.values())
t0 = time.perf_counter()
"""

CASES = {
    "check_tables (every rule, SQL over the DataFrames)": MAKE
    + """
check_tables(t)
result = {{"rows": n_rows}}
""",
    "build_crm(check=False): create, load, integrity": MAKE
    + """
report = build_crm(t, {path!r}, check=False, overwrite=True)
result = {{"rows": int(report.loc[report["check"] == "rows", "loaded"].sum())}}
""",
    "customer_360 (all customers) on the file": """
from crmlab.crm import customer_360
view = customer_360({path!r})
result = {{"rows": len(view), "A": int((view["abc_class"] == "A").sum())}}
""",
}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    per = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    folder = Path(tempfile.mkdtemp(prefix="crmlab-bench-"))
    path = folder / "crm.duckdb"
    print(f"{n:,} customers, about {per} order lines each")
    try:
        for label, code in CASES.items():
            r = measure(code.format(n=n, per=per, path=str(path)))
            print(f"{label:55s} {r['seconds']:8.2f} s {r['peak_mb']:9.0f} MB   {r['rows']:,} rows")
        print(f"database file: {path.stat().st_size / 2**20:,.0f} MB")
    finally:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
