"""A synthetic company whose truth is known: 华贸进出口 (Huamao Import & Export), a B2B
trading firm like the one of the course's textbook chapter ([CRM textbook]).

The firm sells four product lines to business customers in six export regions from
2022-01-01 to 2024-12-31. Every customer carries latent traits (loyalty type, price
elasticity, quality tolerance, purchase rate, spend level, satisfaction propensity,
switching cost, propensity to refer, credit risk). A monthly process turns them into
behaviour: orders at varying prices, returns, service incidents handled well or badly,
account-manager contacts, referrals, payments, a satisfaction survey and churn by
competing causes. Nothing observable is written in: the 80/20 pattern, seasonality,
churn shares and survey mess all emerge from the model, so the course's rules of thumb
can be tested against it.

``simulate_company(seed, n_customers)`` returns a dict of DataFrames; ``truth`` holds the
latent variables so a student can check whether a method recovers them. The datasheet
``datasets/company.md`` documents every table, column and rate.

Run ``python -m crmlab.simulate --out datasets/ --force`` (or ``make simulate``) to
regenerate the committed files bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from crmlab._schema import (
    CHANNELS,
    CHURN_CAUSES,
    CHURN_TYPE_OF_CAUSE,
    CONTACT_TYPES,
    DIMENSION_CODES,
    INCIDENT_TYPES,
    INDUSTRIES,
    LOYALTY_TYPES,
    MARKETS,
    PRODUCT_LINES,
    REGIONS,
    REVERSE_ITEMS,
    RQ_SCALES,
    SERVICE_DIMENSIONS,
    SIZES,
    STAGES,
    SURVEY_ITEMS,
    TABLE_SCHEMAS,
    apply_schema,
)
from crmlab._validate import require_int

__all__ = [
    "simulate_company",
    "write_company",
    "DEFAULT_SEED",
    "DEFAULT_N_CUSTOMERS",
    "MARKETS",
    "TRUE_DRIVER_WEIGHTS",
    "STATED_REASON_NOISE",
    "STAGE_CONVERSION",
    "SURVEY_MESS",
]

DEFAULT_SEED = 2024
DEFAULT_N_CUSTOMERS = 5_000
START = pd.Timestamp("2022-01-01")
N_MONTHS = 36  # 2022-01 .. 2024-12
END = START + pd.DateOffset(months=N_MONTHS) - pd.Timedelta(days=1)

REGION_P = [0.24, 0.22, 0.20, 0.16, 0.10, 0.08]
INDUSTRY_P = [0.25, 0.30, 0.20, 0.15, 0.10]
SIZE_P = [0.62, 0.28, 0.10]
CHANNEL_P = [0.35, 0.18, 0.20, 0.17, 0.10]
PRODUCTS = pd.DataFrame(
    {
        "product_line": PRODUCT_LINES,
        "name_zh": ["纺织服装", "电子元件", "机械配件", "家居用品"],
        "base_list_price": [12.0, 45.0, 120.0, 8.5],  # yuan per unit, 2022-01
        "unit_cost": [9.0, 35.0, 88.0, 6.2],  # cost of goods, yuan per unit
        "mean_quantity": [900.0, 220.0, 70.0, 1300.0],  # units per order, typical customer
    }
)
# firm-wide list price changes: (product line, month index from 2022-01, relative change)
PRICE_CHANGES = [
    (0, 14, 0.06),
    (1, 9, 0.08),
    (2, 20, 0.05),
    (3, 27, 0.07),
    (1, 30, -0.04),
    (0, 29, 0.05),
    (2, 33, 0.06),
]
PROMO_P = 0.12  # chance that a product line is on promotion in a month
PROMO_DISCOUNT = 0.10
# monthly seasonality of orders (Chinese New Year dip in Feb, pre-Christmas peak Sep-Nov)
SEASON = np.array([0.90, 0.62, 1.00, 1.00, 1.02, 0.98, 0.95, 1.00, 1.15, 1.25, 1.18, 0.95])
SEASON = SEASON / SEASON.mean()
TREND_PER_YEAR = 0.04  # per-customer order growth

# how strongly satisfaction lowers voluntary churn, and the market's other levers
_MARKET = {
    "competitive": {"sat_slope": 1.3, "competitor": 1.0, "voluntary": 1.0},
    "points_programme": {"sat_slope": 0.6, "competitor": 0.6, "voluntary": 0.8},
    "exit_barrier": {"sat_slope": 0.3, "competitor": 0.35, "voluntary": 0.55},
    "monopoly": {"sat_slope": 0.08, "competitor": 0.05, "voluntary": 0.35},
}


@dataclass(frozen=True)
class _Type:
    share: float
    attitude: float  # mean latent attitudinal loyalty (standard-normal scale)
    switching: float  # mean switching cost in [0, 1]
    elasticity: float  # mean price elasticity of quantity (negative)
    promo_response: float  # extra order rate in promotion months
    churn_mult: float  # multiplier on voluntary churn hazards
    rate_mult: float  # multiplier on purchase rate
    choose_days: float  # mean days from quote to order (time spent choosing)
    tolerance: float  # mean quality tolerance in [0, 1]


_TYPES = {
    "monopoly": _Type(0.05, -0.4, 0.90, -0.4, 0.0, 0.25, 1.1, 2.0, 0.50),
    "kinship": _Type(0.07, 0.9, 0.70, -0.6, 0.0, 0.35, 1.0, 3.0, 0.70),
    "price": _Type(0.18, -0.6, 0.10, -2.4, 0.3, 1.30, 1.0, 11.0, 0.30),
    "convenience": _Type(0.15, -0.1, 0.45, -0.8, 0.0, 0.70, 1.1, 1.5, 0.50),
    "trust": _Type(0.13, 1.1, 0.40, -0.7, 0.0, 0.40, 1.15, 2.5, 0.75),
    "incentive": _Type(0.10, -0.2, 0.25, -1.4, 1.2, 0.95, 0.9, 6.0, 0.40),
    "latent": _Type(0.07, 0.8, 0.30, -1.0, 0.0, 0.90, 0.45, 7.0, 0.55),
    "super_value": _Type(0.05, 1.3, 0.50, -0.5, 0.0, 0.30, 1.3, 2.0, 0.80),
    "none": _Type(0.20, -0.9, 0.15, -1.2, 0.1, 1.40, 0.8, 8.0, 0.30),
}

STATED_REASON_NOISE = 0.20  # share of leavers whose stated reason is "price" whatever the cause

INCIDENT_P_PER_ORDER = {"quality": 0.020, "delivery": 0.025, "billing": 0.010}
SERVICE_INCIDENTS_PER_MONTH = 0.02

_FIRM_QUALITY = {
    "tangibles": 3.9,
    "reliability": 3.3,
    "responsiveness": 3.0,
    "assurance": 3.7,
    "empathy": 3.4,
}
# weights of each dimension's gap (perception - expectation) in overall satisfaction
TRUE_DRIVER_WEIGHTS = {
    "tangibles": 0.10,
    "reliability": 0.40,
    "responsiveness": 0.25,
    "assurance": 0.15,
    "empathy": 0.10,
}
SURVEY_DATE = pd.Timestamp("2024-09-01")
SURVEY_MESS = {
    "missing_cell": 0.03,
    "out_of_range_cell": 0.008,
    "straightliner": 0.03,
    "duplicate_respondent": 0.02,
}
OUT_OF_RANGE_CODES = [0, 6, 9]

# conversion from one pipeline stage to the next (contact -> intention -> negotiation -> contract)
STAGE_CONVERSION = [0.40, 0.55, 0.62]

COSTS = pd.DataFrame(
    [
        ("incident", "severity 1", 300.0),
        ("incident", "severity 2", 1_200.0),
        ("incident", "severity 3", 4_000.0),
        ("incident", "handled badly (extra)", 800.0),
        ("contact", "visit", 900.0),
        ("contact", "call", 40.0),
        ("contact", "event", 2_500.0),
        ("return", "per return line", 250.0),
        ("account", "per active customer-year", 600.0),
    ],
    columns=["item", "unit", "cost"],
)


# --------------------------------------------------------------------------------------
def simulate_company(
    seed: int = DEFAULT_SEED, n_customers: int = DEFAULT_N_CUSTOMERS, market: str = "competitive"
) -> dict[str, pd.DataFrame]:
    """Simulate the trading company and return its tables.

    Parameters
    ----------
    seed : int
        Seed of the random generator: the same seed gives the same tables.
    n_customers : int
        Number of customers ever acquired (before or during 2022-2024), at least 50.
    market : {"competitive", "points_programme", "exit_barrier", "monopoly"}
        Market type (Jones & Sasser 1995): how strongly satisfaction keeps customers.

    Returns
    -------
    dict of DataFrame
        ``customers``, ``orders``, ``incidents``, ``contacts``, ``referrals``, ``churn``,
        ``survey``, ``pipeline``, ``products``, ``costs`` and ``truth``
        (see ``datasets/company.md``).

    Raises
    ------
    ValueError
        If ``seed`` is not an int, ``n_customers`` < 50 or ``market`` unknown.

    Examples
    --------
    >>> company = simulate_company(seed=1, n_customers=200)
    >>> sorted(company)[:3]
    ['churn', 'contacts', 'costs']
    """
    require_int(seed, "seed", low=0)
    require_int(n_customers, "n_customers", low=50)
    if market not in _MARKET:
        raise ValueError(f"market must be one of {MARKETS}, got {market!r}.")
    rng = np.random.default_rng(seed)
    sim = _Simulation(rng, int(n_customers), market)
    tables = sim.run()
    for name, frame in tables.items():
        schema = {k: v for k, v in TABLE_SCHEMAS[name].items() if k != "title"}
        apply_schema(frame, **schema)
    return tables


class _Population:
    """Part 1 of a run: who the customers are. Latent traits (loyalty type, elasticity,
    purchase rate, ...) and acquisition dates, drawn once per customer."""

    rng: np.random.Generator
    n: int

    def _traits(self) -> None:
        rng, n = self.rng, self.n
        self.ids = np.array([f"C{i:06d}" for i in range(1, n + 1)], dtype=object)
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
        months = np.array([np.datetime64("2022-01", "M") + int(m) for m in month])
        self.acq_date = months.astype("datetime64[D]") + day
        self.channel = rng.choice(len(CHANNELS), n, p=CHANNEL_P)


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
        rise = np.zeros_like(index)
        rise[:, 3:] = index[:, 3:] / index[:, :-3] - 1  # change over the last 3 months
        self.recent_rise = np.clip(rise, 0, None)

    def _monthly(self) -> None:
        """Run the 36 months. Each month, in this order (the order of the random draws,
        so the committed files come out bit for bit): orders, incidents, contacts,
        the latent satisfaction, then churn by competing causes."""
        n = self.n
        self.alive = np.ones(n, dtype=bool)
        self.churn_month = np.full(n, -1)
        self.churn_cause = np.full(n, -1)
        self.recent_bad = np.zeros(n)
        self.recent_quality = np.zeros(n)
        self.recent_contacts = np.full(n, 1.0)
        self.bad_total = np.zeros(n)
        self.sat_at_survey = np.full(n, np.nan)
        self.dropout_base = np.zeros(n)
        orders, incidents, contacts = [], [], []
        for m in range(N_MONTHS):
            active = self.alive & (self.acq_month <= m)
            idx = np.flatnonzero(active)
            n_ord = self._month_orders(m, idx, orders)
            bad, quality = self._month_incidents(m, idx, n_ord, incidents)
            con = self._month_contacts(m, idx, contacts)
            sat = self._month_satisfaction(m, idx, bad, quality, con)
            self._month_churn(m, active, sat)
        self._orders_raw = [np.concatenate(x) for x in zip(*orders, strict=True)]
        self._incidents_raw = [np.concatenate(x) for x in zip(*incidents, strict=True)]
        self._contacts_raw = [np.concatenate(x) for x in zip(*contacts, strict=True)]

    def _month_orders(self, m: int, idx: np.ndarray, out: list) -> np.ndarray:
        """Orders of the active customers ``idx`` in month ``m``: Poisson at the purchase
        rate x season x trend x promotion response. Returns orders per customer."""
        promo_any = (self.line_pref[idx] * self.promo[:, m]).sum(axis=1)
        growth = (1 + TREND_PER_YEAR) ** (m / 12)
        lam = (
            self.rate[idx]
            / 12
            * SEASON[m % 12]
            * growth
            * (1 + self.promo_response[idx] * promo_any)
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
        self, m: int, idx: np.ndarray, bad: np.ndarray, quality: np.ndarray, con: np.ndarray
    ) -> np.ndarray:
        """Update the decaying memories of bad incidents, quality problems and contacts and
        return the latent satisfaction (1-5); record it in the survey month."""
        self.recent_bad = 0.6 * self.recent_bad + bad
        self.recent_quality = 0.6 * self.recent_quality + quality
        self.recent_contacts = 0.8 * self.recent_contacts + con
        self.bad_total += bad
        sat = np.clip(
            3.4
            + self.sat_prop
            - 0.25 * np.sqrt(self.bad_total)
            + 0.08 * np.minimum(self.recent_contacts, 3),
            1,
            5,
        )
        if m == SURVEY_DATE.month - 1 + 12 * (SURVEY_DATE.year - START.year):
            self.sat_at_survey[idx] = sat[idx]
        return sat

    def _month_churn(self, m: int, active: np.ndarray, sat: np.ndarray) -> None:
        """Competing cause-specific monthly churn hazards (the six causes of
        :data:`CHURN_CAUSES`); a leaver's cause is drawn in proportion to its hazard."""
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
        total = h.sum(axis=0)
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


