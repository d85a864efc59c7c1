"""Find what makes a figure hard to read: overlapping text, text outside the figure or its
bar, text without contrast on its background, a legend over the data.

:func:`check_figure` lays a figure out, measures every text that is drawn and returns the
problems as sentences. :func:`install_figure_check` makes IPython run it on every figure a
notebook cell draws and fail the cell on a problem; :func:`crmlab.plotting.set_style` calls
it when the environment variable ``CRMLAB_CHECK_FIGURES=1`` is set (``make test``), so the
nbval run fails on a bad figure without running any notebook twice.

Tolerances, so that only what a reader sees counts:

- A text's box is what matplotlib measures of its glyphs: as wide as the ink, and as tall
  as the line's ascent plus the font's descent, even for text without descenders (digits).
  So two boxes may overlap by 0.1 of the font size at top and bottom (the empty descent
  of "0.5" over the top of "1.0" is not a collision), while side by side two texts must
  be at least 0.2 of the font size apart: closer, "3×10⁻¹4×10⁻¹", they read as one word.
  Rotated text (45° tick labels) is compared as the rotated rectangle it is, not its
  upright bounding box, which would make every pair of neighbours collide.
- Only text that is drawn counts: tick labels outside the view, empty strings and hidden
  artists are left out. Tick labels are not compared with their axis line or grid.
- A bar label is a text of the axes whose centre lies on a bar; it must stay inside
  that bar (1 point of slack) and contrast with it by at least 4.5:1 (WCAG 2.1 level AA
  for normal text). A text whose centre lies on an image (a heat map cell) must contrast
  4.5:1 with that cell's colour.
- A legend covers data when the box of its entries (handles and texts, without the
  frame's padding) meets a plotted line, marker, bar or band drawn in data coordinates.
  Reference lines spanning the axes (``axhline``, ``axvline``, ``axhspan``) are not data.
- On an axis with a :class:`~matplotlib.ticker.PercentFormatter` (what
  :func:`crmlab.plotting.percent_axis` sets) each drawn tick label must read back as its
  tick's value, to 1e-6 of a percentage point: "8%" on a tick at 7.5% is a wrong label.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from matplotlib import rcParams, ticker
from matplotlib.axes import Axes
from matplotlib.cbook import STEP_LOOKUP_MAP
from matplotlib.collections import Collection, LineCollection, PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from crmlab.plotting.charts import contrast_ratio

__all__ = ["FigureCheckError", "check_figure", "install_figure_check"]

#: WCAG 2.1 level AA contrast for normal text.
MIN_CONTRAST = 4.5
#: Share of the font size taken off each side of a text box: vertically (the descent of
#: digits is empty), and horizontally (negative: a gap of 0.2 em is required).
_LEADING, _BEARING = 0.1, -0.1
#: Slack, in points, for "inside the figure" and "inside its bar".
_SLACK_POINTS = 1.0


class FigureCheckError(AssertionError):
    """A figure drawn in a notebook failed :func:`check_figure`."""


# ------------------------------------------------------------------ collecting the texts


def _short(text: str, n: int = 40) -> str:
    for code, plain in (("\\mathdefault", ""), ("\\times", "×"), ("$", ""), ("{", ""), ("}", "")):
        text = text.replace(code, plain)
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def _drawn_ticks(axis) -> list:
    # matplotlib's own choice of the ticks it draws (those inside the view interval)
    return list(axis._update_ticks())


def _axes_texts(ax: Axes) -> Iterator[tuple[Text, str]]:
    if ax.axison:
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if not axis.get_visible():
                continue
            for tick in _drawn_ticks(axis):
                for lab in (tick.label1, tick.label2):
                    yield lab, f"{name} tick label"
            yield axis.label, f"{name} axis label"
            yield axis.offsetText, f"{name} axis offset"
    for title in (ax.title, ax._left_title, ax._right_title):
        yield title, "title"
    for t in ax.texts:
        yield t, "text"
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        for t in legend.get_texts():
            yield t, "legend entry"
        yield legend.get_title(), "legend title"


def _figure_texts(fig: Figure) -> Iterator[tuple[Text, str]]:
    for ax in fig.axes:
        if ax.get_visible():
            yield from _axes_texts(ax)
    for t in fig.texts:
        yield t, "figure text"
    for attr, kind in (("_suptitle", "figure title"), ("_supxlabel", "x label"),
                       ("_supylabel", "y label")):  # fmt: skip
        t = getattr(fig, attr, None)
        if t is not None:
            yield t, kind
    for legend in fig.legends:
        for t in legend.get_texts():
            yield t, "legend entry"


def _is_drawn(t: Text, renderer) -> bool:
    if not t.get_visible() or not t.get_text().strip():
        return False
    if isinstance(t, Annotation) and not t._check_xy(renderer):
        return False  # an annotation whose point is outside the axes is not drawn
    return True


def _rectangle(t: Text, renderer) -> np.ndarray:
    """The four corners (pixels) of a text's box, rotated as drawn, less the empty leading."""
    box = t.get_window_extent(renderer)
    angle = np.deg2rad(t.get_rotation())
    c, s = abs(np.cos(angle)), abs(np.sin(angle))
    # upright size from the rotated bounding box: W = w c + h s, H = w s + h c
    if abs(c - s) > 1e-6:
        det = c * c - s * s
        w = (box.width * c - box.height * s) / det
        h = (box.height * c - box.width * s) / det
    else:  # 45°: the system is singular; measure the upright text instead
        rot = t.get_rotation()
        t.set_rotation(0)
        upright = t.get_window_extent(renderer)
        t.set_rotation(rot)
        w, h = upright.width, upright.height
    size = t.get_fontsize() * t.figure.dpi / 72
    w = max(w - 2 * _BEARING * size, 1.0)
    h = max(h - 2 * _LEADING * size, 1.0)
    centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
    ux = np.array([np.cos(angle), np.sin(angle)])
    uy = np.array([-np.sin(angle), np.cos(angle)])
    return np.array([centre + a * w / 2 * ux + b * h / 2 * uy for a, b in
                     ((-1, -1), (1, -1), (1, 1), (-1, 1))])  # fmt: skip


