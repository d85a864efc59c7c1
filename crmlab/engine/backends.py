"""Engines: DuckDB embedded (the default; files larger than memory, a ``memory_limit``)
and Spark in local mode or on a cluster, both through Ibis; reading order logs from
Parquet or CSV; bringing results back to pandas in the shape of the pandas path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import ibis
import numpy as np
import pandas as pd

from crmlab._labels import RFM_SEGMENTS, TIERS

__all__ = ["connect", "read", "to_pandas", "spark_session", "java_available", "ENGINES"]

ENGINES = ("duckdb", "spark")


def java_available() -> bool:
    """True if a Java runtime (needed by Spark) is on the PATH or in ``JAVA_HOME``.

    Examples
    --------
    >>> isinstance(java_available(), bool)
    True
    """
    home = os.environ.get("JAVA_HOME")
    return bool(shutil.which("java") or (home and Path(home, "bin", "java").exists()))


def spark_session(*, master: str = "local[2]", driver_memory: str = "2g", app: str = "crmlab"):
    """A Spark session for Ibis: ``local[2]`` by default, dates and times in UTC.

    Raises
    ------
    ImportError
        If pyspark is not installed (``pip install 'crmlab[spark]'``).
    RuntimeError
        If no Java runtime is found (Spark 4 needs Java 17 or later).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise ImportError(
            "the Spark engine needs pyspark: pip install 'crmlab[spark]' (and Java 17)."
        ) from err
    if not java_available():
        raise RuntimeError(
            "the Spark engine needs a Java runtime (17 or later) and none was found on the "
            "PATH or in JAVA_HOME; on Debian: apt-get install openjdk-17-jre-headless."
        )
    return (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )


def connect(
    engine: str = "duckdb",
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory: str | None = None,
    settings: dict | None = None,
    session=None,
):
    """An Ibis connection to ``engine``.

    Parameters
    ----------
    engine : {"duckdb", "spark"}
    memory_limit : str, optional
        DuckDB's memory limit, e.g. ``"2GB"``; beyond it DuckDB spills to
        ``temp_directory`` (so files larger than memory work).
    threads : int, optional
        DuckDB threads (default: all cores).
    settings : dict, optional
        Further DuckDB settings, e.g. ``{"perfect_ht_threshold": 12}``; they override
        the defaults set here (``preserve_insertion_order=False``,
        ``perfect_ht_threshold=20``; with a ``memory_limit`` also
        ``allocator_background_threads=True`` and ``allocator_flush_threshold="32MB"``).
    session : SparkSession, optional
        For ``engine="spark"``: default :func:`spark_session` (``local[2]``).

    Examples
    --------
    >>> con = connect("duckdb", memory_limit="1GB", settings={"perfect_ht_threshold": 16})
    >>> con.name
    'duckdb'
    >>> con.sql("SELECT current_setting('perfect_ht_threshold') AS b").to_pandas()["b"].item()
    16
    """
    if engine == "duckdb":
        # results come back unordered anyway (to_pandas sorts): not keeping the order of
        # the input lets DuckDB write large results with less memory
        config: dict = {"preserve_insertion_order": False}
        # group integer keys spanning up to 2**20 values (a million customer ids) in a
        # "perfect" hash table, an array indexed by the key (DuckDB's default: 2**12):
        # the per-customer pass of rfm_table took about 17% less CPU at 10 M lines. The
        # array is allocated whole for each thread (2**20 aggregate states, some 60 MB)
        # and is not spilled, hence no more than 20 bits
        config["perfect_ht_threshold"] = 20
        if memory_limit is not None:
            config["memory_limit"] = str(memory_limit)
            # under a limit, give freed memory back to the system soon: DuckDB's
            # allocator keeps what its threads free, and memory_limit counts only the
            # buffers DuckDB manages. With background purging, and caches flushed after a
            # task that peaked past 32 MB (default 128 MB), the 100 M-line benchmark under
            # memory_limit="2GB" peaked at 2,305-2,373 MiB over three quiet runs, against
            # 2,481-2,588 MiB without (benchmarks/bench_engine.py; a variant of the query
            # on a loaded machine: 2,275-2,372 with these settings, 2,501-2,819 without).
            # Without a limit they are left at DuckDB's defaults: they cost about 0.1 s
            # of 3.6 s at 10 M lines
            config["allocator_background_threads"] = True
            config["allocator_flush_threshold"] = "32MB"
        if threads is not None:
            config["threads"] = int(threads)
        if temp_directory is not None:
            config["temp_directory"] = str(temp_directory)
        config.update(settings or {})
        return ibis.duckdb.connect(**config)
    if engine == "spark":
        if settings:
            raise ValueError(
                f"settings {sorted(settings)} are DuckDB settings; configure Spark through "
                "its session (spark_session, or session=)."
            )
        return ibis.pyspark.connect(session if session is not None else spark_session())
    raise ValueError(f"engine must be one of {list(ENGINES)}, got {engine!r}.")


