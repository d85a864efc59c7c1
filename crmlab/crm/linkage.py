"""Messy customer records (客户档案重复): find the records that are the same firm.

A CRM's customer master collects the same firm more than once: typed by different staff,
with or without the legal form (有限公司, Co., Ltd.), in full-width characters, with a
typo, under its English name, with the phone number written another way. This module is
thin glue around the record-linkage library ``recordlinkage`` (the Python Record Linkage
Toolkit, de Bruin 2019): Chinese-aware normalisation of names and phone numbers here,
candidate pairs (blocking) and field comparisons from the library, then a transparent
rule (a pair is the same firm when enough fields agree), connected pairs as clusters, and
precision and recall against a true mapping.

References
----------
Christen, P. (2012). *Data Matching*. Springer (blocking, comparison, evaluation by
pairwise precision and recall).
de Bruin, J. (2019). Python Record Linkage Toolkit (recordlinkage), version 0.16.
Fellegi, I. P. & Sunter, A. B. (1969). A theory for record linkage. *JASA* 64, 1183-1210.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from crmlab._validate import format_rows, require_columns, require_frame

__all__ = [
    "LEGAL_FORMS",
    "normalise_name",
    "normalise_phone",
    "find_duplicates",
    "duplicate_clusters",
    "true_pairs",
    "linkage_quality",
]

#: Legal-form words removed from a firm's name (longest first), Chinese and English.
LEGAL_FORMS = [
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "公司",
    "company limited",
    "co ltd",
    "co limited",
    "limited",
    "company",
    "corporation",
    "corp",
    "ltd",
    "inc",
    "llc",
    "gmbh",
    "co",
]
_PUNCT = re.compile(r"[\s\W_]+", flags=re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def normalise_name(name: object) -> str:
    """A firm's name reduced to what identifies it.

    Steps: Unicode NFKC (full-width letters, digits and brackets become half-width:
    ``ＡＢＣ（上海）`` → ``ABC(上海)``), lower case, punctuation and spaces removed
    between words, then legal forms at the end removed (:data:`LEGAL_FORMS`, repeatedly:
    ``有限责任公司``, ``公司``, ``Co., Ltd.``, ...). A missing name gives ``""``.

    Parameters
    ----------
    name : str or None
        A name as typed.

    Returns
    -------
    str
        The normalised name (may be empty).

    Examples
    --------
    >>> normalise_name("上海华通贸易有限责任公司"), normalise_name("上海华通贸易公司")
    ('上海华通贸易', '上海华通贸易')
    >>> normalise_name("ＨＵＡＴＯＮＧ  Trading Co., Ltd.")
    'huatongtrading'
    """
    if name is None or (isinstance(name, float) and np.isnan(name)) or name is pd.NA:
        return ""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    words = [w for w in _PUNCT.split(text) if w]
    changed = True
    while changed and words:
        changed = False
        # English legal forms: whole trailing words ("co", "ltd"; "co ltd")
        for form in LEGAL_FORMS:
            parts = form.split()
            if not _CJK.search(form) and len(words) > len(parts) and words[-len(parts) :] == parts:
                words = words[: -len(parts)]
                changed = True
                break
        # Chinese legal forms: a trailing substring of the last word
        last = words[-1]
        for form in LEGAL_FORMS:
            if _CJK.search(form) and last.endswith(form) and len(last) > len(form):
                words[-1] = last[: -len(form)]
                changed = True
                break
    return "".join(words)


def normalise_phone(phone: object) -> str:
    """The digits of a phone number (NFKC first, so full-width digits count).

    ``+86 (21) 6234-5678``, ``021 62345678`` and ``０２１－６２３４５６７８`` differ in their
    prefixes (country code, trunk 0); :func:`find_duplicates` therefore compares the last
    eight digits, the subscriber number in most numbering plans. A missing number gives
    ``""``.

    Parameters
    ----------
    phone : str or None
        A phone number as typed.

    Returns
    -------
    str
        Its digits, in order.

    Examples
    --------
    >>> normalise_phone("+86 (21) 6234-5678"), normalise_phone("０２１－６２３４５６７８")
    ('862162345678', '02162345678')
    """
    if phone is None or (isinstance(phone, float) and np.isnan(phone)) or phone is pd.NA:
        return ""
    text = unicodedata.normalize("NFKC", str(phone))
    return "".join(ch for ch in text if ch.isdigit())
