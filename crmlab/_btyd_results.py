"""The fitted BTYD models of :mod:`crmlab.btyd`: :class:`BGNBDResult` (P(alive) and
expected purchases, Fader, Hardie & Lee 2005a) and :class:`GammaGammaResult` (expected
spend, Fader, Hardie & Lee 2005b). The fits that make them, :func:`crmlab.btyd.fit_bgnbd`
and :func:`crmlab.btyd.fit_gamma_gamma`, are in :mod:`crmlab.btyd`, which imports both
classes: use them through ``btyd``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, hyp2f1

from crmlab._i18n import N_
from crmlab._results import Result
from crmlab._validate import check_btyd_summary, require_positive

__all__ = ["BGNBDResult", "GammaGammaResult"]


@dataclass
class BGNBDResult(Result):
    """A fitted BG/NBD model (Fader, Hardie & Lee 2005a).

    Attributes
    ----------
    r, alpha : float
        Gamma heterogeneity of the purchase rate λ (mean r/α purchases per time unit).
    a, b : float
        Beta heterogeneity of the dropout probability p after a purchase (mean a/(a+b)).
    log_likelihood : float
    n_customers : int
    converged : bool
    """

    title = N_("BG/NBD model (Fader, Hardie & Lee 2005a)")

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_customers: int
    converged: bool

    @property
    def params(self) -> pd.Series:
        return pd.Series({"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b})

    def summary(self) -> pd.DataFrame:
        """Parameters with their meaning, the log-likelihood and n."""
        rows = {
            "r": (self.r, "shape of purchase-rate heterogeneity"),
            "alpha": (self.alpha, "scale of purchase-rate heterogeneity"),
            "a": (self.a, "dropout heterogeneity a"),
            "b": (self.b, "dropout heterogeneity b"),
            "mean purchase rate r/alpha": (self.r / self.alpha, "purchases per time unit"),
            "mean dropout a/(a+b)": (self.a / (self.a + self.b), "per purchase"),
            "log-likelihood": (self.log_likelihood, f"n = {self.n_customers}"),
        }
        return pd.DataFrame(rows, index=["value", "meaning"]).T

    def p_alive(self, x, t_x, T) -> np.ndarray:
        """P(alive | x, t_x, T) (存活概率): the chance the customer has not dropped out.

        ``1 / (1 + [x > 0] a/(b + x - 1) ((α + T)/(α + t_x))^(r + x))`` (Fader, Hardie &
        Lee 2008, "Computing P(alive) using the BG/NBD model"); a customer without repeat
        purchases is alive for sure. Computed as ``expit(−log ratio)`` in log space, so
        extreme histories give 0 or 1 without overflow (lifetimes' test
        ``test_no_runtime_warnings_high_frequency``: x = 1000, t_x = 10, T = 100 → 0).
        """
        x, t_x, big_t = (np.asarray(v, dtype=float) for v in (x, t_x, T))
        return expit(-self._log_dropped_ratio(x, t_x, big_t))

    def _log_dropped_ratio(self, x, t_x, big_t):
        """log of a/(b + x − 1) ((α + T)/(α + t_x))^(r + x); −inf where x = 0."""
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        log_ratio = (
            np.log(a)
            - np.log(np.maximum(b + x - 1, np.finfo(float).tiny))
            + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x))
        )
        return np.where(x > 0, log_ratio, -np.inf)

    def _log_discounted_hyp2f1(self, x, z, log_1mz):
        """log of (1 − z)^(r+x) 2F1(r + x, b + x; a + b + x − 1; z).

        For large x, ``hyp2f1`` overflows (its first two parameters grow with x) while
        (1 − z)^(r+x) underflows: the product, at most 1, becomes NaN. Where the direct
        route is not finite, Euler's transformation 2F1(A, B; C; z) = (1 − z)^(C−A−B)
        2F1(C − A, C − B; C; z) gives the same number as (1 − z)^(a−1) 2F1(a + b − 1 − r,
        a − 1; a + b + x − 1; z), whose parameters stay small (lifetimes does the same).
        """
        r, a, b = self.r, self.a, self.b
        x, z, log_1mz = np.broadcast_arrays(x, z, log_1mz)
        c = a + b + x - 1
        with np.errstate(all="ignore"):
            out = (r + x) * log_1mz + np.log(hyp2f1(r + x, b + x, c, z))
            bad = ~np.isfinite(out)
            if bad.any():  # only the failing entries: hyp2f1 is the costly part
                out = np.array(out, dtype=float)
                out[bad] = (a - 1) * log_1mz[bad] + np.log(
                    hyp2f1(a + b - 1 - r, a - 1, c[bad], z[bad])
                )
        return out

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` time units (eq. 10).

        ``(a + b + x - 1)/(a - 1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1;
        t/(α+T+t))] / (1 + [x > 0] a/(b+x-1) ((α+T)/(α+t_x))^(r+x))``, in log space, with
        Euler's transformation of 2F1 where the direct route overflows (heavy buyers).

        Examples
        --------
        The paper's customer (p. 281): x = 2, t_x = 30.43, T = 38.86 weeks.

        >>> fit = BGNBDResult(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, True)
        >>> round(float(fit.expected_purchases(39, 2, 30.43, 38.86)), 3)
        1.226
        """
        t, x, t_x, big_t = (np.asarray(v, dtype=float) for v in (t, x, t_x, T))
        alpha, a, b = self.alpha, self.a, self.b
        z = t / (alpha + big_t + t)
        log_1mz = np.log(alpha + big_t) - np.log(alpha + big_t + t)
        body = (a + b + x - 1) / (a - 1) * -np.expm1(self._log_discounted_hyp2f1(x, z, log_1mz))
        return body * expit(-self._log_dropped_ratio(x, t_x, big_t))

    def expected_purchases_new(self, t) -> np.ndarray:
        """E[X(t)]: expected purchases of a new customer in ``t`` time units (eq. 9),
        ``(a + b − 1)/(a − 1) [1 − (α/(α + t))^r 2F1(r, b; a + b − 1; t/(α + t))]``."""
        t = np.asarray(t, dtype=float)
        alpha, a, b = self.alpha, self.a, self.b
        log_1mz = np.log(alpha) - np.log(alpha + t)
        zero = np.zeros_like(t)
        return (
            (a + b - 1)
            / (a - 1)
            * -np.expm1(self._log_discounted_hyp2f1(zero, t / (alpha + t), log_1mz))
        )

    def predict(
        self,
        summary: pd.DataFrame,
        t: float,
        *,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
    ) -> pd.DataFrame:
        """P(alive) and expected purchases in the next ``t`` units for each customer."""
        x, t_x, big_t = check_btyd_summary(summary, frequency=frequency, recency=recency, T=T)
        require_positive(t, "t")
        return pd.DataFrame(
            {
                "p_alive": self.p_alive(x, t_x, big_t),
                "expected_purchases": self.expected_purchases(t, x, t_x, big_t),
            },
            index=summary.index,
        )