def _overlap(p: np.ndarray, q: np.ndarray) -> bool:
    """Separating-axis test for two convex quadrilaterals."""
    for poly in (p, q):
        for k in range(4):
            edge = poly[(k + 1) % 4] - poly[k]
            normal = np.array([-edge[1], edge[0]])
            a, b = p @ normal, q @ normal
            if a.max() <= b.min() or b.max() <= a.min():
                return False
    return True


# ------------------------------------------------------------------ what lies under a text


def _bars(ax: Axes) -> list[Rectangle]:
    return [p for c in ax.containers if isinstance(c, BarContainer) for p in c.patches]


def _image_colour(image: AxesImage, ax: Axes, point: np.ndarray):
    data = image.get_array()
    if data is None or data.ndim != 2:
        return None
    x, y = ax.transData.inverted().transform(point)
    left, right, bottom, top = image.get_extent()
    rows, cols = data.shape
    col = int(np.floor((x - left) / (right - left) * cols))
    first = top if image.origin == "upper" else bottom
    last = bottom if image.origin == "upper" else top
    row = int(np.floor((y - first) / (last - first) * rows))
    if not (0 <= row < rows and 0 <= col < cols) or np.ma.is_masked(data[row, col]):
        return None
    return image.to_rgba(data[row, col])


