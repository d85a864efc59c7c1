"""Parameters of what the firm's CRM system holds: account managers, the CRM roll-out,
campaigns, service tickets, credit lists, the customer master records and the sales
pipeline. Every true effect here is also written to ``truth_effects`` (see
:meth:`crmlab.simulate._crm._CRM._crm_effects`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab._schema import (  # noqa: F401  (levels re-exported for the CRM modules)
    LEAD_SOURCES,
    RECORD_VARIANTS,
    RELATIONSHIP_LEVELS,
    TICKET_CHANNELS,
    UPLIFT_CLASSES,
)

SOURCES = LEAD_SOURCES

# --- account managers (客户经理) ----------------------------------------------------
CUSTOMERS_PER_MANAGER = 60  # active customers per manager at 2022-01 (sets the team size)
MANAGER_LEAVE_P = 0.012  # monthly chance that an employed manager leaves
NEW_HIRE_P = 0.7  # chance that a leaver is replaced by a new hire in the same region
DEPARTURE_CHURN_HR = 2.0  # churn hazard multiplier of a leaver's customers ...
DEPARTURE_WINDOW = 6  # ... for this many months after the month of the departure
SKILL_SATISFACTION = 0.10  # latent satisfaction (1-5 scale) per SD of the manager's skill

# --- the CRM system roll-out (CRM系统上线), region by region ---------------------------
GO_LIVE = {
    "east_asia": "2023-01-01",
    "europe": "2023-04-01",
    "southeast_asia": "2023-07-01",
    "north_america": "2024-01-01",
    "middle_east": "2024-07-01",
    "africa": "2025-04-01",  # after the data end: never treated in 2022-2024
}
ROLLOUT_CHURN_HR = 0.80  # churn hazard multiplier once the region is live
ROLLOUT_SATISFACTION = 0.15  # latent satisfaction shift once live
ROLLOUT_PURCHASE_MULT = 1.0  # purchase rate multiplier once live: exactly no effect
ROLLOUT_ENQUIRY_MULT = 0.70  # enquiry tickets per customer-month (cost to serve)
ROLLOUT_RESPONSE_MULT = 0.60  # first-response hours of tickets
ROLLOUT_STAGE_MULT = 0.80  # pipeline stage durations of opportunities opened after go-live

# --- marketing campaigns (营销活动), randomised inside the eligible group --------------
# churn hazard multiplier for a treated member during the outcome window, by class
UPLIFT_HR = {"persuadable": 0.30, "sure_thing": 1.0, "lost_cause": 1.0, "sleeping_dog": 2.5}
# class probabilities by loyalty type (persuadable, sure_thing, lost_cause, sleeping_dog)
UPLIFT_CLASS_P = {
    "monopoly": (0.05, 0.85, 0.05, 0.05),
    "kinship": (0.10, 0.80, 0.05, 0.05),
    "price": (0.45, 0.05, 0.40, 0.10),
    "convenience": (0.30, 0.40, 0.15, 0.15),
    "trust": (0.15, 0.75, 0.05, 0.05),
    "incentive": (0.60, 0.10, 0.20, 0.10),
    "latent": (0.25, 0.35, 0.10, 0.30),
    "super_value": (0.05, 0.85, 0.05, 0.05),
    "none": (0.20, 0.05, 0.45, 0.30),
}
# ... then tilted by what the firm can see of a customer (multiplied, renormalised), so
# that an uplift model has something observable to learn from: promotion-minded online
# sellers respond to a voucher, manufacturers buy anyway, agents and large accounts
# resent being sold to (columns: persuadable, sure_thing, lost_cause, sleeping_dog)
UPLIFT_TILT_INDUSTRY = {
    "retail_chain": (2.0, 1.0, 1.0, 0.5),
    "wholesaler": (1.0, 1.0, 1.0, 1.0),
    "manufacturer": (0.4, 2.5, 1.0, 1.0),
    "e_commerce": (4.0, 0.5, 1.0, 0.5),
    "importer_agent": (0.5, 1.0, 1.0, 4.0),
}
UPLIFT_TILT_CHANNEL = {
    "trade_fair": (1.0, 1.0, 1.0, 1.0),
    "referral": (0.5, 2.0, 0.5, 0.5),
    "sales_visit": (1.0, 1.0, 1.0, 1.0),
    "online": (2.0, 0.5, 1.0, 1.0),
    "agent": (1.0, 1.0, 1.0, 2.5),
}
UPLIFT_TILT_SIZE = {
    "small": (1.5, 0.7, 1.0, 1.0),
    "medium": (1.0, 1.0, 1.0, 1.0),
    "large": (0.5, 1.5, 1.0, 2.0),
}
CAMPAIGN_WINDOW = 6  # outcome: churn within 6 months of the start date
CAMPAIGNS = pd.DataFrame(
    [
        (
            "A01",
            "2023春季老客户关怀 spring care calls",
            "2023-03-01",
            "2023-03-31",
            "small_or_medium_acquired_before_2022-09",
            "account manager call and a 5% voucher on the next order",
            180.0,
        ),
        (
            "A02",
            "2024海外客户挽留 overseas retention offer",
            "2024-04-01",
            "2024-04-30",
            "europe_north_america_middle_east_africa",
            "visit and a 3% loyalty rebate for 12 months",
            420.0,
        ),
    ],
    columns=[
        "campaign_id",
        "name",
        "start_date",
        "end_date",
        "target_rule",
        "offer",
        "cost_per_contact",
    ],
)
TREATMENT_SHARE = 0.5

# --- service tickets (呼叫中心服务单) --------------------------------------------------
TICKET_CHANNEL_P = [0.45, 0.20, 0.30, 0.05]
FIRST_RESPONSE_HOURS = {"phone": 0.5, "email": 8.0, "wechat": 1.5, "visit": 24.0}
ENQUIRY_RATE = np.array([0.06, 0.10, 0.18])  # enquiries per customer-month by size
FOLLOW_UP_P = np.array([0.25, 0.40, 0.55])  # follow-up visit (回访) by severity 1-3
FOLLOW_UP_HR = 0.60  # churn hazard multiplier for 6 months after a follow-up visit
FOLLOW_UP_WINDOW = 6

# --- credit (信用) -----------------------------------------------------------------
GREY_DAYS = 30  # unpaid this many days after the due date: grey list (灰名单)
BLACK_DAYS = 90  # a defaulted invoice this many days after the due date: black list (黑名单)
RED_STREAK = 6  # this many on-time payments in a row: red list (红名单)
RED_LOST_DAYS = 15  # a payment this many days late or more ends a red listing

# --- customer master records (客户档案) -----------------------------------------------
DUPLICATE_SHARE = 0.04  # firms with a second record
SECOND_DUPLICATE_SHARE = 0.2  # of those, firms with a third record
NEW_PHONE_SHARE = 0.25  # duplicates typed with another phone number of the firm
DUPLICATE_ORDER_SHARE = 0.5  # orders after a duplicate's creation booked under it
VARIANTS = RECORD_VARIANTS[1:]
VARIANT_P = [0.25, 0.15, 0.2, 0.15, 0.15, 0.10]

# --- the sales pipeline (销售漏斗) ----------------------------------------------------
SOURCE_OF_CHANNEL = {
    "trade_fair": "event",
    "referral": "referral",
    "sales_visit": "cold_call",
    "online": "web",
    "agent": "referral",  # introduced by an agent: a third party's referral
}
RELATIONSHIP_P = {  # relationship at opening by source (prior over all opportunities)
    "referral": (0.20, 0.50, 0.30),
    "event": (0.50, 0.40, 0.10),
    "cold_call": (0.85, 0.12, 0.03),
    "web": (0.70, 0.25, 0.05),
}
WIN_LOGIT_SOURCE = {"referral": -0.6, "event": -1.6, "cold_call": -2.6, "web": -2.0}
WIN_LOGIT_RELATIONSHIP = {"none": 0.0, "acquainted": 0.6, "existing_contact": 1.2}
WIN_LOGIT_SKILL = 0.4  # per SD of the manager's skill
# each stage's conversion q_k = w ** STAGE_SHARE[k] (w: probability of a win)
STAGE_SHARE = np.array([0.5, 0.3, 0.2])
STAGE_DAYS = np.array([21.0, 30.0, 25.0])  # mean days in contact, intention, negotiation
STAGE_SHAPE = 2.0  # gamma shape of a stage duration
STAGE_SIZE_MULT = np.array([1.0, 1.3, 1.8])
STAGE_SOURCE_MULT = {"referral": 0.8, "event": 1.0, "cold_call": 1.2, "web": 0.9}
LOST_WAIT_MULT = 1.5  # a lost deal lingers 1.5x a stage's duration before it is closed
COMPETITOR_SHARE = 0.35  # prospects buying from a competitor now (竞争者客户)
# the firm's CRM default probability of a win by stage (its forecast rule)
FORECAST_P = {"contact": 0.10, "intention": 0.25, "negotiation": 0.50, "contract": 1.0}
LOST_REASON_P = {  # (price, competitor, no_budget, no_response) by the stage where lost
    "contact": (0.10, 0.20, 0.20, 0.50),
    "intention": (0.30, 0.30, 0.25, 0.15),
    "negotiation": (0.45, 0.40, 0.15, 0.00),
}
NWOM_LOSS_RATE = 0.05  # per negative public mention in the region in the 3 months before
PIPELINE_FIRST_OPEN = -12  # losses opened from 2021-01 (month -12) are generated
FUTURE_MONTHS = 6  # deals won in 2025-01..06 appear as open at 2024-12-31
