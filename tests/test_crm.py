"""crmlab.crm: the schema, the checked load, the round trip, the customer 360 view and the
entity-relationship diagram, on the hand-made CRM of ``tests/crm_tables.py``."""

from __future__ import annotations

import re

import duckdb
import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from crm_tables import crm_tables  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from crmlab._schema import TABLE_SCHEMAS  # noqa: E402
from crmlab.crm import (  # noqa: E402
    CRMLoadError,
    build_crm,
    check_tables,
    customer_360,
    customer_360_sql,
    read_crm,
    read_schema,
    schema_sql,
)
from crmlab.crm.diagram import plot_schema  # noqa: E402
from crmlab.crm.store import category_levels  # noqa: E402

CONTRACT_TABLES = {
    # first edition
    "customers", "orders", "incidents", "contacts", "referrals", "churn", "survey",
    "pipeline", "products", "costs", "market_prices",
    # second edition
    "managers", "assignments", "invoices", "credit_lists", "tickets", "campaigns",
    "campaign_members", "crm_rollout", "records", "mentions",
}  # fmt: skip


@pytest.fixture(scope="module")
def crm_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("crm") / "crm.duckdb"
    build_crm(crm_tables(), path)
    return path


def _as_str(values):
    return pd.array(values, dtype="str")


