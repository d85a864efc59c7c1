"""What the firm's CRM system holds, part 1: the mechanisms that act inside the monthly
loop (account managers and their departures, the staggered CRM roll-out, randomised
campaigns, follow-up visits after incidents, enquiries) and the table of true effects.

The loop calls three hooks (marked ``# CRM hooks (sim-crm)`` where they are called):
:meth:`_CRM._crm_setup` once after acquisition, :meth:`_CRM._crm_month` at the start of
each month (it returns the churn-hazard multiplier, purchase-rate multiplier and
satisfaction shift of every customer for that month) and, after the loop,
:meth:`crmlab.simulate._crm_tables._CRMTables._crm_tables`. Every draw here comes from
``crm_rng``, a generator spawned from the run's seed, so the other parts' draws are not
shifted by the CRM's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._schema import CHANNELS, INDUSTRIES, LOYALTY_TYPES, REGIONS, SIZES
from crmlab.simulate._crm_params import (
    CAMPAIGN_WINDOW,
    CAMPAIGNS,
    CUSTOMERS_PER_MANAGER,
    DEPARTURE_CHURN_HR,
    DEPARTURE_WINDOW,
    ENQUIRY_RATE,
    FOLLOW_UP_HR,
    FOLLOW_UP_P,
    FOLLOW_UP_WINDOW,
    GO_LIVE,
    MANAGER_LEAVE_P,
    NEW_HIRE_P,
    RELATIONSHIP_LEVELS,
    RELATIONSHIP_P,
    ROLLOUT_CHURN_HR,
    ROLLOUT_ENQUIRY_MULT,
    ROLLOUT_PURCHASE_MULT,
    ROLLOUT_RESPONSE_MULT,
    ROLLOUT_SATISFACTION,
    ROLLOUT_STAGE_MULT,
    SKILL_SATISFACTION,
    SOURCE_OF_CHANNEL,
    SOURCES,
    TREATMENT_SHARE,
    UPLIFT_CLASS_P,
    UPLIFT_CLASSES,
    UPLIFT_HR,
    UPLIFT_TILT_CHANNEL,
    UPLIFT_TILT_INDUSTRY,
    UPLIFT_TILT_SIZE,
    WIN_LOGIT_RELATIONSHIP,
    WIN_LOGIT_SKILL,
    WIN_LOGIT_SOURCE,
)

_MONTH0 = np.datetime64("2022-01", "M")


def month_start(m: int | np.ndarray) -> np.ndarray:
    """First day of month ``m`` (0 = 2022-01) as ``datetime64[D]``."""
    return (_MONTH0 + np.asarray(m)).astype("datetime64[D]")


def month_of(day: np.ndarray) -> np.ndarray:
    """Month index (0 = 2022-01) of ``datetime64[D]`` days."""
    return (np.asarray(day).astype("datetime64[M]") - _MONTH0).astype(int)


def manager_ids(k: int) -> np.ndarray:
    """``M001``.. for ``k`` managers (more digits when needed)."""
    width = max(3, len(str(k)))
    return np.array([f"M{i:0{width}d}" for i in range(1, k + 1)], dtype=object)


def win_logit(source: np.ndarray, relationship: np.ndarray, skill: np.ndarray) -> np.ndarray:
    """Log-odds of winning an opportunity: source + relationship + skill (codes)."""
    a = np.array([WIN_LOGIT_SOURCE[s] for s in SOURCES])[source]
    b = np.array([WIN_LOGIT_RELATIONSHIP[r] for r in RELATIONSHIP_LEVELS])[relationship]
    return a + b + WIN_LOGIT_SKILL * skill


def cumulative_cell_weights(skill: np.ndarray, lost: bool = False) -> np.ndarray:
    """Cumulative weights (sources x 3 * owners) of the cells (relationship, owner) of an
    opportunity from each source: the prior of the relationship given the source x the
    chance of winning (of losing if ``lost``) with owners of skill ``skill``; cell
    ``c`` is relationship ``c // skill.size`` with owner ``c % skill.size``."""
    w = 1 / (
        1
        + np.exp(
            -win_logit(
                np.arange(len(SOURCES))[:, None, None],
                np.arange(len(RELATIONSHIP_LEVELS))[None, :, None],
                skill[None, None, :],
            )
        )
    )
    prior = np.array([RELATIONSHIP_P[s] for s in SOURCES])[:, :, None]
    weight = prior * ((1 - w) if lost else w)
    return np.cumsum(weight.reshape(len(SOURCES), -1), axis=1)


