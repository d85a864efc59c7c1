"""Tests for crmlab.plotting: Chinese fonts, the house style, bilingual labels."""

import doctest
import io
import warnings

import matplotlib as mpl
import pytest
from matplotlib import font_manager
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from crmlab import plotting
from crmlab.plotting import (
    FONT_FAMILY,
    PALETTE,
    annotate_bars,
    bilingual,
    label,
    percent_axis,
    set_style,
    use_chinese_font,
)

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


def test_docstring_examples_are_real():
    result = doctest.testmod(plotting)
    assert result.attempted > 0
    assert result.failed == 0
