"""Build the company's CRM as a DuckDB database file, and read it back.

:func:`build_crm` checks every table against the schema before it loads anything, then
loads the tables in one transaction into a database that enforces the same constraints,
then checks that nothing was lost (row counts and the sum of every money column, to the
cent). :func:`read_crm` returns the tables as DataFrames with the workbook's dtypes, so
``read_crm(path)`` equals the tables given to ``build_crm`` (the round trip).

Why check before loading when the database enforces the constraints anyway: DuckDB 1.4
stops at the first violation and names the key but not the row, nor how many rows are
bad (see :func:`build_crm`'s Notes for the messages measured); the checks here report,
for every constraint, the column, how many rows break it and the first rows by their
label in the DataFrame. They are derived from the schema's own catalogue
(:mod:`crmlab.crm._catalog`), run as SQL over the DataFrames, so they cannot drift from
what the database enforces.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from crmlab._schema import TABLE_SCHEMAS
from crmlab._validate import format_rows
from crmlab.crm._catalog import Table, catalogue, read_schema, schema_sql

__all__ = ["CRMLoadError", "check_tables", "build_crm", "read_crm"]

_SHOWN = 5  # offending rows shown per problem


class CRMLoadError(ValueError):
    """Rows that break the CRM's schema; ``problems`` lists each broken rule.

    ``problems`` has one row per broken rule: ``table``, ``column`` (the columns the rule
    reads, comma separated), ``rule`` (the constraint in SQL), ``n_rows`` (how many rows
    break it) and ``rows`` (the first row labels of the DataFrame that break it).
    """

    def __init__(self, problems: pd.DataFrame):
        self.problems = problems
        lines = [
            f"table {p.table!r}, column {p.column!r}: {p.n_rows} row(s) break {p.rule}: "
            f"rows {p.rows}{p.values}"
            for p in problems.itertuples()
        ]
        shown = "\n  ".join(lines[:20])
        more = f"\n  ... and {len(lines) - 20} more problems" if len(lines) > 20 else ""
        super().__init__(
            f"{len(lines)} problem(s) in the tables; nothing was loaded:\n  {shown}{more}"
        )


def _q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _is_truth(name: str) -> bool:
    return name == "truth" or name.startswith("truth_")


def _crm_tables(tables: Mapping[str, pd.DataFrame], schema: dict[str, Table]) -> list[str]:
    """Names of the given CRM tables in schema order; unknown names raise."""
    if not isinstance(tables, Mapping):
        raise TypeError(f"tables must be a dict of DataFrames, got {type(tables).__name__}.")
    unknown = [n for n in tables if n not in schema and not _is_truth(n)]
    if unknown:
        raise ValueError(
            f"tables {unknown} are not tables of the CRM schema {list(schema)} "
            "(truth tables are skipped: the CRM never holds them)."
        )
    for name in tables:
        if not _is_truth(name) and not isinstance(tables[name], pd.DataFrame):
            raise TypeError(f"table {name!r} must be a DataFrame, got {type(tables[name])}.")
    return [n for n in schema if n in tables]


def _check_columns(name: str, frame: pd.DataFrame, table: Table) -> None:
    columns = [str(c) for c in frame.columns]
    missing = [c for c in table.column_names if c not in columns]
    if missing:
        raise KeyError(
            f"table {name!r} lacks columns {missing}; the schema's columns: {table.column_names}."
        )
    extra = [c for c in columns if c not in table.column_names]
    if extra:
        raise ValueError(
            f"table {name!r} has columns {extra} that the schema does not hold "
            "(nothing is dropped silently: remove them or add them to schema.sql)."
        )
    if len(set(columns)) != len(columns):
        raise ValueError(f"table {name!r} has duplicated column names {columns}.")


def _register(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, table: Table):
    """Register a table as the view ``typed_<name>``: ``__row`` (the position), each column
    cast to its SQL type (NULL where the cast fails) and, as ``"raw:<column>"``, as given."""
    src = frame.reset_index(drop=True)
    src.columns = [str(c) for c in src.columns]
    src["__row"] = np.arange(len(src), dtype=np.int64)
    con.register(f"src_{name}", src)
    types = dict(
        con.execute(f"SELECT column_name, column_type FROM (DESCRIBE src_{name})").fetchall()
    )
    cols = ", ".join(
        f"TRY_CAST({_q(c.name)} AS {c.sql_type}) AS {_q(c.name)}, "
        f"{_q(c.name)} AS {_q('raw:' + c.name)}"
        for c in table.columns
    )
    con.execute(f"CREATE TEMP VIEW {_q('typed_' + name)} AS SELECT __row, {cols} FROM src_{name}")
    return types


def _describe(con, frame, name, columns, rule, where, source, n):
    """The problem record: the first rows of ``source`` matching ``where``."""
    positions = [
        r[0]
        for r in con.execute(
            f"SELECT __row FROM {source} WHERE {where} ORDER BY __row LIMIT {_SHOWN}"
        ).fetchall()
    ]
    shown = frame.iloc[positions][list(columns)]
    values = "; ".join(
        ", ".join(f"{c}={v!r}" for c, v in zip(columns, row, strict=True))
        for row in shown.itertuples(index=False)
    )
    return {
        "table": name,
        "column": ", ".join(columns),
        "rule": rule,
        "n_rows": int(n),
        "rows": format_rows(frame.index[positions]),
        "values": f" ({values})",
    }


def _row_rules(table: Table, source_types: dict[str, str]) -> list[tuple[list[str], str, str]]:
    """(columns, rule, SQL condition true on a bad row) of every rule about single rows."""
    rules = []
    for col in table.columns:
        c, raw = _q(col.name), _q("raw:" + col.name)
        # the value must survive the cast to the column's type and back unchanged
        lossy = (
            f"{raw} IS NOT NULL AND TRY_CAST({c} AS {source_types[col.name]}) "
            f"IS DISTINCT FROM {raw}"
        )
        rules.append(([col.name], f"type {col.sql_type} (not convertible without loss)", lossy))
        if not col.nullable or col.name in table.primary_key:
            rules.append(([col.name], "NOT NULL", f"{raw} IS NULL"))
    for columns, expression in table.checks:
        rules.append((list(columns), f"CHECK {expression}", f"NOT ({expression})"))
    return rules


def check_tables(tables: Mapping[str, pd.DataFrame], *, schema_path=None) -> None:
    """Check the tables against the CRM's schema, as :func:`build_crm` does before loading.

    Every rule of the schema is checked on every given table: the columns (exactly the
    schema's), the types (each value must convert to its SQL type without loss: a date
    without a time of day, money in whole cents, a whole number for an INTEGER), NOT NULL,
    the CHECK constraints (non-negative amounts, valid levels, the order of dates), primary
    and unique keys (no duplicates) and foreign keys (every reference found in the table it
    references). Tables named ``truth`` or ``truth_*`` are skipped.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Tables by name, e.g. the dict :func:`crmlab.simulate.simulate_company` returns.
        A schema table that is not given counts as empty.
    schema_path : str or Path, optional
        Another schema file (default the CRM's ``schema.sql``).

    Returns
    -------
    None

    Raises
    ------
    KeyError
        A table lacks a column of the schema (naming table and columns).
    ValueError
        A table name or column the schema does not know.
    CRMLoadError
        (a ``ValueError``) rows that break the schema: every broken rule with its table,
        columns, number of rows and the first row labels and values.

    Examples
    --------
    >>> managers = pd.DataFrame({"manager_id": ["M001", "M001"], "region": ["europe", "mars"],
    ...     "hire_date": pd.to_datetime(["2020-01-01", "2021-01-01"]), "leave_date": pd.NaT})
    >>> try:
    ...     check_tables({"managers": managers})
    ... except CRMLoadError as error:
    ...     print(error.problems[["table", "column", "n_rows", "rows"]].to_string(index=False))
        table     column  n_rows   rows
     managers     region       1    [1]
     managers manager_id       2 [0, 1]
    """
    schema = read_schema(schema_sql(schema_path))
    names = _crm_tables(tables, schema)
    for name in names:
        _check_columns(name, tables[name], schema[name])
    con = duckdb.connect()
    try:
        problems = _find_problems(con, tables, names, schema)
    finally:
        con.close()
    if problems:
        raise CRMLoadError(pd.DataFrame(problems))


def _find_problems(con, tables, names, schema) -> list[dict]:
    problems: list[dict] = []
    source_types = {n: _register(con, n, tables[n], schema[n]) for n in names}
    for name in names:
        table, frame = schema[name], tables[name]
        typed = _q("typed_" + name)
        rules = _row_rules(table, source_types[name])
        # one pass over the table counts the rows breaking each rule
        counts = con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE {where})" for _, _, where in rules)
            + f" FROM {typed}"
        ).fetchone()
        for (columns, rule, where), n in zip(rules, counts, strict=True):
            if n:
                problems.append(_describe(con, frame, name, columns, rule, where, typed, n))
        keys = [("PRIMARY KEY", table.primary_key)] if table.primary_key else []
        keys += [("UNIQUE", cols) for cols in table.unique]
        for kind, cols in keys:
            part = ", ".join(_q(c) for c in cols)
            not_null = " AND ".join(f"{_q(c)} IS NOT NULL" for c in cols)
            source = (
                f"(SELECT *, count(*) OVER (PARTITION BY {part}) AS __n FROM {typed} "
                f"WHERE {not_null})"
            )
            rule = f"{kind} ({', '.join(cols)}): duplicated key"
            n = con.execute(f"SELECT count(*) FROM {source} WHERE __n > 1").fetchone()[0]
            if n:
                problems.append(_describe(con, frame, name, list(cols), rule, "__n > 1", source, n))
        for fk in table.foreign_keys:
            not_null = " AND ".join(f"t.{_q(c)} IS NOT NULL" for c in fk.columns)
            if fk.ref_table in names:
                match = " AND ".join(
                    f"r.{_q(rc)} = t.{_q(c)}"
                    for c, rc in zip(fk.columns, fk.ref_columns, strict=True)
                )
                ref = _q("typed_" + fk.ref_table)
                where = f"{not_null} AND NOT EXISTS (SELECT 1 FROM {ref} r WHERE {match})"
                given = ""
            else:
                where, given = not_null, f" (table {fk.ref_table!r} was not given)"
            rule = (
                f"FOREIGN KEY ({', '.join(fk.columns)}) REFERENCES "
                f"{fk.ref_table} ({', '.join(fk.ref_columns)}): key not found{given}"
            )
            source = f"{typed} AS t"
            n = con.execute(f"SELECT count(*) FROM {source} WHERE {where}").fetchone()[0]
            if n:
                problems.append(
                    _describe(con, frame, name, list(fk.columns), rule, where, source, n)
                )
    return problems


def _cents(values: pd.Series) -> int:
    """Exact sum of money values in whole cents."""
    arr = pd.to_numeric(values).to_numpy(dtype=float, na_value=np.nan)
    arr = arr[~np.isnan(arr)]
    return int(np.round(arr * 100).astype(np.int64).sum())


def build_crm(
    tables: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    overwrite: bool = False,
    check: bool = True,
    schema_path: str | Path | None = None,
) -> pd.DataFrame:
    """Build the CRM database file from the company's tables.

    Four steps: check every table against the schema (:func:`check_tables`; skipped with
    ``check=False``), create the schema's tables, load the tables in schema order (all or
    nothing: on any error the file is removed; not one transaction, because DuckDB 1.4
    checks a foreign key against committed rows only, so a table loaded in the same
    transaction as the table it references fails), then check that
    nothing was lost: each table's row count and the sum of each money column, to the
    cent, equal what was given.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Tables by name (e.g. :func:`crmlab.simulate.simulate_company`'s result); truth
        tables are skipped; a schema table not given is created empty.
    path : str or Path
        The database file to write (DuckDB).
    overwrite : bool
        Replace an existing file (default: refuse).
    check : bool
        Run :func:`check_tables` first (default). Without it, the database's own
        constraints still reject bad rows, with DuckDB's terser messages (Notes).
    schema_path : str or Path, optional
        Another schema file (default the CRM's ``schema.sql``).

    Returns
    -------
    DataFrame
        The load report: one row per table and check (``rows``, ``sum(<money column>)``)
        with ``given`` and ``loaded`` (equal, else an error is raised).

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.
    KeyError, ValueError, CRMLoadError
        From :func:`check_tables`: the table, column and first rows of every problem.
    duckdb.ConstraintException
        With ``check=False``, the first row the database rejects.
    RuntimeError
        If a row count or a money sum differs after the load (a bug, never expected).

    Notes
    -----
    DuckDB 1.4.5's own messages for the same faults (measured; the load then stops at the
    first fault): a broken foreign key ``Violates foreign key constraint because key "id:
    C9" does not exist in the referenced table`` (the referenced column, not the row); a
    duplicate ``PRIMARY KEY or UNIQUE constraint violation: duplicate key "O1"``; a CHECK
    ``CHECK constraint failed on table o with expression CHECK((amount >= 0))`` (no value);
    a NULL ``NOT NULL constraint failed: o.amount``. None names the row or counts the bad
    rows. Loading enforces the keys all the same: in a file database the foreign keys
    cost about as much again as the rest of the insert (measured on 200,000 order lines).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> managers = pd.DataFrame({"manager_id": ["M001"], "region": ["europe"],
    ...     "hire_date": pd.to_datetime(["2020-01-01"]), "leave_date": pd.NaT})
    >>> report = build_crm({"managers": managers}, folder / "crm.duckdb")
    >>> report.query("table == 'managers'").reset_index(drop=True)
          table check  given  loaded
    0  managers  rows    1.0     1.0
    """
    path = Path(path)
    schema = read_schema(schema_sql(schema_path))
    names = _crm_tables(tables, schema)
    for name in names:
        _check_columns(name, tables[name], schema[name])
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists: pass overwrite=True to replace it.")
    if check:
        check_tables({n: tables[n] for n in names}, schema_path=schema_path)
    path.unlink(missing_ok=True)
    wal = path.with_name(path.name + ".wal")
    if wal.exists() and overwrite:
        wal.unlink()
    # no progress bar: in Jupyter DuckDB draws a widget that would be stored as an output
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    try:
        con.execute(schema_sql(schema_path))
        for name in names:
            _insert(con, name, tables[name], schema[name])
        report = _load_report(con, tables, names, schema)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        path.unlink(missing_ok=True)
        wal.unlink(missing_ok=True)
        raise
    con.close()
    return report


def _insert(con, name: str, frame: pd.DataFrame, table: Table) -> None:
    """Insert a table; a table that references itself (a return names the order it
    returns) goes in generations, referenced rows first, because DuckDB checks a foreign
    key against rows already in the table, not against rows of the same statement."""
    cols = ", ".join(_q(c.name) for c in table.columns)
    casts = ", ".join(f"CAST({_q(c.name)} AS {c.sql_type})" for c in table.columns)
    frame = frame.reset_index(drop=True)
    own = [fk for fk in table.foreign_keys if fk.ref_table == name]
    pending = np.ones(len(frame), dtype=bool)
    while pending.any():
        part = pending.copy()
        for fk in own:
            # ready: the reference is empty or points to a row already inserted
            refs = [frame[c].to_numpy(dtype=object) for c in fk.columns]
            empty = np.zeros(len(frame), dtype=bool)
            for r in refs:
                empty |= pd.isna(r)
            if empty.all():
                continue
            keys = pd.MultiIndex.from_arrays(
                [frame[c].to_numpy(dtype=object)[~pending] for c in fk.ref_columns]
            )
            part &= empty | pd.MultiIndex.from_arrays(refs).isin(keys)
        if not part.any():
            rows = format_rows(frame.index[pending])
            raise ValueError(f"table {name!r}: rows {rows} reference each other in a cycle.")
        con.register("__src", frame if part.all() else frame[part])
        con.execute(f"INSERT INTO {_q(name)} ({cols}) SELECT {casts} FROM __src")
        con.unregister("__src")
        pending &= ~part


def _load_report(con, tables, names, schema) -> pd.DataFrame:
    rows = []
    for name, table in schema.items():
        money = [c.name for c in table.columns if c.is_money]
        sums = "".join(f", sum({_q(c)})" for c in money)
        loaded = con.execute(f"SELECT count(*){sums} FROM {_q(name)}").fetchone()
        given_rows = len(tables[name]) if name in names else 0
        rows.append((name, "rows", given_rows, loaded[0]))
        for col, total in zip(money, loaded[1:], strict=True):
            given = _cents(tables[name][col]) if name in names else 0
            cents = int(round(total * 100)) if total is not None else 0
            rows.append((name, f"sum({col})", given, cents))
    report = pd.DataFrame(rows, columns=["table", "check", "given", "loaded"])
    bad = report[report["given"] != report["loaded"]]
    if len(bad):
        raise RuntimeError(f"the load lost data (a bug): {bad.to_dict('records')}")
    money = report["check"] != "rows"
    report = report.astype({"given": float, "loaded": float})
    report.loc[money, ["given", "loaded"]] /= 100  # cents -> yuan
    return report


# ------------------------------------------------------------------- reading it back
_ORDERED = {"size", "stage_reached", "relationship"}


def _levels(expression: str, column: str) -> list[str] | None:
    """The levels of a ``column IN ('a', 'b')`` CHECK, else None."""
    import re

    m = re.fullmatch(rf"\(?\"?{re.escape(column)}\"? IN \((.*)\)\)?", expression.strip())
    if not m:
        return None
    return re.findall(r"'((?:[^']|'')*)'", m.group(1))


def _to_pandas(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Give each column the workbook's dtype for its SQL type and nullability."""
    # the workbook's dtypes from the SQL schema alone (not crmlab._schema.apply_schema),
    # so that a table the simulator has not declared yet reads back all the same
    out = {}
    for col in table.columns:
        s = frame[col.name]
        t = col.sql_type
        if t in ("DATE",) or t.startswith("TIMESTAMP"):
            s = pd.to_datetime(s).astype("datetime64[ns]")
        elif t in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
            s = s.astype("int64" if not col.nullable else "Int64")
        elif t == "BOOLEAN":
            s = s.astype("bool" if not col.nullable else "boolean")
        elif t == "DOUBLE" or t.startswith("DECIMAL") or t in ("FLOAT", "REAL"):
            s = s.astype("float64")
        elif t == "VARCHAR":
            s = s.astype("str").where(s.notna())
        out[col.name] = s
    result = pd.DataFrame(out, columns=table.column_names)
    for col, levels in category_levels(table).items():
        result[col] = result[col].astype(
            pd.CategoricalDtype(levels, ordered=col in _ordered(table))
        )
    return result


def _ordered(table: Table) -> set[str]:
    return set(TABLE_SCHEMAS.get(table.name, {}).get("ordered", [])) | _ORDERED


def category_levels(table: Table) -> dict[str, list[str]]:
    """Categorical columns of a table and their levels: a VARCHAR column with a
    ``CHECK (column IN (...))`` takes the listed levels; a column the workbook's
    ``TABLE_SCHEMAS`` declares categorical (e.g. ``orders.product_line``, checked by a
    foreign key instead) takes the levels declared there."""
    levels: dict[str, list[str]] = {}
    for columns, expression in table.checks:
        if len(columns) == 1 and table.column(columns[0]).sql_type == "VARCHAR":
            found = _levels(expression, columns[0])
            if found:
                levels[columns[0]] = found
    declared = TABLE_SCHEMAS.get(table.name, {}).get("categories", {})
    for col, values in declared.items():
        if col in table.column_names and col not in levels and values is not None:
            levels[col] = list(values)
    return {c: levels[c] for c in table.column_names if c in levels}


def read_crm(path: str | Path, tables: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a CRM database file as DataFrames (the inverse of :func:`build_crm`).

    Dtypes follow the workbook's conventions: ids and text as strings, dates
    ``datetime64[ns]``, money and fractions ``float64``, counts ``int64`` (``Int64`` where
    the column may be NULL), flags ``bool``, categorical columns with their levels in the
    schema's order (as ``crmlab._schema.TABLE_SCHEMAS`` declares for the company's tables).
    Rows come back sorted by the table's primary key: a relational table has no row
    order (DuckDB keeps the order of insertion, PostgreSQL does not; and the loader
    inserts a table that references itself in generations), so compare a round trip
    after sorting the given table by its key.

    Parameters
    ----------
    path : str or Path
        A database file written by :func:`build_crm`.
    tables : list of str, optional
        Which tables (default all, in schema order).

    Returns
    -------
    dict of str to DataFrame

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    KeyError
        If a requested table is not in the database.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "crm.duckdb"
    >>> managers = pd.DataFrame({"manager_id": ["M001"], "region": ["europe"],
    ...     "hire_date": pd.to_datetime(["2020-01-01"]), "leave_date": pd.NaT})
    >>> _ = build_crm({"managers": managers}, path)
    >>> read_crm(path, ["managers"])["managers"].dtypes.astype(str).to_list()
    ['str', 'category', 'datetime64[ns]', 'datetime64[ns]']
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no CRM database at {path}")
    con = duckdb.connect(str(path), read_only=True)
    try:
        schema = catalogue(con)
        wanted = list(schema) if tables is None else list(tables)
        missing = [t for t in wanted if t not in schema]
        if missing:
            raise KeyError(f"tables {missing} are not in {path}; it holds {list(schema)}.")
        out = {}
        for name in wanted:
            pk = schema[name].primary_key or tuple(schema[name].column_names)
            order = ", ".join(_q(c) for c in pk)
            frame = con.execute(f"SELECT * FROM {_q(name)} ORDER BY {order}").df()
            out[name] = _to_pandas(frame, schema[name])
        return out
    finally:
        con.close()
