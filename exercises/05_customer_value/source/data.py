"""Data extract for exercise 05_customer_value, written by ``crmlab exercises build``.

``customer_value.csv``: one row per customer of the synthetic company who bought at least
once in 2022-2023 (the calibration period of ``notebooks/05_customer_value.ipynb``), in
yuan (元):

- ``channel``: acquisition channel (``online``, ``referral``, ``trade_fair``, ``agent``,
  ``sales_visit``);
- ``revenue``, ``cost_of_goods``, ``cost_to_serve``: net sales 2022-2024, their cost of
  goods, and the cost to serve (discounts, returns, incidents, contacts, account cost) of
  :func:`crmlab.segment.customer_profit`;
- ``past_revenue``: sales 2022-2023 (return lines excluded);
- ``frequency``, ``recency``, ``T``: repeat purchase days, week of the last purchase and
  weeks observed to 2023-12-31 (:func:`crmlab.btyd.rfm_summary`);
- ``p_alive``: the BG/NBD probability that the customer is still active at 2023-12-31;
- ``predicted_clv``: BG/NBD x Gamma-Gamma value of 2024 (12 months, revenue, discounted at
  10% a year: :func:`crmlab.value.clv_bgnbd`). On a variant's company where one
  Gamma-Gamma fit has q <= 1 (no finite mean spend), the spend model is fitted per size
  class instead.

The student notebook reads only this file, so it runs with pandas alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FILE = "customer_value.csv"


def extract() -> pd.DataFrame:
    from crmlab import btyd, datasets, segment, value

    company = datasets.load_company()
    orders, customers = company["orders"], company["customers"]
    sales = orders[~orders["is_return"]]
    cal = btyd.rfm_summary(sales, as_of="2023-12-31", holdout_end="2024-12-31")
    bg = btyd.fit_bgnbd(cal)
    rate = value.monthly_rate(0.10)
    try:
        clv = value.clv_bgnbd(cal, bg, btyd.fit_gamma_gamma(cal), periods=12, discount_rate=rate)
    except ValueError:
        # one Gamma-Gamma fit over all customers has q <= 1 on some simulated companies
        # (spend per order differs by an order of magnitude between small and large
        # firms): a variant then gets one fit per size class (q > 1 in each on the
        # companies tried); the committed company keeps the single fit of the chapter
        size = customers.set_index("customer_id")["size"].reindex(cal.index).astype(str)
        clv = pd.concat(
            value.clv_bgnbd(part, bg, btyd.fit_gamma_gamma(part), periods=12, discount_rate=rate)
            for _, part in cal.groupby(size)
        ).reindex(cal.index)
    profit = segment.customer_profit(orders, company["products"], company["costs"],
                                     incidents=company["incidents"],
                                     contacts=company["contacts"], customers=customers,
                                     churn=company["churn"]).reindex(cal.index)
    past = sales[sales["order_date"] <= "2023-12-31"].groupby("customer_id")["amount"].sum()
    out = pd.DataFrame({
        "customer_id": cal.index.astype(str),
        "channel": customers.set_index("customer_id")["channel"].reindex(cal.index)
        .astype(str).to_numpy(),
        "revenue": profit["revenue"].fillna(0.0).round(2).to_numpy(),
        "cost_of_goods": (profit["revenue"] - profit["gross_profit"]).fillna(0.0).round(2)
        .to_numpy(),
        "cost_to_serve": profit["cost_to_serve"].fillna(0.0).round(2).to_numpy(),
        "past_revenue": past.reindex(cal.index).fillna(0.0).round(2).to_numpy(),
        "frequency": cal["frequency"].astype(int).to_numpy(),
        "recency": cal["recency"].round(2).to_numpy(),
        "T": cal["T"].round(2).to_numpy(),
        "p_alive": clv["p_alive"].round(4).to_numpy(),
        "predicted_clv": clv["clv"].round(2).to_numpy(),
    })
    return out.sort_values("customer_id").reset_index(drop=True)


def write(folder: Path) -> list[Path]:
    """Write the extract into ``folder``; return the paths written."""
    path = Path(folder) / FILE
    extract().to_csv(path, index=False, lineterminator="\n")
    return [path]


def substitutions() -> dict[str, str]:
    """Texts of the master that name the committed company's customers or hold its values,
    and what they are on the data in use (the same for the committed company; in a variant
    built on another simulated company, the customers most like them: 5 repeat purchases,
    and the last one near the end of the observed weeks, or the one whose ``p_alive`` is
    nearest 0.04, the value question 3 asks to read; the revenue of its customer of question
    1, the upper bound of that question's check; its number of customers and 0.05 times it,
    the n_top of question 5 before rounding)."""
    c = extract()
    ids = c["customer_id"].tolist()
    fifth = "C000005" if "C000005" in ids else ids[4]
    five = c[c["frequency"] == 5]

    def closest(recency, weeks):
        gap = (five["recency"] - recency).abs() + (five["T"] - weeks).abs()
        return five.loc[gap.idxmin()]

    recent = closest(98.71, 101.43)
    # ties broken by id (the extract is sorted by customer_id, idxmin takes the first)
    silent = five.loc[(five["p_alive"] - 0.04).abs().idxmin()]
    revenue = c.set_index("customer_id").loc[fifth, "revenue"]
    return {
        "C000005": fifth,
        "C000602": recent["customer_id"],
        "C001584": silent["customer_id"],
        'the last in week\\n",\n    "   98.71 of 101.43': (
            f"the last in week\\n\",\n    \"   {recent['recency']:.2f} of {recent['T']:.2f}"
        ),
        'the last in\\n",\n    "   week 30.14 of 103.29: then 73 silent weeks': (
            f"the last in\\n\",\n    \"   week {silent['recency']:.2f} of {silent['T']:.2f}: "
            f"then {int(silent['T'] - silent['recency'])} silent weeks"
        ),
        "profit_c5 < 1_472_051.25": f"profit_c5 < {revenue:_.2f}",
        "n_top < 3530": f"n_top < {len(c)}",
        # the solution's comment and the hint of the mistake "a half rounded up" (the build
        # swaps hints too); 0.05 * n has at most two decimals, which :g keeps
        "0.05 * 3530 = 176.5": f"0.05 * {len(c)} = {0.05 * len(c):g}",
    }
