"""crmlab.rollout: difference in differences, event study, before/after."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from crmlab.rollout import before_after, did, event_study


def _staggered(effect: float, noise: float, seed: int = 0) -> pd.DataFrame:
    """6 regions x 36 months; four go live at months 6, 12, 18, 24, two never; each
    region has its own level, each month a common shock."""
    rng = np.random.default_rng(seed)
    go = dict(zip("abcdef", [6, 12, 18, 24, None, None], strict=True))
    level = dict(zip("abcdef", rng.normal(0, 3, 6), strict=True))
    shock = rng.normal(0, 1, 36)
    rows = []
    for u, g in go.items():
        for m in range(36):
            live = g is not None and m >= g
            y = 50 + level[u] + shock[m] + effect * live + rng.normal(0, noise)
            rows.append((u, m, g, y))
    return pd.DataFrame(rows, columns=["region", "month", "go_live", "cycle_days"])


def _within(frame: pd.DataFrame, live: np.ndarray) -> float:
    """Second method for a balanced panel: regress the double-demeaned outcome on the
    double-demeaned live indicator (Frisch-Waugh-Lovell)."""

    def demean(v: pd.Series) -> np.ndarray:
        g_u = v.groupby(frame["region"]).transform("mean")
        g_t = v.groupby(frame["month"]).transform("mean")
        return (v - g_u - g_t + v.mean()).to_numpy()

    y = demean(frame["cycle_days"])
    x = demean(pd.Series(live, index=frame.index))
    return float(x @ y / (x @ x))


def test_did_recovers_a_constant_effect_and_matches_the_within_estimator():
    panel = _staggered(effect=-4.0, noise=1.0)
    r = did(panel, outcome="cycle_days", period="month")
    live = ((panel["go_live"].notna()) & (panel["month"] >= panel["go_live"])).to_numpy(float)
    assert r.effect == pytest.approx(_within(panel, live), abs=1e-9)
    assert r.ci_low < -4.0 < r.ci_high
    assert (r.n_units, r.n_periods, r.n_obs) == (6, 36, 216)
    # 6 regions with 5 distinct go-live values: 720 orderings, all used
    assert r.n_permutations == 720
    assert r.permutation_p < 0.05
    assert "only 6 clusters" in str(r)


def test_did_without_noise_is_exact():
    r = did(_staggered(effect=2.5, noise=0.0), outcome="cycle_days")
    assert r.effect == pytest.approx(2.5, abs=1e-9)


def test_permutation_p_by_enumeration():
    # 3 regions x 4 months, go-live {a: 1, b: 2, c: never}; the 6 re-assignments of
    # (1, 2, never) among (a, b, c) are scored with the within estimator (second method)
    rng = np.random.default_rng(5)
    go = {"a": 1, "b": 2, "c": None}
    rows = [
        (u, m, g, rng.normal() + 3.0 * (g is not None and m >= g))
        for u, g in go.items()
        for m in range(4)
    ]
    panel = pd.DataFrame(rows, columns=["region", "month", "go_live", "cycle_days"])
    observed = did(panel, outcome="cycle_days")
    estimates = []
    for order in itertools.permutations([1, 2, None]):
        start = panel["region"].map(dict(zip("abc", order, strict=True)))
        live = (start.notna() & (panel["month"] >= start)).to_numpy(float)
        estimates.append(abs(_within(panel, live)))
    expected = np.mean(np.array(estimates) >= abs(observed.effect) - 1e-12)
    assert observed.permutation_p == pytest.approx(expected)
    assert observed.n_permutations == 6


def test_event_study_flat_before_and_the_effect_after():
    es = event_study(_staggered(effect=-4.0, noise=0.0), outcome="cycle_days", window=(-3, 3))
    assert es.index.tolist() == [-3, -2, -1, 0, 1, 2, 3]
    assert es.loc[[-3, -2, -1], "effect"].tolist() == pytest.approx([0, 0, 0], abs=1e-8)
    assert es.loc[[0, 1, 2, 3], "effect"].tolist() == pytest.approx([-4] * 4, abs=1e-8)


def test_before_after_by_hand():
    # region a: before (10 + 12) / 2 = 11, after (15 + 17) / 2 = 16 -> +5; b never live
    p = pd.DataFrame(
        {
            "region": list("aaaabbbb"),
            "month": [1, 1, 2, 2] * 2,
            "go_live": [2] * 4 + [None] * 4,
            "sales": [10.0, 12, 15, 17, 8, 6, 9, 7],
        }
    )
    t = before_after(p, outcome="sales")
    assert t.loc["a"].tolist() == [11.0, 16.0, 5.0]
    assert "b" not in t.index


def test_bad_input():
    panel = _staggered(effect=1.0, noise=1.0)
    with pytest.raises(KeyError, match="sales"):
        did(panel, outcome="sales")
    mixed = panel.copy()
    mixed.loc[0, "go_live"] = 7
    with pytest.raises(ValueError, match="one value per region; 'a'"):
        did(mixed, outcome="cycle_days")
    with pytest.raises(ValueError, match="not live"):
        did(panel.assign(go_live=None), outcome="cycle_days")
    with pytest.raises(ValueError, match="-1"):
        event_study(panel, outcome="cycle_days", window=(0, 3))
    with pytest.raises(ValueError, match="whole periods"):
        event_study(panel.assign(month=panel["month"] + 0.5), outcome="cycle_days")
    with pytest.raises(ValueError, match="nothing went live"):
        before_after(panel.assign(go_live=None), outcome="cycle_days")
    # 2 regions x 2 months, one row each: 4 observations for 4 parameters
    tiny = pd.DataFrame(
        {
            "region": list("aabb"),
            "month": [1, 2, 1, 2],
            "go_live": [2, 2, None, None],
            "cycle_days": [10.0, 15, 8, 9],
        }
    )
    with pytest.raises(ValueError, match="4 observations for 4 parameters"):
        did(tiny, outcome="cycle_days")
