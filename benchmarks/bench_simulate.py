"""Time (wall and CPU) and peak memory of ``simulate_company`` at the default size of
5,000 customers and at 100,000 (issue 15's target: under 15 s and 2 GB on 2 cores), and
with --big at 1,000,000, each in a fresh process. On a shared machine the wall time
grows with the load; the CPU time is the steadier figure.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_simulate.py [--big]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402


def main(argv: list[str]) -> None:
    sizes = [5_000, 100_000] + ([1_000_000] if "--big" in argv else [])
    print(f"{'customers':>10}{'order lines':>13}{'wall s':>10}{'CPU s':>10}{'peak MB':>10}")
    for n in sizes:
        r = measure(f"""
            from crmlab.simulate import simulate_company
            import time
            t0, c0 = time.perf_counter(), time.process_time()
            tables = simulate_company(seed=1, n_customers={n})
            result = {{
                "orders": len(tables["orders"]),
                "sim": time.perf_counter() - t0,
                "cpu": time.process_time() - c0,
            }}
        """)
        print(f"{n:>10,}{r['orders']:>13,}{r['sim']:>10.2f}{r['cpu']:>10.2f}{r['peak_mb']:>10.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
