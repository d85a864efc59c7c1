"""Sampling design (抽样设计, course notes §1, [CRM textbook]): sample sizes with the
finite-population correction, stratified samples with proportional or Neyman allocation,
design and post-stratification weights, weighted estimates.

Chapter 01's survey analysis (:mod:`crmlab.survey`) uses these.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab._validate import (
    numeric_answers,
    require_columns,
    require_frame,
    require_int,
    require_items,
    require_positive,
    require_share,
    z_value,
)

__all__ = [
    "sample_size_proportion",
    "sample_size_mean",
    "allocate_sample",
    "stratified_sample",
    "poststratification_weights",
    "weighted_estimates",
    "compare_allocations",
]


def _fpc(n0: float, population: int | None) -> int:
    if population is not None:
        require_int(population, "population", low=1)
        n0 = n0 / (1 + (n0 - 1) / population)
    return int(np.ceil(round(n0, 9)))


def sample_size_proportion(
    p: float, margin: float, confidence: float = 0.95, population: int | None = None
) -> int:
    """Sample size (样本量) to estimate a proportion within ``± margin``.

    ``n0 = z² p (1 − p) / margin²`` with ``z`` the normal quantile of ``confidence``; with a
    finite ``population`` N the correction ``n = n0 / (1 + (n0 − 1) / N)`` (Cochran 1977,
    eq. 4.2); rounded up to a whole respondent.

    Parameters
    ----------
    p : float
        Expected proportion in [0, 1]; 0.5 is the safe (largest) choice.
    margin : float
        Half-width of the confidence interval, in (0, 1).
    confidence : float, default 0.95
    population : int, optional
        Population size N for the finite-population correction.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``p``, ``margin`` or ``confidence`` is outside its range, or ``population`` is
        not a positive int.

    Examples
    --------
    >>> sample_size_proportion(0.5, 0.05), sample_size_proportion(0.5, 0.05, population=2000)
    (385, 323)
    """
    p = require_share(p, "p")
    margin = require_share(margin, "margin", closed_low=False, closed_high=False)
    return _fpc(z_value(confidence) ** 2 * p * (1 - p) / margin**2, population)


def sample_size_mean(
    sd: float, margin: float, confidence: float = 0.95, population: int | None = None
) -> int:
    """Sample size to estimate a mean within ``± margin``: ``n0 = (z sd / margin)²``, then
    the finite-population correction as in :func:`sample_size_proportion`.

    Parameters
    ----------
    sd : float
        Standard deviation of the variable, > 0.
    margin : float
        Half-width of the interval wanted, > 0.
    confidence : float
        Confidence level, in (0, 1).
    population : int, optional
        Population size for the finite-population correction.

    Returns
    -------
    int
        Respondents needed (rounded up).

    Raises
    ------
    ValueError
        If ``sd`` or ``margin`` is not > 0, or as in :func:`sample_size_proportion`.

    Examples
    --------
    A satisfaction score with standard deviation 1 point, known to ± 0.1 point:

    >>> sample_size_mean(1.0, 0.1), sample_size_mean(1.0, 0.1, population=2000)
    (385, 323)
    """
    sd, margin = require_positive(sd, "sd"), require_positive(margin, "margin")
    return _fpc((z_value(confidence) * sd / margin) ** 2, population)


def _largest_remainder(exact: np.ndarray, n: int) -> np.ndarray:
    whole = np.floor(exact + 1e-9).astype(int)
    left = n - whole.sum()
    order = np.lexsort((np.arange(exact.size), -(exact - whole)))  # largest remainder first
    whole[order[:left]] += 1
    return whole


def allocate_sample(
    sizes: pd.Series, n: int, *, method: str = "proportional", sd: pd.Series | None = None
) -> pd.DataFrame:
    """Allocate ``n`` respondents to strata (分层抽样): proportional or Neyman.

    Proportional: ``n_h ∝ N_h``. Neyman (optimal for a mean): ``n_h ∝ N_h S_h``.
    **Rounding rule**: the exact shares are floored and the units left over go one each to
    the strata with the largest fractional parts (largest-remainder method; ties to the
    stratum listed first), so the allocation sums exactly to ``n``. A stratum whose share
    exceeds its size is capped at ``N_h`` (take all) and the rest is reallocated.

    Parameters
    ----------
    sizes : Series
        Stratum -> population size ``N_h``.
    n : int
        Total sample size, at most ``sizes.sum()``.
    method : {"proportional", "neyman"}
    sd : Series, optional
        Stratum -> standard deviation ``S_h`` of the study variable (Neyman only).

    Returns
    -------
    DataFrame
        Index stratum; ``population``, ``sd``, ``exact`` (unrounded share), ``n`` and
        ``design_weight`` = ``N_h / n_h`` (NaN where ``n_h`` = 0).

    Raises
    ------
    ValueError
        If ``method`` is unknown, ``n`` exceeds the population, a size is negative, or
        Neyman lacks ``sd`` for a stratum.

    Examples
    --------
    >>> allocate_sample(pd.Series({"a": 500, "b": 300, "c": 200}), 10)["n"].tolist()
    [5, 3, 2]
    """
    if method not in ("proportional", "neyman"):
        raise ValueError(f"method must be 'proportional' or 'neyman', got {method!r}.")
    sizes = pd.Series(sizes, dtype=float)
    if (sizes < 0).any() or sizes.isna().any():
        raise ValueError(f"stratum sizes must be >= 0, got {sizes.to_dict()}.")
    n = require_int(n, "n", low=1, high=int(sizes.sum()))  # at most the population
    if method == "neyman":
        if sd is None:
            raise ValueError("method='neyman' needs sd: the standard deviation per stratum.")
        sd = pd.Series(sd, dtype=float).reindex(sizes.index)
        if sd.isna().any() or (sd < 0).any():
            raise ValueError(
                f"sd is missing or negative for strata {sd.index[sd.isna() | (sd < 0)].tolist()}."
            )
        base = sizes * sd
    else:
        base = sizes.copy()
    capped = pd.Series(False, index=sizes.index)
    while True:
        free = n - sizes[capped].sum()
        share = base.where(~capped, 0.0)
        exact = (free * share / share.sum()).where(~capped, sizes)
        over = (exact > sizes) & ~capped
        if not over.any():
            break
        capped |= over
    alloc = _largest_remainder(exact.to_numpy(), n)
    out = pd.DataFrame(
        {
            "population": sizes.astype(int),
            "sd": sd if sd is not None else np.nan,
            "exact": exact,
            "n": alloc,
        }
    )
    out["design_weight"] = out["population"] / out["n"].where(out["n"] > 0)
    return out


def stratified_sample(
    data: pd.DataFrame,
    n: int,
    *,
    strata: str = "size",
    method: str = "proportional",
    value: str | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Draw a stratified random sample (分层随机抽样) without replacement.

    Allocation by :func:`allocate_sample` (Neyman uses the standard deviation of column
    ``value`` in each stratum); within a stratum a simple random sample.

    Parameters
    ----------
    data : DataFrame
        The sampling frame, one row per member of the population.
    n : int
        Sample size, at most the population.
    strata : str
        Stratum column.
    method : {"proportional", "neyman"}
        Allocation (:func:`allocate_sample`).
    value : str, optional
        Column whose standard deviation per stratum drives Neyman allocation.
    seed : int
        Seed of the random draw.

    Returns
    -------
    DataFrame
        The sampled rows (original index kept) plus ``design_weight`` = ``N_h / n_h``:
        each respondent stands for that many members of the population.

    Raises
    ------
    KeyError
        If ``strata`` or ``value`` is not a column.
    ValueError
        As in :func:`allocate_sample`; Neyman without ``value``.

    Examples
    --------
    >>> df = pd.DataFrame({"size": ["s"] * 8 + ["l"] * 2})
    >>> stratified_sample(df, 5, seed=1)["design_weight"].tolist()
    [2.0, 2.0, 2.0, 2.0, 2.0]
    """
    require_frame(data, "data")
    require_columns(data, [strata] + ([value] if value else []), "data")
    if method == "neyman" and value is None:
        raise ValueError("method='neyman' needs value: the column whose mean is estimated.")
    groups = data.groupby(strata, observed=True, sort=True)
    sd = groups[value].std(ddof=1).fillna(0.0) if method == "neyman" else None
    alloc = allocate_sample(groups.size(), n, method=method, sd=sd)
    rng = np.random.default_rng(seed)
    picked = []
    for key, rows in groups.indices.items():
        k = int(alloc.loc[key, "n"])
        picked.append(np.sort(rng.choice(rows, k, replace=False)))
    sample = data.iloc[np.concatenate(picked)].copy()
    sample["design_weight"] = sample[strata].map(alloc["design_weight"]).astype(float)
    return sample


