"""The workbook's per-customer tables on order logs larger than memory (客户数据的规模化分析).

One set of Ibis expressions runs on DuckDB (embedded, the default: reads Parquet or CSV
files larger than memory under a ``memory_limit``) and on Spark (local mode or a
cluster). On the same data the results **equal** those of the pandas functions
(:func:`crmlab.segment.rfm_table`, :func:`crmlab.segment_classes.value_tiers`,
:func:`crmlab.btyd.rfm_summary`, :func:`crmlab.segment.customer_profit`,
:func:`crmlab.churn.cohort_retention`, the Kaplan-Meier life table): money is counted in
whole cents on both paths (:mod:`crmlab._money`).

Needs the optional dependencies: ``pip install 'crmlab[scale]'`` (Ibis with DuckDB) and,
for Spark, ``pip install 'crmlab[spark]'`` plus Java 17.

Examples
--------
>>> from crmlab import engine
>>> con = engine.connect("duckdb", memory_limit="2GB")            # doctest: +SKIP
>>> orders = engine.read(con, "orders.parquet")                    # doctest: +SKIP
>>> rfm = engine.rfm_table(orders, as_of="2024-12-31")             # doctest: +SKIP
>>> tiers = engine.value_tiers(engine.rfm_scores(rfm))             # doctest: +SKIP
>>> engine.to_pandas(tiers, index="customer_id")                   # doctest: +SKIP

Both tables of ``crmlab report`` (RFM with tiers, and the BTYD summary) from one check of
the log:

>>> both = engine.customer_tables(orders, as_of="2024-12-31")      # doctest: +SKIP
>>> both.rfm.to_parquet("rfm.parquet")                             # doctest: +SKIP
>>> both.summary.to_parquet("btyd.parquet")                        # doctest: +SKIP
"""

import warnings

try:
    import ibis  # noqa: F401
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(
        "crmlab.engine needs the optional dependencies: pip install 'crmlab[scale]'."
    ) from err

from crmlab.engine.backends import (
    ENGINES,
    cohort_retention,
    connect,
    java_available,
    life_table,
    read,
    spark_session,
    to_pandas,
)
from crmlab.engine.customers import CustomerTables, customer_tables
from crmlab.engine.tables import (
    cents,
    check_orders,
    cohort_counts,
    customer_profit,
    days_between,
    life_counts,
    pooled_summary,
    rfm_scores,
    rfm_summary,
    rfm_table,
    value_tiers,
)

# Ibis 12 reads a pandas option that pandas 3.1 deprecates, at every conversion of text
# to pandas; the warning is about Ibis's code, not the user's
warnings.filterwarnings(
    "ignore", message="The 'future.infer_string' option is deprecated", module="ibis"
)

__all__ = [
    "ENGINES",
    "connect",
    "read",
    "to_pandas",
    "spark_session",
    "java_available",
    "check_orders",
    "customer_tables",
    "CustomerTables",
    "rfm_table",
    "rfm_scores",
    "value_tiers",
    "rfm_summary",
    "pooled_summary",
    "customer_profit",
    "cohort_counts",
    "cohort_retention",
    "life_counts",
    "life_table",
    "cents",
    "days_between",
]
