"""Time and peak memory of ``segment.rfm_table`` and ``segment_classes.value_tiers`` on
generated order lines, against a plain pandas ``groupby`` reference and, if installed,
DuckDB (the reference for group-by aggregations; benchmark only, not a dependency).

Each measurement runs in a fresh process (``_measure.measure``), so peaks do not mix. The
order lines: ``n`` lines of ``n / 10`` customers (integer ids), dates over 2022-2024,
lognormal amounts, 3% returns as negative lines marked ``is_return``. ``rfm_table`` leaves
out customers whose only lines are returns, so it counts a few fewer customers than the
references. DuckDB's import, like crmlab's, happens before the clock starts.

Run: ``.venv/bin/python benchmarks/bench_segment.py [n_lines]`` (default 10,000,000).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402

MAKE = """
import numpy as np, pandas as pd
rng = np.random.default_rng(0)
n = {n}
ret = rng.random(n) < 0.03
amount = np.round(rng.lognormal(9, 1, n), 2)
orders = pd.DataFrame({{
    "customer_id": rng.integers(0, n // 10, n),
    "order_date": pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 1096, n), "D"),
    "amount": np.where(ret, -amount / 4, amount),
    "is_return": ret,
}})
import time
from crmlab import segment, segment_classes  # imported before the clock starts
{setup}
t0 = time.perf_counter()
"""

#: Imports of a case, run before its clock starts (like crmlab's).
SETUP = {"duckdb SQL (reference)": "import duckdb"}

CASES = {
    "crmlab rfm_table + value_tiers": """
rfm = segment.rfm_table(orders, as_of="2024-12-31")
tiers = segment_classes.value_tiers(rfm["revenue"])
result = {"rows": len(rfm), "t": time.perf_counter() - t0}
""",
    "pandas groupby (reference)": """
sale_date = orders["order_date"].where(~orders["is_return"])
g = orders.assign(sale_date=sale_date, sale=~orders["is_return"]).groupby("customer_id")
rfm = g.agg(last=("sale_date", "max"), frequency=("sale", "sum"), monetary=("amount", "sum"))
rfm["recency"] = (pd.Timestamp("2024-12-31") - rfm["last"]).dt.days
result = {"rows": len(rfm), "t": time.perf_counter() - t0}
""",
    "duckdb SQL (reference)": """
rfm = duckdb.sql('''
    SELECT customer_id,
           date_diff('day', max(order_date) FILTER (WHERE NOT is_return), DATE '2024-12-31')
               AS recency,
           count(*) FILTER (WHERE NOT is_return) AS frequency,
           sum(amount) AS monetary
    FROM orders GROUP BY customer_id''').df()
result = {"rows": len(rfm), "t": time.perf_counter() - t0}
""",
}


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 10_000_000
    print(f"RFM on {n:,} order lines of {n // 10:,} customers (time excludes generating)")
    print(f"{'method':<34}{'customers':>11}{'seconds':>10}{'peak MB':>10}")
    seconds = {}
    for name, code in CASES.items():
        try:
            r = measure(MAKE.format(n=n, setup=SETUP.get(name, "")) + code)
        except Exception as err:  # DuckDB not installed: say so and go on
            reason = "not installed" if "duckdb" in str(getattr(err, "stderr", "")) else err
            print(f"{name:<34}{'skipped: ' + str(reason):>31}")
            continue
        print(f"{name:<34}{r['rows']:>11,}{r['t']:>10.2f}{r['peak_mb']:>10.0f}")
        seconds[name] = r["t"]
    crmlab = seconds.get("crmlab rfm_table + value_tiers")
    duck = seconds.get("duckdb SQL (reference)")
    if crmlab and duck:
        print(f"crmlab / DuckDB time: {crmlab / duck:.2f} (goal: at most 2)")


if __name__ == "__main__":
    main(sys.argv[1:])
