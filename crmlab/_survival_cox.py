"""Chapter 04, the Cox proportional-hazards model (Cox 1972) with statsmodels ``PHReg``:
:func:`design_matrix`, :func:`cox_model` and its :class:`CoxResult` (hazard ratios, the
proportional-hazards test of R's ``cox.zph``, the concordance index). Part of
:mod:`crmlab.survival`, which imports everything from here: use it through ``survival``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg

from crmlab import _survival_math as _diag
from crmlab._i18n import N_
from crmlab._i18n import gettext as _
from crmlab._readings import describe_terms, ratio_lines, ratio_table
from crmlab._results import Result
from crmlab._survival_data import durations, entry_times
from crmlab._validate import (
    check_event,
    require_columns,
    require_frame,
    require_no_missing,
    require_numeric,
    z_value,
)

__all__ = ["design_matrix", "CoxResult", "cox_model"]


def design_matrix(data: pd.DataFrame, *, covariates: Sequence[str]) -> pd.DataFrame:
    """Numeric design matrix: numeric and boolean columns as they are, categorical or
    text columns one-hot with the first level (category order) as the reference.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    covariates : sequence of str
        Columns to code.

    Returns
    -------
    DataFrame
        Float columns: numeric and boolean ones as they are, ``col=level`` dummies for the
        others.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``covariates`` is empty, a column has missing values or a single value.

    Examples
    --------
    >>> d = pd.DataFrame({"size": pd.Categorical(["small", "large", "small"],
    ...                                          categories=["small", "large"]), "age": [1, 2, 3]})
    >>> design_matrix(d, covariates=["size", "age"]).columns.tolist()
    ['size=large', 'age']
    """
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    if not covariates:
        raise ValueError("covariates is empty: name at least one column.")
    require_columns(data, covariates)
    parts = []
    for col in covariates:
        s = data[col]
        if pd.api.types.is_bool_dtype(s):
            require_no_missing(data, col)
            parts.append(s.astype(float).rename(col))
            continue
        if pd.api.types.is_numeric_dtype(s):
            require_numeric(data, col)
            parts.append(s.astype(float).rename(col))
            continue
        require_no_missing(data, col)
        cat = s if isinstance(s.dtype, pd.CategoricalDtype) else s.astype("category")
        cat = cat.cat.remove_unused_categories()
        if len(cat.cat.categories) < 2:
            raise ValueError(f"column {col!r} has a single value: nothing to compare.")
        dummies = pd.get_dummies(cat, prefix=col, prefix_sep="=", drop_first=True, dtype=float)
        parts.append(dummies)
    return pd.concat(parts, axis=1)


@dataclass
class CoxResult(Result):
    """A Cox proportional-hazards fit (Cox 1972), wrapping statsmodels ``PHReg``.

    Attributes
    ----------
    params, bse : Series
        Coefficients (log hazard ratios) and standard errors, by design column.
    hazard_ratios : DataFrame
        ``coef``, ``se``, ``hazard_ratio``, ``lower``, ``upper`` (CI of the ratio), ``p``.
    n, events : int
    ties : str
    result : statsmodels ``PHRegResults`` (for anything else).
    log_likelihood : float
        The maximised log partial likelihood (R ``fit$loglik[2]``, lifelines
        ``log_likelihood_``).
    confidence : float
        Level of the intervals in ``hazard_ratios`` and :meth:`read`.
    concordance : float
        Harrell's C (see the property).
    """

    title = N_("Cox proportional-hazards model, hazard ratios")

    params: pd.Series
    bse: pd.Series
    hazard_ratios: pd.DataFrame
    n: int
    events: int
    ties: str
    result: object = field(repr=False)
    _time: np.ndarray = field(repr=False, default=None)
    _status: np.ndarray = field(repr=False, default=None)
    log_likelihood: float = float("nan")
    confidence: float = 0.95
    _entry: np.ndarray | None = field(repr=False, default=None)
    _X: np.ndarray | None = field(repr=False, default=None)
    _terms: dict = field(repr=False, default_factory=dict)
    _kinds: dict = field(repr=False, default_factory=dict)

    def notes(self) -> list[str]:
        return [
            _(
                "n = {n}, events = {events}, ties {ties}; log partial likelihood "
                "{log_likelihood}, concordance {concordance}"
            ).format(
                n=self.n,
                events=self.events,
                ties=self.ties,
                log_likelihood=f"{self.log_likelihood:.2f}",
                concordance=f"{self.concordance:.3f}",
            )
        ]

    def summary(self) -> pd.DataFrame:
        """The hazard-ratio table (one row per covariate)."""
        return self.hazard_ratios

    def read(self, per: Mapping[str, object] | None = None) -> list[str]:
        """Each hazard ratio in words, with its interval at :attr:`confidence` and its p,
        in a form that fits the covariate's type: a categorical level against the
        reference level, a 0/1 covariate as 1 rather than 0, a numeric one per unit, per
        the step named in ``per`` (``{"revenue": (1000, "1,000 yuan")}``), or per a round
        step near one standard deviation when the per-unit ratio is within half a percent
        of 1 (see
        :func:`crmlab._readings.ratio_lines`)."""
        return ratio_lines(
            self.hazard_ratios,
            "hazard_ratio",
            self._kinds,
            what=_("the churn hazard"),
            confidence=self.confidence,
            per=per,
            show_p=True,
        )

    @cached_property
    def concordance(self) -> float:
        """Harrell's concordance index C (一致性指数), as R ``concordance(fit)``.

        Over the comparable pairs (one customer churns at t while the other is still at
        risk at t, ``entry < t``, and does not churn at t), the share in which the one
        who churned has the higher risk score x·β; pairs with equal scores count half.
        0.5 is a coin toss, 1 a perfect ranking of who leaves first. Computed on the
        data the model was fitted to (in-sample: optimistic for prediction).
        """
        score = self._X @ self.params.to_numpy()
        conc, disc, tied = _diag.concordance_counts(self._time, self._status, score, self._entry)
        total = conc + disc + tied
        return float((conc + tied / 2) / total) if total else float("nan")

    def _zph(self, transform: str, method: str) -> dict:
        if transform not in _diag.TRANSFORMS:
            raise ValueError(
                f"transform must be one of {list(_diag.TRANSFORMS)}, got {transform!r}."
            )
        if method not in ("score", "approx"):
            raise ValueError(f"method must be 'score' or 'approx', got {method!r}.")
        time, status = self._time, self._status
        g = _diag.time_transform(time, status, self._entry, transform)
        if method == "approx" and transform == "rank":  # survival < 3.0: rank among events
            g = np.zeros(len(time))
            g[status == 1] = stats.rankdata(time[status == 1])
        beta = self.params.to_numpy()
        return _diag.zph_parts(self._X, beta, time, status, self._entry, self.ties, g)

    def ph_test(self, transform: str = "km", *, method: str = "score") -> pd.DataFrame:
        """Proportional-hazards test (比例风险检验) of R ``cox.zph``, per covariate and global.

        The Cox model assumes each hazard ratio is constant over tenure. The test adds a
        term γ·g(t)·x for each covariate, g a transform of time, and asks whether γ = 0:
        the **score test** at the fitted β (R ``survival`` ≥ 3.0, ``cox.zph``; Grambsch &
        Therneau 1994), one χ² per covariate as passed to :func:`cox_model` (a
        categorical covariate tests all its dummy columns together, df = levels − 1) and a
        ``GLOBAL`` test of all of them. A small p says the effect drifts with tenure, so
        one hazard ratio averages a changing effect: stratify by that covariate or let
        its effect change with time. Plot :meth:`scaled_schoenfeld` to see how.

        Parameters
        ----------
        transform : {"km", "rank", "identity", "log"}
            g(t): ``"km"`` (default, as R) is 1 − S(t−) of the Kaplan-Meier curve, which
            spreads the events evenly; ``"rank"`` the rank of t among all rows.
        method : {"score", "approx"}
            ``"approx"``: the older approximation (R ``survival`` < 3.0 and lifelines'
            ``proportional_hazard_test``): per design column, T = (Σ g r*)² / (d V_jj
            Σ g²) from the scaled Schoenfeld residuals r* and the covariance V of β,
            with ``"rank"`` the rank among event times.

        Returns
        -------
        DataFrame
            Index covariate (design columns for ``"approx"``) and ``GLOBAL``; ``chisq``,
            ``df``, ``p``.

        Examples
        --------
        R: ``cox.zph(coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro +
        prio, data = Rossi))`` gives age χ² 5.974 (p 0.0145), GLOBAL 17.69 on 7 df:

        >>> from crmlab import datasets
        >>> fit = cox_model(datasets.load("rossi"), duration="week", event="arrest",
        ...                 covariates=["fin", "age", "race", "wexp", "mar", "paro", "prio"])
        >>> fit.ph_test().loc[["age", "GLOBAL"]].round(4)
                  chisq  df       p
        covariate
        age      5.9740   1  0.0145
        GLOBAL  17.6944   7  0.0134
        """
        parts = self._zph(transform, method)
        if method == "score":
            tests = _diag.zph_score_tests(parts, self._terms)
        else:
            cov = np.asarray(self.result.cov_params())
            per, total = _diag.zph_approx_tests(parts, cov)
            tests = {name: (float(v), 1) for name, v in zip(self.params.index, per, strict=True)}
            tests["GLOBAL"] = (total, len(per))
        out = pd.DataFrame(
            {
                "chisq": [v[0] for v in tests.values()],
                "df": [v[1] for v in tests.values()],
                "p": [float(stats.chi2.sf(v[0], v[1])) for v in tests.values()],
            },
            index=pd.Index(list(tests), name="covariate"),
        )
        return out

    def scaled_schoenfeld(self, transform: str = "km") -> pd.DataFrame:
        """Scaled Schoenfeld residuals (R ``cox.zph(fit)$y``), one row per churn event.

        ``β + V⁻¹ r`` with r the Schoenfeld residual and V = I/d the information per
        event (Grambsch & Therneau 1994): their smoothed trend against ``g`` (column
        ``g``, the transformed time) estimates how each coefficient β(t) changes with
        tenure. A flat trend at β is what proportional hazards means.
        """
        parts = self._zph(transform, "score")
        p = len(self.params)
        vmean = parts["imat"][:p, :p] / parts["n_events"]
        scaled = parts["resid"] @ np.linalg.inv(vmean) + self.params.to_numpy()
        rows = parts["event_rows"]
        g_raw = _diag.time_transform(self._time, self._status, self._entry, transform)
        out = pd.DataFrame(scaled, columns=self.params.index)
        out.insert(0, "g", g_raw[rows])
        out.insert(0, "time", self._time[rows])
        return out.sort_values("time", kind="stable").reset_index(drop=True)


def cox_model(
    data: pd.DataFrame,
    *,
    duration: str = "tenure",
    event: str = "churned",
    covariates: Sequence[str] = ("size",),
    entry: str | None = None,
    ties: str = "efron",
    confidence: float = 0.95,
) -> CoxResult:
    """Fit a Cox proportional-hazards model (Cox 1972) with ``PHReg``.

    Ties (customers lost in the same month) use Efron's approximation by default (Efron
    1977); use a coarse tenure grain (months, weeks) for speed: ``PHReg`` time grows with
    the number of distinct event times.

    **Late entry.** With ``entry``, a customer is in the risk set at t when ``entry < t
    <= duration``: someone who enters at month 24 was not watched during month 24, so
    cannot be seen to churn in it. This is R ``coxph(Surv(entry, time, event))``,
    lifelines ``CoxPHFitter(entry_col=)`` and :func:`kaplan_meier`. ``PHReg`` itself
    counts a customer at risk at the entry time, so entries equal to an observed time are
    moved halfway to the next time before fitting (no event time lies in between; the
    coefficients then equal R's, see ``tests/test_reference_survival.py``).

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    duration, event : str
        Tenure column and 0/1 churn column.
    covariates : sequence of str
        Columns; categorical ones are one-hot coded against their first level.
    entry : str, optional
        Left-truncation column: the tenure at which the customer came under
        observation (0 for customers watched from the start).
    ties : {"efron", "breslow"}
    confidence : float
        Level of the hazard-ratio intervals.

    Returns
    -------
    CoxResult

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        For bad durations or events, a covariate with missing values, an unknown
        ``ties``, or no events at all.

    Examples
    --------
    Rossi et al. (1980), the published fit (R ``coxph``; Allison 1995):

    >>> from crmlab import datasets
    >>> rossi = datasets.load("rossi")
    >>> fit = cox_model(rossi, duration="week", event="arrest",
    ...                 covariates=["fin", "age", "race", "wexp", "mar", "paro", "prio"])
    >>> fit.params["fin"].round(5), fit.bse["fin"].round(5)
    (np.float64(-0.37942), np.float64(0.19138))
    """
    if ties not in ("efron", "breslow"):
        raise ValueError(f"ties must be 'efron' or 'breslow', got {ties!r}.")
    require_frame(data)
    time = durations(data, duration)
    status = check_event(data, event)
    enter = entry_times(data, entry, time)
    if status.sum() == 0:
        raise ValueError(f"event column {event!r} has no events (no 1s): nothing to fit.")
    X = design_matrix(data, covariates=covariates)
    model = PHReg(time, X.to_numpy(), status=status, entry=_diag.open_entry(enter, time), ties=ties)
    res = model.fit()
    names = list(X.columns)
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    terms = {
        c: [j for j, name in enumerate(names) if name == c or name.startswith(f"{c}=")]
        for c in covariates
    }
    params = pd.Series(res.params, index=names)
    bse = pd.Series(res.bse, index=names)
    table = ratio_table(params, bse, z=z_value(confidence), ratio="hazard_ratio", index="covariate")
    return CoxResult(
        params,
        bse,
        table,
        len(time),
        int(status.sum()),
        ties,
        res,
        time,
        status,
        float(res.llf),
        confidence,
        enter,
        X.to_numpy(dtype=float),
        terms,
        describe_terms(data, covariates),
    )
