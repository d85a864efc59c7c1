"""The course's terms in Chinese and English, each with a plain one-line definition (术语表).

The table holds two kinds of term:

- **course** terms: every concept of the course notes (``docs/course.md``) that has a
  Chinese name, from CRM itself to the six causes of churn, the five loyalty measures and
  the relationship levels 基本型 ... 伙伴型. Two groups of labels are ours and their notes
  say so: the names of the four layers of loyalty (the loyalty paper describes the layers
  but names none) and the 4P marketing mix's Chinese name.
- **workbook** terms: the statistics and methods the notebooks use that the course texts
  do not (SERVQUAL, Cronbach's alpha, Kaplan-Meier, the Cox model, AUC, BG/NBD, uplift,
  ...), so that a student meeting one in a notebook can look it up.

:func:`term` translates a term in either direction, :func:`define` gives its definition
in English or Chinese, :func:`glossary` returns the table (optionally one section of the
course notes, or one kind). The rows themselves live in :mod:`crmlab._glossary_data`.

Lookups ignore case, surrounding and repeated whitespace, full-width letters (as Chinese
input methods type them), typographic apostrophes and dashes. Fuller wordings,
abbreviations and US spellings also work ("CRM", "Pareto principle", "call center",
"area under the ROC curve", "Cramer's V").

Chinese -> English is always unique. When one English term belongs to several Chinese
terms, English -> Chinese gives the general one: "price sensitivity" is both 价格敏感度
and the loyalty measure 对价格的敏感程度, and gives 价格敏感度.
"""

from __future__ import annotations

import difflib
import operator
import re
import unicodedata

import pandas as pd

from crmlab._glossary_data import EN_ALIASES, PREFERRED, TERMS

__all__ = ["term", "term_pair", "define", "glossary"]

#: Course-notes sections (0-6 go with notebooks 00-06; 7 is the course's own exercises).
SECTIONS = range(8)
#: The two kinds of term.
KINDS = ("course", "workbook")
#: The languages :func:`define` answers in.
LANGUAGES = ("en", "zh")

