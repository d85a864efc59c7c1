"""The data layer's API: names, datasheets, dtypes, integrity checks, the CLI."""

import shutil

import pandas as pd
import pytest

from crmlab import cli, datasets


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of datasets/ that a test may damage."""
    root = tmp_path / "datasets"
    shutil.copytree(datasets.data_dir(), root)
    monkeypatch.setenv("CRMLAB_DATA_DIR", str(root))
    datasets._manifest.cache_clear()
    yield root
    datasets._manifest.cache_clear()


def test_list_and_catalog_agree():
    names = datasets.list_datasets()
    assert names == sorted(names)
    assert {
        "company_orders",
        "company_truth",
        "cdnow_master",
        "telco_churn",
        "bfi",
        "rossi",
    } <= set(names)
    assert list(datasets.catalog().index) == names


def test_unknown_name_lists_available():
    with pytest.raises(ValueError, match="unknown data set 'company_order'.*company_orders"):
        datasets.load("company_order")
    with pytest.raises(ValueError, match="available"):
        datasets.describe(42)


def test_every_datasheet_exists_and_names_its_columns():
    for name in datasets.list_datasets():
        sheet = datasets.describe(name)
        assert len(sheet) > 500, name
    orders = datasets.load("company_orders")
    sheet = datasets.describe("company_orders")
    missing = [c for c in orders.columns if f"`{c}`" not in sheet]
    assert not missing, f"company.md does not document {missing}"


def test_company_dtypes():
    orders = datasets.load("company_orders")
    assert orders["order_date"].dtype == "datetime64[ns]"
    assert isinstance(orders["product_line"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_string_dtype(orders["customer_id"])
    assert orders["quote_days"].dtype == "Int64"
    customers = datasets.load("company_customers")
    assert customers["size"].cat.ordered
    assert list(customers["size"].cat.categories) == ["small", "medium", "large"]


def test_changed_byte_is_caught(data_copy):
    path = data_copy / "company" / "churn.csv.gz"
    raw = bytearray(path.read_bytes())
    raw[-9] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(datasets.DatasetIntegrityError, match=r"churn\.csv\.gz.*changed or trunc"):
        datasets.load("company_churn")
    # an intact file in the same folder still loads
    assert len(datasets.load("company_products")) == 4


def test_missing_file_and_unlisted_file(data_copy):
    (data_copy / "rossi.csv").unlink()
    with pytest.raises(ValueError, match=r"rossi\.csv.*missing"):
        datasets.load("rossi")
    manifest = data_copy / "MANIFEST"
    lines = [ln for ln in manifest.read_text().splitlines() if "bfi.csv" not in ln]
    manifest.write_text("\n".join(lines) + "\n")
    datasets._manifest.cache_clear()
    with pytest.raises(ValueError, match=r"bfi\.csv is not listed"):
        datasets.load("bfi")


def test_write_manifest_reproduces_committed(data_copy):
    before = (data_copy / "MANIFEST").read_text()
    datasets.write_manifest(data_copy)
    assert (data_copy / "MANIFEST").read_text() == before


def test_cli_datasets(capsys):
    assert cli.main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "company_orders" in out and "telco_churn" in out
    assert cli.main(["datasets", "rossi"]) == 0
    assert "Rossi" in capsys.readouterr().out


def test_cli_simulate_small(tmp_path, capsys):
    assert (
        cli.main(["simulate", "--out", str(tmp_path), "--seed", "3", "--n-customers", "120"]) == 0
    )
    assert (tmp_path / "company" / "orders.csv.gz").exists()
    assert "company/truth.csv.gz" in (tmp_path / "MANIFEST").read_text()


def test_a_date_column_empty_for_its_first_rows_loads_without_a_dtype_warning(
    tmp_path, monkeypatch
):
    # unpaid invoices leave paid_date empty; when the first ~100,000 rows are all empty,
    # pandas' chunked type inference guessed float for them and text after (DtypeWarning)
    import warnings

    n = 300_000
    paid = [""] * 200_000 + ["2024-03-01"] * (n - 200_000)
    frame = pd.DataFrame(
        {
            "invoice_id": [f"B{i:07d}" for i in range(n)],
            "customer_id": "C000001",
            "order_id": [f"O{i:07d}" for i in range(n)],
            "invoice_date": "2024-01-01",
            "due_date": "2024-01-31",
            "amount": 10.0,
            "paid_date": paid,
            "days_overdue": 0,
        }
    )
    path = tmp_path / "invoices.csv.gz"
    frame.to_csv(path, index=False)
    monkeypatch.setattr(datasets, "verify", lambda name: path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = datasets.load("company_invoices")
    assert loaded["paid_date"].isna().sum() == 200_000
    assert loaded["paid_date"].iloc[-1] == pd.Timestamp("2024-03-01")
