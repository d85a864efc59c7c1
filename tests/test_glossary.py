"""Tests for crmlab.glossary: the course's terms, Chinese <-> English."""

import doctest

import numpy as np
import pandas as pd
import pytest

from crmlab import glossary as glossary_module
from crmlab.glossary import glossary, term, term_pair

TABLE = glossary()


# --- the two directions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("客户流失", "customer churn"),
        ("客户关系管理", "customer relationship management"),
        ("二八定律", "80/20 rule"),
        ("美誉度", "reputation"),
        ("基本型", "basic"),
        ("伙伴型", "partnership"),
        ("微妙事件的不良处理", "poor handling of delicate incidents"),
        ("VIP客户", "VIP customer"),
    ],
)
def test_both_directions(zh, en):
    assert term(zh) == en
    assert term(en) == zh


@pytest.mark.parametrize(
    "text",
    [
        "customer churn",
        "Customer Churn",
        "CUSTOMER CHURN",
        "  customer churn\n",
        "customer   churn",
        "\u3000客户流失 ",
        "客户流失\t",
    ],
)
def test_case_and_whitespace_ignored(text):
    assert term(text) in {"客户流失", "customer churn"}


def test_full_width_letters_count_as_ascii():
    # Chinese input methods type full-width letters: "ＶＩＰ客户" is "VIP客户".
    assert term("ＶＩＰ客户") == "VIP customer"
    assert term("vip客户") == "VIP customer"


@pytest.mark.parametrize(
    ("alias", "zh"),
    [
        ("CRM", "客户关系管理"),
        ("customer relationship management (CRM)", "客户关系管理"),
        ("Pareto principle", "二八定律"),
        ("80/20 rule (Pareto principle)", "二八定律"),
        ("conscious (intentional) loyalty", "意识忠诚"),
        ("interest (price) loyalty", "利益忠诚"),
        ("behavioral loyalty", "行为忠诚"),
        ("call center", "呼叫中心"),
    ],
)
def test_glossary_wordings_and_us_spellings(alias, zh):
    assert term(alias) == zh


def test_aliases_point_at_terms_in_the_table():
    assert set(glossary_module._EN_ALIASES.values()) <= set(TABLE["zh"])


def test_term_pair_gives_the_table_spelling():
    assert term_pair(" vip客户 ") == ("VIP客户", "VIP customer")
    assert term_pair("pareto principle") == ("二八定律", "80/20 rule")


# --- round trips and the rule for shared English -------------------------------------


def _shared_english(table=TABLE):
    """Rows whose English (casefolded) another row also has."""
    return table[table["en"].str.casefold().duplicated(keep=False)]


UNIQUE_ENGLISH = sorted(set(TABLE["zh"]) - set(_shared_english()["zh"]))


@pytest.mark.parametrize("zh", UNIQUE_ENGLISH)
def test_every_term_with_unique_english_round_trips(zh):
    assert term(term(zh)) == zh


def test_almost_every_term_has_unique_english():
    assert len(UNIQUE_ENGLISH) == len(TABLE) - 2


def test_shared_english_rule():
    # "price sensitivity" is both the glossary's 价格敏感度 (COURSE.md section 7) and the
    # loyalty measure 对价格的敏感程度 (section 3, 001). English -> Chinese gives the
    # entry section 7 lists, even though the loyalty measure comes first in the table.
    shared = _shared_english()
    assert set(shared["zh"]) == {"价格敏感度", "对价格的敏感程度"}
    assert term("对价格的敏感程度") == "price sensitivity"
    assert term("价格敏感度") == "price sensitivity"
    assert term("price sensitivity") == "价格敏感度"
    assert term(term("对价格的敏感程度")) == "价格敏感度"
    zh_order = TABLE["zh"].tolist()
    assert zh_order.index("对价格的敏感程度") < zh_order.index("价格敏感度")


def test_every_shared_english_resolves_to_a_section_7_entry_or_the_first():
    section_7 = set(glossary(7)["zh"])
    for _, group in _shared_english().groupby(TABLE["en"].str.casefold()):
        listed = [zh for zh in group["zh"] if zh in section_7]
        expected = listed[0] if listed else group["zh"].iloc[0]
        assert term(group["en"].iloc[0]) == expected


# --- unknown terms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("流失", "客户流失"),  # substring: 流失 is in 客户流失, 流失率, ...
        ("流失", "流失率"),
        ("客户流失率", "客户流失"),  # the other way: 客户流失 is in 客户流失率
        ("客户忠城", "客户忠诚"),  # a typo (城 for 诚)
        ("customer chrun", "customer churn"),
        ("churn", "churn rate"),
        ("satisfaction", "customer satisfaction"),
        ("behavioural loyality", "behavioural loyalty"),
    ],
)
def test_unknown_term_names_close_matches(text, suggested):
    with pytest.raises(KeyError, match="is not in the glossary") as excinfo:
        term(text)
    message = str(excinfo.value)
    assert repr(text) in message
    assert suggested in message