_MAX_SUGGESTIONS = 8
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# typographic apostrophes and dashes -> ASCII, so "Cronbach’s alpha" and "Kaplan–Meier" match
_ASCII_PUNCTUATION = str.maketrans(
    {"\u2018": "'", "\u2019": "'", **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-")}
)


def _key(text: str) -> str:
    """Lookup key: NFKC (full-width to ASCII), ASCII quotes and dashes, single spaces, casefold."""
    normal = unicodedata.normalize("NFKC", text).translate(_ASCII_PUNCTUATION)
    return " ".join(normal.split()).casefold()


def _build_index() -> tuple[dict[str, int], dict[str, int]]:
    by_zh: dict[str, int] = {}
    by_en: dict[str, int] = {}
    row_of = {entry.zh: i for i, entry in enumerate(TERMS)}
    for i, entry in enumerate(TERMS):
        by_zh[_key(entry.zh)] = i
        by_en.setdefault(_key(entry.en), i)  # the first entry with this English ...
    for en, zh in PREFERRED.items():
        by_en[_key(en)] = row_of[zh]  # ... unless another one is preferred
    for alias, zh in EN_ALIASES.items():
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
        shown = [f"{TERMS[i].zh} ({TERMS[i].en})" for i in rows]
    else:
        shown = [f"{TERMS[i].en} ({TERMS[i].zh})" for i in rows]
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


def _row(text: str) -> int:
    """Row number of a term given in either language; the errors of :func:`term`."""
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
    return row


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
    entry = TERMS[_row(text)]
    return entry.zh, entry.en


def term(text: str) -> str:
    """Translate a term: Chinese in, English out; English in, Chinese out.

    English is matched case-insensitively; surrounding whitespace is ignored, full-width
    letters count as ASCII, typographic apostrophes and dashes as plain ones. Fuller
    wordings, abbreviations and US spellings also work ("CRM", "Pareto principle",
    "call center", "ROC AUC").

    When an English term belongs to several Chinese terms, the answer is the general one,
    so ``term(term(zh)) == zh`` holds except for the other entries. Example: "price
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
    define : the term's definition.
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
    >>> term("hazard ratio")
    '风险比'
    >>> term("流失")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "'流失' is not in the glossary. Close matches: 流失率 (churn rate), ...
    """
    row = _row(text)
    entry = TERMS[row]
    return entry.en if _key(text) == _key(entry.zh) else entry.zh


def _language(lang: object) -> str:
    """'en' or 'zh' from a language code such as 'en', 'ZH', 'zh_CN' or 'zh-Hans'."""
    if isinstance(lang, str):
        primary = re.split(r"[-_]", lang.strip().casefold(), maxsplit=1)[0]
        if primary in LANGUAGES:
            return primary
    raise ValueError(f"lang must be 'en' (English) or 'zh' (Chinese), got {lang!r}.")


def define(text: str, lang: str = "en") -> str:
    """Return the one-sentence plain-language definition of a term.

    Parameters
    ----------
    text : str
        A Chinese or English term, matched as :func:`term` does (case, full-width letters
        and extra spaces do not matter; abbreviations such as "CRM" or "AUC" work).
    lang : {"en", "zh"}, default "en"
        The language of the definition: English or Chinese, whatever the language of
        ``text``. Locale-style codes with a region or script ("zh_CN", "zh-Hans",
        "en-GB") and upper case are accepted.

    Returns
    -------
    str
        One sentence that explains the term without using it.

    Raises
    ------
    ValueError
        If ``lang`` is not English or Chinese, or ``text`` is empty.
    TypeError
        If ``text`` is not a string.
    KeyError
        If the term is not in the glossary; the message names close matches.

    See Also
    --------
    term : the term in the other language.
    glossary : every term with both definitions.

    Examples
    --------
    >>> define("churn rate")
    'The share of the customers at the start of a period who have left by its end.'
    >>> define("流失率", lang="zh")
    '期初的客户中到期末已经离开的比例。'
    >>> define("Churn Rate", "zh_CN")
    '期初的客户中到期末已经离开的比例。'
    >>> define("基尼系数")  # doctest: +ELLIPSIS
    'A number from 0 to 1 for how unequally value is shared: 0 when every customer ...'
    >>> define("AUC", lang="fr")
    Traceback (most recent call last):
    ...
    ValueError: lang must be 'en' (English) or 'zh' (Chinese), got 'fr'.
    """
    language = _language(lang)
    entry = TERMS[_row(text)]
    return entry.definition_en if language == "en" else entry.definition_zh


def glossary(section: int | None = None, kind: str | None = None) -> pd.DataFrame:
    """Return the terms as a table, optionally those of one section or of one kind.

    Parameters
    ----------
    section : int, optional
        A section of the course notes (``docs/course.md``): 0 why CRM, 1 customer survey,
        2 segmentation, 3 loyalty, 4 churn, 5 customer value, 6 CRM systems (section N
        goes with notebook NN), 7 the course's own exercises. None (default): all.
    kind : {"course", "workbook"}, optional
        ``"course"``: the course's own terms; ``"workbook"``: the statistics and methods the
        workbook adds. None (default): both.

    Returns
    -------
    pandas.DataFrame
        Columns ``zh``, ``en``, ``section``, ``kind``, ``note`` (where the term comes
        from; empty string if nothing to add), ``definition_en`` and ``definition_zh``;
        one row per Chinese term, in the order of the course notes.

    Raises
    ------
    ValueError
        If ``section`` is not None or an integer from 0 to 7, or ``kind`` is not None,
        "course" or "workbook".

    Examples
    --------
    >>> table = glossary()
    >>> list(table.columns)
    ['zh', 'en', 'section', 'kind', 'note', 'definition_en', 'definition_zh']
    >>> glossary(4)[["zh", "en"]].head(3)
           zh                        en
    0    客户流失            customer churn
    1     流失率                churn rate
    2  客户流失原因  causes of customer churn
    >>> glossary(4, kind="workbook")["en"].head(3).tolist()
    ['survival analysis', 'censoring', 'left truncation']
    """
    table = pd.DataFrame(list(TERMS), columns=list(TERMS[0]._fields))
    try:
        number = None if isinstance(section, bool) else operator.index(section)
    except TypeError:
        number = None
    if section is not None and number not in SECTIONS:
        raise ValueError(
            "section must be None or an integer from 0 to 7 (a section of the course "
            f"notes), got {section!r}."
        )
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be None, 'course' or 'workbook', got {kind!r}.")
    rows = pd.Series(True, index=table.index)
    if section is not None:
        rows &= table["section"] == number
    if kind is not None:
        rows &= table["kind"] == kind
    return table[rows].reset_index(drop=True)
