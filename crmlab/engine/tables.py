"""The workbook's per-customer tables as Ibis expressions: the same names, arguments and
results as the pandas functions, on any engine Ibis drives (DuckDB, Spark, ...).

Each function takes Ibis tables with the workbook's column vocabulary and returns an
Ibis table (an unevaluated query); :func:`crmlab.engine.to_pandas` runs it. On the same
data the results equal the pandas path exactly (not approximately): money is summed in
whole cents (:mod:`crmlab._money`), days are whole days, ranks and ties follow the same
rules, and every float is one IEEE operation on exact integers, which pandas, DuckDB and
Spark compute alike.

| here | pandas path |
|---|---|
| :func:`rfm_table` | :func:`crmlab.segment.rfm_table` |
| :func:`rfm_scores` | :func:`crmlab.segment.rfm_scores` |
| :func:`value_tiers` | :func:`crmlab.segment_classes.value_tiers` |
| :func:`rfm_summary`, :func:`pooled_summary` | :func:`crmlab.btyd.rfm_summary` |
| :func:`customer_profit` | :func:`crmlab.segment.customer_profit` |
| :func:`cohort_counts` | :func:`crmlab.churn.cohort_retention` |
| :func:`life_counts` | :func:`crmlab.survival.survival_frame` |

The functions live in one module per topic (``_blocks``: money, days and the order check;
``rfm``; ``btyd_summary``; ``profit``; ``lifetimes``) and are gathered here.
"""

from crmlab.engine._blocks import cents, check_orders, days_between, money
from crmlab.engine.btyd_summary import pooled_summary, rfm_summary
from crmlab.engine.lifetimes import cohort_counts, life_counts
from crmlab.engine.profit import customer_profit
from crmlab.engine.rfm import TIERS, rfm_scores, rfm_table, value_tiers

__all__ = [
    "check_orders",
    "rfm_table",
    "rfm_scores",
    "value_tiers",
    "rfm_summary",
    "pooled_summary",
    "customer_profit",
    "cohort_counts",
    "life_counts",
    "cents",
    "days_between",
    "money",
    "TIERS",
]
