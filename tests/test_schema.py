"""Tests of crmlab._schema, the data layer's vocabulary: the lists agree with the
committed files and their datasheets, and the module sits at the bottom of the imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from crmlab import _schema, datasets


def test_survey_items_match_the_questionnaire_file():
    """datasets/survey_instrument.csv lists the 36 items in questionnaire order, with the
    reverse-coded ones flagged: an independent record of the same instrument."""
    instrument = datasets.load("survey_instrument")
    assert _schema.SURVEY_ITEMS == instrument["item_id"].tolist()
    assert len(_schema.SURVEY_ITEMS) == 36  # 5 dimensions x 4 + 4 outcome + 4 scales x 3
    flagged = instrument.loc[instrument["reverse_coded"], "item_id"].tolist()
    assert _schema.REVERSE_ITEMS == flagged == ["rq_trust3", "rq_belong3"]


def test_dimension_codes_name_the_servqual_items():
    for dim, code in _schema.DIMENSION_CODES.items():
        assert dim.startswith(code)  # tan-gibles, rel-iability, ...
        assert {f"exp_{code}1", f"per_{code}2"} <= set(_schema.SURVEY_ITEMS)
    assert list(_schema.DIMENSION_CODES) == _schema.SERVICE_DIMENSIONS


def test_churn_causes_and_types():
    assert set(_schema.CHURN_TYPE_OF_CAUSE) == set(_schema.CHURN_CAUSES)
    assert set(_schema.CHURN_TYPE_OF_CAUSE.values()) == set(_schema.CHURN_TYPES)
    # the course: price and competitor are competitive churn; involuntary is natural
    assert _schema.CHURN_TYPE_OF_CAUSE["competitor"] == "competitive"
    assert _schema.CHURN_TYPE_OF_CAUSE["involuntary"] == "natural"


def test_table_schemas_describe_the_committed_files():
    company = datasets.load_company()
    assert set(company) == set(_schema.TABLE_SCHEMAS)
    for table, schema in _schema.TABLE_SCHEMAS.items():
        frame = company[table]
        for col in schema.get("dates", []):
            assert frame[col].dtype == _schema.DATE_DTYPE, (table, col)
        for col, levels in schema.get("categories", {}).items():
            assert list(frame[col].cat.categories) == levels, (table, col)
            assert frame[col].cat.ordered == (col in schema.get("ordered", [])), (table, col)
        for col in schema.get("ids", []):
            assert pd.api.types.is_string_dtype(frame[col]), (table, col)


def test_apply_schema_casts_and_rejects_unknown_levels():
    frame = pd.DataFrame(
        {"id": [1, None], "day": ["2024-01-02", "2024-02-03"], "size": ["large", "small"]}
    )
    out = _schema.apply_schema(
        frame, ids=["id"], dates=["day"], categories={"size": _schema.SIZES}, ordered=["size"]
    )
    assert out["id"].tolist()[0] == "1.0" and pd.isna(out["id"].tolist()[1])
    assert out["day"].dt.month.tolist() == [1, 2]
    assert out["size"].cat.ordered and out["size"].min() == "small"  # ordered by SIZES
    with pytest.raises(ValueError, match=r"column 'size' holds values \['huge'\] outside"):
        _schema.apply_schema(pd.DataFrame({"size": ["huge"]}), categories={"size": _schema.SIZES})


def test_schema_imports_nothing_from_crmlab():
    """The bottom of the import graph: no cycle can go through it."""
    tree = ast.parse(Path(_schema.__file__).read_text(encoding="utf-8"))
    imported = [
        n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module is not None
    ] + [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.startswith("crmlab")]
