"""Time and peak memory of the workbook's per-customer tables at scale: pandas, Ibis on
DuckDB and Ibis on Spark at 10 M order lines; DuckDB at 100 M lines under a 2 GB memory
limit (opt-in); the BG/NBD fit on 1 M distinct (frequency, recency, T).

The job timed is the same on each engine: RFM + scores + value tiers
(``rfm_table``, ``rfm_scores``, ``value_tiers``) and the BTYD summary of the purchase
lines (``btyd.rfm_summary``), from a Parquet file to per-customer Parquet files. pandas
runs the four functions (``rfm_table`` and ``rfm_summary`` each check their input);
the engines run ``engine.customer_tables``, which checks the log once and builds the
same two tables (equal to pandas's, tested in ``tests/test_engine.py``). Each run
is a fresh process; its peak memory is the largest resident set of the whole process
tree (Spark's JVM included), sampled every 50 ms with psutil; its CPU seconds (user +
system) are those of the same tree over the timed block. Spark's session start is timed
apart. On a shared machine the wall times stretch with the other processes' load: the
CPU ratio beside the time ratio is the steadier comparison of the work each engine does.

The order log is generated in chunks of 1 M lines and written with a Parquet writer, so
the whole table is never in memory: about one customer per 21 lines (gamma-distributed
purchase rates), timestamps over 2022-2024 in microseconds (Spark reads no
nanoseconds), lognormal amounts in whole cents, 3% returns as negative lines marked
``is_return``.

Goals (issue 20): DuckDB at most 0.35x pandas's time at 10 M lines; 100 M lines in
under 2 minutes and 2.5 GB; 1 M triples fitted in under 10 s on 2 cores.

Run::

    .venv/bin/python benchmarks/bench_engine.py                   # 10 M lines, 3 engines
    .venv/bin/python benchmarks/bench_engine.py --with-100m       # and 100 M on DuckDB
    .venv/bin/python benchmarks/bench_engine.py --lines 1M --big-lines 5M --with-100m
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import psutil

CHUNK = 1_000_000
LINES_PER_CUSTOMER = 21
AS_OF = "2024-12-31"


def size(text: str) -> int:
    text = text.strip().upper()
    scale = {"K": 10**3, "M": 10**6, "G": 10**9}.get(text[-1], 1)
    return int(float(text[:-1] if text[-1] in "KMG" else text) * scale)


def generate(path: Path, n_lines: int, seed: int = 0) -> None:
    """Write ``n_lines`` order lines to ``path`` in chunks of 1 M lines."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    n_customers = max(n_lines // LINES_PER_CUSTOMER, 1)
    rate = rng.gamma(0.6, 1.0, n_customers)
    cum = np.cumsum(rate / rate.sum())
    start = np.datetime64("2022-01-01T00:00:00", "us")
    span_us = 1095 * 86_400 * 10**6  # up to 2024-12-30 23:59, before AS_OF
    schema = pa.schema(
        [
            ("customer_id", pa.int64()),
            ("order_date", pa.timestamp("us")),
            ("amount", pa.float64()),
            ("is_return", pa.bool_()),
        ]
    )
    with pq.ParquetWriter(path, schema) as writer:
        for first in range(0, n_lines, CHUNK):
            n = min(CHUNK, n_lines - first)
            ids = np.minimum(np.searchsorted(cum, rng.random(n)), n_customers - 1)
            # day-level times with a time of day: several lines a day, dates over 3 years
            when = start + (rng.integers(0, span_us // 60_000_000, n) * 60_000_000).astype(
                "timedelta64[us]"
            )
            ret = rng.random(n) < 0.03
            amount = np.round(rng.lognormal(5, 1, n), 2)
            chunk = pa.table(
                {
                    "customer_id": ids.astype(np.int64),
                    "order_date": when,
                    "amount": np.where(ret, -amount, amount),
                    "is_return": ret,
                },
                schema=schema,
            )
            writer.write_table(chunk)


#: Imports, before the clock starts (Ibis and DuckDB take about 1-2 s to import; Ibis
#: imports a backend's module at its first connect, about 0.4 s for DuckDB).
SETUP = {
    "pandas": "import pandas as pd\nfrom crmlab import btyd, segment, segment_classes",
    "duckdb": "from crmlab import engine\nimport ibis.backends.duckdb",
    "spark": "from crmlab import engine\nimport ibis.backends.pyspark",
}

JOBS = {
    "pandas": """
orders = pd.read_parquet({path!r})
scores = segment.rfm_scores(segment.rfm_table(orders, as_of={as_of!r}))
tiers = segment_classes.value_tiers(scores["revenue"])
scores.join(tiers[["rank", "value_share", "tier", "abc"]]).to_parquet({out!r} + "/rfm.parquet")
summary = btyd.rfm_summary(orders[~orders["is_return"]], as_of={as_of!r})
summary.to_parquet({out!r} + "/btyd.parquet")
result = {{"customers": int(len(scores))}}
""",
    "duckdb": """
con = engine.connect("duckdb", memory_limit={memory_limit!r}, temp_directory={out!r} + "/spill")
orders = engine.read(con, {path!r})
both = engine.customer_tables(orders, as_of={as_of!r})
both.rfm.to_parquet({out!r} + "/rfm.parquet")
both.summary.to_parquet({out!r} + "/btyd.parquet")
import pyarrow.parquet as pq
result = {{"customers": pq.read_metadata({out!r} + "/rfm.parquet").num_rows}}
""",
    "spark": """
con = engine.connect("spark", session=engine.spark_session(driver_memory="3g"))
con.raw_sql("select 1")
session_seconds = time.perf_counter() - t0
t0, c0 = time.perf_counter(), tree_cpu()
orders = engine.read(con, {path!r})
both = engine.customer_tables(orders, as_of={as_of!r})
both.rfm.to_parquet({out!r} + "/rfm_spark")
both.summary.to_parquet({out!r} + "/btyd_spark")
result = {{"session_seconds": session_seconds}}
""",
}


#: CPU seconds (user + system) of the child and its processes (Spark's JVM). On a
#: loaded machine wall times stretch with the other processes' demand; CPU seconds much
#: less so, which makes their ratio the steadier comparison of the engines' work.
TREE_CPU = """
import psutil
def tree_cpu():
    me = psutil.Process()
    total = 0.0
    for p in [me, *me.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total
"""


def run_tree(code: str, setup: str = "") -> dict:
    """Run ``setup`` then, timed, ``code`` in a child Python (``seconds`` of wall time and
    ``cpu_seconds`` of the process tree; Spark's job restarts both clocks after its
    session start); sample the resident memory of the child's whole process tree
    (``peak_mb``)."""
    script = "\n".join(
        [
            "import json, time",
            textwrap.dedent(TREE_CPU).strip(),
            setup,
            "t0, c0 = time.perf_counter(), tree_cpu()",
            textwrap.dedent(code).strip(),
            "seconds, cpu_seconds = time.perf_counter() - t0, tree_cpu() - c0",
            'print(json.dumps({**result, "seconds": seconds, "cpu_seconds": cpu_seconds}))',
        ]
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        proc = psutil.Process(child.pid)
        while not done.is_set():
            try:
                tree = [proc, *proc.children(recursive=True)]
                total = 0
                for p in tree:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak[0] = max(peak[0], total)
            except psutil.Error:
                pass
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = child.communicate()
    done.set()
    thread.join()
    if child.returncode:
        raise RuntimeError(f"benchmark child failed:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak[0] / 2**20
    return result


def bench_fit(n_triples: int) -> dict:
    code = f"""
rng = np.random.default_rng(1)
sim = btyd.simulate_bgnbd({int(n_triples * 1.6)}, 52.0, seed=1)
T = rng.uniform(10, 78, len(sim)).round(4)
x = sim["frequency"].to_numpy(float)
t = np.minimum(sim["recency"].to_numpy(), T).round(4) * (x > 0)
data = pd.DataFrame({{"frequency": x, "recency": t, "T": T}})
pooled = data.groupby(["frequency", "recency", "T"]).size().rename("n").reset_index()
t0 = time.perf_counter()
fit = btyd.fit_bgnbd(pooled, weight="n")
result = {{"triples": len(pooled), "fit_seconds": time.perf_counter() - t0,
          "params": [round(v, 4) for v in fit.params], "converged": fit.converged}}
"""
    return run_tree(code, "import numpy as np, pandas as pd\nfrom crmlab import btyd")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", default="10M", help="lines of the 3-engine run (10M)")
    parser.add_argument("--engines", default="pandas,duckdb,spark")
    parser.add_argument("--with-100m", action="store_true", help="add DuckDB at --big-lines")
    parser.add_argument("--big-lines", default="100M", help="lines of the big run (100M)")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB limit of the big run")
    parser.add_argument("--fit-triples", default="1M", help="distinct triples of the fit")
    parser.add_argument("--workdir", default=None, help="folder for the data (default: tmp)")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    if "spark" in engines:
        from crmlab.engine import java_available

        try:
            import pyspark  # noqa: F401
        except ImportError:
            print("spark: skipped (pyspark not installed: pip install -r requirements-spark.txt)")
            engines.remove("spark")
        else:
            if not java_available():
                print("spark: skipped (no Java runtime)")
                engines.remove("spark")
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        n = size(args.lines)
        path = work / "orders.parquet"
        t0 = time.perf_counter()
        generate(path, n)
        mb = path.stat().st_size / 2**20
        print(f"generated {n:,} lines in {time.perf_counter() - t0:.1f} s ({mb:.0f} MiB Parquet)")
        rows = {}
        for engine in engines:
            out = work / f"out_{engine}"
            out.mkdir()
            code = JOBS[engine].format(path=str(path), as_of=AS_OF, out=str(out), memory_limit=None)
            rows[engine] = run_tree(code, SETUP[engine])
            r = rows[engine]
            extra = f" (+{r['session_seconds']:.1f} s session start)" if engine == "spark" else ""
            print(
                f"{engine:>7} {n:>12,} lines: {r['seconds']:7.1f} s{extra}, "
                f"{r['cpu_seconds']:7.1f} s CPU, {r['peak_mb']:7.0f} MiB peak"
            )
        if "pandas" in rows:
            base, base_cpu = rows["pandas"]["seconds"], rows["pandas"]["cpu_seconds"]
            for engine, r in rows.items():
                if engine != "pandas":
                    goal = " (goal: <= 0.35x)" if engine == "duckdb" else ""
                    print(
                        f"{engine}/pandas time: {r['seconds'] / base:.2f}x{goal}; "
                        f"CPU: {r['cpu_seconds'] / base_cpu:.2f}x"
                    )
        if args.with_100m:
            big = size(args.big_lines)
            path.unlink()
            big_path = work / "big.parquet"
            t0 = time.perf_counter()
            generate(big_path, big, seed=1)
            mb = big_path.stat().st_size / 2**20
            print(f"generated {big:,} lines in {time.perf_counter() - t0:.1f} s ({mb:.0f} MiB)")
            out = work / "out_big"
            out.mkdir()
            code = JOBS["duckdb"].format(
                path=str(big_path), as_of=AS_OF, out=str(out), memory_limit=args.memory_limit
            )
            r = run_tree(code, SETUP["duckdb"])
            print(
                f" duckdb {big:>12,} lines, memory_limit={args.memory_limit}: "
                f"{r['seconds']:.1f} s, {r['cpu_seconds']:.1f} s CPU, {r['peak_mb']:.0f} MiB "
                f"= {r['peak_mb'] * 2**20 / 1e9:.2f} GB peak (goals: < 120 s, < 2.5 GB); "
                f"{r['customers']:,} customers"
            )
        r = bench_fit(size(args.fit_triples))
        print(
            f"BG/NBD fit on {r['triples']:,} distinct triples: {r['fit_seconds']:.1f} s "
            f"(goal < 10 s), {r['peak_mb']:.0f} MiB; params {r['params']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
