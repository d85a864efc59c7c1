"""The verdicts and records of the claims ledger (:mod:`crmlab.claims`): the rules
:func:`within` and :func:`at_least`, :func:`format_value` and the one-line formats the
computations share (:func:`pct`, :func:`signed_pct`, :func:`yuan`, :func:`label_of`), and
:class:`Finding`, one claim measured on one data set (:func:`band_finding` makes one from a
tolerance band). The public API is :mod:`crmlab.claims`, which imports the rules from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from crmlab._claims_text import LABELS

__all__ = [
    "HOLDS",
    "FAILS",
    "UNTESTABLE",
    "VERDICTS_ZH",
    "UNITS",
    "within",
    "at_least",
    "format_value",
    "Finding",
]

HOLDS = "holds"
FAILS = "does not hold"
UNTESTABLE = "not testable here"
#: The verdicts in Chinese.
VERDICTS_ZH = {HOLDS: "成立", FAILS: "不成立", UNTESTABLE: "此处无法检验"}


# --------------------------------------------------------------------------- rules
def _number(x: object, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {x!r}.")
    if not math.isfinite(float(x)):
        raise ValueError(f"{name} must be finite, got {x!r}.")
    return float(x)


def within(x: float, low: float, high: float) -> str:
    """Verdict of a tolerance band: :data:`HOLDS` if ``low <= x <= high``, else :data:`FAILS`.

    The bounds belong to the band (up to 1e-12, so that 0.1 + 0.2 counts as 0.3).

    Parameters
    ----------
    x : float
        The measured value.
    low, high : float
        The band of values for which the claim holds.

    Returns
    -------
    str
        :data:`HOLDS` or :data:`FAILS`.

    Raises
    ------
    ValueError
        If a bound or ``x`` is not a finite number, or ``low > high``.

    Examples
    --------
    >>> within(0.40, 0.40, 0.60), within(0.39, 0.40, 0.60)
    ('holds', 'does not hold')
    """
    x, low, high = _number(x, "x"), _number(low, "low"), _number(high, "high")
    if low > high:
        raise ValueError(f"the band is empty: low {low} > high {high}.")
    return HOLDS if low - 1e-12 <= x <= high + 1e-12 else FAILS


def at_least(x: float, low: float) -> str:
    """Verdict of a one-sided rule: :data:`HOLDS` if ``x >= low`` (up to 1e-12).

    Parameters
    ----------
    x : float
        The measured value.
    low : float
        The smallest value for which the claim holds.

    Returns
    -------
    str
        :data:`HOLDS` or :data:`FAILS`.

    Raises
    ------
    ValueError
        If ``x`` or ``low`` is not a finite number.

    Examples
    --------
    >>> at_least(0.75, 0.75), at_least(0.7499, 0.75)
    ('holds', 'does not hold')
    """
    x, low = _number(x, "x"), _number(low, "low")
    return HOLDS if x >= low - 1e-12 else FAILS


# --------------------------------------------------------------------------- formats
def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def signed_pct(x: float) -> str:
    return f"{100 * x:+.1f}%"


def yuan(x: float, zh: bool = False) -> str:
    return f"{x:,.0f}元" if zh else f"{x:,.0f} yuan"


def label_of(name: str, zh: bool = False) -> str:
    return LABELS.get(name, (name, name))[1 if zh else 0]


UNITS = ("share", "change", "yuan", "number", "per_week")


def format_value(x: float, unit: str, zh: bool = False) -> str:
    """A finding's value as the ledger prints it.

    Parameters
    ----------
    x : float
        The value; NaN or None when the claim has no number.
    unit : {"share", "change", "yuan", "number", "per_week"}
        A fraction (printed as a percentage), a relative change (signed percentage), an
        amount in yuan, a plain number, or a count per week.
    zh : bool
        Chinese edition (元, 每周).

    Returns
    -------
    str
        "—" when there is no number.

    Raises
    ------
    Nothing: an unknown unit prints the plain number.

    Examples
    --------
    >>> format_value(0.8423, "share"), format_value(-0.129, "change")
    ('84.2%', '-12.9%')
    >>> format_value(float("nan"), "share")
    '—'
    >>> format_value(70814.2, "yuan", zh=True)
    '70,814元'
    """
    if x is None or math.isnan(x):
        return "—"
    if unit == "share":
        return pct(x)
    if unit == "change":
        return signed_pct(x)
    if unit == "yuan":
        return yuan(x, zh)
    if unit == "per_week":
        return f"每周{x:.1f}" if zh else f"{x:.1f} a week"
    return f"{x:.3f}"


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Finding:
    """One claim measured on one data set.

    ``value`` is the number (NaN when there is none) in ``unit``: ``share`` (a fraction),
    ``change`` (a relative change), ``yuan``, ``number`` or ``per_week``; ``measure`` says
    what it is; ``verdict`` is :data:`HOLDS`, :data:`FAILS` or :data:`UNTESTABLE` and
    ``reason`` says why in one line. ``*_zh`` are the Chinese texts.
    """

    value: float
    unit: str
    measure: str
    measure_zh: str
    verdict: str
    reason: str
    reason_zh: str

    @property
    def verdict_zh(self) -> str:
        return VERDICTS_ZH[self.verdict]


def band_finding(
    x: float,
    unit: str,
    low: float,
    high: float,
    measure: tuple[str, str],
    said: tuple[str, str],
) -> Finding:
    """A finding whose verdict is the band ``[low, high]``; the reason is ``said`` plus
    where ``x`` falls."""
    verdict = within(x, low, high)

    def fmt(edge: float) -> str:  # a bound as a percentage, without a trailing ".0"
        text = f"{100 * edge:{'+' if unit == 'change' else ''}.1f}".removesuffix(".0")
        return f"{text}%"

    band, band_zh = f"{fmt(low)} to {fmt(high)}", f"{fmt(low)}至{fmt(high)}"
    if verdict == HOLDS:
        where, where_zh = f"inside {band}", f"在{band_zh}之间"
    else:
        side, side_zh = ("above", "高于") if x > high else ("below", "低于")
        edge = fmt(high if x > high else low)
        where, where_zh = f"{side} {band}", f"{side_zh}{edge}（范围{band_zh}）"
    return Finding(x, unit, *measure, verdict, f"{said[0]}, {where}", f"{said[1]}，{where_zh}")
