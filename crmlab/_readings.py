"""Ratios in words: the readings of odds ratios and hazard ratios, per covariate type.

A model table gives one ratio per design column (:func:`crmlab.survival.design_matrix`):
a numeric column, a 0/1 (or boolean) column, or one ``col=level`` dummy of a categorical
column. "One unit more multiplies the odds by 1 (95% CI 1-1)" is true but useless for a
column counted in days or yuan, and wrong in kind for a dummy. :func:`describe_terms`
records what each column is (at fit time, from the data) and, for a numeric column, its
unit where the column's name says it (``docs/vocabulary.md``: durations carry their unit,
``*_days``, ``*_months``; counts start with ``n_``; shares are ``share`` or ``*_share``).
:func:`ratio_lines` writes one sentence per column that fits its type:

- categorical: ``size=medium: medium rather than small (the reference level) multiplies
  ...``;
- binary: ``paperless_billing: 1 rather than 0 multiplies ...``;
- a share (a fraction in [0, 1]): per 10 percentage points, since one unit is the whole
  range from 0 to 100%;
- numeric: per unit (``1 day``, ``1 month``, ``1`` for a count, ``one unit`` when the
  unit is not known), or per a step the caller names (``per={"revenue": (1000, "1,000
  yuan")}``), or, when the per-unit ratio is within half a percent of 1 (it would read
  as "+0%"), per a round step near one standard deviation of the column, with its unit
  (``days_since_last: 100 days more (about one standard deviation) ...``). A ratio per
  ``k`` units is the per-unit ratio to the power ``k``, and so are its interval's ends.

Ratios are printed with three decimals below 10 (so 1.0007 is ``1.001``, not ``1``).
The sentences follow :func:`crmlab.set_language`; the numbers are formatted the same way
in every language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from crmlab._i18n import gettext as _
from crmlab._i18n import ngettext

__all__ = ["Term", "describe_terms", "nice_step", "format_ratio", "ratio_lines", "ratio_table"]


@dataclass(frozen=True)
class Term:
    """What one design column is: ``kind`` is ``"numeric"``, ``"binary"`` or
    ``"categorical"``; ``level`` and ``reference`` name the dummy's level and the
    reference level (categorical), ``spread`` is the column's standard deviation and
    ``unit`` its unit, one of :data:`UNITS` or None when not known (numeric)."""

    covariate: str
    kind: str
    level: str | None = None
    reference: str | None = None
    spread: float = float("nan")
    unit: str | None = None


#: Units a numeric column's name can carry (docs/vocabulary.md): name token -> unit.
UNITS = {"days": "day", "weeks": "week", "months": "month", "years": "year"}
SHARE_WORDS = {"share", "rate", "proportion"}


def unit_of(name: str, values: pd.Series | None = None) -> str | None:
    """The unit of a numeric column, read from its name as the vocabulary spells it:
    ``"day"``, ``"week"``, ``"month"``, ``"year"`` (``*_days``, ``tenure_months``),
    ``"count"`` (``n_*``), ``"share"`` (``share``, ``*_share``, ``*_rate``: only when
    every value is in [0, 1]), or None.

    Parameters
    ----------
    name : str
        The column's name.
    values : Series, optional
        Its values (needed to call a column a share).

    Returns
    -------
    str or None

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> unit_of("days_since_last"), unit_of("tenure_months"), unit_of("n_orders_12m")
    ('day', 'month', 'count')
    >>> unit_of("promo_share_12m", pd.Series([0.0, 0.25])), unit_of("monthly_charges")
    ('share', None)
    """
    tokens = str(name).lower().split("_")
    if tokens[0] == "n" and len(tokens) > 1:
        return "count"
    if SHARE_WORDS & set(tokens) and values is not None:
        v = values.dropna()
        if len(v) and bool(v.between(0, 1).all()):
            return "share"
    for token in tokens:
        if token in UNITS:
            return UNITS[token]
    return None


def describe_terms(data: pd.DataFrame, covariates: Sequence[str]) -> dict[str, Term]:
    """One :class:`Term` per design column, coded as :func:`crmlab.survival.design_matrix`
    codes them (categorical: first level of the category order is the reference).

    Parameters
    ----------
    data : DataFrame
        The data the model is fitted on.
    covariates : sequence of str
        The columns passed to the model.

    Returns
    -------
    dict
        Design column name (``col`` or ``col=level``) -> :class:`Term`.

    Raises
    ------
    KeyError
        If a column is missing.

    Examples
    --------
    >>> d = pd.DataFrame({"size": pd.Categorical(["small", "large", "small"],
    ...                                          categories=["small", "large"]),
    ...                   "vip": [0, 1, 0], "age": [1.0, 2.0, 4.0]})
    >>> t = describe_terms(d, ["size", "vip", "age"])
    >>> t["size=large"].reference, t["vip"].kind, round(t["age"].spread, 3)
    ('small', 'binary', 1.528)
    """
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    terms: dict[str, Term] = {}
    for col in covariates:
        s = data[col]
        if pd.api.types.is_bool_dtype(s):
            terms[col] = Term(col, "binary", "True", "False")
        elif pd.api.types.is_numeric_dtype(s):
            if s.dropna().isin([0, 1]).all():  # vectorised: no Python set of every value
                terms[col] = Term(col, "binary", "1", "0")
            else:
                terms[col] = Term(col, "numeric", spread=float(s.std()), unit=unit_of(col, s))
        else:
            cat = s if isinstance(s.dtype, pd.CategoricalDtype) else s.astype("category")
            levels = [str(v) for v in cat.cat.remove_unused_categories().cat.categories]
            for level in levels[1:]:
                terms[f"{col}={level}"] = Term(col, "categorical", level, levels[0])
    return terms


def nice_step(spread: float) -> float:
    """The largest of 1, 2 or 5 times a power of ten not above ``spread`` (1 if ``spread``
    is not a positive number).

    Parameters
    ----------
    spread : float
        Typically a standard deviation.

    Returns
    -------
    float
        A round step, at most ``spread``.

    Raises
    ------
    Nothing: a missing or non-positive ``spread`` gives 1.

    Examples
    --------
    >>> nice_step(63.2), nice_step(19.9), nice_step(1000.0), nice_step(float("nan"))
    (50.0, 10.0, 1000.0, 1.0)
    """
    if not (isinstance(spread, int | float) and math.isfinite(spread) and spread > 0):
        return 1.0
    power = 10.0 ** math.floor(math.log10(spread))
    for m in (5, 2, 1):
        if m * power <= spread * (1 + 1e-12):
            return float(m * power)
    return float(power)  # pragma: no cover - m = 1 always fits


def format_ratio(x: float) -> str:
    """A ratio with enough digits to tell it from 1: three decimals below 10.

    Parameters
    ----------
    x : float
        A ratio (positive).

    Returns
    -------
    str
        Three decimals from 0.01 to 10, one decimal to 100, whole numbers above, two
        significant digits below 0.01.

    Raises
    ------
    Nothing: a non-finite value is printed as it is.

    Examples
    --------
    >>> format_ratio(1.0007), format_ratio(0.18512), format_ratio(10.394), format_ratio(2e-4)
    ('1.001', '0.185', '10.4', '0.0002')
    """
    if not math.isfinite(x):
        return str(x)
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 0.01:
        return f"{x:.3f}"
    return f"{x:.2g}"


def _step_label(step: float, unit: str | None) -> str:
    """``"100 days"``, ``"10 percentage points"``, ``"1"`` (a count), ``"one unit"``."""
    n, k = f"{step:,g}", 1 if step == 1 else 2  # k: which plural form
    if unit == "day":
        return ngettext("{n} day", "{n} days", k).format(n=n)
    if unit == "week":
        return ngettext("{n} week", "{n} weeks", k).format(n=n)
    if unit == "month":
        return ngettext("{n} month", "{n} months", k).format(n=n)
    if unit == "year":
        return ngettext("{n} year", "{n} years", k).format(n=n)
    if unit == "share":
        return _("{n} percentage points").format(n=f"{100 * step:,g}")
    if unit == "count" or step != 1:
        return n
    return _("one unit")


def _rounds_to_one(x: float) -> bool:
    """True when the change ``x - 1`` would print as 0% (less than half a percent)."""
    return abs(x - 1) < 0.005


def ratio_lines(
    table: pd.DataFrame,
    ratio: str,
    terms: Mapping[str, Term],
    *,
    what: str,
    confidence: float,
    per: Mapping[str, object] | None = None,
    show_p: bool = False,
) -> list[str]:
    """One sentence per row of ``table`` (columns ``ratio``, ``lower``, ``upper``, ``p``).

    Parameters
    ----------
    table : DataFrame
        Indexed by design column; ``const`` rows are skipped.
    ratio : str
        The ratio column (``"odds_ratio"``, ``"hazard_ratio"``).
    terms : mapping
        :func:`describe_terms` of the fitted data (a column not in it reads as numeric).
    what : str
        What the ratio multiplies ("the odds of churn", "the churn hazard").
    confidence : float
        Level of the intervals; a ratio is called significant when ``p < 1 - confidence``.
    per : mapping, optional
        Covariate -> step, or (step, label): read a numeric covariate per ``step`` units,
        e.g. ``{"revenue": (1000, "1,000 yuan"), "days_since_last": (30, "30 days")}``.
    show_p : bool
        Add the p-value.

    Returns
    -------
    list of str
        One sentence per design column.

    Raises
    ------
    ValueError
        If a step in ``per`` is not a positive number, or names no numeric covariate.

    Examples
    --------
    >>> t = pd.DataFrame({"odds_ratio": [2.0], "lower": [1.5], "upper": [2.7], "p": [0.001]},
    ...                  index=["vip"])
    >>> ratio_lines(t, "odds_ratio", {"vip": Term("vip", "binary", "1", "0")},
    ...             what="the odds of churn", confidence=0.95)
    ['vip: 1 rather than 0 multiplies the odds of churn by 2.000 (+100%; 95% CI 1.500-2.700)']
    """
    per = dict(per or {})
    numeric = {t.covariate for t in terms.values() if t.kind == "numeric"}
    for cov, spec in per.items():
        step = spec[0] if isinstance(spec, tuple) else spec
        if not (isinstance(step, int | float) and math.isfinite(step) and step > 0):
            raise ValueError(f"per[{cov!r}]: the step must be a positive number, got {step!r}.")
        if terms and cov not in numeric:
            raise ValueError(
                f"per[{cov!r}]: not a numeric covariate of this model "
                f"(numeric ones: {sorted(numeric)})."
            )
    level = f"{100 * confidence:g}%"
    alpha = f"{100 * (1 - confidence):.3g}%"
    lines = []
    for name, r in table.drop(index="const", errors="ignore").iterrows():
        t = terms.get(name, Term(name, "numeric"))
        value, low, high = float(r[ratio]), float(r["lower"]), float(r["upper"])
        if t.kind == "categorical":
            change = _("{level} rather than {reference} (the reference level)").format(
                level=t.level, reference=t.reference
            )
        elif t.kind == "binary":
            change = _("{level} rather than {reference}").format(
                level=t.level, reference=t.reference
            )
        else:
            step, note = 1.0, ""
            if name in per:
                spec = per[name]
                step, label = spec if isinstance(spec, tuple) else (spec, f"{spec:,g}")
            else:
                if t.unit == "share":
                    step = 0.1
                elif _rounds_to_one(value) and nice_step(t.spread) > 1:
                    step = nice_step(t.spread)
                    note = _(" (about one standard deviation)")
                label = _step_label(step, t.unit)
            value, low, high = value**step, low**step, high**step
            change = _("{label} more{note}").format(label=label, note=note)
        pct = f"{value - 1:+.0%}".replace("-", "−")
        tail = (
            ""
            if r["p"] < 1 - confidence
            else _("; not significant at the {alpha} level").format(alpha=alpha)
        )
        p = _(", p = {p}").format(p=f"{r['p']:.3g}") if show_p else ""
        lines.append(
            _(
                "{name}: {change} multiplies {what} by {ratio} "
                "({pct}; {level} CI {low}-{high}{p}{tail})"
            ).format(
                name=name,
                change=change,
                what=what,
                ratio=format_ratio(value),
                pct=pct,
                level=level,
                low=format_ratio(low),
                high=format_ratio(high),
                p=p,
                tail=tail,
            )
        )
    return lines


def ratio_table(
    params: pd.Series, bse: pd.Series, *, z: float, ratio: str, index: str
) -> pd.DataFrame:
    """The table of a log-linear model's ratios: coefficient, standard error, ratio
    ``exp(coef)``, its Wald interval ``exp(coef -/+ z * se)`` and the two-sided p-value.

    Parameters
    ----------
    params, bse : Series
        Coefficients and standard errors, indexed by design column.
    z : float
        The normal quantile of the interval (1.96 for 95%).
    ratio : str
        Name of the ratio column (``"odds_ratio"``, ``"hazard_ratio"``).
    index : str
        Name of the index (``"feature"``, ``"covariate"``).

    Returns
    -------
    DataFrame
        Columns ``coef``, ``se``, ``ratio``, ``lower``, ``upper``, ``p``.

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> t = ratio_table(pd.Series({"x": 0.5}), pd.Series({"x": 0.25}), z=1.96,
    ...                 ratio="odds_ratio", index="feature")
    >>> t.round(4).loc["x"].tolist()  # exp(0.5), exp(0.5 -/+ 0.49) = exp(0.01), exp(0.99); z = 2
    [0.5, 0.25, 1.6487, 1.0101, 2.6912, 0.0455]
    """
    return pd.DataFrame(
        {
            "coef": params,
            "se": bse,
            ratio: np.exp(params),
            "lower": np.exp(params - z * bse),
            "upper": np.exp(params + z * bse),
            "p": 2 * stats.norm.sf(np.abs(params / bse)),
        }
    ).rename_axis(index)
