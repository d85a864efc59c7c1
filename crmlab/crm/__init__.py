"""The company's CRM (客户关系管理系统) as a real database.

- :func:`build_crm` checks the company's tables against the schema
  (``crmlab/crm/schema.sql``: keys, foreign keys, CHECK rules) and loads them into a
  DuckDB file, losing nothing; :func:`read_crm` reads them back.
- :func:`customer_360` is the customer 360 view (客户信息管理), one SQL query.
- :func:`plot_schema` draws the entity-relationship diagram from the schema.
- :func:`find_duplicates` finds the customer records that are the same firm (Splink),
  :func:`linkage_quality` scores them against a true mapping.
- :mod:`crmlab.crm.operations`: the small tables of chapter 06 (win rates, the stage
  forecast against what was won, campaign frames, churn after a manager leaves or a
  follow-up visit, service times, profit by channel, what duplicates do to the tiers).
"""

from crmlab.crm._catalog import read_schema, schema_sql
from crmlab.crm.queries import customer_360, customer_360_sql
from crmlab.crm.store import CRMLoadError, build_crm, check_tables, read_crm

__all__ = [
    "schema_sql",
    "read_schema",
    "CRMLoadError",
    "check_tables",
    "build_crm",
    "read_crm",
    "customer_360_sql",
    "customer_360",
]
