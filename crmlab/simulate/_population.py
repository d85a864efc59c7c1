"""Part 1 of a run: who the customers are (latent traits and acquisition)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from crmlab._schema import (
    CHANNELS,
    INDUSTRIES,
    LOYALTY_TYPES,
    PRODUCT_LINES,
    REGIONS,
)
from crmlab.simulate._params import (
    _TYPES,
    CHANNEL_P,
    GROUP_EFFECTS,
    INDUSTRY_P,
    N_MONTHS,
    REGION_P,
    SIZE_P,
    _Type,
)


def _format_ids(prefix: str, numbers: np.ndarray, width: int) -> pd.api.extensions.ExtensionArray:
    """``f"{prefix}{i:0{width}d}"`` for every ``i`` of ``numbers`` (at least ``width``
    digits, more where ``i`` needs them), as a pandas ``str`` array formatted by Arrow:
    many times faster than formatting each id for the millions of rows of a large run."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, padding="0")
    return pd.array(pc.binary_join_element_wise(prefix, digits, ""), dtype="str")


def _ids(prefix: str, k: int, width: int) -> pd.api.extensions.ExtensionArray:
    """``prefix`` + 1..k zero-padded to ``width`` digits (all ids get one more digit when
    k needs it, so that they sort as their numbers do), as a pandas ``str`` array."""
    return _format_ids(prefix, np.arange(1, k + 1), max(width, len(str(k))))


def _sort_order(*keys: np.ndarray) -> np.ndarray:
    """``np.lexsort(keys)`` (rows by the last key, then the one before, ..., ties in row
    order) for keys of non-negative integers or days, as one stable sort of a combined
    integer key: about twice as fast for the millions of rows of a large run."""
    ints = [key.astype(np.int64) for key in keys]
    spans = [int(key.max(initial=0)) + 1 for key in ints]
    if any(key.min(initial=0) < 0 for key in ints) or np.prod(spans, dtype=float) >= 2.0**62:
        return np.lexsort(keys)  # no combined key: the slower sort, same order
    combined = np.zeros(keys[0].size, dtype=np.int64)
    for key, span in zip(reversed(ints), reversed(spans), strict=True):
        combined = combined * span + key
    return np.argsort(combined, kind="stable")


class _Population:
    """Part 1 of a run: who the customers are. Latent traits (loyalty type, elasticity,
    purchase rate, ...) and acquisition dates, drawn once per customer."""

    rng: np.random.Generator
    n: int

    def _traits(self) -> None:
        rng, n = self.rng, self.n
        self.ids_str = _ids("C", n, 6)
        self.ids = self.ids_str.to_numpy(dtype=object)
        self.size = rng.choice(3, n, p=SIZE_P)
        self.region = rng.choice(len(REGIONS), n, p=REGION_P)
        self.industry = rng.choice(len(INDUSTRIES), n, p=INDUSTRY_P)
        shares = np.array([t.share for t in _TYPES.values()])
        self.ltype = rng.choice(len(LOYALTY_TYPES), n, p=shares / shares.sum())
        par = {
            f: np.array([getattr(_TYPES[t], f) for t in LOYALTY_TYPES])[self.ltype]
            for f in _Type.__dataclass_fields__
        }
        self.attitude = par["attitude"] + rng.normal(0, 0.5, n)
        self.switching = np.clip(par["switching"] + rng.normal(0, 0.12, n), 0, 1)
        self.elasticity = np.minimum(par["elasticity"] * rng.lognormal(0, 0.25, n), -0.05)
        self.promo_response = par["promo_response"] * rng.lognormal(0, 0.3, n)
        self.churn_mult = par["churn_mult"]
        self.choose_days = par["choose_days"] * rng.lognormal(0, 0.3, n)
        self.tolerance = np.clip(par["tolerance"] + rng.normal(0, 0.12, n), 0, 1)
        # purchase rate (orders a year) and order size: heavy-tailed, larger firms buy more
        size_rate = np.array([1.0, 1.7, 2.8])[self.size]
        self.rate = 8.0 * size_rate * par["rate_mult"] * rng.gamma(1.4, 1 / 1.4, n)
        size_qty = np.array([1.0, 2.5, 7.0])[self.size]
        self.qty_level = size_qty * rng.lognormal(-0.45, 0.95, n)
        self.sat_prop = rng.normal(0, 0.6, n) + 0.25 * self.attitude
        self.refer = rng.beta(1.2, 6, n) * (1 + 0.5 * (self.attitude > 0.5))
        self.credit_risk = rng.beta(1.3, 9, n)
        self.negotiated = np.clip(
            np.array([0.02, 0.05, 0.09])[self.size] + rng.normal(0, 0.02, n), 0, 0.2
        )
        self.line_pref = rng.dirichlet(np.full(len(PRODUCT_LINES), 0.6), n)
        self.contact_rate = np.array([0.15, 0.45, 1.4])[self.size] * rng.lognormal(0, 0.4, n)
        self.payment_terms = np.array([30, 60, 90])[rng.choice(3, n, p=[0.5, 0.35, 0.15])]

    def _acquisition(self) -> None:
        rng, n = self.rng, self.n
        n_before = int(round(0.45 * n))
        # customers won before 2022: their months are negative (back to 2016)
        before = rng.integers(-72, 0, n_before)
        # customers won 2022-2024, growing over time
        weights = np.exp(0.02 * np.arange(N_MONTHS))
        during = rng.choice(N_MONTHS, n - n_before, p=weights / weights.sum())
        month = np.sort(np.concatenate([before, during]))
        self.acq_month = month
        day = rng.integers(0, 28, n)
        months = np.datetime64("2022-01", "M") + month
        self.acq_date = months.astype("datetime64[D]") + day
        self.channel = rng.choice(len(CHANNELS), n, p=CHANNEL_P)
        self._group_effects()

    def _group_effects(self) -> None:
        """Region, industry and channel act on spend (quantity level), voluntary churn and
        the propensity to refer through the log effects of ``GROUP_EFFECTS`` (no draw)."""
        levels = {"region": REGIONS, "industry": INDUSTRIES, "channel": CHANNELS}
        codes = {"region": self.region, "industry": self.industry, "channel": self.channel}
        log_mult = {}
        for mechanism, by_factor in GROUP_EFFECTS.items():
            total = np.zeros(self.n)
            for factor, effects in by_factor.items():
                per_level = np.array([effects.get(x, 0.0) for x in levels[factor]])
                total += per_level[codes[factor]]
            log_mult[mechanism] = total
        self.qty_level = self.qty_level * np.exp(log_mult["spend"])
        self.churn_mult = self.churn_mult * np.exp(log_mult["churn"])
        self.refer = self.refer * np.exp(log_mult["referral"])
