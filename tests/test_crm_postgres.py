"""The CRM's schema and its customer 360 query are portable SQL: they run unchanged in
PostgreSQL. Needs a PostgreSQL server binary (Debian: ``apt-get install postgresql``);
skipped with the reason otherwise. The server is private to the test: a fresh cluster in
a temporary folder, reached through a Unix socket only (no TCP), stopped and removed at
the end."""

from __future__ import annotations

import glob
import io
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from crm_tables import crm_tables

from crmlab.crm import build_crm, customer_360, customer_360_sql, read_schema, schema_sql


def _binaries() -> dict[str, str] | None:
    found = {}
    for name in ("initdb", "pg_ctl", "psql"):
        path = shutil.which(name) or next(
            iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
        )
        if path is None:
            return None
        found[name] = path
    return found


BIN = _binaries()
pytestmark = pytest.mark.skipif(
    BIN is None, reason="no PostgreSQL server binary (Debian: apt-get install postgresql)"
)


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL cluster; yields a function running psql with some SQL."""
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="crmlab-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: use the package's user
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            pytest.skip("running as root and there is no 'postgres' user to run the server")
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, socket = folder / "data", folder
    env = {**os.environ, "PGCLIENTENCODING": "UTF8", "LC_ALL": "C.UTF-8"}

    def run(args, **kw):
        return subprocess.run(as_user + args, capture_output=True, text=True, env=env,
                              timeout=120, **kw)  # fmt: skip

    started = False
    try:
        out = run([BIN["initdb"], "-D", str(data), "-A", "trust", "-U", "postgres",
                   "-E", "UTF8", "--no-sync"])  # fmt: skip
        assert out.returncode == 0, out.stderr
        options = f"-c listen_addresses='' -k {socket} -p 54329 -c fsync=off"
        out = run([BIN["pg_ctl"], "-D", str(data), "-o", options, "-l", str(folder / "log"),
                   "-w", "-t", "60", "start"])  # fmt: skip
        assert out.returncode == 0, out.stderr + out.stdout
        started = True

        def psql(sql: str = "", *, file: Path | None = None, check: bool = True):
            args = [BIN["psql"], "-h", str(socket), "-p", "54329", "-U", "postgres",
                    "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-X", "-q"]  # fmt: skip
            args += ["-f", str(file)] if file else ["-c", sql]
            result = run(args)
            if check:
                assert result.returncode == 0, result.stderr
            return result

        psql.folder = folder
        yield psql
    finally:
        if started:
            run([BIN["pg_ctl"], "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def test_schema_loads_into_postgresql(postgres):
    sql_file = postgres.folder / "schema.sql"
    sql_file.write_text(schema_sql(), encoding="utf-8")
    os.chmod(sql_file, 0o644)
    postgres(file=sql_file)
    names = postgres(
        "COPY (SELECT table_name FROM information_schema.tables WHERE table_schema = "
        "'public' ORDER BY table_name) TO STDOUT"
    ).stdout.split()
    assert names == sorted(read_schema())
    counts = postgres(
        "COPY (SELECT constraint_type, count(*) FROM information_schema.table_constraints "
        "WHERE table_schema = 'public' AND constraint_type <> 'CHECK' "
        "GROUP BY 1 ORDER BY 1) TO STDOUT"
    ).stdout
    # 24 foreign keys, 21 primary keys, 1 unique (invoices.order_id): as in DuckDB's catalogue
    assert counts.split("\n")[:3] == ["FOREIGN KEY\t24", "PRIMARY KEY\t21", "UNIQUE\t1"]


def test_customer_360_runs_in_postgresql_with_the_same_result(postgres, tmp_path):
    tables = crm_tables()
    for name in read_schema():  # dependency order
        csv = postgres.folder / f"{name}.csv"
        tables[name].to_csv(csv, index=False)
        os.chmod(csv, 0o644)
        columns = ", ".join(f'"{c}"' for c in tables[name].columns)
        postgres(f"\\copy {name} ({columns}) FROM '{csv}' WITH (FORMAT csv, HEADER true)")
    # PostgreSQL's CHECK rejects a negative invoice like DuckDB's does
    bad = postgres(
        "INSERT INTO invoices VALUES ('V9', 'C2', 'O1', '2024-01-01', '2024-02-01', -5, NULL, 0)",
        check=False,
    )
    assert bad.returncode != 0 and "invoices_amount_check" in bad.stderr
    query = customer_360_sql().replace("$customer_id", "NULL")
    out = postgres(f"COPY ({query.rstrip().rstrip(';')}) TO STDOUT WITH (FORMAT csv, HEADER)")
    in_postgres = pd.read_csv(io.StringIO(out.stdout))
    path = tmp_path / "crm.duckdb"
    build_crm(tables, path)
    in_duckdb = customer_360(path)
    assert list(in_postgres.columns) == list(in_duckdb.columns)
    assert in_postgres["customer_id"].tolist() == in_duckdb["customer_id"].tolist()
    for col in ("revenue", "arrears", "overdue", "credit_limit", "n_orders", "value_rank"):
        assert in_postgres[col].tolist() == in_duckdb[col].tolist(), col
    for col in ("abc_class", "credit_list", "status", "manager_id"):
        assert in_postgres[col].tolist() == in_duckdb[col].astype(str).tolist(), col
    for col in ("key_account", "manager_left"):  # PostgreSQL writes booleans as t / f
        assert in_postgres[col].map({"t": True, "f": False}).tolist() == in_duckdb[col].tolist(), (
            col
        )
