"""Messy customer records (客户档案重复): find the records that are the same firm.

A CRM's customer master collects the same firm more than once: typed by different staff,
with or without the legal form (有限公司, Co., Ltd.), in full-width characters, with a
typo, under its English name, with the phone number written another way. This module is
thin glue around the probabilistic record-linkage library Splink (Linacre et al. 2022,
run on DuckDB): Chinese-aware normalisation of names and phone numbers here, candidate
pairs by blocking rules, field comparisons and the Fellegi-Sunter match weights from
Splink, connected pairs as clusters, and precision and recall against a true mapping.

References
----------
Christen, P. (2012). *Data Matching*. Springer (blocking, comparison, evaluation by
pairwise precision and recall).
Fellegi, I. P. & Sunter, A. B. (1969). A theory for record linkage. *JASA* 64, 1183-1210.
Linacre, R. et al. (2022). Splink: free software for probabilistic record linkage at
scale. *International Journal of Population Data Science* 7(3).
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
            if not (_CJK.search(form) and last.endswith(form)):
                continue
            if len(last) > len(form):
                words[-1] = last[: -len(form)]
            elif len(words) > 1:
                words.pop()  # the legal form typed apart: 华通贸易 （有限公司）
            else:
                continue
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


def _address_key(address: object) -> str:
    """An address reduced for comparison: NFKC, lower case, no spaces or punctuation."""
    if address is None or (isinstance(address, float) and np.isnan(address)) or address is pd.NA:
        return ""
    text = unicodedata.normalize("NFKC", str(address)).casefold()
    return _PUNCT.sub("", text)


#: The model's agreement levels with their m probability (share of true pairs at that
#: level) and u probability (share of random pairs at that level): Fellegi-Sunter weights
#: log2(m/u), e.g. an equal phone number log2(0.85/0.0002) = 12.05. Stated, not trained, so
#: that a result can be checked by hand; ``prior`` is the probability that two records
#: drawn at random are the same firm.
WEIGHTS = {
    "name": {"exact": (0.70, 0.0005), "similar": (0.20, 0.005), "other": (0.10, 0.9945)},
    "phone": {"exact": (0.85, 0.0002), "other": (0.15, 0.9998)},
    "address": {"exact": (0.60, 0.001), "similar": (0.25, 0.01), "other": (0.15, 0.989)},
    "region": {"exact": (0.95, 0.2), "other": (0.05, 0.8)},
}


_JW = "crmlab_jaro_winkler"


def _comparisons(similar: float):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def levels(field: str, column: str):
        w = WEIGHTS[field]
        out = [
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(
                m_probability=w["exact"][0], u_probability=w["exact"][1]
            ),
        ]
        if "similar" in w:
            # character-level Jaro-Winkler (jellyfish, a DuckDB function registered by
            # find_duplicates): DuckDB's own jaro_winkler_similarity and levenshtein count
            # UTF-8 bytes, three per Chinese character
            condition = f'{_JW}("{column}_l", "{column}_r") >= {float(similar)}'
            out.append(
                cll.CustomLevel(condition, f"similar {column}").configure(
                    m_probability=w["similar"][0], u_probability=w["similar"][1]
                )
            )
        out.append(
            cll.ElseLevel().configure(m_probability=w["other"][0], u_probability=w["other"][1])
        )
        return cl.CustomComparison(output_column_name=column, comparison_levels=out)

    return [
        levels("name", "name_key"),
        levels("phone", "phone_key"),
        levels("address", "address_key"),
        levels("region", "region"),
    ]


def find_duplicates(
    records: pd.DataFrame,
    *,
    id_col: str = "record_id",
    name: str = "name",
    phone: str = "phone",
    address: str = "address",
    region: str = "region",
    threshold: float = 0.9,
    prior: float = 1e-4,
    similar: float = 0.88,
) -> pd.DataFrame:
    """Pairs of customer records that are probably the same firm (重复客户档案).

    The records are normalised (:func:`normalise_name`, the last eight digits of
    :func:`normalise_phone`, the address without spaces and punctuation), then Splink
    forms candidate pairs that share a normalised name, a phone number, an address, or a
    region and the first three characters of the name (blocking), compares each pair field
    by field (exact, Jaro-Winkler similarity at least ``similar`` counted in characters
    with ``jellyfish``, or neither; a missing
    value counts as neither agreement nor disagreement) and scores it as Fellegi and
    Sunter do: match weight = log2(prior / (1 - prior)) + the sum of each field's
    log2(m/u) (:data:`WEIGHTS`), match probability = 2^w / (1 + 2^w).

    Parameters
    ----------
    records : DataFrame
        One row per record (the CRM's ``records`` table).
    id_col, name, phone, address, region : str
        Column names; ``phone`` and ``address`` may hold missing values.
    threshold : float
        Keep pairs with a match probability at least this (default 0.9).
    prior : float
        Probability that two records drawn at random are the same firm (default 1e-4,
        i.e. about one duplicate pair among 10,000 pairs).
    similar : float
        Jaro-Winkler similarity from which two names or addresses count as similar.

    Returns
    -------
    DataFrame
        One row per pair (``record_id_1`` < ``record_id_2``), highest probability first:
        ``match_weight``, ``match_probability`` and the level of each field
        (``name``, ``phone``, ``address``, ``region``: ``exact``, ``similar``, ``other``
        or ``missing``).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If ids are missing or duplicated, or ``threshold``/``prior`` is not in (0, 1).

    References
    ----------
    Fellegi, I. P. & Sunter, A. B. (1969). A theory for record linkage. *JASA* 64.
    Linacre, R. et al. (2022). Splink: free software for probabilistic record linkage at
    scale. *International Journal of Population Data Science* 7(3).

    Examples
    --------
    >>> records = pd.DataFrame({"record_id": ["D1", "D2", "D3"],
    ...     "name": ["上海华通贸易有限公司", "上海华通贸易公司", "北京远洋"],
    ...     "phone": ["021-62345678", "+86 21 6234 5678", "010 8765 4321"],
    ...     "address": [None, None, None], "region": ["east_asia"] * 3})
    >>> find_duplicates(records)[["record_id_1", "record_id_2", "name", "phone"]]
      record_id_1 record_id_2   name  phone
    0          D1          D2  exact  exact
    """
    require_frame(records, "records")
    require_columns(records, [id_col, name, phone, address, region], "records")
    for value, label in ((threshold, "threshold"), (prior, "prior")):
        if not 0 < float(value) < 1:
            raise ValueError(f"{label} must be in (0, 1), got {value!r}.")
    ids = records[id_col]
    if ids.isna().any():
        raise ValueError(
            f"column {id_col!r} is missing in rows {format_rows(records.index[ids.isna()])}."
        )
    if ids.duplicated().any():
        raise ValueError(
            f"column {id_col!r} repeats ids in rows "
            f"{format_rows(records.index[ids.duplicated(keep=False)])}."
        )
    prepared = pd.DataFrame(
        {
            "unique_id": pd.array(ids.astype(str), dtype="str"),
            "name_key": pd.array([normalise_name(v) or None for v in records[name]], dtype="str"),
            "phone_key": pd.array(
                [normalise_phone(v)[-8:] or None for v in records[phone]], dtype="str"
            ),
            "address_key": pd.array(
                [_address_key(v) or None for v in records[address]], dtype="str"
            ),
            "region": pd.array(
                records[region].astype("object").where(records[region].notna()), dtype="str"
            ),
        }
    )
    prepared["name_start"] = prepared["name_key"].str[:3]
    columns = [
        "record_id_1",
        "record_id_2",
        "match_weight",
        "match_probability",
        "name",
        "phone",
        "address",
        "region",
    ]
    if len(prepared) < 2:
        return pd.DataFrame(columns=columns)

    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=float(prior),
        comparisons=_comparisons(similar),
        blocking_rules_to_generate_predictions=[
            block_on("name_key"),
            block_on("phone_key"),
            block_on("address_key"),
            block_on("region", "name_start"),
        ],
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
    )
    import duckdb
    import jellyfish

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # no Jupyter widget in a notebook's output
    con.create_function(
        _JW, lambda a, b: jellyfish.jaro_winkler_similarity(a, b), ["VARCHAR", "VARCHAR"], "DOUBLE"
    )
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register(prepared), settings, log_level=40)
    try:
        pred = linker.inference.predict(threshold_match_probability=float(threshold))
        pairs = pred.as_pandas_dataframe()
    finally:
        con.close()
    level_names = {
        "name_key": ["other", "similar", "exact"],
        "phone_key": ["other", "exact"],
        "address_key": ["other", "similar", "exact"],
        "region": ["other", "exact"],
    }
    out = pd.DataFrame(
        {
            "record_id_1": pairs["unique_id_l"].astype(str),
            "record_id_2": pairs["unique_id_r"].astype(str),
            "match_weight": pairs["match_weight"].astype(float),
            "match_probability": pairs["match_probability"].astype(float),
        }
    )
    for col, field in (
        ("name_key", "name"),
        ("phone_key", "phone"),
        ("address_key", "address"),
        ("region", "region"),
    ):
        gamma = pairs[f"gamma_{col}"].astype(int).to_numpy()
        out[field] = np.where(
            gamma < 0,
            "missing",
            np.asarray(level_names[col], dtype=object)[np.clip(gamma, 0, None)],
        )
    swap = out["record_id_1"] > out["record_id_2"]
    out.loc[swap, ["record_id_1", "record_id_2"]] = out.loc[
        swap, ["record_id_2", "record_id_1"]
    ].to_numpy()
    out = out.sort_values(
        ["match_probability", "record_id_1", "record_id_2"],
        ascending=[False, True, True],
        kind="stable",
    )
    return out.reset_index(drop=True)[columns]


def duplicate_clusters(pairs: pd.DataFrame, record_ids: object) -> pd.Series:
    """Records joined by linked pairs (directly or through others) as one firm.

    Parameters
    ----------
    pairs : DataFrame
        ``record_id_1``, ``record_id_2`` (e.g. :func:`find_duplicates`).
    record_ids : sequence of str
        Every record id (a record in no pair is a firm of its own).

    Returns
    -------
    Series
        Indexed by record id: the cluster's smallest record id.

    Raises
    ------
    KeyError
        If ``pairs`` lacks a column.
    ValueError
        If a pair names a record that is not in ``record_ids``.

    Examples
    --------
    >>> pairs = pd.DataFrame({"record_id_1": ["D1", "D2"], "record_id_2": ["D2", "D3"]})
    >>> duplicate_clusters(pairs, ["D1", "D2", "D3", "D4"]).to_dict()
    {'D1': 'D1', 'D2': 'D1', 'D3': 'D1', 'D4': 'D4'}
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    require_columns(pairs, ["record_id_1", "record_id_2"], "pairs")
    ids = pd.Index(pd.unique(np.asarray(record_ids, dtype=object)))
    a, b = ids.get_indexer(pairs["record_id_1"]), ids.get_indexer(pairs["record_id_2"])
    unknown = (a < 0) | (b < 0)
    if unknown.any():
        raise ValueError(
            f"pairs name records not in record_ids: rows {format_rows(pairs.index[unknown])}."
        )
    n = len(ids)
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    smallest = pd.Series(ids, index=ids).groupby(labels).transform("min")
    return pd.Series(smallest.to_numpy(), index=ids, name="cluster")


def true_pairs(
    truth: pd.DataFrame, *, id_col: str = "record_id", entity_col: str = "customer_id"
) -> set:
    """Every pair of records that belong to the same firm, as sorted tuples.

    Parameters
    ----------
    truth : DataFrame
        One row per record: its id and its firm (e.g. ``truth_records``).
    id_col, entity_col : str
        Column names.

    Returns
    -------
    set of tuple
        ``(record_id_a, record_id_b)`` with ``a < b``: a firm with k records gives
        k (k - 1) / 2 pairs.

    Raises
    ------
    KeyError
        If a column is missing.

    Examples
    --------
    >>> truth = pd.DataFrame({"record_id": ["D1", "D2", "D3"], "customer_id": ["C1"] * 3})
    >>> sorted(true_pairs(truth))
    [('D1', 'D2'), ('D1', 'D3'), ('D2', 'D3')]
    """
    require_columns(truth, [id_col, entity_col], "truth")
    pairs = set()
    for _, group in truth.groupby(entity_col, sort=False)[id_col]:
        ids = sorted(group.astype(str))
        pairs.update((ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids)))
    return pairs


