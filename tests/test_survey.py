"""Tests of crmlab.survey (chapter 01, from questionnaire to scores). Expected values are
worked out by hand in comments, or come from a cited publication."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import _schema, datasets, satisfaction, survey

# --- data processing


def test_validation_report_by_check_item_row(raw):
    report = survey.validation_report(raw, items=["q1", "q2", "q3"])
    # missing: 1 cell of 12; out of range: 9 and 0 -> 2; straight-liner: c (4, 4, 4);
    # duplicate: the second 'a'; sheets with a problem: b, c, a(2nd) = 3
    assert report["count"].tolist() == [1, 2, 1, 1, 3]
    assert report.loc["missing answers (cells)", "share"] == pytest.approx(1 / 12)
    items = survey.validation_report(raw, items=["q1", "q2", "q3"], per="item")
    assert items.loc["q1", "codes"] == [9] and items.loc["q3", "out_of_range"] == 1
    rows = survey.validation_report(raw, items=["q1", "q2", "q3"], per="row")
    assert rows["straightliner"].tolist() == [False, False, True, False]
    assert rows["duplicate"].tolist() == [False, False, False, True]


def test_clean_survey_steps(raw):
    out = survey.clean_survey(raw, items=["q1", "q2", "q3"])
    # b kept with 9 -> missing; c dropped (straight-liner); second a dropped (keep first)
    assert out.index.tolist() == [0, 1]
    assert np.isnan(out.loc[1, "q1"])
    kept = survey.clean_survey(raw, items=["q1", "q2", "q3"], drop_straightliners=False)
    assert kept.index.tolist() == [0, 1, 2]


def test_validation_report_bad_input(raw):
    with pytest.raises(KeyError, match="'q9'"):
        survey.validation_report(raw, items=["q1", "q9"])
    with pytest.raises(ValueError, match="per must"):
        survey.validation_report(raw, items=["q1"], per="cell")
    with pytest.raises(ValueError, match="'q1'.*numeric"):
        survey.validation_report(raw.assign(q1="x"), items=["q1"])


def test_reverse_code():
    # 1..5: x -> 6 - x ; 1..6 (bfi): x -> 7 - x
    assert survey.reverse_code(pd.DataFrame({"q": [1, 2, 5]}), items=["q"])["q"].tolist() == [
        5,
        4,
        1,
    ]
    assert survey.reverse_code(pd.DataFrame({"q": [1, 6]}), items=["q"], scale=(1, 6))[
        "q"
    ].tolist() == [6, 1]
    with pytest.raises(ValueError, match=r"'q'.*outside the scale 1\.\.5"):
        survey.reverse_code(pd.DataFrame({"q": [1, 9]}), items=["q"])


# --- the instrument
def test_instrument_matches_simulator():
    instrument = datasets.load("survey_instrument")
    assert instrument["item_id"].tolist() == _schema.SURVEY_ITEMS
    reversed_items = instrument.loc[instrument["reverse_coded"], "item_id"].tolist()
    assert reversed_items == _schema.REVERSE_ITEMS
    assert instrument[["wording_zh", "wording_en", "construct"]].notna().all().all()


def test_constants_match_simulator():
    items = [i for spec in survey.SERVQUAL_ITEMS.values() for kind in spec.values() for i in kind]
    assert sorted(items) == sorted(i for i in _schema.SURVEY_ITEMS if i[:4] in ("exp_", "per_"))
    assert len(satisfaction.SATISFACTION_CLASSES) == 5
