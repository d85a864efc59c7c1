"""Tests for crmlab.plotting: Chinese fonts, the house style, bilingual labels."""

import doctest
import io
import os
import warnings

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager, ticker
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from crmlab.plotting import (
    FONT_FAMILY,
    PALETTE,
    annotate_bars,
    annotated_heatmap,
    bilingual,
    check_figure,
    contrast_ratio,
    forest_plot,
    funnel_chart,
    install_figure_check,
    kaplan_meier_plot,
    label,
    lorenz_plot,
    percent_axis,
    relative_luminance,
    sequential_colours,
    set_style,
    text_colour,
    use_chinese_font,
    value_pyramid,
)
from crmlab.plotting import _style as plotting_style
from crmlab.plotting import charts as plotting_charts
from crmlab.plotting import check as plotting_check

CHINESE = "客户流失 客户忠诚 细分"


@pytest.fixture(autouse=True)
def _restore_rcparams():
    with mpl.rc_context():
        yield


def _glyph_warnings() -> list[str]:
    """Render a figure with Chinese text and a negative tick to PNG (Agg); return the
    missing-glyph warnings matplotlib raised."""
    fig = Figure()
    ax = fig.subplots()
    ax.plot([-1, 0, 1], [-2.5, 0, 2.5])
    ax.set_title(CHINESE)
    ax.set_xticks([-1, 0, 1], ["客户流失", "客户忠诚", "细分"])
    ax.set_ylabel("流失率 −1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [
        str(w.message)
        for w in caught
        if "missing from font" in str(w.message) or "Glyph" in str(w.message)
    ]


# --- fonts ---------------------------------------------------------------------------


def test_chinese_renders_without_missing_glyphs():
    assert use_chinese_font() == FONT_FAMILY
    assert _glyph_warnings() == []


def test_without_the_font_glyphs_go_missing():
    # Proves the test above can fail: matplotlib's defaults (DejaVu Sans) lack CJK glyphs.
    use_chinese_font()
    with mpl.rc_context():
        mpl.rc_file_defaults()
        missing = _glyph_warnings()
    assert missing, "expected 'Glyph ... missing from font(s) DejaVu Sans' warnings"
    assert any("DejaVu Sans" in m for m in missing)


def test_family_name_is_what_the_font_file_registers():
    from noto_cjk_sans_otc import FONT_PATH

    use_chinese_font()
    names = {e.name for e in font_manager.fontManager.ttflist if e.fname == str(FONT_PATH)}
    assert FONT_FAMILY in names
    found = font_manager.findfont(
        font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False
    )
    assert found == str(FONT_PATH)


def test_use_chinese_font_sets_rcparams():
    use_chinese_font()
    assert mpl.rcParams["font.family"] == [FONT_FAMILY, "DejaVu Sans"]
    assert mpl.rcParams["axes.unicode_minus"] is True


def test_use_chinese_font_is_idempotent():
    use_chinese_font()
    n_entries = len(font_manager.fontManager.ttflist)
    for _ in range(3):
        assert use_chinese_font() == FONT_FAMILY
    assert len(font_manager.fontManager.ttflist) == n_entries


def test_negative_ticks_use_the_true_minus():
    use_chinese_font()
    fig = Figure()
    ax = fig.subplots()
    ax.plot([-2, 2], [-2, 2])
    fig.canvas.draw()
    tick_texts = [t.get_text() for t in ax.get_yticklabels()]
    assert any(t.startswith("\u2212") for t in tick_texts), tick_texts


# --- the house style -----------------------------------------------------------------


def test_set_style_keeps_the_chinese_font():
    # seaborn.set_theme resets font.family: set_style must set the CJK font after it.
    set_style()
    assert mpl.rcParams["font.family"][0] == FONT_FAMILY
    assert _glyph_warnings() == []


def test_set_style_rcparams():
    set_style()
    assert tuple(mpl.rcParams["figure.figsize"]) == (7.0, 4.2)
    assert mpl.rcParams["figure.dpi"] == 100
    assert mpl.rcParams["axes.titlelocation"] == "left"
    assert mpl.rcParams["axes.spines.top"] is False
    assert mpl.rcParams["axes.spines.right"] is False
    assert mpl.rcParams["axes.grid"] is True
    colours = [to_hex(c["color"]) for c in mpl.rcParams["axes.prop_cycle"]]
    assert colours == [c.lower() for c in PALETTE]


