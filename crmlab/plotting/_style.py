"""One house style for every notebook plot, with Chinese text that renders on a bare machine.

A bare machine has no CJK font: matplotlib draws boxes and warns "Glyph ... missing from
font(s) DejaVu Sans". :func:`use_chinese_font` registers Noto Sans CJK from the PyPI package
``noto-cjk-sans-otc`` (OFL 1.1, nothing downloaded at run time) for this process, so every
notebook calls :func:`set_style` first. Chapter-specific plots live in chapter modules.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager, ticker
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.text import Text

from crmlab.glossary import term_pair

__all__ = ["use_chinese_font", "set_style", "bilingual", "label", "percent_axis", "annotate_bars"]

#: Environment variable that makes :func:`set_style` check every figure a notebook draws.
CHECK_ENV = "CRMLAB_CHECK_FIGURES"

#: The face of NotoSansCJK-Regular.ttc with simplified-Chinese glyph shapes.
FONT_FAMILY = "Noto Sans CJK SC"
_FALLBACK_FAMILY = "DejaVu Sans"  # matplotlib's own font: any glyph Noto lacks

#: Okabe & Ito (2008) colours, safe for the common colour-vision deficiencies; the pale
#: yellow comes last because it is hard to see on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442"]

_STYLE_RC = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}


def use_chinese_font() -> str:
    """Make matplotlib draw Chinese text with Noto Sans CJK SC and return the family name.

    Registers the font file shipped by ``noto-cjk-sans-otc`` (once per process; later
    calls only reset the rcParams) and sets ``font.family`` to Noto Sans CJK SC with
    DejaVu Sans as fallback. The font has the true minus sign U+2212, so
    ``axes.unicode_minus`` stays True and negative ticks read "−1", not "-1".

    Parameters
    ----------
    None

    Returns
    -------
    str
        The font family now first in ``rcParams["font.family"]``.

    Raises
    ------
    ModuleNotFoundError
        If ``noto-cjk-sans-otc`` is not installed.
    RuntimeError
        If the font file does not provide the expected family.

    Examples
    --------
    >>> use_chinese_font()
    'Noto Sans CJK SC'
    """
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            "use_chinese_font() needs the font package noto-cjk-sans-otc: "
            "pip install noto-cjk-sans-otc (or pip install -r requirements.txt)."
        ) from err
    path = os.fsdecode(FONT_PATH)
    manager = font_manager.fontManager
    if not any(entry.fname == path for entry in manager.ttflist):
        manager.addfont(path)
        # A system copy of the font (Debian's fonts-noto-cjk, which the browser tests
        # install) registers the same family; findfont gives ties to the first entry, so
        # the shipped file goes first and every machine draws with the same file.
        # (addfont has just emptied findfont's cache.)
        manager.ttflist.sort(key=lambda entry: entry.fname != path)
        found = sorted({e.name for e in manager.ttflist if e.fname == path})
        if FONT_FAMILY not in found:
            raise RuntimeError(
                f"the font file {path} registered the families {found}, not {FONT_FAMILY!r}."
            )
    mpl.rcParams["font.family"] = [FONT_FAMILY, _FALLBACK_FAMILY]
    mpl.rcParams["axes.unicode_minus"] = True
    return FONT_FAMILY


def set_style() -> None:
    """Apply the house style to every later plot, Chinese font included.

    seaborn's ``whitegrid`` theme with the colour-blind-safe :data:`PALETTE`, figures of
    7 x 4.2 inches at 100 dpi, constrained layout (labels and legends get their room, so
    they cannot collide), left-aligned titles, no top or right spines, legends without
    frames. seaborn resets ``font.family``, so the Chinese font is set after it. With the
    environment variable ``CRMLAB_CHECK_FIGURES=1`` (``make test``) it also installs
    :func:`crmlab.plotting.check.install_figure_check`: every figure an IPython cell
    draws is checked, and the cell fails if a label overlaps another or leaves the figure.

    Parameters
    ----------
    None

    Returns
    -------
    None

    Raises
    ------
    ModuleNotFoundError
        If the font package is missing (:func:`use_chinese_font`).

    Examples
    --------
    >>> set_style()
    >>> mpl.rcParams["font.family"][0], mpl.rcParams["axes.titlelocation"]
    ('Noto Sans CJK SC', 'left')
    """
    import seaborn as sns  # here, not at the top: it takes ~2 s to import

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, rc=_STYLE_RC)
    use_chinese_font()
    if os.environ.get(CHECK_ENV, "") not in ("", "0"):
        from crmlab.plotting.check import install_figure_check

        install_figure_check()


def bilingual(zh: str, en: str, *, newline: bool = False) -> str:
    """Return a label with the Chinese term and its English in brackets.

    Parameters
    ----------
    zh, en : str
        The Chinese and the English text.
    newline : bool, default False
        Put the English on a second line (for crowded tick labels).

    Returns
    -------
    str

    Raises
    ------
    TypeError, ValueError
        If either text is not a string, or is empty.

    Examples
    --------
    >>> bilingual("客户流失", "customer churn")
    '客户流失 (customer churn)'
    >>> bilingual("流失率", "churn rate", newline=True)
    '流失率\\n(churn rate)'
    """
    for name, text in (("zh", zh), ("en", en)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a string, got {type(text).__name__}: {text!r}.")
        if not text.strip():
            raise ValueError(f"{name} is empty: a label needs both the Chinese and the English.")
    sep = "\n" if newline else " "
    return f"{zh.strip()}{sep}({en.strip()})"


def label(text: str, *, newline: bool = False) -> str:
    """Return the bilingual label of a glossary term given in Chinese (or English).

    Parameters
    ----------
    text : str
        A term of :func:`crmlab.glossary.glossary`, usually the Chinese.
    newline : bool, default False
        As in :func:`bilingual`.

    Returns
    -------
    str
        As :func:`bilingual` of the term's Chinese and English.

    Raises
    ------
    KeyError
        If the term is not in the glossary; the message names close matches.

    Examples
    --------
    >>> label("客户流失")
    '客户流失 (customer churn)'
    >>> label("churn rate")
    '流失率 (churn rate)'
    """
    zh, en = term_pair(text)
    return bilingual(zh, en, newline=newline)


#: Most digits after the point a percent tick label gets (ticks at 1/3 would need all).
_MAX_PERCENT_DECIMALS = 4


def _decimals_needed(percents, fewest: int) -> int:
    """Fewest digits after the point (at least ``fewest``) that write every value exactly.

    A value counts as written exactly when rounding it to that many digits moves it by
    less than 1e-9 of a percentage point (tick positions carry float noise such as
    7.500000000000001).
    """
    for digits in range(fewest, _MAX_PERCENT_DECIMALS + 1):
        if all(abs(round(p, digits) - p) < 1e-9 for p in percents):
            return digits
    return max(fewest, _MAX_PERCENT_DECIMALS)


class _PercentTicks(ticker.PercentFormatter):
    """A :class:`~matplotlib.ticker.PercentFormatter` whose digits follow the ticks.

    Before each draw matplotlib hands the formatter the tick positions (``set_locs``);
    the labels then get as many digits after the point as the ticks need to read back
    exactly, and at least ``fewest``: 2.5% steps print "2.5%, 5.0%, 7.5%", never
    "2%, 5%, 8%".
    """

    def __init__(self, xmax: float = 1, fewest: int = 0):
        super().__init__(xmax=xmax, decimals=fewest)
        self.fewest = fewest

    def set_locs(self, locs):
        super().set_locs(locs)
        percents = [self.convert_to_pct(v) for v in locs if np.isfinite(v)]
        self.decimals = _decimals_needed(percents, self.fewest)


def percent_axis(ax: Axes, axis: str = "y", *, decimals: int = 0) -> Axes:
    """Show an axis of shares in [0, 1] as percentages (0.25 -> "25%") and return ``ax``.

    The tick labels get as many digits after the point as the ticks need, so each label
    reads back as its tick's value: ticks 2.5% apart print "2.5%, 5.0%, 7.5%, 10.0%",
    not "2%, 5%, 8%, 10%" (at most four digits).

    Parameters
    ----------
    ax : matplotlib Axes
    axis : {"y", "x", "both"}
        Which axis.
    decimals : int
        Fewest digits after the point; more are shown when the ticks need them.

    Returns
    -------
    matplotlib Axes
        ``ax``.

    Raises
    ------
    ValueError
        For any other ``axis``, or a negative ``decimals``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = percent_axis(ax)
    >>> ax.yaxis.get_major_formatter()(0.25)
    '25%'
    >>> ax.yaxis.get_major_formatter().format_ticks([0, 0.025, 0.05])
    ['0.0%', '2.5%', '5.0%']
    >>> plt.close(fig)
    """
    axes = {"x": [ax.xaxis], "y": [ax.yaxis], "both": [ax.xaxis, ax.yaxis]}
    if axis not in axes:
        raise ValueError(f"axis must be 'x', 'y' or 'both', got {axis!r}.")
    if int(decimals) != decimals or decimals < 0:
        raise ValueError(f"decimals must be a whole number >= 0, got {decimals!r}.")
    for one in axes[axis]:
        one.set_major_formatter(_PercentTicks(xmax=1, fewest=int(decimals)))
    return ax


def annotate_bars(ax: Axes, fmt: str | Callable[[float], str] = "{:,.0f}", **kwargs) -> list[Text]:
    """Write each bar's value at its end, for every bar series in ``ax``; return the labels.

    ``fmt`` is a ``str.format`` pattern (``"{:.0%}"`` for shares) or a function of the
    value; ``kwargs`` go to :meth:`~matplotlib.axes.Axes.bar_label` (e.g.
    ``label_type="center"``). Works for bars from ``ax.bar``/``ax.barh``, pandas and
    seaborn.

    Parameters
    ----------
    ax : matplotlib Axes
        With bars drawn.
    fmt : str or callable
        ``str.format`` pattern or a function of the value.
    **kwargs
        Passed on to :meth:`~matplotlib.axes.Axes.bar_label`.

    Returns
    -------
    list of matplotlib Text
        The labels.

    Raises
    ------
    ValueError
        If ``ax`` has no bars.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar(["a", "b"], [0.25, 0.5])
    >>> [t.get_text() for t in annotate_bars(ax, "{:.0%}")]
    ['25%', '50%']
    >>> plt.close(fig)
    """
    containers = [c for c in ax.containers if isinstance(c, BarContainer)]
    if not containers:
        raise ValueError("ax has no bars to annotate: draw them first (ax.bar, ax.barh).")
    kwargs.setdefault("padding", 2)
    texts: list[Text] = []
    for container in containers:
        texts.extend(ax.bar_label(container, fmt=fmt, **kwargs))
    return texts
