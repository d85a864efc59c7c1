"""Factor extraction and rotation for :func:`crmlab.survey.factor_structure`.

statsmodels ``Factor`` offers principal-axis and maximum-likelihood extraction and
(raw) rotations; this module adds what the reference implementations do and statsmodels
does not: minimum-residual extraction as R's psych ``fa(fm = "minres")`` (psych's and
factor_analyzer's default), a convergence check of the principal-axis iterations, and
Kaiser normalisation of the rotation (R ``stats::varimax(normalize = TRUE)``, psych).
Checked against R 4.2 / psych 2.2.9 in ``tests/test_reference_survey.py``.

References
----------
Revelle, W. psych: ``fa()`` (``fit.residuals``, ``FAgr.minres``, ``FAout.wls``).
Kaiser, H. F. (1958). The varimax criterion for analytic rotation in factor analysis.
Psychometrika 23, 187-200.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import minimize
from statsmodels.multivariate.factor import Factor
from statsmodels.multivariate.factor_rotation import promax, rotate_factors

__all__ = [
    "METHODS",
    "ROTATIONS",
    "HEYWOOD_COMMUNALITY",
    "reduced_loadings",
    "minres",
    "principal_axis",
    "max_likelihood",
    "rotate",
]

#: Extraction methods and rotations of :func:`crmlab.survey.factor_structure`.
METHODS = ("minres", "pa", "ml")
ROTATIONS = ("varimax", "quartimax", "equamax", "promax")
#: Communality from which an item is a Heywood case (psych's lower bound 0.005 on the
#: uniqueness).
HEYWOOD_COMMUNALITY = 0.995


def reduced_loadings(corr: np.ndarray, uniqueness: np.ndarray, k: int) -> np.ndarray:
    """Loadings of the k largest eigenpairs of the correlation matrix with the
    uniquenesses taken off its diagonal (negative eigenvalues count as 0).

    Parameters
    ----------
    corr : ndarray, shape (p, p)
        Correlation matrix.
    uniqueness : ndarray, shape (p,)
    k : int
        Number of factors.

    Returns
    -------
    ndarray, shape (p, k)

    Raises
    ------
    numpy.linalg.LinAlgError
        If the eigen-decomposition fails (a matrix with NaN).

    Examples
    --------
    One factor of two items correlating 0.64 with uniquenesses 0.36: loadings 0.8.

    >>> corr = np.array([[1.0, 0.64], [0.64, 1.0]])
    >>> np.abs(reduced_loadings(corr, np.array([0.36, 0.36]), 1)).round(3).ravel().tolist()
    [0.8, 0.8]
    """
    reduced = corr.copy()
    np.fill_diagonal(reduced, np.diag(corr) - uniqueness)
    values, vectors = np.linalg.eigh(reduced)
    top = np.argsort(values)[::-1][:k]
    return vectors[:, top] * np.sqrt(np.maximum(values[top], 0))


def minres(corr: np.ndarray, k: int, maxiter: int) -> tuple[np.ndarray, bool, int]:
    """Minimum-residual factoring as psych ``fa(fm = "minres")``.

    The uniquenesses ψ in [0.005, 1] minimise the sum of squared off-diagonal residuals
    of R − ΛΛᵀ (L-BFGS-B from ψ = 1 − SMC, with psych's gradient); Λ comes from the
    eigenpairs of R − diag(ψ).

    Parameters
    ----------
    corr : ndarray, shape (p, p)
    k : int
        Number of factors.
    maxiter : int
        Iteration limit of the optimiser.

    Returns
    -------
    (ndarray, bool, int)
        Unrotated loadings (p × k), whether the optimiser converged, its iterations.

    Raises
    ------
    numpy.linalg.LinAlgError
        If ``corr`` is singular (no squared multiple correlations).

    Examples
    --------
    Six items on two factors, recovered exactly (communalities = squared loadings):
    >>> lam = np.array([[0.8, 0], [0.7, 0], [0.6, 0], [0, 0.7], [0, 0.6], [0, 0.5]])
    >>> corr = lam @ lam.T + np.diag(1 - (lam**2).sum(axis=1))  # two factors, exactly
    >>> load, ok, n_iter = minres(corr, 2, 1000)
    >>> ok, (load**2).sum(axis=1).round(2).tolist()
    (True, [0.64, 0.49, 0.36, 0.49, 0.36, 0.25])
    """

    def loss(psi):
        lam = reduced_loadings(corr, psi, k)
        resid = corr - lam @ lam.T
        np.fill_diagonal(resid, 0.0)
        return float((resid**2).sum())

    def grad(psi):
        lam = reduced_loadings(corr, psi, k)
        return np.diag(lam @ lam.T + np.diag(psi) - corr)

    start = 1 / np.diag(np.linalg.inv(corr))  # 1 - squared multiple correlation
    fit = minimize(
        loss,
        np.clip(start, 0.005, 1),
        jac=grad,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * len(corr),
        options={"maxiter": maxiter},
    )
    return reduced_loadings(corr, fit.x, k), bool(fit.success), int(fit.nit)


def principal_axis(
    corr: np.ndarray, k: int, n_obs: int, maxiter: int
) -> tuple[np.ndarray, bool, int]:
    """statsmodels' iterated principal axis, plus the check it lacks: one more update of
    the communalities must change them by less than its tolerance (1e-8), else the
    iteration stopped at ``maxiter`` without converging.

    Parameters
    ----------
    corr : ndarray, shape (p, p)
    k : int
        Number of factors.
    n_obs : int
        Sample size passed to statsmodels.
    maxiter : int
        Iteration limit.

    Returns
    -------
    (ndarray, bool, int)
        Unrotated loadings, whether the iteration converged, and ``maxiter`` (statsmodels
        does not report how many iterations it used).

    Raises
    ------
    ValueError
        From statsmodels, if ``k`` exceeds the rank of ``corr``.

    Examples
    --------
    >>> lam = np.array([[0.8, 0], [0.7, 0], [0.6, 0], [0, 0.7], [0, 0.6], [0, 0.5]])
    >>> corr = lam @ lam.T + np.diag(1 - (lam**2).sum(axis=1))  # two factors, exactly
    >>> load, ok, _ = principal_axis(corr, 2, 100, 1000)
    >>> ok, (load**2).sum(axis=1).round(2).tolist()
    (True, [0.64, 0.49, 0.36, 0.49, 0.36, 0.25])
    """
    fit = Factor(corr=corr, n_factor=k, nobs=n_obs, method="pa").fit(maxiter=maxiter, tol=1e-8)
    lam = np.asarray(fit.loadings)
    h2 = (lam**2).sum(axis=1)
    again = (reduced_loadings(corr, 1 - h2, k) ** 2).sum(axis=1)
    return lam, bool(np.linalg.norm(again - h2) < 1e-8), maxiter


def max_likelihood(
    corr: np.ndarray, k: int, n_obs: int, maxiter: int, seed: int
) -> tuple[np.ndarray, bool, int]:
    """statsmodels' maximum-likelihood factoring (its EM start drawn with ``seed``).

    Parameters
    ----------
    corr : ndarray, shape (p, p)
    k : int
        Number of factors.
    n_obs : int
        Sample size.
    maxiter : int
        Iteration limit of the optimiser.
    seed : int
        Seed of statsmodels' random starting loadings.

    Returns
    -------
    (ndarray, bool, int)
        Unrotated loadings, whether the optimiser converged, its iterations.

    Raises
    ------
    ValueError
        From statsmodels, for a malformed correlation matrix.

    Examples
    --------
    >>> lam = np.array([[0.8, 0], [0.7, 0], [0.6, 0], [0, 0.7], [0, 0.6], [0, 0.5]])
    >>> corr = lam @ lam.T + np.diag(1 - (lam**2).sum(axis=1))  # two factors, exactly
    >>> load, ok, _ = max_likelihood(corr, 2, 100, 1000, seed=0)
    >>> ok, load.shape
    (True, (6, 2))
    """
    model = Factor(corr=corr, n_factor=k, nobs=n_obs, method="ml")
    with warnings.catch_warnings():  # reported by factor_structure with the count
        warnings.simplefilter("ignore")
        fit = model.fit(opt={"gtol": 1e-7, "maxiter": maxiter}, rng=seed)
    info = model.mle_retvals
    return np.asarray(fit.loadings), bool(info.success), int(info.nit)


def rotate(load: np.ndarray, rotation: str | None, kaiser: bool) -> np.ndarray:
    """Rotate loadings with statsmodels; with ``kaiser`` the rows are first scaled to unit
    length and scaled back after (Kaiser normalisation, as R ``varimax(normalize =
    TRUE)``, psych and factor_analyzer).

    Parameters
    ----------
    load : ndarray, shape (p, k)
    rotation : {"varimax", "quartimax", "equamax", "promax"} or None
        None (or one factor) returns ``load`` unchanged.
    kaiser : bool

    Returns
    -------
    ndarray, shape (p, k)

    Raises
    ------
    ValueError
        From statsmodels, for an unknown rotation (the caller checks the name first).

    Examples
    --------
    A rotation keeps each item's communality:
    >>> lam = np.array([[0.8, 0.1], [0.7, 0], [0.6, 0.2], [0, 0.7], [0.1, 0.6], [0, 0.5]])
    >>> corr = lam @ lam.T + np.diag(1 - (lam**2).sum(axis=1))
    >>> load = minres(corr, 2, 1000)[0]
    >>> rotated = rotate(load, "varimax", kaiser=True)
    >>> np.allclose((rotated**2).sum(axis=1), (load**2).sum(axis=1))
    True
    """
    if not rotation or load.shape[1] < 2:
        return load
    h = np.sqrt((load**2).sum(axis=1)) if kaiser else np.ones(len(load))
    h = np.where(h > 0, h, 1.0)
    scaled = load / h[:, None]
    rotated = promax(scaled, 4)[0] if rotation == "promax" else rotate_factors(scaled, rotation)[0]
    return rotated * h[:, None]