def test_set_style_twice_is_harmless():
    set_style()
    first = dict(mpl.rcParams)
    set_style()
    assert dict(mpl.rcParams) == first


# --- labels --------------------------------------------------------------------------


def test_bilingual():
    assert bilingual("客户流失", "customer churn") == "客户流失 (customer churn)"
    assert bilingual(" 流失率 ", "churn rate ") == "流失率 (churn rate)"
    assert bilingual("流失率", "churn rate", newline=True) == "流失率\n(churn rate)"


@pytest.mark.parametrize(("zh", "en", "name"), [("客户流失", None, "en"), (3, "churn", "zh")])
def test_bilingual_rejects_non_strings(zh, en, name):
    with pytest.raises(TypeError, match=f"{name} must be a string"):
        bilingual(zh, en)


def test_bilingual_rejects_empty_text():
    with pytest.raises(ValueError, match="en is empty"):
        bilingual("客户流失", "  ")


def test_label_from_chinese_matches_bilingual():
    assert label("客户流失") == bilingual("客户流失", "customer churn")
    assert label("客户流失") == "客户流失 (customer churn)"
    assert label(" 美誉度 ") == "美誉度 (reputation)"
    assert label("二八定律", newline=True) == "二八定律\n(80/20 rule)"


def test_label_from_english_uses_the_table_spelling():
    assert label("Customer Churn") == "客户流失 (customer churn)"
    assert label("vip客户") == "VIP客户 (VIP customer)"


def test_label_of_unknown_term_names_close_matches():
    with pytest.raises(KeyError, match="客户流失"):
        label("流失")


# --- small helpers -------------------------------------------------------------------


def test_percent_axis():
    fig = Figure()
    ax = fig.subplots()
    assert percent_axis(ax) is ax
    assert ax.yaxis.get_major_formatter()(0.25) == "25%"
    percent_axis(ax, "x", decimals=1)
    assert ax.xaxis.get_major_formatter()(0.125) == "12.5%"


def test_percent_axis_both():
    ax = Figure().subplots()
    percent_axis(ax, "both")
    assert ax.xaxis.get_major_formatter()(1) == "100%"
    assert ax.yaxis.get_major_formatter()(0.5) == "50%"


def test_percent_axis_digits_follow_the_ticks():
    # the defect: 0 digits whatever the ticks, so 2.5% steps printed "2%, 5%, 8%, 12%"
    # (Python rounds 2.5 and 12.5 half to even, 7.5 up). Ticks 0.025 apart on 0-0.175 are
    # 0.0%, 2.5%, ..., 17.5%: one digit writes each of them exactly.
    fig = _fig()
    ax = fig.subplots()
    ax.set_ylim(0, 0.175)
    ax.yaxis.set_major_locator(ticker.MultipleLocator(0.025))
    percent_axis(ax)
    fig.draw_without_rendering()
    labels = [t.label1.get_text() for t in plotting_check._drawn_ticks(ax.yaxis)]
    assert labels == ["0.0%", "2.5%", "5.0%", "7.5%", "10.0%", "12.5%", "15.0%", "17.5%"]
    assert check_figure(fig) == []


def test_percent_axis_labels_read_back_with_matplotlibs_own_ticks():
    # whatever ticks the default locator picks on 0-0.175, each label is its tick's value
    fig = _fig()
    ax = fig.subplots()
    ax.plot([0, 1], [0, 0.175])
    ax.set_ylim(0, 0.175)
    percent_axis(ax)
    fig.draw_without_rendering()
    ticks = plotting_check._drawn_ticks(ax.yaxis)
    assert len(ticks) >= 3
    for t in ticks:
        assert float(t.label1.get_text().rstrip("%")) / 100 == pytest.approx(t.get_loc(), abs=1e-12)