def read(con, path: str | os.PathLike, *, table_name: str | None = None) -> ibis.Table:
    """An order log (or any table) from a Parquet file or folder, or a CSV file (``.csv``,
    ``.csv.gz``), as an Ibis table on ``con``; nothing is loaded into memory yet.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file type is not Parquet or CSV, or (on Spark) a Parquet file holds
        nanosecond timestamps.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "orders.csv"
    >>> lines = ["customer_id,order_date,amount", "A,2024-01-05,19.99", ""]
    >>> _ = path.write_text(chr(10).join(lines))
    >>> orders = read(connect(), path)
    >>> orders.schema()["order_date"], orders.count().execute()
    (Date(nullable=True), 1)
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no such file or folder: {str(p)!r}.")
    name = p.name.lower()
    if p.is_dir() or name.endswith(".parquet") or name.endswith(".pq"):
        if con.name == "pyspark":
            _refuse_nanoseconds(p)
        source = str(p / "*.parquet") if p.is_dir() and con.name == "duckdb" else str(p)
        return con.read_parquet(source, table_name=table_name)
    if name.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
        if con.name == "pyspark":
            return con.read_csv(str(p), table_name=table_name, header=True, inferSchema=True)
        return con.read_csv(str(p), table_name=table_name)
    raise ValueError(f"{str(p)!r} is neither Parquet (.parquet, a folder) nor CSV (.csv).")


def _refuse_nanoseconds(path: Path) -> None:
    """Spark cannot read nanosecond timestamps from Parquet (pandas writes them by
    default): say so, and how to rewrite the file, instead of Spark's type error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    first = next(iter(sorted(path.glob("*.parquet"))), None) if path.is_dir() else path
    if first is None:
        return
    schema = pq.read_schema(first)
    bad = [f.name for f in schema if pa.types.is_timestamp(f.type) and f.type.unit == "ns"]
    if bad:
        raise ValueError(
            f"columns {bad} of {str(path)!r} hold nanosecond timestamps, which Spark cannot "
            "read. Rewrite the file with microseconds, e.g. pyarrow.parquet.write_table(table, "
            "path, coerce_timestamps='us'), or store dates."
        )


def to_pandas(expr: ibis.Table, *, index: str | None = None, sort: bool = True) -> pd.DataFrame:
    """Run ``expr`` and return a DataFrame shaped like the pandas path: indexed by
    ``index`` (sorted, as ``groupby`` sorts) with counts as int64 and timestamps at
    nanoseconds; ``segment``, ``tier`` and ``abc`` as the same ordered categoricals.

    Examples
    --------
    >>> t = ibis.memtable(pd.DataFrame({"customer_id": ["B", "A"], "n_orders": [1, 2]}))
    >>> to_pandas(t, index="customer_id")
                 n_orders
    customer_id
    A                   2
    B                   1
    """

    frame = expr.to_pandas()
    for col in frame.columns:
        kind = frame[col].dtype
        if pd.api.types.is_datetime64_any_dtype(kind):
            frame[col] = frame[col].astype("datetime64[ns]")
        elif pd.api.types.is_integer_dtype(kind) and col not in (index,):
            frame[col] = frame[col].astype("int64")
    cats = {
        "segment": pd.CategoricalDtype([s[0] for s in RFM_SEGMENTS]),
        "tier": pd.CategoricalDtype(list(TIERS), ordered=True),
        "abc": pd.CategoricalDtype(["A", "B", "C"], ordered=True),
    }
    for col, dtype in cats.items():
        if col in frame.columns:
            frame[col] = frame[col].astype(dtype)
    if index is not None:
        frame = frame.set_index(index)
        if sort:
            frame = frame.sort_index(kind="stable")
    return frame


