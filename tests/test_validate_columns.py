"""Tests of crmlab._validate_columns (frames, columns, scalars): one test per rule,
asserting the exception type and that the message names the column, the value or the rows
(the contract of every public function)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from crmlab import _validate_columns as v


# --------------------------------------------------------------------------- format_rows
def test_format_rows_shows_five_then_counts_the_rest():
    assert v.format_rows([3, 7]) == "[3, 7]"
    # 8 rows: five shown, 8 - 5 = 3 more
    assert v.format_rows(range(8)) == "[0, 1, 2, 3, 4] and 3 more"
    # numpy scalars print as plain Python values, strings with quotes
    assert v.format_rows(np.array([np.int64(2)])) == "[2]"
    assert v.format_rows(pd.Index(["C1"])) == "['C1']"


# --------------------------------------------------------------------------- frames, columns
def test_require_frame():
    d = pd.DataFrame({"a": [1]})
    assert v.require_frame(d) is d
    with pytest.raises(ValueError, match="orders must be a pandas DataFrame, got list"):
        v.require_frame([1, 2], "orders")
    with pytest.raises(ValueError, match="orders is empty"):
        v.require_frame(pd.DataFrame({"a": []}), "orders")


def test_missing_column_is_a_key_error_naming_it_and_the_columns():
    d = pd.DataFrame({"customer_id": ["a"], "amount": [1.0]})
    with pytest.raises(KeyError, match=r"orders has no column\(s\) \['order_date'\]"):
        v.require_columns(d, ["customer_id", "order_date"], "orders")
    with pytest.raises(KeyError, match=r"its columns are \['customer_id', 'amount'\]"):
        v.check_frame(d, ["x"], "orders")
    assert v.check_frame(d, ["amount"]) is d


def test_require_numeric_names_text_rows_and_missing_rows():
    text = pd.DataFrame({"amount": ["1.5", "ten", None, "x"]}, index=[10, 11, 12, 13])
    # '1.5' converts; None is missing, not text; 'ten' (row 11) and 'x' (row 13) are not numbers
    with pytest.raises(ValueError, match=r"'amount' must be numeric.*\[11, 13\] \['ten', 'x'\]"):
        v.require_numeric(text, "amount")
    stored = pd.DataFrame({"amount": ["1", "2"]})
    with pytest.raises(ValueError, match="none \\(numbers stored as text\\)"):
        v.require_numeric(stored, "amount")
    # a DECIMAL column (Parquet, a database) reaches pandas as decimal.Decimal objects:
    # numbers, said so, with the conversion (before: "none (numbers stored as text)")
    money = pd.DataFrame({"amount": [Decimal("19.99"), Decimal("-0.50"), None]})
    with pytest.raises(
        ValueError,
        match=r"numbers stored as Python objects \(Decimal; .*"
        r"Convert with data\['amount'\]\.astype\(float\)",
    ):
        v.require_numeric(money, "amount")
    with pytest.raises(ValueError, match="must be numeric, got dtype bool"):
        v.require_numeric(pd.DataFrame({"flag": [True, False]}), "flag")
    gaps = pd.DataFrame({"amount": [1.0, np.nan, np.inf]})
    with pytest.raises(ValueError, match=r"missing or infinite values in rows \[1, 2\]"):
        v.require_numeric(gaps, "amount")
    # allow_nan accepts the NaN but never the infinity
    with pytest.raises(ValueError, match=r"rows \[2\]"):
        v.require_numeric(gaps, "amount", allow_nan=True)
    v.require_numeric(gaps.iloc[:2], "amount", allow_nan=True)


def test_require_non_negative_and_no_missing():
    with pytest.raises(ValueError, match=r"'tenure' has negative values in rows \['b'\]"):
        v.require_non_negative(pd.DataFrame({"tenure": [1, -2]}, index=["a", "b"]), "tenure")
    with pytest.raises(ValueError, match=r"'customer_id' has missing values in rows \[0\]"):
        v.require_no_missing(pd.DataFrame({"customer_id": [None, "a"]}), "customer_id")


def test_dates():
    d = pd.DataFrame({"order_date": pd.to_datetime(["2024-01-01", "2024-06-01", "2025-02-01"])})
    assert v.require_dates_not_after(d.iloc[:2], "order_date", "2024-12-31") == pd.Timestamp(
        "2024-12-31"
    )
    with pytest.raises(ValueError, match=r"after as_of=2024-12-31 in rows \[2\]"):
        v.require_dates_not_after(d, "order_date", "2024-12-31")
    with pytest.raises(ValueError, match="'order_date' must hold dates .*pd.to_datetime"):
        v.require_dates(pd.DataFrame({"order_date": ["2024-01-01"]}), "order_date")


def test_require_in_range():
    d = pd.DataFrame({"p": [0.0, 1.0, np.nan, 1.2, -0.1]})
    with pytest.raises(ValueError, match=r"'p' has values outside \[0, 1\] in rows \[3, 4\]"):
        v.require_in_range(d, "p", 0, 1)
    v.require_in_range(d.iloc[:3], "p", 0, 1)  # ends included, NaN allowed by default
    with pytest.raises(ValueError, match="missing or infinite"):
        v.require_in_range(d.iloc[:3], "p", 0, 1, allow_nan=False)


def test_as_float_array():
    np.testing.assert_array_equal(v.as_float_array(pd.Series([1, 2])), [1.0, 2.0])
    with pytest.raises(ValueError, match="profit must be numeric, got dtype"):
        v.as_float_array(pd.Series(["a"]), "profit")
    with pytest.raises(ValueError, match="must be numeric"):
        v.as_float_array(["a", "b"], "x")
    with pytest.raises(ValueError, match="one-dimensional"):
        v.as_float_array([[1, 2]], "x")
    with pytest.raises(ValueError, match="x is empty"):
        v.as_float_array([], "x")
    with pytest.raises(ValueError, match=r"at \['b'\]"):
        v.as_float_array(pd.Series([1.0, np.nan], index=["a", "b"]), "x")


# --------------------------------------------------------------------------- scalars
def test_require_share():
    assert v.require_share(0, "q") == 0.0 and v.require_share(1, "q") == 1.0
    with pytest.raises(ValueError, match=r"q must lie in \(0, 1\], got 0"):
        v.require_share(0, "q", closed_low=False)
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\), got 1"):
        v.require_share(1, "q", closed_high=False)
    with pytest.raises(ValueError, match="q must be a number in"):
        v.require_share("half", "q")
    with pytest.raises(ValueError, match="nan"):
        v.require_share(float("nan"), "q")


def test_require_positive():
    assert v.require_positive("2.5", "k") == 2.5
    assert v.require_positive(0, "k", allow_zero=True) == 0.0
    for bad in (0, -1, float("inf"), "x", None):
        with pytest.raises(ValueError, match="k must be a number > 0"):
            v.require_positive(bad, "k")


def test_require_int():
    assert v.require_int(np.int64(3), "bins", low=2, high=10) == 3
    assert isinstance(v.require_int(np.int64(3), "bins"), int)
    # a bool, a float that looks whole and a numeric string are not ints
    for bad in (True, 2.0, "2"):
        with pytest.raises(ValueError, match="bins must be an int"):
            v.require_int(bad, "bins")
    with pytest.raises(ValueError, match="bins must be an int from 2 to 10, got 11"):
        v.require_int(11, "bins", low=2, high=10)
    with pytest.raises(ValueError, match="seed must be an int >= 0, got -1"):
        v.require_int(-1, "seed", low=0)
    with pytest.raises(ValueError, match="n must be an int <= 4, got 5"):
        v.require_int(5, "n", high=4)


def test_z_value():
    # published normal quantiles: 1.6449 (90%), 1.9600 (95%), 2.5758 (99%)
    assert [round(v.z_value(c), 4) for c in (0.90, 0.95, 0.99)] == [1.6449, 1.96, 2.5758]
    with pytest.raises(ValueError, match="confidence"):
        v.z_value(1.0)
