"""Tests of crmlab._validate_tables (orders, events, BTYD summaries): one test per
rule, asserting the exception type and that the message names the column or the rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import _validate_tables as v


# --------------------------------------------------------------------------- tables
def _orders(**cols):
    base = {
        "customer_id": ["A", "A", "B"],
        "order_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
        "amount": [10.0, -4.0, 5.0],
        "is_return": [False, True, False],
    }
    return pd.DataFrame(base | cols)


def test_check_orders_flags_and_as_of():
    flags, as_of = v.check_orders(_orders())
    assert flags.tolist() == [False, True, False]
    assert as_of == pd.Timestamp("2024-03-01")  # default: the last order date
    _, as_of = v.check_orders(_orders(), as_of="2024-12-31")
    assert as_of == pd.Timestamp("2024-12-31")
    # a missing is_return counts as not a return
    flags, _ = v.check_orders(_orders(is_return=[False, True, None]))
    assert flags.tolist() == [False, True, False]


def test_check_orders_bad_input():
    with pytest.raises(KeyError, match="order_date"):
        v.check_orders(_orders().drop(columns="order_date"))
    with pytest.raises(ValueError, match=r"'amount' must be numeric.*\[2\]"):
        v.check_orders(_orders(amount=[1.0, -1.0, "x"]))
    with pytest.raises(ValueError, match=r"'customer_id' has missing values in rows \[1\]"):
        v.check_orders(_orders(customer_id=["A", None, "B"]))
    with pytest.raises(ValueError, match=r"after as_of=2024-02-15 in rows \[2\]"):
        v.check_orders(_orders(), as_of="2024-02-15")
    # the return line is not marked: negative amount on a sale
    with pytest.raises(ValueError, match=r"negative values in rows \[1\].*in 'is_return'"):
        v.check_orders(_orders(is_return=[False, False, False]))
    with pytest.raises(ValueError, match=r"no column 'is_return'"):
        v.check_orders(_orders().drop(columns="is_return"))
    with pytest.raises(ValueError, match="must hold dates"):
        v.check_orders(_orders(order_date=["2024-01-01"] * 3))


def test_check_event():
    assert v.check_event(pd.DataFrame({"e": [1, 0, 1]}), "e").tolist() == [1, 0, 1]
    assert v.check_event(pd.DataFrame({"e": [1.0, 0.0]}), "e").dtype == int
    with pytest.raises(KeyError, match="churned"):
        v.check_event(pd.DataFrame({"e": [1]}), "churned")
    with pytest.raises(ValueError, match=r"got \[2\] in rows \[1\]"):
        v.check_event(pd.DataFrame({"e": [1, 2]}), "e")
    with pytest.raises(ValueError, match=r"'e' has missing values in rows \[0\]"):
        v.check_event(pd.DataFrame({"e": [np.nan, 1.0]}), "e")
    with pytest.raises(ValueError, match=r"== 'Yes'\)\.astype\(int\)"):
        v.check_event(pd.DataFrame({"e": ["Yes", "No"]}), "e")


def test_check_btyd_summary():
    s = pd.DataFrame({"frequency": [2, 0], "recency": [3.0, 0.0], "T": [4.0, 3.0]})
    x, t_x, big_t = v.check_btyd_summary(s)
    assert x.tolist() == [2.0, 0.0] and t_x.tolist() == [3.0, 0.0] and big_t.tolist() == [4, 3]
    renamed = s.rename(columns={"frequency": "x", "recency": "t_x", "T": "age"})
    assert v.check_btyd_summary(renamed, frequency="x", recency="t_x", T="age")[0].tolist() == [
        2.0,
        0.0,
    ]
    with pytest.raises(ValueError, match=r"'frequency' has negative values in rows \[1\]"):
        v.check_btyd_summary(s.assign(frequency=[2, -1]))
    # t_x > T in row 0; t_x > 0 with no repeat purchase in row 1
    with pytest.raises(ValueError, match=r"rows \[0, 1\] break this"):
        v.check_btyd_summary(s.assign(recency=[5.0, 1.0]))
    with pytest.raises(KeyError, match="'T'"):
        v.check_btyd_summary(s.drop(columns="T"))
