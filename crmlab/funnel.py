"""Chapter 02, customer segmentation: the sales funnel (销售漏斗, [CRM slides]).

Conversion rates of a funnel (:func:`funnel_table`, the course's figures in
:data:`COURSE_FUNNEL`), the funnel of a pipeline table (:func:`pipeline_funnel`), the
contracts to expect from the opportunities open now (:func:`funnel_forecast`) and a
drawing (:func:`plot_funnel`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab._validate import (
    as_float_array,
    format_rows,
    require_columns,
    require_frame,
    require_numeric,
)

__all__ = [
    "COURSE_FUNNEL",
    "funnel_table",
    "pipeline_funnel",
    "funnel_forecast",
    "plot_funnel",
]


#: The course's sales funnel (销售漏斗, [CRM slides]): customers and forecast (万元) per stage.
COURSE_FUNNEL = pd.DataFrame(
    {
        "stage": ["contact", "intention", "negotiation", "contract"],
        "zh": ["初步接触", "意向", "谈判", "签约"],
        "n_customers": [80, 30, 16, 10],
        "forecast": [1125.0, 318.0, 168.0, 108.0],
    }
).set_index("stage")


def funnel_table(
    n_customers: Sequence[float],
    forecast: Sequence[float] | None = None,
    *,
    stages: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Conversion rates of a sales funnel (销售漏斗).

    With ``n_s`` customers reaching stage ``s``: ``stage_conversion = n_s / n_(s-1)``
    (NaN for the first stage), ``cumulative_conversion = n_s / n_0``, ``win_rate =
    n_last / n_s`` (chance that an opportunity at ``s`` ends in a contract); with a
    forecast ``v_s``, also ``forecast_per_customer = v_s / n_s`` and ``forecast_conversion
    = v_s / v_(s-1)``. Counts must not increase from stage to stage.

    Parameters
    ----------
    n_customers : sequence of float
        Opportunities reaching each stage, not increasing.
    forecast : sequence of float, optional
        Forecast value per stage.
    stages : sequence of str, optional
        Stage names; default ``stage_1``, ``stage_2``, ...

    Returns
    -------
    DataFrame
        Index stage; ``n_customers``, ``stage_conversion``, ``cumulative_conversion``,
        ``win_rate``, and with a forecast ``forecast``, ``forecast_per_customer``,
        ``forecast_conversion``.

    Raises
    ------
    ValueError
        If a count is not positive, counts increase from stage to stage, or the forecast
        has another number of stages.

    Examples
    --------
    The course's figures: 30/80 = 0.375, 16/30 = 0.533, 10/16 = 0.625, 10/80 = 0.125.

    >>> funnel_table([80, 30, 16, 10], [1125, 318, 168, 108])["stage_conversion"].round(3).tolist()
    [nan, 0.375, 0.533, 0.625]
    """
    n = as_float_array(n_customers, "n_customers")
    if (n <= 0).any() or (np.diff(n) > 0).any():
        raise ValueError(
            f"n_customers must be positive and not increase by stage, got {n.tolist()}."
        )
    stages = list(stages) if stages is not None else [f"stage_{i + 1}" for i in range(n.size)]
    out = pd.DataFrame({"n_customers": n}, index=pd.Index(stages, name="stage"))
    out["stage_conversion"] = np.concatenate([[np.nan], n[1:] / n[:-1]])
    out["cumulative_conversion"] = n / n[0]
    out["win_rate"] = n[-1] / n
    if forecast is not None:
        v = as_float_array(forecast, "forecast")
        if v.size != n.size:
            raise ValueError(f"forecast has {v.size} stages, n_customers {n.size}.")
        out["forecast"] = v
        out["forecast_per_customer"] = v / n
        out["forecast_conversion"] = np.concatenate([[np.nan], v[1:] / v[:-1]])
    return out


