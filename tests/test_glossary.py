"""Tests for crmlab.glossary: the course's terms, Chinese <-> English, with definitions."""

import doctest
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab import _glossary_data as data
from crmlab import glossary as glossary_module
from crmlab.glossary import define, glossary, term, term_pair

TABLE = glossary()
ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff]")


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
        ("曲线下面积", "AUC"),
        ("风险比", "hazard ratio"),
        ("克莱姆V系数", "Cramér's V"),
        ("BG/NBD模型", "BG/NBD"),
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
    assert term("ＡＵＣ") == "曲线下面积"


def test_typographic_apostrophes_and_dashes_count_as_ascii():
    assert term("Cronbach\u2019s alpha") == "克朗巴哈系数"
    assert term("Kaplan\u2013Meier") == "Kaplan-Meier估计"
    assert term("log\u2010rank test") == "对数秩检验"


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
        ("Cramer's V", "克莱姆V系数"),
        ("area under the ROC curve", "曲线下面积"),
        ("share_expected_below_5", "期望频数小于5的比例"),
        ("difference-in-differences", "双重差分"),
    ],
)
def test_fuller_wordings_abbreviations_and_us_spellings(alias, zh):
    assert term(alias) == zh


def test_every_alias_finds_its_own_term():
    # An alias that happened to equal another entry's English would be shadowed by it.
    for alias, zh in data.EN_ALIASES.items():
        assert term_pair(alias)[0] == zh, alias


def test_aliases_and_preferences_point_at_terms_in_the_table():
    assert set(data.EN_ALIASES.values()) <= set(TABLE["zh"])
    assert set(data.PREFERRED.values()) <= set(TABLE["zh"])


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


def test_only_price_sensitivity_is_shared():
    assert set(_shared_english()["zh"]) == {"价格敏感度", "对价格的敏感程度"}
    assert len(UNIQUE_ENGLISH) == len(TABLE) - 2


def test_shared_english_gives_the_general_term():
    # "price sensitivity" is both the general 价格敏感度 and the loyalty measure
    # 对价格的敏感程度 (CRM slides). English -> Chinese gives the general term, even though
    # the loyalty measure comes first in the table.
    assert term("对价格的敏感程度") == "price sensitivity"
    assert term("价格敏感度") == "price sensitivity"
    assert term("price sensitivity") == "价格敏感度"
    assert term(term("对价格的敏感程度")) == "价格敏感度"
    zh_order = TABLE["zh"].tolist()
    assert zh_order.index("对价格的敏感程度") < zh_order.index("价格敏感度")
    # and define() follows the same rule
    assert define("price sensitivity") == define("价格敏感度")
    assert define("price sensitivity") != define("对价格的敏感程度")


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
        ("hazard ratios", "hazard ratio"),
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
    with pytest.raises(TypeError, match="must be a string"):
        define(bad)


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_raises_value_error(bad):
    with pytest.raises(ValueError, match="empty"):
        term(bad)
    with pytest.raises(ValueError, match="empty"):
        define(bad)


# --- define() -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zh", "en"),
    [("客户流失", "customer churn"), ("曲线下面积", "AUC"), ("二八定律", "80/20 rule")],
)
def test_define_accepts_either_language_and_answers_in_the_one_asked(zh, en):
    row = TABLE.set_index("zh").loc[zh]
    for text in (zh, en, en.upper(), f"  {zh} "):
        assert define(text) == row["definition_en"]
        assert define(text, "en") == row["definition_en"]
        assert define(text, lang="zh") == row["definition_zh"]


def test_define_default_is_english():
    assert not CJK.search(define("客户流失"))
    assert CJK.search(define("customer churn", "zh"))


@pytest.mark.parametrize("lang", ["en", "EN", " en ", "en-GB", "en_US"])
def test_language_codes_for_english(lang):
    assert define("lift", lang) == define("lift", "en")


@pytest.mark.parametrize("lang", ["zh", "ZH", "zh-CN", "zh_CN", "zh-Hans", "zh_TW"])
def test_language_codes_for_chinese(lang):
    assert define("lift", lang) == define("提升度", "zh")


@pytest.mark.parametrize("lang", ["fr", "", "chinese", "中文", "e", "ent", None, 1, ["zh"]])
def test_unknown_language_raises_value_error_naming_it(lang):
    with pytest.raises(ValueError, match=re.escape(f"got {lang!r}")):
        define("客户流失", lang)


def test_unknown_language_is_reported_before_an_unknown_term():
    with pytest.raises(ValueError, match="lang must be 'en'"):
        define("no such term", "fr")


def test_define_unknown_term_names_close_matches():
    with pytest.raises(KeyError, match="Cox model") as excinfo:
        define("Cox modle", "zh")
    assert "'Cox modle' is not in the glossary" in str(excinfo.value)


