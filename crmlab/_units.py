"""Days in one time unit, shared by the BTYD summaries (:mod:`crmlab.btyd`), the
survival tables (:mod:`crmlab.survival`) and the engine (:mod:`crmlab.engine`). A module
of its own, without imports, so that the engine does not load SciPy and statsmodels for
a table of three numbers."""

from __future__ import annotations

__all__ = ["UNIT_DAYS", "unit_days"]

UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}


def unit_days(unit: str) -> float:
    """Days in one time unit of the BTYD summaries (:data:`UNIT_DAYS`).

    :func:`crmlab.btyd.rfm_summary` and the engine's :func:`crmlab.engine.rfm_summary` divide day
    counts by it to give recency and T in ``unit``.

    Parameters
    ----------
    unit : {"week", "day", "month"}
        A week is 7 days; a month is 365.25 / 12 = 30.4375 days (a mean calendar month).

    Returns
    -------
    float
        Days per unit.

    Raises
    ------
    ValueError
        If ``unit`` is not one of the keys of :data:`UNIT_DAYS` (the message lists them).

    Examples
    --------
    >>> unit_days("week"), unit_days("month")
    (7.0, 30.4375)
    >>> unit_days("year")
    Traceback (most recent call last):
    ...
    ValueError: unit must be one of ['day', 'week', 'month'], got 'year'.
    """
    if unit not in UNIT_DAYS:
        raise ValueError(f"unit must be one of {list(UNIT_DAYS)}, got {unit!r}.")
    return UNIT_DAYS[unit]