def poststratification_weights(
    sample: pd.DataFrame, population: pd.DataFrame, *, strata: str = "size"
) -> pd.Series:
    """Weights ``N_h / n_h`` that make respondents match the population's strata
    (post-stratification, 事后分层), e.g. to correct a response bias by customer size.

    Parameters
    ----------
    sample : DataFrame
        The respondents.
    population : DataFrame
        The population (or the invited), same stratum column.
    strata : str
        Stratum column.

    Returns
    -------
    Series
        Weight per respondent (index of ``sample``), named ``weight``.

    Raises
    ------
    KeyError
        If ``strata`` is not a column of both tables.
    ValueError
        If a table is empty or a stratum of ``population`` has no one in ``sample``.

    Examples
    --------
    >>> pop = pd.DataFrame({"size": ["s"] * 6 + ["l"] * 4})
    >>> poststratification_weights(pop.iloc[[0, 1, 6, 7, 8]], pop).tolist()
    [3.0, 3.0, 1.3333333333333333, 1.3333333333333333, 1.3333333333333333]
    """
    require_frame(sample, "sample")
    require_frame(population, "population")
    require_columns(sample, [strata], "sample")
    require_columns(population, [strata], "population")
    big = population[strata].value_counts()
    small = sample[strata].value_counts().reindex(big.index, fill_value=0)
    empty = small.index[(small == 0) & (big > 0)].tolist()
    if empty:
        raise ValueError(
            f"strata {empty} of {strata!r} have no one in the sample: "
            "their weight would be infinite; merge them with a neighbour."
        )
    weight = (big / small).astype(float)
    return sample[strata].map(weight).astype(float).rename("weight")