@pytest.mark.parametrize(
    ("text", "en_fragments", "zh_fragments"),
    [
        # facts each definition must state (textbook values, not read off the table)
        ("二八定律", ["80%", "20%"], ["80%", "20%"]),
        ("AUC", ["0.5", "1 is perfect"], ["0.5", "1为完美"]),
        ("expected count", ["row total", "column total", "grand total"], ["行合计", "列合计"]),
        ("share of expected counts below 5", ["below 5", "20%"], ["小于5", "20%"]),
        ("Cramér's V", ["0 (no relation)", "1 (perfect"], ["0表示", "1表示"]),
        ("Cronbach's alpha", ["at most 1", "0.7"], ["最大为1", "0.7"]),
        ("price elasticity", ["-2", "1%", "2%"], ["-2", "1%", "2%"]),
        ("hazard ratio", ["below 1"], ["小于1"]),
        ("adjusted Rand index", ["1 when", "about 0"], ["为1", "约为0"]),
        ("Heywood case", ["communality", "1"], ["共同度", "1"]),
        ("retention rate", ["1 minus the churn rate"], ["1减去流失率"]),
        ("churn rate", ["start of a period", "left"], ["期初", "离开"]),
    ],
)
def test_definitions_state_the_defining_facts(text, en_fragments, zh_fragments):
    for fragment in en_fragments:
        assert fragment in define(text), fragment
    for fragment in zh_fragments:
        assert fragment in define(text, "zh"), fragment


# --- every term has two plain one-sentence definitions -----------------------------


@pytest.mark.parametrize("row", list(TABLE.itertuples(index=False)), ids=list(TABLE["zh"]))
def test_every_term_has_one_sentence_in_each_language(row):
    en, zh = row.definition_en, row.definition_zh
    assert en.strip() == en and zh.strip() == zh
    # English: a capitalised sentence with a full stop at the end and none inside
    assert re.fullmatch(r"[A-Z0-9'].*\.", en), en
    assert ". " not in en and "e.g." not in en, en
    assert not CJK.search(en) or "(" in en, en  # Chinese only as a quoted term in brackets
    assert 25 <= len(en) <= 200, len(en)
    # Chinese: Chinese text ending in one full stop
    assert CJK.search(zh), zh
    assert zh.endswith("。") and zh.count("。") == 1, zh
    assert 8 <= len(zh) <= 80, len(zh)


@pytest.mark.parametrize("row", list(TABLE.itertuples(index=False)), ids=list(TABLE["zh"]))
def test_no_definition_repeats_the_term(row):
    names = {row.zh.casefold(), row.en.casefold()}
    for definition in (row.definition_en, row.definition_zh):
        text = definition.casefold()
        for name in names:
            assert name not in text, (name, definition)


def test_the_two_definitions_give_the_same_numbers():
    number = re.compile(r"\d+(?:\.\d+)?")
    for row in TABLE.itertuples(index=False):
        en = set(number.findall(row.definition_en))
        zh = set(number.findall(row.definition_zh))
        assert en == zh, (row.zh, en, zh)


def test_definitions_are_distinct():
    assert not TABLE["definition_en"].duplicated().any()
    assert not TABLE["definition_zh"].duplicated().any()


# --- the statistical terms students meet ----------------------------------------------

STATISTICAL_TERMS = [
    "AUC",
    "lift",
    "log-rank test",
    "Efron ties",
    "Schoenfeld residuals",
    "proportional hazards",
    "Kaplan-Meier",
    "Cox model",
    "hazard ratio",
    "DerSimonian-Laird shrinkage",
    "varimax",
    "factor loading",
    "communality",
    "Heywood case",
    "Cronbach's alpha",
    "Gaussian hypergeometric function",
    "chi-square test",
    "expected count",
    "share of expected counts below 5",
    "Cramér's V",
    "silhouette",
    "adjusted Rand index",
    "BG/NBD",
    "Gamma-Gamma",
    "p-value",
    "confidence interval",
    "Spearman rank correlation",
    "difference in differences",
    "uplift",
    "Qini curve",
    "record linkage",
    "precision",
    "recall",
]


@pytest.mark.parametrize("en", STATISTICAL_TERMS)
def test_statistical_terms_are_there_with_a_chinese_name(en):
    zh, found = term_pair(en)
    assert found == en
    assert CJK.search(zh), zh
    row = TABLE.set_index("zh").loc[zh]
    assert row["kind"] == "workbook"
    assert define(en) and define(zh, "zh")


# --- the table -----------------------------------------------------------------------


