"""Marketing campaigns (营销自动化) measured as experiments: the average effect of a
randomised campaign, uplift models (增量模型) that tell whom a campaign changes, the Qini
curve that checks them, and the value of a targeting rule in yuan.

The question a campaign answers is not "who will buy (or stay)?" but "whose behaviour
does the campaign change?". A randomised control group makes the average change
measurable (:func:`campaign_effect`); an uplift model (:func:`fit_uplift`) ranks
customers by their predicted change; :func:`qini_curve` checks the ranking on a control
group (Radcliffe 2007); :func:`policy_value` prices a targeting rule when the true
per-customer effects are known (as in the synthetic company).

References: Radcliffe, N. J. (2007). Using control groups to target on predicted lift.
*Direct Marketing Analytics Journal*, 14-21. Athey, S. & Imbens, G. (2015). Machine
learning methods for estimating heterogeneous causal effects (the transformed outcome).
Gutierrez, P. & Gérardy, J.-Y. (2017). Causal inference and uplift modelling: a review
of the literature. *PMLR* 67, 1-13 (the two-model approach).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression

from crmlab._results import Result
from crmlab._validate import check_frame, format_rows, require_numeric, require_share

__all__ = [
    "CampaignEffect",
    "UpliftModel",
    "campaign_effect",
    "fit_uplift",
    "qini_curve",
    "qini_coefficient",
    "policy_value",
]


class CampaignEffect(Result):
    """The average effect of a randomised campaign: treated mean − control mean.

    Attributes
    ----------
    effect, se, ci_low, ci_high, p_value : float
        Difference in means, its standard error (Welch: unequal variances), the
        confidence interval from Welch's t with Welch-Satterthwaite degrees of freedom,
        and the two-sided p-value for "no effect".
    mean_treated, mean_control : float
    n_treated, n_control : int
    df : float
        Welch-Satterthwaite degrees of freedom.
    confidence : float
    outcome : str
    """

    title = "Average campaign effect (randomised): treated − control"

    def __init__(self, **values: float | int | str) -> None:
        for key, value in values.items():
            setattr(self, key, value)

    def summary(self) -> pd.DataFrame:
        """One row: the means, the effect, its interval and p-value.

        Returns
        -------
        DataFrame
        """
        level = f"{self.confidence:.0%}"
        return pd.DataFrame(
            {
                "n_treated": [self.n_treated],
                "n_control": [self.n_control],
                "mean_treated": [self.mean_treated],
                "mean_control": [self.mean_control],
                "effect": [self.effect],
                "se": [self.se],
                f"ci_low_{level}": [self.ci_low],
                f"ci_high_{level}": [self.ci_high],
                "p_value": [self.p_value],
            },
            index=[self.outcome],
        )


def _groups(data: pd.DataFrame, group: str, treated: str, control: str) -> np.ndarray:
    """True for treated rows, False for control rows; any other label is an error."""
    labels = data[group]
    bad = ~labels.isin([treated, control])
    if bad.any():
        raise ValueError(
            f"column {group!r} must hold only {treated!r} and {control!r}; "
            f"found {labels[bad].iloc[0]!r} in rows {format_rows(data.index[bad])}."
        )
    is_treated = (labels == treated).to_numpy()
    if is_treated.all() or not is_treated.any():
        missing = control if is_treated.all() else treated
        raise ValueError(f"column {group!r} has no {missing!r} rows: an effect needs both groups.")
    return is_treated


def campaign_effect(
    members: pd.DataFrame,
    *,
    outcome: str,
    group: str = "group",
    treated: str = "treatment",
    control: str = "control",
    confidence: float = 0.95,
) -> CampaignEffect:
    """Average effect of a randomised campaign on ``outcome`` (difference in means).

    Valid because assignment was random: the control group shows what the treated group
    would have done without the campaign. Welch's t-interval (statsmodels' and scipy's
    ``usevar="unequal"``) is used, since the two groups' variances need not be equal.

    Parameters
    ----------
    members : DataFrame
        One row per customer in the experiment, with ``group`` and ``outcome``.
    outcome : str
        Numeric outcome column (0/1 such as "retained", or an amount).
    group : str, default "group"
        Column with the assignment.
    treated, control : str
        Labels of the two groups in ``group``.
    confidence : float, default 0.95

    Returns
    -------
    CampaignEffect

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``group`` holds other labels or lacks a group, a group has fewer than two
        rows, or ``outcome`` is not numeric or has missing values.

    Examples
    --------
    >>> m = pd.DataFrame({"group": ["treatment"] * 4 + ["control"] * 4,
    ...                   "retained": [1, 1, 0, 1, 0, 1, 0, 0]})
    >>> r = campaign_effect(m, outcome="retained")
    >>> round(r.effect, 2), round(r.se, 4), round(r.df, 1)
    (0.5, 0.3536, 6.0)
    """
    data = check_frame(members, [group, outcome], "members")
    require_numeric(data, outcome)
    require_share(confidence, "confidence", closed_low=False, closed_high=False)
    is_treated = _groups(data, group, treated, control)
    y = data[outcome].to_numpy(dtype=float)
    yt, yc = y[is_treated], y[~is_treated]
    for label, values in ((treated, yt), (control, yc)):
        if values.size < 2:
            raise ValueError(f"group {label!r} has {values.size} row(s); a variance needs 2.")
    vt, vc = yt.var(ddof=1) / yt.size, yc.var(ddof=1) / yc.size
    se = float(np.sqrt(vt + vc))
    effect = float(yt.mean() - yc.mean())
    if se > 0:
        df = float((vt + vc) ** 2 / (vt**2 / (yt.size - 1) + vc**2 / (yc.size - 1)))
        half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
        p_value = float(2 * stats.t.sf(abs(effect) / se, df))
    else:
        # no variation in either group: the difference is exact
        df, half, p_value = float(yt.size + yc.size - 2), 0.0, 1.0 if effect == 0 else 0.0
    return CampaignEffect(
        outcome=outcome,
        effect=effect,
        se=se,
        df=df,
        ci_low=effect - half,
        ci_high=effect + half,
        p_value=p_value,
        mean_treated=float(yt.mean()),
        mean_control=float(yc.mean()),
        n_treated=int(yt.size),
        n_control=int(yc.size),
        confidence=confidence,
    )


class UpliftModel:
    """A fitted uplift model; :meth:`predict` gives each customer's predicted change in
    the outcome if treated (probability points for a 0/1 outcome).

    Attributes
    ----------
    method : str
    features : list of str
    share_treated : float
        Share of treated rows in the training data.
    """

    def __init__(self, method: str, features: list[str], models: dict, share_treated: float):
        self.method = method
        self.features = features
        self.models = models
        self.share_treated = share_treated

    def predict(self, data: pd.DataFrame) -> pd.Series:
        """Predicted uplift for each row of ``data``.

        Parameters
        ----------
        data : DataFrame
            Holds the model's feature columns.

        Returns
        -------
        Series
            Indexed like ``data``, named ``uplift``.

        Raises
        ------
        KeyError
            If a feature column is missing.
        ValueError
            If a feature has missing or non-numeric values.
        """
        frame = check_frame(data, self.features, "data")
        for col in self.features:
            require_numeric(frame, col)
        x = frame[self.features].to_numpy(dtype=float)
        if self.method == "two_model":
            out = self._response(self.models["treated"], x) - self._response(
                self.models["control"], x
            )
        else:
            out = self.models["transformed"].predict(x)
        return pd.Series(out, index=frame.index, name="uplift")

    @staticmethod
    def _response(model, x: np.ndarray) -> np.ndarray:
        if hasattr(model, "predict_proba"):
            return model.predict_proba(x)[:, 1]
        return model.predict(x)


def fit_uplift(
    train: pd.DataFrame,
    *,
    features: Sequence[str],
    outcome: str,
    group: str = "group",
    treated: str = "treatment",
    control: str = "control",
    method: str = "two_model",
    estimator: object | None = None,
) -> UpliftModel:
    """Fit an uplift model on a randomised experiment.

    ``method="two_model"``: one model of the outcome on the treated, one on the control
    group; uplift = difference of their predictions (for a 0/1 outcome a classifier's
    probabilities). ``method="transformed_outcome"``: one regression of
    Z = Y·W/p − Y·(1−W)/(1−p) on the features, whose expectation given the features is
    the uplift when assignment is random with treated share p (Athey & Imbens 2015).

    Parameters
    ----------
    train : DataFrame
        One row per customer: features, ``outcome`` and ``group``.
    features : sequence of str
        Numeric feature columns.
    outcome : str
        Numeric outcome (0/1 or an amount).
    group, treated, control : str
        Assignment column and its labels.
    method : {"two_model", "transformed_outcome"}
    estimator : scikit-learn estimator, optional
        Cloned for each model. Default: logistic regression for a 0/1 outcome in the
        two-model method, linear regression otherwise.

    Returns
    -------
    UpliftModel

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``method`` is unknown, ``group`` holds other labels or lacks a group, or a
        feature or the outcome is not numeric or has missing values.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=4000)
    >>> w = rng.random(4000) < 0.5
    >>> y = (rng.random(4000) < 0.3 + 0.2 * w * (x > 0)).astype(int)
    >>> d = pd.DataFrame({"x": x, "y": y, "group": np.where(w, "treatment", "control")})
    >>> u = fit_uplift(d, features=["x"], outcome="y").predict(d)
    >>> bool(u[d.x > 1].mean() > u[d.x < -1].mean())
    True
    """
    if method not in ("two_model", "transformed_outcome"):
        raise ValueError(f"method must be 'two_model' or 'transformed_outcome', got {method!r}.")
    features = list(features)
    if not features:
        raise ValueError("features must name at least one column.")
    data = check_frame(train, [*features, outcome, group], "train")
    for col in [*features, outcome]:
        require_numeric(data, col)
    is_treated = _groups(data, group, treated, control)
    x = data[features].to_numpy(dtype=float)
    y = data[outcome].to_numpy(dtype=float)
    binary = bool(np.isin(y, (0.0, 1.0)).all())
    share = float(is_treated.mean())
    if method == "two_model":
        base = (
            estimator
            if estimator is not None
            else (LogisticRegression(max_iter=1000) if binary else LinearRegression())
        )
        models = {
            "treated": clone(base).fit(x[is_treated], y[is_treated]),
            "control": clone(base).fit(x[~is_treated], y[~is_treated]),
        }
    else:
        z = np.where(is_treated, y / share, -y / (1 - share))
        base = estimator if estimator is not None else LinearRegression()
        models = {"transformed": clone(base).fit(x, z)}
    return UpliftModel(method, features, models, share)


def qini_curve(
    scores: Sequence[float] | pd.Series,
    outcome: Sequence[float] | pd.Series,
    treated: Sequence[bool] | pd.Series,
) -> pd.DataFrame:
    """The Qini curve (Radcliffe 2007): customers sorted by score, highest first; at
    each distinct score, the incremental outcome among the top ``n``:
    ``Y_t(n) − Y_c(n) · N_t(n) / N_c(n)`` (0 while the top has no control customer).

    Ties in the score are taken together (one point per distinct score), as in
    scikit-uplift's ``qini_curve``.

    Parameters
    ----------
    scores : sequence of float
        Predicted uplift (or any ranking score: higher = target first).
    outcome : sequence of float
        Observed outcome (0/1 or an amount).
    treated : sequence of bool
        True for the treated group, False for control.

    Returns
    -------
    DataFrame
        ``n_targeted`` (0 first), ``share_targeted``, ``incremental`` (the Qini value)
        and ``random`` (the straight line from 0 to the overall incremental outcome).

    Raises
    ------
    ValueError
        If the lengths differ, a value is missing or ``treated`` is not boolean/0-1.

    Examples
    --------
    A control customer who bought ranked first, a treated one who did not second: the
    top 2 hold 0 treated buyers − 1 control buyer × (1 treated / 1 control) = −1.

    >>> qini_curve([0.3, 0.1], [1, 0], [False, True])["incremental"].tolist()
    [0.0, 0.0, -1.0]
    """
    s = np.asarray(scores, dtype=float)
    y = np.asarray(outcome, dtype=float)
    w_raw = np.asarray(treated)
    if not (s.size == y.size == w_raw.size) or s.size == 0:
        raise ValueError(
            f"scores, outcome and treated must have the same non-zero length; "
            f"got {s.size}, {y.size} and {w_raw.size}."
        )
    if np.isnan(s).any() or np.isnan(y).any():
        raise ValueError("scores and outcome must not have missing values.")
    if not np.isin(w_raw, (0, 1, True, False)).all():
        raise ValueError("treated must hold only True/False (or 1/0).")
    w = w_raw.astype(bool)
    order = np.argsort(-s, kind="mergesort")
    s, y, w = s[order], y[order], w[order]
    last = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    n_all = last + 1
    n_t = np.cumsum(w)[last]
    n_c = n_all - n_t
    y_t = np.cumsum(np.where(w, y, 0.0))[last]
    y_c = np.cumsum(np.where(w, 0.0, y))[last]
    ratio = np.divide(n_t, n_c, out=np.zeros(n_t.size), where=n_c > 0)
    inc = np.r_[0.0, y_t - y_c * ratio]
    n = np.r_[0, n_all]
    return pd.DataFrame(
        {
            "n_targeted": n,
            "share_targeted": n / s.size,
            "incremental": inc,
            "random": n / s.size * inc[-1],
        }
    )


def _area(curve: pd.DataFrame) -> float:
    x = curve["n_targeted"].to_numpy(dtype=float)
    return float(np.trapezoid(curve["incremental"].to_numpy(), x))


def _perfect_curve(y: np.ndarray, w: np.ndarray) -> pd.DataFrame:
    """The best ranking knowable from the data (Radcliffe 2007): treated responders
    first, then customers with no response, then control responders last."""
    score = np.where(w & (y > 0), 2.0, np.where(~w & (y > 0), 0.0, 1.0))
    score = score + np.where(w, y, -y) * 1e-9  # larger responses first within a class
    return qini_curve(score, y, w)


def qini_coefficient(
    scores: Sequence[float] | pd.Series,
    outcome: Sequence[float] | pd.Series,
    treated: Sequence[bool] | pd.Series,
) -> float:
    """Area between the Qini curve and the random line, divided by that of the best
    ranking knowable from the data: 1 = as good as possible, 0 = no better than random,
    negative = worse (scikit-uplift's ``qini_auc_score``, Radcliffe 2007).

    Parameters
    ----------
    scores, outcome, treated
        As for :func:`qini_curve`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As :func:`qini_curve`, and if the best ranking is no better than random (all
        outcomes equal), where the ratio is undefined.

    Examples
    --------
    >>> qini_coefficient([0.1, 0.3], [0, 1], [True, False])
    1.0
    """
    curve = qini_curve(scores, outcome, treated)
    y = np.asarray(outcome, dtype=float)
    w = np.asarray(treated).astype(bool)
    random_area = float(curve["incremental"].iloc[-1]) * y.size / 2
    best = _area(_perfect_curve(y, w)) - random_area
    if best == 0:
        raise ValueError(
            "the best ranking is no better than random here: the Qini "
            "coefficient is undefined (are all outcomes equal?)."
        )
    return (_area(curve) - random_area) / best


def policy_value(
    scores: Sequence[float] | pd.Series,
    effects: Sequence[float] | pd.Series,
    *,
    share: float,
    value_per_unit: float,
    cost_per_contact: float,
) -> float:
    """Net value in yuan of contacting the top ``share`` of customers by ``scores``,
    when each customer's true effect is known (as in a simulation's truth table):
    value_per_unit × (sum of the targeted customers' effects) − cost_per_contact × (number
    targeted). Ties at the cut-off are broken by order of appearance.

    Parameters
    ----------
    scores : sequence of float
        Ranking score (higher = contacted first).
    effects : sequence of float
        True effect of the campaign on each customer (e.g. change in retention
        probability).
    share : float
        Share of customers contacted, in [0, 1].
    value_per_unit : float
        Yuan per unit of effect (e.g. the value of a retained customer).
    cost_per_contact : float
        Yuan per customer contacted.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the lengths differ, a value is missing or ``share`` is outside [0, 1].

    Examples
    --------
    >>> policy_value([0.9, 0.5, 0.1], [0.2, -0.1, 0.3], share=2 / 3,
    ...              value_per_unit=1000, cost_per_contact=10)
    80.0
    """
    s = np.asarray(scores, dtype=float)
    e = np.asarray(effects, dtype=float)
    if s.size != e.size or s.size == 0:
        raise ValueError(
            f"scores and effects must have the same non-zero length; got {s.size} and {e.size}."
        )
    if np.isnan(s).any() or np.isnan(e).any():
        raise ValueError("scores and effects must not have missing values.")
    require_share(share, "share")
    k = int(round(share * s.size))
    top = np.argsort(-s, kind="stable")[:k]
    return float(value_per_unit * e[top].sum() - cost_per_contact * k)