def cohort_retention(counts: pd.DataFrame | ibis.Table, *, as_of: object) -> pd.DataFrame:
    """The cohort retention table of :func:`crmlab.churn.cohort_retention` from the counts
    of :func:`crmlab.engine.cohort_counts` (a small table: cohorts x months).

    Examples
    --------
    Two customers won in January 2024 (month 24288 since year 0), one lost in its
    second month:

    >>> counts = pd.DataFrame({"cohort": [24288, 24288], "age_lost": [1.0, np.nan],
    ...                        "n_customers": [1, 1]})
    >>> cohort_retention(counts, as_of="2024-03-31")
             size    0    1    2
    cohort
    2024-01     2  1.0  0.5  0.5
    """
    if isinstance(counts, ibis.Table):
        counts = counts.to_pandas()
    if counts.empty:
        raise ValueError("no customer was acquired between start and as_of.")
    as_of_ts = pd.Timestamp(as_of)
    as_of_m = as_of_ts.year * 12 + as_of_ts.month - 1
    cohort = counts["cohort"].to_numpy(dtype=np.int64)
    lost = counts["age_lost"].to_numpy(dtype=float, na_value=np.inf)
    n = counts["n_customers"].to_numpy(dtype=np.int64)
    labels = [f"{c // 12:04d}-{c % 12 + 1:02d}" for c in cohort]
    frame = pd.DataFrame({"cohort": labels, "age": as_of_m - cohort, "lost": lost, "n": n})
    size = frame.groupby("cohort")["n"].sum()
    ages = frame.groupby("cohort")["age"].first()
    out = {}
    for k in range(int(ages.max()) + 1):
        alive = frame.loc[frame["lost"] > k].groupby("cohort")["n"].sum()
        share = alive.reindex(size.index, fill_value=0) / size
        out[k] = share.where(ages >= k)
    table = pd.DataFrame(out)
    table.insert(0, "size", size.astype("int64"))
    return table.rename_axis("cohort")


def life_table(counts: pd.DataFrame | ibis.Table) -> pd.DataFrame:
    """Kaplan-Meier life table from the pooled counts of :func:`crmlab.engine.life_counts`.

    One row per tenure with a churn event: ``n_at_risk`` (customers with ``entry <
    tenure <= their tenure``: left-truncated customers join the risk set late),
    ``n_churned``, ``n_censored`` (censored at that tenure) and ``survival``, the
    product-limit estimate ``S(t) = prod(1 - d_i / n_i)`` over event times up to ``t``.

    Examples
    --------
    Four customers: churned at 1 and at 2, censored at 2 and at 3 (S = 3/4, then 3/4 x 1/2):

    >>> counts = pd.DataFrame({"entry": 0, "tenure": [1, 2, 2, 3], "churned": [1, 1, 0, 0],
    ...                        "n_customers": 1})
    >>> life_table(counts)
            n_at_risk  n_churned  n_censored  survival
    tenure
    1               4          1           0     0.75
    2               3          1           1     0.50
    """
    if isinstance(counts, ibis.Table):
        counts = counts.to_pandas()
    entry = counts["entry"].to_numpy(np.int64)
    tenure = counts["tenure"].to_numpy(np.int64)
    churned = counts["churned"].to_numpy(np.int64)
    n = counts["n_customers"].to_numpy(np.int64)
    times = np.unique(tenure[churned == 1])
    # at risk at t: tenure >= t and entry < t
    order_t = np.argsort(tenure)
    cum_t = np.concatenate([[0], np.cumsum(n[order_t])])
    at_or_after = cum_t[-1] - cum_t[np.searchsorted(tenure[order_t], times, side="left")]
    order_e = np.argsort(entry)
    cum_e = np.concatenate([[0], np.cumsum(n[order_e])])
    entered_late = cum_e[-1] - cum_e[np.searchsorted(entry[order_e], times, side="left")]
    # customers with entry >= t are among those with tenure >= t (entry < tenure)
    at_risk = at_or_after - entered_late
    events = pd.Series(n * churned).groupby(tenure).sum().reindex(times, fill_value=0)
    censored = pd.Series(n * (1 - churned)).groupby(tenure).sum().reindex(times, fill_value=0)
    d = events.to_numpy(np.int64)
    survival = np.cumprod(1.0 - d / at_risk)
    return pd.DataFrame(
        {
            "n_at_risk": at_risk.astype(np.int64),
            "n_churned": d,
            "n_censored": censored.to_numpy(np.int64),
            "survival": survival,
        },
        index=pd.Index(times, name="tenure"),
    )
