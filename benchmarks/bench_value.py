"""Time and peak memory of the chapter 05 non-contractual value models (issue 9): BG/NBD
and Gamma-Gamma fitted by maximum likelihood and used to score (P(alive), expected
purchases in 39 weeks, expected spend) 1,000,000 customers, with ``crmlab.btyd`` and,
side by side, the reference library ``lifetimes`` (0.11.3) if a Python with it is given.

The customers are drawn from the BG/NBD model with the CDNOW estimates (r 0.243,
alpha 4.414, a 0.793, b 2.426; 39 weeks observed, recency in whole days) and Gamma-Gamma
spends (p 6.25, q 3.74, gamma 15.44), saved once to a temporary ``.npz`` file; each model
runs in a fresh process (``_measure.measure``).

Run: ``.venv/bin/python benchmarks/bench_value.py [n_customers] [--reference-python PATH]``
(``lifetimes`` is not a dependency of crmlab: install it in a throwaway venv, e.g.
``python3 -m venv /tmp/lt && /tmp/lt/bin/pip install lifetimes``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402

CRMLAB = """
import numpy as np, pandas as pd
from crmlab import btyd
z = np.load({path!r})
d = pd.DataFrame({{k: z[k] for k in z.files}})
bg = btyd.fit_bgnbd(d)
gg = btyd.fit_gamma_gamma(d)
pred = bg.predict(d, 39)
spend = gg.expected_spend(d["frequency"], d["monetary_value"])
result = {{"params": [round(v, 3) for v in (bg.r, bg.alpha, bg.a, bg.b, gg.p, gg.q, gg.gamma)],
          "mean_expected": round(float(pred["expected_purchases"].mean()), 4)}}
"""

LIFETIMES = """
import warnings; warnings.filterwarnings("ignore")
import numpy as np, pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
z = np.load({path!r})
d = pd.DataFrame({{k: z[k] for k in z.files}})
bg = BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"])
rep = d[d["frequency"] > 0]
gg = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
p_alive = bg.conditional_probability_alive(d["frequency"], d["recency"], d["T"])
e = bg.conditional_expected_number_of_purchases_up_to_time(39, d["frequency"], d["recency"],
                                                            d["T"])
spend = gg.conditional_expected_average_profit(d["frequency"], d["monetary_value"])
p = list(bg.params_.to_numpy()) + list(gg.params_.to_numpy())
result = {{"params": [round(float(v), 3) for v in p], "mean_expected": round(float(e.mean()), 4)}}
"""


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv and not argv[0].startswith("--") else 1_000_000
    ref = argv[argv.index("--reference-python") + 1] if "--reference-python" in argv else None
    from crmlab import btyd

    sim = btyd.simulate_bgnbd(n, 39, mean_spend=(6.25, 3.74, 15.44), seed=1)
    sim["recency"] = np.round(sim["recency"] * 7) / 7  # whole days, as real data
    print(
        f"{n:,} simulated customers; true r 0.243, alpha 4.414, a 0.793, b 2.426, "
        f"p 6.25, q 3.74, gamma 15.44"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "customers.npz")
        np.savez(
            path, **{c: sim[c].to_numpy() for c in ["frequency", "recency", "T", "monetary_value"]}
        )
        runs = {"crmlab.btyd (scipy ML)": (None, CRMLAB)}
        if ref:
            runs["lifetimes 0.11.3"] = (ref, LIFETIMES)
        for name, (python, code) in runs.items():
            code = code.format(path=path)
            res = measure(code) if python is None else measure(code, python)
            print(
                f"{name:24s} {res['seconds']:7.1f} s  peak {res['peak_mb']:7.0f} MB  "
                f"params {res['params']}  mean E[purchases, 39 wk] {res['mean_expected']}"
            )
        if not ref:
            print("lifetimes: not run (pass --reference-python PATH to a Python with it)")


if __name__ == "__main__":
    main(sys.argv[1:])
