"""Gradebooks and feedback that are safe to open.

File names, statuses and messages come from submissions, so every text cell is cleaned
before it reaches a terminal, a CSV file, an Excel workbook or a feedback file:

* control characters (C0, DEL, C1), Unicode format characters (bidirectional overrides,
  zero-width characters), line and paragraph separators and undecodable bytes are
  shown escaped (``\\n``, ``\\x01``, ``\\u202e``, ``\\udcff``): :func:`clean_text`;
* a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading ``'`` (the OWASP rule against CSV injection), so no spreadsheet ever reads a
  gradebook cell as a formula: :func:`cell_text`; the Excel workbook also stores every
  text cell explicitly as a string.

Files are written to a temporary name and renamed, so a failed write never leaves half a
gradebook; a cell that cannot be written becomes ``(unprintable)`` and says so in that
row's status.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def clean_text(value) -> str:
    """``value`` as text with every control, format or undecodable character escaped."""
    text = str(value)
    if all(ch.isprintable() or ch == " " for ch in text) and text.isascii():
        return text
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) in _UNSAFE:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def cell_text(value) -> str:
    """:func:`clean_text`, plus a leading ``'`` where a spreadsheet would see a formula."""
    text = clean_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


# --- the gradebook ---------------------------------------------------------------------------
_REASON_CHARS = 300
_MISTAKE = re.compile(r"^(\w+) looks like a common mistake: ([^:]+):")
_WRONG = re.compile(r"^(\w+) has the right form but not the right value")


def reason(got: dict | None) -> str:
    """Why a question lost points, in one short line: the messages of its failed tests,
    hidden value tests first (they name the common mistake an answer matches), without the
    exception type; empty at full points. Messages never hold test code or expected values.

    Examples
    --------
    >>> reason({"score": 1, "possible": 1, "tests": []})
    ''
    >>> reason({"score": 0, "possible": 2, "tests": [
    ...     {"hidden": False, "passed": True, "message": ""},
    ...     {"hidden": True, "passed": False, "message": "AssertionError: x looks like a "
    ...      "common mistake: a percentage, not a share: give 0.25 for 25%."}]})
    'x: a percentage, not a share'
    """
    if not got:
        return "not scored"
    possible = got.get("possible")
    if possible is not None and float(got.get("score") or 0) >= float(possible) - 1e-9:
        return ""
    failed = [t for t in got.get("tests", []) if not t.get("passed")]
    failed.sort(key=lambda t: not t.get("hidden"))
    parts = []
    for t in failed:
        text = str(t.get("message") or "failed")
        text = text.split(": ", 1)[1] if text.startswith("AssertionError: ") else text
        mistake = _MISTAKE.match(text)
        if mistake:  # "x: <the mistake's name>", the hint stays in the feedback file
            text = f"{mistake[1]}: {mistake[2]}"
        elif _WRONG.match(text):
            text = f"{_WRONG.match(text)[1]}: wrong value"
        if text not in parts:
            parts.append(text)
    line = "; ".join(parts) or "failed"
    return line if len(line) <= _REASON_CHARS else line[: _REASON_CHARS - 3] + "..."


def gradebook_frame(ag, results: list[dict]) -> pd.DataFrame:
    """One row per result: ``file``, a column per autograded question, empty ``(manual)``
    columns, ``total``, ``possible``, ``status`` and per autograded question ``qN why``,
    the reason it lost points (:func:`reason`)."""
    auto = list(ag.tests)
    declared = {q["name"]: q.get("points") for q in ag.questions}
    manual = [q["name"] for q in ag.questions if q["manual"]]
    rows = []
    for r in results:
        row = {"file": r["file"]}
        possible = 0.0
        for q in auto:
            got = r["scores"].get(q) or {}
            row[q] = round(float(got.get("score") or 0.0), 4)
            possible += float(got.get("possible") or declared.get(q) or 0.0)
        for q in manual:
            row[f"{q} (manual)"] = None
        row["total"] = round(sum(row[q] for q in auto), 4)
        row["possible"] = round(possible, 4)
        row["status"] = r["status"] or "error: unknown"
        for q in auto:
            row[f"{q} why"] = reason(r["scores"].get(q))
        rows.append(row)
    columns = [
        "file",
        *auto,
        *[f"{q} (manual)" for q in manual],
        "total",
        "possible",
        "status",
        *[f"{q} why" for q in auto],
    ]
    return pd.DataFrame(rows, columns=columns)