@pytest.mark.parametrize(
    ("ticks", "fewest", "expected"),
    [
        ([0, 0.1, 0.2], 0, ["0%", "10%", "20%"]),  # whole percents: no digits
        ([0, 0.1, 0.2], 1, ["0.0%", "10.0%", "20.0%"]),  # at least the digits asked for
        ([0.0125, 0.025], 0, ["1.25%", "2.50%"]),  # 1.25 needs two
        ([0, 1 / 3], 0, ["0.0000%", "33.3333%"]),  # never exact: capped at four
    ],
)
def test_percent_axis_formatter_digits(ticks, fewest, expected):
    ax = Figure().subplots()
    percent_axis(ax, decimals=fewest)
    assert ax.yaxis.get_major_formatter().format_ticks(ticks) == expected


def test_percent_axis_rejects_negative_decimals():
    with pytest.raises(ValueError, match="got -1"):
        percent_axis(Figure().subplots(), decimals=-1)


def test_check_figure_flags_percent_labels_that_round_the_tick():
    # matplotlib's PercentFormatter with 0 digits on 2.5% steps: f"{2.5:.0f}" is "2"
    # (half to even), 7.5 -> "8"; MultipleLocator puts the 12.5% tick at
    # 0.025 * 5 = 12.500000000000004%, which rounds up to "13"
    fig = _fig()
    ax = fig.subplots()
    ax.set_xlim(0, 0.15)
    ax.xaxis.set_major_locator(ticker.MultipleLocator(0.025))
    ax.xaxis.set_major_formatter(ticker.PercentFormatter(xmax=1, decimals=0))
    problems = check_figure(fig)
    assert [p.split(": ", 1)[1] for p in problems] == [
        f"tick label {shown!r} on the x axis stands for {value}%; give the labels more "
        "digits (crmlab.plotting.percent_axis does)"
        for shown, value in [("2%", 2.5), ("8%", 7.5), ("13%", 12.5)]
    ]


def test_percent_axis_rejects_unknown_axis():
    with pytest.raises(ValueError, match="got 'z'"):
        percent_axis(Figure().subplots(), "z")


def test_annotate_bars():
    ax = Figure().subplots()
    ax.bar(["VIP客户", "主要客户"], [1234.4, 87.0])
    texts = annotate_bars(ax)
    assert [t.get_text() for t in texts] == ["1,234", "87"]
    ax2 = Figure().subplots()
    ax2.barh(["a", "b"], [0.25, 0.5])
    ax2.barh(["a", "b"], [0.1, 0.2], left=[0.25, 0.5])
    texts = annotate_bars(ax2, "{:.0%}", label_type="center")
    assert [t.get_text() for t in texts] == ["25%", "50%", "10%", "20%"]


def test_annotate_bars_with_a_function():
    ax = Figure().subplots()
    ax.bar([0, 1], [3, 4])
    assert [t.get_text() for t in annotate_bars(ax, lambda v: f"n={v:g}")] == ["n=3", "n=4"]


def test_annotate_bars_without_bars():
    ax = Figure().subplots()
    ax.plot([0, 1], [0, 1])
    with pytest.raises(ValueError, match="no bars"):
        annotate_bars(ax)


