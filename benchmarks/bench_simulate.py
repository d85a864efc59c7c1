"""Time and peak memory of ``simulate_company`` at 1x, 10x (and, with --big, 100x) the
default size of 5,000 customers, each in a fresh process.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_simulate.py [--big]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402


def main(argv: list[str]) -> None:
    sizes = [5_000, 50_000] + ([500_000] if "--big" in argv else [])
    print(f"{'customers':>10}{'order lines':>13}{'seconds':>10}{'peak MB':>10}")
    for n in sizes:
        r = measure(f"""
            from crmlab.simulate import simulate_company
            import time
            t0 = time.perf_counter()
            tables = simulate_company(seed=1, n_customers={n})
            result = {{"orders": len(tables["orders"]), "sim": time.perf_counter() - t0}}
        """)
        print(f"{n:>10,}{r['orders']:>13,}{r['sim']:>10.2f}{r['peak_mb']:>10.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
