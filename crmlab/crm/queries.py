"""Queries on the CRM database: the customer 360 view (客户信息管理).

The SQL lives in ``crmlab/crm/customer_360.sql`` (shown by :func:`customer_360_sql`, so a
notebook can print it and students can run it themselves).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

__all__ = ["customer_360_sql", "customer_360"]


def customer_360_sql() -> str:
    """The text of the customer 360 query (``crmlab/crm/customer_360.sql``).

    Returns
    -------
    str

    Examples
    --------
    >>> customer_360_sql().splitlines()[0]
    '-- The customer 360 view (客户信息管理): one row per firm with what the CRM knows about it.'
    """
    return resources.files("crmlab.crm").joinpath("customer_360.sql").read_text(encoding="utf-8")


def customer_360(
    con: duckdb.DuckDBPyConnection | str | Path, customer_id: str | None = None
) -> pd.DataFrame:
    """The customer 360 view: per firm its profile, consumption, satisfaction, credit and
    arrears, credit list, churn status, ABC class, key-account flag and account manager.

    One SQL query (:func:`customer_360_sql`, where each column is defined) over the CRM
    built by :func:`crmlab.crm.build_crm`. The ABC class and the key-account flag rank a
    firm among all firms, so they are the same whether one firm or all are asked for.

    Parameters
    ----------
    con : duckdb connection, str or Path
        An open connection to the CRM database, or the path of its file (opened read-only).
    customer_id : str, optional
        One firm; default all, largest revenue first.

    Returns
    -------
    DataFrame
        One row per firm (none for an unknown ``customer_id``), columns as in the SQL.

    Raises
    ------
    FileNotFoundError
        If a path is given and there is no such file.
    TypeError
        If ``customer_id`` is not a string.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from crmlab.crm import build_crm
    >>> customers = pd.DataFrame({"customer_id": ["C1"], "region": ["europe"],
    ...     "industry": ["wholesaler"], "size": ["small"], "channel": ["online"],
    ...     "acquisition_date": pd.to_datetime(["2020-01-01"]), "payment_terms_days": [30],
    ...     "status": ["active"], "manager_id": [None], "credit_limit": [1000.0]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "crm.duckdb"
    >>> _ = build_crm({"customers": customers}, path)
    >>> customer_360(path)[["customer_id", "revenue", "abc_class", "key_account"]]
      customer_id  revenue abc_class  key_account
    0          C1      0.0         C         True
    """
    if customer_id is not None and not isinstance(customer_id, str):
        raise TypeError(f"customer_id must be a string such as 'C000001', got {customer_id!r}.")
    own = not isinstance(con, duckdb.DuckDBPyConnection)
    if own:
        path = Path(con)
        if not path.is_file():
            raise FileNotFoundError(f"no CRM database at {path}")
        con = duckdb.connect(str(path), read_only=True)
    try:
        result = con.execute(customer_360_sql(), {"customer_id": customer_id}).df()
    finally:
        if own:
            con.close()
    for col in result.columns[result.dtypes == "object"]:
        result[col] = result[col].astype("str").where(result[col].notna())
    for col in ("revenue", "credit_limit", "arrears", "overdue"):
        result[col] = result[col].astype("float64")
    for col in (
        "acquisition_date",
        "last_order_date",
        "listed_since",
        "churn_date",
        "manager_since",
    ):
        result[col] = pd.to_datetime(result[col]).astype("datetime64[ns]")
    for col in ("n_orders", "value_rank"):
        result[col] = result[col].astype("int64")
    for col in ("survey_wave", "overall_sat", "recommend", "max_days_overdue"):
        result[col] = result[col].astype("Int64")
    result["key_account"] = result["key_account"].astype(bool)
    result["manager_left"] = result["manager_left"].astype("boolean")
    return result