@dataclass
class GammaGammaResult(Result):
    """A fitted Gamma-Gamma spend model (Fader, Hardie & Lee 2005b; Colombo & Jiang 1999).

    A purchase's spend is Gamma(p, ν); across customers ν ~ Gamma(q, γ). The mean spend
    of a customer is then ``p γ / (q - 1)`` before seeing any purchase.

    Attributes
    ----------
    p, q, gamma : float
    log_likelihood : float
    n_customers : int
        Customers with at least one repeat purchase (the ones the model is fitted to).
    """

    title = N_("Gamma-Gamma spend model (Fader, Hardie & Lee 2005b)")

    p: float
    q: float
    gamma: float
    log_likelihood: float
    n_customers: int
    converged: bool

    def summary(self) -> pd.DataFrame:
        """Parameters with their meaning, the population mean spend, the log-likelihood
        and n.

        Examples
        --------
        >>> fit = GammaGammaResult(6.25, 3.74, 15.44, -9.0, 946, True)
        >>> round(fit.summary().loc["mean spend p·gamma/(q-1)", "value"], 2)  # 96.5 / 2.74
        35.22
        """
        rows = {
            "p": (self.p, "shape of the spend of one purchase"),
            "q": (self.q, "shape of the customers' spend-rate heterogeneity"),
            "gamma": (self.gamma, "scale of the customers' spend-rate heterogeneity"),
            "mean spend p·gamma/(q-1)": (self.mean_spend, "per purchase, before any data"),
            "log-likelihood": (self.log_likelihood, f"n = {self.n_customers}"),
        }
        return pd.DataFrame(rows, index=["value", "meaning"]).T

    @property
    def params(self) -> pd.Series:
        return pd.Series({"p": self.p, "q": self.q, "gamma": self.gamma})

    @property
    def mean_spend(self) -> float:
        """Population mean spend per purchase, ``p γ / (q - 1)`` (infinite if q <= 1)."""
        return self.p * self.gamma / (self.q - 1) if self.q > 1 else float("inf")

    def expected_spend(self, x, m) -> np.ndarray:
        """E[M | x, m_x]: a weighted mean of the population mean and the customer's own
        average ``m`` over ``x`` repeat purchases (FHL 2005b, eq. 5):
        ``(q - 1)/(p x + q - 1) · p γ/(q - 1) + p x/(p x + q - 1) · m``.

        Needs ``q > 1``: with ``q <= 1`` the population mean spend ``p γ/(q - 1)`` is
        infinite (the customers' spend rates are too spread out for the model), and the
        formula would give a negative spend, hence a negative lifetime value, to every
        customer without a repeat purchase (``x = 0``: denominator ``q - 1 <= 0``). This
        happens on small or heavy-tailed data (a synthetic company of 3,000 customers gave
        q = 0.998); a :class:`ValueError` says so instead.

        Examples
        --------
        >>> fit = GammaGammaResult(2.0, 0.998, 3000.0, -9.0, 500, True)
        >>> fit.expected_spend([0], [80.0])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: the Gamma-Gamma fit has q = 0.998 <= 1: ...
        """
        x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
        p, q, gamma = self.p, self.q, self.gamma
        if not q > 1:
            raise ValueError(
                f"the Gamma-Gamma fit has q = {q:.4g} <= 1: the population mean spend "
                "p·gamma/(q-1) is infinite, and the expected spend of a customer without a "
                "repeat purchase would be negative. The spend rates of these customers are "
                f"too spread out for the model ({self.n_customers} repeat buyers): use more "
                "customers or a longer calibration period, or model spend otherwise."
            )
        return (p * gamma + p * x * m) / (p * x + q - 1)
