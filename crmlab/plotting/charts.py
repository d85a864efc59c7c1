"""The course's recurring charts, drawn so that their labels fit and can be read.

Each function draws on a given matplotlib Axes and returns what it drew; the notebooks add
titles and captions. The rules come from Wilke's *Fundamentals of Data Visualization*
(2019): a label goes inside its bar only when it fits, otherwise beside it; text on a
coloured background is black or white, whichever contrasts more (WCAG 2.1 contrast
ratio); ordered classes get a sequential palette; a log axis shows plain numbers (0.5, 1,
2); a reference line is labelled where it is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps, ticker
from matplotlib.axes import Axes
from matplotlib.colors import Normalize, to_hex, to_rgba
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import blended_transform_factory, offset_copy

from crmlab.plotting._style import PALETTE

__all__ = [
    "relative_luminance",
    "contrast_ratio",
    "text_colour",
    "sequential_colours",
    "label_bars",
    "funnel_chart",
    "value_pyramid",
    "forest_plot",
    "annotated_heatmap",
    "kaplan_meier_plot",
    "lorenz_plot",
]

#: Colour of a label drawn beside its bar, on the white background.
OUTSIDE_COLOUR = "#222222"
#: A label fits inside its bar when it needs at most this share of the bar's width and
#: height: the rest is room for the layout to shrink the axes a little after drawing.
_FIT_SHARE = 0.9


def _renderer(fig):
    """The renderer a figure is drawn with, after laying it out."""
    fig.draw_without_rendering()
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def _blend_on_white(colour) -> tuple[float, float, float]:
    r, g, b, a = to_rgba(colour)
    return (r * a + 1 - a, g * a + 1 - a, b * a + 1 - a)


def relative_luminance(colour) -> float:
    """Relative luminance of a colour as WCAG 2.1 defines it (0 black, 1 white).

    Each sRGB channel c in [0, 1] is linearised (c / 12.92 up to 0.04045, else
    ((c + 0.055) / 1.055) ** 2.4), then L = 0.2126 R + 0.7152 G + 0.0722 B. A colour with
    transparency is first laid over white, as it is on the page.

    Parameters
    ----------
    colour : matplotlib colour
        Name, hex string or RGB(A) tuple.

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    ValueError
        If ``colour`` is not a colour matplotlib understands.

    Examples
    --------
    >>> relative_luminance("white"), relative_luminance("black")
    (1.0, 0.0)
    >>> round(relative_luminance("#0072B2"), 3)  # Okabe-Ito blue
    0.152
    """
    rgb = np.asarray(_blend_on_white(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(np.dot([0.2126, 0.7152, 0.0722], linear))


def contrast_ratio(colour_a, colour_b) -> float:
    """WCAG 2.1 contrast ratio (L_light + 0.05) / (L_dark + 0.05), from 1 to 21.

    WCAG level AA asks 4.5 for normal text, 3 for large text.

    Parameters
    ----------
    colour_a, colour_b : matplotlib colour

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If either is not a colour.

    Examples
    --------
    >>> contrast_ratio("black", "white")
    21.0
    >>> round(contrast_ratio("white", "#0072B2"), 2)
    5.19
    """
    la, lb = relative_luminance(colour_a), relative_luminance(colour_b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_colour(background, *, dark: str = "black", light: str = "white") -> str:
    """Black or white text, whichever contrasts more with ``background``.

    The two ratios are equal at a luminance of about 0.179, so one of them is always at
    least 4.58 (WCAG AA for normal text).

    Parameters
    ----------
    background : matplotlib colour
    dark, light : str
        The two candidate text colours.

    Returns
    -------
    str
        ``dark`` or ``light``.

    Raises
    ------
    ValueError
        If a colour is not understood.

    Examples
    --------
    >>> text_colour("#08306B")  # the darkest blue of "Blues"
    'white'
    >>> text_colour("#FFF7BC")  # a pale yellow
    'black'
    """
    if contrast_ratio(background, light) >= contrast_ratio(background, dark):
        return light
    return dark


def sequential_colours(
    n: int, cmap: str = "Blues", *, lightest: float = 0.3, darkest: float = 0.95
) -> list[str]:
    """``n`` colours of a sequential colour map, lightest first: one per ordered class.

    Parameters
    ----------
    n : int
        Number of classes (at least 1).
    cmap : str
        A sequential matplotlib colour map ("Blues", "Greens", "YlOrRd", ...).
    lightest, darkest : float
        Where on the map the first and the last colour sit (0-1); 0.3 keeps the lightest
        class visible on white.

    Returns
    -------
    list of str
        Hex colours.

    Raises
    ------
    ValueError
        If ``n < 1`` or the positions are not in [0, 1] with lightest < darkest.
    KeyError
        If ``cmap`` is not a colour map.

    Examples
    --------
    >>> sequential_colours(3, "Greys", lightest=0, darkest=1)
    ['#ffffff', '#959595', '#000000']
    """
    if int(n) < 1:
        raise ValueError(f"n must be at least 1, got {n!r}.")
    if not 0 <= lightest < darkest <= 1:
        raise ValueError(f"need 0 <= lightest < darkest <= 1, got {lightest!r}, {darkest!r}.")
    cm = colormaps[cmap]
    return [to_hex(cm(x)) for x in np.linspace(lightest, darkest, int(n))]


def label_bars(
    ax: Axes,
    bars: Sequence[Rectangle],
    texts: Sequence[str],
    *,
    fontsize: float = 9,
    pad_points: float = 3,
) -> list[Text]:
    """Label horizontal bars inside when the text fits, beside the bar's right end when not.

    A label inside is centred and black or white by :func:`text_colour` of the bar; a
    label beside is dark grey on the background. Whether it fits is measured on the drawn
    figure (the text may use :data:`_FIT_SHARE` of the bar's width and height). Labels
    take no part in the layout, and the x axis is widened when a label beside a bar would
    pass the right edge.

    Parameters
    ----------
    ax : matplotlib Axes
    bars : sequence of Rectangle
        The bars, e.g. the container ``ax.barh`` returns.
    texts : sequence of str
        One label per bar.
    fontsize, pad_points : float
        Text size, and the gap between a bar's end and a label beside it (points).

    Returns
    -------
    list of matplotlib Text
        The labels, in the order of ``bars``.

    Raises
    ------
    ValueError
        If ``bars`` and ``texts`` differ in length.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(4, 2))
    >>> bars = ax.barh([0, 1], [100, 4], color="#08306B")
    >>> ax.set_xlim(0, 110)
    (0.0, 110.0)
    >>> labels = label_bars(ax, bars, ["a long label, 100", "4 customers"])
    >>> [(t.get_ha(), t.get_color()) for t in labels]  # inside in white; beside in grey
    [('center', 'white'), ('left', '#222222')]
    >>> plt.close(fig)
    """
    bars, texts = list(bars), list(texts)
    if len(bars) != len(texts):
        raise ValueError(f"{len(bars)} bars but {len(texts)} labels: give one label per bar.")
    fig = ax.figure
    placed: list[Text] = []
    for bar, text in zip(bars, texts, strict=True):
        x, y = bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2
        t = ax.text(
            x, y, text, ha="center", va="center", fontsize=fontsize,
            color=text_colour(bar.get_facecolor()),
        )  # fmt: skip
        t.set_in_layout(False)
        placed.append(t)
    renderer = _renderer(fig)
    outside = []
    for bar, t in zip(bars, placed, strict=True):
        box, room = t.get_window_extent(renderer), bar.get_window_extent(renderer)
        if box.width <= _FIT_SHARE * room.width and box.height <= _FIT_SHARE * room.height:
            continue
        end = bar.get_x() + bar.get_width()
        t.set_position((end, bar.get_y() + bar.get_height() / 2))
        t.set_ha("left")
        t.set_color(OUTSIDE_COLOUR)
        t.set_transform(offset_copy(ax.transData, fig=fig, x=pad_points, units="points"))
        outside.append(t)
    if outside:
        renderer = _renderer(fig)
        right = max(t.get_window_extent(renderer).x1 for t in outside)
        axes_box = ax.get_window_extent(renderer)
        if right > axes_box.x1:
            lo, hi = ax.get_xlim()
            per_pixel = (hi - lo) / axes_box.width
            ax.set_xlim(lo, hi + (right - axes_box.x1 + 4) * per_pixel * 1.1)
    return placed


def _strip_frame(ax: Axes) -> None:
    ax.set_xticks([])
    ax.grid(False)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)


def funnel_chart(
    ax: Axes,
    counts: Sequence[float],
    stages: Sequence[str],
    *,
    conversion: Sequence[float] | None = None,
    colour: str = PALETTE[0],
    fontsize: float = 9,
) -> list[Text]:
    """Draw a sales funnel (销售漏斗): one centred bar per stage, the first on top.

    Each bar's width is the stage's count; its label is the count and, from the second
    stage on, the conversion from the stage before ("8,406 (40%)"), inside the bar when
    it fits and beside it when not (:func:`label_bars`).

    Parameters
    ----------
    ax : matplotlib Axes
    counts : sequence of float
        Customers (or deals) per stage, first stage first.
    stages : sequence of str
        Stage names, shown on the y axis.
    conversion : sequence of float, optional
        Share of the stage before that reached each stage (NaN or None for the first);
        default counts[i] / counts[i - 1].
    colour : str
        Bar colour.
    fontsize : float
        Label size.

    Returns
    -------
    list of matplotlib Text
        The bar labels, first stage first.

    Raises
    ------
    ValueError
        If the lengths differ, there are no stages, or a count is negative or missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(5, 3))
    >>> [t.get_text() for t in funnel_chart(ax, [80, 30, 16, 10], list("abcd"))]
    ['80', '30 (38%)', '16 (53%)', '10 (62%)']
    >>> plt.close(fig)
    """
    n = np.asarray(counts, dtype=float)
    if n.size == 0 or n.size != len(stages):
        raise ValueError(f"counts ({n.size}) and stages ({len(stages)}) must be equally long.")
    if np.isnan(n).any() or (n < 0).any():
        raise ValueError(f"counts must be non-negative numbers, got {n.tolist()}.")
    if conversion is None:
        conv = np.r_[np.nan, n[1:] / np.where(n[:-1] > 0, n[:-1], np.nan)]
    else:
        conv = np.array([np.nan if c is None else c for c in conversion], dtype=float)
        if conv.size != n.size:
            raise ValueError(f"conversion has {conv.size} values for {n.size} stages.")
    y = np.arange(n.size)[::-1]
    bars = ax.barh(y, n, left=-n / 2, height=0.8, color=colour)
    texts = [
        f"{ni:,.0f}" + ("" if np.isnan(ci) else f" ({ci:.0%})")
        for ni, ci in zip(n, conv, strict=True)
    ]
    ax.set_yticks(y, list(stages))
    half = n.max() / 2 if n.max() > 0 else 1
    ax.set_xlim(-half * 1.02, half * 1.02)
    _strip_frame(ax)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return label_bars(ax, bars, texts, fontsize=fontsize)


def value_pyramid(
    ax: Axes,
    share_customers: Sequence[float],
    share_value: Sequence[float],
    names: Sequence[str],
    *,
    colours: Sequence[str] | None = None,
    fontsize: float = 9,
) -> list[Text]:
    """Draw the customer value pyramid (客户价值金字塔), top tier on top.

    One centred bar per tier, its width the tier's share of customers on a square-root
    scale (so a 1% top tier stays visible), labelled "share of customers, share of value"
    inside when it fits and beside when not. Tiers are ordered, so the default colours
    are sequential: the most valuable tier darkest.

    Parameters
    ----------
    ax : matplotlib Axes
    share_customers, share_value : sequence of float
        Per tier, top tier first; shares in [0, 1].
    names : sequence of str
        Tier names, top first.
    colours : sequence of str, optional
        One per tier, top first; default :func:`sequential_colours` (Blues), darkest on top.
    fontsize : float
        Label size.

    Returns
    -------
    list of matplotlib Text
        The labels, top tier first.

    Raises
    ------
    ValueError
        If lengths differ or a share is outside [0, 1].

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> texts = value_pyramid(ax, [0.2, 0.8], [0.6, 0.4], ["top", "rest"])
    >>> texts[1].get_text()
    'rest\\n80% of customers, 40% of value'
    >>> plt.close(fig)
    """
    sn = np.asarray(share_customers, dtype=float)
    sv = np.asarray(share_value, dtype=float)
    if not (sn.size == sv.size == len(names)) or sn.size == 0:
        raise ValueError(
            f"share_customers ({sn.size}), share_value ({sv.size}) and names ({len(names)}) "
            "must be equally long and not empty."
        )
    for what, s in (("share_customers", sn), ("share_value", sv)):
        if np.isnan(s).any() or (s < 0).any() or (s > 1).any():
            raise ValueError(f"{what} must be shares in [0, 1], got {s.tolist()}.")
    colours = list(colours) if colours is not None else sequential_colours(sn.size)[::-1]
    if len(colours) != sn.size:
        raise ValueError(f"{len(colours)} colours for {sn.size} tiers.")
    width = np.sqrt(sn)
    y = np.arange(sn.size)[::-1]
    bars = ax.barh(y, width, left=-width / 2, height=0.9, color=colours)
    texts = [
        f"{name}\n{a:.0%} of customers, {b:.0%} of value"
        for name, a, b in zip(names, sn, sv, strict=True)
    ]
    ax.set_yticks([])
    ax.set_xlim(-0.55, 0.55)
    _strip_frame(ax)
    return label_bars(ax, bars, texts, fontsize=fontsize)


def _plain_log_ticks(lo: float, hi: float) -> list[float]:
    """At least three 'round' ticks between lo and hi (> 0) for a log axis."""
    decades = range(int(np.floor(np.log10(lo))) - 1, int(np.ceil(np.log10(hi))) + 1)
    for mantissas in ((1, 2, 5), (1, 1.5, 2, 3, 5, 7), (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8)):
        ticks = [m * 10.0**d for d in decades for m in mantissas]
        inside = [round(t, 10) for t in ticks if lo <= t <= hi]
        if len(inside) >= 3:
            return inside
    return inside


def forest_plot(
    ax: Axes,
    estimate: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    labels: Sequence[str],
    *,
    reference: float = 1.0,
    reference_label: str = "1 = no effect",
    colour: str = PALETTE[0],
) -> Axes:
    """Draw ratios (hazard or odds ratios) with their intervals on a log axis, first on top.

    The x axis is logarithmic (a ratio of 2 and one of 0.5 lie equally far from 1) with
    plain tick labels (0.2, 0.5, 1, 2), no minor labels; the reference line at
    ``reference`` is labelled at its top. The y axis has one row per ratio.

    Parameters
    ----------
    ax : matplotlib Axes
    estimate, lower, upper : sequence of float
        Ratios and interval ends, all > 0.
    labels : sequence of str
        Row names, shown on the y axis (first at the top).
    reference : float
        Where "no effect" is.
    reference_label : str
        Its label.
    colour : str
        Marker colour.

    Returns
    -------
    matplotlib Axes
        ``ax``.

    Raises
    ------
    ValueError
        If lengths differ, a value is not positive, or an interval does not hold its
        estimate.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = forest_plot(ax, [0.4, 1.3], [0.3, 1.1], [0.55, 1.6], ["a", "b"])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['0.3', '0.5', '0.7', '1', '1.5']
    >>> plt.close(fig)
    """
    est, lo, hi = (np.asarray(v, dtype=float) for v in (estimate, lower, upper))
    if not (est.size == lo.size == hi.size == len(labels)) or est.size == 0:
        raise ValueError("estimate, lower, upper and labels must be equally long and not empty.")
    values = np.r_[est, lo, hi]
    if np.isnan(values).any() or (values <= 0).any():
        raise ValueError(f"ratios and their intervals must be positive numbers: {values.tolist()}.")
    bad = np.flatnonzero((lo > est) | (hi < est))
    if bad.size:
        raise ValueError(
            f"rows {[labels[i] for i in bad]}: the interval does not hold its estimate."
        )
    y = np.arange(est.size)[::-1]
    ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color=colour, capsize=0)
    ax.axvline(reference, color="grey", lw=0.8)
    ax.set_xscale("log")
    left, right = min(lo.min(), reference) / 1.15, max(hi.max(), reference) * 1.15
    ax.set_xlim(left, right)
    ax.xaxis.set_major_locator(ticker.FixedLocator(_plain_log_ticks(left, right)))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_yticks(y, list(labels))
    ax.set_ylim(-0.7, est.size - 0.3 + 0.6)  # room at the top for the reference label
    ax.grid(False, axis="y")
    ax.annotate(
        reference_label,
        xy=(reference, 1),
        xycoords=blended_transform_factory(ax.transData, ax.transAxes),
        xytext=(3, -2),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color="grey",
    )
    return ax


def annotated_heatmap(
    ax: Axes,
    values: pd.DataFrame,
    *,
    annotations: pd.DataFrame | None = None,
    fmt: str = "{:.0%}",
    cmap: str = "Blues",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str | None = None,
    fontsize: float = 9,
) -> tuple[AxesImage, list[Text]]:
    """A heat map of ``values`` with one number per cell, in black or white by the cell.

    Each cell's text colour is :func:`text_colour` of the colour the map gives the cell,
    so a dark cell gets white text and a light one black. Rows and columns are labelled
    with the frame's index and columns.

    Parameters
    ----------
    ax : matplotlib Axes
    values : DataFrame
        The numbers that colour the cells.
    annotations : DataFrame, optional
        What to write in each cell (same shape); default ``values``. Numbers are formatted
        with ``fmt``; strings are written as they are.
    fmt : str
        ``str.format`` pattern for numbers.
    cmap : str
        A sequential colour map.
    vmin, vmax : float, optional
        The colour scale's ends; default the data's.
    colorbar_label : str, optional
        If given, a colour bar with this label is drawn.
    fontsize : float
        Cell text size.

    Returns
    -------
    (AxesImage, list of Text)
        The image and the cell texts, row by row.

    Raises
    ------
    ValueError
        If ``annotations`` has another shape than ``values``, or ``values`` is empty.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> frame = pd.DataFrame([[0.0, 1.0]], index=["r"], columns=["a", "b"])
    >>> _, texts = annotated_heatmap(ax, frame)
    >>> [(t.get_text(), t.get_color()) for t in texts]
    [('0%', 'black'), ('100%', 'white')]
    >>> plt.close(fig)
    """
    if values.size == 0:
        raise ValueError("values is empty: nothing to draw.")
    notes = values if annotations is None else annotations
    if notes.shape != values.shape:
        raise ValueError(f"annotations has shape {notes.shape}, values {values.shape}.")
    data = values.to_numpy(dtype=float)
    norm = Normalize(
        vmin=np.nanmin(data) if vmin is None else vmin,
        vmax=np.nanmax(data) if vmax is None else vmax,
    )
    cm = colormaps[cmap]
    image = ax.imshow(data, cmap=cm, norm=norm, aspect="auto")
    texts = []
    for (i, j), v in np.ndenumerate(data):
        note = notes.iat[i, j]
        text = note if isinstance(note, str) else fmt.format(note)
        colour = "black" if np.isnan(v) else text_colour(cm(norm(v)))
        texts.append(ax.text(j, i, text, ha="center", va="center", color=colour, fontsize=fontsize))
    ax.set_xticks(range(values.shape[1]), [str(c) for c in values.columns])
    ax.set_yticks(range(values.shape[0]), [str(r) for r in values.index])
    ax.grid(False)
    if colorbar_label is not None:
        ax.figure.colorbar(image, ax=ax, label=colorbar_label)
    return image, texts


def kaplan_meier_plot(
    ax: Axes,
    table: pd.DataFrame,
    *,
    min_at_risk: int = 10,
    colours: Mapping[str, str] | None = None,
    group: str = "group",
    time: str = "time",
    survival: str = "survival",
    lower: str = "lower",
    upper: str = "upper",
    at_risk: str = "at_risk",
) -> dict[str, float]:
    """Kaplan-Meier step curves with their confidence bands, one per group.

    At-risk aware: a curve stops at the last time at which at least ``min_at_risk``
    customers were still at risk (when ``table`` has an ``at_risk`` column), because
    beyond it each churn moves the curve by a large step that says little. The legend
    names each group with its number at the start.

    Parameters
    ----------
    ax : matplotlib Axes
    table : DataFrame
        Long table as :meth:`crmlab.survival.KaplanMeierResult.table`: one row per group
        and time, with survival and band, the first row of a group at time 0.
    min_at_risk : int
        Fewest customers at risk for a point to be drawn.
    colours : mapping, optional
        Group -> colour, to keep a group's colour across figures; default the palette.
    group, time, survival, lower, upper, at_risk : str
        Column names.

    Returns
    -------
    dict
        Group -> the last time drawn.

    Raises
    ------
    KeyError
        If a column is missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> tab = pd.DataFrame({"group": "a", "time": [0, 1, 2, 3],
    ...                     "survival": [1, 0.9, 0.8, 0.4], "lower": [1, 0.8, 0.6, 0.1],
    ...                     "upper": [1, 1, 0.9, 0.8], "at_risk": [50, 50, 12, 3]})
    >>> kaplan_meier_plot(ax, tab)  # the last step had 3 at risk: not drawn
    {'a': 2.0}
    >>> plt.close(fig)
    """
    needed = [group, time, survival, lower, upper]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise KeyError(f"table lacks the columns {missing}; it has {list(table.columns)}.")
    ends = {}
    for k, (g, part) in enumerate(table.groupby(group, sort=False)):
        part = part.sort_values(time)
        if at_risk in part.columns:
            keep = (part[at_risk] >= min_at_risk).to_numpy().copy()
            keep[0] = True
            part = part[keep]
        colour = (colours or {}).get(g, PALETTE[k % len(PALETTE)])
        n0 = (
            f" (n = {int(table.loc[table[group] == g, at_risk].max()):,})"
            if at_risk in part
            else ""
        )
        ax.step(part[time], part[survival], where="post", color=colour, label=f"{g}{n0}")
        ax.fill_between(
            part[time], part[lower], part[upper], step="post", alpha=0.15, color=colour, lw=0
        )
        ends[str(g)] = float(part[time].iloc[-1])
    ax.set_ylim(0, 1.02)
    return ends


def lorenz_plot(
    ax: Axes,
    curves: Mapping[str, pd.DataFrame],
    *,
    x: str = "customer_share",
    y: str = "value_share",
    equality_label: str = "equal shares (45° line)",
    colours: Mapping[str, str] | None = None,
) -> Axes:
    """Lorenz curves (洛伦兹曲线) with the 45° line of equal shares labelled on the line.

    The axes are square (equal aspect, 0-100% both ways) so the line of equality is
    drawn at 45° and its label, set along it, reads at the same angle.

    Parameters
    ----------
    ax : matplotlib Axes
    curves : mapping of str to DataFrame
        Legend label -> table with the customer share (smallest first) and value share,
        as :func:`crmlab.segment.lorenz_curve`.
    x, y : str
        Column names.
    equality_label : str
        Label of the 45° line.
    colours : mapping, optional
        Label -> colour.

    Returns
    -------
    matplotlib Axes
        ``ax``.

    Raises
    ------
    KeyError
        If a table lacks a column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> curve = pd.DataFrame({"customer_share": [0, 0.5, 1], "value_share": [0, 0.2, 1]})
    >>> ax = lorenz_plot(ax, {"all": curve})
    >>> ax.texts[0].get_text(), ax.texts[0].get_rotation()
    ('equal shares (45° line)', 45.0)
    >>> plt.close(fig)
    """
    for k, (name, curve) in enumerate(curves.items()):
        missing = [c for c in (x, y) if c not in curve.columns]
        if missing:
            raise KeyError(f"curve {name!r} lacks the columns {missing}.")
        colour = (colours or {}).get(name, PALETTE[k % len(PALETTE)])
        ax.plot(curve[x], curve[y], color=colour, label=name)
    ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--")
    ax.text(
        0.3, 0.3, equality_label, rotation=45, rotation_mode="anchor", ha="left", va="bottom",
        color="grey", fontsize=9,
        transform=offset_copy(ax.transData, fig=ax.figure, x=-2.1, y=2.1, units="points"),
    )  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    return ax
