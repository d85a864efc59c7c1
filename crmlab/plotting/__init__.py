"""Plotting for the notebooks: one house style with Chinese text that renders on a bare
machine (:mod:`._style`), the course's recurring charts drawn so that labels fit
(:mod:`.charts`), and a check that finds overlapping, escaping or hidden text in a figure
(:mod:`.check`).

Every notebook calls :func:`set_style` first. With the environment variable
``CRMLAB_CHECK_FIGURES=1`` (``make test`` sets it) it also makes IPython check every figure
a cell draws, so a notebook whose figure has colliding labels fails under nbval.
"""

from crmlab.plotting._style import (
    FONT_FAMILY,
    PALETTE,
    annotate_bars,
    bilingual,
    label,
    percent_axis,
    set_style,
    use_chinese_font,
)
from crmlab.plotting.charts import (
    annotated_heatmap,
    contrast_ratio,
    forest_plot,
    funnel_chart,
    kaplan_meier_plot,
    label_bars,
    lorenz_plot,
    relative_luminance,
    sequential_colours,
    text_colour,
    value_pyramid,
)
from crmlab.plotting.check import FigureCheckError, check_figure, install_figure_check

__all__ = [
    "FONT_FAMILY",
    "PALETTE",
    "FigureCheckError",
    "annotate_bars",
    "annotated_heatmap",
    "bilingual",
    "check_figure",
    "contrast_ratio",
    "forest_plot",
    "funnel_chart",
    "install_figure_check",
    "kaplan_meier_plot",
    "label",
    "label_bars",
    "lorenz_plot",
    "percent_axis",
    "relative_luminance",
    "sequential_colours",
    "set_style",
    "text_colour",
    "use_chinese_font",
    "value_pyramid",
]
