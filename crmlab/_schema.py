"""The data layer's vocabulary: the tables of the synthetic company, their columns and
dtypes, the levels of every categorical column, the survey's items and the churn causes.

Everything that reads or writes a table takes its definitions from here: the simulator
(:mod:`crmlab.simulate`) when it builds the tables, :mod:`crmlab.datasets` when it reads
them back from CSV, and the chapters for their defaults (the survey items of
:mod:`crmlab.survey`, the cause-to-type table of :mod:`crmlab.churn`). This module imports
nothing from ``crmlab``, so it sits at the bottom of the import graph.

:func:`apply_schema` applies the column types of a table the same way to a freshly
simulated table and to one read back from CSV, so that both compare equal.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = [
    "DATE_DTYPE",
    "REGIONS",
    "INDUSTRIES",
    "SIZES",
    "CHANNELS",
    "PRODUCT_LINES",
    "MARKETS",
    "LOYALTY_TYPES",
    "CHURN_CAUSES",
    "CHURN_TYPE_OF_CAUSE",
    "CHURN_TYPES",
    "INCIDENT_TYPES",
    "CONTACT_TYPES",
    "SERVICE_DIMENSIONS",
    "DIMENSION_CODES",
    "RQ_SCALES",
    "REVERSE_ITEMS",
    "SURVEY_ITEMS",
    "STAGES",
    "MENTION_CHANNELS",
    "SENTIMENTS",
    "SURVEY_WAVES",
    "TABLE_SCHEMAS",
    "apply_schema",
]

DATE_DTYPE = "datetime64[ns]"

# --- levels of the categorical columns --------------------------------------------------
REGIONS = ["east_asia", "southeast_asia", "europe", "north_america", "middle_east", "africa"]

INDUSTRIES = ["retail_chain", "wholesaler", "manufacturer", "e_commerce", "importer_agent"]

SIZES = ["small", "medium", "large"]

CHANNELS = ["trade_fair", "referral", "sales_visit", "online", "agent"]

PRODUCT_LINES = ["textiles", "electronics", "machinery_parts", "household"]

MARKETS = ["competitive", "points_programme", "exit_barrier", "monopoly"]

#: Loyalty types of both of the course's lists (客户忠诚的类型), and ``none``.
LOYALTY_TYPES = [
    "monopoly",
    "kinship",
    "price",
    "convenience",
    "trust",
    "incentive",
    "latent",
    "super_value",
    "none",
]

#: The course's six churn causes (客户流失原因) and the three churn types they belong to.
CHURN_CAUSES = [
    "price",
    "incident_mishandled",
    "quality",
    "passive_service",
    "competitor",
    "involuntary",
]
CHURN_TYPE_OF_CAUSE = {
    "price": "competitive",
    "competitor": "competitive",
    "incident_mishandled": "fault",
    "quality": "fault",
    "passive_service": "fault",
    "involuntary": "natural",
}
CHURN_TYPES = ["natural", "competitive", "fault"]

INCIDENT_TYPES = ["quality", "delivery", "billing", "service"]
CONTACT_TYPES = ["visit", "call", "event"]

# --- the satisfaction survey (客户满意度调查) ------------------------------------------
SERVICE_DIMENSIONS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
DIMENSION_CODES = {
    "tangibles": "tan",
    "reliability": "rel",
    "responsiveness": "res",
    "assurance": "ass",
    "empathy": "emp",
}

RQ_SCALES = {"trust": 3, "satisf": 3, "belong": 3, "friend": 3}
REVERSE_ITEMS = ["rq_trust3", "rq_belong3"]

STAGES = ["contact", "intention", "negotiation", "contract"]

#: Word of mouth (口碑): where a public mention appears and its sentiment.
MENTION_CHANNELS = ["forum", "social_media", "trade_group"]
SENTIMENTS = ["positive", "negative"]

#: The survey's yearly waves (each opens on 1 September).
SURVEY_WAVES = [2022, 2023, 2024]
# --- what the CRM system holds (客户关系管理系统) --------------------------------------
LEAD_SOURCES = ["referral", "event", "cold_call", "web"]
RELATIONSHIP_LEVELS = ["none", "acquainted", "existing_contact"]
PROSPECT_TYPES = ["potential", "competitor"]
OUTCOMES = ["won", "lost", "open"]
LOST_REASONS = ["price", "competitor", "no_budget", "no_response", "negative_word_of_mouth"]
CREDIT_LISTS = ["none", "red", "grey", "black"]
CREDIT_REASONS = ["on_time_6", "late_payment", "overdue_30", "repaid", "default"]
TICKET_CHANNELS = ["phone", "email", "wechat", "visit"]
CAMPAIGN_GROUPS = ["treatment", "control"]
UPLIFT_CLASSES = ["persuadable", "sure_thing", "lost_cause", "sleeping_dog"]
RECORD_VARIANTS = [
    "original",
    "suffix",
    "width",
    "typo",
    "english_name",
    "phone_format",
    "address_format",
]


def _survey_items() -> list[str]:
    """The 36 item columns of the survey table, in questionnaire order."""
    items = []
    for dim in SERVICE_DIMENSIONS:
        c = DIMENSION_CODES[dim]
        items += [f"exp_{c}1", f"exp_{c}2", f"per_{c}1", f"per_{c}2"]
    items += ["overall_sat", "repurchase_intent", "recommend", "compare_competitors"]
    for scale, k in RQ_SCALES.items():
        items += [f"rq_{scale}{j}" for j in range(1, k + 1)]
    return items


SURVEY_ITEMS = _survey_items()


# --- tables ----------------------------------------------------------------------------
#: Per table of the company: title, id columns, date columns, categorical levels
#: (``ordered``: which levels are ordered) and other explicit dtypes.
TABLE_SCHEMAS: dict[str, dict] = {
    "customers": {
        "title": "customers (客户基础资料)",
        "ids": ["customer_id", "manager_id"],
        "dates": ["acquisition_date"],
        "categories": {
            "region": REGIONS,
            "industry": INDUSTRIES,
            "size": SIZES,
            "channel": CHANNELS,
            "status": ["active", "churned"],
        },
        "ordered": ["size"],
        "dtypes": {"payment_terms_days": "int64", "credit_limit": "float64"},
    },
    "orders": {
        "title": "order lines, returns as negative lines",
        "ids": ["order_id", "customer_id", "return_of", "record_id"],
        "dates": ["order_date"],
        "categories": {"product_line": PRODUCT_LINES},
        "dtypes": {"quantity": "int64", "quote_days": "Int64", "days_late": "Int64"},
    },
    "incidents": {
        "title": "service incidents and complaints (投诉)",
        "ids": ["incident_id", "customer_id"],
        "dates": ["incident_date"],
        "categories": {"incident_type": INCIDENT_TYPES},
        "dtypes": {"severity": "int64", "resolution_days": "int64"},
    },
    "contacts": {
        "title": "account-manager contacts",
        "ids": ["contact_id", "customer_id"],
        "dates": ["contact_date"],
        "categories": {"contact_type": CONTACT_TYPES},
    },
    "referrals": {
        "title": "referrals (口碑)",
        "ids": ["referrer_id", "referred_id"],
        "dates": ["referral_date"],
    },
    "churn": {
        "title": "churned customers (客户流失) with stated reason",
        "ids": ["customer_id"],
        "dates": ["churn_date"],
        "categories": {"stated_reason": CHURN_CAUSES, "churn_type": CHURN_TYPES},
    },
    "survey": {
        "title": "satisfaction survey, raw answers, yearly waves (客户满意度调查)",
        "ids": ["response_id", "customer_id"],
        "dates": ["response_date"],
        "dtypes": {"wave": "int64", **{item: "Int64" for item in SURVEY_ITEMS}},
    },
    "mentions": {
        "title": "public mentions of the firm (口碑), positive and negative",
        "ids": ["mention_id", "customer_id"],
        "dates": ["mention_date"],
        "categories": {"channel": MENTION_CHANNELS, "sentiment": SENTIMENTS},
    },
    "market_prices": {
        "title": "monthly price calendar: list price, promotion, competitors' price index",
        "dates": ["price_date"],
        "categories": {"product_line": PRODUCT_LINES},
    },
    "pipeline": {
        "title": "sales pipeline (销售漏斗): opportunities closed in 2022-2024 or open",
        "ids": ["opportunity_id", "customer_id", "manager_id"],
        "dates": [
            "open_date",
            "intention_date",
            "negotiation_date",
            "contract_date",
            "close_date",
        ],
        "categories": {
            "source": LEAD_SOURCES,
            "region": REGIONS,
            "size": SIZES,
            "relationship": RELATIONSHIP_LEVELS,
            "prospect_type": PROSPECT_TYPES,
            "stage_reached": STAGES,
            "outcome": OUTCOMES,
            "lost_reason": LOST_REASONS,
        },
        "ordered": ["stage_reached", "size", "relationship"],
        "dtypes": {"forecast_value": "float64", "deal_value": "float64"},
    },
    "products": {
        "title": "product lines, list prices and unit costs",
        "categories": {"product_line": PRODUCT_LINES},
    },
    "costs": {"title": "cost rates for cost to serve"},
    "truth": {
        "title": "latent truth per customer (for checking methods, not for analysis)",
        "ids": ["customer_id"],
        "dates": ["churn_date"],
        "categories": {
            "loyalty_type": LOYALTY_TYPES,
            "churn_cause": CHURN_CAUSES,
            "churn_type": CHURN_TYPES,
            "market": MARKETS,
        },
        "dtypes": {
            "n_positive_mentions": "int64",
            "n_negative_mentions": "int64",
            "n_referral_leads": "int64",
        },
    },
    "managers": {
        "title": "account managers (客户经理)",
        "ids": ["manager_id"],
        "dates": ["hire_date", "leave_date"],
        "categories": {"region": REGIONS},
    },
    "assignments": {
        "title": "account-manager assignments (客户经理分配)",
        "ids": ["customer_id", "manager_id"],
        "dates": ["start_date", "end_date"],
    },
    "invoices": {
        "title": "invoices and payments (应收账款)",
        "ids": ["invoice_id", "customer_id", "order_id"],
        "dates": ["invoice_date", "due_date", "paid_date"],
        "dtypes": {"amount": "float64", "days_overdue": "int64"},
    },
    "credit_lists": {
        "title": "red, grey and black list moves (红名单/灰名单/黑名单)",
        "ids": ["customer_id"],
        "dates": ["list_date"],
        "categories": {"list": CREDIT_LISTS, "reason": CREDIT_REASONS},
    },
    "tickets": {
        "title": "call-centre service tickets (呼叫中心服务单)",
        "ids": ["ticket_id", "customer_id", "incident_id"],
        "dates": ["opened_at"],
        "categories": {"channel": TICKET_CHANNELS},
        "dtypes": {
            "first_response_hours": "float64",
            "resolution_hours": "float64",
            "escalated": "bool",
            "follow_up_visit": "bool",
            "handled_well": "bool",
        },
    },
    "campaigns": {
        "title": "marketing campaigns (营销活动)",
        "ids": ["campaign_id"],
        "dates": ["start_date", "end_date"],
        "dtypes": {"cost_per_contact": "float64"},
    },
    "campaign_members": {
        "title": "campaign members, randomised to treatment or control",
        "ids": ["campaign_id", "customer_id"],
        "dates": ["contact_date"],
        "categories": {"group": CAMPAIGN_GROUPS},
    },
    "crm_rollout": {
        "title": "CRM system go-live date per region (CRM系统上线)",
        "dates": ["go_live_date"],
        "categories": {"region": REGIONS},
    },
    "records": {
        "title": "customer master records as typed in the CRM (客户档案)",
        "ids": ["record_id"],
        "dates": ["created_date"],
        "categories": {"region": REGIONS},
    },
    "truth_effects": {
        "title": "true effects of every mechanism (for checking methods)",
        "ids": ["mechanism", "parameter", "level"],
        "dtypes": {"value": "float64"},
    },
    "truth_campaign": {
        "title": "latent uplift class and true effect per campaign member (for checking)",
        "ids": ["campaign_id", "customer_id"],
        "categories": {"uplift_class": UPLIFT_CLASSES},
        "dtypes": {"true_effect": "float64"},
    },
    "truth_records": {
        "title": "true firm of every customer record (for checking record linkage)",
        "ids": ["record_id", "customer_id"],
        "categories": {"variant": RECORD_VARIANTS},
    },
    "truth_managers": {
        "title": "latent skill of every account manager (for checking)",
        "ids": ["manager_id"],
        "dtypes": {"skill": "float64"},
    },
}


def apply_schema(
    data: pd.DataFrame,
    *,
    ids: tuple[str, ...] | list[str] = (),
    dates: tuple[str, ...] | list[str] = (),
    categories: Mapping[str, list | None] | None = None,
    ordered: tuple[str, ...] | list[str] = (),
    dtypes: Mapping[str, str] | None = None,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Cast the columns of ``data`` in place and return it.

    ids become strings, dates ``datetime64[ns]``, categories ``category`` with the given
    levels (``None``: the sorted levels present), ``dtypes`` any other explicit dtype.
    A categorical value outside its levels raises ``ValueError`` naming the column.

    Parameters
    ----------
    data : DataFrame
        The table, changed in place.
    ids : sequence of str
        Id columns (strings; missing stays missing).
    dates : sequence of str
        Date columns.
    categories : mapping, optional
        Column -> list of levels, or None for the sorted levels present.
    ordered : sequence of str
        Categorical columns whose levels are ordered.
    dtypes : mapping, optional
        Other columns and their dtypes.
    date_format : str, optional
        Format of the date strings (faster and stricter than guessing).

    Returns
    -------
    DataFrame
        ``data`` itself.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        Naming a categorical column holding a value outside its levels.

    Examples
    --------
    >>> t = apply_schema(pd.DataFrame({"size": ["large", "small"], "day": ["2024-01-02"] * 2}),
    ...                  dates=["day"], categories={"size": SIZES}, ordered=["size"])
    >>> t["size"].min(), str(t["day"].dtype)
    ('small', 'datetime64[ns]')
    """
    for col in ids:
        data[col] = data[col].astype("str").where(data[col].notna())
    for col in dates:
        data[col] = pd.to_datetime(data[col], format=date_format).astype(DATE_DTYPE)
    for col, dtype in (dtypes or {}).items():
        data[col] = data[col].astype(dtype)
    for col, levels in (categories or {}).items():
        if levels is None:
            data[col] = data[col].astype("category")
            continue
        unknown = sorted(set(data[col].dropna().unique()) - set(levels))
        if unknown:
            raise ValueError(f"column {col!r} holds values {unknown} outside its levels {levels}.")
        data[col] = data[col].astype(pd.CategoricalDtype(levels, ordered=col in ordered))
    return data