def safe_frame(frame: pd.DataFrame, clean=cell_text) -> pd.DataFrame:
    """A copy of a gradebook with every text cell (and column name) passed through
    ``clean``; a cell that fails becomes ``(unprintable)`` and its row's status says so."""
    out = frame.copy().astype(object)
    out.columns = [clean(c) for c in frame.columns]
    status_col = out.columns.get_loc(clean("status")) if "status" in frame.columns else None
    for i in range(len(out)):
        broken = []
        for j, value in enumerate(frame.iloc[i].tolist()):
            if isinstance(value, str):
                try:
                    out.iat[i, j] = clean(value)
                except Exception:  # noqa: BLE001 - one bad cell must not stop the gradebook
                    out.iat[i, j] = "(unprintable)"
                    broken.append(str(frame.columns[j]))
            elif value is None or (isinstance(value, float) and value != value):
                out.iat[i, j] = None
        if broken and status_col is not None:
            out.iat[i, status_col] = f"{out.iat[i, status_col]}; unprintable: {', '.join(broken)}"
    return out


def _atomic(path: Path, write) -> Path:
    path = Path(path)
    if str(path.parent) and not path.parent.exists():
        path.parent.mkdir(parents=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_gradebook(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a gradebook: ``.xlsx`` for Excel (every text cell stored as a string),
    otherwise CSV in UTF-8 with a byte-order mark (so Excel shows Chinese file names)."""
    path = Path(path)
    safe = safe_frame(frame)
    if path.suffix.lower() == ".xlsx":
        return _atomic(path, lambda tmp: _write_xlsx(safe, tmp))
    return _atomic(path, lambda tmp: _write_csv(safe, tmp))


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False):
            writer.writerow(["" if v is None else v for v in row])


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "gradebook"
    for j, name in enumerate(frame.columns, start=1):
        _string_cell(sheet.cell(row=1, column=j), name)
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for j, value in enumerate(row, start=1):
            cell = sheet.cell(row=i, column=j)
            if isinstance(value, str):
                _string_cell(cell, value)
            elif value is not None:
                cell.value = float(value)
    book.save(path)


def _string_cell(cell, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with


def table_text(frame: pd.DataFrame) -> str:
    """The gradebook as a plain-text table for the terminal (control characters escaped)."""
    safe = safe_frame(frame, clean=clean_text)
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        return safe.to_string(index=False)


# --- feedback --------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def _md(text) -> str:
    return _MD_SPECIAL.sub(r"\\\1", clean_text(text))


def feedback_name(label: str, taken: set[str]) -> str:
    """A safe, unique ``.md`` file name for a submission's feedback."""
    stem = label[:-6] if label.endswith(".ipynb") else label
    stem = clean_text(stem.replace("/", "__"))
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem).lstrip(".")
    stem = stem[:120] or "submission"
    name, k = f"{stem}.md", 1
    while name.lower() in taken:
        k += 1
        name = f"{stem}-{k}.md"
    taken.add(name.lower())
    return name


def feedback_text(ag, result: dict, row: dict) -> str:
    """Markdown feedback for one submission: its points per question and the messages of
    the failed tests (hidden tests by name and message, never their code)."""
    lines = [
        f"# Feedback: {_md(result['file'])}",
        "",
        f"Exercise `{ag.exercise}`: **{row['total']:g} / {row['possible']:g}** points "
        "(automatically graded questions).",
        "",
        f"Status: {_md(row['status'])}",
        "",
        "| question | points |",
        "|---|---|",
    ]
    questions = {q["name"]: q for q in ag.questions}
    for q in ag.tests:
        got = result["scores"].get(q) or {}
        possible = got.get("possible") or questions.get(q, {}).get("points") or 0
        lines.append(f"| {_md(q)} | {float(got.get('score') or 0):g} / {float(possible):g} |")
    for q in (q["name"] for q in ag.questions if q["manual"]):
        lines.append(f"| {_md(q)} | graded by hand |")
    for q in ag.tests:
        got = result["scores"].get(q) or {}
        failed = [t for t in got.get("tests", []) if not t.get("passed")]
        if not failed:
            continue
        lines += ["", f"## {_md(q)}: tests not passed", ""]
        for t in failed:
            kind = "hidden test" if t.get("hidden") else "check"
            message = t.get("message") or "failed"
            lines.append(f"- {kind} `{clean_text(t.get('name'))}`: {_md(message)}")
    if not result["scores"] and ag.tests:
        lines += ["", "No answers could be scored: see the status above."]
    return "\n".join(lines) + "\n"


def write_feedback(ag, results: list[dict], frame: pd.DataFrame, folder: str | Path) -> list:
    """One Markdown file per submission in ``folder``; returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    rows = {r["file"]: r for r in frame.to_dict("records")}
    written = []
    for result in results:
        row = rows[result["file"]]
        try:
            text = feedback_text(ag, result, row)
        except Exception as exc:  # noqa: BLE001 - one broken row must not stop the others
            text = f"# Feedback\n\nFeedback could not be written ({type(exc).__name__}).\n"
        name = feedback_name(result["file"], taken)
        written.append(_atomic(folder / name, lambda tmp, t=text: tmp.write_text(t, "utf-8")))
    return written