class _Tables:
    """Part 3 of a run: the observable tables (orders, incidents, contacts, referrals,
    customers, churn, survey, pipeline) and the latent truth, built from the state that
    parts 1 and 2 left behind."""

    rng: np.random.Generator
    n: int
    market: str

    def _orders(self) -> pd.DataFrame:
        rng = self.rng
        c, m = self._orders_raw
        k = c.size
        cum = np.cumsum(self.line_pref[c], axis=1)
        line = (rng.random(k)[:, None] > cum).sum(axis=1).clip(max=len(PRODUCT_LINES) - 1)
        list_price = self.list_price[line, m]
        promo = self.promo[line, m]
        discount = np.clip(
            self.negotiated[c] + PROMO_DISCOUNT * promo + rng.normal(0, 0.03, k), 0, 0.35
        ).round(3)
        unit_price = (list_price * (1 - discount)).round(2)
        base_price = PRODUCTS["base_list_price"].to_numpy()[line]
        mean_q = PRODUCTS["mean_quantity"].to_numpy()[line]
        qty = (
            mean_q
            * self.qty_level[c]
            * (unit_price / base_price) ** self.elasticity[c]
            * rng.lognormal(-0.03, 0.25, k)
        )
        qty = np.maximum(1, np.round(qty)).astype(np.int64)
        date = self._day_in_month(m, c)
        order = np.lexsort((c, date))
        c, m, line, list_price, discount, unit_price, qty, date, promo = (
            a[order] for a in (c, m, line, list_price, discount, unit_price, qty, date, promo)
        )
        ids = np.array([f"O{i:07d}" for i in range(1, k + 1)], dtype=object)
        quote_days = rng.poisson(self.choose_days[c])
        late_p = 0.15 + 1.5 * self.credit_risk[c]
        late = rng.random(k) < np.clip(late_p, 0, 0.95)
        days_late = np.where(late, 1 + rng.poisson(5 + 60 * self.credit_risk[c]), 0)
        defaulted = late & (rng.random(k) < 0.25 * self.credit_risk[c])
        amount = (qty * unit_price).round(2)
        frame = pd.DataFrame(
            {
                "order_id": ids,
                "customer_id": self.ids[c],
                "order_date": date,
                "product_line": np.array(PRODUCT_LINES, dtype=object)[line],
                "quantity": qty,
                "list_price": list_price.round(2),
                "discount": discount,
                "unit_price": unit_price,
                "amount": amount,
                "promotion": promo,
                "is_return": False,
                "return_of": np.full(k, None, dtype=object),
                "quote_days": quote_days,
                "days_late": days_late,
                "defaulted": defaulted,
            }
        )
        # returns: more likely for customers with quality trouble; negative lines
        p_ret = 0.015 + 0.03 * (1 - self.tolerance[c])
        ret = np.flatnonzero(rng.random(k) < p_ret)
        share = rng.choice([0.1, 0.25, 0.5, 1.0], ret.size, p=[0.4, 0.3, 0.2, 0.1])
        r_qty = -np.maximum(1, np.round(qty[ret] * share)).astype(np.int64)
        r_date = date[ret] + rng.integers(7, 45, ret.size)
        keep = r_date <= np.datetime64(END.date())
        ret, r_qty, r_date = ret[keep], r_qty[keep], r_date[keep]
        returns = pd.DataFrame(
            {
                "order_id": [f"R{i:07d}" for i in range(1, ret.size + 1)],
                "customer_id": self.ids[c[ret]],
                "order_date": r_date,
                "product_line": frame["product_line"].to_numpy()[ret],
                "quantity": r_qty,
                "list_price": frame["list_price"].to_numpy()[ret],
                "discount": discount[ret],
                "unit_price": unit_price[ret],
                "amount": (r_qty * unit_price[ret]).round(2),
                "promotion": promo[ret],
                "is_return": True,
                "return_of": ids[ret],
                "quote_days": None,
                "days_late": None,
                "defaulted": False,
            }
        )
        out = pd.concat([frame, returns], ignore_index=True)
        out = out.sort_values(["order_date", "order_id"], kind="stable", ignore_index=True)
        self.orders_frame = out
        return out

    def _incidents(self) -> pd.DataFrame:
        rng = self.rng
        c, m, t, sev, well = self._incidents_raw
        date = self._day_in_month(m, c)
        res_days = rng.poisson(np.where(well, 2 + 2 * sev, 8 + 8 * sev))
        resolved = well | (rng.random(c.size) < 0.55)
        complaint = rng.random(c.size) < np.clip(0.15 + 0.2 * sev + 0.3 * ~well, 0, 0.95)
        order = np.lexsort((c, date))
        frame = (
            pd.DataFrame(
                {
                    "customer_id": self.ids[c],
                    "incident_date": date,
                    "incident_type": np.array(INCIDENT_TYPES, dtype=object)[t],
                    "severity": sev,
                    "resolution_days": res_days,
                    "resolved": resolved,
                    "handled_well": well,
                    "complaint": complaint,
                }
            )
            .iloc[order]
            .reset_index(drop=True)
        )
        frame.insert(0, "incident_id", [f"I{i:06d}" for i in range(1, len(frame) + 1)])
        return frame

    def _contacts(self) -> pd.DataFrame:
        rng = self.rng
        c, m = self._contacts_raw
        date = self._day_in_month(m, c)
        kind = rng.choice(3, c.size, p=[0.25, 0.65, 0.10])
        cost = COSTS.set_index("unit").loc[CONTACT_TYPES, "cost"].to_numpy()[kind]
        order = np.lexsort((c, date))
        frame = (
            pd.DataFrame(
                {
                    "customer_id": self.ids[c],
                    "contact_date": date,
                    "contact_type": np.array(CONTACT_TYPES, dtype=object)[kind],
                    "cost": cost,
                }
            )
            .iloc[order]
            .reset_index(drop=True)
        )
        frame.insert(0, "contact_id", [f"K{i:07d}" for i in range(1, len(frame) + 1)])
        return frame

    def _referrals(self) -> pd.DataFrame:
        """Customers won by referral get a referrer among customers active at the time,
        drawn in proportion to propensity to refer x satisfaction."""
        rng = self.rng
        referred = np.flatnonzero(
            (self.channel == CHANNELS.index("referral")) & (self.acq_month >= 0)
        )
        weight_all = self.refer * np.exp(0.8 * self.sat_prop)
        referrer = np.full(referred.size, -1)
        for m in np.unique(self.acq_month[referred]):
            here = np.flatnonzero(self.acq_month[referred] == m)
            month_end = (np.datetime64("2022-01", "M") + m + 1).astype("datetime64[D]") - 1
            ok = (self.acq_month < m) & (np.isnat(self.churn_date) | (self.churn_date > month_end))
            cand = np.flatnonzero(ok)
            if cand.size:
                w = weight_all[cand]
                referrer[here] = rng.choice(cand, here.size, p=w / w.sum())
        has = referrer >= 0
        rows = {
            "referrer_id": self.ids[referrer[has]],
            "referred_id": self.ids[referred[has]],
            "referral_date": self.acq_date[referred[has]],
        }
        return pd.DataFrame(rows)

    def _customers(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "customer_id": self.ids,
                "region": np.array(REGIONS, dtype=object)[self.region],
                "industry": np.array(INDUSTRIES, dtype=object)[self.industry],
                "size": np.array(SIZES, dtype=object)[self.size],
                "channel": np.array(CHANNELS, dtype=object)[self.channel],
                "acquisition_date": self.acq_date,
                "payment_terms_days": self.payment_terms,
                "status": np.where(self.alive, "active", "churned"),
            }
        )

    def _churn(self) -> pd.DataFrame:
        rng = self.rng
        who = np.flatnonzero(self.churn_month >= 0)
        date = self.churn_date[who]
        cause = self.churn_cause[who]
        stated = np.where(rng.random(who.size) < STATED_REASON_NOISE, 0, cause)
        causes = np.array(CHURN_CAUSES, dtype=object)
        frame = pd.DataFrame(
            {
                "customer_id": self.ids[who],
                "churn_date": date,
                "stated_reason": causes[stated],
                "churn_type": [CHURN_TYPE_OF_CAUSE[x] for x in causes[stated]],
            }
        )
        return frame.sort_values(["churn_date", "customer_id"], ignore_index=True)

    def _survey(self) -> pd.DataFrame:
        rng = self.rng
        invited = np.flatnonzero(~np.isnan(self.sat_at_survey))
        sat = self.sat_at_survey[invited]
        # response bias: satisfied and larger customers answer more often
        p = 1 / (1 + np.exp(-(-0.7 + 0.7 * (sat - 3.4) + 0.35 * self.size[invited])))
        resp = invited[rng.random(invited.size) < p]
        self.responded = np.zeros(self.n, dtype=bool)
        self.responded[resp] = True
        k = resp.size
        s = self.sat_at_survey[resp]
        large = (self.size[resp] == 2).astype(float)
        cols: dict[str, np.ndarray] = {}
        gaps = np.zeros(k)

        def likert(latent: np.ndarray, noise: float = 0.45) -> np.ndarray:
            return np.clip(np.round(latent + rng.normal(0, noise, latent.size)), 1, 5)

        for dim in SERVICE_DIMENSIONS:
            c = DIMENSION_CODES[dim]
            exp_lat = 3.9 + 0.35 * large + rng.normal(0, 0.45, k)
            per_lat = _FIRM_QUALITY[dim] + 0.75 * (s - 3.4) + rng.normal(0, 0.45, k)
            cols[f"exp_{c}1"], cols[f"exp_{c}2"] = likert(exp_lat), likert(exp_lat)
            cols[f"per_{c}1"], cols[f"per_{c}2"] = likert(per_lat), likert(per_lat)
            gaps += TRUE_DRIVER_WEIGHTS[dim] * (per_lat - exp_lat)
        cols["overall_sat"] = likert(3.9 + 1.6 * gaps, 0.5)
        att = self.attitude[resp]
        cols["repurchase_intent"] = likert(3.3 + 0.6 * att + 0.4 * (s - 3.4), 0.6)
        cols["recommend"] = likert(2.8 + 3.0 * self.refer[resp] + 0.6 * (s - 3.4), 0.6)
        cols["compare_competitors"] = likert(
            2.2 - 0.8 * self.elasticity[resp] - 1.2 * self.switching[resp], 0.6
        )
        rq_lat = {
            "trust": 3.4 + 0.45 * att + 0.4 * (s - 3.4),
            "satisf": 3.4 + 0.8 * (s - 3.4),
            "belong": 3.0 + 0.5 * att + 1.0 * self.switching[resp] - 0.3,
            "friend": 2.8
            + 0.5 * np.log1p(self.contact_rate[resp] * 6)
            + 0.8 * (self.ltype[resp] == LOYALTY_TYPES.index("kinship")),
        }
        for scale, n_items in RQ_SCALES.items():
            per_person = rq_lat[scale] + rng.normal(0, 0.35, k)
            for j in range(1, n_items + 1):
                name = f"rq_{scale}{j}"
                value = likert(per_person, 0.55)
                cols[name] = 6 - value if name in REVERSE_ITEMS else value
        answers = np.column_stack([cols[item] for item in SURVEY_ITEMS])
        # --- realistic mess at documented rates
        straight = rng.random(k) < SURVEY_MESS["straightliner"]
        answers[straight] = rng.choice([3, 4, 5], straight.sum(), p=[0.3, 0.4, 0.3])[:, None]
        oor = rng.random(answers.shape) < SURVEY_MESS["out_of_range_cell"]
        answers[oor] = rng.choice(OUT_OF_RANGE_CODES, oor.sum())
        miss = rng.random(answers.shape) < SURVEY_MESS["missing_cell"]
        answers[miss] = np.nan
        day = SURVEY_DATE.to_datetime64().astype("datetime64[D]") + rng.integers(0, 45, k)
        frame = pd.DataFrame(answers, columns=SURVEY_ITEMS)
        frame.insert(0, "customer_id", self.ids[resp])
        frame.insert(1, "response_date", day)
        dup = np.flatnonzero(rng.random(k) < SURVEY_MESS["duplicate_respondent"])
        second = frame.iloc[dup].copy()
        second["response_date"] = second["response_date"] + pd.to_timedelta(
            rng.integers(1, 6, dup.size), unit="D"
        )
        block = second[SURVEY_ITEMS].to_numpy()
        jitter = (rng.random(block.shape) < 0.15) * rng.choice([-1, 1], block.shape)
        in_range = (block >= 1) & (block <= 5)
        block = np.where(in_range, np.clip(block + jitter, 1, 5), block)
        second[SURVEY_ITEMS] = block
        self.survey_flags = (resp, straight)
        out = pd.concat([frame, second], ignore_index=True)
        # nobody answers after leaving: a leaver's answer is dated no later than the churn
        churn_date = pd.Series(self.churn_date, index=self.ids).loc[out["customer_id"]]
        left = churn_date.notna().to_numpy()
        out.loc[left, "response_date"] = np.minimum(
            out.loc[left, "response_date"].to_numpy(), churn_date.to_numpy()[left]
        )
        out = out.sort_values(["response_date", "customer_id"], kind="stable", ignore_index=True)
        out.insert(0, "response_id", [f"S{i:05d}" for i in range(1, len(out) + 1)])
        self.n_duplicates = dup.size
        return out

    def _pipeline(self) -> pd.DataFrame:
        """Opportunities opened 2022-2024; those that reached ``contract`` are the
        customers acquired in that window. Failed ones are prospects (潜在客户) or
        competitors' customers (竞争者客户)."""
        rng = self.rng
        won = np.flatnonzero(self.acq_month >= 0)
        p_all = float(np.prod(STAGE_CONVERSION))
        n_fail = int(rng.negative_binomial(won.size, p_all)) if won.size else 0
        # stage where a failed opportunity stopped, given it did not convert
        reach = np.cumprod([1.0] + STAGE_CONVERSION)  # P(reach stage s)
        stop = reach[:-1] * (1 - np.array(STAGE_CONVERSION))
        stage_fail = rng.choice(3, n_fail, p=stop / stop.sum())
        lag_won = rng.integers(30, 150, won.size)
        open_won = self.acq_date[won] - lag_won
        open_fail = np.datetime64("2022-01-01") - 60 + rng.integers(0, (END - START).days, n_fail)
        size_won = self.size[won]
        size_fail = rng.choice(3, n_fail, p=SIZE_P)
        region = np.concatenate([self.region[won], rng.choice(len(REGIONS), n_fail, p=REGION_P)])
        size = np.concatenate([size_won, size_fail])
        expected = np.array([80_000, 220_000, 700_000])[size] * rng.lognormal(0, 0.6, size.size)
        frame = pd.DataFrame(
            {
                "customer_id": np.concatenate([self.ids[won], np.full(n_fail, None)]),
                "open_date": np.concatenate([open_won, open_fail]),
                "stage_reached": np.array(STAGES, dtype=object)[
                    np.concatenate([np.full(won.size, 3), stage_fail])
                ],
                "relationship": np.where(rng.random(size.size) < 0.35, "competitor", "potential"),
                "region": np.array(REGIONS, dtype=object)[region],
                "size": np.array(SIZES, dtype=object)[size],
                "forecast_value": expected.round(-2),
            }
        )
        frame = frame.sort_values(["open_date", "customer_id"], kind="stable", ignore_index=True)
        frame.insert(0, "opportunity_id", [f"P{i:06d}" for i in range(1, len(frame) + 1)])
        return frame

    def _mean_order_value(self) -> np.ndarray:
        """Expected amount of one order at 2022-01 list prices, the customer's negotiated
        discount and no promotion: sum over lines of preference x E[quantity] x price.
        E[quantity] = mean_q x level x (price / base)^elasticity x E[lognormal(-0.03, 0.25)]
        (rounding of quantities to whole units is ignored)."""
        base = PRODUCTS["base_list_price"].to_numpy()[None, :]
        mean_q = PRODUCTS["mean_quantity"].to_numpy()[None, :]
        price = base * (1 - self.negotiated[:, None])
        noise = np.exp(-0.03 + 0.25**2 / 2)
        qty = mean_q * self.qty_level[:, None] * (price / base) ** self.elasticity[:, None]
        return (self.line_pref * qty * price).sum(axis=1) * noise

    def _truth(self) -> pd.DataFrame:
        causes = np.array(CHURN_CAUSES + [None], dtype=object)
        cause = causes[self.churn_cause]  # -1 -> None
        return pd.DataFrame(
            {
                "customer_id": self.ids,
                "loyalty_type": np.array(LOYALTY_TYPES, dtype=object)[self.ltype],
                "attitude": self.attitude.round(4),
                "switching_cost": self.switching.round(4),
                "price_elasticity": self.elasticity.round(4),
                "promo_response": self.promo_response.round(4),
                "quality_tolerance": self.tolerance.round(4),
                "purchase_rate": self.rate.round(4),
                "quantity_level": self.qty_level.round(4),
                "mean_order_value": self._mean_order_value().round(2),
                "satisfaction_propensity": self.sat_prop.round(4),
                "satisfaction_at_survey": self.sat_at_survey.round(4),
                "referral_propensity": self.refer.round(4),
                "credit_risk": self.credit_risk.round(4),
                "contact_rate": self.contact_rate.round(4),
                "monthly_dropout": self.dropout_base.round(6),
                "churn_date": self.churn_date,
                "churn_cause": cause,
                "churn_type": [CHURN_TYPE_OF_CAUSE.get(x) for x in cause],
                "survey_responded": self.responded,
                "survey_straightliner": np.isin(
                    self.ids, self.ids[self.survey_flags[0][self.survey_flags[1]]]
                ),
                "market": self.market,
            }
        )


