"""The simulator's vectorised helpers (issue 15 item 6, speed) against the plain Python
they replace: each fast path must give exactly what the slow one gave, so that a large
run stays byte-identical to the committed data's generator. The committed files are
checked bit for bit in ``test_simulate.py``; these tests cover sizes and edge cases the
committed seed does not reach (ids past their width, keys too large to combine, every
region's firm names)."""

from __future__ import annotations

import numpy as np
import pytest

from crmlab._schema import REGIONS
from crmlab.simulate._names import FirmNames
from crmlab.simulate._population import _format_ids, _ids, _sort_order


def test_format_ids_equal_python_formatting_past_their_width():
    numbers = np.array([1, 9, 10, 999_999, 1_000_000, 12_345_678])
    expected = [f"P{i:06d}" for i in numbers]  # P000001 ... P1000000 (one digit more)
    assert list(_format_ids("P", numbers, 6)) == expected
    # all ids widen together when k needs more digits: C1..C12 at width 1 -> C01..C12
    assert list(_ids("C", 12, 1)) == [f"C{i:02d}" for i in range(1, 13)]
    assert list(_ids("O", 3, 7)) == ["O0000001", "O0000002", "O0000003"]


@pytest.mark.parametrize("seed", range(5))
def test_sort_order_equals_lexsort_with_ties_dates_and_booleans(seed):
    rng = np.random.default_rng(seed)
    k = 3_000
    customer = rng.integers(0, 40, k)  # many ties: the row order must survive them
    day = np.datetime64("2022-01-01") + rng.integers(0, 30, k).astype("timedelta64[D]")
    minute = day.astype("datetime64[m]") + rng.integers(0, 3, k)
    is_return = rng.random(k) < 0.3
    for keys in [(customer, day), (customer, is_return, day), (customer, minute)]:
        np.testing.assert_array_equal(_sort_order(*keys), np.lexsort(keys))


def test_sort_order_falls_back_to_lexsort_when_keys_cannot_be_combined():
    rng = np.random.default_rng(0)
    big = rng.integers(0, 2**40, 500)  # 2^40 x 2^40 overflows an int64 key
    negative = rng.integers(-5, 5, 500)
    np.testing.assert_array_equal(_sort_order(big, big), np.lexsort((big, big)))
    np.testing.assert_array_equal(_sort_order(negative, big), np.lexsort((negative, big)))


def test_firm_originals_equal_the_records_typed_one_by_one():
    """``FirmNames.originals`` (Arrow, column by column) gives the same name, phone and
    address as the per-record methods for every firm, in every region."""
    region = np.repeat(np.arange(len(REGIONS)), 400)
    names = FirmNames(np.random.default_rng(3), region)
    name, phone, address = (x.to_pylist() for x in names.originals())
    for i in range(region.size):
        assert name[i] == names.name(i), i
        assert phone[i] == names.phone(i), i
        assert address[i] == names.address(i), i
    # both alphabets and both phone lengths occur (the branches of the fast path)
    assert any("有限公司" in x for x in name) and any(x.endswith(" Ltd") for x in name)
    assert {len(x.split()[-2] + x.split()[-1]) for x in phone} == {7, 8}