def pick_cells(cum: np.ndarray, source: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The cell of each opportunity: where ``u`` (uniform) x the total weight of its
    source falls among the cumulative weights ``cum`` of that source."""
    cell = np.empty(source.size, dtype=np.int64)
    for s in np.unique(source):
        here = source == s
        cell[here] = np.searchsorted(cum[s], u[here] * cum[s, -1], side="left")
    return cell


def _eligible(campaign_id: str, sim, idx: np.ndarray) -> np.ndarray:
    """The eligible customers (subset of the active ``idx``) of a campaign: its
    ``target_rule`` written as code (small or medium firms acquired before 2022-09; or
    the four overseas regions furthest from the firm)."""
    if campaign_id == "A01":
        return idx[(sim.size[idx] <= 1) & (sim.acq_month[idx] < 8)]
    far = [REGIONS.index(r) for r in ("europe", "north_america", "middle_east", "africa")]
    return idx[np.isin(sim.region[idx], far)]


#: churn causes (rows of the hazard matrix) whose hazard has the satisfaction factor
SAT_DRIVEN_CAUSES = (0, 3, 4)  # price, passive service, competitor


def uplift_class_p(
    ltype: np.ndarray, industry: np.ndarray, channel: np.ndarray, size: np.ndarray
) -> np.ndarray:
    """Each customer's probabilities of the four uplift classes (rows sum to 1): the
    loyalty type's probabilities times the tilts of industry, channel and size,
    renormalised."""
    p = np.array([UPLIFT_CLASS_P[t] for t in LOYALTY_TYPES])[ltype]
    p = p * np.array([UPLIFT_TILT_INDUSTRY[k] for k in INDUSTRIES])[industry]
    p = p * np.array([UPLIFT_TILT_CHANNEL[k] for k in CHANNELS])[channel]
    p = p * np.array([UPLIFT_TILT_SIZE[k] for k in SIZES])[size]
    return p / p.sum(axis=1, keepdims=True)


class _CRM:
    """Mechanisms of the CRM system inside the monthly loop (mixin of ``_Simulation``)."""

    rng: np.random.Generator
    n: int

    # --- setup ---------------------------------------------------------------------
    def _crm_setup(self) -> None:
        """Managers at 2022-01, the first manager of every customer won before 2022, the
        campaign class of every customer, the go-live month of every region."""
        seq = self.rng.bit_generator.seed_seq.spawn(1)[0]
        self.crm_rng = rng = np.random.default_rng(seq)
        n = self.n
        # managers: arrays that grow as managers are hired
        self.mgr_region = np.empty(0, dtype=np.int64)
        self.mgr_hire = np.empty(0, dtype="datetime64[D]")
        self.mgr_leave = np.empty(0, dtype="datetime64[D]")  # NaT while employed
        self.mgr_skill = np.empty(0)
        before = self.acq_month < 0
        for r in range(len(REGIONS)):
            k = max(1, int(round((before & (self.region == r)).sum() / CUSTOMERS_PER_MANAGER)))
            hire = np.datetime64("2008-01-01") + np.sort(rng.integers(0, 14 * 365, k))
            hire[0] = np.datetime64("2008-01-01") + rng.integers(0, 2 * 365)  # before 2016
            for h in np.sort(hire):
                self._hire(r, h)
        self.cust_mgr = np.full(n, -1)
        self._assign_log: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for r in range(len(REGIONS)):
            who = np.flatnonzero(before & (self.region == r))
            mgrs = np.flatnonzero(np.array(self.mgr_region) == r)
            hire = np.array(self.mgr_hire)[mgrs]  # sorted within a region
            k = np.searchsorted(hire, self.acq_date[who], side="right")
            pick = np.floor(rng.random(who.size) * np.maximum(k, 1)).astype(int)
            self.cust_mgr[who] = mgrs[pick]
        who = np.flatnonzero(before)
        self._assign_log.append((who, self.cust_mgr[who], self.acq_date[who]))
        # exposure windows (month indices, inclusive)
        self.depart_from = np.full(n, 10**6)
        self.depart_to = np.full(n, -1)
        self.followup_to = np.full(n, -1)
        # campaign class (latent), relationship and source of each won customer
        p = uplift_class_p(self.ltype, self.industry, self.channel, self.size)
        u = rng.random(n)[:, None]
        self.uplift_class = (u > np.cumsum(p, axis=1)).sum(axis=1).clip(max=3)
        self.uplift_hr = np.array([UPLIFT_HR[c] for c in UPLIFT_CLASSES])[self.uplift_class]
        src = [SOURCES.index(SOURCE_OF_CHANNEL[c]) for c in CHANNELS]
        self.source = np.array(src)[self.channel]
        self.relationship = np.full(n, -1)
        self.won_mgr = np.full(n, -1)
        self.go_live_month = np.array(
            [month_of(np.datetime64(GO_LIVE[r]))[()] for r in REGIONS], dtype=int
        )
        self._campaigns: list[dict] = []
        self._followup: dict[int, np.ndarray] = {}
        self._enquiries: list[tuple[np.ndarray, np.ndarray]] = []
        self._crm_hazard = np.zeros(n)
        self._rollout_hazard = np.zeros(2)  # live customer-months: with, without roll-out

    def _hire(self, region: int, day: np.datetime64) -> int:
        """A new manager in ``region`` hired on ``day``; returns its index."""
        self.mgr_region = np.append(self.mgr_region, region)
        self.mgr_hire = np.append(self.mgr_hire, np.datetime64(day, "D"))
        self.mgr_leave = np.append(self.mgr_leave, np.datetime64("NaT", "D"))
        self.mgr_skill = np.append(self.mgr_skill, self.crm_rng.normal())
        return len(self.mgr_region) - 1

    def _manager_ids(self) -> np.ndarray:
        return manager_ids(len(self.mgr_region))

    def _employed(self, region: int, day: np.datetime64) -> np.ndarray:
        """Managers of ``region`` employed on ``day``."""
        reg, hire, leave = self.mgr_region, self.mgr_hire, self.mgr_leave
        ok = (reg == region) & (hire <= day) & (np.isnat(leave) | (leave > day))
        return np.flatnonzero(ok)

    # --- the monthly hook ----------------------------------------------------------
    def _crm_month(self, m: int, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Month ``m`` (active customers ``idx``): manager departures and hires, first
        managers of the customers won this month, follow-up visits after last month's
        incidents, enquiries, campaign starts. Returns per customer the churn-hazard
        multiplier, the purchase-rate multiplier and the satisfaction shift."""
        n = self.n
        self._crm_accumulate(m - 1)
        self._crm_departures(m)
        self._crm_new_customers(m)
        live = self.go_live_month[self.region] <= m
        # follow-up visits (回访) after the incidents of last month
        if m >= 1:
            self._crm_follow_ups(m - 1, m)
        # enquiries (咨询) of the active customers: fewer once the CRM is live
        rate = ENQUIRY_RATE[self.size[idx]] * np.where(live[idx], ROLLOUT_ENQUIRY_MULT, 1.0)
        k = self.crm_rng.poisson(rate)
        self._enquiries.append((np.repeat(idx, k), np.full(k.sum(), m)))
        # campaigns starting this month: randomised inside the eligible group
        for row in CAMPAIGNS.itertuples():
            if month_of(np.datetime64(row.start_date))[()] == m:
                members = _eligible(row.campaign_id, self, idx)
                treat = self.crm_rng.random(members.size) < TREATMENT_SHARE
                self._campaigns.append(
                    {
                        "campaign_id": row.campaign_id,
                        "month": m,
                        "members": members,
                        "treated": treat,
                        "hazard_sum": np.zeros(members.size),
                    }
                )
        churn_mult = np.ones(n)
        churn_mult[(self.depart_from <= m) & (m <= self.depart_to)] *= DEPARTURE_CHURN_HR
        churn_mult[live] *= ROLLOUT_CHURN_HR
        churn_mult[m <= self.followup_to] *= FOLLOW_UP_HR
        self._campaign_mult = np.ones(n)
        for c in self._campaigns:
            if c["month"] <= m < c["month"] + CAMPAIGN_WINDOW:
                t = c["members"][c["treated"]]
                self._campaign_mult[t] = self.uplift_hr[t]
        churn_mult *= self._campaign_mult
        skill = np.append(np.array(self.mgr_skill), 0.0)[self.cust_mgr]  # -1: no manager
        sat_shift = ROLLOUT_SATISFACTION * live + SKILL_SATISFACTION * skill
        rate_mult = np.where(live, ROLLOUT_PURCHASE_MULT, 1.0)
        return churn_mult, rate_mult, sat_shift

    def _crm_rollout_truth(
        self, m: int, active: np.ndarray, h: np.ndarray, sat: np.ndarray, slope: float
    ) -> None:
        """Add month ``m``'s churn hazard of the active customers whose region is live,
        and the same hazard without the roll-out (its direct multiplier removed and its
        satisfaction shift taken back from the satisfaction-driven causes: price, passive
        service, competitor), to the sums whose ratio is the roll-out's total effect on
        the churn hazard (``truth_effects``: ``crm_rollout``, ``churn_hazard_ratio_total``)."""
        live = np.flatnonzero(active & (self.go_live_month[self.region] <= m))
        if not live.size:
            return
        total = self._crm_hazard[live]
        driven = sum(h[k, live] for k in SAT_DRIVEN_CAUSES)
        sat_cf = np.clip(self._sat_raw[live] - ROLLOUT_SATISFACTION, 1, 5)
        back = np.exp(-slope * (sat_cf - sat[live]))  # ratio of the satisfaction factors
        cf = (total - driven + driven * back) / ROLLOUT_CHURN_HR
        self._rollout_hazard += np.array([total.sum(), cf.sum()])

    def _crm_accumulate(self, m: int) -> None:
        """Add month ``m``'s churn hazard (net of the campaign's own multiplier) to the
        hazard sum of the members of every campaign whose outcome window holds ``m``."""
        if m < 0:
            return
        for c in self._campaigns:
            if c["month"] <= m < c["month"] + CAMPAIGN_WINDOW:
                w = c["members"]
                c["hazard_sum"] += self._crm_hazard[w] / self._campaign_mult[w]

    def _crm_departures(self, m: int) -> None:
        """Managers leaving in month ``m`` (their customers go to the region's other
        managers or to a new hire and churn more for a while); hires for growth."""
        rng = self.crm_rng
        first = month_start(m)
        leave = np.array(self.mgr_leave)
        employed = np.flatnonzero(np.isnat(leave) & (np.array(self.mgr_hire) <= first))
        leavers = employed[rng.random(employed.size) < MANAGER_LEAVE_P]
        days = first + rng.integers(0, 28, leavers.size)
        for j, day in sorted(zip(leavers, days, strict=True), key=lambda x: x[1]):
            self.mgr_leave[j] = day
            region = self.mgr_region[j]
            if rng.random() < NEW_HIRE_P or self._employed(region, day).size == 0:
                self._hire(region, day)
            who = np.flatnonzero((self.cust_mgr == j) & self.alive)
            pool = self._employed(region, day)
            new = pool[rng.integers(0, pool.size, who.size)]
            self.cust_mgr[who] = new
            self._assign_log.append((who, new, np.full(who.size, day + 1)))
            self.depart_from[who] = m + 1
            self.depart_to[who] = m + DEPARTURE_WINDOW
        # growth: hire when a region's active customers per manager pass 1.3 x the norm
        active = self.alive & (self.acq_month <= m)
        for r in range(len(REGIONS)):
            n_mgr = self._employed(r, first).size
            if (active & (self.region == r)).sum() > 1.3 * CUSTOMERS_PER_MANAGER * n_mgr:
                self._hire(r, first + rng.integers(0, 28))

    def _crm_new_customers(self, m: int) -> None:
        """The customers won in month ``m``: relationship at opening and the manager who
        won the deal, drawn jointly in proportion to prior x win probability (so won
        deals over-represent strong relationships and skilled managers)."""
        rng = self.crm_rng
        skill_all = np.array(self.mgr_skill)
        won = np.flatnonzero(self.acq_month == m)
        for r in range(len(REGIONS)):
            who = won[self.region[won] == r]
            if who.size == 0:
                continue
            pool = self._employed(r, month_start(m))
            pool = pool[np.isnat(np.array(self.mgr_leave)[pool])]  # not leaving this month
            if pool.size == 0:
                pool = np.array([self._hire(r, month_start(m))])
                skill_all = np.array(self.mgr_skill)
            cum = cumulative_cell_weights(skill_all[pool])
            cell = pick_cells(cum, self.source[who], rng.random(who.size))
            self.relationship[who] = cell // pool.size
            self.cust_mgr[who] = self.won_mgr[who] = pool[cell % pool.size]
            self._assign_log.append((who, self.cust_mgr[who], self.acq_date[who]))

    def _crm_follow_ups(self, m_incident: int, m_visit: int) -> None:
        """Follow-up visits after the incidents of month ``m_incident`` (drawn by severity);
        a visited customer churns less for :data:`FOLLOW_UP_WINDOW` months."""
        c, _, _, sev, _ = self._crm_incident_log[m_incident]
        visit = self.crm_rng.random(c.size) < FOLLOW_UP_P[sev - 1]
        self._followup[m_incident] = visit
        self.followup_to[c[visit]] = m_visit + FOLLOW_UP_WINDOW - 1

    # --- the truth ---------------------------------------------------------------
    def _crm_effects(self) -> pd.DataFrame:
        """Every true effect of the CRM mechanisms as rows of ``truth_effects``."""
        rows = [
            (
                "manager_departure",
                "churn_hazard_ratio",
                "all",
                DEPARTURE_CHURN_HR,
                "ratio",
                f"churn hazard of a leaver's customers in the {DEPARTURE_WINDOW} months after "
                "the month of the departure",
            ),
            (
                "manager_skill",
                "satisfaction_per_sd",
                "all",
                SKILL_SATISFACTION,
                "points",
                "latent satisfaction (1-5) per SD of the current manager's skill",
            ),
            (
                "manager_skill",
                "win_log_odds_per_sd",
                "all",
                WIN_LOGIT_SKILL,
                "log-odds",
                "log-odds of winning an opportunity per SD of the owner's skill",
            ),
            (
                "crm_rollout",
                "churn_hazard_ratio",
                "all",
                ROLLOUT_CHURN_HR,
                "ratio",
                "churn hazard once the customer's region is live",
            ),
            (
                "crm_rollout",
                "churn_hazard_ratio_total",
                "all",
                float(self._rollout_hazard[0] / self._rollout_hazard[1]),
                "ratio",
                "churn hazard of live customer-months over the same without the roll-out: "
                "the direct ratio and the effect through satisfaction together (what a "
                "difference in differences on churn estimates)",
            ),
            (
                "crm_rollout",
                "satisfaction_shift",
                "all",
                ROLLOUT_SATISFACTION,
                "points",
                "latent satisfaction (1-5) once the region is live",
            ),
            (
                "crm_rollout",
                "purchase_rate_ratio",
                "all",
                ROLLOUT_PURCHASE_MULT,
                "ratio",
                "purchase rate once live: exactly no effect",
            ),
            (
                "crm_rollout",
                "enquiry_rate_ratio",
                "all",
                ROLLOUT_ENQUIRY_MULT,
                "ratio",
                "enquiry tickets per customer-month once live (cost to serve)",
            ),
            (
                "crm_rollout",
                "first_response_ratio",
                "all",
                ROLLOUT_RESPONSE_MULT,
                "ratio",
                "first-response hours of a ticket opened once live",
            ),
            (
                "crm_rollout",
                "stage_duration_ratio",
                "all",
                ROLLOUT_STAGE_MULT,
                "ratio",
                "every stage duration of an opportunity opened once live",
            ),
            (
                "crm_rollout",
                "log_stage_duration",
                "all",
                float(np.log(ROLLOUT_STAGE_MULT)),
                "log",
                "the same on the log scale (what a regression of log duration finds)",
            ),
            (
                "service_recovery",
                "follow_up_churn_hazard_ratio",
                "all",
                FOLLOW_UP_HR,
                "ratio",
                f"churn hazard in the {FOLLOW_UP_WINDOW} months from the month after an "
                "incident with a follow-up visit",
            ),
            (
                "service_recovery",
                "mishandled_churn_hazard",
                "per severity point",
                0.04,
                "per month",
                "hazard of leaving over a mishandled incident: 0.04 x severity "
                "handled badly (decaying 0.6 a month) x (1 - tolerance) x the type's multiplier",
            ),
        ]
        for k, level in enumerate(FOLLOW_UP_P):
            rows.append(
                (
                    "service_recovery",
                    "follow_up_probability",
                    f"severity {k + 1}",
                    float(level),
                    "probability",
                    "chance of a follow-up visit",
                )
            )
        for cls in UPLIFT_CLASSES:
            rows.append(
                (
                    "campaign",
                    "churn_hazard_ratio",
                    cls,
                    UPLIFT_HR[cls],
                    "ratio",
                    f"churn hazard of a treated {cls} in the {CAMPAIGN_WINDOW} months "
                    "from the campaign's start",
                )
            )
        for c in self._campaigns:
            te = self._campaign_true_effect(c)
            rows.append(
                (
                    "campaign",
                    "average_effect",
                    c["campaign_id"],
                    float(te.mean()),
                    "probability",
                    "mean over eligible members of the true change in "
                    f"the probability of churning within {CAMPAIGN_WINDOW} months",
                )
            )
        for s in SOURCES:
            rows.append(
                (
                    "pipeline",
                    "win_log_odds",
                    f"source {s}",
                    WIN_LOGIT_SOURCE[s],
                    "log-odds",
                    "intercept of the win log-odds by lead source",
                )
            )
        for r in RELATIONSHIP_LEVELS:
            rows.append(
                (
                    "pipeline",
                    "win_log_odds",
                    f"relationship {r}",
                    WIN_LOGIT_RELATIONSHIP[r],
                    "log-odds",
                    "added to the win log-odds by the relationship at opening",
                )
            )
        return pd.DataFrame(
            rows, columns=["mechanism", "parameter", "level", "value", "unit", "description"]
        )

    def _campaign_true_effect(self, c: dict) -> np.ndarray:
        """Each member's own change in the probability of churning within the window when
        treated: exp(-S) - exp(-hr S), S the member's churn hazard summed over the window
        net of the campaign (its path does not depend on the assignment)."""
        s = c["hazard_sum"]
        return np.exp(-s) - np.exp(-self.uplift_hr[c["members"]] * s)

    def _response_mult(self, region: np.ndarray, day: np.ndarray) -> np.ndarray:
        """First-response multiplier of tickets opened on ``day`` in ``region``."""
        live = month_of(day) >= self.go_live_month[region]
        return np.where(live, ROLLOUT_RESPONSE_MULT, 1.0)

    def _stage_mult(self, region: np.ndarray, open_month: np.ndarray) -> np.ndarray:
        """Stage-duration multiplier of opportunities opened in ``open_month``."""
        return np.where(open_month >= self.go_live_month[region], ROLLOUT_STAGE_MULT, 1.0)