def test_unknown_term_suggestions_show_both_languages():
    with pytest.raises(KeyError) as excinfo:
        term("流失")
    assert "客户流失 (customer churn)" in str(excinfo.value)
    with pytest.raises(KeyError) as excinfo:
        term("customer chrun")
    assert "customer churn (客户流失)" in str(excinfo.value)


def test_many_close_matches_are_cut_short():
    with pytest.raises(KeyError, match=r"and \d+ more"):
        term("忠诚")


def test_nothing_close():
    with pytest.raises(KeyError, match="Nothing close to it"):
        term("zzzz")


# --- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", [None, 3, 3.5, b"customer churn", ["客户流失"]])
def test_non_string_raises_type_error(bad):
    with pytest.raises(TypeError, match="must be a string"):
        term(bad)


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_raises_value_error(bad):
    with pytest.raises(ValueError, match="empty"):
        term(bad)


# --- the table -----------------------------------------------------------------------


def test_glossary_columns_and_dtypes():
    assert list(TABLE.columns) == ["zh", "en", "section", "note"]
    assert pd.api.types.is_integer_dtype(TABLE["section"])
    assert TABLE["section"].between(0, 6).all()
    assert TABLE.notna().all().all()
    assert (TABLE["zh"].str.len() > 0).all() and (TABLE["en"].str.len() > 0).all()


def test_no_duplicate_chinese_terms():
    duplicated = TABLE.loc[TABLE["zh"].duplicated(), "zh"].tolist()
    assert duplicated == []


def test_no_surrounding_whitespace_in_table():
    for column in ("zh", "en", "note"):
        assert (TABLE[column] == TABLE[column].str.strip()).all(), column


@pytest.mark.parametrize("section", range(7))
def test_section_filter(section):
    part = glossary(section)
    assert len(part) > 0
    assert (part["section"] == section).all()
    assert list(part.index) == list(range(len(part)))
    assert len(part) == (TABLE["section"] == section).sum()


def test_sections_add_up():
    assert sum(len(glossary(s)) for s in range(7)) == len(TABLE)


def test_section_7_is_the_course_glossary():
    # COURSE.md section 7 lists 78 terms; each of them is in the table.
    part = glossary(7)
    assert len(part) == 78
    assert set(part["zh"]) == set(glossary_module._SECTION_7)
    assert {"客户流失", "客户终身价值", "营销自动化"} <= set(part["zh"])
    assert "基本型" not in set(part["zh"])  # from section 2, not the glossary list


def test_section_accepts_numpy_integers():
    assert len(glossary(np.int64(4))) == len(glossary(4))


@pytest.mark.parametrize("bad", [8, -1, 1.0, "3", True])
def test_invalid_section_is_named(bad):
    with pytest.raises(ValueError, match=f"got {bad!r}"):
        glossary(bad)


def test_course_terms_named_in_the_brief_are_present():
    zh = set(TABLE["zh"])
    assert {"美誉度", "知名度", "回头率", "抱怨率", "销售力"} <= zh  # satisfaction indicators
    assert {
        "重复购买次数",
        "购买挑选时间",
        "对价格的敏感程度",
        "对竞争产品的态度",
        "对产品质量的承受能力",
    } <= zh  # loyalty measures
    assert {"基本型", "被动型", "负责型", "能动型", "伙伴型"} <= zh  # relationship levels
    assert {
        "商品价格",
        "微妙事件的不良处理",
        "商品质量",
        "消极的服务接触",
        "竞争对手",
        "非自愿",
    } <= zh  # churn causes
    assert {
        "初步情况分析",
        "非正式调查",
        "决定搜集资料的方法",
        "准备调查表格",
        "抽样设计与调查",
        "数据处理",
    } <= zh  # survey steps
    assert {"无忠诚感", "满意或习惯", "偏好", "忠贞不二"} <= zh  # layers of loyalty
    assert "客户价值金字塔" in zh


def test_glossary_returns_a_copy():
    table = glossary()
    table.loc[0, "en"] = "changed"
    assert term("客户关系管理") == "customer relationship management"
    assert glossary().loc[0, "en"] == "customer relationship management"


def test_docstring_examples_are_real():
    result = doctest.testmod(glossary_module)
    assert result.attempted > 0
    assert result.failed == 0
