"""The claims ledger (经验法则台账): every rule of thumb of the course, tested on data.

The course quotes figures (80/20, "acquisition costs 5-10x retention", "+5% retention,
up to +100% profit", ...). The course notes (``docs/course.md`` §8, "Rules of thumb at a
glance") list them with their sources; this module computes each one on the synthetic
company and on the real data sets where it applies, and gives a verdict decided by a rule
written in code:

- **holds** (成立): the rule's condition is met (a tolerance band around the course's
  figure, or a statistical test with its p-value);
- **does not hold** (不成立): the condition is not met;
- **not testable here** (此处无法检验): the data cannot speak to the claim (nothing
  records what it is about, or the quantity is an input of the simulator); the reason
  says why.

Nothing is hard-coded: every value is computed by the chapter functions
(:mod:`crmlab.economics`, :mod:`crmlab.segment`, :mod:`crmlab.value`, :mod:`crmlab.churn`,
:mod:`crmlab.churn_causes`, :mod:`crmlab.survival`, :mod:`crmlab.btyd`,
:mod:`crmlab.loyalty_market`, ...) from the tables passed in (by default the committed
data), so the ledger follows the data when they change. The texts (English and Chinese)
live in :mod:`crmlab._claims_text`.

- :data:`CLAIMS` holds the claims (:class:`Claim`), :func:`claim` finds one by id;
- :func:`finding` measures one claim on one data set (:class:`Finding`), :func:`value`
  returns only its number, for notebooks to quote;
- :func:`ledger` computes the whole table, :func:`markdown` renders it as the book's
  appendix page: ``python -m crmlab.claims --markdown [--lang zh] > docs/claims.md``.

The data sets are ``"company"`` (the synthetic company's tables, as
:func:`crmlab.datasets.load_company` returns them), ``"cdnow"`` (``cdnow_master``) and
``"telco"`` (``telco_churn``), as :func:`crmlab.datasets.load` returns them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab._claims_compute import COMPUTE
from crmlab._claims_data import LedgerData
from crmlab._claims_rules import (
    FAILS,
    HOLDS,
    UNTESTABLE,
    VERDICTS_ZH,
    Finding,
    at_least,
    format_value,
    within,
)
from crmlab._claims_text import CLAIM_TEXTS, PAGE, SOURCES

__all__ = [
    "HOLDS",
    "FAILS",
    "UNTESTABLE",
    "VERDICTS_ZH",
    "DATA_SETS",
    "SOURCES",
    "Claim",
    "Finding",
    "CLAIMS",
    "claim",
    "within",
    "at_least",
    "finding",
    "value",
    "ledger",
    "markdown",
    "main",
]

#: Data set -> (English name, Chinese name).
DATA_SETS = {
    "company": ("synthetic company", "合成公司"),
    "cdnow": ("CDNOW", "CDNOW"),
    "telco": ("Telco", "Telco"),
}
#: The ``data`` of the row of a claim that no data set here can test.
NO_DATA = "none"
#: Course-notes section -> its label in ``docs/course.md`` (``zh-`` + label in the zh notes).
_ANCHORS = dict(
    enumerate(
        [
            "course-why-crm",
            "course-survey",
            "course-segmentation",
            "course-loyalty",
            "course-churn",
            "course-value",
            "course-systems",
        ]
    )
)


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Claim:
    """A rule of thumb of the course, where it comes from and how it is tested.

    ``source`` names the course texts as the course notes cite them (keys of
    :data:`SOURCES`), ``published`` the published work it echoes; ``sections`` are the
    course-notes sections that discuss it, ``notebooks`` the chapters that test it;
    ``data`` the data sets it applies to (empty: no data set here can test it, and
    ``why_not`` says why); ``rule`` states the verdict rule. ``*_zh`` are the Chinese texts.
    """

    id: str
    claim: str
    claim_zh: str
    source: str
    source_zh: str
    published: str
    published_zh: str
    sections: tuple[int, ...]
    notebooks: tuple[str, ...]
    data: tuple[str, ...]
    rule: str
    rule_zh: str
    why_not: str = ""
    why_not_zh: str = ""
    compute: Callable[[LedgerData, str], Finding] | None = None

    def anchors(self) -> list[str]:
        """Labels of the course-notes sections (``docs/course.md``) that discuss the claim."""
        return [_ANCHORS[s] for s in self.sections]


def _build() -> tuple[Claim, ...]:
    out = []
    for record in CLAIM_TEXTS:
        c = Claim(**record, compute=COMPUTE.get(record["id"]))
        if bool(c.data) != (c.compute is not None) or bool(c.data) == bool(c.why_not):
            raise RuntimeError(f"claim {c.id!r} needs data and a computation, or a why_not.")
        out.append(c)
    return tuple(out)


#: Every claim of the course notes' §8, in its order.
CLAIMS: tuple[Claim, ...] = _build()
_BY_ID = {c.id: c for c in CLAIMS}


# --------------------------------------------------------------------------- the API
def claim(claim_id: str) -> Claim:
    """The claim with id ``claim_id``.

    Parameters
    ----------
    claim_id : str
        An id of :data:`CLAIMS`, e.g. ``"pareto_80_20"``.

    Returns
    -------
    Claim
        The claim's texts in both languages, source, sections, notebooks and data sets.

    Raises
    ------
    KeyError
        If there is no such claim (the message lists the ids).

    Examples
    --------
    >>> c = claim("pareto_80_20")
    >>> c.claim_zh, c.data
    ('80%的收入来自20%的客户（二八定律）', ('company', 'cdnow', 'telco'))
    """
    if claim_id not in _BY_ID:
        raise KeyError(f"no claim {claim_id!r}; the claims are {list(_BY_ID)}.")
    return _BY_ID[claim_id]


def _measure(c: Claim, data: str, ctx: LedgerData) -> Finding:
    if data not in DATA_SETS:
        raise ValueError(f"data must be one of {list(DATA_SETS)}, got {data!r}.")
    if not c.data:
        raise ValueError(f"claim {c.id!r} is {UNTESTABLE}: {c.why_not}.")
    if data not in c.data:
        raise ValueError(f"claim {c.id!r} applies to {', '.join(c.data)}, not to {data!r}.")
    return c.compute(ctx, data)


def finding(
    claim_id: str,
    *,
    data: str = "company",
    company: Mapping | None = None,
    real: Mapping | None = None,
) -> Finding:
    """Measure one claim on one data set.

    Parameters
    ----------
    claim_id : str
        An id of :data:`CLAIMS`.
    data : {"company", "cdnow", "telco"}
        The data set.
    company : dict of DataFrame, optional
        The synthetic company's tables (default :func:`crmlab.datasets.load_company`); only
        the tables the claim needs are read.
    real : dict of DataFrame, optional
        Real data sets by name, ``{"cdnow": ..., "telco": ...}`` (default: both, loaded).

    Returns
    -------
    Finding

    Raises
    ------
    KeyError
        If the claim is unknown, or a table, data set or column it needs is missing.
    ValueError
        If ``data`` is unknown or the claim does not apply to it, if no data set can test
        the claim (the message says why), or if the data are bad (as the chapter functions
        report it).

    Examples
    --------
    Five customers with net revenues 75, 10, 5, 5 and 5: the top 20% (one customer) hold
    75 / 100, just inside the rule.

    >>> orders = pd.DataFrame({"customer_id": list("abcde"),
    ...                        "amount": [75.0, 10.0, 5.0, 5.0, 5.0]})
    >>> f = finding("pareto_80_20", company={"orders": orders})
    >>> f.value, f.verdict
    (0.75, 'holds')
    """
    return _measure(claim(claim_id), data, LedgerData(company, real))


def value(
    claim_id: str,
    *,
    data: str = "company",
    company: Mapping | None = None,
    real: Mapping | None = None,
) -> float:
    """The number of one claim on one data set (:attr:`Finding.value`), for quoting.

    Parameters
    ----------
    claim_id : str
        An id of :data:`CLAIMS`.
    data : {"company", "cdnow", "telco"}
        The data set.
    company, real : dict of DataFrame, optional
        As in :func:`finding`.

    Returns
    -------
    float
        In the claim's unit (a share is a fraction in [0, 1]); NaN when there is no number.

    Raises
    ------
    KeyError, ValueError
        As :func:`finding`.

    Examples
    --------
    The share of CDNOW's spend held by its top 20% of customers:

    >>> round(value("pareto_80_20", data="cdnow"), 4)
    0.6778
    """
    return finding(claim_id, data=data, company=company, real=real).value


_COLUMNS = [
    "claim",
    "claim_zh",
    "source",
    "source_zh",
    "published",
    "published_zh",
    "sections",
    "notebooks",
    "measure",
    "measure_zh",
    "value",
    "unit",
    "rule",
    "rule_zh",
    "verdict",
    "verdict_zh",
    "reason",
    "reason_zh",
]


def ledger(company: Mapping | None = None, real: Mapping | None = None) -> pd.DataFrame:
    """The whole ledger: every claim on every data set it applies to.

    Parameters
    ----------
    company : dict of DataFrame, optional
        The synthetic company's tables (default :func:`crmlab.datasets.load_company`).
    real : dict of DataFrame, optional
        Real data sets by name (``"cdnow"``, ``"telco"``); default both, loaded. With a
        dict, the rows of the real data sets it does not hold are left out (``{}``: the
        company alone).

    Returns
    -------
    DataFrame
        Index (``id``, ``data``), one row per claim and data set, in the order of
        :data:`CLAIMS` (``data`` is ``"none"`` for a claim no data set can test); columns
        ``claim``, ``source``, ``published``, ``sections`` (of the course notes, e.g.
        "0, 5"), ``notebooks``, ``measure``, ``value``, ``unit``, ``rule``, ``verdict`` and
        ``reason``, with every text also in Chinese (``*_zh``).

    Raises
    ------
    KeyError, ValueError
        As :func:`finding`.

    Examples
    --------
    >>> table = ledger()
    >>> table.loc[("pareto_80_20", "cdnow"), "verdict"]
    'does not hold'
    >>> table.loc[("acquisition_cost_5x", "none"), "verdict_zh"]
    '此处无法检验'
    """
    ctx = LedgerData(company, real)
    covered = ctx.available()
    rows, index = [], []
    for c in CLAIMS:
        common = {
            "claim": c.claim,
            "claim_zh": c.claim_zh,
            "source": c.source,
            "source_zh": c.source_zh,
            "published": c.published,
            "published_zh": c.published_zh,
            "sections": ", ".join(str(s) for s in c.sections),
            "notebooks": ", ".join(c.notebooks),
            "rule": c.rule,
            "rule_zh": c.rule_zh,
        }
        if not c.data:
            found = Finding(np.nan, "number", "—", "—", UNTESTABLE, c.why_not, c.why_not_zh)
            rows.append({**common, **_row(found)})
            index.append((c.id, NO_DATA))
        for name in (d for d in c.data if d in covered):
            rows.append({**common, **_row(_measure(c, name, ctx))})
            index.append((c.id, name))
    out = pd.DataFrame(rows, columns=_COLUMNS)
    out.index = pd.MultiIndex.from_tuples(index, names=["id", "data"])
    return out


def _row(f: Finding) -> dict:
    return {
        "measure": f.measure,
        "measure_zh": f.measure_zh,
        "value": float(f.value),
        "unit": f.unit,
        "verdict": f.verdict,
        "verdict_zh": f.verdict_zh,
        "reason": f.reason,
        "reason_zh": f.reason_zh,
    }


# --------------------------------------------------------------------------- the page
def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(
    table: pd.DataFrame | None = None,
    *,
    lang: str = "en",
    company: Mapping | None = None,
    real: Mapping | None = None,
) -> str:
    """The ledger as the book's appendix page (MyST Markdown), in English or Chinese.

    Parameters
    ----------
    table : DataFrame, optional
        A :func:`ledger` table; computed from ``company`` and ``real`` if None.
    lang : {"en", "zh"}
        The edition: ``"zh"`` takes every text from the ledger's Chinese columns and links
        to the Chinese course notes (``docs/zh/course.md``).
    company, real
        As :func:`ledger`.

    Returns
    -------
    str
        The page ``docs/claims.md`` (``en``) or ``docs/zh/claims.md`` (``zh``).

    Raises
    ------
    ValueError
        If ``lang`` is not "en" or "zh", or ``table`` lacks columns of :func:`ledger`.

    Examples
    --------
    >>> print(markdown(lang="zh").splitlines()[1])
    # 附录：经验法则台账 · Appendix: the course's claims on data
    """
    if lang not in PAGE:
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}.")
    if table is None:
        table = ledger(company, real)
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the ledger columns {missing}.")
    zh, text = lang == "zh", PAGE[lang]
    pre = "zh-" if zh else ""
    links = {"course": "course.md", "prefix": pre}

    def t(column: str) -> str:
        return f"{column}_zh" if zh else column

    names = {k: v[1 if zh else 0] for k, v in DATA_SETS.items()} | {NO_DATA: "—"}
    ids = list(dict.fromkeys(table.index.get_level_values("id")))
    number = {cid: i + 1 for i, cid in enumerate(ids)}
    out = [
        f"({pre}claims-ledger)=",
        f"# {text['title']}",
        "",
        "<!-- generated by `python -m crmlab.claims --markdown"
        + (" --lang zh" if zh else "")
        + "` from crmlab.claims.ledger(): do not edit by hand -->",
        "",
        text["intro"].format(**links),
        "",
        f"## {text['summary']}",
        "",
        "| " + " | ".join(text["summary_head"]) + " |",
        "|" + "---|" * len(text["summary_head"]),
    ]
    seen = set()
    for (cid, data), row in table.iterrows():
        first = cid not in seen
        seen.add(cid)
        name = f"[{_cell(row[t('claim')])}](#{pre}claim-{cid})" if first else ""
        out.append(
            f"| {number[cid] if first else ''} | {name} | {names[data]} | "
            f"{format_value(row['value'], row['unit'], zh)} | {row[t('verdict')]} |"
        )
    out += ["", f"## {text['details']}", ""]
    for cid in ids:
        rows = table.loc[cid]
        head = rows.iloc[0]
        comma = "、" if zh else ", "
        notes = comma.join(
            f"[§{s}](course.md#{pre}{_ANCHORS[int(s)]})" for s in head["sections"].split(", ")
        )
        books = comma.join(head["notebooks"].split(", ")) if head["notebooks"] else "—"
        out += [
            f"({pre}claim-{cid})=",
            f"### {number[cid]}. {head[t('claim')]}",
            "",
            f"`{cid}` · {text['source']}{head[t('source')]} · {text['published']}"
            f"{head[t('published')]} · {text['notes']}{notes} · {text['notebooks']}"
            f"{books}",
            "",
            *([f"**{text['rule']}** {head[t('rule')]}", ""] if head["rule"] != "—" else []),
            "| " + " | ".join(text["detail_head"]) + " |",
            "|" + "---|" * len(text["detail_head"]),
        ]
        for data, row in rows.iterrows():
            out.append(
                f"| {names[data]} | {_cell(row[t('measure')])} | "
                f"{format_value(row['value'], row['unit'], zh)} | {row[t('verdict')]} | "
                f"{_cell(row[t('reason')])} |"
            )
        out.append("")
    out += [
        f"({pre}claims-sources)=",
        f"## {text['sources']}",
        "",
        text["sources_intro"].format(**links),
        "",
    ]
    for key, (key_zh, title, title_zh) in SOURCES.items():
        out.append(f"- **{key_zh}**：{title_zh}" if zh else f"- **{key}**: {title}")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m crmlab.claims [--markdown] [--lang zh] [--out PATH]``: print the ledger
    (value and verdict per claim and data set) or, with ``--markdown``, the appendix page.

    Parameters
    ----------
    argv : sequence of str, optional
        The command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0; bad arguments exit with status 2 (argparse).

    Raises
    ------
    SystemExit
        On bad arguments or ``--help``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = pathlib.Path(tmp) / "claims.md"
    ...     status = main(["--markdown", "--out", str(page)])
    ...     title = page.read_text(encoding="utf-8").splitlines()[1]
    >>> status, title
    (0, "# Appendix: the course's claims on data · 附录：经验法则台账")
    """
    parser = argparse.ArgumentParser(
        prog="python -m crmlab.claims", description="The course's claims tested on data."
    )
    parser.add_argument("--markdown", action="store_true", help="print the appendix page")
    parser.add_argument("--lang", choices=sorted(PAGE), default="en", help="edition")
    parser.add_argument("--out", help="write to this file instead of standard output")
    args = parser.parse_args(argv)
    table = ledger()
    zh = args.lang == "zh"
    if args.markdown:
        text = markdown(table, lang=args.lang)
    else:
        shown = [format_value(v, u, zh) for v, u in zip(table["value"], table["unit"], strict=True)]
        verdict = table["verdict_zh" if zh else "verdict"]
        text = table.assign(value=shown, verdict=verdict)[["value", "verdict"]].to_string() + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