@pytest.mark.parametrize("module", [plotting_style, plotting_charts, plotting_check])
def test_docstring_examples_are_real(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


# --- colour: luminance, contrast, text colour ------------------------------------------
# WCAG 2.1: channel c -> c/12.92 if c <= 0.04045 else ((c + 0.055)/1.055)**2.4;
# L = 0.2126 R + 0.7152 G + 0.0722 B; contrast = (L1 + 0.05) / (L2 + 0.05).


def test_relative_luminance_by_hand():
    # #0072B2: G = 114/255 = 0.4471 -> (0.5021/1.055)**2.4 = 0.1683;
    # B = 178/255 = 0.6980 -> (0.7530/1.055)**2.4 = 0.4451; L = 0.7152*0.1683 + 0.0722*0.4451
    assert relative_luminance("#0072B2") == pytest.approx(
        0.7152 * 0.1683 + 0.0722 * 0.4451, abs=2e-4
    )
    assert relative_luminance("red") == pytest.approx(0.2126)
    # half-transparent black on white is grey 0.5: (0.5 + 0.055)/1.055 = 0.5261 -> **2.4 = 0.2140
    assert relative_luminance((0, 0, 0, 0.5)) == pytest.approx(0.2140, abs=2e-4)


def test_contrast_ratio_of_grey_777_on_white_is_the_known_4_48():
    # #777777: 119/255 = 0.4667 -> (0.5217/1.055)**2.4 = 0.1845; (1.05)/(0.2345) = 4.48,
    # the figure every WCAG checker gives for #777 on white (just below AA's 4.5)
    assert contrast_ratio("#777777", "white") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("white", "#777777") == contrast_ratio("#777777", "white")


def test_text_colour_on_dark_and_light_backgrounds():
    # #08306B (darkest Blues): L = 0.2126*0.0024 + 0.7152*0.0295 + 0.0722*0.1470 = 0.0322;
    # white gives 1.05/0.0822 = 12.8, black 0.0822/0.05 = 1.6 -> white
    assert text_colour("#08306B") == "white"
    # #FDD49E (a light YlOrRd): L ~ 0.71 -> black gives 15.2, white 1.4 -> black
    assert text_colour("#FDD49E") == "black"
    # #0072B2, L = 0.152: white 5.19, black 4.05 -> white
    assert text_colour("#0072B2") == "white"


def test_sequential_colours_get_darker():
    colours = sequential_colours(4)
    lum = [relative_luminance(c) for c in colours]
    assert lum == sorted(lum, reverse=True) and len(set(lum)) == 4
    with pytest.raises(ValueError, match="at least 1"):
        sequential_colours(0)


# --- charts ------------------------------------------------------------------------------


def _fig(w=7.0, h=4.2):
    return Figure(figsize=(w, h), dpi=100, layout="constrained")


def _renderer(fig):
    fig.draw_without_rendering()
    return fig._get_renderer()


def test_funnel_puts_a_label_that_does_not_fit_beside_its_bar():
    fig = _fig(5, 3)
    ax = fig.subplots()
    texts = funnel_chart(ax, [20854, 8406, 4566, 750], ["contact", "intention", "talks", "deal"])
    r = _renderer(fig)
    bars = [p for p in ax.patches]
    # the first bar is wide: its label sits centred inside, white on #0072B2 (5.19:1)
    assert texts[0].get_text() == "20,854"
    assert texts[0].get_ha() == "center" and texts[0].get_color() == "white"
    inside, bar0 = texts[0].get_window_extent(r), bars[0].get_window_extent(r)
    assert bar0.x0 < inside.x0 and inside.x1 < bar0.x1
    # 750 of 20,854 is a bar 3.6% as wide: "750 (16%)" goes to its right, in dark grey
    assert texts[3].get_text() == "750 (16%)"
    assert texts[3].get_ha() == "left" and texts[3].get_color() == "#222222"
    assert texts[3].get_window_extent(r).x0 >= bars[3].get_window_extent(r).x1
    assert check_figure(fig) == []


def test_funnel_rejects_bad_counts():
    ax = _fig().subplots()
    with pytest.raises(ValueError, match="non-negative"):
        funnel_chart(ax, [10, -1], ["a", "b"])
    with pytest.raises(ValueError, match="equally long"):
        funnel_chart(ax, [10, 5], ["a"])


def test_value_pyramid_sequential_colours_and_labels_that_fit():
    fig = _fig()
    ax = fig.subplots()
    texts = value_pyramid(
        ax,
        [0.01, 0.04, 0.15, 0.80],
        [0.27, 0.28, 0.29, 0.16],
        ["VIP", "major", "ordinary", "small"],
    )
    bars = list(ax.patches)
    lum = [relative_luminance(b.get_facecolor()) for b in bars]
    assert lum == sorted(lum)  # the top tier darkest, each tier below lighter
    # VIP: width sqrt(0.01) = 0.1 of an axis 1.1 wide: the label goes beside the box
    assert texts[0].get_ha() == "left"
    # "small": 80% -> width 0.894, the label fits; its colour contrasts with the box
    assert texts[3].get_ha() == "center"
    assert contrast_ratio(texts[3].get_color(), bars[3].get_facecolor()) >= 4.5
    assert check_figure(fig) == []
    with pytest.raises(ValueError, match="share_value must be shares"):
        value_pyramid(ax, [0.5, 0.5], [1.5, -0.5], ["a", "b"])


HR = {  # hazard ratios as notebook 04 draws them (rounded)
    "switching_cost": (0.19, 0.14, 0.27),
    "quality_tolerance": (0.41, 0.30, 0.56),
    "satisfaction_propensity": (0.38, 0.34, 0.43),
    "price_elasticity": (0.73, 0.69, 0.78),
    "size=large": (0.88, 0.75, 1.03),
}


def test_forest_plot_has_plain_log_ticks_and_passes_the_check():
    fig = _fig()
    ax = fig.subplots()
    est, lo, hi = (list(v) for v in zip(*HR.values(), strict=True))
    forest_plot(ax, est, lo, hi, list(HR))
    r = _renderer(fig)
    assert ax.get_xscale() == "log"
    # limits 0.14/1.15 = 0.122 to 1.15: ticks 0.2, 0.5, 1 from the 1-2-5 series
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["0.2", "0.5", "1"]
    minor = [t.get_text() for t in ax.xaxis.get_ticklabels(minor=True)]
    assert set(minor) <= {""}
    lowest = min(ax.get_yticklabels(), key=lambda t: t.get_position()[1])
    assert lowest.get_text() == "size=large"  # the first row on top, the last at the bottom
    assert r is not None and check_figure(fig) == []


def test_the_check_catches_default_log_ticks_that_collide():
    # The figure as notebook 04 drew it: matplotlib's default log axis labels the minor
    # ticks (2×10⁻¹, 3×10⁻¹, 4×10⁻¹, 6×10⁻¹) when less than a decade is shown; beside long
    # row names on a 6-inch figure "3×10⁻¹" and "4×10⁻¹" run together.
    fig = _fig(6, 4.6)
    ax = fig.subplots()
    est = np.array([0.19, 0.41, 0.38, 0.73, 0.88, 1.05])
    ax.errorbar(est, range(6), xerr=[est * 0.15, est * 0.15], fmt="o")
    ax.set_xscale("log")
    ax.set_yticks(range(6), [*HR, "region=southeast_asia"], fontsize=8)
    problems = check_figure(fig)
    assert any("x tick label '3×10^-1' overlaps x tick label '4×10^-1'" in p for p in problems), (
        problems
    )
    # the same rows drawn by forest_plot pass
    fig = _fig(6, 4.6)
    forest_plot(fig.subplots(), est, est * 0.85, est * 1.15, [*HR, "region=southeast_asia"])
    assert check_figure(fig) == []


def test_annotated_heatmap_text_colour_follows_the_cell():
    fig = _fig()
    ax = fig.subplots()
    values = pd.DataFrame([[0.0, 0.5], [0.9, 1.0]], index=["r1", "r2"], columns=["c1", "c2"])
    _, texts = annotated_heatmap(ax, values, cmap="Blues", vmin=0, vmax=1)
    # Blues(1.0) = #08306B, L = 0.032 (see above): white text. Blues(0) = #F7FBFF, L = 0.96:
    # black gives (0.96 + 0.05)/0.05 = 20.2, white 1.04 -> black
    assert to_hex(mpl.colormaps["Blues"](1.0)) == "#08306b"
    assert [t.get_color() for t in texts] == ["black", "black", "white", "white"]
    assert [t.get_text() for t in texts] == ["0%", "50%", "90%", "100%"]
    assert check_figure(fig) == []


def test_the_check_catches_black_text_on_a_dark_cell():
    fig = _fig()
    ax = fig.subplots()
    ax.imshow([[0.0, 1.0]], cmap="YlOrRd", vmin=0, vmax=1)
    # YlOrRd(1.0) = #800026: R = 128/255 -> 0.2158, G = 0, B = 38/255 = 0.149 -> 0.0194;
    # L = 0.2126*0.2158 + 0.0722*0.0194 = 0.0473; black: 0.0973/0.05 = 1.9 < 4.5
    ax.text(1, 0, "42", ha="center", va="center", color="black")
    ax.text(0, 0, "7", ha="center", va="center", color="black")  # on pale yellow: fine
    problems = check_figure(fig)
    assert len(problems) == 1 and "'42' has contrast 1.9:1 with its cell" in problems[0]


def test_kaplan_meier_stops_where_few_are_at_risk():
    fig = _fig()
    ax = fig.subplots()
    tab = pd.DataFrame(
        {
            "group": ["small"] * 4 + ["large"] * 3,
            "time": [0, 5, 10, 20, 0, 8, 30],
            "survival": [1, 0.9, 0.7, 0.2, 1, 0.95, 0.9],
            "lower": [1, 0.85, 0.6, 0.05, 1, 0.9, 0.8],
            "upper": [1, 0.95, 0.8, 0.5, 1, 1.0, 0.97],
            "at_risk": [100, 100, 40, 4, 30, 30, 12],
        }
    )
    ends = kaplan_meier_plot(ax, tab, colours={"small": "#0072B2", "large": "#E69F00"})
    assert ends == {"small": 10.0, "large": 30.0}  # 4 at risk < 10: time 20 not drawn
    small, large = ax.lines
    assert small.get_drawstyle() == "steps-post" and list(small.get_xdata()) == [0, 5, 10]
    assert to_hex(large.get_color()) == "#e69f00"
    assert small.get_label() == "small (n = 100)"
    assert len(ax.collections) == 2  # one band per group


def test_lorenz_plot_line_of_equality_is_labelled_at_45_degrees():
    fig = _fig(5.5, 5)
    ax = fig.subplots()
    curve = pd.DataFrame({"customer_share": [0, 0.8, 1], "value_share": [0, 0.2, 1]})
    lorenz_plot(ax, {"revenue": curve})
    _renderer(fig)
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])
    assert np.degrees(np.arctan2(y1 - y0, x1 - x0)) == pytest.approx(45, abs=0.01)
    label_text = ax.texts[0]
    assert label_text.get_rotation() == 45 and "45°" in label_text.get_text()
    assert check_figure(fig) == []


