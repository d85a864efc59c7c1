"""Input checks shared by every public function: one place, like scikit-learn's
``utils/validation.py``.

A public function of ``crmlab`` checks its input once, at entry, with these helpers, and
passes the checked data inward. One exception type per kind of fault:

- a missing column (or survey item) raises ``KeyError`` naming it and the table's columns;
- a bad value (wrong type, missing, out of range, a date after ``as_of``) raises
  ``ValueError`` naming the column and the first offending rows (:func:`format_rows`).

Never use ``assert`` for input checks: ``python -O`` strips them.

The helpers come in four groups: frames and columns (:func:`require_frame`,
:func:`require_columns`, :func:`check_frame`, :func:`require_numeric`, ...), scalars
(:func:`require_share`, :func:`require_positive`, :func:`require_int`), the company's
tables (:func:`check_orders`, :func:`check_event`, :func:`check_btyd_summary`) and survey
answers (:func:`require_items`, :func:`numeric_answers`, :func:`answer_columns`). They
live in one module per group (``_validate_columns``: frames, columns and scalars;
``_validate_tables``; ``_validate_answers``) and are imported from here.
"""

from crmlab._validate_answers import (
    SCALE,
    answer_columns,
    check_scale,
    numeric_answers,
    require_items,
    row_mean,
)
from crmlab._validate_columns import (
    as_float_array,
    check_frame,
    format_rows,
    require_columns,
    require_dates,
    require_dates_not_after,
    require_frame,
    require_in_range,
    require_int,
    require_naive_dates,
    require_no_missing,
    require_non_negative,
    require_numeric,
    require_positive,
    require_share,
    z_value,
)
from crmlab._validate_tables import check_btyd_summary, check_event, check_orders

__all__ = [
    "format_rows",
    "require_frame",
    "require_columns",
    "check_frame",
    "require_numeric",
    "require_non_negative",
    "require_no_missing",
    "require_dates",
    "require_dates_not_after",
    "require_naive_dates",
    "require_in_range",
    "as_float_array",
    "require_share",
    "require_positive",
    "require_int",
    "check_orders",
    "check_event",
    "check_btyd_summary",
    "SCALE",
    "require_items",
    "check_scale",
    "numeric_answers",
    "answer_columns",
    "row_mean",
    "z_value",
]
