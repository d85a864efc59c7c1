"""Time (wall and CPU) and peak memory of ``simulate_company`` at the default size of
5,000 customers and at 100,000 (issue 15's target: under 15 s and 2 GB on 2 cores), and
with --big at 1,000,000, each in a fresh process. On a shared machine the wall time
grows with the load; the CPU time is the steadier figure.

``--growth`` adds the sizes 10,000, 25,000 and 50,000 (how time and memory grow with
the number of customers); ``--parts N`` prints the CPU seconds of each part of one run
at N customers (the population, the monthly loop and the CRM's monthly hook inside it,
each table, the schema casts), to see where the time goes.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_simulate.py [--growth] [--big]
[--parts N]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure  # noqa: E402

# methods of the run timed by --parts; a nested one (the CRM's monthly hook inside the
# loop, the CRM tables' parts) is also counted in its caller
PARTS = [
    "_traits", "_acquisition", "_crm_setup", "_price_paths", "_monthly", "_crm_month",
    "_churn_dates", "_customers", "_orders", "_incidents", "_contacts", "_churn",
    "_referrals", "_survey", "_mentions", "_pipeline", "_truth", "_market_prices",
    "_crm_tables", "_assignments", "_invoices", "_credit_lists", "_tickets",
    "_campaign_members", "_records", "_behaviour_effects", "_crm_effects",
]  # fmt: skip


def sizes_and_time(argv: list[str]) -> None:
    sizes = [5_000, 100_000]
    if "--growth" in argv:
        sizes = [5_000, 10_000, 25_000, 50_000, 100_000]
    sizes += [1_000_000] if "--big" in argv else []
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


def parts(n: int) -> None:
    """CPU seconds of each part of one run at ``n`` customers (methods wrapped by a timer;
    ``apply_schema`` is the casting of every table after the run)."""
    r = measure(f"""
        import functools, time
        import crmlab.simulate as simulate
        from crmlab.simulate._run import _Simulation
        spent = {{}}

        def timed(name, f):
            @functools.wraps(f)
            def wrapper(*args, **kwargs):
                c0 = time.process_time()
                try:
                    return f(*args, **kwargs)
                finally:
                    spent[name] = spent.get(name, 0.0) + time.process_time() - c0
            return wrapper

        for name in {PARTS!r}:
            setattr(_Simulation, name, timed(name, getattr(_Simulation, name)))
        simulate.apply_schema = timed("apply_schema", simulate.apply_schema)
        c0 = time.process_time()
        simulate.simulate_company(seed=1, n_customers={n})
        result = {{"parts": spent, "total": time.process_time() - c0}}
    """)
    print(f"CPU seconds by part at {n:,} customers (nested parts indented)")
    nested = {"_crm_month", "_assignments", "_invoices", "_credit_lists", "_tickets"}
    nested |= {"_campaign_members", "_records"}
    for name, seconds in r["parts"].items():
        print(f"{'    ' if name in nested else ''}{name:<22}{seconds:>8.2f}")
    print(f"{'total':<22}{r['total']:>8.2f}   (peak {r['peak_mb']:.0f} MB)")


def main(argv: list[str]) -> None:
    if "--parts" in argv:
        parts(int(argv[argv.index("--parts") + 1]))
        return
    sizes_and_time(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
