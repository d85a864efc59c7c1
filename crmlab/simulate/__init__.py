"""A synthetic company whose truth is known: 华贸进出口 (Huamao Import & Export), a B2B
trading firm like the one of the course's textbook chapter ([CRM textbook]).

The firm sells four product lines to business customers in six export regions from
2022-01-01 to 2024-12-31. Every customer carries latent traits (loyalty type, price
elasticity, quality tolerance, purchase rate, spend level, satisfaction propensity,
switching cost, propensity to refer, credit risk). A monthly process turns them into
behaviour: orders at varying prices, returns, service incidents handled well or badly,
account-manager contacts, word of mouth (public mentions, referral leads), payments, a
yearly satisfaction survey (a panel) and churn by competing causes. Region, industry and
acquisition channel have documented effects (some exactly zero), listed with every other
true effect in ``truth_effects``. Nothing observable is written in: the 80/20 pattern, seasonality,
churn shares and survey mess all emerge from the model, so the course's rules of thumb
can be tested against it.

``simulate_company(seed, n_customers)`` returns a dict of DataFrames; ``truth`` holds the
latent variables so a student can check whether a method recovers them. The datasheet
``datasets/company.md`` documents every table, column and rate.

Run ``python -m crmlab.simulate --out datasets/ --force`` (or ``make simulate``) to
regenerate the committed files bit for bit.

The run is split into parts: ``_params`` (the firm's constants), ``_population``
(traits, acquisition), ``_monthly`` (the 36 months), ``_tables`` (observable tables and
truth) and ``_run`` (one run in order).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crmlab._schema import (  # noqa: F401  (names re-exported for the tests and notebooks)
    CHURN_CAUSES,
    CHURN_TYPE_OF_CAUSE,
    MARKETS,
    STAGES,
    SURVEY_ITEMS,
    TABLE_SCHEMAS,
    apply_schema,
)
from crmlab._validate import require_int
from crmlab.simulate._params import (  # noqa: F401  (constants re-exported)
    _MARKET,
    COSTS,
    DEFAULT_N_CUSTOMERS,
    DEFAULT_SEED,
    END,
    INCIDENT_P_PER_ORDER,
    N_MONTHS,
    OUT_OF_RANGE_CODES,
    PRODUCTS,
    START,
    STATED_REASON_NOISE,
    SURVEY_MESS,
    TRUE_DRIVER_WEIGHTS,
)
from crmlab.simulate._run import _Simulation

__all__ = [
    "simulate_company",
    "write_company",
    "DEFAULT_SEED",
    "DEFAULT_N_CUSTOMERS",
    "MARKETS",
    "TRUE_DRIVER_WEIGHTS",
    "STATED_REASON_NOISE",
    "SURVEY_MESS",
]


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
        ``survey`` (yearly waves), ``mentions``, ``pipeline``, ``products``, ``costs``,
        ``market_prices``, ``truth`` and ``truth_effects`` (see ``datasets/company.md``).

    Raises
    ------
    ValueError
        If ``seed`` is not an int, ``n_customers`` < 50 or ``market`` unknown.

    Examples
    --------
    >>> company = simulate_company(seed=1, n_customers=200)
    >>> sorted(company)[:3]
    ['assignments', 'campaign_members', 'campaigns']
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
    ['assignments.csv.gz', 'campaign_members.csv.gz']
    """
    folder = Path(out) / "company"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = folder / f"{name}.csv.gz"
        frame.to_csv(
            path,
            index=False,  # dates as days, a timestamp (tickets' opened_at) with its time
            lineterminator="\n",
            compression={"method": "gzip", "mtime": 0, "compresslevel": 9},
        )
        paths.append(path)
    return paths
