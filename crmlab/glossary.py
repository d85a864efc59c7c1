"""The course's terms, Chinese <-> English (术语表).

Every term of the syllabus glossary (COURSE.md section 7) plus the other terms the
syllabus names with a Chinese term: the five satisfaction indicators, the survey steps,
the relationship levels 基本型 ... 伙伴型, the four layers and the types of loyalty, the
five loyalty measures, the six churn causes, and so on. Each term carries the COURSE.md
section (0-6) whose chapter teaches it. Two kinds of entry are ours, and their notes say
so: the names of the four layers of loyalty (seed 000 describes the layers but names none;
the labels follow its wording) and the five SERVQUAL dimensions (not in the seeds).

:func:`term` translates in either direction; :func:`glossary` returns the table.

When one English term belongs to several Chinese terms (e.g. "price sensitivity" is both
the glossary's 价格敏感度 and the loyalty measure 对价格的敏感程度), English -> Chinese gives
the entry that COURSE.md section 7 lists, else the first in table order (the first listed
one if section 7 lists several). Chinese -> English is always unique.
"""

from __future__ import annotations

import difflib
import operator
import re
import unicodedata

import pandas as pd

__all__ = ["term", "term_pair", "glossary"]

# (zh, en, COURSE.md section that teaches it, note). Sources in notes are the seed files
# (000-004) that COURSE.md cites. No zh appears twice.
# fmt: off
_TERMS: tuple[tuple[str, str, int, str], ...] = (
    # 0. Why CRM (为什么要做客户关系管理)
    ("客户关系管理", "customer relationship management", 0,
     "CRM: a management idea, a management mechanism and software at once (001)"),
    ("以客户为中心", "customer-centred", 0, ""),
    ("一对一营销", "one-to-one marketing", 0, "'one-to-one' (一对一) service (001, 003)"),
    ("客户获取", "customer acquisition", 0, "daily work of a firm, 1 of 3 (001)"),
    ("客户保有", "customer retention", 0, "daily work of a firm, 2 of 3 (001)"),
    ("客户价值提升", "raising customer value", 0, "daily work of a firm, 3 of 3 (001)"),
    ("客户价值", "customer value", 0, ""),
    ("客户价值金字塔", "customer value pyramid", 0,
     "keep VIPs' value, move customers up toward VIP (001)"),
    ("二八定律", "80/20 rule", 0,
     "Pareto principle: 80% of revenue or profit from 20% of customers"),
    ("漏斗原理", "leaky-bucket principle", 0,
     "losing 100 customers a week while winning 100 looks flat but costs more (000)"),
    ("口碑效应", "word of mouth", 0,
     "1 satisfied customer -> 8 potential deals; 1 dissatisfied -> 25 people (000)"),
    # 1. Customer survey analysis (客户调查分析)
    ("客户调查", "customer survey", 1, ""),
    ("客户调查的内容", "contents of a customer survey", 1,
     "profile, characteristics, business status, trading status (004)"),
    ("客户基础资料", "basic customer profile", 1,
     "name, address, owners and managers, founding date, legal form, assets"),
    ("客户特征", "customer characteristics", 1, "field, sales capacity, potential, size"),
    ("客户业务状况", "customer business status", 1, "scope, main products, sales performance"),
    ("客户交易现状", "customer trading status", 1,
     "sales activity, problems, image, reputation, credit, trading terms"),
    ("信用状况", "credit status", 1, ""),
    ("客户调查的步骤", "steps of a customer survey", 1, "six steps (004)"),
    ("初步情况分析", "preliminary analysis", 1, "survey step 1"),
    ("非正式调查", "informal survey", 1, "survey step 2"),
    ("决定搜集资料的方法", "choosing data-collection methods", 1, "survey step 3"),
    ("准备调查表格", "preparing the questionnaire", 1,
     "survey step 4: systematic, complete, continuous, usable, predictive"),
    ("抽样设计与调查", "sampling design and fieldwork", 1,
     "survey step 5: sample size, sampling method, statistics"),
    ("数据处理", "data processing", 1, "survey step 6: check, classify, compute, tabulate"),
    ("问卷", "questionnaire", 1, ""),
    ("抽样", "sampling", 1, ""),
    ("样本量", "sample size", 1, ""),
    ("客户满意度", "customer satisfaction", 1,
     "= ideal/expected product - actual product (001)"),
    ("期望", "expectation", 1, "with perception, decides satisfaction (004 Q2)"),
    ("感知", "perception", 1, "with expectation, decides satisfaction (004 Q2)"),
    ("客户满意度的衡量指标", "customer satisfaction indicators", 1, "five indicators (001)"),
    ("美誉度", "reputation", 1, "satisfaction indicator 1"),
    ("知名度", "awareness", 1, "satisfaction indicator 2"),
    ("回头率", "repurchase rate", 1, "satisfaction indicator 3"),
    ("抱怨率", "complaint rate", 1, "satisfaction indicator 4"),
    ("销售力", "sales power", 1, "satisfaction indicator 5"),
    ("关系质量", "relationship quality", 1,
     "trust, satisfaction, belonging, business friendship (002)"),
    ("信任感", "trust", 1, "relationship quality"),
    ("满意感", "satisfaction (feeling)", 1, "relationship quality"),
    ("归属感", "belonging", 1, "relationship quality"),
    ("商业友谊", "business friendship", 1, "relationship quality"),
    ("有形性", "tangibles", 1, "SERVQUAL dimension (Parasuraman et al. 1988); not in seeds"),
    ("可靠性", "reliability", 1, "SERVQUAL dimension (Parasuraman et al. 1988); not in seeds"),
    ("响应性", "responsiveness", 1,
     "SERVQUAL dimension (Parasuraman et al. 1988); not in seeds"),
    ("保证性", "assurance", 1, "SERVQUAL dimension (Parasuraman et al. 1988); not in seeds"),
    ("移情性", "empathy", 1, "SERVQUAL dimension (Parasuraman et al. 1988); not in seeds"),
    # 2. Customer segmentation (客户细分)
    ("客户细分", "customer segmentation", 2, ""),
    ("客户细分的标准", "segmentation criteria", 2,
     "profile, behaviour, location, size, contribution, loyalty, credit, churn risk (004)"),
    ("现有客户", "current customer", 2, "by relationship (004)"),
    ("潜在客户", "potential customer", 2, "by relationship (004)"),
    ("历史客户", "historical customer", 2, "by relationship (004)"),
    ("竞争者客户", "competitor's customer", 2, "by relationship (004)"),
    ("VIP客户", "VIP customer", 2, "by value (004)"),
    ("主要客户", "major customer", 2, "by value (004); also a strategic class (002)"),
    ("普通客户", "ordinary customer", 2, "by value (004)"),
    ("小客户", "small customer", 2, "by value (004)"),
    ("红名单", "red list", 2, "by credit (004)"),
    ("灰名单", "grey list", 2, "by credit (004)"),
    ("黑名单", "black list", 2, "by credit (004)"),
    ("非常满意", "very satisfied", 2, "by satisfaction (004)"),
    ("很满意", "quite satisfied", 2, "by satisfaction (004)"),
    ("基本满意", "basically satisfied", 2, "by satisfaction (004)"),
    ("不满意", "dissatisfied", 2, "by satisfaction (004)"),
    ("很不满意", "very dissatisfied", 2, "by satisfaction (004)"),
    ("非常忠诚", "very loyal", 2, "by loyalty (004)"),
    ("很忠诚", "quite loyal", 2, "by loyalty (004)"),
    ("基本忠诚", "basically loyal", 2, "by loyalty (004)"),
    ("不忠诚", "disloyal", 2, "by loyalty (004)"),
    ("很不忠诚", "very disloyal", 2, "by loyalty (004)"),
    ("新客户", "new customer", 2, "by status (004 Q4)"),
    ("忠诚客户", "loyal customer", 2, "by status (004 Q4)"),
    ("流失客户", "churned customer", 2, "by status (004 Q4)"),
    ("战略客户", "strategic customer", 2, "long, close alliance (002)"),
    ("交易客户", "transactional customer", 2, "keep the transactional relationship (002)"),
    ("风险客户", "risk customer", 2, "refuse or end service (002)"),
    ("资源分配", "resource allocation", 2, "step 3 of segment-based strategy (002)"),
    ("客户关系类型", "relationship levels", 2, "five levels, basic to partnership (001)"),
    ("基本型", "basic", 2, "relationship level 1: sell, then no further contact (001)"),
    ("被动型", "reactive", 2, "relationship level 2: customer asked to call with problems"),
    ("负责型", "accountable", 2, "relationship level 3: seller follows up after the sale"),
    ("能动型", "proactive", 2, "relationship level 4: seller keeps in touch with advice"),
    ("伙伴型", "partnership", 2, "relationship level 5: firm works for the customer's success"),
    ("销售漏斗", "sales funnel", 2, "initial contact -> intention -> negotiation -> contract"),
    ("量化评估体系", "quantified evaluation system", 2,
     "customer profit, influence, loyalty, potential, satisfaction (001)"),
    # 3. Customer loyalty (客户忠诚)
    ("客户忠诚", "customer loyalty", 3, ""),
    ("忠诚度", "loyalty degree", 3, "loyalty as a quantity (000)"),
    ("情感忠诚", "emotional loyalty", 3, "identifies with the firm's ideas and image (000)"),
    ("行为忠诚", "behavioural loyalty", 3, "repeat purchase (000)"),
    ("意识忠诚", "conscious loyalty", 3, "intentional loyalty: future purchase intention (000)"),
    ("从属行为", "affiliated behaviour", 3, "e.g. recommending (001)"),
    ("顾客忠诚的层次", "layers of customer loyalty", 3, "four layers (000)"),
    ("无忠诚感", "no loyalty", 3,
     "loyalty layer 1: buys on price, convenience; 000 describes the layers, names none"),
    ("满意或习惯", "satisfied or habitual", 3,
     "loyalty layer 2: inertia, switching costs; label from 000's wording"),
    ("偏好", "preference", 3, "loyalty layer 3: compared with competitors; from 000's wording"),
    ("忠贞不二", "devotion", 3, "loyalty layer 4: strong preference, emotional attachment"),
    ("垄断忠诚", "monopoly loyalty", 3, "loyalty type (004, 001)"),
    ("亲缘忠诚", "kinship loyalty", 3, "loyalty type (004)"),
    ("利益忠诚", "interest loyalty", 3,
     "loyalty type (004); the glossary adds '(price)'; cf. 价格忠诚 (001)"),
    ("方便忠诚", "convenience loyalty", 3, "loyalty type (004, 001); includes inertia"),
    ("惰性忠诚", "inertia loyalty", 3, "loyalty type (001)"),
    ("信赖忠诚", "trust loyalty", 3, "loyalty type (004): the goal"),
    ("潜在忠诚", "latent loyalty", 3, "loyalty type (001)"),
    ("价格忠诚", "price loyalty", 3, "loyalty type (001); cf. 利益忠诚 (004)"),
    ("激励忠诚", "incentive loyalty", 3, "loyalty type (001)"),
    ("超值忠诚", "super-value loyalty", 3, "loyalty type (001)"),
    ("客户忠诚度的测量", "measuring customer loyalty", 3, "five measures (001)"),
    ("重复购买次数", "number of repeat purchases", 3, "loyalty measure 1"),
    ("购买挑选时间", "time spent choosing", 3, "loyalty measure 2"),
    ("对价格的敏感程度", "price sensitivity", 3,
     "loyalty measure 3; term('price sensitivity') gives 价格敏感度"),
    ("对竞争产品的态度", "attitude to competing products", 3, "loyalty measure 4"),
    ("对产品质量的承受能力", "tolerance of quality problems", 3, "loyalty measure 5"),
    ("价格敏感度", "price sensitivity", 3, ""),
    ("转移成本", "switching cost", 3, "an exit barrier"),
    ("投诉", "complaint", 3, "handle complaints well (004)"),
    # 4. Customer churn (客户流失)
    ("客户流失", "customer churn", 4, ""),
    ("流失率", "churn rate", 4, ""),
    ("客户流失原因", "causes of customer churn", 4, "six causes (004)"),
    ("商品价格", "product price", 4, "churn cause 1: the main cause in trade (004)"),
    ("微妙事件的不良处理", "poor handling of delicate incidents", 4, "churn cause 2 (004)"),
    ("商品质量", "product quality", 4, "churn cause 3: quality below requirements (004)"),
    ("消极的服务接触", "passive service encounters", 4, "churn cause 4 (004)"),
    ("竞争对手", "competitors", 4, "churn cause 5: competitors' actions (004)"),
    ("非自愿", "involuntary reasons", 4, "churn cause 6: relocation, death, ethics (004)"),
    ("动态平衡", "dynamic balance", 4, "zero churn is impossible"),
    ("自然流失", "natural churn", 4, "relocation, change of business: accept it"),
    ("竞争流失", "competitive churn", 4, "respond by attack, defence or retreat"),
    ("过失流失", "fault churn", 4, "the firm's own mistakes: largest share, most harmful"),
    ("进攻策略", "attack strategy", 4, "against competitive churn"),
    ("防守策略", "defence strategy", 4, "against competitive churn"),
    ("撤退策略", "retreat strategy", 4, "against competitive churn"),
    ("流失预警", "churn early warning", 4, "manages customer status (004 Q5)"),
    ("客户终身价值", "customer lifetime value", 4, "CLV; customer value is predicted so (004 Q8)"),
    # 5. CRM systems and strategy (客户关系管理系统)
    ("客户关系管理系统", "CRM system", 5, ""),
    ("客户经理", "account manager", 5, ""),
    ("呼叫中心", "call centre", 5, "service management"),
    ("销售自动化", "sales force automation", 5, "SFA"),
    ("营销自动化", "marketing automation", 5, ""),
    # 6. Exercises from the course (思考和练习题)
    ("思考和练习题", "review questions and exercises", 6, "004"),
    ("中小商户", "small and medium merchants", 6, "not a classification by status (004 Q4)"),
    ("实训", "practical training", 6, "004"),
    ("关键客户", "key customer", 6, "identify a firm's key customers (004)"),
)
# fmt: on

