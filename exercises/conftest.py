"""pytest/nbval collection rules for exercises/.

Masters under ``*/source/`` hold the solutions and hidden tests: never run them as
notebooks here (``tests/test_exercises.py`` builds and grades them instead). The student
notebooks under ``*/student/`` are collected by nbval: they are committed without
outputs, so nbval only checks that every cell runs without error.
"""

collect_ignore_glob = ["*/source/*", "*/build/*", "*/dist/*"]
