"""The sales pipeline (销售漏斗) with meaning: leads by source, stage durations, win
probabilities that depend on the source, the relationship at opening and the owner's
skill, the firm's stage-weighted forecast.

Won opportunities are exactly the customers acquired in 2022-2024 (their relationship
and owner were drawn at acquisition in proportion to prior x win probability, see
:meth:`crmlab.simulate._crm._CRM._crm_new_customers`). Lost opportunities are drawn as
the thinned complement: for each source and month of opening, as many as the expected
wins times (1 - w̄) / w̄, with relationship and owner in proportion to prior x (1 - win
probability). Deals that will be won in 2025-01..06 appear as open at 2024-12-31. The
table holds every opportunity closed in 2022-2024 or open at 2024-12-31.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._schema import (
    CHANNELS,
    LOST_REASONS,
    OUTCOMES,
    PROSPECT_TYPES,
    REGIONS,
    SIZES,
    STAGES,
)
from crmlab.simulate._crm import (
    cumulative_cell_weights,
    month_of,
    month_start,
    pick_cells,
    win_logit,
)
from crmlab.simulate._crm_params import (
    COMPETITOR_SHARE,
    FORECAST_P,
    FUTURE_MONTHS,
    LOST_REASON_P,
    LOST_WAIT_MULT,
    NWOM_LOSS_RATE,
    PIPELINE_FIRST_OPEN,
    RELATIONSHIP_LEVELS,
    RELATIONSHIP_P,
    SOURCE_OF_CHANNEL,
    SOURCES,
    STAGE_DAYS,
    STAGE_SHAPE,
    STAGE_SHARE,
    STAGE_SIZE_MULT,
    STAGE_SOURCE_MULT,
)
from crmlab.simulate._params import CHANNEL_P, END, N_MONTHS, REGION_P, SIZE_P
from crmlab.simulate._population import _format_ids, _sort_order
from crmlab.simulate._tables import _cat

_END = np.datetime64(END.date(), "D")
_START = np.datetime64("2022-01-01", "D")
PIPELINE_COLUMNS = [
    "opportunity_id", "customer_id", "source", "manager_id", "region", "size", "relationship",
    "prospect_type", "open_date", "intention_date", "negotiation_date", "contract_date",
    "close_date", "stage_reached", "outcome", "lost_reason", "forecast_value", "deal_value",
]  # fmt: skip


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


class _Pipeline:
    """The sales pipeline (mixin of ``_Simulation``; replaces the first edition's)."""

    rng: np.random.Generator
    n: int

    def _draw_cells(self, source, region, day, lost: bool) -> tuple[np.ndarray, np.ndarray]:
        """Relationship and owner of opportunities, drawn jointly in proportion to the
        prior of the relationship given the source x (1 - w if ``lost`` else w), the
        owner among the managers of the region employed on ``day``."""
        rng = self.crm_rng
        rel = np.zeros(source.size, dtype=int)
        mgr = np.zeros(source.size, dtype=int)
        skill_all = np.array(self.mgr_skill)
        hire = np.array(self.mgr_hire)
        leave = np.array(self.mgr_leave)
        reg = np.array(self.mgr_region)
        month = month_of(day)
        key = region * 1000 + month - PIPELINE_FIRST_OPEN
        by_key = np.argsort(key, kind="stable")
        _, first = np.unique(key[by_key], return_index=True)
        for here in np.split(by_key, first[1:]):  # keys in order, rows in order
            r, d = region[here[0]], month_start(month[here[0]])
            pool = np.flatnonzero((reg == r) & (hire <= d) & (np.isnat(leave) | (leave > d)))
            if pool.size == 0:  # nobody employed yet: the region's first hire owns it
                pool = np.flatnonzero(reg == r)[:1]
            cum = cumulative_cell_weights(skill_all[pool], lost)
            cell = pick_cells(cum, source[here], rng.random(here.size))
            rel[here] = cell // pool.size
            mgr[here] = pool[cell % pool.size]
        return rel, mgr

    def _durations(self, k: int, size: np.ndarray, source: np.ndarray) -> np.ndarray:
        """Days spent in each of the three stages before a contract (k x 3), untreated."""
        scale = STAGE_DAYS[None, :] / STAGE_SHAPE * STAGE_SIZE_MULT[size][:, None]
        scale = scale * np.array([STAGE_SOURCE_MULT[s] for s in SOURCES])[source][:, None]
        return self.crm_rng.gamma(STAGE_SHAPE, scale, (k, 3))

    def _deal_value(self, size: np.ndarray, customer: np.ndarray | None) -> np.ndarray:
        """The firm's estimate of a deal's first-year value: the customer's expected yearly
        purchases (for a prospect: those of a random customer of the same size) x a
        lognormal estimation error."""
        rng = self.crm_rng
        yearly = self.rate * self._mean_order_value()
        if customer is None:
            customer = np.empty(size.size, dtype=int)
            for s in range(len(SIZES)):
                same = np.flatnonzero(self.size == s)
                here = size == s
                customer[here] = same[rng.integers(0, same.size, here.sum())]
        return (yearly[customer] * rng.lognormal(0, 0.35, size.size)).round(-2)

    def _pipeline(self) -> pd.DataFrame:
        rng = self.crm_rng
        won = np.flatnonzero(self.acq_month >= 0)
        weights = np.exp(0.02 * np.arange(PIPELINE_FIRST_OPEN, N_MONTHS + FUTURE_MONTHS))
        scale = won.size / np.exp(0.02 * np.arange(N_MONTHS)).sum()
        expected_new = scale * weights  # expected wins per month, months -12..41
        share = np.zeros(len(SOURCES))
        for ch, p in zip(CHANNELS, CHANNEL_P, strict=True):
            share[SOURCES.index(SOURCE_OF_CHANNEL[ch])] += p
        skill = np.array(self.mgr_skill)
        # --- won in 2022-2024: the acquired customers
        parts = [
            self._opportunities(
                source=self.source[won],
                region=self.region[won],
                size=self.size[won],
                rel=self.relationship[won],
                mgr=self.won_mgr[won],
                contract=self.acq_date[won],
                customer=won,
            )
        ]
        # --- won in 2025-01..06: open at the end of 2024
        months = np.arange(N_MONTHS, N_MONTHS + FUTURE_MONTHS)
        counts = rng.poisson(expected_new[months - PIPELINE_FIRST_OPEN][:, None] * share)
        f_month = np.repeat(np.repeat(months, len(SOURCES)), counts.ravel())
        f_source = np.repeat(np.tile(np.arange(len(SOURCES)), months.size), counts.ravel())
        f_region = rng.choice(len(REGIONS), f_source.size, p=REGION_P)
        f_size = rng.choice(len(SIZES), f_source.size, p=SIZE_P)
        f_rel, f_mgr = self._draw_cells(f_source, f_region, np.full(f_source.size, _END), False)
        contract = month_start(f_month) + rng.integers(0, 28, f_month.size)
        parts.append(self._opportunities(f_source, f_region, f_size, f_rel, f_mgr, contract, None))
        # --- lost (or still open): the thinned complement of the wins
        w_bar = np.array(
            [
                (np.array(RELATIONSHIP_P[s])[:, None]
                 * _sigmoid(win_logit(np.array([k]), np.arange(3)[:, None], skill[None, :]))
                 ).sum(axis=0).mean()
                for k, s in enumerate(SOURCES)
            ]
        )  # fmt: skip
        months = np.arange(PIPELINE_FIRST_OPEN, N_MONTHS)
        lam = expected_new[months - PIPELINE_FIRST_OPEN][:, None] * share * (1 - w_bar) / w_bar
        counts = rng.poisson(lam)
        l_month = np.repeat(np.repeat(months, len(SOURCES)), counts.ravel())
        l_source = np.repeat(np.tile(np.arange(len(SOURCES)), months.size), counts.ravel())
        parts.append(self._lost(l_month, l_source))
        frame = pd.concat(parts, ignore_index=True)
        # by opening date, then customer (ids sort as positions; prospects last)
        customer = frame.pop("customer")
        order = _sort_order(np.where(customer < 0, self.n, customer), frame["open_date"].to_numpy())
        frame = frame.take(order).reset_index(drop=True)
        frame["customer_id"] = self.ids_str.take(customer.to_numpy()[order], allow_fill=True)
        frame.insert(0, "opportunity_id", _format_ids("P", np.arange(1, len(frame) + 1), 6))
        return frame[PIPELINE_COLUMNS]

    def _opportunities(self, source, region, size, rel, mgr, contract, customer) -> pd.DataFrame:
        """Won (or to-be-won) opportunities, their stages laid back from the contract
        date; an opportunity opened once its region's CRM is live moves 0.8x as slowly."""
        k = source.size
        dur = self._durations(k, size, source)
        open0 = contract - np.maximum(1, np.round(dur)).sum(axis=1).astype(int)
        dur = dur * self._stage_mult(region, month_of(open0))[:, None]
        days = np.maximum(1, np.round(dur)).astype(int)
        stage_dates = contract[:, None] - np.cumsum(days[:, ::-1], axis=1)[:, ::-1]
        # stage_dates[:, 0] = open, [:, 1] = intention, [:, 2] = negotiation
        dates = np.column_stack([stage_dates, contract])
        keep = dates[:, 0] <= _END
        dates, source, region, size, rel, mgr = (
            a[keep] for a in (dates, source, region, size, rel, mgr)
        )
        reached = (dates <= _END).sum(axis=1) - 1
        dates = np.where(dates <= _END, dates, np.datetime64("NaT"))
        value = self._deal_value(size, None if customer is None else customer[keep])
        frame = self._frame(source, region, size, rel, mgr, dates, reached, value)
        frame["customer"] = -1 if customer is None else customer[keep]  # position
        won = reached == 3
        frame["close_date"] = np.where(won, dates[:, 3], np.datetime64("NaT"))
        frame["outcome"] = _cat(
            np.where(won, OUTCOMES.index("won"), OUTCOMES.index("open")), OUTCOMES
        )
        frame["lost_reason"] = _cat(np.full(len(frame), -1), LOST_REASONS)
        return frame

    def _lost(self, month: np.ndarray, source: np.ndarray) -> pd.DataFrame:
        """Opportunities that are lost (or still open at the end of 2024)."""
        rng = self.crm_rng
        k = source.size
        day = month_start(month) + rng.integers(0, 28, k)
        region = rng.choice(len(REGIONS), k, p=REGION_P)
        size = rng.choice(len(SIZES), k, p=SIZE_P)
        rel, mgr = self._draw_cells(source, region, day, True)
        w = _sigmoid(win_logit(source, rel, np.array(self.mgr_skill)[mgr]))
        q = w[:, None] ** STAGE_SHARE[None, :]
        reach = np.column_stack([np.ones(k), np.cumprod(q, axis=1)[:, :2]])
        p_stop = reach * (1 - q)
        cum = np.cumsum(p_stop, axis=1)
        stop = (rng.random(k)[:, None] * cum[:, -1:] > cum).sum(axis=1)
        dur = self._durations(k, size, source) * self._stage_mult(region, month)[:, None]
        days = np.maximum(1, np.round(dur)).astype(int)
        stage_dates = day[:, None] + np.column_stack(
            [np.zeros(k, int), np.cumsum(days[:, :2], axis=1)]
        )
        wait = np.maximum(1, np.round(LOST_WAIT_MULT * dur[np.arange(k), stop])).astype(int)
        close = stage_dates[np.arange(k), stop] + wait
        keep = close >= _START
        (day, region, size, rel, mgr, source, stop, stage_dates, close) = (
            a[keep] for a in (day, region, size, rel, mgr, source, stop, stage_dates, close)
        )
        k = source.size
        reached_dates = np.where(np.arange(3)[None, :] <= stop[:, None], stage_dates, _END + 1)
        reached = np.minimum(stop, (reached_dates <= _END).sum(axis=1) - 1)
        dates = np.where(
            np.arange(3)[None, :] <= reached[:, None], stage_dates, np.datetime64("NaT")
        )
        dates = np.column_stack([dates, np.full(k, np.datetime64("NaT"), dtype="datetime64[D]")])
        value = self._deal_value(size, None)
        frame = self._frame(source, region, size, rel, mgr, dates, reached, value)
        closed = close <= _END
        frame["customer"] = -1  # a prospect: no customer
        frame["close_date"] = np.where(closed, close, np.datetime64("NaT"))
        frame["outcome"] = _cat(
            np.where(closed, OUTCOMES.index("lost"), OUTCOMES.index("open")), OUTCOMES
        )
        # lost reasons: negative word of mouth in the region, else by the stage
        neg = getattr(self, "neg_mentions_region_month", np.zeros((len(REGIONS), N_MONTHS)))
        cm = np.clip(month_of(close), 0, N_MONTHS - 1)
        recent = sum(neg[region, np.clip(cm - lag, 0, None)] for lag in (1, 2, 3))
        nwom = rng.random(k) < 1 - np.exp(-NWOM_LOSS_RATE * recent)
        p = np.array([LOST_REASON_P[s] for s in STAGES[:3]])[stop]
        cum = np.cumsum(p, axis=1)
        reason = (rng.random(k)[:, None] * cum[:, -1:] > cum).sum(axis=1)
        reason = np.where(nwom, 4, reason)
        frame["lost_reason"] = _cat(np.where(closed, reason, -1), LOST_REASONS)
        return frame

    def _frame(self, source, region, size, rel, mgr, dates, reached, value) -> pd.DataFrame:
        forecast = np.array([FORECAST_P[s] for s in STAGES])[reached] * value
        return pd.DataFrame(
            {
                "source": _cat(source, SOURCES),
                "manager_id": pd.array(self._manager_ids(), dtype="str").take(mgr),
                "region": _cat(region, REGIONS),
                "size": _cat(size, SIZES),
                "relationship": _cat(rel, RELATIONSHIP_LEVELS),
                "prospect_type": _cat(
                    (self.crm_rng.random(source.size) < COMPETITOR_SHARE).astype(np.int64),
                    PROSPECT_TYPES,  # potential, competitor
                ),
                "open_date": dates[:, 0],
                "intention_date": dates[:, 1],
                "negotiation_date": dates[:, 2],
                "contract_date": dates[:, 3],
                "stage_reached": _cat(reached, STAGES),
                "forecast_value": forecast.round(2),
                "deal_value": value,
            }
        )
