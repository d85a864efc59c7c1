"""A hand-made CRM: every table of ``crmlab/crm/schema.sql`` with a few rows, values
chosen so the customer-360 figures can be worked out by hand (tests/test_crm.py).

Three customers: C1 (two sales of 1,000.00 and 500.00 and a return of -100.00; revenue
1,400.00), C2 (one sale of 300.00), C3 (no order; churned). Dtypes follow the
workbook's conventions (what ``crmlab.crm.read_crm`` gives back).
"""

from __future__ import annotations

import pandas as pd

from crmlab._schema import SURVEY_ITEMS


def _d(*values):
    return pd.to_datetime(list(values)).astype("datetime64[ns]")


def _cat(values, levels, ordered=False):
    return pd.Categorical(values, categories=levels, ordered=ordered)


def _s(*values):
    return pd.array(list(values), dtype="str")


REGIONS = ["east_asia", "southeast_asia", "europe", "north_america", "middle_east", "africa"]
SIZES = ["small", "medium", "large"]


def crm_tables() -> dict[str, pd.DataFrame]:
    t: dict[str, pd.DataFrame] = {}
    t["products"] = pd.DataFrame(
        {
            "product_line": _cat(
                ["textiles", "electronics"],
                ["textiles", "electronics", "machinery_parts", "household"],
            ),
            "name_zh": _s("纺织服装", "电子元件"),
            "base_list_price": [12.0, 45.0],
            "unit_cost": [9.0, 35.0],
            "mean_quantity": [900.0, 220.0],
        }
    )
    t["costs"] = pd.DataFrame(
        {"item": _s("contact", "contact"), "unit": _s("visit", "call"), "cost": [900.0, 40.0]}
    )
    t["market_prices"] = pd.DataFrame(
        {
            "price_date": _d("2024-01-01", "2024-01-01"),
            "product_line": _cat(
                ["textiles", "electronics"],
                ["textiles", "electronics", "machinery_parts", "household"],
            ),
            "list_price": [12.0, 45.0],
            "promotion": [True, False],
            "promotion_discount": [0.1, 0.0],
            "competitor_price_index": [0.95, 1.0],
        }
    )
    t["crm_rollout"] = pd.DataFrame(
        {
            "region": _cat(["europe", "east_asia"], REGIONS),
            "go_live_date": _d("2023-01-01", "2025-03-01"),
        }
    )
    t["managers"] = pd.DataFrame(
        {
            "manager_id": _s("M001", "M002"),
            "region": _cat(["europe", "east_asia"], REGIONS),
            "hire_date": _d("2019-05-01", "2020-01-01"),
            "leave_date": _d("2023-06-30", None),
        }
    )
    t["campaigns"] = pd.DataFrame(
        {
            "campaign_id": _s("A01"),
            "name": _s("winback 2023"),
            "start_date": _d("2023-03-01"),
            "end_date": _d("2023-04-30"),
            "target_rule": _s("active customers with no order in 6 months"),
            "offer": _s("5% discount"),
            "cost_per_contact": [120.0],
        }
    )
    t["customers"] = pd.DataFrame(
        {
            "customer_id": _s("C1", "C2", "C3"),
            "region": _cat(["europe", "east_asia", "europe"], REGIONS),
            "industry": _cat(
                ["wholesaler", "retail_chain", "manufacturer"],
                ["retail_chain", "wholesaler", "manufacturer", "e_commerce", "importer_agent"],
            ),
            "size": _cat(["large", "small", "medium"], SIZES, ordered=True),
            "channel": _cat(
                ["referral", "online", "agent"],
                ["trade_fair", "referral", "sales_visit", "online", "agent"],
            ),
            "acquisition_date": _d("2020-02-01", "2021-07-15", "2019-03-03"),
            "payment_terms_days": [60, 30, 90],
            "status": _cat(["active", "active", "churned"], ["active", "churned"]),
            "manager_id": _s("M002", "M002", "M001"),
            "credit_limit": [2000.0, 500.0, 0.0],
        }
    )
    t["records"] = pd.DataFrame(
        {
            "record_id": _s("D1", "D2", "D3", "D4"),
            "name": _s(
                "上海华通贸易有限公司", "上海华通贸易公司", "Lagos Textiles Ltd", "北京远洋"
            ),
            "phone": _s("021-62345678", "+86 21 6234 5678", None, "010 8765 4321"),
            "address": _s("上海市长宁路1号", "上海市长宁路1号", "12 Marina Road", None),
            "region": _cat(["europe", "europe", "east_asia", "europe"], REGIONS),
            "created_date": _d("2020-02-01", "2022-05-05", "2021-07-15", "2019-03-03"),
        }
    )
    t["assignments"] = pd.DataFrame(
        {
            "customer_id": _s("C1", "C1", "C2", "C3"),
            "manager_id": _s("M001", "M002", "M002", "M001"),
            "start_date": _d("2020-02-01", "2023-07-01", "2021-07-15", "2019-03-03"),
            "end_date": _d("2023-06-30", None, None, "2022-01-10"),
        }
    )
    t["orders"] = pd.DataFrame(
        {
            "order_id": _s("O1", "O2", "R1", "O3"),
            "customer_id": _s("C1", "C1", "C1", "C2"),
            "order_date": _d("2023-01-10", "2024-03-05", "2024-03-20", "2024-06-01"),
            "product_line": _cat(
                ["textiles", "electronics", "electronics", "textiles"],
                ["textiles", "electronics", "machinery_parts", "household"],
            ),
            "quantity": [100, 20, -4, 25],
            "list_price": [10.0, 25.0, 25.0, 12.0],
            "discount": [0.0, 0.0, 0.0, 0.0],
            "unit_price": [10.0, 25.0, 25.0, 12.0],
            "amount": [1000.0, 500.0, -100.0, 300.0],
            "promotion": [False, True, False, False],
            "is_return": [False, False, True, False],
            "return_of": _s(None, None, "O2", None),
            "quote_days": pd.array([3, 5, None, 2], dtype="Int64"),
            "days_late": pd.array([0, 12, None, 0], dtype="Int64"),
            "defaulted": [False, False, False, False],
            "record_id": _s("D1", "D2", "D2", "D3"),
        }
    )
    t["invoices"] = pd.DataFrame(
        {
            "invoice_id": _s("B1", "B2", "B3"),
            "customer_id": _s("C1", "C1", "C2"),
            "order_id": _s("O1", "O2", "O3"),
            "invoice_date": _d("2023-01-10", "2024-03-05", "2024-06-01"),
            "due_date": _d("2023-03-11", "2024-05-04", "2024-07-01"),
            "amount": [1000.0, 500.0, 300.0],
            "paid_date": _d("2023-03-10", None, "2024-06-20"),
            "days_overdue": [0, 241, 0],
        }
    )
    t["credit_lists"] = pd.DataFrame(
        {
            "customer_id": _s("C1", "C1", "C3"),
            "list_date": _d("2022-01-01", "2024-07-03", "2021-05-05"),
            "list": _cat(["red", "grey", "black"], ["none", "red", "grey", "black"]),
            "reason": _cat(
                ["on_time_6", "overdue_30", "default"],
                ["on_time_6", "late_payment", "overdue_30", "repaid", "default"],
            ),
        }
    )
    t["incidents"] = pd.DataFrame(
        {
            "incident_id": _s("I1"),
            "customer_id": _s("C1"),
            "incident_date": _d("2024-03-18"),
            "incident_type": _cat(["quality"], ["quality", "delivery", "billing", "service"]),
            "severity": [2],
            "resolution_days": [4],
            "resolved": [True],
            "handled_well": [False],
            "complaint": [True],
        }
    )
    t["tickets"] = pd.DataFrame(
        {
            "ticket_id": _s("T1", "T2"),
            "customer_id": _s("C1", "C2"),
            "incident_id": _s("I1", None),
            "opened_at": pd.to_datetime(["2024-03-18 09:30", "2024-06-02 14:00"]).astype(
                "datetime64[ns]"
            ),
            "channel": _cat(["phone", "wechat"], ["phone", "email", "wechat", "visit"]),
            "first_response_hours": [1.5, 0.25],
            "resolution_hours": [96.0, 2.0],
            "escalated": [True, False],
            "follow_up_visit": [True, False],
            "handled_well": [False, True],
        }
    )
    t["contacts"] = pd.DataFrame(
        {
            "contact_id": _s("K1", "K2"),
            "customer_id": _s("C1", "C2"),
            "contact_date": _d("2024-01-05", "2024-02-06"),
            "contact_type": _cat(["visit", "call"], ["visit", "call", "event"]),
            "cost": [900.0, 40.0],
        }
    )
    t["referrals"] = pd.DataFrame(
        {"referrer_id": _s("C1"), "referred_id": _s("C2"), "referral_date": _d("2021-07-01")}
    )
    t["mentions"] = pd.DataFrame(
        {
            "mention_id": _s("N1", "N2"),
            "customer_id": _s("C1", "C3"),
            "mention_date": _d("2024-03-19", "2021-12-01"),
            "channel": _cat(["forum", "trade_group"], ["forum", "social_media", "trade_group"]),
            "sentiment": _cat(["negative", "negative"], ["positive", "negative"]),
        }
    )
    t["churn"] = pd.DataFrame(
        {
            "customer_id": _s("C3"),
            "churn_date": _d("2022-01-10"),
            "stated_reason": _cat(
                ["price"],
                [
                    "price",
                    "incident_mishandled",
                    "quality",
                    "passive_service",
                    "competitor",
                    "involuntary",
                ],
            ),
            "churn_type": _cat(["competitive"], ["natural", "competitive", "fault"]),
        }
    )
    survey = {
        "response_id": _s("S1", "S2", "S3"),
        "customer_id": _s("C1", "C1", "C2"),
        "response_date": _d("2023-09-01", "2024-09-01", "2024-09-02"),
    }
    for k, item in enumerate(SURVEY_ITEMS):
        survey[item] = pd.array([4, 3 if k else 9, None], dtype="Int64")
    survey["overall_sat"] = pd.array([5, 2, 4], dtype="Int64")
    survey["wave"] = [2023, 2024, 2024]
    t["survey"] = pd.DataFrame(survey)
    t["pipeline"] = pd.DataFrame(
        {
            "opportunity_id": _s("P1", "P2", "P3"),
            "customer_id": _s(None, "C2", None),
            "source": _cat(
                ["cold_call", "referral", "web"], ["referral", "event", "cold_call", "web"]
            ),
            "manager_id": _s("M001", "M002", "M002"),
            "region": _cat(["europe", "east_asia", "europe"], REGIONS),
            "size": _cat(["small", "small", "large"], SIZES, ordered=True),
            "relationship": _cat(
                ["none", "existing_contact", "acquainted"],
                ["none", "acquainted", "existing_contact"],
                ordered=True,
            ),
            "prospect_type": _cat(
                ["potential", "potential", "competitor"], ["potential", "competitor"]
            ),
            "open_date": _d("2021-01-04", "2021-03-01", "2024-10-01"),
            "intention_date": _d("2021-02-01", "2021-04-01", None),
            "negotiation_date": _d(None, "2021-06-01", None),
            "contract_date": _d(None, "2021-07-15", None),
            "close_date": _d("2021-03-15", "2021-07-15", None),
            "stage_reached": _cat(
                ["intention", "contract", "contact"],
                ["contact", "intention", "negotiation", "contract"],
                ordered=True,
            ),
            "outcome": _cat(["lost", "won", "open"], ["won", "lost", "open"]),
            "lost_reason": _cat(
                ["price", None, None],
                ["price", "competitor", "no_budget", "no_response", "negative_word_of_mouth"],
            ),
            "forecast_value": [0.0, 5000.0, 1200.0],
            "deal_value": [8000.0, 5000.0, 12000.0],
        }
    )
    t["campaign_members"] = pd.DataFrame(
        {
            "campaign_id": _s("A01", "A01"),
            "customer_id": _s("C1", "C2"),
            "group": _cat(["treatment", "control"], ["treatment", "control"]),
            "contact_date": _d("2023-03-02", None),
        }
    )
    return t
