"""Time and peak memory of the survey's data processing at scale (issue 4): the validation
report, Cronbach's alpha and the SERVQUAL gaps on 1,000,000 answer sheets of the synthetic
survey's 36 items (36 million answers), resampled from the company's survey with its mess.
Goal: the three steps under 2 s together and under 1 GB of memory.

What is measured, per size, in a fresh process (built data: 36 float64 item columns plus
``customer_id``, about 300 MB at 1,000,000 sheets):

- **times** (median of ``--repeat`` processes, default 3; the machine is shared): the
  report on the raw answers; ``clean``, setting out-of-range codes to missing with
  ``DataFrame.where`` (the input of alpha and gaps; timed apart because it is pandas, not
  ``crmlab``); alpha of the satisfaction scale; the SERVQUAL gaps. ``steps`` = report +
  alpha + gaps, the goal's 2 s.
- **memory of the timed part**: after the data are built, the steps run again under
  ``tracemalloc`` (numpy registers its arrays with it), which gives the peak of memory
  allocated *on top of* the built data while they run: ``steps MB`` for report, alpha and
  gaps (the largest of their three peaks, each on top of the data and the cleaned copy),
  ``+clean MB`` for all of it with the cleaned copy of the items counted too. Timing runs
  first, without ``tracemalloc`` (it slows allocation).
- **peak RSS MB**: the process's maximum resident set size, building the data included
  (``ru_maxrss``), for comparison with earlier runs.

Run: ``.venv/bin/python benchmarks/bench_survey.py [--small] [--repeat N]``.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402

CODE = """
    import time, tracemalloc
    import numpy as np
    import pandas as pd
    from crmlab import _schema, datasets, satisfaction, survey
    items = _schema.SURVEY_ITEMS
    raw = datasets.load("company_survey")
    rng = np.random.default_rng(1)
    rows = rng.integers(0, len(raw), {n})
    big = pd.DataFrame(raw[items].to_numpy(dtype=float, na_value=np.nan)[rows], columns=items)
    big.insert(0, "customer_id", rng.integers(0, {n} // 2, {n}))
    del raw, rows

    def clean_items():
        return big[items].where((big[items] >= 1) & (big[items] <= 5))

    satisf = survey.RELATIONSHIP_SCALES["satisf"]
    steps = {{"report": lambda: survey.validation_report(big),
              "alpha": lambda: survey.cronbach_alpha(clean, items=satisf),
              "gaps": lambda: satisfaction.servqual_gaps(clean)}}
    result = {{"answers": len(big) * len(items)}}
    t = time.perf_counter()
    clean = clean_items()
    result["clean"] = time.perf_counter() - t
    for name, step in steps.items():
        t = time.perf_counter()
        step()
        result[name] = time.perf_counter() - t
    del clean

    tracemalloc.start()  # counts what is allocated from here on: the built data are not in it
    clean = clean_items()
    clean_peak = tracemalloc.get_traced_memory()[1]
    base, peaks = tracemalloc.get_traced_memory()[0], []
    for step in steps.values():
        tracemalloc.reset_peak()
        step()
        peaks.append(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    result["steps_mb"] = (max(peaks) - base) / 2**20
    result["clean_mb"] = max(clean_peak, *peaks) / 2**20
"""


def main(argv: list[str]) -> None:
    sizes = [100_000] + ([] if "--small" in argv else [1_000_000])
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    print(
        f"median of {repeat} runs; steps = report + alpha + gaps (goal < 2 s); memory of "
        "the timed part = tracemalloc peak above the built data (goal < 1 GB); "
        "peak RSS includes building the data"
    )
    print(
        f"{'sheets':>10}{'answers':>13}{'report s':>10}{'clean s':>9}{'alpha s':>9}"
        f"{'gaps s':>8}{'steps s':>9}{'steps MB':>10}{'+clean MB':>11}{'peak RSS MB':>13}"
    )
    for n in sizes:
        runs = [measure(CODE.format(n=n)) for _ in range(repeat)]
        for r in runs:
            r["steps"] = r["report"] + r["alpha"] + r["gaps"]
        m = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"{n:>10,}{int(m['answers']):>13,}{m['report']:>10.2f}{m['clean']:>9.2f}"
            f"{m['alpha']:>9.2f}{m['gaps']:>8.2f}{m['steps']:>9.2f}{m['steps_mb']:>10.0f}"
            f"{m['clean_mb']:>11.0f}{m['peak_mb']:>13.0f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
