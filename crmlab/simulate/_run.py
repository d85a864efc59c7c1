"""One run of the simulation: the three parts in order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab.simulate._crm import _CRM
from crmlab.simulate._crm_tables import _CRMTables
from crmlab.simulate._monthly import _MonthlyProcess
from crmlab.simulate._params import (
    _MARKET,
    COSTS,
    PRODUCTS,
)
from crmlab.simulate._pipeline import _Pipeline
from crmlab.simulate._population import _Population
from crmlab.simulate._tables import _Tables


class _Simulation(_Population, _MonthlyProcess, _Tables, _CRM, _CRMTables, _Pipeline):
    """State of one run (kept private: the tables are the interface). :meth:`run` calls
    the three parts in order; every random draw comes from ``rng`` in a fixed order, so a
    seed gives the same tables bit for bit."""

    def __init__(self, rng: np.random.Generator, n: int, market: str):
        self.rng, self.n, self.market = rng, n, market
        self.mk = _MARKET[market]

    def run(self) -> dict[str, pd.DataFrame]:
        self._traits()
        self._acquisition()
        self._crm_setup()  # CRM hooks (sim-crm)
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
        mentions = self._mentions()
        pipeline = self._pipeline()
        truth = self._truth()
        tables = {
            "customers": customers,
            "orders": orders,
            "incidents": incidents,
            "contacts": contacts,
            "referrals": referrals,
            "churn": churn,
            "survey": survey,
            "mentions": mentions,
            "pipeline": pipeline,
            "products": PRODUCTS.copy(),
            "costs": COSTS.copy(),
            "market_prices": self._market_prices(),
            "truth": truth,
        }
        tables.update(self._crm_tables(tables))  # CRM hooks (sim-crm)
        tables["truth_effects"] = pd.concat(
            [self._behaviour_effects(), self._crm_effects()], ignore_index=True
        )
        return tables
