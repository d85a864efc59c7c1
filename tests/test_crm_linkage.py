"""crmlab.crm.linkage: normalising messy firm records, finding duplicates with Splink,
precision and recall against the true mapping. Weights worked out by hand below."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from crmlab.crm.linkage import (
    duplicate_clusters,
    find_duplicates,
    linkage_quality,
    normalise_name,
    normalise_phone,
    true_pairs,
)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("上海华通贸易有限公司", "上海华通贸易"),
        ("上海华通贸易有限责任公司", "上海华通贸易"),
        ("上海华通贸易股份有限公司", "上海华通贸易"),
        ("上海华通贸易公司", "上海华通贸易"),
        ("上海 华通贸易 （有限公司）", "上海华通贸易"),  # spaces, full-width brackets
        ("ＳＨＡＮＧＨＡＩ　ＨＵＡＴＯＮＧ", "shanghaihuatong"),  # full-width letters and space
        ("Shanghai Huatong Trading Co., Ltd.", "shanghaihuatongtrading"),
        ("Shanghai Huatong Trading Company Limited", "shanghaihuatongtrading"),
        ("Lagos Textiles Ltd", "lagostextiles"),
        ("Ltd", "ltd"),  # a name that is only a legal form is kept
        ("公司", "公司"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_normalise_name(typed, expected):
    assert normalise_name(typed) == expected


def test_normalise_phone():
    assert normalise_phone("+86 (21) 6234-5678") == "862162345678"
    assert normalise_phone("０２１－６２３４５６７８") == "02162345678"  # full-width digits
    assert normalise_phone(None) == ""
    # the comparison uses the last eight digits, equal for all three ways of writing it
    keys = {normalise_phone(p)[-8:] for p in ["021-62345678", "+86 21 6234 5678", "62345678"]}
    assert keys == {"62345678"}


# Ten records of five firms, messy as a CRM's customer master is.
RECORDS = pd.DataFrame(
    {
        "record_id": ["D01", "D02", "D03", "D04", "D05", "D06", "D07", "D08", "D09", "D10"],
        "name": [
            "上海华通贸易有限公司",  # firm A, original
            "上海华通贸易公司",  # A, legal form shortened
            "上海华通贸易有限公司",  # A, full-width phone, spaces in the address
            "Shanghai Huatong Trading Co., Ltd.",  # A, English name, no address
            "北京远洋物流有限公司",  # firm B
            "北京远洋物流",  # B, phone mistyped
            "北京远洋物流有限责任公司",  # firm C: the same name, another firm
            "Lagos Textiles Ltd",  # firm D
            "华通物流",  # firm E: shares A's switchboard and building
            "Beijing Yuanyang Logistics",  # B, English name
        ],
        "phone": [
            "021-62345678", "+86 21 6234 5678", "０２１６２３４５６７８", "62345678",
            "010-87654321", "010-87654322", "010-55556666", "+234 1 2345678",
            "021 6234 5678", "010 8765 4321",
        ],
        "address": [
            "上海市长宁路1号", "上海市长宁路1号", "上海市 长宁路 1号", None,
            "北京市朝阳路8号", "北京市朝阳路8号", "北京市海淀路2号", "12 Marina Road",
            "上海市长宁路1号", "北京市朝阳路8号",
        ],
        "region": ["east_asia"] * 7 + ["africa", "east_asia", "east_asia"],
    }
)  # fmt: skip
TRUTH = pd.DataFrame(
    {
        "record_id": RECORDS["record_id"],
        "customer_id": ["A", "A", "A", "A", "B", "B", "C", "D", "E", "B"],
    }
)

# Weights log2(m/u) of crmlab.crm.linkage.WEIGHTS, and the prior's log-odds:
#   prior 1e-4: log2(1e-4 / (1 - 1e-4)) = -13.2878
#   name    exact log2(0.70/0.0005) = log2(1400) = 10.4512; other log2(0.10/0.9945) = -3.3138
#   phone   exact log2(0.85/0.0002) = log2(4250) = 12.0533; other log2(0.15/0.9998) = -2.7367
#   address exact log2(0.60/0.001) = log2(600) = 9.2288;   other log2(0.15/0.989) = -2.7210
#   region  exact log2(0.95/0.2) = log2(4.75) = 2.2479
PRIOR = math.log2(1e-4 / (1 - 1e-4))
NAME, NAME_NO = math.log2(0.70 / 0.0005), math.log2(0.10 / 0.9945)
PHONE, PHONE_NO = math.log2(0.85 / 0.0002), math.log2(0.15 / 0.9998)
ADDRESS, ADDRESS_NO = math.log2(0.60 / 0.001), math.log2(0.15 / 0.989)
REGION = math.log2(0.95 / 0.2)


def _probability(weight: float) -> float:
    return 2**weight / (1 + 2**weight)


def test_find_duplicates_weights_worked_by_hand():
    pairs = find_duplicates(RECORDS, threshold=0.01).set_index(["record_id_1", "record_id_2"])
    expected = {
        # A's three Chinese records agree on everything: 20.6934
        ("D01", "D02"): PRIOR + NAME + PHONE + ADDRESS + REGION,
        ("D01", "D03"): PRIOR + NAME + PHONE + ADDRESS + REGION,
        ("D02", "D03"): PRIOR + NAME + PHONE + ADDRESS + REGION,
        # E shares A's phone and address but not the name: 6.9284 (probability 0.992)
        ("D01", "D09"): PRIOR + NAME_NO + PHONE + ADDRESS + REGION,
        ("D02", "D09"): PRIOR + NAME_NO + PHONE + ADDRESS + REGION,
        ("D03", "D09"): PRIOR + NAME_NO + PHONE + ADDRESS + REGION,
        # B's English record: phone and address agree: 6.9284
        ("D05", "D10"): PRIOR + NAME_NO + PHONE + ADDRESS + REGION,
        # B with a mistyped phone: name and address agree: 5.9034 (probability 0.984)
        ("D05", "D06"): PRIOR + NAME + PHONE_NO + ADDRESS + REGION,
        # A's English record: only the phone (address missing, weight 0): -2.3004 (0.169)
        ("D01", "D04"): PRIOR + NAME_NO + PHONE + REGION,
        ("D02", "D04"): PRIOR + NAME_NO + PHONE + REGION,
        ("D03", "D04"): PRIOR + NAME_NO + PHONE + REGION,
        ("D04", "D09"): PRIOR + NAME_NO + PHONE + REGION,
        # C, B's namesake: name agrees, phone and address differ: -6.0464 (0.015)
        ("D05", "D07"): PRIOR + NAME + PHONE_NO + ADDRESS_NO + REGION,
        ("D06", "D07"): PRIOR + NAME + PHONE_NO + ADDRESS_NO + REGION,
    }
    assert set(pairs.index) == set(expected)
    for pair, weight in expected.items():
        assert pairs.loc[pair, "match_weight"] == pytest.approx(weight, abs=3e-4), (
            pair
        )  # 5 terms rounded to 1e-4
        assert pairs.loc[pair, "match_probability"] == pytest.approx(_probability(weight), abs=1e-4)
    assert pairs.loc[("D01", "D04"), "address"] == "missing"
    assert pairs.loc[("D05", "D06"), "phone"] == "other"


def test_precision_and_recall_worked_by_hand():
    found = find_duplicates(RECORDS)  # probability >= 0.9: the eight pairs of weight > 3.17
    assert len(found) == 8
    quality = linkage_quality(found, TRUTH)
    # true pairs: A has 4 records -> 4*3/2 = 6 pairs, B has 3 -> 3 pairs; 9 in all.
    # found 8: correct D01-D02, D01-D03, D02-D03, D05-D10, D05-D06 = 5; wrong: D09 with
    # D01, D02, D03 (E shares A's phone and building) = 3.
    # precision 5/8 = 0.625, recall 5/9 = 0.5556, F1 = 2*0.625*0.5556/1.1806 = 0.5882
    assert quality["n_true"] == 9 and quality["n_found"] == 8 and quality["n_correct"] == 5
    assert quality["precision"] == pytest.approx(5 / 8)
    assert quality["recall"] == pytest.approx(5 / 9)
    assert quality["f1"] == pytest.approx(2 * (5 / 8) * (5 / 9) / (5 / 8 + 5 / 9))


def test_one_chinese_character_typo_is_measured_in_characters():
    records = pd.DataFrame(
        {
            "record_id": ["D1", "D2"],
            "name": ["上海华通贸易", "上海华同贸易"],
            "phone": [None, None],
            "address": [None, None],
            "region": ["east_asia", "east_asia"],
        }
    )
    # Jaro in characters: 5 of 6 characters match, no transposition:
    # (5/6 + 5/6 + 5/5) / 3 = 0.8889; Winkler: common prefix 上海华 (3), 0.8889 + 3 * 0.1 *
    # (1 - 0.8889) = 0.9222. DuckDB's own jaro_winkler_similarity counts UTF-8 bytes and
    # says 0.9333, so a cut at 0.93 tells the two apart.
    at_092 = find_duplicates(records, threshold=1e-9, similar=0.92)
    at_093 = find_duplicates(records, threshold=1e-9, similar=0.93)
    assert at_092.loc[0, "name"] == "similar" and at_093.loc[0, "name"] == "other"


def test_duplicate_clusters_and_true_pairs():
    found = find_duplicates(RECORDS)
    clusters = duplicate_clusters(found, RECORDS["record_id"])
    # D01, D02, D03 and D09 are joined; D05, D06, D10; the others alone
    assert clusters.to_dict() == {
        "D01": "D01", "D02": "D01", "D03": "D01", "D04": "D04", "D05": "D05",
        "D06": "D05", "D07": "D07", "D08": "D08", "D09": "D01", "D10": "D05",
    }  # fmt: skip
    assert true_pairs(TRUTH) >= {("D01", "D04"), ("D06", "D10")}
    assert len(true_pairs(TRUTH)) == 9
    with pytest.raises(ValueError, match="not in record_ids"):
        duplicate_clusters(found, ["D01"])


def test_linkage_quality_edge_cases():
    truth = pd.DataFrame({"record_id": ["a", "b"], "customer_id": ["X", "Y"]})
    none = pd.DataFrame({"record_id_1": [], "record_id_2": []})
    q = linkage_quality(none, truth)
    assert q["n_found"] == 0 and math.isnan(q["precision"]) and math.isnan(q["recall"])
    # pair order does not matter: (b, a) is the pair (a, b)
    truth2 = pd.DataFrame({"record_id": ["a", "b"], "customer_id": ["X", "X"]})
    q = linkage_quality(pd.DataFrame({"record_id_1": ["b"], "record_id_2": ["a"]}), truth2)
    assert q["precision"] == 1.0 and q["recall"] == 1.0


def test_find_duplicates_bad_input():
    with pytest.raises(KeyError, match="phone"):
        find_duplicates(RECORDS.drop(columns="phone"))
    twice = pd.concat([RECORDS, RECORDS.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match=r"repeats ids in rows \[0, 10\]"):
        find_duplicates(twice)
    with pytest.raises(ValueError, match="threshold"):
        find_duplicates(RECORDS, threshold=1.5)
    assert len(find_duplicates(RECORDS.iloc[:1])) == 0
