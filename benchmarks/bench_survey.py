"""Time and peak memory of the survey's data processing at scale (issue 4): the validation
report, Cronbach's alpha and the SERVQUAL gaps on 1,000,000 answer sheets of the synthetic
survey's 36 items (36 million answers), resampled from the company's survey with its mess.
Goal: each under 2 s, under 1 GB. Each size runs in a fresh process.

Run: ``.venv/bin/python benchmarks/bench_survey.py [--small]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402


def main(argv: list[str]) -> None:
    sizes = [100_000] + ([] if "--small" in argv else [1_000_000])
    print(f"{'sheets':>10}{'answers':>13}{'report s':>10}{'alpha s':>9}{'gaps s':>8}"
          f"{'peak MB':>9}")
    for n in sizes:
        r = measure(f"""
            import time
            import numpy as np
            import pandas as pd
            from crmlab import datasets, simulate, survey
            raw = datasets.load("company_survey")
            rng = np.random.default_rng(1)
            rows = rng.integers(0, len(raw), {n})
            values = raw[simulate.SURVEY_ITEMS].to_numpy(dtype=float, na_value=np.nan)[rows]
            big = pd.DataFrame(values, columns=simulate.SURVEY_ITEMS)
            big.insert(0, "customer_id", rng.integers(0, {n} // 2, {n}))
            t = [time.perf_counter()]
            report = survey.validation_report(big)
            t.append(time.perf_counter())
            clean = big[simulate.SURVEY_ITEMS].where((big[simulate.SURVEY_ITEMS] >= 1)
                                                     & (big[simulate.SURVEY_ITEMS] <= 5))
            alpha = survey.cronbach_alpha(clean, survey.RELATIONSHIP_SCALES["satisf"])
            t.append(time.perf_counter())
            gaps = survey.servqual_gaps(clean)
            t.append(time.perf_counter())
            result = {{"answers": int(values.size), "report": t[1] - t[0],
                       "alpha": t[2] - t[1], "gaps": t[3] - t[2]}}
        """)
        print(f"{n:>10,}{r['answers']:>13,}{r['report']:>10.2f}{r['alpha']:>9.2f}"
              f"{r['gaps']:>8.2f}{r['peak_mb']:>9.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
