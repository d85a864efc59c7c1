"""Shared test set-up. Notebooks (nbval) skip text/html and stderr: DataFrames are
compared through their text/plain form, and warnings are not part of a result."""

import matplotlib

matplotlib.use("Agg")


def pytest_collectstart(collector):
    if getattr(collector, "path", None) is not None and collector.path.suffix == ".ipynb":
        collector.skip_compare += ("text/html", "stderr")
