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


def test_duplicates_are_counted_within_a_wave():
    """A panel member answers once a wave: its next wave's sheet is not a duplicate, a
    second sheet in the same wave is. Sheets (customer, wave): a 2022, b 2022, a 2023,
    a 2023 again, b 2024 -> only row 3 is a duplicate; without the wave rule rows 2, 3
    and 4 (later sheets of a and b) would be."""
    df = pd.DataFrame(
        {
            "customer_id": ["a", "b", "a", "a", "b"],
            "wave": [2022, 2022, 2023, 2023, 2024],
            "q1": [1, 2, 3, 4, 5],
            "q2": [2, 3, 4, 5, 1],
        }
    )
    rows = survey.validation_report(df, items=["q1", "q2"], per="row")
    assert rows["duplicate"].tolist() == [False, False, False, True, False]
    assert survey.clean_survey(df, items=["q1", "q2"]).index.tolist() == [0, 1, 2, 4]
    no_wave = survey.validation_report(df, items=["q1", "q2"], wave=None, per="row")
    assert no_wave["duplicate"].tolist() == [False, False, True, True, True]
    report = survey.validation_report(df, items=["q1", "q2"])
    assert report.loc["duplicate respondents (sheets)", "count"] == 1


def test_clean_company_survey_keeps_every_wave():
    """The committed survey: 4,235 sheets in three waves, of them 962 / 1,441 / 1,832 by
    952 / 1,413 / 1,800 customers (counted with value_counts on (wave, customer_id)), so
    10 + 28 + 32 = 70 second sheets within a wave are the duplicates; a customer's later
    waves are kept."""
    raw = datasets.load("company_survey")
    per_wave = raw.groupby("wave")["customer_id"].agg(["size", "nunique"])
    assert per_wave["size"].tolist() == [962, 1441, 1832]
    assert per_wave["nunique"].tolist() == [952, 1413, 1800]
    report = survey.validation_report(raw)
    assert report.loc["duplicate respondents (sheets)", "count"] == 10 + 28 + 32
    clean = survey.clean_survey(raw, drop_straightliners=False)
    assert len(clean) == 4235 - 70
    assert not clean.duplicated(["customer_id", "wave"]).any()


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