def _background_problems(t: Text, what: str, ax: Axes, renderer) -> list[str]:
    box = t.get_window_extent(renderer)
    centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
    problems = []
    under = [b for b in _bars(ax) if b.get_window_extent(renderer).contains(*centre)]
    if under:
        bar = under[-1]
        room = bar.get_window_extent(renderer)
        slack = _SLACK_POINTS * t.figure.dpi / 72
        corners = _rectangle(t, renderer)
        if (
            corners[:, 0].min() < room.x0 - slack
            or corners[:, 0].max() > room.x1 + slack
            or corners[:, 1].min() < room.y0 - slack
            or corners[:, 1].max() > room.y1 + slack
        ):
            problems.append(f"{what} is wider or taller than its bar: put it beside the bar")
        ratio = contrast_ratio(t.get_color(), bar.get_facecolor())
        if ratio < MIN_CONTRAST:
            problems.append(f"{what} has contrast {ratio:.1f}:1 with its bar (< {MIN_CONTRAST})")
        return problems
    for image in ax.images:
        colour = _image_colour(image, ax, centre)
        if colour is not None:
            ratio = contrast_ratio(t.get_color(), colour)
            if ratio < MIN_CONTRAST:
                problems.append(
                    f"{what} has contrast {ratio:.1f}:1 with its cell (< {MIN_CONTRAST}); "
                    "pick the text colour from the cell (crmlab.plotting.text_colour)"
                )
            break
    return problems


# ------------------------------------------------------------------ legends over data


def _is_data(artist, ax: Axes) -> bool:
    transform = artist.get_transform()
    return transform == ax.transData or transform.contains_branch(ax.transData)


def _pixels_of_line(line: Line2D) -> list[np.ndarray]:
    x, y = (np.asarray(v, dtype=float) for v in line.get_data(orig=False))
    xy = np.column_stack([x, y])
    style = line.get_drawstyle()
    if style in STEP_LOOKUP_MAP and style != "default" and len(xy) > 1:
        xy = np.column_stack(STEP_LOOKUP_MAP[style](xy[:, 0], xy[:, 1]))
    pix = line.get_transform().transform(xy)
    ok = np.isfinite(pix).all(axis=1)
    # split at missing values, as the line is drawn
    pieces = np.split(pix, np.flatnonzero(~ok))
    return [p[np.isfinite(p).all(axis=1)] for p in pieces if np.isfinite(p).any()]


def _meets(box: Bbox, pieces: list[np.ndarray], *, joined: bool) -> bool:
    for pts in pieces:
        if len(pts) == 0:
            continue
        inside = (
            (pts[:, 0] > box.x0)
            & (pts[:, 0] < box.x1)
            & (pts[:, 1] > box.y0)
            & (pts[:, 1] < box.y1)
        )
        if inside.any():
            return True
        if joined and len(pts) > 1 and Path(pts).intersects_bbox(box, filled=False):
            return True
    return False


def _covered(ax: Axes, box: Bbox, renderer) -> list[str]:
    hits = []
    for line in ax.lines:
        if not line.get_visible() or not _is_data(line, ax):
            continue
        joined = line.get_linestyle() not in ("None", "none", "", " ")
        if _meets(box, _pixels_of_line(line), joined=joined):
            hits.append(f"line {line.get_label()!r}" if not line.get_label().startswith("_")
                        else "a line")  # fmt: skip
    for bar in _bars(ax):
        if bar.get_visible() and bar.get_window_extent(renderer).overlaps(box):
            hits.append("a bar")
            break
    for coll in ax.collections:
        if not coll.get_visible() or not isinstance(coll, Collection):
            continue
        if isinstance(coll, PathCollection) and _is_data_offsets(coll, ax):
            pts = coll.get_offset_transform().transform(np.asarray(coll.get_offsets()))
            if _meets(box, [pts], joined=False):
                hits.append("scattered points")
        elif isinstance(coll, LineCollection) and _is_data(coll, ax):
            segs = [coll.get_transform().transform(np.asarray(s)) for s in coll.get_segments()]
            if _meets(box, segs, joined=True):
                hits.append("error bars or segments")
        elif not isinstance(coll, (PathCollection, LineCollection)) and _is_data(coll, ax):
            t = coll.get_transform()
            if any(p.transformed(t).intersects_bbox(box, filled=True) for p in coll.get_paths()):
                hits.append("a shaded band")
    return hits