# The Chinese terms that COURSE.md section 7 (术语表) lists (78).
_SECTION_7 = frozenset(
    """
客户关系管理 以客户为中心 一对一营销 客户获取 客户保有 客户价值 客户终身价值 客户价值金字塔
二八定律 漏斗原理 口碑效应 客户调查 问卷 抽样 样本量 数据处理 客户满意度 期望 感知 美誉度
知名度 回头率 抱怨率 销售力 信任感 满意感 归属感 商业友谊 客户细分 现有客户 潜在客户 历史客户
竞争者客户 VIP客户 主要客户 普通客户 小客户 红名单 灰名单 黑名单 新客户 忠诚客户 流失客户
战略客户 交易客户 风险客户 销售漏斗 客户忠诚 忠诚度 情感忠诚 行为忠诚 意识忠诚 垄断忠诚
亲缘忠诚 利益忠诚 方便忠诚 惰性忠诚 信赖忠诚 潜在忠诚 激励忠诚 超值忠诚 价格敏感度 转移成本
客户流失 流失率 自然流失 竞争流失 过失流失 流失预警 动态平衡 进攻策略 防守策略 撤退策略 投诉
客户经理 呼叫中心 销售自动化 营销自动化
""".split()
)

# Other English spellings that find a term: section 7's full wording and US spellings.
_EN_ALIASES: dict[str, str] = {
    "CRM": "客户关系管理",
    "customer relationship management (CRM)": "客户关系管理",
    "Pareto principle": "二八定律",
    "80/20 rule (Pareto principle)": "二八定律",
    "conscious (intentional) loyalty": "意识忠诚",
    "intentional loyalty": "意识忠诚",
    "interest (price) loyalty": "利益忠诚",
    "customer-centered": "以客户为中心",
    "behavioral loyalty": "行为忠诚",
    "affiliated behavior": "从属行为",
    "defense strategy": "防守策略",
    "call center": "呼叫中心",
    "gray list": "灰名单",
    "CLV": "客户终身价值",
    "SFA": "销售自动化",
}