# --- the figure check on deliberately bad figures ---------------------------------------------


def test_check_finds_labels_that_touch_side_by_side():
    # "3×10⁻¹" right after "2×10⁻¹", 0.05 em apart: they read as one number
    fig = _fig()
    ax = fig.subplots()
    first = ax.text(0.1, 0.5, "0.25", fontsize=10, transform=ax.transAxes)
    width = first.get_window_extent(_renderer(fig)).width / 100 * 72  # points
    ax.annotate("0.30", (0.1, 0.5), xycoords="axes fraction", xytext=(width + 0.5, 0),
                textcoords="offset points", fontsize=10)  # fmt: skip
    assert len(check_figure(fig)) == 1
    ax.texts[1].set_position((width + 4, 0))  # 0.4 em apart: two numbers
    assert check_figure(fig) == []


def test_check_finds_two_overlapping_labels_and_names_them():
    fig = _fig()
    ax = fig.subplots()
    ax.set_title("quadrants")
    ax.text(0.5, 0.5, "loyal", transform=ax.transAxes)
    ax.text(0.52, 0.5, "satisfied", transform=ax.transAxes)
    assert check_figure(fig) == ["quadrants: text 'loyal' overlaps text 'satisfied'"]


def test_check_leaves_alone_digits_that_only_share_the_empty_descent():
    # Two 10-point numbers 9 points apart: their boxes (1 em = 10 pt tall, the lower 0.2 em
    # the descent digits do not use) overlap by 1 pt, the ink does not.
    fig = _fig()
    ax = fig.subplots()
    ax.text(0.1, 0.5, "1,234", fontsize=10, transform=ax.transAxes)
    ax.annotate("5,678", (0.1, 0.5), xycoords="axes fraction", xytext=(0, -9),
                textcoords="offset points", fontsize=10)  # fmt: skip
    boxes = [t.get_window_extent(_renderer(fig)) for t in ax.texts]
    assert boxes[0].overlaps(boxes[1])  # the layout boxes do overlap
    assert check_figure(fig) == []