class _Simulation(_Population, _MonthlyProcess, _Tables):
    """State of one run (kept private: the tables are the interface). :meth:`run` calls
    the three parts in order; every random draw comes from ``rng`` in a fixed order, so a
    seed gives the same tables bit for bit."""

    def __init__(self, rng: np.random.Generator, n: int, market: str):
        self.rng, self.n, self.market = rng, n, market
        self.mk = _MARKET[market]

    def run(self) -> dict[str, pd.DataFrame]:
        self._traits()
        self._acquisition()
        self._price_paths()
        self._monthly()
        self._churn_dates()
        customers = self._customers()
        orders = self._orders()
        incidents = self._incidents()
        contacts = self._contacts()
        churn = self._churn()
        referrals = self._referrals()
        survey = self._survey()
        pipeline = self._pipeline()
        truth = self._truth()
        return {
            "customers": customers,
            "orders": orders,
            "incidents": incidents,
            "contacts": contacts,
            "referrals": referrals,
            "churn": churn,
            "survey": survey,
            "pipeline": pipeline,
            "products": PRODUCTS.copy(),
            "costs": COSTS.copy(),
            "truth": truth,
        }


# --------------------------------------------------------------------------------------
def write_company(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write each table to ``out/company/<table>.csv.gz`` deterministically (gzip mtime 0).

    Parameters
    ----------
    tables : dict of DataFrame
        As from :func:`simulate_company`.
    out : Path
        Folder; the files go to ``out/company/``.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    OSError
        If the folder cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_company(simulate_company(seed=1, n_customers=50), Path(folder))
    ...     sorted(p.name for p in paths)[:2]
    ['churn.csv.gz', 'contacts.csv.gz']
    """
    folder = Path(out) / "company"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = folder / f"{name}.csv.gz"
        frame.to_csv(
            path,
            index=False,
            date_format="%Y-%m-%d",
            lineterminator="\n",
            compression={"method": "gzip", "mtime": 0, "compresslevel": 9},
        )
        paths.append(path)
    return paths


if __name__ == "__main__":
    # ``python -m crmlab.simulate`` is ``crmlab simulate`` under another name: one parser, in
    # the CLI. This block runs only as a script, so importing crmlab.simulate never loads it.
    from crmlab.cli import simulate_main

    raise SystemExit(simulate_main())
