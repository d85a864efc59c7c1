"""Tests of crmlab._survey_factors (chapter 01: exploratory factor analysis), called
through crmlab.survey as students call them; the published psych and R values are in
test_reference_survey.py."""

from __future__ import annotations

import pytest

from crmlab import _survey_factors, survey


def test_survey_gathers_the_factor_analysis():
    for name in _survey_factors.__all__:
        assert getattr(survey, name) is getattr(_survey_factors, name), name


def test_factor_structure_recovers_relationship_scales(clean):
    result = survey.factor_structure(clean, dimensions=survey.RELATIONSHIP_SCALES)
    assert result.share_as_intended == 1.0
    assert list(result.loadings.columns) == ["trust", "satisf", "belong", "friend"]
    assert "as_intended" in result.summary()
    with pytest.raises(ValueError, match="more than one dimension"):
        survey.factor_structure(
            clean, dimensions={"x": ["rq_trust1", "rq_trust2"], "y": ["rq_trust2"]}
        )