def linkage_quality(
    pairs: pd.DataFrame,
    truth: pd.DataFrame,
    *,
    id_col: str = "record_id",
    entity_col: str = "customer_id",
) -> pd.Series:
    """Pairwise precision and recall of linked pairs against the true mapping.

    A true pair is two records of the same firm (``truth``: record id → firm id).
    precision = correct pairs / pairs found, recall = correct pairs / true pairs,
    F1 = their harmonic mean (Christen 2012, ch. 7).

    Parameters
    ----------
    pairs : DataFrame
        ``record_id_1``, ``record_id_2`` (order within a pair does not matter).
    truth : DataFrame
        One row per record: ``id_col`` and ``entity_col`` (e.g. ``truth_records``).

    Returns
    -------
    Series
        ``n_found``, ``n_true``, ``n_correct``, ``precision``, ``recall``, ``f1``
        (precision is NaN when nothing was found, recall NaN when there is no true pair).

    Raises
    ------
    KeyError
        If a column is missing.

    Examples
    --------
    >>> truth = pd.DataFrame({"record_id": ["D1", "D2", "D3", "D4"],
    ...                       "customer_id": ["C1", "C1", "C1", "C2"]})
    >>> found = pd.DataFrame({"record_id_1": ["D1", "D3"], "record_id_2": ["D2", "D4"]})
    >>> linkage_quality(found, truth)[["n_correct", "precision", "recall"]].round(3).to_dict()
    {'n_correct': 1.0, 'precision': 0.5, 'recall': 0.333}
    """
    require_columns(pairs, ["record_id_1", "record_id_2"], "pairs")
    true = true_pairs(truth, id_col=id_col, entity_col=entity_col)
    found = {
        tuple(sorted((str(a), str(b))))
        for a, b in zip(pairs["record_id_1"], pairs["record_id_2"], strict=True)
    }
    correct = len(found & true)
    precision = correct / len(found) if found else np.nan
    recall = correct / len(true) if true else np.nan
    f1 = (
        2 * precision * recall / (precision + recall)
        if found and true and (precision + recall) > 0
        else np.nan
    )
    return pd.Series(
        {
            "n_found": len(found),
            "n_true": len(true),
            "n_correct": correct,
            "precision": precision,
            "recall": recall,
            "f1": f1,
        },
        dtype=float,
    )
