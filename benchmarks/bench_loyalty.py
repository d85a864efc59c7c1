"""Time and peak memory of chapter 03's five loyalty measures and the type classifier
(issue 6 item 10: 1,000,000 customers, goal under 30 s and 4 GB).

Order lines are generated directly (simulating 1,000,000 customers takes far longer than
the measures): ``n`` customers with Poisson(12) lines each, four product lines, prices
varied by +-10%, quantities with a known elasticity, ``quote_days``, promotions; 2% of
customers have an incident; no survey (behaviour-only classification). Each measurement
runs in a fresh process (``_measure.measure``).

Run: ``.venv/bin/python benchmarks/bench_loyalty.py [n_customers]`` (default 1,000,000).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402

CODE = """
import numpy as np, pandas as pd, time
from crmlab import loyalty
rng = np.random.default_rng(0)
n = {n}
k = rng.poisson(12, n)
c = np.repeat(np.arange(n), k)
m = c.size
e = -np.exp(rng.normal(0, 0.5, n))
price = 10 * (1 + rng.uniform(-0.1, 0.1, m))
orders = pd.DataFrame({{
    "customer_id": c, "order_date": pd.Timestamp("2022-01-01")
    + pd.to_timedelta(rng.integers(0, 1096, m), "D"),
    "product_line": rng.integers(0, 4, m), "unit_price": price,
    "quantity": np.maximum(1, np.round(100 * (price / 10) ** e[c] * rng.lognormal(0, 0.25, m))),
    "quote_days": rng.poisson(4, m), "promotion": rng.random(m) < 0.12, "is_return": False}})
who = rng.choice(n, n // 50, replace=False)
incidents = pd.DataFrame({{"customer_id": who, "incident_date": pd.Timestamp("2022-06-01")
    + pd.to_timedelta(rng.integers(0, 500, who.size), "D")}})
t0 = time.perf_counter()
measures = loyalty.loyalty_measures(orders, None, incidents, as_of="2024-12-31")
types = loyalty.classify_loyalty_type(measures)
result = {{"customers": len(measures), "lines": m, "t": time.perf_counter() - t0}}
"""


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    r = measure(CODE.format(n=n))
    print(
        f"five measures + classifier, {r['customers']:,} customers, {r['lines']:,} lines: "
        f"{r['t']:.1f} s, peak {r['peak_mb']:,.0f} MB (incl. data generation)"
    )


if __name__ == "__main__":
    main()
