"""Load time and peak memory of every data set, each in a fresh process.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_datasets.py``.
Peak memory is the child's maximum resident set size, interpreter and imports included
(the baseline row shows that part alone).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402

from crmlab import datasets  # noqa: E402


def main() -> None:
    base = measure("import pandas, crmlab.datasets\nresult = {}")
    print(f"{'data set':<22}{'rows':>10}{'seconds':>10}{'peak MB':>10}")
    print(f"{'(imports only)':<22}{'':>10}{base['seconds']:>10.3f}{base['peak_mb']:>10.0f}")
    for name in datasets.list_datasets():
        r = measure(f"""
            from crmlab import datasets
            import time
            t0 = time.perf_counter()
            frame = datasets.load({name!r})
            result = {{"rows": len(frame), "load": time.perf_counter() - t0}}
        """)
        print(f"{name:<22}{r['rows']:>10,}{r['load']:>10.3f}{r['peak_mb']:>10.0f}")
    r = measure("""
        from crmlab import datasets
        import time
        t0 = time.perf_counter()
        tables = datasets.load_company()
        result = {"rows": sum(len(t) for t in tables.values()), "load": time.perf_counter() - t0}
    """)
    print(f"{'load_company() (all)':<22}{r['rows']:>10,}{r['load']:>10.3f}{r['peak_mb']:>10.0f}")


if __name__ == "__main__":
    main()