def weighted_estimates(
    data: pd.DataFrame, *, columns: list[str], weight: str = "design_weight"
) -> pd.DataFrame:
    """Unweighted and weighted means of ``columns`` side by side (missing values skipped).

    Parameters
    ----------
    data : DataFrame
        The respondents with a weight column.
    columns : list of str
        Numeric columns to average.
    weight : str
        Weight column.

    Returns
    -------
    DataFrame
        Index column; ``n``, ``unweighted``, ``weighted``, ``difference`` (weighted −
        unweighted).

    Raises
    ------
    KeyError
        If a column or the weight is missing.
    ValueError
        If ``data`` is empty, a column is not numeric or a weight is negative or missing.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [1.0, 3.0], "design_weight": [3.0, 1.0]})
    >>> weighted_estimates(df, columns=["x"]).loc["x", ["unweighted", "weighted"]].tolist()
    [2.0, 1.5]
    """
    columns = require_items(data, columns, [], name="data")
    require_columns(data, [weight], "data")
    w = numeric_answers(data, [weight], None)[:, 0]
    if np.isnan(w).any() or (w < 0).any():
        raise ValueError(f"weight column {weight!r} must be >= 0 with no missing values.")
    rows = {}
    for col in columns:
        x = numeric_answers(data, [col], None)[:, 0]
        ok = ~np.isnan(x)
        rows[col] = {
            "n": int(ok.sum()),
            "unweighted": x[ok].mean(),
            "weighted": np.average(x[ok], weights=w[ok]),
        }
    out = pd.DataFrame(rows).T
    out["n"] = out["n"].astype(int)
    out["difference"] = out["weighted"] - out["unweighted"]
    return out


def compare_allocations(
    data: pd.DataFrame,
    n: int,
    *,
    strata: str = "size",
    value: str,
    methods: Sequence[str] = ("proportional", "neyman"),
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw one stratified sample per allocation method and compare what each estimates.

    Parameters
    ----------
    data : DataFrame
        The sampling frame (the whole population, so the true mean is known).
    n : int
        Sample size.
    strata : str
        Stratum column.
    value : str
        The numeric column whose mean is estimated (and drives Neyman allocation).
    methods : sequence of str
        Allocation methods of :func:`stratified_sample`.
    seed : int
        Seed of each random draw (the same for every method).

    Returns
    -------
    allocation : DataFrame
        Strata x methods: sampled customers per stratum, plus ``population``.
    estimates : DataFrame
        Methods x (``unweighted``, ``weighted``) means of ``value``, plus
        ``population (true)``, the mean over ``data``.

    Raises
    ------
    KeyError
        If ``strata`` or ``value`` is not a column.
    ValueError
        As :func:`stratified_sample`; or ``methods`` is empty.

    Examples
    --------
    >>> df = pd.DataFrame({"size": ["s"] * 8 + ["l"] * 2, "x": [1.0] * 8 + [11.0, 11.0]})
    >>> alloc, est = compare_allocations(df, 5, value="x", methods=["proportional"], seed=1)
    >>> alloc["proportional"].to_dict(), alloc["population"].to_dict()  # 5 of 10: half each
    ({'l': 1, 's': 4}, {'l': 2, 's': 8})
    >>> est.loc["proportional"].tolist()  # (4 x 1 + 11) / 5 = 3; weights 2: 3; true 30 / 10
    [3.0, 3.0, 3.0]
    """
    methods = list(methods)
    if not methods:
        raise ValueError("methods is empty: name at least one allocation method.")
    require_frame(data, "data")
    require_columns(data, [strata, value], "data")
    frames = {
        m: stratified_sample(data, n, strata=strata, method=m, value=value, seed=seed)
        for m in methods
    }
    allocation = pd.DataFrame({m: f[strata].value_counts().sort_index() for m, f in frames.items()})
    allocation["population"] = data[strata].value_counts().sort_index()
    estimates = pd.DataFrame(
        {
            m: weighted_estimates(f, columns=[value]).loc[value, ["unweighted", "weighted"]]
            for m, f in frames.items()
        }
    ).T
    estimates["population (true)"] = data[value].mean()
    return allocation, estimates