def _is_data_offsets(coll: PathCollection, ax: Axes) -> bool:
    transform = coll.get_offset_transform()
    return transform == ax.transData or transform.contains_branch(ax.transData)


# ------------------------------------------------------------------ the check


def _percent_label_problems(ax: Axes) -> list[str]:
    """Tick labels of a percent axis that do not read back as their tick's value."""
    problems = []
    for which, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        fmt = axis.get_major_formatter()
        if not isinstance(fmt, ticker.PercentFormatter):
            continue
        for tick in _drawn_ticks(axis):
            label = tick.label1 if tick.label1.get_visible() else tick.label2
            text = label.get_text()
            if not label.get_visible() or not text:
                continue
            number = text.replace("\N{MINUS SIGN}", "-").replace(",", "")
            number = number.removesuffix(fmt.symbol).strip() if fmt.symbol else number.strip()
            try:
                shown = float(number)
            except ValueError:
                problems.append(f"tick label {text!r} on the {which} axis is not a percentage")
                continue
            if abs(shown - fmt.convert_to_pct(tick.get_loc())) >= 1e-6:
                problems.append(
                    f"tick label {text!r} on the {which} axis stands for "
                    f"{fmt.convert_to_pct(tick.get_loc()):.6g}%; give the labels more digits "
                    "(crmlab.plotting.percent_axis does)"
                )
    return problems


def _figure_name(fig: Figure) -> str:
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text():
        return _short(fig._suptitle.get_text(), 60)
    for ax in fig.axes:
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_text():
                return _short(title.get_text(), 60)
    return f"figure {fig.number}" if hasattr(fig, "number") else "an untitled figure"


def check_figure(fig: Figure) -> list[str]:
    """Lay ``fig`` out and return what makes it hard to read, one sentence per problem.

    Checks: no two drawn texts overlap; no text leaves the figure; a label on a bar
    stays inside the bar and contrasts 4.5:1 with it; a label on a heat-map cell
    contrasts 4.5:1 with the cell; no legend lies over plotted data; the tick labels of
    a percent axis read back as their ticks' values. See the module's
    docstring for the tolerances and why they are what they are.

    Parameters
    ----------
    fig : matplotlib Figure

    Returns
    -------
    list of str
        Empty when the figure passes; each problem names the figure and the texts.

    Raises
    ------
    TypeError
        If ``fig`` is not a matplotlib Figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.text(0.5, 0.5, "churn")
    >>> _ = ax.text(0.5, 0.5, "loyal")
    >>> _ = ax.set_title("demo")
    >>> check_figure(fig)
    ["demo: text 'churn' overlaps text 'loyal'"]
    >>> plt.close(fig)
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"check_figure needs a matplotlib Figure, got {type(fig).__name__}.")
    fig.draw_without_rendering()
    get = getattr(fig.canvas, "get_renderer", None)
    renderer = get() if get is not None else fig._get_renderer()
    name = _figure_name(fig)
    problems: list[str] = []

    texts, seen = [], set()
    for t, kind in _figure_texts(fig):
        if id(t) in seen or not _is_drawn(t, renderer):
            continue
        seen.add(id(t))
        texts.append((t, f"{kind} {_short(t.get_text())!r}", _rectangle(t, renderer)))

    # 1. no two texts overlap (bounding boxes first, the rotated test on candidates)
    lo = np.array([r.min(axis=0) for _, _, r in texts]).reshape(-1, 2)
    hi = np.array([r.max(axis=0) for _, _, r in texts]).reshape(-1, 2)
    for i in range(len(texts)):
        near = np.flatnonzero(
            (lo[i + 1 :, 0] < hi[i, 0])
            & (hi[i + 1 :, 0] > lo[i, 0])
            & (lo[i + 1 :, 1] < hi[i, 1])
            & (hi[i + 1 :, 1] > lo[i, 1])
        )
        for j in near + i + 1:
            if _overlap(texts[i][2], texts[j][2]):
                problems.append(f"{name}: {texts[i][1]} overlaps {texts[j][1]}")

    # 2. no text leaves the figure
    width, height = fig.bbox.width, fig.bbox.height
    slack = _SLACK_POINTS * fig.dpi / 72
    for _t, what, r in texts:
        if (r[:, 0].min() < -slack or r[:, 1].min() < -slack
                or r[:, 0].max() > width + slack or r[:, 1].max() > height + slack):  # fmt: skip
            problems.append(f"{name}: {what} is cut off at the figure's edge")

    # 3. text on bars and heat-map cells
    for ax in fig.axes:
        for t in ax.texts:
            if id(t) in seen:
                what = f"text {_short(t.get_text())!r}"
                problems += [f"{name}: {p}" for p in _background_problems(t, what, ax, renderer)]

    # 4. legends over data
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend._legend_box.get_window_extent(renderer).shrunk(1, 1)
        box = Bbox.from_extents(box.x0 + slack, box.y0 + slack, box.x1 - slack, box.y1 - slack)
        for hit in dict.fromkeys(_covered(ax, box, renderer)):
            problems.append(f"{name}: the legend covers {hit}; move it outside the data")

    # 5. percent tick labels say their tick's value
    for ax in fig.axes:
        problems += [f"{name}: {p}" for p in _percent_label_problems(ax)]
    return problems


# ------------------------------------------------------------------ notebooks


#: Figures pyplot created since the last IPython cell finished (held until checked).
_CREATED: list = []


def _track(fig: Figure) -> None:
    """``figure.hooks`` entry: remember each figure pyplot makes, for the cell's check."""
    _CREATED.append(fig)


