"""Column types of a table, applied the same way to a freshly simulated table and to
one read back from CSV, so that both compare equal."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

DATE_DTYPE = "datetime64[ns]"


def apply_schema(
    frame: pd.DataFrame,
    *,
    ids: tuple[str, ...] | list[str] = (),
    dates: tuple[str, ...] | list[str] = (),
    categories: Mapping[str, list | None] | None = None,
    ordered: tuple[str, ...] | list[str] = (),
    dtypes: Mapping[str, str] | None = None,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Cast the columns of ``frame`` in place and return it.

    ids become strings, dates ``datetime64[ns]``, categories ``category`` with the given
    levels (``None``: the sorted levels present), ``dtypes`` any other explicit dtype.
    A categorical value outside its levels raises ``ValueError`` naming the column.
    """
    for col in ids:
        frame[col] = frame[col].astype("str").where(frame[col].notna())
    for col in dates:
        frame[col] = pd.to_datetime(frame[col], format=date_format).astype(DATE_DTYPE)
    for col, dtype in (dtypes or {}).items():
        frame[col] = frame[col].astype(dtype)
    for col, levels in (categories or {}).items():
        if levels is None:
            frame[col] = frame[col].astype("category")
            continue
        unknown = sorted(set(frame[col].dropna().unique()) - set(levels))
        if unknown:
            raise ValueError(f"column {col!r} holds values {unknown} outside its levels {levels}.")
        frame[col] = frame[col].astype(pd.CategoricalDtype(levels, ordered=col in ordered))
    return frame
