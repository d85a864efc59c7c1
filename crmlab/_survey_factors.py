"""Chapter 01, structure of the survey: exploratory factor analysis (探索性因子分析)
checked against the dimensions the items were written for. Part of :mod:`crmlab.survey`,
which imports everything from here: use it through ``survey``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab import _factor_math
from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._results import Result
from crmlab._validate import (
    numeric_answers,
    require_items,
)

__all__ = ["FactorResult", "factor_structure"]


@dataclass
class FactorResult(Result):
    """Exploratory factor analysis checked against the intended dimensions.

    Attributes
    ----------
    loadings : DataFrame
        Items x factors (rotated); factors named after the dimensions.
    check : DataFrame
        Per item: ``intended``, ``loads_on``, ``loading``, ``as_intended``.
    n_obs : int
        Complete answer sheets (the ``nobs`` of the fit; the correlations are pairwise).
    rotation : str
    share_as_intended : float
        Share of items that load most on their intended dimension.
    method : str
        Extraction: ``minres``, ``pa`` or ``ml``.
    communality : Series
        Per item, the share of its variance the factors explain (h², before rotation).
    heywood : list of str
        Items with a communality of 0.995 or more (a Heywood case: the factors explain
        all of the item, its uniqueness is at the bound). The solution is then improper,
        typically a factor carried by one or two items.
    converged : bool
    n_iter : int
        Optimiser iterations (minres, ml); for principal axis the iteration limit
        (statsmodels does not report how many it used).
    """

    title = N_("Exploratory factor analysis (探索性因子分析)")

    loadings: pd.DataFrame  # items x factors (rotated), factors named after dimensions
    check: pd.DataFrame  # per item: intended, loads_on, loading, as_intended
    n_obs: int
    rotation: str
    method: str = "minres"
    communality: pd.Series | None = None
    heywood: list | None = None
    converged: bool = True
    n_iter: int = 0

    @property
    def share_as_intended(self) -> float:
        return float(self.check["as_intended"].mean())

    def notes(self) -> list[str]:
        lines = [
            _(
                "n = {n}, {method} extraction, rotation {rotation}; {share} of the items "
                "load most on their intended dimension"
            ).format(
                n=self.n_obs,
                method=self.method,
                rotation=self.rotation,
                share=f"{self.share_as_intended:.0%}",
            )
        ]
        if self.heywood:
            lines.append(
                _("Heywood case (communality >= 0.995): {items}").format(
                    items=", ".join(self.heywood)
                )
            )
        if not self.converged:
            lines.append(_("not converged after {n} iterations").format(n=self.n_iter))
        return lines

    def summary(self) -> pd.DataFrame:
        """Loadings with the check columns beside them."""
        return self.loadings.join(self.check[["intended", "loads_on", "as_intended"]])


def factor_structure(
    data: pd.DataFrame,
    *,
    dimensions: dict[str, list[str]],
    rotation: str | None = "varimax",
    scale: tuple[float, float] | None = None,
    method: str = "minres",
    kaiser: bool = True,
    maxiter: int = 1000,
    seed: int = 0,
) -> FactorResult:
    """Exploratory factor analysis (探索性因子分析): do the items load on the dimensions
    they were written for?

    One factor per dimension, extracted from the pairwise correlation matrix, then
    rotated. Each factor is named after the dimension whose items load on it most (a
    one-to-one match, Hungarian algorithm on the sum of absolute loadings); an item is
    **as intended** when its largest absolute loading is on its own dimension's factor.

    Extraction ``method``: ``"minres"`` (default; minimum residual, psych's and
    factor_analyzer's default, matching psych ``fa(r, nf, fm = "minres")``), ``"pa"``
    (iterated principal axis, statsmodels ``Factor``; it converges to the minres solution
    when it converges at all) or ``"ml"`` (maximum likelihood, statsmodels ``Factor``).
    Rotation: varimax with Kaiser normalisation by default (R ``stats::varimax``, psych).

    Two warnings (statsmodels ``ConvergenceWarning``, ``EstimationWarning``) say when
    not to read the loadings at face value: the fit did not converge within ``maxiter``
    (iteration count given), or an item is a **Heywood case** (communality >= 0.995):
    the factor is then carried by that item alone, usually because its dimension has too
    few items (two items per factor are barely identified).

    Parameters
    ----------
    data : DataFrame
    dimensions : dict
        Dimension name -> its item columns (at least two dimensions).
    rotation : {"varimax", "quartimax", "equamax", "promax"} or None
    scale : (low, high), optional
        Answer scale to check; default none assumed.
    method : {"minres", "pa", "ml"}
    kaiser : bool, default True
        Kaiser-normalise the rows before rotating (False: raw rotation).
    maxiter : int, default 1000
    seed : int, default 0
        Start of the EM steps of ``"ml"`` (statsmodels draws random starting loadings).

    Returns
    -------
    FactorResult

    Parameters
    ----------
    data : DataFrame
        Answers, one sheet per row, reverse-coded.
    dimensions : dict
        ``{dimension: [items]}``, at least two dimensions.
    rotation : str
        statsmodels rotation (``varimax``, ``promax``, ...).
    scale : (low, high) or None
        Answer scale.
    method : str
        statsmodels ``Factor`` method (``pa`` principal axis, ``ml``).

    Returns
    -------
    FactorResult
        ``loadings``, ``check`` (per item: intended, loads_on, loading, as_intended),
        ``n_obs``, ``rotation`` and ``share_as_intended``.

    Raises
    ------
    ValueError
        Fewer than two dimensions, an item listed twice, an unknown method or rotation,
        or as :func:`cronbach_alpha`.

    References
    ----------
    Revelle, W. psych: ``fa()``. Kaiser, H. F. (1958). The varimax criterion for analytic
    rotation in factor analysis. Psychometrika 23, 187-200. Heywood, H. B. (1931). On
    finite sequences of real numbers. Proc. Royal Society A 134, 486-501.

    Examples
    --------
    Two latent factors, three noisy five-point items each:

    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(300, 2))
    >>> df = pd.DataFrame({f"{d}{j}": np.clip(np.round(3 + f[:, i] + rng.normal(0, 0.5, 300)),
    ...                                       1, 5) for i, d in enumerate("xy") for j in (1, 2, 3)})
    >>> fit = factor_structure(df, dimensions={"x": ["x1", "x2", "x3"], "y": ["y1", "y2", "y3"]})
    >>> fit.share_as_intended, fit.check["loads_on"].tolist()
    (1.0, ['x', 'x', 'x', 'y', 'y', 'y'])
    """
    import warnings

    from scipy.optimize import linear_sum_assignment
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, EstimationWarning

    if method not in _factor_math.METHODS:
        raise ValueError(f"method must be one of {list(_factor_math.METHODS)}, got {method!r}.")
    if rotation and rotation not in _factor_math.ROTATIONS:
        raise ValueError(
            f"rotation must be one of {list(_factor_math.ROTATIONS)} or None, got {rotation!r}."
        )
    if len(dimensions) < 2:
        raise ValueError(f"need at least two dimensions, got {list(dimensions)}.")
    items = [i for its in dimensions.values() for i in its]
    twice = sorted({i for i in items if items.count(i) > 1})
    if twice:
        raise ValueError(f"items {twice} are listed under more than one dimension.")
    items = require_items(data, items, [], minimum=3)
    values = numeric_answers(data, items, scale)
    corr = pd.DataFrame(values).corr().to_numpy()
    n_obs = int((~np.isnan(values)).all(axis=1).sum())
    k = len(dimensions)
    if method == "minres":
        load, converged, n_iter = _factor_math.minres(corr, k, maxiter)
    elif method == "pa":
        load, converged, n_iter = _factor_math.principal_axis(corr, k, max(n_obs, k + 2), maxiter)
    else:
        load, converged, n_iter = _factor_math.max_likelihood(
            corr, k, max(n_obs, k + 2), maxiter, seed
        )
    if not converged:
        warnings.warn(
            _(
                "factor_structure: {method} extraction did not converge after {n} "
                "iterations; the loadings are not a solution (try method='minres' or more "
                "maxiter)."
            ).format(method=method, n=n_iter),
            ConvergenceWarning,
            stacklevel=2,
        )
    communality = pd.Series((load**2).sum(axis=1), index=pd.Index(items, name="item"))
    heywood = list(communality.index[communality >= _factor_math.HEYWOOD_COMMUNALITY])
    if heywood:
        warnings.warn(
            _(
                "factor_structure: Heywood case for {items} (communality {values}): a "
                "factor rests on these items alone; read their loadings with care (too few "
                "items per factor?)."
            ).format(items=heywood, values=", ".join(f"{communality[i]:.3f}" for i in heywood)),
            EstimationWarning,
            stacklevel=2,
        )
    load = _factor_math.rotate(load, rotation, kaiser)
    names = list(dimensions)
    owner = np.array([d for d, its in dimensions.items() for _ in its])
    score = np.array([np.abs(load[owner == d]).sum(axis=0) for d in names])  # dims x factors
    rows, cols = linear_sum_assignment(-score)
    factor_name = {int(f): names[int(d)] for d, f in zip(rows, cols, strict=True)}
    load = load * np.where(load.sum(axis=0) < 0, -1, 1)  # sign: mostly positive
    loadings = pd.DataFrame(
        load, index=pd.Index(items, name="item"), columns=[factor_name[j] for j in range(k)]
    )[names]
    top = loadings.abs().idxmax(axis=1)
    check = pd.DataFrame(
        {
            "intended": owner,
            "loads_on": top.to_numpy(),
            "loading": [loadings.loc[i, top[i]] for i in items],
        },
        index=items,
    )
    check["as_intended"] = check["intended"] == check["loads_on"]
    label = f"{rotation} (Kaiser-normalised)" if rotation and kaiser else str(rotation)
    return FactorResult(
        loadings, check, n_obs, label, method, communality, heywood, converged, n_iter
    )
