"""Part 2 of a run: what happens month by month."""

from __future__ import annotations

import numpy as np

from crmlab._schema import (
    CHURN_CAUSES,
    INCIDENT_TYPES,
    PRODUCT_LINES,
    REGIONS,
)
from crmlab.simulate._params import (
    COMPETITOR_STEP_SD,
    COMPETITOR_WAR_CUT,
    COMPETITOR_WAR_P,
    INCIDENT_P_PER_ORDER,
    N_MONTHS,
    PRICE_CHANGES,
    PRODUCTS,
    PROMO_DEPTHS,
    PROMO_P,
    QUALITY_CUT,
    SAT_AR,
    SAT_SHOCK_SD,
    SEASON,
    SERVICE_INCIDENTS_PER_MONTH,
    START,
    SURVEY_DATE,
    SURVEY_WAVES,
    TREND_PER_YEAR,
    WOM,
)

#: Month index (0 = 2022-01) of each survey wave.
WAVE_MONTHS = [SURVEY_DATE.month - 1 + 12 * (year - START.year) for year in SURVEY_WAVES]
#: Churn causes that are the firm's fault (a leaver for one of them may post a complaint).
FAULT_CAUSES = [
    CHURN_CAUSES.index(c) for c in ("incident_mishandled", "quality", "passive_service")
]


