"""Data extracts for exercise 01_customer_survey, written by ``crmlab exercises build``.

``survey_raw.csv``: the synthetic company's satisfaction survey of September 2024 (the
2024 wave of the yearly survey; earlier waves are left out) *as it came back*, before any
cleaning: one answer sheet per row, in the order received
(``response_id``, ``customer_id``, ``response_date``), and the 36 items of
``datasets/survey_instrument.csv`` coded 1-5 (blank = no answer). It still holds the
out-of-range codes (0, 6, 9), duplicate sheets and straight-liners the chapter cleans.

``customers_active.csv``: the customers active at the end of the data, the sampling
frame of the chapter's stratified sample: ``customer_id``, ``size`` (small / medium /
large) and ``revenue_2024``, net sales in 2024 in yuan (元; 0 when none).

The student notebook reads only these files, so it runs with pandas alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

SURVEY = "survey_raw.csv"
WAVE = 2024
FRAME = "customers_active.csv"


def survey_extract() -> pd.DataFrame:
    from crmlab import datasets
    from crmlab._schema import SURVEY_ITEMS

    raw = datasets.load("company_survey")
    raw = raw[raw["wave"] == WAVE]
    out = raw[["response_id", "customer_id", "response_date", *SURVEY_ITEMS]].copy()
    out["response_date"] = out["response_date"].dt.strftime("%Y-%m-%d")
    return out.reset_index(drop=True)


def frame_extract() -> pd.DataFrame:
    from crmlab import datasets

    customers = datasets.load("company_customers")
    orders = datasets.load("company_orders")
    revenue = (orders[orders["order_date"].dt.year == 2024]
               .groupby("customer_id")["amount"].sum())
    active = customers[customers["status"] == "active"]
    out = pd.DataFrame({
        "customer_id": active["customer_id"].astype(str).to_numpy(),
        "size": active["size"].astype(str).to_numpy(),
        "revenue_2024": active["customer_id"].map(revenue).fillna(0.0).round(2).to_numpy(),
    })
    return out.sort_values("customer_id").reset_index(drop=True)


def write(folder: Path) -> list[Path]:
    """Write the extracts into ``folder``; return the paths written."""
    survey, frame = Path(folder) / SURVEY, Path(folder) / FRAME
    survey_extract().to_csv(survey, index=False, lineterminator="\n")
    frame_extract().to_csv(frame, index=False, float_format="%.2f", lineterminator="\n")
    return [survey, frame]


def responsiveness_gap(raw: pd.DataFrame) -> float:
    """The mean responsiveness gap (perception minus expectation) of question 8, computed
    by the master's own rules of question 3 (out-of-range codes to missing, later sheets of
    a customer and straight-liners dropped) and question 5."""
    from crmlab._schema import SURVEY_ITEMS

    answers = raw[SURVEY_ITEMS].astype(float)
    fixed = answers.where(~((answers < 1) | (answers > 5)))
    duplicate = raw["customer_id"].duplicated(keep="first")
    straight = (fixed.nunique(axis=1) == 1) & (fixed.notna().sum(axis=1) >= 18)
    clean = fixed[~duplicate & ~straight]
    gap = clean[["per_res1", "per_res2"]].mean(axis=1) - clean[["exp_res1", "exp_res2"]].mean(
        axis=1
    )
    return float(gap.mean())


def substitutions() -> dict[str, str]:
    """Texts of the master that hold a count or a value of the committed company's data,
    and what they are on the data in use (the same for the committed company; another count
    and gap in a variant built on another simulated company)."""
    raw = survey_extract()
    n = len(raw)
    gap = abs(responsiveness_gap(raw))
    return {
        "36 * 1832": f"36 * {n}",
        "< 1832": f"< {n}",
        "<= 1832": f"<= {n}",
        "the 1,832 raw sheets": f"the {n:,} raw sheets",
        "全部 1,832 份原始问卷": f"全部 {n:,} 份原始问卷",
        "gap is about −0.65.": f"gap is about −{gap:.2f}.",
        "- A. 65% of the customers": f"- A. {100 * gap:.0f}% of the customers",
        "responsiveness about 0.65 point": f"responsiveness about {gap:.2f} point",
        "satisfaction is 0.65 point below": f"satisfaction is {gap:.2f} point below",
        "响应性的平均差距约为 −0.65。": f"响应性的平均差距约为 −{gap:.2f}。",
    }
