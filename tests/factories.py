"""Hand-made tables shared by several test modules."""

from __future__ import annotations

import numpy as np
import pandas as pd


def hand_made_customer(elasticity=-1.5, n=12, seed=0, cid="A"):
    """A hand-made customer: two product lines, prices varied, log-normal noise."""
    rng = np.random.default_rng(seed)
    line = np.array(["x", "y"] * (n // 2))
    base = np.where(line == "x", 10.0, 40.0)
    price = np.round(base * (1 - rng.uniform(0, 0.2, n)), 2)
    qty = np.round(
        np.where(line == "x", 500, 80)
        * (price / base) ** elasticity
        * np.exp(rng.normal(0, 0.05, n))
    )
    return pd.DataFrame(
        {
            "customer_id": cid,
            "product_line": line,
            "unit_price": price,
            "quantity": qty,
            "is_return": False,
            "order_date": pd.date_range("2023-01-01", periods=n, freq="MS"),
            "quote_days": np.arange(n) % 5,
            "promotion": np.arange(n) % 4 == 0,
        }
    )