def test_check_compares_rotated_tick_labels_as_rotated():
    fig = _fig(6, 4)
    ax = fig.subplots()
    names = [f"item_{k:02d}_long_name" for k in range(12)]
    ax.bar(names, range(12))
    ax.set_xticks(range(12), names, rotation=45, ha="right", rotation_mode="anchor")
    r = _renderer(fig)
    upright = [t.get_window_extent(r) for t in ax.get_xticklabels()]
    assert upright[0].overlaps(upright[1])  # their upright bounding boxes overlap
    assert check_figure(fig) == []


def test_check_finds_text_outside_the_figure():
    fig = _fig()
    ax = fig.subplots()
    ax.set_title("edge")
    fig.text(0.9, 0.5, "a label far too long to stay inside")
    problems = check_figure(fig)
    assert problems == [
        "edge: figure text 'a label far too long to stay inside' is cut off at the figure's edge"
    ]


def test_check_finds_a_label_wider_than_its_bar():
    # The funnel as notebook 02 drew it: white text centred on a bar too narrow for it.
    fig = _fig(5, 3)
    ax = fig.subplots()
    ax.barh([0], [10], left=[-5], color="#0072B2")
    ax.set_xlim(-40, 40)
    ax.text(0, 0, "10 (62%)", ha="center", va="center", color="white")
    problems = check_figure(fig)
    assert len(problems) == 1 and "wider or taller than its bar" in problems[0]