def pipeline_funnel(
    pipeline: pd.DataFrame,
    *,
    stage_reached: str = "stage_reached",
    forecast_value: str | None = "forecast_value",
    stages: Sequence[str] = ("contact", "intention", "negotiation", "contract"),
) -> pd.DataFrame:
    """The funnel of a pipeline table: an opportunity counts at every stage up to the one
    it reached; the forecast of a stage is the sum of ``forecast_value`` over those opportunities.
    Returns :func:`funnel_table`. Raises ``ValueError`` naming rows with an unknown stage.

    Parameters
    ----------
    pipeline : DataFrame
        One row per opportunity with the stage it reached.
    stage_reached : str
        Column of the stage reached.
    forecast_value : str or None
        Column of the forecast value; None for counts only.
    stages : sequence of str
        The stages in order.

    Returns
    -------
    DataFrame
        As :func:`funnel_table`.

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ``pipeline`` is empty, a stage is unknown (rows named) or the forecast is not
        numeric.

    Examples
    --------
    >>> p = pd.DataFrame({"stage_reached": ["contact", "contract", "intention", "contact"],
    ...                   "forecast_value": [1.0, 2.0, 3.0, 4.0]})
    >>> pipeline_funnel(p)[["n_customers", "forecast"]].to_dict("list")
    {'n_customers': [4.0, 2.0, 1.0, 1.0], 'forecast': [10.0, 5.0, 2.0, 2.0]}
    """
    require_frame(pipeline, "pipeline")
    require_columns(
        pipeline, [stage_reached] + ([forecast_value] if forecast_value else []), "pipeline"
    )
    codes = pd.Index(list(stages)).get_indexer(pipeline[stage_reached].astype(str))
    if (codes < 0).any():
        raise ValueError(
            f"column {stage_reached!r} has stages not in {list(stages)} in rows "
            f"{format_rows(pipeline.index[codes < 0])}."
        )
    counts = [(codes >= i).sum() for i in range(len(stages))]
    forecast = None
    if forecast_value:
        require_numeric(pipeline, forecast_value)
        v = pipeline[forecast_value].to_numpy(dtype=float)
        forecast = [v[codes >= i].sum() for i in range(len(stages))]
    return funnel_table(counts, forecast, stages=stages)


def funnel_forecast(funnel: pd.DataFrame, open_now: Sequence[float]) -> pd.DataFrame:
    """Expected contracts from the opportunities now at each stage:
    ``expected_contracts = open_now_s x win_rate_s`` (stage-to-contract conversion of
    ``funnel``, from :func:`funnel_table`).

    Parameters
    ----------
    funnel : DataFrame
        As from :func:`funnel_table` (needs ``win_rate``).
    open_now : sequence of float
        Opportunities now at each stage.

    Returns
    -------
    DataFrame
        Index stage; ``open_now``, ``win_rate``, ``expected_contracts``.

    Raises
    ------
    KeyError
        If ``funnel`` has no ``win_rate``.
    ValueError
        If ``open_now`` has another number of stages or a negative count.

    Examples
    --------
    With the course's funnel, 40 new contacts, 10 at intention, 4 in negotiation:
    40 x 0.125 + 10 x 1/3 + 4 x 0.625 = 5 + 3.33 + 2.5 = 10.83.

    >>> f = funnel_table([80, 30, 16, 10])
    >>> round(float(funnel_forecast(f, [40, 10, 4, 0])["expected_contracts"].sum()), 2)
    10.83
    """
    require_columns(funnel, ["win_rate"], "funnel")
    n = as_float_array(open_now, "open_now")
    if n.size != len(funnel) or (n < 0).any():
        raise ValueError(f"open_now needs {len(funnel)} counts >= 0, got {n.tolist()}.")
    return pd.DataFrame(
        {
            "open_now": n,
            "win_rate": funnel["win_rate"].to_numpy(),
            "expected_contracts": n * funnel["win_rate"].to_numpy(),
        },
        index=funnel.index,
    )


def plot_funnel(funnel: pd.DataFrame, ax=None, *, labels: Sequence[str] | None = None):
    """Draw a funnel: centred bars of width ``n_customers`` per stage, top to bottom,
    labelled with the count and the stage conversion, inside a bar when the label fits and
    beside it when not (:func:`crmlab.plotting.funnel_chart`). Returns the Axes.

    Parameters
    ----------
    funnel : DataFrame
        As from :func:`funnel_table`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if None.
    labels : sequence of str, optional
        Stage labels; default the index.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    KeyError
        If ``n_customers`` or ``stage_conversion`` is missing.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_funnel(funnel_table([80, 30, 16, 10]))
    >>> [t.get_text() for t in ax.texts][:2]
    ['80', '30 (38%)']
    """
    import matplotlib.pyplot as plt

    from crmlab.plotting import funnel_chart

    require_columns(funnel, ["n_customers", "stage_conversion"], "funnel")
    if ax is None:
        _, ax = plt.subplots()
    funnel_chart(
        ax,
        funnel["n_customers"].to_numpy(dtype=float),
        labels if labels is not None else [str(i) for i in funnel.index],
        conversion=funnel["stage_conversion"].to_numpy(dtype=float),
    )
    return ax
