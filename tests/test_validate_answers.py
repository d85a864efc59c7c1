"""Tests of crmlab._validate_answers (survey answers on a Likert scale): one test
per rule, asserting the exception type and that the message names the item or the rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import _validate_answers as v


# --------------------------------------------------------------------------- survey answers
def test_require_items():
    d = pd.DataFrame({"q1": [1], "q2": [2]})
    assert v.require_items(d, None, ["q1", "q2"]) == ["q1", "q2"]
    assert v.require_items(d, "q2", []) == ["q2"]
    with pytest.raises(KeyError, match=r"unknown item\(s\) \['q9'\]: survey has no such column"):
        v.require_items(d, ["q1", "q9"], [], name="survey")
    with pytest.raises(ValueError, match="need at least 2 items, got 1"):
        v.require_items(d, ["q1"], [], minimum=2)


def test_check_scale():
    assert v.check_scale((1, 7)) == (1.0, 7.0)
    with pytest.raises(ValueError, match="pair"):
        v.check_scale(5)
    with pytest.raises(ValueError, match="low < high"):
        v.check_scale((3, 3))


def test_numeric_answers_and_answer_columns_agree():
    d = pd.DataFrame({"a": [1, 2, None], "b": [5.0, np.nan, 4.0]}, index=[7, 8, 9])
    arr = v.numeric_answers(d, ["a", "b"])
    np.testing.assert_array_equal(arr, [[1, 5], [2, np.nan], [np.nan, 4]])
    cols = v.answer_columns(d, ["a", "b"])
    np.testing.assert_array_equal(np.column_stack(cols), arr)
    # a float64 column comes back without a copy
    assert np.shares_memory(cols[1], d["b"].to_numpy())
    for check in (v.numeric_answers, v.answer_columns):
        with pytest.raises(
            ValueError, match=r"'a' has answers outside the scale 1\.\.5 in rows \[8\]"
        ):
            check(d.assign(a=[1, 9, None]), ["a", "b"])
        with pytest.raises(ValueError, match="'b' is all missing"):
            check(d.assign(b=np.nan), ["a", "b"])
        with pytest.raises(ValueError, match="'a' must hold numeric answers"):
            check(d.assign(a=["x", "y", "z"]), ["a", "b"])
    # no scale, no range check; all-missing allowed when asked
    assert v.numeric_answers(d.assign(a=[9, 9, 9]), ["a"], None)[0, 0] == 9
    assert np.isnan(v.numeric_answers(d.assign(b=np.nan), ["b"], need_answers=False)).all()


def test_row_mean():
    np.testing.assert_array_equal(
        v.row_mean(np.array([[1.0, 3.0], [np.nan, 4.0], [np.nan, np.nan]])), [2.0, 4.0, np.nan]
    )
