"""crmlab.engine on Spark (local mode): the same equality with the pandas path as
``tests/test_engine.py`` on DuckDB, on a small simulated company and the CDNOW sample.

Spark needs pyspark and Java 17, which ``make test`` does not install: these tests run
in ``make test-spark`` (which installs both, then sets ``CRMLAB_SPARK=1``). Without
that variable they are skipped with the reason printed; with it, a missing Java runtime
is a skip with its reason, a missing pyspark a failure (the target should have
installed it).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("ibis", reason="crmlab.engine needs pip install 'crmlab[scale]'")

if os.environ.get("CRMLAB_SPARK") != "1":
    pytest.skip(
        "the Spark engine is tested by `make test-spark` (installs pyspark and Java, "
        "sets CRMLAB_SPARK=1)",
        allow_module_level=True,
    )

from crmlab import btyd, churn, datasets, segment, survival  # noqa: E402
from crmlab import engine as eng  # noqa: E402
from crmlab import segment_classes as sc  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def con():
    import pyspark  # noqa: F401  (make test-spark installs it: missing is a failure)

    if not eng.java_available():
        pytest.skip("no Java runtime (17 or later) on this machine: Spark cannot start")
    session = eng.spark_session(master="local[2]", driver_memory="1g")
    yield eng.connect("spark", session=session)
    session.stop()


@pytest.fixture(scope="module")
def company():
    from crmlab.simulate import simulate_company

    return simulate_company(seed=1, n_customers=400)


def table(con, frame: pd.DataFrame, path):
    """``frame`` written to Parquet with microsecond timestamps (Spark reads no
    nanoseconds) and read back by Spark."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, coerce_timestamps="us")
    return eng.read(con, path)


def assert_same(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    expected = expected.copy()
    for col in expected.columns:
        if pd.api.types.is_datetime64_any_dtype(expected[col]):
            expected[col] = expected[col].astype("datetime64[ns]")
    pd.testing.assert_frame_equal(expected, got, check_exact=True, check_index_type=False)


def test_rfm_scores_tiers_equal_pandas(con, company, tmp_path):
    orders = company["orders"]
    t = table(con, orders, tmp_path / "orders.parquet")
    scores = segment.rfm_scores(segment.rfm_table(orders, as_of="2024-12-31"))
    expected = scores.join(
        sc.value_tiers(scores["revenue"])[["rank", "value_share", "tier", "abc"]]
    )
    expr = eng.value_tiers(eng.rfm_scores(eng.rfm_table(t, as_of="2024-12-31")))
    assert_same(expected, eng.to_pandas(expr, index="customer_id"))


def test_customer_tables_equal_pandas(con, company, tmp_path):
    # both tables from one check, as crmlab report and the benchmark run them
    orders = company["orders"]
    t = table(con, orders, tmp_path / "orders.parquet")
    both = eng.customer_tables(t, as_of="2024-12-31")
    assert both.n_lines == len(orders)
    scores = segment.rfm_scores(segment.rfm_table(orders, as_of="2024-12-31"))
    expected = scores.join(
        sc.value_tiers(scores["revenue"])[["rank", "value_share", "tier", "abc"]]
    )
    assert_same(expected, eng.to_pandas(both.rfm, index="customer_id"))
    sales = orders[~orders["is_return"]]
    expected = btyd.rfm_summary(sales, as_of="2024-12-31")
    assert_same(expected, eng.to_pandas(both.summary, index="customer_id"))


def test_btyd_summary_equals_pandas(con, company, tmp_path):
    sales = company["orders"][~company["orders"]["is_return"]]
    t = table(con, sales, tmp_path / "sales.parquet")
    kw = dict(as_of="2023-12-31", holdout_end="2024-12-31")
    got = eng.to_pandas(eng.rfm_summary(t, **kw), index="customer_id")
    assert_same(btyd.rfm_summary(sales, **kw), got)
    cdnow = datasets.load("cdnow_sample")
    t = table(con, cdnow, tmp_path / "cdnow.parquet")
    kw = dict(as_of="1997-09-30", holdout_end="1998-06-30", order_date="date")
    summary = eng.rfm_summary(t, **kw)
    assert_same(btyd.rfm_summary(cdnow, **kw), eng.to_pandas(summary, index="customer_id"))
    pooled = eng.pooled_summary(summary).to_pandas()
    fit = btyd.fit_bgnbd(pooled, weight="n_customers")
    # the published CDNOW estimates (Fader, Hardie & Lee 2005a)
    np.testing.assert_allclose(fit.params, [0.243, 4.414, 0.793, 2.426], atol=5e-4)


def test_profit_cohorts_and_life_table_equal_pandas(con, company, tmp_path):
    names = ["orders", "incidents", "contacts", "customers", "churn"]
    t = {n: table(con, company[n], tmp_path / f"{n}.parquet") for n in names}
    got = eng.customer_profit(
        t["orders"],
        company["products"],
        company["costs"],
        incidents=t["incidents"],
        contacts=t["contacts"],
        customers=t["customers"],
        churn=t["churn"],
    )
    expected = segment.customer_profit(
        company["orders"],
        company["products"],
        company["costs"],
        incidents=company["incidents"],
        contacts=company["contacts"],
        customers=company["customers"],
        churn=company["churn"],
    )
    assert_same(expected.sort_index(), eng.to_pandas(got, index="customer_id"))
    kw = dict(as_of="2024-12-31", start="2022-01-01")
    counts = eng.cohort_counts(t["customers"], t["churn"], **kw)
    assert_same(
        churn.cohort_retention(company["customers"], company["churn"], **kw),
        eng.cohort_retention(counts, as_of=kw["as_of"]),
    )
    counts = eng.to_pandas(eng.life_counts(t["customers"], t["churn"], grain="month", **kw))
    frame = survival.survival_frame(company["customers"], company["churn"], grain="month", **kw)
    expected = frame.groupby(["entry", "tenure", "churned"]).size().rename("n_customers")
    got = counts.set_index(["entry", "tenure", "churned"])["n_customers"].sort_index()
    pd.testing.assert_series_equal(expected, got, check_dtype=False)


def test_nanosecond_parquet_is_refused_with_the_fix(con, tmp_path):
    path = tmp_path / "ns.parquet"
    pd.DataFrame({"order_date": pd.to_datetime(["2024-01-01"])}).astype(
        {"order_date": "datetime64[ns]"}
    ).to_parquet(path)
    with pytest.raises(ValueError, match="coerce_timestamps='us'"):
        eng.read(con, path)