_SECTIONS = range(8)
_MAX_SUGGESTIONS = 8
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _key(text: str) -> str:
    """Lookup key: NFKC (full-width letters to ASCII), trimmed, single spaces, casefolded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _build_index() -> tuple[dict[str, int], dict[str, int]]:
    by_zh: dict[str, int] = {}
    by_en: dict[str, int] = {}
    for i, (zh, en, _, _) in enumerate(_TERMS):
        by_zh[_key(zh)] = i
        k = _key(en)
        # Canonical English -> Chinese: the section-7 entry wins, else the first one.
        if k not in by_en or (zh in _SECTION_7 and _TERMS[by_en[k]][0] not in _SECTION_7):
            by_en[k] = i
    row_of = {zh: i for i, (zh, *_) in enumerate(_TERMS)}
    for alias, zh in _EN_ALIASES.items():
        by_en.setdefault(_key(alias), row_of[zh])
    return by_zh, by_en


_BY_ZH, _BY_EN = _build_index()


def _suggest(key: str, chinese: bool) -> list[int]:
    """Row numbers of close matches (difflib or substring containment), closest first."""
    index = _BY_ZH if chinese else _BY_EN
    close = difflib.get_close_matches(key, list(index), n=_MAX_SUGGESTIONS, cutoff=0.6)
    min_len = 1 if chinese else 3
    contained = [
        k
        for k in index
        if len(key) >= min_len and (key in k or (len(k) >= 2 * min_len and k in key))
    ]

    def closeness(k: str) -> tuple[float, int]:
        return -difflib.SequenceMatcher(None, key, k).ratio(), index[k]

    rows: list[int] = []
    for k in sorted(set(close) | set(contained), key=closeness):
        if index[k] not in rows:
            rows.append(index[k])
    return rows


def _not_found(text: str, key: str, chinese: bool) -> KeyError:
    rows = _suggest(key, chinese)
    if chinese:
        shown = [f"{_TERMS[i][0]} ({_TERMS[i][1]})" for i in rows]
    else:
        shown = [f"{_TERMS[i][1]} ({_TERMS[i][0]})" for i in rows]
    if shown:
        more = len(shown) - _MAX_SUGGESTIONS
        hint = "Close matches: " + ", ".join(shown[:_MAX_SUGGESTIONS])
        hint += f" and {more} more." if more > 0 else "."
    else:
        hint = "Nothing close to it."
    return KeyError(
        f"{text.strip()!r} is not in the glossary. {hint} "
        "See crmlab.glossary.glossary() for every term."
    )


def term_pair(text: str) -> tuple[str, str]:
    """Return the ``(zh, en)`` glossary entry for a term given in either language.

    Parameters
    ----------
    text : str
        A Chinese or English term, matched as :func:`term` does.

    Returns
    -------
    tuple of str
        The Chinese and English forms as the glossary writes them.

    Raises
    ------
    TypeError, ValueError, KeyError
        As :func:`term`.

    Examples
    --------
    >>> term_pair("vip客户")
    ('VIP客户', 'VIP customer')
    >>> term_pair("Pareto principle")
    ('二八定律', '80/20 rule')
    """
    if not isinstance(text, str):
        raise TypeError(f"a term must be a string, got {type(text).__name__}: {text!r}.")
    key = _key(text)
    if not key:
        raise ValueError("the term is empty: pass a Chinese or English term such as '客户流失'.")
    row = _BY_ZH.get(key)
    if row is None:
        row = _BY_EN.get(key)
    if row is None:
        raise _not_found(text, key, chinese=bool(_CJK.search(key)))
    zh, en, _, _ = _TERMS[row]
    return zh, en


def term(text: str) -> str:
    """Translate a course term: Chinese in, English out; English in, Chinese out.

    English is matched case-insensitively, surrounding whitespace is ignored, and
    full-width letters count as ASCII. The glossary's full wordings and a few US
    spellings also work ("CRM", "Pareto principle", "call center").

    When an English term belongs to several Chinese terms, the answer is the entry that
    the course glossary (COURSE.md section 7) lists, else the first in the table; so
    ``term(term(zh)) == zh`` holds except for the other entries. Example: "price
    sensitivity" gives 价格敏感度, not the loyalty measure 对价格的敏感程度.

    Parameters
    ----------
    text : str
        A Chinese or English term from the glossary.

    Returns
    -------
    str
        The term in the other language.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If ``text`` is empty or only whitespace.
    KeyError
        If the term is not in the glossary; the message names close matches.

    See Also
    --------
    glossary : the whole table.

    Examples
    --------
    >>> term("客户流失")
    'customer churn'
    >>> term("  Customer Churn ")
    '客户流失'
    >>> term("price sensitivity")
    '价格敏感度'
    >>> term("对价格的敏感程度")
    'price sensitivity'
    >>> term("流失")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "'流失' is not in the glossary. Close matches: 流失率 (churn rate), ...
    """
    zh, en = term_pair(text)
    return en if _key(text) == _key(zh) else zh


def glossary(section: int | None = None) -> pd.DataFrame:
    """Return the course's terms as a table, optionally those of one COURSE.md section.

    Parameters
    ----------
    section : int, optional
        0-6: the terms whose chapter that section of COURSE.md is (0 why CRM, 1 survey,
        2 segmentation, 3 loyalty, 4 churn, 5 CRM systems, 6 exercises). 7: the terms the
        course glossary itself (section 7, 术语表) lists, whatever their chapter.
        None (default): every term.

    Returns
    -------
    pandas.DataFrame
        Columns ``zh``, ``en``, ``section`` (the teaching chapter, 0-6) and ``note``
        (empty string if none), one row per Chinese term, in syllabus order.

    Raises
    ------
    ValueError
        If ``section`` is not None or an integer from 0 to 7.

    Examples
    --------
    >>> table = glossary()
    >>> list(table.columns)
    ['zh', 'en', 'section', 'note']
    >>> glossary(4)[["zh", "en"]].head(3)
           zh                        en
    0    客户流失            customer churn
    1     流失率                churn rate
    2  客户流失原因  causes of customer churn
    >>> len(glossary(7))  # the course glossary's own list
    78
    """
    table = pd.DataFrame(list(_TERMS), columns=["zh", "en", "section", "note"])
    if section is None:
        return table
    try:
        number = None if isinstance(section, bool) else operator.index(section)
    except TypeError:
        number = None
    if number not in _SECTIONS:
        raise ValueError(
            f"section must be None or an integer from 0 to 7 (a COURSE.md section), "
            f"got {section!r}."
        )
    if number == 7:
        rows = table["zh"].isin(_SECTION_7)
    else:
        rows = table["section"] == number
    return table[rows].reset_index(drop=True)