def test_glossary_columns_and_dtypes():
    assert list(TABLE.columns) == [
        "zh",
        "en",
        "section",
        "kind",
        "note",
        "definition_en",
        "definition_zh",
    ]
    assert pd.api.types.is_integer_dtype(TABLE["section"])
    assert TABLE["section"].between(0, 7).all()
    assert set(TABLE["kind"]) == {"course", "workbook"}
    assert TABLE.notna().all().all()
    assert (TABLE["zh"].str.len() > 0).all() and (TABLE["en"].str.len() > 0).all()


def test_every_chinese_name_has_chinese_characters():
    assert TABLE["zh"].str.contains(CJK).all()
    assert not TABLE["en"].str.contains(CJK).any()


def test_no_duplicate_chinese_terms():
    duplicated = TABLE.loc[TABLE["zh"].duplicated(), "zh"].tolist()
    assert duplicated == []


def test_no_surrounding_whitespace_in_table():
    for column in ("zh", "en", "note"):
        assert (TABLE[column] == TABLE[column].str.strip()).all(), column


def test_rows_are_in_section_order():
    assert TABLE["section"].is_monotonic_increasing


@pytest.mark.parametrize("section", range(8))
def test_section_filter(section):
    part = glossary(section)
    assert len(part) > 0
    assert (part["section"] == section).all()
    assert list(part.index) == list(range(len(part)))
    assert len(part) == (TABLE["section"] == section).sum()


def test_sections_add_up():
    assert sum(len(glossary(s)) for s in range(8)) == len(TABLE)


def test_kind_filter():
    course, workbook = glossary(kind="course"), glossary(kind="workbook")
    assert len(course) + len(workbook) == len(TABLE)
    assert "客户流失" in set(course["zh"]) and "客户流失" not in set(workbook["zh"])
    assert "风险比" in set(workbook["zh"])
    both = glossary(4, kind="workbook")
    assert ((both["section"] == 4) & (both["kind"] == "workbook")).all()
    assert len(both) == ((TABLE["section"] == 4) & (TABLE["kind"] == "workbook")).sum()


def test_section_accepts_numpy_integers():
    assert len(glossary(np.int64(4))) == len(glossary(4))


@pytest.mark.parametrize("bad", [8, -1, 1.0, "3", True])
def test_invalid_section_is_named(bad):
    with pytest.raises(ValueError, match=f"got {bad!r}"):
        glossary(bad)


@pytest.mark.parametrize("bad", ["Course", "stats", "", 1])
def test_invalid_kind_is_named(bad):
    with pytest.raises(ValueError, match=re.escape(f"got {bad!r}")):
        glossary(kind=bad)


def test_course_terms_named_in_the_course_are_present():
    zh = set(glossary(kind="course")["zh"])
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
    assert {"客户利润", "客户影响力", "忠诚度", "客户潜力", "客户满意度"} <= zh  # evaluation
    assert "客户价值金字塔" in zh


def test_glossary_returns_a_copy():
    table = glossary()
    table.loc[0, "en"] = "changed"
    table.loc[0, "definition_en"] = "changed"
    assert term("客户关系管理") == "customer relationship management"
    assert glossary().loc[0, "en"] == "customer relationship management"
    assert define("客户关系管理") != "changed"


def test_docstring_examples_are_real():
    for module in (glossary_module, data):
        result = doctest.testmod(module)
        assert result.failed == 0
    assert doctest.testmod(glossary_module).attempted > 0


# --- the course notes use the glossary's terms ---------------------------------------

NOTES = {"en": ROOT / "docs" / "course.md", "zh": ROOT / "docs" / "zh" / "course.md"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_course_notes_name_every_course_term_in_chinese(lang):
    # The notes put the Chinese term beside each concept, in both editions.
    text = NOTES[lang].read_text(encoding="utf-8")
    missing = [zh for zh in glossary(kind="course")["zh"] if zh not in text]
    assert missing == []


def test_course_notes_editions_have_the_same_sections():
    label = re.compile(r"^\((?:zh-)?(course-[a-z-]+)\)=$", re.MULTILINE)
    en = label.findall(NOTES["en"].read_text(encoding="utf-8"))
    zh = label.findall(NOTES["zh"].read_text(encoding="utf-8"))
    assert en == zh
    assert {"course-why-crm", "course-churn", "course-value", "course-sources"} <= set(en)
    assert len(set(en)) == len(en)


@pytest.mark.parametrize(
    "path",
    [*NOTES.values(), ROOT / "crmlab" / "glossary.py", ROOT / "crmlab" / "_glossary_data.py"],
    ids=["course.md", "zh/course.md", "glossary.py", "_glossary_data.py"],
)
def test_no_pointers_outside_the_repository(path):
    # The repository stands alone: its sources are cited by title, and "seed" means only
    # a random-number seed.
    text = path.read_text(encoding="utf-8")
    for word in ("COURSE.md", "DESIGN.md", "../shared", "shared/seeds"):
        assert word not in text
    assert not re.search(r"\bseeds?\b", text, re.IGNORECASE)
