"""The CRM's schema as data: tables, columns, keys and rules, read from DuckDB's catalogue.

``schema.sql`` is the one source. It is loaded into an in-memory DuckDB database and read
back from DuckDB's catalogue functions (``duckdb_columns()``, ``duckdb_constraints()``), so
the loader's checks (:mod:`crmlab.crm.store`) and the entity-relationship diagram
(:mod:`crmlab.crm.diagram`) see exactly the constraints the database enforces.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import duckdb

__all__ = ["SCHEMA_SQL", "Column", "ForeignKey", "Table", "schema_sql", "read_schema", "catalogue"]

#: The file name of the schema inside the package (``crmlab/crm/schema.sql``).
SCHEMA_SQL = "schema.sql"


@dataclass(frozen=True)
class Column:
    """One column: its name, SQL type and whether it may be NULL."""

    name: str
    sql_type: str
    nullable: bool

    @property
    def is_money(self) -> bool:
        """Money in yuan: the schema's convention is that every DECIMAL column is money."""
        return self.sql_type.startswith("DECIMAL")


@dataclass(frozen=True)
class ForeignKey:
    """``columns`` of a table reference ``ref_columns`` of ``ref_table``."""

    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass
class Table:
    """A table of the schema, with its columns in order and its constraints."""

    name: str
    columns: list[Column]
    primary_key: tuple[str, ...] = ()
    unique: list[tuple[str, ...]] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    #: (columns the rule reads, SQL expression) of each CHECK constraint
    checks: list[tuple[tuple[str, ...], str]] = field(default_factory=list)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def schema_sql(path: str | Path | None = None) -> str:
    """The text of the CRM's schema (``crmlab/crm/schema.sql``), or of another SQL file.

    Parameters
    ----------
    path : str or Path, optional
        Another schema file; default the CRM's own.

    Returns
    -------
    str
        The SQL text.

    Examples
    --------
    >>> "CREATE TABLE customers" in schema_sql()
    True
    """
    if path is not None:
        return Path(path).read_text(encoding="utf-8")
    return resources.files("crmlab.crm").joinpath(SCHEMA_SQL).read_text(encoding="utf-8")


def _unique(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def read_schema(sql: str | None = None) -> dict[str, Table]:
    """Tables of a schema, in the order the SQL creates them, from DuckDB's catalogue.

    Parameters
    ----------
    sql : str, optional
        ``CREATE TABLE`` statements; default the CRM's schema (:func:`schema_sql`).

    Returns
    -------
    dict of str to Table
        In creation order (which is dependency order in the CRM's schema).

    Examples
    --------
    >>> tables = read_schema()
    >>> tables["orders"].primary_key, tables["orders"].foreign_keys[0].ref_table
    (('order_id',), 'customers')
    """
    return dict(_read_schema(schema_sql() if sql is None else sql))


@functools.lru_cache(maxsize=8)
def _read_schema(text: str) -> tuple[tuple[str, Table], ...]:
    con = duckdb.connect()
    try:
        con.execute(text)
        return tuple(catalogue(con, order=_created(text)).items())
    finally:
        con.close()


def _created(sql: str) -> list[str]:
    """Table names in the order the SQL text creates them."""
    return [m.lower() for m in re.findall(r"CREATE\s+TABLE\s+\"?(\w+)", sql, flags=re.I)]


def _dependency_order(tables: dict[str, Table], order: list[str]) -> dict[str, Table]:
    """Tables sorted so that each comes after the tables it references (ties: ``order``,
    then by name). A cycle other than a self-reference raises ValueError."""
    rank = {n: i for i, n in enumerate(order)}
    key = lambda n: (rank.get(n, len(rank)), n)  # noqa: E731
    needs = {
        n: {fk.ref_table for fk in t.foreign_keys if fk.ref_table != n} & set(tables)
        for n, t in tables.items()
    }
    done: list[str] = []
    while len(done) < len(tables):
        ready = sorted((n for n in tables if n not in done and needs[n] <= set(done)), key=key)
        if not ready:
            raise ValueError(f"foreign keys form a cycle among {sorted(set(tables) - set(done))}")
        done.append(ready[0])
    return {n: tables[n] for n in done}


def catalogue(con: duckdb.DuckDBPyConnection, order: list[str] | None = None) -> dict[str, Table]:
    """Tables of the main schema of an open DuckDB database, in dependency order.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open connection (a CRM built by :func:`crmlab.crm.build_crm`, or any database).
    order : list of str, optional
        Preferred order among tables that do not depend on each other (default: the
        order of the CRM's ``schema.sql``, then by name).

    Returns
    -------
    dict of str to Table

    Raises
    ------
    ValueError
        If foreign keys form a cycle between tables (a self-reference is allowed).

    Examples
    --------
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE TABLE z (id INTEGER PRIMARY KEY);"
    ...                 "CREATE TABLE a (id INTEGER PRIMARY KEY, z_id INTEGER REFERENCES z (id))")
    >>> list(catalogue(con, order=[]))  # z first: a references it
    ['z', 'a']
    """
    database = con.execute("SELECT current_database()").fetchone()[0]
    where = f"database_name = '{database}' AND schema_name = 'main'"
    names = [
        r[0]
        for r in con.execute(
            f"SELECT table_name FROM duckdb_tables() WHERE {where} AND NOT temporary "
            "ORDER BY table_oid"
        ).fetchall()
    ]
    tables = {n: Table(n, []) for n in names}
    for table, column, dtype, nullable in con.execute(
        "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
        f"WHERE {where} AND NOT internal ORDER BY table_oid, column_index"
    ).fetchall():
        if table in tables:
            tables[table].columns.append(Column(column, dtype, nullable))
    for table, kind, expression, columns, ref_table, ref_columns in con.execute(
        "SELECT table_name, constraint_type, expression, constraint_column_names, "
        "referenced_table, referenced_column_names FROM duckdb_constraints() "
        f"WHERE {where} ORDER BY table_oid, constraint_index"
    ).fetchall():
        if table not in tables:
            continue
        t = tables[table]
        cols = _unique(columns)
        if kind == "PRIMARY KEY":
            t.primary_key = cols
        elif kind == "UNIQUE":
            t.unique.append(cols)
        elif kind == "FOREIGN KEY":
            t.foreign_keys.append(ForeignKey(cols, ref_table, tuple(ref_columns)))
        elif kind == "CHECK":
            t.checks.append((cols, expression))
    return _dependency_order(tables, _created(schema_sql()) if order is None else order)
