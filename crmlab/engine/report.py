"""``crmlab report``: the workbook's customer tables and a short summary for a user's own
order log, on DuckDB or Spark, without loading the log into memory."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import numpy as np
import pandas as pd

from crmlab import btyd
from crmlab.engine import _checks, backends, customers, tables

__all__ = ["report", "Report", "predict_triples"]

#: Defaults of :func:`crmlab.value.clv_bgnbd`: 12 monthly periods, 0.8% a month.
PERIODS, PERIOD_WEEKS, DISCOUNT_RATE = 12, 52 / 12, 0.008


@dataclass
class Report:
    """What :func:`report` computed: the figures of ``summary.txt`` and the files."""

    figures: dict
    files: list[Path] = field(default_factory=list)

    def __str__(self) -> str:
        return _text(self.figures)


def _printer(stream=None) -> Callable[[str], None]:
    start = time.perf_counter()

    def show(message: str) -> None:
        print(f"[{time.perf_counter() - start:7.1f} s] {message}", file=stream or sys.stderr)

    return show


def predict_triples(
    triples: pd.DataFrame,
    bgnbd: btyd.BGNBDResult,
    *,
    periods: int = PERIODS,
    period_length: float = PERIOD_WEEKS,
    discount_rate: float = DISCOUNT_RATE,
) -> pd.DataFrame:
    """P(alive), expected purchases over ``periods`` and the discounted expected purchases
    (the factor of :func:`crmlab.value.clv_bgnbd` before spend and margin) for each
    distinct (frequency, recency, T): computed once per triple, not per customer."""
    x, t_x, big_t = (triples[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    cum = np.vstack(
        [bgnbd.expected_purchases(k * period_length, x, t_x, big_t) for k in range(1, periods + 1)]
    )
    per = np.diff(np.vstack([np.zeros_like(x), cum]), axis=0)
    disc = (1 + discount_rate) ** -np.arange(1, periods + 1)
    out = triples[["frequency", "recency", "T"]].copy()
    out["p_alive"] = bgnbd.p_alive(x, t_x, big_t)
    out["expected_purchases"] = cum[-1]
    out["discounted_purchases"] = disc @ per
    return out


def report(
    path: str | Path,
    out: str | Path,
    *,
    engine: str = "duckdb",
    as_of: object = None,
    memory_limit: str | None = None,
    customer_id: str = "customer_id",
    order_date: str = "order_date",
    amount: str = "amount",
    is_return: str | None = "is_return",
    con=None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Customer tables and a summary for the order log at ``path``, written to ``out``.

    Files: ``rfm.parquet`` (per customer: RFM, scores, segment, rank, value tier, ABC
    class), ``btyd.parquet`` (per customer: the BG/NBD summary, P(alive), expected
    purchases in the next 12 months, expected spend per purchase, CLV over 12 months
    at 0.8% a month, as :func:`crmlab.value.clv_bgnbd`), ``summary.txt`` and
    ``summary.json`` (customers, revenue and its concentration, tiers, the fits).
    Return lines (``is_return``) count in revenue, not as purchases; the BTYD summary
    uses purchase lines only, in weeks.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    KeyError
        If a column is missing (the message names it and lists the file's columns).
    ValueError
        If a column has the wrong type or bad values (named, with the first lines).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B", "A", "C"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
    ...                                   "2024-03-10", "2024-03-20"]),
    ...     "amount": [100.0, 50.0, 80.0, -30.0, 10.0],
    ...     "is_return": [False, False, False, True, False]})
    >>> orders.to_parquet(folder / "orders.parquet")
    >>> result = report(folder / "orders.parquet", folder / "out", progress=lambda m: None)
    >>> result.figures["n_customers"], result.figures["revenue"], result.figures["tiers"]["VIP"]
    (3, 210.0, {'n_customers': 1, 'revenue': 120.0})
    >>> sorted(p.name for p in (folder / "out").iterdir())
    ['btyd.parquet', 'rfm.parquet', 'summary.json', 'summary.txt']
    """
    show = progress or _printer()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    con = con if con is not None else backends.connect(engine, memory_limit=memory_limit)
    show(f"reading {path} on {con.name}")
    orders = backends.read(con, path)
    cols = dict(customer_id=customer_id, order_date=order_date, amount=amount)
    try:
        both = customers.customer_tables(orders, as_of=as_of, is_return=is_return, **cols)
    except KeyError as err:
        raise KeyError(
            f"{err.args[0]} Name your columns with --customer-id, --order-date, --amount and "
            "--is-return (the keywords customer_id=, order_date=, amount=, is_return=)."
        ) from err
    n_customers = both.lines[customer_id].nunique().to_pandas()
    figures: dict = {
        "file": str(path),
        "engine": con.name,
        "as_of": _checks.show_date(both.as_of),
        "n_lines": both.n_lines,
        "n_customers": int(n_customers),
    }
    show(f"checked {figures['n_lines']:,} lines of {figures['n_customers']:,} customers")

    tiers = both.rfm.cache()
    rfm_file = out / "rfm.parquet"
    backends.to_pandas(tiers, index=customer_id).to_parquet(rfm_file)
    figures.update(_concentration(tiers))
    show(f"RFM, scores and value tiers of {figures['n_buyers']:,} buyers -> {rfm_file}")

    summary = both.summary.cache()
    triples = tables.pooled_summary(summary).to_pandas()
    show(f"BTYD summary: {len(triples):,} distinct (frequency, recency, T); fitting BG/NBD")
    bg = btyd.fit_bgnbd(triples, weight="n_customers")
    figures["bgnbd"] = {**bg.params.to_dict(), "converged": bg.converged}
    spend = tables.pooled_summary(
        summary, columns=("frequency", "monetary_value"), repeat_only=True
    ).to_pandas()
    spend = spend[spend["monetary_value"] > 0]
    show(f"fitting Gamma-Gamma on {len(spend):,} distinct (frequency, spend)")
    try:
        gg = btyd.fit_gamma_gamma(spend, weight="n_customers")
    except ValueError as err:  # too few repeat buyers: report the rest, say why
        gg, figures["gamma_gamma"] = None, {"not fitted": str(err)}
        show(f"Gamma-Gamma not fitted ({err}): no spend or CLV per customer")
    else:
        figures["gamma_gamma"] = {**gg.params.to_dict(), "converged": gg.converged}

    show("expected purchases" + (" and CLV" if gg is not None else "") + " per customer")
    pred = predict_triples(triples, bg)
    joined = summary.join(ibis.memtable(pred), ["frequency", "recency", "T"])
    cols = [customer_id, "frequency", "recency", "T", "monetary_value"]
    cols += ["p_alive", "expected_purchases"]
    extra = {}
    if gg is not None:
        p, q, g = gg.p, gg.q, gg.gamma
        x, m = joined.frequency.cast("float64"), joined.monetary_value
        expected_spend = (p * g + p * x * m) / (p * x + q - 1)
        extra = {
            "expected_spend": expected_spend,
            "clv": joined.discounted_purchases * expected_spend,
        }
    values = backends.to_pandas(joined.select(*cols, **extra), index=customer_id)
    btyd_file = out / "btyd.parquet"
    values.to_parquet(btyd_file)
    figures["expected_purchases_12m"] = float(values["expected_purchases"].sum())
    if gg is not None:
        figures["clv_12m_total"] = float(values["clv"].sum())
        figures["clv_12m_mean"] = float(values["clv"].mean())
    (out / "summary.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    (out / "summary.txt").write_text(_text(figures))
    files = [rfm_file, btyd_file, out / "summary.txt", out / "summary.json"]
    show(f"done: {', '.join(str(f) for f in files)}")
    return Report(figures, files)


def _concentration(tiers: ibis.Table) -> dict:
    n = int(tiers.count().execute())
    k = int(np.ceil(round(0.2 * n, 9)))
    agg = tiers.aggregate(
        revenue=tiers.revenue.sum(),
        top20=tiers.value_share.max(where=tiers["rank"] <= k),
        weighted=((n + 1 - tiers["rank"]) * ibis.greatest(tiers.revenue, 0)).sum(),
        positive=ibis.greatest(tiers.revenue, 0).sum(),
    ).to_pandas()
    by_tier = (
        tiers.group_by("tier")
        .aggregate(n_customers=tiers.count(), revenue=tiers.revenue.sum())
        .to_pandas()
    )
    total = float(agg["revenue"].iloc[0])
    positive = float(agg["positive"].iloc[0])
    gini = 2 * float(agg["weighted"].iloc[0]) / (n * positive) - (n + 1) / n
    order = {t: i for i, t in enumerate(tables.TIERS)}
    by_tier = by_tier.sort_values("tier", key=lambda s: s.map(order))
    return {
        "n_buyers": int(n),
        "revenue": total,
        "top_20_share": float(agg["top20"].iloc[0]),
        "gini": round(gini, 12),
        "tiers": {
            row.tier: {"n_customers": int(row.n_customers), "revenue": float(row.revenue)}
            for row in by_tier.itertuples()
        },
    }


def _sig(value: float, digits: int = 4) -> str:
    """``value`` to ``digits`` significant digits, with thousands separators."""
    if value == 0 or not np.isfinite(value):
        return f"{value:g}"
    places = digits - 1 - int(np.floor(np.log10(abs(value))))
    return f"{round(value, places):,.{max(places, 0)}f}"


def _text(f: dict) -> str:
    lines = [
        f"crmlab report of {f['file']} (engine {f['engine']}, as of {f['as_of']})",
        "",
        f"order lines        {f['n_lines']:>14,}",
        f"customers          {f['n_customers']:>14,}   (with a purchase line: {f['n_buyers']:,})",
        f"revenue            {f['revenue']:>14,.2f}",
        f"top 20% of buyers hold {f['top_20_share']:.1%} of revenue; Gini {f['gini']:.4f}",
        "",
        "value tiers (客户价值金字塔)   customers        revenue",
    ]
    for tier, row in f["tiers"].items():
        lines.append(f"  {tier:<26} {row['n_customers']:>10,} {row['revenue']:>14,.2f}")
    bg, gg = f["bgnbd"], f["gamma_gamma"]
    lines += [
        "",
        f"BG/NBD (weeks): r {bg['r']:.4f}, alpha {bg['alpha']:.4f}, a {bg['a']:.4f}, "
        f"b {bg['b']:.4f}{'' if bg['converged'] else ' (NOT converged)'}",
        f"expected purchases in the next 12 months: {_sig(f['expected_purchases_12m'])}",
    ]
    if "not fitted" in gg:
        lines.append(f"Gamma-Gamma not fitted: {gg['not fitted']} (no CLV)")
    else:
        lines += [
            f"Gamma-Gamma: p {gg['p']:.4f}, q {gg['q']:.4f}, gamma {gg['gamma']:.4f}"
            f"{'' if gg['converged'] else ' (NOT converged)'}",
            f"CLV over 12 months (0.8% a month, margin 100%): total {_sig(f['clv_12m_total'])},"
            f" mean {_sig(f['clv_12m_mean'])} per customer (model figures, 4 significant "
            "digits)",
        ]
    lines.append("")
    return "\n".join(lines)