def _after_cell(result) -> None:
    figures = list(_CREATED)
    _CREATED.clear()
    problems = []
    for fig in figures:
        problems += check_figure(fig)
    if not problems:
        return
    error = FigureCheckError(
        f"{len(problems)} figure problem(s) found by crmlab.plotting.check_figure "
        "(CRMLAB_CHECK_FIGURES=1):\n- " + "\n- ".join(problems)
    )
    if getattr(result, "success", True) is False:
        return  # the cell failed already; that error comes first
    from IPython import get_ipython

    shell = get_ipython()
    try:
        raise error
    except FigureCheckError:
        shell.showtraceback()
    result.error_in_exec = error  # the kernel then answers "error" and nbval fails the cell


_HOOK = "crmlab.plotting.check:_track"


def install_figure_check() -> bool:
    """Check every figure an IPython cell draws; a problem makes the cell fail.

    Adds a ``figure.hooks`` entry (matplotlib calls it with each figure pyplot creates)
    and an IPython ``post_run_cell`` callback that runs :func:`check_figure` on the
    cell's figures, even those ``plt.show()`` already closed, and marks the cell as
    failed with a :class:`FigureCheckError` that names the figure and the texts. The
    kernel then replies "error", so nbval fails; the notebook runs once. Installing twice
    replaces the first installation.

    Parameters
    ----------
    None

    Returns
    -------
    bool
        True if installed in a running IPython; False outside IPython (nothing done).

    Raises
    ------
    None

    Examples
    --------
    >>> install_figure_check()  # a plain Python session: nothing to hook into
    False
    """
    try:
        from IPython import get_ipython
    except ModuleNotFoundError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    hooks = list(rcParams["figure.hooks"])
    if _HOOK not in hooks:
        rcParams["figure.hooks"] = [*hooks, _HOOK]
    callbacks = shell.events.callbacks["post_run_cell"]
    for cb in [cb for cb in callbacks if getattr(cb, "__name__", "") == "_after_cell"]:
        shell.events.unregister("post_run_cell", cb)
    shell.events.register("post_run_cell", _after_cell)
    return True
