"""Time and peak memory of the chapter 04 models on 1,000,000 customers (issue 7):
Kaplan-Meier by group (``survival.kaplan_meier``), the Cox model with Efron ties
(``survival.cox_model``) and the logistic churn model (``churn_warning.fit_logit``).

The customers are drawn directly (not with ``simulate_company``, which would dominate the
time): two covariates, a constant weekly churn hazard ``0.004 exp(0.5 x1 - 0.3 x2)``,
tenure in whole weeks censored at 104 weeks (104 distinct times: the grain that keeps
``PHReg`` fast, see DESIGN.md). Each model runs in a fresh process. The late-entry Cox
model (issue 13) uses a left-truncated sample: each customer gets an entry week drawn
uniformly from 0-51 independently of its tenure, and customers lost by then are never
seen (dropped): about 87% of the draws remain, 98% of them with entry > 0; enough are
drawn that ``n_customers`` remain.

Run: ``.venv/bin/python benchmarks/bench_churn.py [n_customers]``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402

DATA = """
import numpy as np, pandas as pd
rng = np.random.default_rng(7)
n = {n}
x1 = rng.integers(0, 2, n)
x2 = rng.normal(0, 1, n)
weeks = np.ceil(rng.exponential(1 / (0.004 * np.exp(0.5 * x1 - 0.3 * x2)))).astype(int)
data = pd.DataFrame({{"tenure": np.minimum(weeks, 104), "churned": (weeks <= 104).astype(int),
                     "x1": x1, "x2": x2}})
"""

# The left-truncated sample, drawn after ``data`` from the same generator (so its numbers do
# not change), only for the models that use it: built for every model, it raised the peak of
# the others by 50-60 MB (Kaplan-Meier: 415 MB against 362 MB without it).
LATE = """
m = int(n * 1.2)  # draws for the left-truncated sample: n customers remain after truncation
x1, x2 = rng.integers(0, 2, m), rng.normal(0, 1, m)
weeks = np.ceil(rng.exponential(1 / (0.004 * np.exp(0.5 * x1 - 0.3 * x2)))).astype(int)
late = pd.DataFrame({{"tenure": np.minimum(weeks, 104), "churned": (weeks <= 104).astype(int),
                     "x1": x1, "x2": x2, "entry": rng.integers(0, 52, m)}})
late = late[late["tenure"] > late["entry"]].iloc[:n]
"""

START = """
t0 = time.perf_counter()
"""

MODELS = {
    "Kaplan-Meier by x1 + log-rank": """
from crmlab import survival as sv
km = sv.kaplan_meier(data, group="x1")
result = {"check": f"S(52) {km.survival_at([52]).iloc[:, 0].round(3).tolist()}"}
""",
    "Cox PH, Efron ties": """
from crmlab import survival as sv
fit = sv.cox_model(data, covariates=["x1", "x2"])
result = {"check": f"coef {fit.params.round(3).tolist()} (true [0.5, -0.3])"}
""",
    "Cox PH, Efron, late entry": """
from crmlab import survival as sv
fit = sv.cox_model(late, covariates=["x1", "x2"], entry="entry")
result = {"check": f"n {len(late):,}, coef {fit.params.round(3).tolist()} (true [0.5, -0.3])"}
""",
    "  + cox.zph test and concordance": """
from crmlab import survival as sv
fit = sv.cox_model(late, covariates=["x1", "x2"], entry="entry")
t0 = time.perf_counter()
ph = fit.ph_test()
c = fit.concordance
result = {"check": f"PH global p {ph.loc['GLOBAL', 'p']:.2f}, C {c:.3f}"}
""",
    "logistic (churned ~ x1 + x2)": """
from crmlab import churn_warning
fit = churn_warning.fit_logit(data, features=["x1", "x2"])
result = {"check": f"OR {fit.odds_ratios['odds_ratio'].round(3).tolist()[1:]}"}
""",
}


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 1_000_000
    print(f"{n:,} customers, tenure in weeks (104 distinct times)")
    print(f"{'model':<32}{'seconds':>9}{'peak MB':>9}  check")
    for name, code in MODELS.items():
        uses_late = re.search(r"\blate\b", code) is not None
        data = DATA + (LATE if uses_late else "") + START
        r = measure(data.format(n=n) + code + "\nresult['fit'] = time.perf_counter() - t0")
        print(f"{name:<32}{r['fit']:>9.2f}{r['peak_mb']:>9.0f}  {r['check']}")
    print("seconds: the model call only (data generation excluded); peak MB: whole process")


if __name__ == "__main__":
    main(sys.argv[1:])
