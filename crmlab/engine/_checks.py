"""Input checks on engine tables: the schema first (missing columns, wrong types), then
one aggregation pass for the values (missing ids or dates, lines after ``as_of``,
negative amounts not marked as returns). Messages name the column and show the first
offending lines by their values (a file has no row labels)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.datatypes as dt
import pandas as pd

_SHOWN = 5


def require_columns(table: ibis.Table, columns: Sequence[str], name: str) -> None:
    """Raise ``KeyError`` naming the columns of ``columns`` missing from ``table``."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(f"{name} has no column(s) {missing}; its columns are {list(table.columns)}.")


def _kind(table: ibis.Table, column: str) -> dt.DataType:
    return table.schema()[column]


def require_dates(table: ibis.Table, column: str, name: str) -> None:
    """Raise ``ValueError`` unless ``column`` holds dates or (time-zone naive) timestamps."""
    kind = _kind(table, column)
    if kind.is_timestamp() and kind.timezone is not None:
        raise ValueError(
            f"column {column!r} of {name} holds timestamps with time zone {kind.timezone!r}; "
            "convert them to local dates or naive timestamps first (the day of a purchase "
            "depends on the zone)."
        )
    if not (kind.is_date() or kind.is_timestamp()):
        raise ValueError(
            f"column {column!r} of {name} must hold dates or timestamps, got {kind}. "
            "Parse it first (for a CSV file, e.g. read_csv(..., dateformat='%Y-%m-%d'))."
        )


def require_numeric(table: ibis.Table, column: str, name: str) -> None:
    """Raise ``ValueError`` unless ``column`` holds numbers (integer, float or decimal)."""
    kind = _kind(table, column)
    if not kind.is_numeric() or kind.is_boolean():
        raise ValueError(
            f"column {column!r} of {name} must be numeric, got {kind}. Numbers stored as "
            "text must be converted (and the lines that are not numbers fixed) first."
        )


def flag(table: ibis.Table, column: str | None, name: str) -> ibis.Value:
    """A boolean expression of column ``column`` (missing = False); False if absent."""
    if column is None or column not in table.columns:
        return ibis.literal(False)
    kind = _kind(table, column)
    col = table[column]
    if kind.is_boolean():
        return col.fill_null(False)
    if kind.is_integer():
        return (col != 0).fill_null(False)
    raise ValueError(f"column {column!r} of {name} must be boolean (or 0/1), got {kind}.")


def fail_with_examples(
    table: ibis.Table,
    condition: ibis.Value,
    columns: Sequence[str],
    message: str,
) -> None:
    """Raise ``ValueError(message)`` followed by the first lines where ``condition`` holds."""
    shown = table.filter(condition).select(*columns).limit(_SHOWN).to_pandas()
    lines = "; ".join(
        ", ".join(f"{c}={_show(v)}" for c, v in zip(columns, row, strict=True))
        for row in shown.itertuples(index=False)
    )
    raise ValueError(f"{message} The first: {lines}.")


def show_date(value: pd.Timestamp) -> str:
    """A timestamp as its date when it is midnight."""
    return str(value.date()) if value == value.normalize() else str(value)


def _show(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return str(value.date()) if value == value.normalize() else str(value)
    return repr(value.item() if hasattr(value, "item") else value)


def require_values(
    table: ibis.Table,
    checks: Sequence[tuple[str, ibis.Value, Sequence[str], str]],
    extra: Mapping[str, ibis.Scalar] | None = None,
) -> dict[str, object]:
    """Count, in one pass, the lines (``n_lines``) and the lines failing each check
    ``(key, condition, columns, message)``; raise for the first check with a count above
    0, showing its lines. Returns the counts, and the values of the ``extra`` aggregates
    computed in the same pass (e.g. the last order time)."""
    extra = dict(extra or {})
    counts = table.aggregate(
        n_lines=table.count(),
        **{key: cond.cast("int64").sum().fill_null(0) for key, cond, _, _ in checks},
        **extra,
    ).to_pandas()
    result: dict[str, object] = {
        key: int(counts[key].iloc[0]) for key in counts.columns if key not in extra
    }
    for key, cond, columns, message in checks:
        if result[key]:
            fail_with_examples(table, cond, columns, f"{message} {result[key]:,} lines.")
    result.update({key: counts[key].iloc[0] for key in extra})
    return result