def test_check_finds_dark_text_on_a_dark_bar():
    fig = _fig()
    ax = fig.subplots()
    ax.barh([0], [1], color="#08306B")
    ax.text(0.5, 0, "VIP", ha="center", va="center", color="#333333")
    problems = check_figure(fig)
    assert len(problems) == 1 and "contrast" in problems[0]


def test_check_finds_a_legend_over_a_line_but_not_over_a_reference_line():
    fig = _fig()
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="model")
    ax.axhline(0.5, color="grey", label="mean")
    ax.legend(loc="center")
    problems = check_figure(fig)
    assert len(problems) == 1 and "legend covers line 'model'" in problems[0]
    # the same legend outside the data: nothing to report
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
    assert check_figure(fig) == []


def test_check_finds_a_legend_over_bars():
    fig = _fig()
    ax = fig.subplots()
    ax.bar([0, 1, 2], [1, 1, 1], label="share")
    ax.legend(loc="center")
    assert any("legend covers a bar" in p for p in check_figure(fig))


def test_check_rejects_what_is_not_a_figure():
    with pytest.raises(TypeError, match="needs a matplotlib Figure"):
        check_figure("figure")


def test_install_outside_ipython_does_nothing():
    hooks = list(mpl.rcParams["figure.hooks"])
    assert install_figure_check() is False
    assert list(mpl.rcParams["figure.hooks"]) == hooks


def _run_notebook(code: str, tmp_path, check: str):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code), nbformat.v4.new_code_cell("print('after')")]
    # the kernel draws with its inline backend, as in a notebook: no MPLBACKEND from outside
    env = {"CRMLAB_CHECK_FIGURES": check, "MPLBACKEND": None}
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={})
    old = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        client.execute(cwd=str(tmp_path))
        return None, nb
    except CellExecutionError as err:
        return str(err), nb
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


BAD_CELL = """
import matplotlib.pyplot as plt
from crmlab.plotting import set_style
set_style()
fig, ax = plt.subplots()
ax.set_title("clash")
ax.text(0.5, 0.5, "loyal", transform=ax.transAxes)
ax.text(0.5, 0.5, "satisfied", transform=ax.transAxes)
plt.show()
"""


def test_a_notebook_cell_with_a_bad_figure_fails_once_the_check_is_on(tmp_path):
    # The figure was shown (and closed) by plt.show(); the check still sees it and the
    # kernel answers "error", which is what nbval and nbclient fail on.
    error, nb = _run_notebook(BAD_CELL, tmp_path, "1")
    assert error is not None and "FigureCheckError" in error
    assert "clash: text 'loyal' overlaps text 'satisfied'" in error
    assert any(o.get("output_type") == "display_data" for o in nb.cells[0].outputs)


def test_without_the_switch_the_same_notebook_runs(tmp_path):
    error, nb = _run_notebook(BAD_CELL, tmp_path, "0")
    assert error is None
    assert nb.cells[1].outputs[0]["text"] == "after\n"
