"""The data of one claims-ledger run (:mod:`crmlab.claims`): :class:`LedgerData` holds the
company's tables and the real data sets (:data:`REAL`), loads them on first use, and keeps
the intermediate results several claims share (profit per customer, yearly retention, the
last survey wave, Telco's survival curve). The computations that use it are in
``crmlab/_claims_compute.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

import pandas as pd

from crmlab import churn, datasets, economics, segment, survey, survival
from crmlab import value as value_mod

__all__ = ["REAL", "LedgerData"]

#: Real data set -> the name :func:`crmlab.datasets.load` knows it by.
REAL = {"cdnow": "cdnow_master", "telco": "telco_churn"}


# --------------------------------------------------------------------------- the data
class LedgerData:
    """The tables of one ledger run, loaded on first use, and the intermediate results
    that several claims share (profit per customer, yearly retention, ...)."""

    def __init__(self, company: Mapping | None, real: Mapping | None):
        if company is not None and not isinstance(company, Mapping):
            raise ValueError(
                "company must be a dict of tables (as datasets.load_company() returns), "
                f"got {type(company).__name__}."
            )
        if real is not None:
            if not isinstance(real, Mapping):
                raise ValueError(
                    f"real must be a dict of data sets {list(REAL)}, got {type(real).__name__}."
                )
            unknown = sorted(set(real) - set(REAL))
            if unknown:
                raise ValueError(f"real has unknown data sets {unknown}; known: {list(REAL)}.")
        self._company = company
        self._real_given = real is not None
        self._real = dict(real) if real is not None else {}

    def has(self, name: str) -> bool:
        if self._company is None:
            self._company = datasets.load_company()
        return name in self._company

    def table(self, name: str) -> pd.DataFrame:
        if not self.has(name):
            raise KeyError(
                f"the company data have no {name!r} table; they have {sorted(self._company)}."
            )
        return self._company[name]

    def available(self) -> list[str]:
        """The data sets of this run: the company, and the real ones (all if none given)."""
        return ["company", *(r for r in REAL if not self._real_given or r in self._real)]

    def real(self, name: str) -> pd.DataFrame:
        if name not in self._real:
            if self._real_given:
                raise KeyError(f"real has no {name!r} data set; it has {sorted(self._real)}.")
            self._real[name] = datasets.load(REAL[name])
        return self._real[name]

    # shared results ----------------------------------------------------------------
    @cached_property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First day of the month of the first order, and the last order date."""
        dates = self.table("orders")["order_date"]
        if dates.empty:
            raise ValueError("the orders table is empty.")
        first = dates.min()
        return pd.Timestamp(first.year, first.month, 1), dates.max()

    @property
    def years(self) -> str:
        start, end = self.window
        return f"{start.year}-{end.year}" if start.year != end.year else f"{start.year}"

    @property
    def lost_years(self) -> str:
        """The years of the churn dates ("2022-2024"), or "" without a ``churn_date``."""
        dates = self.table("churn").get("churn_date")
        if dates is None or dates.dropna().empty:
            return ""
        first, last = dates.min().year, dates.max().year
        return f"{first}-{last}" if first != last else f"{first}"

    @cached_property
    def last_full_year(self) -> int:
        start, end = self.window
        year = end.year if (end.month, end.day) == (12, 31) else end.year - 1
        if year < start.year or (year == start.year and start.month != 1):
            raise ValueError(
                f"the orders ({start:%Y-%m-%d} to {end:%Y-%m-%d}) cover no full calendar year."
            )
        return year

    @cached_property
    def profit_claims(self) -> pd.Series:
        profit = segment.customer_profit(
            self.table("orders"),
            self.table("products"),
            self.table("costs"),
            incidents=self.table("incidents"),
            contacts=self.table("contacts"),
            customers=self.table("customers"),
            churn=self.table("churn"),
        )
        return value_mod.profit_claims(profit)

    @cached_property
    def retention(self) -> tuple[float, int, int]:
        """(r, customers on hand on 1 January, year): the share of the customers on hand on
        1 January of the last full year of orders still customers on 31 December.

        No chapter function returns this share (``churn.dynamic_balance`` also counts the
        customers won and lost within the year; notebook 00 computes it in a cell), so it
        is computed here from :func:`crmlab.churn.customer_lifetimes`.
        """
        year = self.last_full_year
        life = churn.customer_lifetimes(self.table("customers"), self.table("churn"))
        first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
        gone = life["churn_date"]
        on_hand = (life["acquisition_date"] < first) & (gone.isna() | (gone >= first))
        stayed = on_hand & (gone.isna() | (gone > last))
        n = int(on_hand.sum())
        if n == 0:
            raise ValueError(f"no customer was on hand on 1 January {year}.")
        return float(stayed.sum() / n), n, year

    @cached_property
    def tenure(self) -> pd.DataFrame:
        """Gross profit per customer by tenure year: :func:`economics.revenue_by_tenure`
        summing each order line's gross profit (amount - :func:`economics.cost_of_goods`);
        its ``revenue`` columns then hold gross profit."""
        orders = self.table("orders")
        cogs = economics.cost_of_goods(orders, self.table("products"))
        lines = orders.assign(gross_profit=orders["amount"] - cogs)
        return economics.revenue_by_tenure(lines, self.table("customers"), amount="gross_profit")

    def causes(self, level: str) -> tuple[pd.Series, str]:
        """Each lost customer's churn cause (``level="cause"``) or type (``"type"``), and
        whether it is the simulator's ``"true"`` one (``truth``, if the company data hold
        it) or the ``"stated"`` one (``churn``)."""
        lost = self.table("churn")
        if not self.has("truth"):
            column = "stated_reason" if level == "cause" else "churn_type"
            if column not in lost.columns:
                raise KeyError(f"churn has no {column!r} column; it has {list(lost.columns)}.")
            return lost[column].astype(str).reset_index(drop=True), "stated"
        column = "churn_cause" if level == "cause" else "churn_type"
        truth = self.table("truth")
        if column not in truth.columns:
            raise KeyError(f"truth has no {column!r} column; it has {list(truth.columns)}.")
        labels = truth.set_index("customer_id")[column].reindex(lost["customer_id"])
        missing = labels.isna().to_numpy()
        if missing.any():
            raise ValueError(
                f"truth has no {column} for the lost customers "
                f"{lost['customer_id'][missing].head(5).tolist()}."
            )
        return labels.astype(str).reset_index(drop=True), "true"

    @cached_property
    def survey_wave(self) -> tuple[pd.DataFrame, int | None]:
        """(clean answers, wave): the last wave of the survey (the ``wave`` column, e.g.
        2024) cleaned by :func:`crmlab.survey.clean_survey` (a customer's first sheet of the
        wave, straight-liners dropped), or the whole survey and None without a ``wave``
        column. One wave, so that a customer counts once with one answer."""
        raw = self.table("survey")
        if "wave" not in raw.columns:
            return survey.clean_survey(raw), None
        waves = pd.to_numeric(raw["wave"], errors="coerce")
        if waves.isna().any():
            raise ValueError(
                f"column 'wave' of survey must hold a year for every sheet; rows "
                f"{raw.index[waves.isna()][:5].tolist()} have none."
            )
        last = int(waves.max())
        return survey.clean_survey(raw[(waves == last).to_numpy()]), last

    def satisfaction_groups(self) -> tuple[pd.Series, pd.Series, str, str]:
        """Customer ids of the satisfied (overall satisfaction 4-5) and dissatisfied (1-2)
        respondents of :attr:`survey_wave`, and the survey's name in English and Chinese."""
        clean, wave = self.survey_wave
        sat = clean["overall_sat"]
        ids = clean["customer_id"].astype(str)
        if not (sat >= 4).any():
            raise ValueError(
                "no clean survey answer has overall_sat 4 or 5: no satisfied customer."
            )
        if not (sat <= 2).any():
            raise ValueError(
                "no clean survey answer has overall_sat 1 or 2: no dissatisfied customer."
            )
        name = (
            (f"the {wave} wave of the survey", f"{wave}年问卷中")
            if wave
            else ("the survey", "问卷中")
        )
        return ids[(sat >= 4).to_numpy()], ids[(sat <= 2).to_numpy()], *name

    @cached_property
    def telco(self) -> pd.DataFrame:
        data = self.real("telco")
        if "churn" not in data.columns:
            raise KeyError(f"telco has no 'churn' column (Yes/No); it has {list(data.columns)}.")
        bad = ~data["churn"].astype(str).isin(["Yes", "No"]).to_numpy()
        if bad.any():
            raise ValueError(
                f"column 'churn' of telco must be Yes or No; rows {data.index[bad][:5].tolist()} "
                "are not."
            )
        return data.assign(churned=(data["churn"].astype(str) == "Yes").astype(int))

    @cached_property
    def telco_km(self) -> survival.KaplanMeierResult:
        return survival.kaplan_meier(self.telco, duration="tenure", event="churned")

    @cached_property
    def telco_retention(self) -> tuple[float, int]:
        """(r, k): the constant yearly retention that matches Telco's Kaplan-Meier survival
        after its last whole year observed, ``S(12 k) ^ (1 / k)``."""
        k = int(self.telco["tenure"].max() // 12)
        if k < 1:
            raise ValueError("telco tenure is shorter than a year: no yearly retention.")
        s = float(self.telco_km.survival_at([12 * k]).iloc[0, 0])
        return s ** (1 / k), k