def _sorted(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Rows sorted by the key as text (the database's order for VARCHAR and DATE keys)."""
    return frame.sort_values(list(key), key=lambda s: s.astype(str)).reset_index(drop=True)


# ------------------------------------------------------------------------------ schema
def test_schema_holds_every_table_of_the_contract_and_no_truth():
    schema = read_schema()
    assert set(schema) == CONTRACT_TABLES
    assert not [n for n in schema if n.startswith("truth")]
    # every table has a primary key; dependency order: a table after those it references
    seen = set()
    for name, table in schema.items():
        assert table.primary_key, name
        assert {fk.ref_table for fk in table.foreign_keys} - {name} <= seen, name
        seen.add(name)


def test_schema_foreign_keys_are_those_written_in_the_sql():
    # second method: the REFERENCES clauses of schema.sql read with a regular expression
    sql = schema_sql()
    written = set()
    for block in re.split(r"CREATE TABLE ", sql)[1:]:
        table = block.split()[0]
        for line in block.split(";")[0].splitlines():
            m = re.search(r"^\s*\"?(\w+)\"?\s.*REFERENCES (\w+) \((\w+)\)", line)
            if m:
                written.add((table, m.group(1), m.group(2), m.group(3)))
    found = {
        (name, fk.columns[0], fk.ref_table, fk.ref_columns[0])
        for name, t in read_schema().items()
        for fk in t.foreign_keys
    }
    assert found == written
    assert ("orders", "return_of", "orders", "order_id") in found  # the self-reference
    # by hand: customers 1, assignments 2, orders 4 (customers, products, orders, records),
    # invoices 2, credit_lists 1, incidents 1, tickets 2, contacts 1, referrals 2, mentions 1,
    # churn 1, survey 1, pipeline 2, campaign_members 2, market_prices 1 = 24
    assert len(found) == 24


def test_schema_levels_are_the_workbook_levels():
    # where crmlab/_schema.py declares a column's levels, schema.sql's CHECK lists the same
    # levels in the same order (read_crm gives categories in that order)
    compared = 0
    for name, table in read_schema().items():
        declared = TABLE_SCHEMAS.get(name, {}).get("categories", {})
        listed = category_levels(table)
        for col, levels in declared.items():
            if col in listed:
                assert listed[col] == list(levels), (name, col)
                compared += 1
    assert compared >= 12


# ------------------------------------------------------------------- load and round trip
def test_round_trip_gives_back_every_table(crm_path):
    given = crm_tables()
    back = read_crm(crm_path)
    schema = read_schema()
    assert list(back) == list(schema)
    for name, frame in given.items():
        expected = _sorted(frame, schema[name].primary_key)
        pd.testing.assert_frame_equal(back[name], expected, check_exact=True, obj=name)


def test_load_report_counts_rows_and_money(tmp_path):
    report = build_crm(crm_tables(), tmp_path / "crm.duckdb").set_index(["table", "check"])
    assert (report["given"] == report["loaded"]).all()
    # orders: 1,000.00 + 500.00 - 100.00 (the return) + 300.00 = 1,700.00 over 4 lines
    assert report.loc[("orders", "rows"), "loaded"] == 4
    assert report.loc[("orders", "sum(amount)"), "loaded"] == 1700.0
    # invoices: 1,000.00 + 500.00 + 300.00 (the return has no invoice)
    assert report.loc[("invoices", "sum(amount)"), "loaded"] == 1800.0
    assert report.loc[("survey", "rows"), "loaded"] == 3


def test_a_table_not_given_is_created_empty_and_truth_tables_are_skipped(tmp_path):
    tables = {k: v for k, v in crm_tables().items() if k in ("managers", "customers")}
    tables["truth"] = pd.DataFrame({"customer_id": ["C1"], "anything": [1]})
    tables["truth_records"] = pd.DataFrame({"x": [1]})
    report = build_crm(tables, tmp_path / "crm.duckdb").set_index(["table", "check"])
    assert report.loc[("customers", "rows"), "loaded"] == 3
    assert report.loc[("orders", "rows"), "loaded"] == 0
    back = read_crm(tmp_path / "crm.duckdb", ["orders", "customers"])
    assert len(back["orders"]) == 0 and list(back) == ["orders", "customers"]


def test_existing_file_is_kept_unless_overwrite(tmp_path):
    path = tmp_path / "crm.duckdb"
    build_crm(crm_tables(), path)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        build_crm(crm_tables(), path)
    build_crm(crm_tables(), path, overwrite=True)
    assert len(read_crm(path, ["orders"])["orders"]) == 4


# ----------------------------------------------------------------------- bad rows
def _bad(table: str, change) -> dict[str, pd.DataFrame]:
    tables = crm_tables()
    frame = tables[table].copy()
    frame.index = frame.index + 10  # labels 10, 11, ... : the error must name these
    change(frame)
    tables[table] = frame
    return tables


def _as_text(frame, col):
    frame[col] = frame[col].astype("object")


@pytest.mark.parametrize(
    "table, change, column, rows, rule",
    [
        # a broken foreign key: order O3 (label 13) names customer C9, who does not exist
        ("orders", lambda f: f.__setitem__("customer_id", ["C1", "C1", "C1", "C9"]),
         "customer_id", "[13]", "FOREIGN KEY (customer_id) REFERENCES customers"),
        # a negative amount on a sale (label 11)
        ("orders", lambda f: f.__setitem__("amount", [1000.0, -500.0, -100.0, 300.0]),
         "is_return, quantity, amount", "[11]", "CHECK (is_return OR"),
        # a negative invoice (label 12)
        ("invoices", lambda f: f.__setitem__("amount", [1000.0, 500.0, -300.0]),
         "amount", "[12]", "CHECK (amount >= 0)"),
        # an unknown level (label 11): 'gold' is no credit list
        ("credit_lists", lambda f: (_as_text(f, "list"), f.__setitem__(
            "list", ["red", "gold", "black"])), "list", "[11]", "CHECK (list IN"),
        # a duplicate key: both rows (labels 10 and 11) are M001
        ("managers", lambda f: f.__setitem__("manager_id", ["M001", "M001"]),
         "manager_id", "[10, 11]", "PRIMARY KEY (manager_id): duplicated key"),
        # dates in the wrong order: left before being hired (label 10)
        ("managers", lambda f: f.__setitem__("leave_date", pd.to_datetime(["2018-01-01", None])),
         "leave_date, hire_date", "[10]", "CHECK (leave_date >= hire_date)"),
        # a missing value where the schema forbids it (label 12)
        ("customers", lambda f: f.__setitem__("credit_limit", [2000.0, 500.0, np.nan]),
         "credit_limit", "[12]", "NOT NULL"),
        # money below the cent (label 10): 1,000.005 yuan would lose half a cent
        ("orders", lambda f: f.__setitem__("amount", [1000.005, 500.0, -100.0, 300.0]),
         "amount", "[10]", "type DECIMAL(14,2)"),
        # a date with a time of day in a DATE column (label 10)
        ("churn", lambda f: f.__setitem__("churn_date", pd.to_datetime(["2022-01-10 13:00"])),
         "churn_date", "[10]", "type DATE"),
        # a pipeline deal lost without a close date (label 10)
        ("pipeline",
         lambda f: f.__setitem__("close_date", pd.to_datetime([None, "2021-07-15", None])),
         "outcome, close_date", "[10]", "CHECK ((outcome = 'open') = (close_date IS NULL))"),
    ],
)  # fmt: skip
def test_bad_rows_are_named_and_nothing_is_written(tmp_path, table, change, column, rows, rule):
    path = tmp_path / "crm.duckdb"
    with pytest.raises(CRMLoadError) as info:
        build_crm(_bad(table, change), path)
    problems = info.value.problems
    hit = problems[(problems["table"] == table) & (problems["column"] == column)]
    assert len(hit) == 1, problems
    assert hit["rows"].iloc[0] == rows
    assert rule in hit["rule"].iloc[0]
    message = str(info.value)
    assert f"table {table!r}" in message and f"rows {rows}" in message
    assert not path.exists()


def test_every_problem_is_reported_at_once():
    tables = crm_tables()
    tables["orders"].loc[3, "customer_id"] = "C9"
    tables["invoices"].loc[0, "amount"] = -1.0
    with pytest.raises(CRMLoadError) as info:
        check_tables(tables)
    assert sorted(info.value.problems["table"]) == ["invoices", "orders"]
    assert "2 problem(s)" in str(info.value)


def test_missing_and_extra_columns_and_unknown_tables():
    tables = crm_tables()
    with pytest.raises(KeyError, match=r"table 'orders' lacks columns \['record_id'\]"):
        check_tables({**tables, "orders": tables["orders"].drop(columns="record_id")})
    with pytest.raises(ValueError, match=r"columns \['note'\] that the schema does not hold"):
        check_tables({**tables, "orders": tables["orders"].assign(note="x")})
    with pytest.raises(ValueError, match=r"tables \['order'\] are not tables"):
        check_tables({"order": tables["orders"]})
    with pytest.raises(TypeError, match="dict of DataFrames"):
        check_tables([tables["orders"]])


def test_a_table_referenced_but_not_given_is_named():
    tables = crm_tables()
    with pytest.raises(CRMLoadError, match="table 'customers' was not given"):
        check_tables({"orders": tables["orders"], "products": tables["products"],
                      "records": tables["records"]})  # fmt: skip


def test_duckdb_alone_rejects_but_does_not_name_the_row(tmp_path):
    # check=False leaves the checking to the database's own constraints: DuckDB stops at
    # the first broken key and names the key, not the row (why build_crm checks first)
    path = tmp_path / "crm.duckdb"
    tables = crm_tables()
    tables["orders"].loc[3, "customer_id"] = "C9"
    with pytest.raises(duckdb.ConstraintException, match="C9") as info:
        build_crm(tables, path, check=False)
    assert "row" not in str(info.value).lower()
    assert not path.exists()


def test_read_crm_bad_input(tmp_path, crm_path):
    with pytest.raises(FileNotFoundError):
        read_crm(tmp_path / "none.duckdb")
    with pytest.raises(KeyError, match="'customer'"):
        read_crm(crm_path, ["customer"])


# --------------------------------------------------------------------- customer 360
def test_customer_360_hand_worked(crm_path):
    view = customer_360(crm_path).set_index("customer_id")
    # revenue C1 = 1,000 + 500 - 100 (return) = 1,400; C2 = 300; C3 none = 0; total 1,700
    assert view["revenue"].to_dict() == {"C1": 1400.0, "C2": 300.0, "C3": 0.0}
    assert list(view.index) == ["C1", "C2", "C3"]  # largest revenue first
    assert view["n_orders"].to_dict() == {"C1": 2, "C2": 1, "C3": 0}
    assert view.loc["C1", "last_order_date"] == pd.Timestamp("2024-03-05")  # a sale, not the return
    # ABC: C1 has 0 above it (< 80% of 1,700) -> A; C2 has 1,400 above = 82.4% -> B;
    # C3 has 1,700 above = 100% -> C
    assert view["abc_class"].to_dict() == {"C1": "A", "C2": "B", "C3": "C"}
    # key accounts: rank <= ceil(3 / 20) = 1 -> C1 only
    assert view["key_account"].to_dict() == {"C1": True, "C2": False, "C3": False}
    # latest wave: C1 answered 2023 (overall 5) and 2024 (overall 2) -> 2
    assert view.loc["C1", "survey_wave"] == 2024 and view.loc["C1", "overall_sat"] == 2
    assert pd.isna(view.loc["C3", "overall_sat"])
    # arrears: C1's invoice V2 (500.00) is unpaid and 241 days overdue; C2 paid everything
    assert view["arrears"].to_dict() == {"C1": 500.0, "C2": 0.0, "C3": 0.0}
    assert view.loc["C1", "overdue"] == 500.0 and view.loc["C1", "max_days_overdue"] == 241
    # lists: C1 red (2022) then grey (2024-07-03); C2 never listed; C3 black
    assert view["credit_list"].to_dict() == {"C1": "grey", "C2": "none", "C3": "black"}
    assert view.loc["C1", "listed_since"] == pd.Timestamp("2024-07-03")
    assert view.loc["C3", "status"] == "churned"
    assert view.loc["C3", "churn_date"] == pd.Timestamp("2022-01-10")
    # C1 moved from M001 to M002 on 2023-07-01; C3's M001 left on 2023-06-30
    assert view.loc["C1", "manager_id"] == "M002"
    assert view.loc["C1", "manager_since"] == pd.Timestamp("2023-07-01")
    assert view["manager_left"].to_dict() == {"C1": False, "C2": False, "C3": True}


def test_customer_360_two_list_moves_on_one_day_the_more_severe_is_now(tmp_path):
    # the committed company has customers who repay one invoice (-> none) and go 30 days
    # overdue on another (-> grey) on the same day; the database has no row order, so the
    # view takes the more severe list. C2 gets both moves on 2024-06-25, 'grey' written
    # first and 'none' second: the frame's order must not matter, C2 is grey.
    tables = crm_tables()
    extra = pd.DataFrame(
        {
            "customer_id": _as_str(["C2", "C2"]),
            "list_date": pd.to_datetime(["2024-06-25", "2024-06-25"]).astype("datetime64[ns]"),
            "list": ["grey", "none"],
            "reason": ["overdue_30", "repaid"],
        }
    )
    moves = pd.concat([tables["credit_lists"].astype({"list": str, "reason": str}), extra])
    tables["credit_lists"] = moves.reset_index(drop=True)
    path = tmp_path / "crm.duckdb"
    build_crm(tables, path)
    view = customer_360(path).set_index("customer_id")
    assert view.loc["C2", "credit_list"] == "grey"
    assert view.loc["C1", "credit_list"] == "grey"  # unchanged


def test_customer_360_of_one_firm_ranks_it_among_all(crm_path):
    con = duckdb.connect(str(crm_path), read_only=True)
    try:
        one = customer_360(con, "C2")
        everyone = customer_360(con)
    finally:
        con.close()
    pd.testing.assert_frame_equal(one, everyone.iloc[[1]].reset_index(drop=True))
    assert one.loc[0, "abc_class"] == "B"
    assert len(customer_360(crm_path, "C404")) == 0
    with pytest.raises(TypeError, match="customer_id must be a string"):
        customer_360(crm_path, 7)
    with pytest.raises(FileNotFoundError):
        customer_360(crm_path.parent / "none.duckdb")


def test_customer_360_classes_agree_with_value_tiers(tmp_path):
    # second method: segment_classes.value_tiers (pandas) on the same revenues
    from crmlab.segment_classes import value_tiers

    rng = np.random.default_rng(6)
    base = crm_tables()
    n = 61
    ids = [f"C{i:03d}" for i in range(n)]
    customers = pd.concat([base["customers"].iloc[[0]]] * n, ignore_index=True)
    customers["customer_id"] = pd.array(ids, dtype="str")
    customers["manager_id"] = pd.array([None] * n, dtype="str")
    amounts = np.round(rng.lognormal(7, 1.2, size=3 * n), 2)
    amounts[:4] = 1234.56  # ties, broken by customer id in both methods
    owners = np.repeat(ids, 3)
    orders = pd.concat([base["orders"].iloc[[0]]] * (3 * n), ignore_index=True)
    orders["order_id"] = pd.array([f"O{i:04d}" for i in range(3 * n)], dtype="str")
    orders["customer_id"] = pd.array(owners, dtype="str")
    orders["amount"] = amounts
    orders["record_id"] = pd.array([None] * (3 * n), dtype="str")
    orders.loc[orders["customer_id"].isin(ids[-5:]), "amount"] = 0.0  # five without revenue
    tables = {"products": base["products"], "customers": customers, "orders": orders}
    path = tmp_path / "crm.duckdb"
    build_crm(tables, path)
    view = customer_360(path).set_index("customer_id")
    revenue = orders.groupby("customer_id")["amount"].sum().reindex(sorted(ids))
    tiers = value_tiers(revenue)
    assert (view["abc_class"] == tiers["abc"].astype(str).reindex(view.index)).all()
    key = tiers["tier"].isin(["VIP", "major"]).reindex(view.index)
    assert (view["key_account"] == key).all()
    assert view["key_account"].sum() == 4  # ceil(0.05 * 61) = ceil(3.05) = 4


def test_customer_360_sql_is_shown_with_its_definitions():
    sql = customer_360_sql()
    assert "80%" in sql and "$customer_id" in sql and sql.count("LEFT JOIN") >= 7


# ------------------------------------------------------------------------ diagram
def test_diagram_draws_every_table_and_one_arrow_per_reference():
    ax = plot_schema(chinese=False)
    try:
        titles = {t.get_text() for t in ax.texts}
        assert CONTRACT_TABLES <= titles
        # arrows: one per (table, referenced table), a self-reference not drawn:
        # counted from the SQL text as a second method
        sql = schema_sql()
        pairs = set()
        for block in re.split(r"CREATE TABLE ", sql)[1:]:
            table = block.split()[0]
            for ref in re.findall(r"REFERENCES (\w+)", block.split(";")[0]):
                if ref != table:
                    pairs.add((table, ref))
        arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
        # 24 foreign keys less referrals' second one to customers and orders' self-reference
        assert len(arrows) == len(pairs) == 22
    finally:
        plt.close(ax.figure)


def test_diagram_of_another_schema_places_unknown_tables():
    sql = (
        "CREATE TABLE a (id VARCHAR PRIMARY KEY, x INTEGER);"
        "CREATE TABLE b (id VARCHAR PRIMARY KEY, a_id VARCHAR REFERENCES a (id));"
    )
    ax = plot_schema(sql, chinese=False)
    try:
        texts = [t.get_text() for t in ax.texts]
        assert {"a", "b", "a_id", "+ 1 more column"} <= set(texts)
        assert sum(isinstance(p, FancyArrowPatch) for p in ax.patches) == 1
    finally:
        plt.close(ax.figure)


# ------------------------------------------------------------- the committed company
def test_the_committed_company_builds_and_reads_back(tmp_path):
    from crmlab import datasets

    names = set(datasets.list_datasets())
    second = {"company_managers", "company_records", "company_invoices"}
    if not second <= names:
        pytest.skip(
            "the committed company data is the first edition (no managers, records, invoices): "
            "this test runs once the simulator's second edition is committed"
        )
    tables = datasets.load_company()
    path = tmp_path / "crm.duckdb"
    report = build_crm(tables, path)
    assert (report["given"] == report["loaded"]).all()
    back = read_crm(path)
    schema = read_schema()
    for name, frame in back.items():
        expected = _sorted(tables[name][frame.columns], schema[name].primary_key)
        pd.testing.assert_frame_equal(frame, expected, obj=name)
    view = customer_360(path)
    assert len(view) == len(tables["customers"])
    # the CRM keeps orders.customer_id beside record_id (schema.sql says why): every order's
    # record is a record of the same firm (the true mapping, from truth_records)
    firm = tables["truth_records"].set_index("record_id")["customer_id"]
    orders = tables["orders"]
    assert (orders["record_id"].map(firm) == orders["customer_id"]).all()
    # market_prices is in the CRM: 36 months x 4 product lines
    assert len(back["market_prices"]) == 36 * 4