class _MonthlyProcess:
    """Part 2 of a run: what happens month by month. List prices and promotions, then in
    each of the 36 months orders, incidents, contacts, satisfaction and churn (the named
    steps of :meth:`_monthly`), and the calendar days of the events."""

    rng: np.random.Generator
    n: int
    mk: dict

    def _price_paths(self) -> None:
        rng = self.rng
        n_lines = len(PRODUCT_LINES)
        index = np.ones((n_lines, N_MONTHS))
        for line, month, change in PRICE_CHANGES:
            index[line, month:] *= 1 + change
        # list prices are quoted to the fen (0.01 yuan)
        self.list_price = (PRODUCTS["base_list_price"].to_numpy()[:, None] * index).round(2)
        self.promo = rng.random((n_lines, N_MONTHS)) < PROMO_P
        depth = rng.choice(PROMO_DEPTHS, (n_lines, N_MONTHS))
        self.promo_depth = np.where(self.promo, depth, 0.0)
        # competitors' price index: log random walk from 1 in 2022-01, plus price wars
        steps = rng.normal(0, COMPETITOR_STEP_SD, (n_lines, N_MONTHS))
        steps[:, 0] = 0
        war = np.zeros((n_lines, N_MONTHS))
        starts = rng.random((n_lines, N_MONTHS)) < COMPETITOR_WAR_P
        length = rng.integers(2, 5, (n_lines, N_MONTHS))
        for line, month in zip(*np.nonzero(starts), strict=True):
            war[line, month : month + length[line, month]] = 1
        comp = np.exp(np.cumsum(steps, axis=1)) * (1 - COMPETITOR_WAR_CUT * war)
        self.competitor_index = comp.round(3)  # recorded to 3 decimals, used as recorded
        self.price_war = war.astype(bool)
        # our list price relative to the competitors'; its rise over the last 3 months
        # drives price churn
        relative = index / self.competitor_index
        rise = np.zeros_like(index)
        rise[:, 3:] = relative[:, 3:] / relative[:, :-3] - 1
        self.recent_rise = np.clip(rise, 0, None)

    def _monthly(self) -> None:
        """Run the 36 months. Each month, in this order (the order of the random draws,
        so the committed files come out bit for bit): orders, incidents, contacts,
        the latent satisfaction, word of mouth (mentions and referral leads), then churn
        by competing causes (and complaints posted by fault leavers)."""
        n = self.n
        self.alive = np.ones(n, dtype=bool)
        self.churn_month = np.full(n, -1)
        self.churn_cause = np.full(n, -1)
        self.recent_bad = np.zeros(n)
        self.recent_quality = np.zeros(n)
        self.recent_contacts = np.full(n, 1.0)
        self.bad_total = np.zeros(n)
        self.sat_wave = np.full((len(SURVEY_WAVES), n), np.nan)
        self.sat_shock = np.zeros(n)
        self.dropout_base = np.zeros(n)
        self.neg_mentions_region_month = np.zeros((len(REGIONS), N_MONTHS), dtype=np.int64)
        orders, incidents, contacts, mentions, leads = [], [], [], [], []
        self._crm_incident_log = incidents  # CRM hooks (sim-crm)
        for m in range(N_MONTHS):
            active = self.alive & (self.acq_month <= m)
            idx = np.flatnonzero(active)
            churn_mult, rate_mult, sat_shift = self._crm_month(m, idx)  # CRM hooks (sim-crm)
            n_ord = self._month_orders(m, idx, orders, rate_mult)
            bad, quality = self._month_incidents(m, idx, n_ord, incidents)
            con = self._month_contacts(m, idx, contacts)
            sat = self._month_satisfaction(m, idx, bad, quality, con, sat_shift)
            self._month_word_of_mouth(m, idx, sat, bad, mentions, leads)
            self._month_churn(m, active, sat, mentions, churn_mult)
        self.sat_at_survey = self.sat_wave[-1]
        self._orders_raw = [np.concatenate(x) for x in zip(*orders, strict=True)]
        self._incidents_raw = [np.concatenate(x) for x in zip(*incidents, strict=True)]
        self._contacts_raw = [np.concatenate(x) for x in zip(*contacts, strict=True)]
        self._mentions_raw = [np.concatenate(x) for x in zip(*mentions, strict=True)]
        self._leads_raw = [np.concatenate(x) for x in zip(*leads, strict=True)]
        c, _, negative = self._mentions_raw
        self.n_neg_mentions = np.bincount(c[negative], minlength=n)
        self.n_pos_mentions = np.bincount(c[~negative], minlength=n)
        self.n_referral_leads = np.bincount(self._leads_raw[0], minlength=n)

    def _month_orders(
        self, m: int, idx: np.ndarray, out: list, rate_mult: np.ndarray
    ) -> np.ndarray:
        """Orders of the active customers ``idx`` in month ``m``: Poisson at the purchase
        rate x season x trend x promotion response x the cut after quality incidents
        (memory of the months before). Returns orders per customer."""
        promo_any = (self.line_pref[idx] * self.promo[:, m]).sum(axis=1)
        growth = (1 + TREND_PER_YEAR) ** (m / 12)
        # a customer with low quality tolerance cuts orders after quality incidents
        quality_cut = np.exp(-QUALITY_CUT * (1 - self.tolerance[idx]) * self.recent_quality[idx])
        lam = (
            self.rate[idx]
            / 12
            * SEASON[m % 12]
            * growth
            * (1 + self.promo_response[idx] * promo_any)
            * quality_cut
            * rate_mult[idx]  # CRM hooks (sim-crm)
        )
        n_ord = self.rng.poisson(lam)
        o_idx = np.repeat(idx, n_ord)
        out.append((o_idx, np.full(o_idx.size, m)))
        return n_ord

    def _month_incidents(
        self, m: int, idx: np.ndarray, n_ord: np.ndarray, out: list
    ) -> tuple[np.ndarray, np.ndarray]:
        """Incidents per order by type plus service incidents, their severity and whether
        they were handled well. Returns per customer the severity handled badly and the
        number of quality incidents this month."""
        rng, n = self.rng, self.n
        inc_idx, inc_type = [], []
        for t, p in INCIDENT_P_PER_ORDER.items():
            k = rng.binomial(n_ord, p)
            inc_idx.append(np.repeat(idx, k))
            inc_type.append(np.full(k.sum(), INCIDENT_TYPES.index(t)))
        k = rng.poisson(SERVICE_INCIDENTS_PER_MONTH, idx.size)
        inc_idx.append(np.repeat(idx, k))
        inc_type.append(np.full(k.sum(), INCIDENT_TYPES.index("service")))
        inc_idx = np.concatenate(inc_idx)
        inc_type = np.concatenate(inc_type)
        severity = rng.choice([1, 2, 3], inc_idx.size, p=[0.6, 0.3, 0.1])
        p_well = 0.78 - 0.12 * (severity - 1) + 0.06 * self.size[inc_idx]
        handled_well = rng.random(inc_idx.size) < p_well
        out.append((inc_idx, np.full(inc_idx.size, m), inc_type, severity, handled_well))
        bad = np.bincount(inc_idx[~handled_well], weights=severity[~handled_well], minlength=n)
        quality = np.bincount(inc_idx[inc_type == 0], minlength=n)
        return bad, quality

    def _month_contacts(self, m: int, idx: np.ndarray, out: list) -> np.ndarray:
        """Account-manager contacts at each customer's contact rate; contacts per customer."""
        n_con = self.rng.poisson(self.contact_rate[idx])
        c_idx = np.repeat(idx, n_con)
        out.append((c_idx, np.full(c_idx.size, m)))
        return np.bincount(c_idx, minlength=self.n)

    def _month_satisfaction(
        self,
        m: int,
        idx: np.ndarray,
        bad: np.ndarray,
        quality: np.ndarray,
        con: np.ndarray,
        sat_shift: np.ndarray,
    ) -> np.ndarray:
        """Update the decaying memories of bad incidents, quality problems and contacts and
        return the latent satisfaction (1-5), which also drifts with a slow AR(1) shock;
        record it in the months of the survey waves."""
        self.recent_bad = 0.6 * self.recent_bad + bad
        self.recent_quality = 0.6 * self.recent_quality + quality
        self.recent_contacts = 0.8 * self.recent_contacts + con
        self.bad_total += bad
        self.sat_shock = SAT_AR * self.sat_shock + self.rng.normal(0, SAT_SHOCK_SD, self.n)
        self._sat_raw = (  # before the 1-5 clip, for the roll-out's truth (sim-crm)
            3.4
            + self.sat_prop
            + self.sat_shock
            - 0.25 * np.sqrt(self.bad_total)
            + 0.08 * np.minimum(self.recent_contacts, 3)
            + sat_shift  # CRM hooks (sim-crm)
        )
        sat = np.clip(self._sat_raw, 1, 5)
        if m in WAVE_MONTHS:
            self.sat_wave[WAVE_MONTHS.index(m), idx] = sat[idx]
        return sat

    def _month_word_of_mouth(
        self,
        m: int,
        idx: np.ndarray,
        sat: np.ndarray,
        bad: np.ndarray,
        mentions: list,
        leads: list,
    ) -> None:
        """Public mentions and referral leads of the active customers ``idx`` this month.
        Positive mentions and leads rise with satisfaction and the propensity to refer;
        negative mentions rise as satisfaction falls and with badly handled incidents
        (``bad``: their severity this month). Rates in ``WOM``."""
        rng = self.rng
        s, r = sat[idx], self.refer[idx] / 0.2
        pos = rng.poisson(WOM["pos_base"] * r * np.exp(WOM["pos_slope"] * (s - 4)))
        neg = rng.poisson(
            WOM["neg_base"] * np.exp(WOM["neg_slope"] * (3 - s)) + WOM["neg_per_bad"] * bad[idx] / 3
        )
        lead = rng.poisson(WOM["lead_base"] * r * np.exp(WOM["lead_slope"] * (s - 4)))
        c = np.concatenate([np.repeat(idx, pos), np.repeat(idx, neg)])
        negative = np.repeat([False, True], [pos.sum(), neg.sum()])
        mentions.append((c, np.full(c.size, m), negative))
        self._count_negative(m, np.repeat(idx, neg))
        l_idx = np.repeat(idx, lead)
        leads.append((l_idx, np.full(l_idx.size, m)))

    def _count_negative(self, m: int, who: np.ndarray) -> None:
        """Add negative mentions by customers ``who`` to the region x month counts."""
        self.neg_mentions_region_month[:, m] += np.bincount(
            self.region[who], minlength=self.neg_mentions_region_month.shape[0]
        )

    def _month_churn(
        self, m: int, active: np.ndarray, sat: np.ndarray, mentions: list, churn_mult: np.ndarray
    ) -> None:
        """Competing cause-specific monthly churn hazards (the six causes of
        :data:`CHURN_CAUSES`); a leaver's cause is drawn in proportion to its hazard. A
        leaver for a fault cause posts a negative mention with probability
        ``WOM["neg_at_fault_exit"]``."""
        rng, n, mk = self.rng, self.n, self.mk
        price_rise = self.line_pref @ self.recent_rise[:, m]
        sat_factor = np.exp(-mk["sat_slope"] * (sat - 3.4))
        vol = self.churn_mult * (1.4 - self.switching) * mk["voluntary"]
        comp_offer = rng.random(n) < 0.04
        h = np.zeros((len(CHURN_CAUSES), n))
        h[0] = 0.0025 * -self.elasticity * (1 + 12 * price_rise) * sat_factor * vol
        h[1] = 0.04 * self.recent_bad * (1 - self.tolerance) * vol
        h[2] = 0.03 * self.recent_quality * (1 - self.tolerance) * vol
        h[3] = 0.004 * np.exp(-self.recent_contacts / 2) * sat_factor * vol
        h[4] = 0.12 * comp_offer * mk["competitor"] * sat_factor * vol
        h[5] = 0.0015
        h *= churn_mult  # CRM hooks (sim-crm)
        total = self._crm_hazard = h.sum(axis=0)  # CRM hooks (sim-crm)
        self._crm_rollout_truth(m, active, h, sat, mk["sat_slope"])  # CRM hooks (sim-crm)
        if m == 0:
            base = h.copy()
            base[1:3] = 0
            base[4] = (
                0.04
                * 0.12
                * mk["competitor"]
                * np.exp(-mk["sat_slope"] * (np.clip(3.4 + self.sat_prop, 1, 5) - 3.4))
                * vol
            )
            self.dropout_base = 1 - np.exp(-base.sum(axis=0))
        leave = active & (rng.random(n) < 1 - np.exp(-total))
        li = np.flatnonzero(leave)
        cum = np.cumsum(h[:, li] / total[li], axis=0)
        u = rng.random(li.size)
        self.churn_cause[li] = (u[None, :] > cum).sum(axis=0)
        self.churn_month[li] = m
        self.alive &= ~leave
        fault = li[np.isin(self.churn_cause[li], FAULT_CAUSES)]
        post = fault[rng.random(fault.size) < WOM["neg_at_fault_exit"]]
        mentions.append((post, np.full(post.size, m), np.ones(post.size, dtype=bool)))
        self._count_negative(m, post)

    def _day_in_month(self, month: np.ndarray, who: np.ndarray) -> np.ndarray:
        """A date drawn uniformly in month ``month`` (0 = 2022-01) while customer ``who``
        was a customer: not before acquisition, not after churn."""
        first = (np.datetime64("2022-01", "M") + month).astype("datetime64[D]")
        last = (np.datetime64("2022-01", "M") + month + 1).astype("datetime64[D]") - 1
        lo = np.maximum(first, self.acq_date[who])
        churned = ~np.isnat(self.churn_date[who])
        hi = np.where(churned, np.minimum(last, self.churn_date[who]), last)
        span = (hi - lo).astype(int) + 1
        return lo + (self.rng.random(month.size) * span).astype(int)

    def _churn_dates(self) -> None:
        """The day of churn, drawn in the churn month (after acquisition)."""
        self.churn_date = np.full(self.n, np.datetime64("NaT"), dtype="datetime64[D]")
        who = np.flatnonzero(self.churn_month >= 0)
        self.churn_date[who] = self._day_in_month(self.churn_month[who], who)
