"""crmlab._validate is the one place the package imports its input checks from; the checks
themselves live in three modules by topic (tests in test_validate_columns.py,
test_validate_tables.py, test_validate_answers.py)."""

from crmlab import _validate, _validate_answers, _validate_columns, _validate_tables


def test_every_check_is_imported_from_validate_itself():
    parts = (_validate_columns, _validate_tables, _validate_answers)
    names = [n for part in parts for n in part.__all__]
    assert sorted(_validate.__all__) == sorted(names)  # each name once, none left out
    for part in parts:
        for name in part.__all__:
            assert getattr(_validate, name) is getattr(part, name), name
