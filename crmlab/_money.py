"""One definition of money, shared by the pandas functions and :mod:`crmlab.engine`.

Money is counted in whole cents (分): an amount is rounded to the nearest cent, halves
upward, ``cents = floor(amount * 100 + 0.5)``, and sums of money are sums of these
integers, which are exact in any order. A result in yuan is ``cents / 100``, one correctly
rounded division. pandas, DuckDB and Spark all do these two steps with the same IEEE
operations, so a customer's revenue is the same float on every engine, whereas a float
sum of the amounts depends on the order of the additions (DuckDB and Spark add in another
order than pandas, and in DECIMAL) and differs in the last bits for about one customer
in ten.
"""

from __future__ import annotations

import numpy as np

#: Cents per unit of money.
CENTS = 100
#: Largest amount whose cents a float64 holds exactly (2**53 cents).
MAX_AMOUNT = 2.0**53 / CENTS


def to_cents(amounts: object, name: str = "amount") -> np.ndarray:
    """Amounts as int64 whole cents, ``floor(amount * 100 + 0.5)``.

    Parameters
    ----------
    amounts : array-like of float
        Money (yuan, dollars, ...), one value per line or customer.
    name : str
        What the values are, for the error message.

    Returns
    -------
    ndarray of int64
        Whole cents, halves rounded upward.

    Raises
    ------
    ValueError
        If an amount is missing, infinite or beyond ±2**53 cents (about 9e13).

    Examples
    --------
    >>> to_cents([5951.1, -12.345, 0.125, 19.99]).tolist()
    [595110, -1234, 13, 1999]
    """
    arr = np.asarray(amounts, dtype=float)
    bad = ~np.isfinite(arr) | (np.abs(arr) >= MAX_AMOUNT)
    if bad.any():
        where = np.flatnonzero(bad)[:5].tolist()
        raise ValueError(
            f"{name} has missing, infinite or too large values (|amount| must stay below "
            f"{MAX_AMOUNT:.3g}) at positions {where}."
        )
    return np.floor(arr * CENTS + 0.5).astype(np.int64)


def from_cents(cents: object) -> np.ndarray:
    """Whole cents back to money, ``cents / 100`` (the float nearest to the decimal value).

    Parameters
    ----------
    cents : array-like of int
        Whole cents.

    Returns
    -------
    ndarray of float
        Money, one correctly rounded division each.

    Raises
    ------
    ValueError
        If a value is not a whole number of cents.

    Examples
    --------
    >>> from_cents([595110, -1234]).tolist()
    [5951.1, -12.34]
    """
    arr = np.asarray(cents, dtype=float)
    bad = np.flatnonzero(arr != np.floor(arr))
    if bad.size:
        raise ValueError(f"cents must be whole numbers; positions {bad[:5].tolist()} are not.")
    return arr / CENTS
