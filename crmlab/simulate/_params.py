"""Parameters of the synthetic company: sizes, shares, prices, seasonality, the loyalty
types' trait means, market types, incident and survey rates, costs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab._schema import (
    PRODUCT_LINES,
)

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
PROMO_P = 0.15  # chance that a product line is on promotion in a month
PROMO_DEPTHS = [0.05, 0.10, 0.15, 0.20]  # promotion discount, drawn per line and month
# negotiated discount: each order is negotiated afresh around the customer's usual
# discount (standard deviation of the order's deviation)
NEGOTIATION_SD = 0.08
# competitors' price index per product line (1 = par in 2022-01): a monthly log random
# walk (step sd) plus occasional price wars (a competitor cuts by WAR_CUT for 2-4 months)
COMPETITOR_STEP_SD = 0.035
COMPETITOR_WAR_P = 0.03
COMPETITOR_WAR_CUT = 0.12
# purchasing after quality incidents: the order rate is multiplied by
# exp(-QUALITY_CUT x (1 - tolerance) x quality memory) (low tolerance cuts orders)
QUALITY_CUT = 1.2
# a slow shock in latent satisfaction (AR(1) per customer: coefficient, innovation sd)
SAT_AR = 0.9
SAT_SHOCK_SD = 0.13
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
SURVEY_DATE = pd.Timestamp("2024-09-01")  # the last wave
# one wave a year, each opening on 1 September (answers within 45 days)
SURVEY_WAVES = [2022, 2023, 2024]
# panel: a customer who answered the previous wave answers again more readily (logit)
SURVEY_PANEL_LOGIT = 1.5
SURVEY_MESS = {
    "missing_cell": 0.03,
    "out_of_range_cell": 0.008,
    "straightliner": 0.03,
    "duplicate_respondent": 0.02,
}
OUT_OF_RANGE_CODES = [0, 6, 9]

# --- region, industry and acquisition channel: true effects (natural logs) --------------
# spend: on the quantity level (log of order size); churn: on the voluntary churn
# hazards; referral: on the propensity to refer (referral leads and positive mentions).
# Levels not listed have effect exactly 0; a factor absent for a mechanism has none.
GROUP_EFFECTS = {
    "spend": {
        "region": {"europe": 0.45, "north_america": 0.30, "africa": -0.50},
        "industry": {"wholesaler": 0.35, "e_commerce": -0.30},
        "channel": {},
    },
    "churn": {
        "region": {},
        "industry": {"e_commerce": 0.60},
        "channel": {"online": 0.55, "referral": -0.45},
    },
    "referral": {
        "region": {"middle_east": 0.70, "east_asia": 0.35},
        "industry": {},
        "channel": {"referral": 0.60},
    },
}

# --- word of mouth (口碑) ------------------------------------------------------------
# monthly rates per active customer; S = latent satisfaction (1-5), r = referral propensity
# (mean about 0.2)
WOM = {
    # positive public mentions: Poisson(pos_base x r / 0.2 x exp(pos_slope (S - 4)) )
    "pos_base": 0.02,
    "pos_slope": 1.2,
    # negative public mentions: Poisson(neg_base x exp(neg_slope (3 - S))) a month, plus
    # each badly handled incident posts with probability neg_per_bad x severity / 3, plus
    # a leaver whose true cause is a fault (quality, mishandled incident, passive service)
    # posts with probability neg_at_fault_exit
    "neg_base": 0.004,
    "neg_slope": 1.0,
    "neg_per_bad": 0.25,
    "neg_at_fault_exit": 0.30,
    # referral leads: Poisson(lead_base x r / 0.2 x exp(lead_slope (S - 4))) a month
    "lead_base": 0.02,
    "lead_slope": 1.0,
}
MENTION_CHANNEL_P = {"positive": [0.25, 0.45, 0.30], "negative": [0.35, 0.55, 0.10]}

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
